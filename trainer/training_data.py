"""What a training run reads: sample caches named by what they hold, and augmented batches from them.

A cache file is named by a digest of the dataset (folder, split ids, file sizes and times) and of
every sample setting, so a run reuses a cache exactly when it would build the same one, and a
changed dataset or setting gets a new file instead of a stale one. Batches draw every random
number from a generator keyed by (seed, epoch, sample index): a sample gets the same augmentation
whatever the batch size, the number of processes or an interruption and resume.

A `Batch` also carries the part head's labels (`trainer.labels`) of the points it draws: `parts`
and `sides` (B, n) int64, indices in `core.skeleton.PARTS` (0: no part told) and `SIDES`;
`body_plans` and `facings` (B,) int64, indices in `BODY_PLANS` and `FACINGS` (-1: unknown). They
follow the first seven fields, which stay as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch

from pointskel_blender.core.contract.geometric import GeometricPredictor
from pointskel_blender.core.settings import PipelineSettings

from .rignet import MESH_DIR, RIG_DIR, RigNetDataset
from .samples import (
    CACHE_VERSION,
    DEFAULT_VIEWS,
    ImageAugment,
    PointAugment,
    SampleCache,
    augment_points,
    build_sample_cache,
    joint_targets,
)


@dataclass(frozen=True)
class SampleSettings:
    """How a split's characters become cached samples (`samples.build_sample_cache` arguments)."""

    views: tuple[str | float, ...] = DEFAULT_VIEWS
    points: int = PipelineSettings.points  # per cached cloud: the add-on's default; training draws subsets
    resolution: int = 256
    up: str = "y"
    margin: float = 0.08
    seed: int = 0
    limit: int | None = None  # first characters of each split only (quick runs)
    mesh_dir: str = MESH_DIR
    rig_dir: str = RIG_DIR


def cache_path(
    dataset_dir: str | os.PathLike,
    split: str,
    settings: SampleSettings,
    folder: str | os.PathLike,
) -> Path:
    """`folder/samples-<split>-<digest>.npz`, the digest covering the dataset files and the settings."""
    dataset = RigNetDataset(dataset_dir, split, mesh_dir=settings.mesh_dir, rig_dir=settings.rig_dir)
    ids = dataset.ids[: settings.limit]
    files = []
    for item in ids:
        for path in (dataset.mesh_path(item), dataset.rig_path(item)):
            try:
                info = path.stat()
                files.append([info.st_size, info.st_mtime_ns])
            except FileNotFoundError:
                files.append(None)  # the cache build reports the missing file
    key = {
        "dataset": str(dataset.root.resolve()),
        "split": split,
        "ids": list(ids),
        "files": files,
        "settings": asdict(settings),
        "image_augment": asdict(ImageAugment()),
        "cache_version": CACHE_VERSION,
    }
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
    return Path(folder) / f"samples-{split}-{digest}.npz"


def ensure_cache(
    dataset_dir: str | os.PathLike,
    split: str,
    settings: SampleSettings,
    folder: str | os.PathLike,
    *,
    workers: int = 2,
    progress: bool = True,
) -> Path:
    """The cache file for this split and these settings, built first if it is not there yet."""
    path = cache_path(dataset_dir, split, settings, folder)
    if not path.is_file():
        build_sample_cache(
            dataset_dir,
            split,
            path,
            views=settings.views,
            points=settings.points,
            resolution=settings.resolution,
            up=settings.up,
            margin=settings.margin,
            seed=settings.seed,
            workers=workers,
            limit=settings.limit,
            mesh_dir=settings.mesh_dir,
            rig_dir=settings.rig_dir,
            progress=progress,
        )
    return path


def describe(cache: SampleCache, path: Path) -> dict:
    """What a checkpoint records about its data: the cache's own metadata, file name and sample count."""
    return {
        "cache": path.name,
        "samples": len(cache),
        "characters": len(set(cache.items.tolist())),
        **cache.meta,
    }


class Batch(NamedTuple):
    """One training step's clouds, what the model reads and what the losses compare against."""

    points: np.ndarray  # (B, n, 3) augmented clouds
    geometric: np.ndarray | None  # (B, n, 3) the geometric predictor's offsets there (geometric input)
    offsets: np.ndarray  # (B, n, 3) to the nearest bone point
    segments: np.ndarray  # (B, S, 2, 2) each cloud's projected bones, padded to the most bones
    segment_valid: np.ndarray  # (B, S) bool: which of `segments` are real
    along_bones: np.ndarray  # (B, K, 2) points spread along each cloud's bones (by length), for coverage
    joints: np.ndarray  # (B, n) joint-score targets (`samples.joint_targets`)
    # the part head's labels (`trainer.labels`), int64 for torch's losses:
    parts: np.ndarray  # (B, n) each point's part, index in core.skeleton.PARTS (0: none told)
    sides: np.ndarray  # (B, n) each point's side, index in core.skeleton.SIDES (0: unsided)
    body_plans: np.ndarray  # (B,) index in core.skeleton.BODY_PLANS, -1 unknown
    facings: np.ndarray  # (B,) index in core.skeleton.FACINGS, -1 unknown


BONE_SAMPLES = 64  # points along the bones per cloud that the coverage loss reaches for


def _along(segments: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` points on the segments, uniform by length (a zero-length rig gives its joints)."""
    length = np.linalg.norm(segments[:, 1] - segments[:, 0], axis=1)
    weights = length / length.sum() if length.sum() > 0 else np.full(len(length), 1 / len(length))
    bone = rng.choice(len(segments), count, p=weights)
    t = rng.random((count, 1), dtype=np.float32)
    return segments[bone, 0] + t * (segments[bone, 1] - segments[bone, 0])


def make_batch(
    cache: SampleCache,
    indices: Sequence[int],
    points: int,
    *,
    seed: int,
    epoch: int,
    augment: PointAugment,
    geometric: bool = False,
) -> Batch:
    """Augmented clouds with their targets (and the geometric predictor's offsets if `geometric`).

    Each cloud is a random subset of `points` of the cached cloud (the add-on's groups are uniform
    subsamples too), then partially contracted and jittered (`samples.augment_points`).
    """
    clouds = np.empty((len(indices), points, 3), dtype=np.float32)
    offsets = np.empty_like(clouds)
    hints = np.empty_like(clouds) if geometric else None
    bones = [cache.sample_segments(int(i)) for i in indices]
    segments = np.zeros((len(indices), max(len(b) for b in bones), 2, 2), dtype=np.float32)
    valid = np.zeros(segments.shape[:2], dtype=bool)
    along = np.empty((len(indices), BONE_SAMPLES, 2), dtype=np.float32)
    joints = np.empty(clouds.shape[:2], dtype=np.float32)
    parts = np.empty(clouds.shape[:2], dtype=np.int64)
    sides = np.empty(clouds.shape[:2], dtype=np.int64)
    predictor = GeometricPredictor()
    for row, i in enumerate(indices):
        rng = np.random.default_rng([seed, epoch, int(i)])
        cloud = cache.points[i]
        chosen = np.arange(len(cloud))
        if len(cloud) > points:
            chosen = rng.choice(len(cloud), points, replace=False)
            cloud = cloud[chosen]
        # a point keeps its labels when augmentation moves it (toward its own bone, mostly)
        parts[row], sides[row] = cache.point_parts[i][chosen], cache.point_sides[i][chosen]
        moved, targets = augment_points(cloud, bones[row], rng, augment)
        clouds[row] = moved
        offsets[row] = targets - moved
        segments[row, : len(bones[row])] = bones[row]
        valid[row, : len(bones[row])] = True
        along[row] = _along(bones[row], BONE_SAMPLES, rng)
        joints[row] = joint_targets(moved, bones[row])
        if hints is not None:
            hints[row] = predictor.predict(moved, cache.shape(int(i)))
    plans, facings = (a[np.asarray(indices)].astype(np.int64) for a in (cache.body_plans, cache.facings))
    return Batch(clouds, hints, offsets, segments, valid, along, joints, parts, sides, plans, facings)


class EpochBatches(torch.utils.data.Dataset):
    """The batches of one epoch as a dataset of batches, so DataLoader workers can assemble them ahead."""

    def __init__(
        self,
        cache: SampleCache,
        batches: Sequence[Sequence[int]],
        points: int,
        *,
        seed: int,
        epoch: int,
        augment: PointAugment,
        geometric: bool = False,
    ) -> None:
        self.cache, self.batches, self.points = cache, batches, points
        self.seed, self.epoch, self.augment, self.geometric = seed, epoch, augment, geometric

    def __len__(self) -> int:
        return len(self.batches)

    def __getitem__(self, number: int) -> Batch:
        return make_batch(
            self.cache,
            self.batches[number],
            self.points,
            seed=self.seed,
            epoch=self.epoch,
            augment=self.augment,
            geometric=self.geometric,
        )
