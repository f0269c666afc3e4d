"""One process or many: the torchrun environment, the device, and the few collectives training needs.

Under `torchrun` (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR/PORT in the environment, WORLD_SIZE > 1)
every process joins one group: `gloo` on CPU, `nccl` on CUDA with one GPU per local rank. Without
it, the same code runs as a world of one and every collective is a no-op.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

import torch
import torch.distributed as dist

from pointskel_blender.core.errors import PointSkelError

DEVICES = ("auto", "cpu", "cuda")
# Rank 0 may build sample caches while the others wait at a barrier: allow that much time.
_TIMEOUT = timedelta(hours=3)


class DistributedError(PointSkelError):
    """The requested device or the torchrun environment cannot be used."""


@dataclass(frozen=True)
class World:
    rank: int
    size: int
    local_rank: int
    device: torch.device

    @property
    def main(self) -> bool:
        """Only the main process writes files and shows progress."""
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.size > 1

    def barrier(self) -> None:
        if self.distributed:
            dist.barrier()

    def sum(self, values: list[float]) -> list[float]:
        """Element-wise sum over all processes (float64, on the process group's device)."""
        if not self.distributed:
            return list(values)
        tensor = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
        return tensor.tolist()

    def close(self) -> None:
        if self.distributed and dist.is_initialized():
            dist.destroy_process_group()


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise DistributedError(f"environment variable {name}={value!r} is not an integer") from None


def pick_device(name: str, local_rank: int = 0) -> torch.device:
    if name not in DEVICES:
        raise DistributedError(f"unknown device {name!r}: choose one of {', '.join(DEVICES)}")
    if name == "cpu" or name == "auto" and not torch.cuda.is_available():
        return torch.device("cpu")
    if not torch.cuda.is_available():
        raise DistributedError(
            "--device cuda was asked for but this torch sees no CUDA GPU; use --device cpu"
        )
    if local_rank >= torch.cuda.device_count():
        raise DistributedError(
            f"local rank {local_rank} has no GPU (this node has {torch.cuda.device_count()}); "
            "start at most one process per GPU"
        )
    return torch.device("cuda", local_rank)


def init_world(device: str) -> World:
    """The process's place in the run, joining the process group when torchrun started several."""
    size, rank, local_rank = _env_int("WORLD_SIZE", 1), _env_int("RANK", 0), _env_int("LOCAL_RANK", 0)
    where = pick_device(device, local_rank)
    if size > 1:
        if where.type == "cuda":
            torch.cuda.set_device(where)
        if not dist.is_initialized():
            dist.init_process_group(
                "nccl" if where.type == "cuda" else "gloo", rank=rank, world_size=size, timeout=_TIMEOUT
            )
    return World(rank, size, local_rank, where)
