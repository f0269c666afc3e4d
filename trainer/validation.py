"""Validation: contract the val clouds as the add-on does, build their skeletons, score them.

The metric that chooses `best.pt` is the skeletons' mean CD-J2J (x100 of the figure height), since a
cloud closer to the bones on average can still give worse skeletons; the contracted points' distance
to the bones (after every iteration) and the bones' coverage by them are recorded beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import torch

from pointskel_blender.core.topology import DEFAULT_SETTINGS, BoneTree, build_tree

from .losses import LOSS_SCALE, offset_loss
from .metrics import score_skeleton
from .model import GroupedOutput, PointNetOffsetPredictor
from .samples import SampleCache, bone_targets
from .torch_predictor import contract_cached
from .train_config import TrainConfig

COVERAGE_SPACING = 0.005  # normalized units between the bone points the coverage metric measures from


def bone_distance(clouds: np.ndarray, cache: SampleCache, indices: Sequence[int]) -> np.ndarray:
    """(S, M) distance of every point to its sample's bones (3-D: the bones lie at z = 0)."""
    return np.stack(
        [
            np.linalg.norm(bone_targets(c, cache.sample_segments(i)) - c, axis=1)
            for c, i in zip(clouds, indices)
        ]
    )


def bone_points(segments: np.ndarray, spacing: float = COVERAGE_SPACING) -> np.ndarray:
    """(P, 3) points every `spacing` (or closer) along (B, 2, 2) bones, ends included, at z = 0."""
    a, d = segments[:, 0], segments[:, 1] - segments[:, 0]
    counts = np.ceil(np.linalg.norm(d, axis=1) / spacing).astype(int) + 1
    bone = np.repeat(np.arange(len(segments)), counts)
    rank = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)  # 0..count-1 on each bone
    t = rank / np.repeat(np.maximum(counts - 1, 1), counts)  # a zero-length bone is one point, t = 0
    out = np.zeros((len(bone), 3), dtype=np.float32)
    out[:, :2] = a[bone] + t[:, None] * d[bone]
    return out


def bone_coverage(clouds: np.ndarray, cache: SampleCache, indices: Sequence[int]) -> tuple[int, float]:
    """(bone points, sum of their distances to the nearest point of their cloud): 0 when no bone is left bare.

    The distance of points to bones alone cannot see a contraction that collapses onto a few bones.
    """
    from scipy.spatial import cKDTree

    count, total = 0, 0.0
    for cloud, i in zip(clouds, indices):
        along = bone_points(cache.sample_segments(i))
        count += len(along)
        total += float(cKDTree(cloud).query(along)[0].sum())
    return count, total


def skeleton_score(
    points: np.ndarray,
    cache: SampleCache,
    i: int,
    voxel: float,
    joint_scores: np.ndarray | None = None,
    bone_length: float | None = None,
) -> tuple[float, float]:
    """(CD-J2J, joint F1) of the skeleton the add-on's topology builds from sample i's contracted cloud
    (splitting straight chains every `bone_length`, default the topology's own)."""
    settings = DEFAULT_SETTINGS
    if bone_length is not None:
        settings = replace(DEFAULT_SETTINGS, max_bone_voxels=bone_length / voxel)
    tree = build_tree(points, cache.shape(i).radius_at, voxel=voxel, settings=settings,
                      joint_scores=joint_scores)
    return tree_score(tree, cache, i)


def tree_score(tree: BoneTree, cache: SampleCache, i: int) -> tuple[float, float]:
    """(CD-J2J, joint F1) of a bone tree built from sample i's cloud, against its true joints."""
    shape = cache.shape(i)
    sample = slice(cache.joint_start[i], cache.joint_start[i + 1])
    rows = np.flatnonzero(cache.mask(i).any(axis=1))
    score = score_skeleton(
        shape.frame.to_pixels(tree.positions),
        tree.parents,
        cache.joints_px[sample],
        cache.parents[sample],
        float(rows[-1] - rows[0] + 1),
    )
    return score.cd_j2j, score.f1


@torch.no_grad()
def validate(
    model: PointNetOffsetPredictor,
    cache: SampleCache,
    indices: Sequence[int],
    config: TrainConfig,
    device: torch.device,
) -> list[float]:
    """Sums over `indices` that `summarize` turns into metrics (sums, so that processes can add them up).

    Each cloud is contracted by the add-on's own contraction (`torch_predictor.contract_cached`:
    the core's loop, early stop included), and the add-on's topology turns it (with the last
    iteration's joint scores, for a model with a joint head) into a skeleton scored against the true
    joints (`trainer.metrics`). Layout: [points, offset loss x points, bone points, coverage sum,
    samples, CD-J2J sum, F1 sum, distance sum of the lifted cloud, after iteration 1, ..., K]; a
    cloud that stopped early keeps its distance for the iterations it did not run.
    """
    model.eval()
    indices = list(indices)
    iterations = model.config.default_iterations
    totals = np.zeros(8 + iterations)
    count = cache.points.shape[1]
    after = np.zeros((len(indices), iterations))  # each cloud's distance sum after each iteration

    def step(j: int, k: int, points: np.ndarray, output: GroupedOutput) -> None:
        offsets = output.points[..., :3]
        if k == 0:
            target = torch.from_numpy(cache.targets[[indices[j]]] - points).to(device)
            totals[1] += float(offset_loss(offsets, target, config)) * count
        after[j, k] = bone_distance(points[None] + offsets.cpu().numpy(), cache, [indices[j]]).sum()

    for j, (i, result) in enumerate(zip(indices, contract_cached(model, cache, indices, device, step))):
        contracted = result.contraction
        ran = contracted.iterations
        after[j, ran:] = after[j, ran - 1] if ran else 0.0  # stopped early: its points stay put
        totals[0] += count
        totals[7] += bone_distance(cache.points[[i]], cache, [i]).sum()
        totals[2:4] += bone_coverage(contracted.points[None], cache, [i])
        totals[4] += 1
        totals[5:7] += skeleton_score(contracted.points, cache, i, config.voxel, contracted.joint_scores)
    totals[8:] = after.sum(axis=0)
    model.train()
    return totals.tolist()


def validation_indices(count: int, wanted: int | None) -> list[int]:
    """`wanted` of `count` samples spread evenly (every view of every character keeps its chance)."""
    if wanted is None or wanted >= count:
        return list(range(count))
    return np.unique(np.linspace(0, count - 1, wanted).round().astype(int)).tolist()


def summarize(totals: Sequence[float]) -> dict[str, Any]:
    """History fields from `validate`'s sums; val_metric: the skeletons' mean CD-J2J (x100 of height)."""
    distances = [LOSS_SCALE * d / totals[0] for d in totals[7:]]
    return {
        "val_loss": totals[1] / totals[0],
        "val_metric": totals[5] / totals[4],
        "val_f1": totals[6] / totals[4],
        "val_distance": distances,
        "val_coverage": LOSS_SCALE * totals[3] / totals[2],
    }
