"""Silhouette evidence for the topology: where the outline turns inward, and what is inside it.

A limb leaves the body through a neck in the outline: on each side of where it attaches the outline
turns inward (a concave point, a convexity defect of the contour). A corner of a square or a bump of
a ragged outline has a medial-axis twig too, but the outline around it stays convex or straight. So
the topology (`core.topology`) asks this evidence before it prunes a branch as a spur: a branch that
reaches well past its junction's disc and has a concave outline point beside its base is a limb,
however thick the body it leaves (a plush bear's ears, a panda's short legs). It also asks whether
the straight line between two points stays inside the figure (two legs touching in the contracted
cloud but apart in the picture have background between them), and where the outline runs (its
pixels, grouped into runs: a limb the tree does not reach shows as a run of outline far from it).

Concavity is measured at one scale, `SCALE` (normalized units, about a voxel): the mask is averaged
down to a few pixels per `SCALE`, blurred by a Gaussian of that width, and read on the outline,
where a straight edge reads 0.5, a convex corner less and a concave one more. Outline noise a few
pixels high averages out at that width; a limb's neck does not. Each concave point also carries its
depth inside the outline's convex hull (the convexity defect's depth): the topology asks for a neck
as deep as a fair share of the limb's reach, which the notches of a ragged but convex outline are
not, and keeps only points at least `SCALE` deep.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import ndimage
from scipy.spatial import ConvexHull, QhullError

from .lift import Frame

SCALE = 0.02  # normalized units: the Gaussian width concavity is judged at
CONCAVE = 0.6  # the blurred mask's value on the outline above which a point is concave (0.5 = straight)
_PX_PER_SCALE = 2.5  # pixels per SCALE of the averaged-down mask


@dataclass(frozen=True, eq=False)
class Silhouette:
    """The figure's outline evidence in the normalized frame (x right, y up).

    The concave points are found on first use: a figure whose every branch is kept or pruned by
    thickness alone never needs them.
    """

    mask: np.ndarray  # (h, w) bool, the working-resolution mask
    unit_px: float  # pixels of `mask` per normalized unit
    center_px: tuple[float, float]  # the normalized origin in `mask` pixels (x, y)

    @classmethod
    def from_mask(cls, mask: np.ndarray, frame: Frame, work_scale: float) -> "Silhouette":
        """From the working-resolution mask and the frame (as in `core.lift.LiftedShape`)."""
        center = (frame.center_px[0] * work_scale, frame.center_px[1] * work_scale)
        return cls(np.asarray(mask, dtype=bool), float(frame.px_per_unit * work_scale), center)

    @property
    def concave(self) -> np.ndarray:
        """(C, 2) concave outline points at least `SCALE` deep, normalized units."""
        return self._concavity[0]

    @property
    def depth(self) -> np.ndarray:
        """(C,) their depth inside the outline's convex hull, normalized units."""
        return self._concavity[1]

    @cached_property
    def _concavity(self) -> tuple[np.ndarray, np.ndarray]:
        factor = max(1, int(self.unit_px * SCALE / _PX_PER_SCALE))
        h, w = (self.mask.shape[0] + factor - 1) // factor, (self.mask.shape[1] + factor - 1) // factor
        padded = np.zeros((h * factor, w * factor), np.int32)
        padded[: self.mask.shape[0], : self.mask.shape[1]] = self.mask
        # Each block's pixel count: its rows added as strided slices, then its columns; several times
        # faster than a mean over both, or than sums over reshaped axes (the counts are exact either way).
        rows = sum(padded[i::factor] for i in range(factor))
        small = sum(rows[:, i::factor] for i in range(factor)).astype(np.float32) / factor**2
        inside = small >= 0.5
        unit = self.unit_px / factor
        blurred = ndimage.gaussian_filter(small, SCALE * unit, mode="constant")
        outline = inside & ~ndimage.binary_erosion(inside)
        cx, cy = self.center_px[0] / factor, self.center_px[1] / factor

        def normalized(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
            return np.stack([(cols + 0.5 - cx) / unit, (cy - rows - 0.5) / unit], axis=1).reshape(-1, 2)

        concave = normalized(*np.nonzero(outline & (blurred > CONCAVE)))
        depth = _hull_depth(normalized(*np.nonzero(outline)), concave)
        deep = depth >= SCALE
        return concave[deep].astype(np.float64), depth[deep]

    @cached_property
    def _outline(self) -> tuple[np.ndarray, np.ndarray]:
        """Outline pixels (figure pixels with a 4-neighbour off the figure): (K, 2) rows, cols."""
        rows, cols = np.flatnonzero(self.mask.any(axis=1)), np.flatnonzero(self.mask.any(axis=0))
        if not len(rows):
            return rows, cols
        box = np.pad(self.mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1], 1)
        core = box[1:-1, 1:-1]
        inner = core & box[:-2, 1:-1] & box[2:, 1:-1] & box[1:-1, :-2] & box[1:-1, 2:]
        r, c = np.nonzero(core & ~inner)
        return r + rows[0], c + cols[0]

    @property
    def outline(self) -> np.ndarray:
        """(K, 2) the outline pixels' centres, normalized units."""
        rows, cols = self._outline
        return np.stack([(cols + 0.5 - self.center_px[0]) / self.unit_px,
                         (self.center_px[1] - rows - 0.5) / self.unit_px], axis=1)

    @cached_property
    def bottom(self) -> float:
        """The figure's lowest point (normalized y): the floor it stands on."""
        rows = np.flatnonzero(self.mask.any(axis=1))
        return float(self.center_px[1] - rows[-1] - 1) / self.unit_px if len(rows) else 0.0

    def outline_runs(self, selected: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """The `selected` (K,) outline pixels grouped into runs of touching pixels (8-neighbours), each
        as (its indices into `outline`, the indices of its ends: its pixels touching an unselected
        outline pixel). A run that is the whole of a closed outline has no ends."""
        rows, cols = self._outline
        chosen = np.flatnonzero(selected)
        if not len(chosen):
            return []
        r0, c0 = rows.min(), cols.min()
        shape = (rows.max() - r0 + 1, cols.max() - c0 + 1)
        grid = np.zeros(shape, bool)
        grid[rows[chosen] - r0, cols[chosen] - c0] = True
        rest = np.zeros(shape, bool)
        rest[rows - r0, cols - c0] = True
        rest &= ~grid
        near_rest = ndimage.binary_dilation(rest, structure=np.ones((3, 3), bool))
        r, c = rows[chosen] - r0, cols[chosen] - c0
        labels = ndimage.label(grid, structure=np.ones((3, 3), bool))[0][r, c]
        ends = near_rest[r, c]
        order = np.argsort(labels, kind="stable")
        cuts = np.flatnonzero(np.diff(labels[order])) + 1
        return [(chosen[run], chosen[run[ends[run]]]) for run in np.split(order, cuts)]

    def concave_near(
        self, centre: np.ndarray, radius: float, toward: np.ndarray, *, depth: float = 0.0, cone: float = 80.0
    ) -> bool:
        """Whether a concave outline point at least `depth` deep lies within `radius` of `centre`
        (x, y) and within `cone` degrees of the direction `toward` (x, y) seen from it."""
        deep = self.depth >= depth
        if not deep.any():
            return False
        offsets = self.concave[deep] - np.asarray(centre, dtype=np.float64)[:2]
        dist = np.linalg.norm(offsets, axis=1)
        direction = np.asarray(toward, dtype=np.float64)[:2]
        norm = float(np.linalg.norm(direction))
        if norm == 0.0:
            return bool((dist <= radius).any())
        cos = offsets @ (direction / norm) / np.maximum(dist, 1e-12)
        return bool(((dist <= radius) & (cos >= np.cos(np.radians(cone)))).any())

    def inside(self, xy: np.ndarray) -> np.ndarray:
        """(...,) bool: whether the normalized (..., >=2) positions fall on a figure pixel."""
        xy = np.asarray(xy, dtype=np.float64)
        cols = np.floor(self.center_px[0] + xy[..., 0] * self.unit_px).astype(np.int64)
        rows = np.floor(self.center_px[1] - xy[..., 1] * self.unit_px).astype(np.int64)
        h, w = self.mask.shape
        valid = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
        out = np.zeros(xy.shape[:-1], bool)
        out[valid] = self.mask[rows[valid], cols[valid]]
        return out

    def run_inside(self, start: np.ndarray, direction: np.ndarray, limit: float) -> float:
        """How far (normalized units, at most `limit`) the figure continues from `start` (x, y)
        along `direction` without a gap: 0 when `start` is off the figure."""
        direction = np.asarray(direction, dtype=np.float64)[:2]
        norm = float(np.linalg.norm(direction))
        if norm == 0.0 or limit <= 0.0:
            return 0.0
        t = np.arange(0.0, limit * self.unit_px + 1.0) / self.unit_px  # a sample per pixel
        on = self.inside(np.asarray(start, dtype=np.float64)[:2] + t[:, None] * (direction / norm))
        off = np.flatnonzero(~on)
        return float(min(t[off[0]], limit)) if len(off) else float(min(t[-1], limit))

    def crosses_gap(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """(E,) bool for segments a[i] → b[i] (normalized): both ends on the figure but background
        between them, as between two legs that touch in a contracted cloud."""
        a, b = np.asarray(a, dtype=np.float64)[:, :2], np.asarray(b, dtype=np.float64)[:, :2]
        longest = float(np.linalg.norm(b - a, axis=1).max(initial=0.0))
        steps = max(3, int(np.ceil(longest * self.unit_px)) + 1)  # a sample per pixel or closer
        t = np.linspace(0.0, 1.0, steps)[None, :, None]
        on = self.inside(a[:, None] + t * (b - a)[:, None])
        return on[:, 0] & on[:, -1] & ~on.all(axis=1)


def _hull_depth(outline: np.ndarray, points: np.ndarray) -> np.ndarray:
    """How far each point lies inside the convex hull of the outline points (0 on the hull)."""
    if not len(points):
        return np.zeros(0)
    try:
        hull = ConvexHull(outline)
    except (QhullError, ValueError):  # a degenerate outline (a line of pixels) has no inside
        return np.zeros(len(points))
    return np.maximum(-(points @ hull.equations[:, :2].T + hull.equations[:, 2]).max(axis=1), 0.0)

