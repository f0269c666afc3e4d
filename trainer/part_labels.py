"""What the part head learns: each point's body part and each figure's body plan, from the synthetic truth.

A point's part is the part of its nearest truth bone in the image plane, in the anatomy stage's
vocabulary (`core.skeleton.PARTS` without ""): a bone belongs to the joint it starts at (the
Blender convention of the anatomy contract: the joint heads the bone named after it, so the bone
from the neck to the head is neck, the one from the head to its crown head), and where the names
do not tell that joint's part (fingers, a tree's branches, an object) to the joint it ends at,
else to none (`IGNORE`: no loss). Parts come from the joint names and the figure's template
(`trainer.rig_metrics.truth_part`, the same reading the evaluation's part accuracy uses), so the
head learns exactly what is scored. A figure's body plan is its template's (`labels.figure_plan`:
`rig_metrics.PLANS` and the training data's artists' figures; the snake template's fish are fish, so
the anatomy stage may try its fish layout, whose fins the rules alone miss); trees and objects are
`generic`. Its points keep the parts its template's plan tells (a fish's tail stays `tail`).

Sample caches keep bones but not names, so the labels are derived once per cache from the
dataset's rigs (`cache_labels`): the cache's segments are each sample's rig bones in `Rig.bones`
order, whatever the view.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from pointskel_blender.core.skeleton import BODY_PLANS, PARTS

from . import DatasetError
from .labels import figure_plan
from .rig_metrics import truth_part
from .rignet import RIG_DIR, read_rig
from .samples import SampleCache, nearest_bone

PART_CLASSES = tuple(p for p in PARTS if p)  # the part head's outputs, in this order
PLAN_CLASSES = BODY_PLANS  # the body-plan output's, in this order
IGNORE = -1  # a point or figure without a label: no loss


def bone_classes(names: Sequence[str], parents: np.ndarray, category: str) -> np.ndarray:
    """(J - 1,) part class of each bone (parent, child) in `Rig.bones` order, or IGNORE."""
    plan = figure_plan(category, ())  # no names: a snake template's fish stays a serpent, as scored
    parts = [truth_part(n, plan) for n in names]
    out = np.full(len(names) - 1, IGNORE, dtype=np.int8)
    for child in range(1, len(names)):
        part = parts[int(parents[child])] or parts[child]
        if part:
            out[child - 1] = PART_CLASSES.index(part)
    return out


def plan_class(category: str, names: Sequence[str] = ()) -> int:
    """The body-plan class of a figure filed under `category` (a template name) whose joints are
    `names` (the snake template's fish, whose joints name fins, are fish); unknown: generic."""
    return PLAN_CLASSES.index(figure_plan(category, names) or "generic")


class CacheLabels(NamedTuple):
    """The labels of every sample of one cache."""

    bones: np.ndarray  # (total segments,) int8 part class of each cached segment, or IGNORE
    plans: np.ndarray  # (S,) int8 body-plan class of each sample


def load_templates(dataset: str | os.PathLike) -> dict[str, str]:
    """{item: template} of a synthetic dataset (its synthetic.json); other datasets have none."""
    from .eval_data import load_categories

    return load_categories(dataset)


def cache_labels(cache: SampleCache, dataset: str | os.PathLike, rig_dir: str = RIG_DIR) -> CacheLabels:
    """Part classes of the cache's segments and plan classes of its samples, read from the dataset's rigs."""
    templates = load_templates(dataset)
    per_item: dict[str, np.ndarray] = {}
    per_plan: dict[str, int] = {}
    bones = np.full(len(cache.segments), IGNORE, dtype=np.int8)
    plans = np.empty(len(cache), dtype=np.int8)
    for i, item in enumerate(cache.items.tolist()):
        category = templates.get(item, "")
        if item not in per_item:
            rig = read_rig(Path(dataset) / rig_dir / f"{item}.txt")
            per_item[item] = bone_classes(rig.names, rig.parents, category)
            per_plan[item] = plan_class(category, rig.names)
        start, end = cache.segment_start[i], cache.segment_start[i + 1]
        if end - start != len(per_item[item]):
            raise DatasetError(
                f"{dataset}: item {item} has {len(per_item[item])} bones but its cached sample "
                f"{end - start}; the cache was built from another dataset"
            )
        bones[start:end] = per_item[item]
        plans[i] = per_plan[item]
    return CacheLabels(bones, plans)


def point_parts(points: np.ndarray, segments: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """(N,) part class of each point: its nearest segment's (image plane), IGNORE where that has none."""
    index = nearest_bone(np.asarray(points, dtype=np.float32)[:, :2], segments)[2]
    return classes[index].astype(np.int64)
