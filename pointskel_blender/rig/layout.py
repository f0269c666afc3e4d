"""The armature's bones: which joints make bones, their heads, tails, parents and rolls.

Pure numpy (no `bpy`), so the decisions are testable on their own and the scene builder only copies
arrays into Blender data. Positions are Blender's (see `placement`). Two layouts:
- a skeleton with body parts (the anatomy contract): one bone per joint with children, running to
  `Skeleton.tail_child`; tips make no bone;
- a skeleton without parts (format 1, no anatomy stage): one bone per joint, the tail at the child
  that continues the chain most straightly, leaves extended by their thickness (as before parts).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.skeleton import Skeleton

_UP = np.array([0.0, 0.0, 1.0])
_FRONT = np.array([0.0, -1.0, 0.0])
# A bone this close to the Y axis (|cos| above it) rolls its Z axis up instead of to the front.
_ALONG_Y = 0.9


@dataclass(frozen=True)
class BoneLayout:
    """Bones in Blender's rig space; bone k is named after joint `joints[k]` and starts there."""

    names: list[str]
    joints: np.ndarray  # (B,) joint index of each bone's head
    parents: np.ndarray  # (B,) parent bone index, -1 for none
    heads: np.ndarray  # (B, 3)
    tails: np.ndarray  # (B, 3)
    connected: np.ndarray  # (B,) bool: the head sits on the parent's tail
    roll_axes: np.ndarray  # (B, 3) where each bone's Z axis points (Blender's align_roll)


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return np.divide(v, n, out=np.zeros_like(v), where=n > 0)


def roll_axes(heads: np.ndarray, tails: np.ndarray) -> np.ndarray:
    """Z axes to the character's front (-Y), a fixed axis X-mirroring keeps (mirrored rolls for `.L`/`.R`);
    bones running front to back (a quadruped's spine, a snake) point theirs up, so every joint bends
    about its side-to-side X axis."""
    along = np.abs(_unit(tails - heads)[:, 1]) > _ALONG_Y
    return np.where(along[:, None], _UP, _FRONT)


def _stub_tails(heads: np.ndarray, parents: np.ndarray, radii: np.ndarray, min_length: float) -> np.ndarray:
    """Format-1 tails: the straightest child (upward from the root), leaves extended by their thickness."""
    incoming = np.where(parents[:, None] >= 0, heads - heads[np.maximum(parents, 0)], 0.0)
    incoming_dir = _unit(incoming)
    incoming_dir[np.linalg.norm(incoming_dir, axis=1) == 0] = _UP
    tails = np.empty_like(heads)
    for j in range(len(heads)):
        kids = np.flatnonzero(parents == j)
        offsets = heads[kids] - heads[j]
        keep = np.linalg.norm(offsets, axis=1) >= min_length
        kids, offsets = kids[keep], offsets[keep]
        if kids.size:
            reference = _UP if parents[j] < 0 else incoming_dir[j]
            tails[j] = heads[kids[int(np.argmax(_unit(offsets) @ reference))]]
        else:
            incoming_length = float(np.linalg.norm(incoming[j]))
            length = radii[j] if incoming_length == 0 else min(radii[j], 0.5 * incoming_length)
            tails[j] = heads[j] + incoming_dir[j] * max(float(length), min_length)
    return tails


def layout_bones(skeleton: Skeleton, heads: np.ndarray, radii: np.ndarray, min_length: float) -> BoneLayout:
    """The bones of `skeleton` whose joints sit at `heads` (Blender space, radii likewise in metres).

    Every bone is at least `min_length` long (Blender silently deletes zero-length bones): a tail
    closer than that to its head moves on along the parent's direction (up for the root).
    """
    heads = np.asarray(heads, dtype=np.float64)
    radii = np.asarray(radii, dtype=np.float64)
    joint_parents = np.array([-1 if j.parent is None else j.parent for j in skeleton.joints])
    if any(j.part for j in skeleton.joints):
        joints = np.array([i for i in range(len(heads)) if skeleton.children(i)], dtype=np.intp)
        tail_joint = np.array([skeleton.tail_child(int(i)) for i in joints], dtype=np.intp)
        tails = heads[tail_joint].copy()
        bone_of = {int(j): k for k, j in enumerate(joints)}
        parents = np.array([bone_of.get(int(joint_parents[j]), -1) for j in joints], dtype=np.intp)
        connected = np.array([p >= 0 and tail_joint[p] == j for p, j in zip(parents, joints)], dtype=bool)
    else:
        joints = np.arange(len(heads))
        tails = _stub_tails(heads, joint_parents, radii, min_length)
        parents = joint_parents
        connected = np.array([p >= 0 and np.allclose(tails[p], heads[j]) for j, p in enumerate(parents)],
                             dtype=bool)
    starts = heads[joints]
    if len(joints) == 0:  # a lone joint, or a root with only tips below it: one bone, pointing up
        joints, parents, starts = np.array([skeleton.root]), np.array([-1]), heads[[skeleton.root]]
        tails, connected = starts + _UP * min_length, np.array([False])
    short = np.linalg.norm(tails - starts, axis=1) < min_length
    if short.any():
        along = np.where(parents[:, None] >= 0, starts - starts[np.maximum(parents, 0)], _UP)
        along = _unit(along)
        along[np.linalg.norm(along, axis=1) == 0] = _UP
        tails[short] = starts[short] + along[short] * min_length
        connected &= ~np.isin(parents, np.flatnonzero(short))
    names = [skeleton.joints[int(j)].name for j in joints]
    return BoneLayout(names, joints, parents, starts, tails, connected, roll_axes(starts, tails))


def bone_radii(layout: BoneLayout, skeleton: Skeleton, scale: float) -> np.ndarray:
    """Each bone's thickness in metres: its head joint's radius, at least 0.2 % of the figure (bone
    envelopes and the weights' envelope fallback need a thickness above zero)."""
    radii = np.array([skeleton.joints[int(j)].radius for j in layout.joints]) * scale
    return np.maximum(radii, 0.002 * scale)
