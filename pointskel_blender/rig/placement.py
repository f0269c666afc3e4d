"""Where the figure stands in Blender: turned to face -Y, centred on its mirror plane, on the floor.

Pure numpy (no `bpy`). The skeleton, the clouds and the image mesh all go through one `Placement`, so
they stay together. Blender space here is the rig's local space (the 3D cursor is its origin): the
character faces -Y, its left is +X, Z is up, its lowest point is at Z = 0.

- Turning (the anatomy contract's frames): a front view maps (x, y, z) -> (x, -z, y); a side view with
  the head toward image left (z, x, y), toward image right (-z, -x, y); a top view lies on the ground
  with the head toward -Y. Without an anatomy the figure is taken as a front view.
- Centring: a figure that mirrors across a vertical line of the image (the fox with its tail still
  does) is centred on that line, so X-mirror and Symmetrize work; otherwise on its bounding box. Side
  views are centred on the body's mid-plane (z = 0 of the lift).
- Size: "height" makes the figure `size` metres tall; "image" makes the whole image's longest side
  `size` metres (several images drawn at one scale keep their relative sizes); "auto" uses the body
  plan's natural measure (a snake's length along its body, a quadruped's length, a biped's height).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..core.errors import PointSkelError
from ..core.lift import Frame, LiftedShape
from ..core.settings import SIZE_CHOICES
from ..core.skeleton import Anatomy, Skeleton

SIZE_MODES = tuple(c.value for c in SIZE_CHOICES)
# Body plan -> (what is measured, metres) for the "auto" size; "path" is the skeleton's longest path.
AUTO_SIZES: dict[str, tuple[str, float]] = {
    "biped": ("height", 1.8),
    "quadruped": ("length", 1.0),
    "bird": ("height", 0.3),
    "serpent": ("path", 2.0),
    "fish": ("length", 0.5),
    "many_legged": ("longest", 0.3),
    "generic": ("longest", 0.5),
}
# Parts whose unsided joints lie on the mirror plane of a symmetric figure.
AXIS_PARTS = ("spine", "neck", "head")
# A vertical mirror line counts when the mask overlaps its reflection by at least this fraction.
MIRROR_MIN_OVERLAP = 0.7

# Normalized (x right, y up, z toward the viewer) -> Blender, per (view kind, facing); all proper rotations.
_ROTATIONS = {
    ("upright", "viewer"): ((1, 0, 0), (0, 0, -1), (0, 1, 0)),
    ("upright", "left"): ((0, 0, 1), (1, 0, 0), (0, 1, 0)),
    ("upright", "right"): ((0, 0, -1), (-1, 0, 0), (0, 1, 0)),
    ("top", "viewer"): ((-1, 0, 0), (0, -1, 0), (0, 0, 1)),  # head toward image top
    ("top", "left"): ((0, -1, 0), (1, 0, 0), (0, 0, 1)),
    ("top", "right"): ((0, 1, 0), (-1, 0, 0), (0, 0, 1)),
}


@dataclass(frozen=True)
class Placement:
    """Normalized frame -> Blender local metres: rotate, scale, then shift."""

    rotation: np.ndarray  # (3, 3)
    scale: float  # metres per normalized unit
    offset: np.ndarray  # (3,) metres
    symmetric: bool = False  # X = 0 is the figure's mirror plane (a mirror line in the mask, or a side view)

    def to_blender(self, positions: np.ndarray) -> np.ndarray:
        p = np.asarray(positions, dtype=np.float64).reshape(-1, 3)
        return p @ self.rotation.T * self.scale + self.offset

    def to_normalized(self, positions: np.ndarray) -> np.ndarray:
        """Blender local metres -> the normalized frame (the inverse of `to_blender`)."""
        q = np.asarray(positions, dtype=np.float64).reshape(-1, 3)
        return (q - self.offset) / self.scale @ self.rotation

    def to_pixels(self, positions: np.ndarray, frame: Frame) -> np.ndarray:
        """Blender local metres -> input-image pixels (x right, y down) of their image-plane position."""
        normalized = self.to_normalized(positions)
        return frame.to_pixels(normalized)


def rotation_for(anatomy: Anatomy | None) -> np.ndarray:
    """The contract's turn for this view and facing (a front view without an anatomy)."""
    if anatomy is None:
        return np.array(_ROTATIONS["upright", "viewer"], dtype=np.float64)
    kind = "top" if anatomy.view == "top" else "upright"
    return np.array(_ROTATIONS[kind, anatomy.facing], dtype=np.float64)


def mirror_line(mask: np.ndarray) -> tuple[float, float]:
    """(column, overlap): the vertical line the mask best mirrors across, in mask pixels (x right).

    The overlap of the mask with its reflection about x = a is the rows' self-convolution at
    2a - 1, so every candidate line costs one FFT together.
    """
    m = np.asarray(mask, dtype=np.float64)
    count = m.sum()
    if count == 0:
        raise PointSkelError("the mask is empty: nothing to place in the scene")
    width = m.shape[1]
    spectrum = np.fft.rfft(m, n=2 * width, axis=1)
    overlap = np.fft.irfft((spectrum * spectrum).sum(axis=0), n=2 * width)[: 2 * width - 1]
    best = int(np.argmax(overlap))
    return (best + 1) / 2.0, float(overlap[best] / count)


def _longest_path(positions: np.ndarray, parents: Sequence[int | None]) -> float:
    """Length of the longest joint-to-joint path through the tree (two farthest-first sweeps)."""
    count = len(positions)
    neighbours: list[list[tuple[int, float]]] = [[] for _ in range(count)]
    for child, parent in enumerate(parents):
        if parent is not None:
            length = float(np.linalg.norm(positions[child] - positions[parent]))
            neighbours[child].append((parent, length))
            neighbours[parent].append((child, length))

    def farthest(start: int) -> tuple[int, float]:
        distance = {start: 0.0}
        stack = [start]
        while stack:
            node = stack.pop()
            for other, length in neighbours[node]:
                if other not in distance:
                    distance[other] = distance[node] + length
                    stack.append(other)
        end = max(distance, key=distance.get)
        return end, distance[end]

    end, _ = farthest(0)
    return farthest(end)[1]


def _scale(mode: str, size: float, anatomy: Anatomy | None, extent: np.ndarray, skeleton: Skeleton,
           image_units: float) -> float:
    """Metres per normalized unit; `extent` is the turned figure's (X, Y, Z) size in normalized units."""
    if mode == "image":
        return size / image_units
    measure = "height"
    if mode == "auto" and anatomy is not None:
        measure, size = AUTO_SIZES[anatomy.body_plan]
    if measure == "path":
        positions = np.array([j.position for j in skeleton.joints], dtype=np.float64)
        length = _longest_path(positions, [j.parent for j in skeleton.joints])
    else:
        length = {"height": extent[2], "length": extent[1], "longest": extent.max()}[measure]
    if not length > 0:
        length = float(extent.max())
    return size / max(float(length), 1e-9)


def place(shape: LiftedShape, skeleton: Skeleton, points: Sequence[np.ndarray], *, mode: str = "auto",
          size: float = 1.8, ground: np.ndarray | None = None) -> Placement:
    """The placement of one figure; `points` (normalized frame) are what must stand above the floor.

    Pass everything that will be shown: the joints, the image mesh's vertices, the clouds. The mask's
    bounding box is added for the size and the centre, since it bounds the figure exactly in the image
    plane; the floor is the lowest of the shown points themselves, so the image mesh stands on it (its
    coarse rim runs a little inside the box's bottom edge, under a round foot). `ground`, when given, is
    what stands on the floor instead (the image mesh): a figure seen from above lies on its back's
    depth, where the lifted clouds reach deeper than the mesh's coarse grid and would float it.
    """
    if mode not in SIZE_MODES:
        raise PointSkelError(f"unknown size mode {mode!r} (expected one of {', '.join(SIZE_MODES)})")
    if not size > 0:
        raise PointSkelError(f"the character size must be positive, got {size}")
    mask = np.asarray(shape.mask)
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        raise PointSkelError("the mask is empty: nothing to place in the scene")
    frame = shape.frame
    box_px = np.array([[cols[0], rows[0]], [cols[-1] + 1, rows[-1] + 1]], dtype=np.float64) / shape.work_scale
    box = frame.to_normalized(box_px)
    corners = np.array([[x, y, 0.0] for x in box[:, 0] for y in box[:, 1]])
    shown = np.concatenate([np.zeros((0, 3))]
                           + [np.asarray(p, dtype=np.float64).reshape(-1, 3) for p in points])
    cloud = np.concatenate([corners, shown])

    anatomy = skeleton.anatomy
    rotation = rotation_for(anatomy)
    turned = cloud @ rotation.T
    low, high = turned.min(axis=0), turned.max(axis=0)
    image_units = max(skeleton.image_size) / frame.px_per_unit
    scale = _scale(mode, size, anatomy, high - low, skeleton, image_units)

    centre = (low + high) / 2
    symmetric = False
    if anatomy is not None and anatomy.view == "side":
        centre[0] = 0.0  # the body's mid-plane
        symmetric = True
    else:
        # The image axis that became Blender X: image x in front views, image y in top views facing sideways.
        along_x = abs(rotation[0, 0]) > 0.5
        column, overlap = mirror_line(mask if along_x else mask.T)
        if overlap >= MIRROR_MIN_OVERLAP:
            symmetric = True
            line_px = column / shape.work_scale
            axis = 0 if along_x else 1
            line = frame.to_normalized(np.array([[line_px, line_px]]))[0, axis]
            centre[0] = rotation[0, axis] * line
    standing = shown if ground is None or len(ground) == 0 else np.asarray(ground, np.float64).reshape(-1, 3)
    floor = float((standing @ rotation[2]).min()) if len(standing) else low[2]
    offset = -np.array([centre[0], centre[1], floor]) * scale
    return Placement(rotation, scale, offset, symmetric)


def joint_positions(skeleton: Skeleton, placement: Placement) -> np.ndarray:
    """(J, 3) the joints in Blender; on a symmetric figure the body's axis (spine, neck and head joints
    without a side) lies exactly on X = 0, so X-mirror and Symmetrize pair the two halves. A prop's (the
    generic plan's) chain is no body axis: it runs where its members are, along a table's top and down
    one leg (snapped, that leg's bone stood in the empty middle of the table)."""
    positions = placement.to_blender(np.array([j.position for j in skeleton.joints], dtype=np.float64))
    prop = skeleton.anatomy is not None and skeleton.anatomy.body_plan == "generic"
    if placement.symmetric and not prop:
        axis = [i for i, j in enumerate(skeleton.joints) if j.side == "" and j.part in AXIS_PARTS]
        positions[axis, 0] = 0.0
    return positions
