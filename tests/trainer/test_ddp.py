"""DistributedDataParallel on CPU: two gloo processes take one step and agree with each other and
with one process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import torch
import torch.multiprocessing as mp
from tiny_training import TINY_ARGS, TINY_MODEL, make_dataset, tiny_config

from trainer.checkpoint import load_checkpoint
from trainer.model import PointNetOffsetPredictor
from trainer.train import TrainConfig, train

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # each process imports torch and the trainer: several seconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rank(rank: int, world: int, port: int, config: TrainConfig, out: str) -> None:
    """One torchrun-style process: the environment torchrun would set, then an ordinary train() call."""
    os.environ.update(
        MASTER_ADDR="127.0.0.1",
        MASTER_PORT=str(port),
        RANK=str(rank),
        WORLD_SIZE=str(world),
        LOCAL_RANK=str(rank),
    )
    result = train(config, TINY_MODEL)
    torch.save(
        {"weights": result.model.state_dict(), "history": result.history}, Path(out) / f"rank{rank}.pt"
    )


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("data"))


def test_two_gloo_processes_end_with_identical_weights_equal_to_one_process(dataset, tmp_path) -> None:
    # max_minutes=0: stop after the first step; the cache folder is empty, so rank 0 builds while rank 1 waits
    config = tiny_config(dataset, tmp_path / "ddp", tmp_path / "cache", batch_size=2, max_minutes=0.0)
    mp.spawn(_rank, args=(2, _free_port(), config, str(tmp_path)), nprocs=2, join=True)
    ranks = [torch.load(tmp_path / f"rank{r}.pt", weights_only=True) for r in range(2)]
    a, b = ranks[0]["weights"], ranks[1]["weights"]
    assert all(torch.equal(a[k], b[k]) for k in a)
    timing = ("samples_per_s", "minutes")  # each process's own clock
    metrics = [[{k: v for k, v in h.items() if k not in timing} for h in r["history"]] for r in ranks]
    assert metrics[0] == metrics[1]  # losses and metrics are all-reduced, not per process
    written = load_checkpoint(tmp_path / "ddp" / "last.pt")
    assert written.step == 1 and all(torch.equal(written.state_dict[k], a[k]) for k in a)

    # One process with the two per-process batches as one batch takes the same step.
    single = train(replace(config, out=str(tmp_path / "single"), batch_size=4), TINY_MODEL)
    weights = single.model.state_dict()
    assert all(torch.allclose(weights[k], a[k], atol=1e-6) for k in weights)
    torch.manual_seed(config.seed)
    initial = PointNetOffsetPredictor(TINY_MODEL).state_dict()  # what train() starts from
    assert not any(
        torch.equal(a[k], initial[k]) for k in ("out.weight", "point.0.weight")
    )  # a step was taken
    assert single.history[0]["val_metric"] == pytest.approx(ranks[0]["history"][0]["val_metric"], rel=1e-5)


def test_torchrun_command_line(dataset, tmp_path) -> None:
    out = tmp_path / "run"
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node",
        "2",
        "-m",
        "trainer.train",
        "--data",
        str(dataset),
        "--out",
        str(out),
        "--max-minutes",
        "0",
        "--batch-size",
        "2",
        *[a for a in TINY_ARGS if a != "--quiet"],
    ]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        command, check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert load_checkpoint(out / "last.pt").step == 1
    assert done.stdout.count("stopped at the time budget") == 1  # only rank 0 reports
    assert done.stderr.count("model: ") == 1
