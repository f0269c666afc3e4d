"""Contracted-like clouds for the topology and naming tests, each with its thickness function.

Two sources: points scattered along known polylines ("tubes"), with the flaws a real contraction
leaves (noise, uneven density, blobs at junctions, short spurs, stray points); and the medial axis
of a test figure's mask mapped into the normalized frame (bounding-box centre, unit = longest
side, y up), which is where a good contraction puts the lifted cloud.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import ndimage
from skimage.morphology import medial_axis


PIXEL = 0.0025  # normalized units per pixel of the tubes' raster (400 pixels per unit)


def _segments(polylines: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    starts = np.concatenate([np.asarray(p, float)[:-1] for p in polylines])
    ends = np.concatenate([np.asarray(p, float)[1:] for p in polylines])
    return starts, ends


@dataclass(frozen=True)
class Tubes:
    """A solid made of round-capped tubes along 2-D polylines (in the z = 0 plane)."""

    polylines: tuple[np.ndarray, ...]
    radius: float

    def axis_distance(self, positions: np.ndarray) -> np.ndarray:
        """Distance from each (x, y) to the nearest tube axis."""
        a, b = _segments(list(self.polylines))
        p = np.asarray(positions, float)[:, None, :2]
        ab = b - a
        t = np.clip(((p - a) * ab).sum(-1) / (ab * ab).sum(-1), 0, 1)
        return np.linalg.norm(p - (a + t[..., None] * ab), axis=-1).min(axis=1)

    @cached_property
    def _field(self) -> tuple[np.ndarray, np.ndarray]:
        """The solid drawn at PIXEL units per pixel and its distance transform: what a mask's would be."""
        allxy = np.concatenate([np.asarray(p, float) for p in self.polylines])
        lo = allxy.min(0) - self.radius - 4 * PIXEL
        shape = np.ceil((allxy.max(0) + self.radius + 4 * PIXEL - lo) / PIXEL).astype(int)
        xs, ys = (lo[k] + (np.arange(shape[k]) + 0.5) * PIXEL for k in range(2))
        grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        solid = (self.axis_distance(grid) <= self.radius).reshape(shape[1], shape[0])
        return lo, np.maximum(ndimage.distance_transform_edt(solid) - 0.5, 0.0) * PIXEL

    def thickness(self, positions: np.ndarray) -> np.ndarray:
        """Distance to the outline of the union of tubes (0 outside), like `LiftedShape.radius_at`."""
        lo, field = self._field
        ij = np.floor((np.asarray(positions, float)[:, :2] - lo) / PIXEL).astype(int)
        cols = np.clip(ij[:, 0], 0, field.shape[1] - 1)
        rows = np.clip(ij[:, 1], 0, field.shape[0] - 1)
        return field[rows, cols]

    def cloud(
        self,
        n: int = 4096,
        *,
        noise: float = 0.006,
        seed: int = 0,
        uneven: float = 0.0,
        blobs: tuple[tuple[float, float], ...] = (),
        blob_share: float = 0.04,
        spurs: tuple[tuple[tuple[float, float], tuple[float, float]], ...] = (),
        outliers: int = 0,
    ) -> np.ndarray:
        """(n + extras, 3) points near the axes: gaussian noise, density varying by a factor (1 + uneven),
        a disc of points of the tube's radius at each blob centre, sparse points along each spur and
        `outliers` stray points anywhere in the figure's box."""
        rng = np.random.default_rng(seed)
        a, b = _segments(list(self.polylines))
        lengths = np.linalg.norm(b - a, axis=1)
        seg = rng.choice(len(a), size=4 * n, p=lengths / lengths.sum())
        t = rng.random(4 * n)
        xy = a[seg] + t[:, None] * (b[seg] - a[seg])
        keep = rng.random(4 * n) < (1 + uneven * np.sin(xy[:, 0] * 17.0 + xy[:, 1] * 11.0)) / (1 + uneven)
        xy = xy[keep][:n]
        parts = [np.column_stack([xy + rng.normal(0, noise, xy.shape), rng.normal(0, noise, len(xy))])]
        for centre in blobs:
            m = int(blob_share * n)
            ang, rad = rng.random(m) * 2 * np.pi, self.radius * np.sqrt(rng.random(m))
            disc = np.asarray(centre) + np.column_stack([np.cos(ang), np.sin(ang)]) * rad[:, None]
            parts.append(np.column_stack([disc, rng.normal(0, noise, m)]))
        for start, end in spurs:
            m = max(int(0.01 * n), 4)
            s = np.asarray(start) + rng.random(m)[:, None] * (np.asarray(end) - np.asarray(start))
            parts.append(np.column_stack([s + rng.normal(0, noise, s.shape), rng.normal(0, noise, m)]))
        if outliers:
            allxy = np.concatenate([np.asarray(p, float) for p in self.polylines])
            lo, hi = allxy.min(0) - self.radius, allxy.max(0) + self.radius
            stray = np.column_stack([rng.uniform(lo, hi, (outliers, 2)), rng.uniform(-0.1, 0.1, outliers)])
            parts.append(stray)
        return np.concatenate(parts).astype(np.float32)


@dataclass(frozen=True)
class FigureCloud:
    """A mask's medial axis as a contracted cloud, in the mask's normalized frame."""

    points: np.ndarray  # (N, 3) float32
    mask: np.ndarray  # (H, W) bool
    center: tuple[float, float]  # bounding-box centre, pixels (x right, y down)
    px_per_unit: float
    edt: np.ndarray  # (H, W) pixel centre to outline, pixels (0 outside)

    def pixels(self, positions: np.ndarray) -> np.ndarray:
        p = np.asarray(positions, float)
        s = self.px_per_unit
        return np.column_stack([self.center[0] + p[:, 0] * s, self.center[1] - p[:, 1] * s])

    def normalized(self, pixels: np.ndarray) -> np.ndarray:
        q = np.asarray(pixels, float)
        s = self.px_per_unit
        return np.column_stack([(q[:, 0] - self.center[0]) / s, (self.center[1] - q[:, 1]) / s])

    def _index(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        q = np.floor(self.pixels(positions)).astype(int)
        h, w = self.mask.shape
        return np.clip(q[:, 1], 0, h - 1), np.clip(q[:, 0], 0, w - 1)

    def thickness(self, positions: np.ndarray) -> np.ndarray:
        rows, cols = self._index(positions)
        return self.edt[rows, cols] / self.px_per_unit

    def inside(self, positions: np.ndarray, margin_px: float = 1.5) -> np.ndarray:
        """Whether each position lies in the mask or within margin_px of it."""
        rows, cols = self._index(positions)
        return ndimage.distance_transform_edt(~self.mask)[rows, cols] <= margin_px


def figure_cloud(mask: np.ndarray, n: int = 4096, *, noise: float = 0.004, seed: int = 0) -> FigureCloud:
    """n points on the mask's medial axis pixels, with gaussian noise (normalized units) in x, y and z.

    Pinholes are filled first: a contraction pulls a solid's points together, it does not trace
    loops around one-pixel holes the way a medial axis does.
    """
    mask = ndimage.binary_fill_holes(np.asarray(mask, bool))
    rows, cols = np.nonzero(mask)
    r0, r1, c0, c1 = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    center = ((c0 + c1) / 2, (r0 + r1) / 2)
    ppu = float(max(r1 - r0, c1 - c0))
    edt = np.maximum(ndimage.distance_transform_edt(mask) - 0.5, 0.0)
    si, sj = np.nonzero(medial_axis(mask, rng=seed))
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(si), n)
    cloud = FigureCloud(np.zeros((0, 3), np.float32), mask, center, ppu, edt)
    xy = cloud.normalized(np.column_stack([sj[pick] + 0.5, si[pick] + 0.5]))
    pts = np.column_stack([xy + rng.normal(0, noise, xy.shape), rng.normal(0, noise, n)])
    return FigureCloud(pts.astype(np.float32), mask, center, ppu, edt)
