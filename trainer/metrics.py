"""RigNet-style skeleton metrics, in 2-D image space normalized by figure height.

All distances are divided by the figure's height in pixels and multiplied by 100, as RigNet and its
successors report them: CD-J2J (joints to joints), CD-J2B (joints to bones), CD-B2B (bones to
bones, sampled densely), joint precision / recall / F1 / IoU under one-to-one Hungarian matching
within a tolerance, and the predicted-to-true joint-count ratio.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial import cKDTree

METRIC_NAMES = ("cd_j2j", "cd_j2b", "cd_b2b", "precision", "recall", "f1", "iou", "count_ratio")


@dataclass(frozen=True)
class SkeletonScore:
    cd_j2j: float
    cd_j2b: float
    cd_b2b: float
    precision: float
    recall: float
    f1: float
    iou: float
    count_ratio: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def sample_bones(joints: np.ndarray, parents: np.ndarray, spacing: float) -> np.ndarray:
    """Points every `spacing` along each bone (both ends included); joints alone for a boneless tree."""
    chunks = [joints]
    for child, parent in enumerate(parents):
        if parent < 0:
            continue
        a, b = joints[parent], joints[child]
        n = max(1, int(np.ceil(np.linalg.norm(b - a) / spacing)))
        t = np.linspace(0.0, 1.0, n + 1)[:, None]
        chunks.append(a + t * (b - a))
    return np.concatenate(chunks)


def _mean_nearest(a: np.ndarray, b: np.ndarray) -> float:
    return float(cKDTree(b).query(a)[0].mean())


def _segment_distance(points: np.ndarray, joints: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """Distance from each point to the nearest bone segment (or joint when there are no bones)."""
    bones = [(p, c) for c, p in enumerate(parents) if p >= 0]
    if not bones:
        return cKDTree(joints).query(points)[0]
    a = joints[[p for p, _ in bones]]
    ab = joints[[c for _, c in bones]] - a
    ap = points[:, None, :] - a[None]
    t = np.clip((ap * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-12), 0.0, 1.0)
    return np.linalg.norm(ap - t[..., None] * ab, axis=-1).min(axis=1)


def match_joints(pred: np.ndarray, true: np.ndarray, tolerance: float) -> int:
    """Joints matched one-to-one (Hungarian on distance) within `tolerance`."""
    if len(pred) == 0 or len(true) == 0:
        return 0
    cost = np.linalg.norm(pred[:, None] - true[None], axis=-1)
    big = tolerance * 1e3 + cost.max()
    rows, cols = linear_sum_assignment(np.where(cost <= tolerance, cost, big))
    return int(np.count_nonzero(cost[rows, cols] <= tolerance))


def score_skeleton(
    pred_joints: np.ndarray,
    pred_parents: np.ndarray,
    true_joints: np.ndarray,
    true_parents: np.ndarray,
    figure_height: float,
    *,
    tolerance: float = 0.05,
) -> SkeletonScore:
    """Score a predicted 2-D skeleton against the truth; `tolerance` is a fraction of figure height."""
    unit = float(figure_height)
    if unit <= 0:
        raise ValueError("figure height must be positive")
    p = np.asarray(pred_joints, np.float64)[:, :2] / unit
    t = np.asarray(true_joints, np.float64)[:, :2] / unit
    pp, tp = np.asarray(pred_parents), np.asarray(true_parents)
    spacing = 0.005
    cd_j2j = 0.5 * (_mean_nearest(p, t) + _mean_nearest(t, p))
    cd_j2b = 0.5 * (float(_segment_distance(p, t, tp).mean()) + float(_segment_distance(t, p, pp).mean()))
    bp, bt = sample_bones(p, pp, spacing), sample_bones(t, tp, spacing)
    cd_b2b = 0.5 * (_mean_nearest(bp, bt) + _mean_nearest(bt, bp))
    matched = match_joints(p, t, tolerance)
    precision = matched / len(p)
    recall = matched / len(t)
    f1 = 0.0 if matched == 0 else 2 * precision * recall / (precision + recall)
    iou = matched / (len(p) + len(t) - matched)
    return SkeletonScore(100 * cd_j2j, 100 * cd_j2b, 100 * cd_b2b, precision, recall, f1, iou,
                         len(p) / len(t))


def mean_scores(scores: list[SkeletonScore]) -> dict[str, float]:
    return {name: float(np.mean([getattr(s, name) for s in scores])) for name in METRIC_NAMES}
