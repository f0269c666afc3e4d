"""Where the picture's frame cuts the figure: which tips of the tree end on a cut edge.

The medial tree of a mask the frame cuts (`core.mask_crop.cut_edges`) ends at the cut: a bust's
two lower corners (scikit-image's astronaut), a face's edges (its `chelsea`). Such a tip is where
the body runs on off the picture, never a foot, hand, tail, fin or head: `cues.floor_legs` skips it,
`cropped` reads such a figure and `off_picture` drops the hands and feet a limb cut there would get.
"""
from __future__ import annotations

import numpy as np

from ..lift import LiftedShape
from ..mask_crop import cut_edges
from .body import Body
from .joints import Joints

ENDS = ("hand", "foot", "toe", "front_foot", "front_toe")  # a limb's last bones: off a picture cutting it
NEAR = 0.03  # a tip within its radius plus this share of the image's longest side of a cut edge is cut
Cut = tuple[str, int, int]  # (edge, start, stop): a cut edge and the stretch of it the mask covers there


def cut_tips(body: Body) -> dict[int, Cut]:
    """The tree's tips on an edge the frame cuts the figure along: tip -> (edge, start, stop): the
    edge and the stretch of it (pixels, stop excluded) the mask covers where the tip ends."""
    where = on_cut_edge(body.shape, body.pos[body.leaves], body.rad[body.leaves])
    return {leaf: cut for leaf, cut in zip(body.leaves, where) if cut is not None}


def off_picture(shape: LiftedShape, joints: Joints) -> Joints:
    """The joints without the hands and feet the picture does not show: a limb's tip on a cut edge
    (a leg cropped at the knee) ends the bone before its hand or foot, which lie off the picture
    (thigh, shin to the cut, `shin_end`; no `foot` standing on the frame)."""
    positions = np.array(joints.positions, dtype=np.float64).reshape(-1, 3)
    tips = [i for i in range(len(joints)) if joints.tips[i] and joints.roles[i] in ENDS]
    if not tips:
        return joints
    radii = np.asarray(shape.radius_at(positions[tips].astype(np.float32)), dtype=np.float64)
    drop: set[int] = set()
    parents = list(joints.parents)
    for tip, cut in zip(tips, on_cut_edge(shape, positions[tips], radii)):
        while cut is not None and parents[tip] >= 0 and joints.roles[parents[tip]] in ENDS:
            drop.add(parents[tip])
            parents[tip] = joints.parents[parents[tip]]
    if not drop:
        return joints
    keep = [i for i in range(len(joints)) if i not in drop]
    index = {old: new for new, old in enumerate(keep)}
    out = Joints()
    for i in keep:
        parent = parents[i]
        role, number = joints.roles[i], joints.numbers[i]
        if parent != joints.parents[i]:  # a tip now ends its new parent's bone
            role, number = joints.roles[parent], joints.numbers[parent]
        out.add(joints.positions[i], index.get(parent, -1), joints.parts[i], role, side=joints.sides[i],
                number=number, letter=joints.letters[i], tip=joints.tips[i], hidden=joints.hidden[i])
    return out


def on_cut_edge(shape: LiftedShape, positions: np.ndarray, radii: np.ndarray) -> list[Cut | None]:
    """For each position (normalized frame) with its radius: (edge, start, stop) where it lies within
    its radius plus `NEAR` of an edge the frame cuts and the mask covers that edge beside it, else None."""
    mask = shape.mask
    edges = cut_edges(mask)
    if not edges or not len(positions):
        return [None] * len(positions)
    h, w = mask.shape
    px = shape.to_work(np.asarray(positions, dtype=np.float64))
    rad = np.asarray(radii, dtype=np.float64) * shape.work_px_per_unit
    near = NEAR * max(h, w)
    lines = {"top": (mask[0], 0.0, 0), "bottom": (mask[-1], h - 1.0, 0),
             "left": (mask[:, 0], 0.0, 1), "right": (mask[:, -1], w - 1.0, 1)}
    out: list[Cut | None] = []
    for (x, y), r in zip(px, rad):
        found = None
        for edge in edges:
            line, at, axis = lines[edge]
            off, along = (y, x) if axis == 0 else (x, y)
            covered = np.flatnonzero(line)
            if abs(off - at) > r + near or not covered.size:
                continue
            nearest = int(covered[np.argmin(np.abs(covered - along))])
            if abs(nearest - along) <= r + near:
                found = (edge, *_stretch(line, nearest))
                break
        out.append(found)
    return out


def _stretch(line: np.ndarray, at: int) -> tuple[int, int]:
    """The run of covered pixels of an edge's `line` around the covered pixel `at`: (start, stop)."""
    gaps = np.flatnonzero(~line)
    before, after = gaps[gaps < at], gaps[gaps > at]
    return (int(before[-1]) + 1 if before.size else 0), (int(after[0]) if after.size else len(line))
