"""Where the picture's frame cuts the figure: which tips of the tree end on a cut edge.

The medial tree of a mask the frame cuts (`core.mask_crop.cut_edges`) ends at the cut: a bust's
two lower corners (scikit-image's astronaut), a face's edges (its `chelsea`). Such a tip is where
the body runs on off the picture, never a foot, hand, tail, fin or head: `cues.floor_legs` skips it
and `cropped` reads such a figure.
"""
from __future__ import annotations

import numpy as np

from ..mask_crop import cut_edges
from .body import Body

NEAR = 0.03  # a tip within its radius plus this share of the image's longest side of a cut edge is cut


def cut_tips(body: Body) -> dict[int, tuple[str, int, int]]:
    """The tree's tips on an edge the frame cuts the figure along: tip -> (edge, start, stop): the
    edge and the stretch of it (pixels, stop excluded) the mask covers where the tip ends."""
    mask = body.shape.mask
    edges = cut_edges(mask)
    if not edges:
        return {}
    h, w = mask.shape
    px = body.shape.to_work(body.pos[body.leaves])
    rad = body.rad[body.leaves] * body.shape.work_px_per_unit
    near = NEAR * max(h, w)
    lines = {"top": (mask[0], 0.0, 0), "bottom": (mask[-1], h - 1.0, 0),
             "left": (mask[:, 0], 0.0, 1), "right": (mask[:, -1], w - 1.0, 1)}
    out: dict[int, tuple[str, int, int]] = {}
    for leaf, (x, y), r in zip(body.leaves, px, rad):
        for edge in edges:
            line, at, axis = lines[edge]
            off, along = (y, x) if axis == 0 else (x, y)
            covered = np.flatnonzero(line)
            if abs(off - at) > r + near or not covered.size:
                continue
            nearest = int(covered[np.argmin(np.abs(covered - along))])
            if abs(nearest - along) <= r + near:
                out[leaf] = (edge, *_stretch(line, nearest))
                break
    return out




def _stretch(line: np.ndarray, at: int) -> tuple[int, int]:
    """The run of covered pixels of an edge's `line` around the covered pixel `at`: (start, stop)."""
    gaps = np.flatnonzero(~line)
    before, after = gaps[gaps < at], gaps[gaps > at]
    return (int(before[-1]) + 1 if before.size else 0), (int(after[0]) if after.size else len(line))
