"""Training checkpoints: plain tensors and plain Python types only, written atomically.

A checkpoint loads with `torch.load(..., weights_only=True)`, which never runs code from the file;
a file that would need more than that is refused with a clear message rather than unpickled.
Everything a run needs to continue exactly is inside: weights, optimizer state, the position in
the schedule (epoch, batch, step; every random draw of training is keyed by these and the seed, so
they are the RNG state), the best metric, the history and the description of the data.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.files import atomic_path

from .model import ConfigError, ModelConfig, PointNetOffsetPredictor, weight_shapes

FORMAT = "pointskel-checkpoint"
VERSION = 1
_ZIP_MAGIC = b"PK\x03\x04"


class CheckpointError(PointSkelError):
    """A checkpoint is missing, unreadable, not PointSkel's, or does not match its own model config."""


@dataclass
class Checkpoint:
    model_config: ModelConfig
    state_dict: dict[str, torch.Tensor]
    train_config: dict[str, Any] = field(default_factory=dict)
    optimizer: dict[str, Any] | None = None
    epoch: int = 0  # epochs completed
    batch: int = 0  # batches done in the epoch under way (0 at an epoch boundary)
    step: int = 0  # optimizer steps so far
    best_metric: float | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    seed: int = 0
    data: dict[str, Any] = field(default_factory=dict)  # what the model was trained on (cache descriptions)
    torch_version: str = str(torch.__version__)

    def model(self) -> PointNetOffsetPredictor:
        """A model with these weights (already checked against the config by `load_checkpoint`)."""
        model = PointNetOffsetPredictor(self.model_config)
        model.load_state_dict(self.state_dict)
        return model


def save_checkpoint(path: str | os.PathLike, checkpoint: Checkpoint) -> None:
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "model_config": checkpoint.model_config.to_dict(),
        "state_dict": {k: v.detach().cpu() for k, v in checkpoint.state_dict.items()},
        "train_config": checkpoint.train_config,
        "optimizer": checkpoint.optimizer,
        "epoch": checkpoint.epoch,
        "batch": checkpoint.batch,
        "step": checkpoint.step,
        "best_metric": checkpoint.best_metric,
        "history": checkpoint.history,
        "seed": checkpoint.seed,
        "data": checkpoint.data,
        "torch_version": str(checkpoint.torch_version),
    }
    with atomic_path(path) as tmp:
        torch.save(payload, tmp)


_FIELDS: dict[str, type | tuple[type, ...]] = {
    "model_config": dict,
    "state_dict": dict,
    "train_config": dict,
    "optimizer": (dict, type(None)),
    "epoch": int,
    "batch": int,
    "step": int,
    "best_metric": (float, int, type(None)),
    "history": list,
    "seed": int,
    "data": dict,
    "torch_version": str,
}


def _read(p: Path, map_location: Any) -> Any:
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise CheckpointError(f"checkpoint not found: {p}") from None
    if not p.is_file():
        raise CheckpointError(f"checkpoint path is not a file: {p}")
    if size == 0:
        raise CheckpointError(
            f"{p}: checkpoint file is empty (0 bytes); the run that wrote it did not finish"
        )
    with open(p, "rb") as f:
        if f.read(4) != _ZIP_MAGIC:  # torch.save writes a zip archive; anything else is not ours
            raise CheckpointError(
                f"{p}: not a readable checkpoint, corrupt or truncated (not a torch.save archive)"
            )
    try:
        return torch.load(p, map_location=map_location, weights_only=True)
    except Exception as exc:  # noqa: BLE001 - torch.load raises many unrelated types for a damaged file
        text = str(exc)
        unpickles = re.search(r"GLOBAL ([\w.]+)", text)
        if unpickles:
            raise CheckpointError(
                f"{p}: refusing to load: the file wants to unpickle {unpickles.group(1)}, "
                "not only tensors and "
                "plain types; PointSkel checkpoints never do, so it is not one (or was tampered with)"
            ) from None
        reason = next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
        raise CheckpointError(f"{p}: not a readable checkpoint, corrupt or truncated ({reason})") from None


def _check_weights(p: Path, config: ModelConfig, state: dict[str, Any]) -> None:
    """Names, types, shapes and finiteness of the weights, against the config, allocating nothing."""
    try:
        expected = weight_shapes(config)
    except ConfigError as exc:
        raise CheckpointError(f"{p}: checkpoint's model config is invalid ({exc})") from None
    problems = []
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    if missing:
        problems.append(f"missing {', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}")
    if unexpected:
        problems.append(f"unexpected {', '.join(unexpected[:3])}{' ...' if len(unexpected) > 3 else ''}")
    for k, shape in expected.items():
        value = state.get(k)
        if value is None:
            continue
        if not isinstance(value, torch.Tensor) or value.dtype != torch.float32:
            problems.append(f"{k} is not a float32 tensor")
        elif tuple(value.shape) != shape:
            problems.append(f"{k} has shape {tuple(value.shape)}, the config needs {shape}")
        elif not torch.isfinite(value).all():
            problems.append(f"{k} holds NaN or infinite values (a damaged file)")
    if problems:
        raise CheckpointError(
            f"{p}: weights do not match the checkpoint's model config: {'; '.join(problems[:4])}"
        )


def load_checkpoint(path: str | os.PathLike, map_location: Any = "cpu") -> Checkpoint:
    """Read and check a checkpoint completely; every problem is a one-line CheckpointError."""
    p = Path(path)
    payload = _read(p, map_location)
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        found = payload.get("format") if isinstance(payload, dict) else type(payload).__name__
        raise CheckpointError(f"{p}: not a PointSkel checkpoint (format {found!r}, expected {FORMAT!r})")
    if payload.get("version") != VERSION:
        raise CheckpointError(
            f"{p}: checkpoint version {payload.get('version')!r} is not supported (this trainer "
            f"reads version {VERSION}); use the trainer that wrote it"
        )
    for key, kind in _FIELDS.items():
        value = payload.get(key)
        if not isinstance(value, kind) or kind is int and isinstance(value, bool):
            raise CheckpointError(f"{p}: checkpoint field {key!r} is missing or has the wrong type")
    try:
        config = ModelConfig.from_dict(payload["model_config"])
    except (ConfigError, TypeError) as exc:
        raise CheckpointError(f"{p}: checkpoint's model config is invalid ({exc})") from None
    _check_weights(p, config, payload["state_dict"])
    best = payload["best_metric"]
    return Checkpoint(
        config,
        payload["state_dict"],
        payload["train_config"],
        payload["optimizer"],
        payload["epoch"],
        payload["batch"],
        payload["step"],
        None if best is None else float(best),
        payload["history"],
        payload["seed"],
        payload["data"],
        payload["torch_version"],
    )
