"""Lift a 2D silhouette into a 3D point cloud: the distance transform is the depth.

A silhouette is treated as a puffed-up solid: its front surface sits at z = +d and its back at
z = -d, where d is the distance to the outline. Sampling both surfaces gives a volumetric cloud
whose mid-plane (z = 0) ridge is the medial axis, which is what contraction moves points onto.
Everything downstream lives in the normalized `Frame` (bounding-box centre, unit = longest side),
so models trained on one resolution see the same numbers at any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from scipy import ndimage

from .errors import MaskError
from .settings import PipelineSettings

NORMALIZATION = "bbox-longest-side/v1"

# Background pixels kept around the mask's bounding box; the field is extrapolated beyond it.
_MARGIN = 4


@dataclass(frozen=True)
class Frame:
    """The normalized frame: origin at the mask's bbox centre, x right, y up, unit = its longest side."""

    center_px: tuple[float, float]  # (x, y) in input pixels
    px_per_unit: float  # input pixels per normalized unit

    def to_pixels(self, positions: np.ndarray) -> np.ndarray:
        """(..., >=2) normalized positions -> (..., 2) input pixels (y down)."""
        p = np.asarray(positions, dtype=np.float64)
        x = self.center_px[0] + p[..., 0] * self.px_per_unit
        y = self.center_px[1] - p[..., 1] * self.px_per_unit
        return np.stack([x, y], axis=-1)

    def to_normalized(self, pixels: np.ndarray) -> np.ndarray:
        """(..., 2) input pixels -> (..., 2) normalized positions (y up)."""
        q = np.asarray(pixels, dtype=np.float64)
        x = (q[..., 0] - self.center_px[0]) / self.px_per_unit
        y = (self.center_px[1] - q[..., 1]) / self.px_per_unit
        return np.stack([x, y], axis=-1)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, tagged with the normalization so a reader can tell frames apart."""
        return {
            "normalization": NORMALIZATION,
            "center_px": [float(self.center_px[0]), float(self.center_px[1])],
            "px_per_unit": float(self.px_per_unit),
        }


@dataclass(frozen=True, eq=False)
class DistanceField:
    """Signed distance to the outline (working px, > 0 inside) on a window around the mask.

    Stored signed and with a background margin so that points on or slightly outside the outline
    still see a slope toward the inside; beyond the window the field is extrapolated as a cone, so
    sampling is defined everywhere.
    """

    values: np.ndarray  # (h, w) float32; values[i, j] sits at working px (col0 + j + .5, row0 + i + .5)
    origin: tuple[int, int]  # (row0, col0) of values[0, 0] in the working mask, may be negative

    @cached_property
    def maximum(self) -> float:
        return float(self.values.max())

    def sample(self, xy: np.ndarray) -> np.ndarray:
        """Bilinear value at (..., 2) working-pixel positions (x right, y down)."""
        xy = np.asarray(xy, dtype=np.float32)
        return self._at(xy[..., 0], xy[..., 1])

    def sample_rays(self, xy: np.ndarray, direction: np.ndarray, t: np.ndarray) -> np.ndarray:
        """(N, K) values at xy + t * direction for (N, 2) starts, (N, 2) directions, (N, K) distances."""
        xy = np.asarray(xy, dtype=np.float32)
        direction = np.asarray(direction, dtype=np.float32)
        return self._at(xy[:, :1] + t * direction[:, :1], xy[:, 1:] + t * direction[:, 1:])

    def gradient(self, xy: np.ndarray, step: float = 1.0) -> np.ndarray:
        """Central-difference gradient (d/dx, d/dy; y down) over +-step working px at (..., 2) positions.

        A step of a pixel or more averages out the staircase of a pixelated outline, which the
        exact bilinear derivative would follow.
        """
        xy = np.asarray(xy, dtype=np.float32)
        x, y = xy[..., 0], xy[..., 1]
        h = np.float32(step)
        v = self._at(np.stack([x + h, x - h, x, x]), np.stack([y, y, y + h, y - h]))
        return np.stack([v[0] - v[1], v[2] - v[3]], axis=-1) / (2 * h)

    def _at(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        # Coordinates go to map_coordinates as (2, ...) planes: numpy is slow on a trailing axis of 2.
        row0, col0 = self.origin
        index = np.empty((2, *np.shape(x)), dtype=np.result_type(x, y, np.float32))
        np.subtract(y, np.float32(row0 + 0.5), out=index[0])
        np.subtract(x, np.float32(col0 + 0.5), out=index[1])
        last = (np.array(self.values.shape, dtype=np.float32) - 1).reshape((2,) + (1,) * (index.ndim - 1))
        flat = index.reshape(2, -1)
        if flat.size and flat.min() >= 0 and (flat.max(axis=1) <= last.reshape(2)).all():
            # all on the window (the usual case): no clamping, no cone (the checks cost less than either)
            return ndimage.map_coordinates(self.values, index, order=1, mode="nearest")
        clamped = np.minimum(np.maximum(index, 0), last)
        value = ndimage.map_coordinates(self.values, clamped, order=1, mode="nearest")
        if np.array_equal(clamped, index):
            return value
        beyond = index - clamped
        return value - np.sqrt(beyond[0] * beyond[0] + beyond[1] * beyond[1])


@dataclass(frozen=True, eq=False)
class LiftedShape:
    """The lifted cloud plus what predictors need to reason about the solid it came from."""

    points: np.ndarray  # (N, 3) float32, normalized frame
    frame: Frame
    mask: np.ndarray  # (h, w) bool, working resolution
    distance: np.ndarray  # (h, w) float32: pixel centre to outline, working px (EDT - 0.5), 0 outside
    work_scale: float  # working px per input px
    field: DistanceField

    @property
    def work_px_per_unit(self) -> float:
        return self.frame.px_per_unit * self.work_scale

    def to_work(self, positions: np.ndarray) -> np.ndarray:
        """(..., >=2) normalized positions -> (..., 2) working pixels (y down)."""
        return self.frame.to_pixels(positions) * self.work_scale

    def radius_at(self, positions: np.ndarray) -> np.ndarray:
        """Local thickness: distance from the position to the outline, normalized units (0 outside)."""
        value = self.field.sample(self.to_work(positions))
        return np.maximum(value, 0.0) / np.float32(self.work_px_per_unit)


def _window(mask: np.ndarray) -> tuple[np.ndarray, tuple[int, int], tuple[int, int, int, int]]:
    """The mask cropped to its bounding box plus a background margin, the crop's origin and the bbox."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        raise MaskError("the mask is empty: no object pixels to lift (check the background setting)")
    cols = np.flatnonzero(mask[rows[0] : rows[-1] + 1].any(axis=0))
    r0, r1, c0, c1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    m = _MARGIN
    window = np.zeros((r1 - r0 + 2 * m, c1 - c0 + 2 * m), dtype=bool)
    window[m:-m, m:-m] = mask[r0:r1, c0:c1]
    return window, (r0 - m, c0 - m), (r0, r1, c0, c1)


def _signed_distance(window: np.ndarray) -> np.ndarray:
    """Signed outline distance from one EDT: distances to the outer boundary ring of background pixels.

    The nearest background pixel to any object pixel is always 4-adjacent to the object, so the
    distance to that ring is the exact EDT inside; outside it is one pixel short of the true
    distance, which is plenty for steering stray points back in. Half a pixel moves the zero from
    the pixel centres onto the outline between them.
    """
    near = np.zeros_like(window)
    near[1:] |= window[:-1]
    near[:-1] |= window[1:]
    near[:, 1:] |= window[:, :-1]
    near[:, :-1] |= window[:, 1:]
    ring = near & ~window
    # The feature transform plus float32 arithmetic here is faster than scipy's float64 distances.
    nearest = ndimage.distance_transform_edt(~ring, return_distances=False, return_indices=True)
    dy = (nearest[0] - np.arange(window.shape[0], dtype=np.int32)[:, None]).astype(np.float32)
    dx = (nearest[1] - np.arange(window.shape[1], dtype=np.int32)).astype(np.float32)
    d = np.sqrt(dy * dy + dx * dx)
    d -= np.float32(0.5)
    return np.where(window, d, -d - np.float32(1.0))


def _sample_pixels(count: int, points: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of `points` samples among `count` pixels: every pixel equally often, the rest at random."""
    repeats, rest = divmod(points, count)
    chosen = rng.choice(count, rest, replace=False)
    if repeats == 0:
        return chosen
    return rng.permutation(np.concatenate([np.tile(np.arange(count), repeats), chosen]))


def lift(
    mask: np.ndarray, work_scale: float = 1.0, *, points: int = PipelineSettings.points,
    seed: int = PipelineSettings.seed,
) -> LiftedShape:
    """Sample `points` points on the front and back surfaces of the silhouette, area-uniformly.

    Samples are uniform in image area (each pixel equally likely, jittered inside it) and alternate
    between front and back. The depth is read from the interpolated field at the jittered position,
    so the surface is smooth and reaches z = 0 at the outline. `points=0` gives the solid alone
    (frame and distance field), for predictors asked about other points, as in training.
    """
    mask = np.asarray(mask)
    if mask.ndim != 2:
        raise ValueError(f"the mask must be 2-D (h, w), got shape {mask.shape}")
    if points < 0:
        raise ValueError(f"points must be 0 or more, got {points}")
    if not work_scale > 0:
        raise ValueError(f"work_scale must be positive, got {work_scale}")
    mask = mask.astype(bool, copy=False)
    window, origin, (r0, r1, c0, c1) = _window(mask)
    field = DistanceField(_signed_distance(window), origin)

    center = np.array([(c0 + c1) / 2, (r0 + r1) / 2], dtype=np.float32)  # working px
    longest = max(r1 - r0, c1 - c0)
    frame = Frame((float(center[0]) / work_scale, float(center[1]) / work_scale), longest / work_scale)
    scale = np.float32(longest)  # working px per unit

    rng = np.random.default_rng(seed)
    pixels = np.flatnonzero(window)
    picked = pixels[_sample_pixels(pixels.size, points, rng)]
    row, col = np.divmod(picked, window.shape[1])
    xy = np.stack([col + origin[1], row + origin[0]], axis=-1).astype(np.float32)
    xy += rng.random((points, 2), dtype=np.float32)
    depth = np.maximum(field.sample(xy), 0.0)
    side = np.where(np.arange(points) % 2 == 0, np.float32(1), np.float32(-1))

    cloud = np.empty((points, 3), dtype=np.float32)
    cloud[:, 0] = (xy[:, 0] - center[0]) / scale
    cloud[:, 1] = (center[1] - xy[:, 1]) / scale
    cloud[:, 2] = side * depth / scale

    distance = np.zeros(mask.shape, dtype=np.float32)
    distance[r0:r1, c0:c1] = np.maximum(field.values[_MARGIN:-_MARGIN, _MARGIN:-_MARGIN], 0.0)
    for array in (cloud, distance, field.values):
        array.setflags(write=False)
    return LiftedShape(cloud, frame, mask, distance, float(work_scale), field)
