"""Tiny real training set-ups shared by the trainer tests: a few synthetic characters, a small net."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import torch

from trainer.model import ModelConfig, PointNetOffsetPredictor
from trainer.samples import PointAugment
from trainer.synthetic import generate
from trainer.train import TrainConfig
from trainer.training_data import SampleSettings

TINY_MODEL = ModelConfig(
    point_widths=(16, 32),
    local_width=16,
    neighbours=4,
    anchors=32,
    global_width=32,
    head_widths=(32, 16),
    expected_points=128,
    default_iterations=2,
)
TINY_SAMPLES = SampleSettings(views=("front", "side"), points=256, resolution=64)
# The CLI flags of TINY_MODEL and TINY_SAMPLES.
TINY_ARGS = [
    "--point-widths",
    "16",
    "32",
    "--local-width",
    "16",
    "--neighbours",
    "4",
    "--anchors",
    "32",
    "--global-width",
    "32",
    "--head-widths",
    "32",
    "16",
    "--expected-points",
    "128",
    "--iterations",
    "2",
    "--views",
    "front",
    "side",
    "--cache-points",
    "256",
    "--resolution",
    "64",
    "--workers",
    "1",
    "--threads",
    "1",
    "--quiet",
]


def stand_in_geometric(cloud: torch.Tensor) -> torch.Tensor:
    """A deterministic stand-in for the geometric predictor's offsets: toward the plane x = 0, z = 0."""
    return -cloud * torch.tensor([1.0, 0.0, 1.0], dtype=cloud.dtype)


def run(model: PointNetOffsetPredictor, cloud: torch.Tensor) -> torch.Tensor:
    """The model's offsets; a model that reads geometric offsets gets `stand_in_geometric`."""
    if not model.config.geometric_input:
        return model(cloud)
    return model(cloud, stand_in_geometric(cloud))


def make_dataset(folder: Path, count: int = 10, seed: int = 3) -> Path:
    """`count` synthetic characters in RigNet format (80/10/10 split)."""
    generate(folder, count, seed, workers=1, progress=False)
    return folder


def tiny_config(data: Path, out: Path, cache: Path, **changes) -> TrainConfig:
    config = TrainConfig(
        data=str(data),
        out=str(out),
        cache=str(cache),
        samples=TINY_SAMPLES,
        workers=1,
        epochs=2,
        batch_size=4,
        threads=1,
        progress=False,
        augment=PointAugment(),
    )
    return replace(config, **changes)
