"""What each point and each figure of a training sample is: the labels a learned part head learns.

The truth rig's joint names tell each joint's role (`rig_metrics.truth_part`, in the anatomy stage's
vocabulary `core.skeleton.PARTS`, and its side); the dataset's template tells the body plan. From
them a sample cache (`trainer.samples`) stores, beside its offset targets (which stay as they were):

- `point_parts` (S, n) int8: per cached cloud point, the index in `PARTS` of the part of its
  nearest truth bone (nearest in the image plane, like the offset targets); 0 (`""`) where the
  names tell no part (trees, objects, a figure of unknown plan).
- `point_sides` (S, n) int8: that bone's side, the index in `core.skeleton.SIDES` (`""`, `"L"`,
  `"R"`): the character's own side, which a mirrored view does not swap.
- `body_plans` (S,) int8: the figure's index in `BODY_PLANS`; -1 where the dataset files no
  template (RigNet's data).
- `facings` (S,) int8: where the figure's front points in the picture, the index in `FACINGS`
  (`viewer`, `left`, `right`); -1 where the rig does not tell its front.
- `forwards` (S, 3) float32: that front as a unit vector in the lift's normalized frame (x image
  right, y up, z toward the viewer); zeros where unknown.

Training batches (`training_data.Batch`) carry the same labels for the points they draw: `parts`,
`sides` (B, n) and `body_plans`, `facings` (B,), all int64.

A bone (parent, child) takes its parent joint's part (a bone is named after its head, as in the
anatomy contract), except where a chain leaves the trunk: a bone from a spine joint to a joint of
another part is that part's first bone (chest to the first neck joint, hips to the tail, a
spider's body to its first knee), unless that joint is a socket (`SOCKETS`: a shoulder, hip, wing
or fin base placed inside the body), whose link to the spine runs through the torso and stays
spine, so that a fat body's points are the trunk's. Joints whose names tell no part but hang from
a limb, tail, ear or fin (fingers) take their parent's part. A figure's front comes from its sides: its left
(the `.L` less the `.R` first joints of its sided chains: shoulders, hips, fins) turned about the
up axis to face forward; a figure without sides (snakes) faces where its head is from the middle
of its joints.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from pointskel_blender.core.skeleton import BODY_PLANS, FACINGS, PARTS, SIDES

from .rig_metrics import PLANS, joint_sides, truth_part

UNKNOWN = -1
# plans of the templates that the evaluation sets' table (`rig_metrics.PLANS`) does not file
_MORE_PLANS = {"tree": "generic", "object": "generic", "artist_biped": "biped",
               "artist_quadruped": "quadruped"}
_INHERITING = ("arm", "leg", "front_leg", "hind_leg", "wing", "tail", "ear", "fin")  # a finger is its hand's
# first joints of limbs that sit inside the body (names without side, front_/hind_ or numbering)
SOCKETS = ("shoulder", "hip", "pelvis", "wing", "pectoral_fin", "dorsal_fin")
_MIN_SPREAD = 1e-3  # of the figure's size: sides (or head and middle) closer than this tell no front


@dataclass(frozen=True, eq=False)
class Labels:
    """One sample's labels (see the table above)."""

    point_parts: np.ndarray  # (n,) int8
    point_sides: np.ndarray  # (n,) int8
    body_plan: int
    facing: int
    forward: np.ndarray  # (3,) float32


def figure_plan(category: str, names: Sequence[str]) -> str:
    """The body plan of a figure filed under template `category`, "" if unknown; the snake
    template's fish (its joints name fins) are fish."""
    plan = PLANS.get(category) or _MORE_PLANS.get(category, "")
    if plan == "serpent" and any("fin" in n for n in names):
        return "fish"
    return plan


def joint_roles(names: Sequence[str], parents: np.ndarray, plan: str) -> tuple[list[str], list[str]]:
    """Each truth joint's part and side (parents come first in a rig)."""
    parts = [truth_part(n, plan) for n in names]
    sides = list(joint_sides(names))
    for j, p in enumerate(parents):
        if p >= 0 and not parts[j] and parts[p] in _INHERITING:
            parts[j], sides[j] = parts[p], sides[j] or sides[p]
    return parts, sides


def _socket(name: str) -> bool:
    stem = name.split(".")[0].removeprefix("front_").removeprefix("hind_")
    return stem in SOCKETS


def bone_labels(names: Sequence[str], parents: np.ndarray, plan: str) -> tuple[np.ndarray, np.ndarray]:
    """(B,) int8 part and side indices of the rig's bones, in `Rig.bones` order (by child)."""
    parts, sides = joint_roles(names, parents, plan)
    part_ids, side_ids = np.zeros(len(names) - 1, np.int8), np.zeros(len(names) - 1, np.int8)
    for child in range(1, len(names)):
        parent = int(parents[child])
        leaves_trunk = parts[parent] == "spine" and parts[child] not in ("", "spine")
        leaves_trunk = leaves_trunk and not _socket(names[child])
        owner = child if leaves_trunk or not parts[parent] else parent
        part_ids[child - 1] = PARTS.index(parts[owner])
        side_ids[child - 1] = SIDES.index(sides[owner])
    return part_ids, side_ids


def _socket_pairs(names: Sequence[str], parents: np.ndarray) -> list[tuple[int, int]]:
    """(left, right) joints of each pair of sided chains' first joints (shoulder, hip, fin sockets):
    placed symmetrically, unlike hands and feet that each side poses its own way."""
    sides = joint_sides(names)
    index = {n: j for j, n in enumerate(names)}
    pairs = []
    for j, name in enumerate(names):
        if sides[j] == "L" and parents[j] >= 0 and not sides[parents[j]]:
            twin = index.get(name.replace(".L", ".R"))
            if twin is not None:
                pairs.append((j, twin))
    return pairs


def figure_forward(names: Sequence[str], parents: np.ndarray, positions: np.ndarray,
                   up: np.ndarray) -> np.ndarray:
    """(3,) the figure's front as a horizontal unit vector in the rig's frame (`up`: its up axis),
    zeros if the rig does not tell it."""
    positions = np.asarray(positions, dtype=np.float64)
    up = np.asarray(up, dtype=np.float64)
    pairs = _socket_pairs(names, parents)
    if pairs:
        across = sum(positions[left] - positions[right] for left, right in pairs)
        forward = np.cross(across, up)  # left x up: +X x +Y = +Z for RigNet's figures
    elif "head" in names:
        forward = positions[list(names).index("head")] - positions.mean(axis=0)
    else:
        return np.zeros(3)
    forward = forward - (forward @ up) * up
    size = float(np.ptp(positions, axis=0).max()) or 1.0
    norm = float(np.linalg.norm(forward))
    return forward / norm if norm > _MIN_SPREAD * size else np.zeros(3)


def facing_index(forward_view: np.ndarray) -> int:
    """The index in `FACINGS` of a front given in the view frame (x image right, z toward the
    viewer): `left`/`right` when it points more across the picture than toward or away from the
    viewer, else `viewer` (a figure seen from behind reads as a front view too); -1 for none."""
    x, _, z = (float(v) for v in forward_view)
    if x == 0 and z == 0:
        return UNKNOWN
    if abs(x) > abs(z):
        return FACINGS.index("left" if x < 0 else "right")
    return FACINGS.index("viewer")


def sample_labels(names: Sequence[str], parents: np.ndarray, positions: np.ndarray, category: str,
                  nearest: np.ndarray, rotation: np.ndarray, up: np.ndarray) -> Labels:
    """A sample's labels: `nearest` (n,) is each point's nearest bone (`Rig.bones` order), `rotation`
    the camera's (rows: image right, image up, toward the viewer, as the lift's frame), `up` the
    rig's up axis. Things (trees, objects) face nowhere."""
    plan = figure_plan(category, names)
    bone_parts, bone_sides = bone_labels(names, parents, plan)
    forward = np.zeros(3) if plan == "generic" else rotation @ figure_forward(names, parents, positions, up)
    return Labels(bone_parts[nearest], bone_sides[nearest], BODY_PLANS.index(plan) if plan else UNKNOWN,
                  facing_index(forward), forward.astype(np.float32))
