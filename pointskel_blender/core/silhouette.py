"""Silhouette evidence for the topology: where the outline turns inward, and what is inside it.

A limb leaves the body through a neck in the outline: on each side of where it attaches the outline
turns inward (a concave point, a convexity defect of the contour). A corner of a square or a bump of
a ragged outline has a medial-axis twig too, but the outline around it stays convex or straight. So
the topology (`core.topology`) asks this evidence before it prunes a branch as a spur: a branch that
reaches well past its junction's disc and has a concave outline point beside its base is a limb,
however thick the body it leaves (a plush bear's ears, a panda's short legs). It also asks whether
the straight line between two points stays inside the figure (two legs touching in the contracted
cloud but apart in the picture have background between them).

Concavity is measured at one scale, `SCALE` (normalized units, about a voxel): the mask is averaged
down to a few pixels per `SCALE`, blurred by a Gaussian of that width, and read on the outline,
where a straight edge reads 0.5, a convex corner less and a concave one more. Outline noise a few
pixels high averages out at that width; a limb's neck does not.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from .lift import Frame

SCALE = 0.02  # normalized units: the Gaussian width concavity is judged at
CONCAVE = 0.6  # the blurred mask's value on the outline above which a point is concave (0.5 = straight)
_PX_PER_SCALE = 2.5  # pixels per SCALE of the averaged-down mask


@dataclass(frozen=True, eq=False)
class Silhouette:
    """The figure's outline evidence in the normalized frame (x right, y up)."""

    concave: np.ndarray  # (C, 2) concave outline points, normalized units
    mask: np.ndarray  # (h, w) bool, averaged-down mask for inside tests
    unit_px: float  # pixels of `mask` per normalized unit
    center_px: tuple[float, float]  # the normalized origin in `mask` pixels (x, y)

    @classmethod
    def from_mask(cls, mask: np.ndarray, frame: Frame, work_scale: float) -> "Silhouette":
        """From the working-resolution mask and the frame (as in `core.lift.LiftedShape`)."""
        mask = np.asarray(mask, dtype=bool)
        work_unit = frame.px_per_unit * work_scale  # working px per normalized unit
        factor = max(1, int(work_unit * SCALE / _PX_PER_SCALE))
        h, w = (mask.shape[0] + factor - 1) // factor, (mask.shape[1] + factor - 1) // factor
        padded = np.zeros((h * factor, w * factor), np.float32)
        padded[: mask.shape[0], : mask.shape[1]] = mask
        small = padded.reshape(h, factor, w, factor).mean(axis=(1, 3))
        inside = small >= 0.5
        unit = work_unit / factor
        blurred = ndimage.gaussian_filter(small, SCALE * unit, mode="constant")
        outline = inside & ~ndimage.binary_erosion(inside)
        rows, cols = np.nonzero(outline & (blurred > CONCAVE))
        center = (frame.center_px[0] * work_scale / factor, frame.center_px[1] * work_scale / factor)
        xy = np.stack([(cols + 0.5 - center[0]) / unit, (center[1] - rows - 0.5) / unit], axis=1)
        return cls(xy.astype(np.float64).reshape(-1, 2), inside, float(unit), center)

    def concave_near(self, centre: np.ndarray, radius: float, toward: np.ndarray, cone: float = 80.0) -> bool:
        """Whether a concave outline point lies within `radius` of `centre` (x, y) and within `cone`
        degrees of the direction `toward` (x, y) seen from it."""
        if not len(self.concave):
            return False
        offsets = self.concave - np.asarray(centre, dtype=np.float64)[:2]
        dist = np.linalg.norm(offsets, axis=1)
        direction = np.asarray(toward, dtype=np.float64)[:2]
        norm = float(np.linalg.norm(direction))
        if norm == 0.0:
            return bool((dist <= radius).any())
        cos = offsets @ (direction / norm) / np.maximum(dist, 1e-12)
        return bool(((dist <= radius) & (cos >= np.cos(np.radians(cone)))).any())

    def outside_share(self, a: np.ndarray, b: np.ndarray) -> float:
        """The share of the straight segment a → b (normalized (x, y)) that lies outside the figure."""
        a, b = np.asarray(a, dtype=np.float64)[:2], np.asarray(b, dtype=np.float64)[:2]
        steps = max(2, int(np.linalg.norm(b - a) * self.unit_px * 2))
        t = np.linspace(0.0, 1.0, steps)[:, None]
        xy = a + t * (b - a)
        cols = np.floor(self.center_px[0] + xy[:, 0] * self.unit_px).astype(np.int64)
        rows = np.floor(self.center_px[1] - xy[:, 1] * self.unit_px).astype(np.int64)
        h, w = self.mask.shape
        valid = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
        inside = np.zeros(len(xy), bool)
        inside[valid] = self.mask[rows[valid], cols[valid]]
        return float(1.0 - inside.mean())

