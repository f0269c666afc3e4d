"""Where the rig goes in Blender: the frame change, bone heads/tails, and envelope weights.

Pure numpy (no `bpy`), so the geometry decisions are testable on their own and the scene builder
only copies arrays into Blender data. Blender space here is the rig's local space: the character
faces -Y, its left is +X, Z up, the floor under the figure at Z = 0 and its centre on X = Y = 0.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .core.errors import PointSkelError
from .core.lift import LiftedShape

_UP = np.array([0.0, 0.0, 1.0])


@dataclass(frozen=True)
class Placement:
    """Normalized frame (x right, y up, z toward the viewer) -> Blender local metres."""

    scale: float  # metres per normalized unit
    floor_y: float  # normalized y of the figure's lowest point

    def to_blender(self, positions: np.ndarray) -> np.ndarray:
        p = np.asarray(positions, dtype=np.float64).reshape(-1, 3)
        return np.stack([p[:, 0], -p[:, 2], p[:, 1] - self.floor_y], axis=-1) * self.scale


def placement_for(shape: LiftedShape, height: float) -> Placement:
    """Scale so the silhouette's bounding box is `height` metres tall, standing at Z = 0.

    The mask's rows give the figure's exact top and bottom (a point sample would fall short).
    """
    if not height > 0:
        raise PointSkelError(f"the character height must be positive, got {height}")
    rows = np.flatnonzero(np.asarray(shape.mask).any(axis=1))
    if rows.size == 0:
        raise PointSkelError("the mask is empty: nothing to place in the scene")
    top_px, bottom_px = rows[0] / shape.work_scale, (rows[-1] + 1) / shape.work_scale
    px_per_unit = shape.frame.px_per_unit
    figure_height = (bottom_px - top_px) / px_per_unit
    return Placement(scale=height / figure_height, floor_y=(shape.frame.center_px[1] - bottom_px) / px_per_unit)


@dataclass(frozen=True)
class BoneLayout:
    heads: np.ndarray  # (J, 3)
    tails: np.ndarray  # (J, 3)
    connected: np.ndarray  # (J,) bool: the head sits on the parent's tail


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return np.divide(v, n, out=np.zeros_like(v), where=n > 0)


def layout_bones(heads: np.ndarray, parents: Sequence[int | None], radii: np.ndarray,
                 min_length: float) -> BoneLayout:
    """One bone per joint: the tail goes to the child that continues the chain most straightly.

    The root's chain continues upward; a leaf extends along its incoming direction by its
    thickness (a limb tip's joint sits about that far inside the outline), at most half its parent
    segment. Every bone is at least `min_length` long, since
    Blender silently deletes zero-length bones.
    """
    heads = np.asarray(heads, dtype=np.float64)
    radii = np.asarray(radii, dtype=np.float64)
    count = len(heads)
    parent = np.array([-1 if p is None else int(p) for p in parents])
    incoming = np.where(parent[:, None] >= 0, heads - heads[np.maximum(parent, 0)], 0.0)
    incoming_dir = _unit(incoming)
    incoming_dir[np.linalg.norm(incoming_dir, axis=1) == 0] = _UP

    tails = np.empty_like(heads)
    connected = np.zeros(count, dtype=bool)
    for j in range(count):
        kids = np.flatnonzero(parent == j)
        offsets = heads[kids] - heads[j]
        lengths = np.linalg.norm(offsets, axis=1)
        kids, offsets = kids[lengths >= min_length], offsets[lengths >= min_length]
        if kids.size:
            reference = _UP if parent[j] < 0 else incoming_dir[j]
            best = int(np.argmax(_unit(offsets) @ reference))
            tails[j] = heads[kids[best]]
            connected[kids[best]] = True
        else:
            incoming_length = float(np.linalg.norm(incoming[j]))
            length = radii[j] if incoming_length == 0 else min(radii[j], 0.5 * incoming_length)
            tails[j] = heads[j] + incoming_dir[j] * max(float(length), min_length)
    return BoneLayout(heads, tails, connected)


def envelope_weights(vertices: np.ndarray, heads: np.ndarray, tails: np.ndarray, radii: np.ndarray,
                     *, max_influences: int = 4) -> np.ndarray:
    """(V, B) weights from the distance to each bone segment, falling off over twice its radius.

    A vertex beyond every envelope is given wholly to its nearest bone, so no vertex is left
    unweighted; at most `max_influences` bones per vertex (what glTF skins carry), rows sum to 1.
    """
    v = np.asarray(vertices, dtype=np.float64)[:, None, :]
    a, b = np.asarray(heads, np.float64)[None], np.asarray(tails, np.float64)[None]
    ab = b - a
    t = np.clip(np.sum((v - a) * ab, axis=-1) / np.maximum(np.sum(ab * ab, axis=-1), 1e-18), 0.0, 1.0)
    distance = np.linalg.norm(v - (a + t[..., None] * ab), axis=-1)
    reach = 2.0 * np.maximum(np.asarray(radii, np.float64), 1e-9)[None]
    weights = np.clip(1.0 - distance / reach, 0.0, 1.0) ** 2
    rows = np.arange(len(weights))
    orphans = weights.max(axis=1) <= 0
    weights[rows[orphans], np.argmin(distance[orphans], axis=1)] = 1.0
    if weights.shape[1] > max_influences:
        weakest = np.argpartition(weights, -max_influences, axis=1)[:, :-max_influences]
        np.put_along_axis(weights, weakest, 0.0, axis=1)
    return (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)
