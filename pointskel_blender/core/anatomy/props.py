"""A prop's rig (the `generic` plan: a desk lamp, a chair, a tree, a cactus): what a rigger bones on an
object that is no creature.

A rigger gives a prop one chain per member that moves (a lamp's arm up to its shade, a chair's legs and
backrest, a tree's trunk and branches, a cactus's arms) and none to the pieces that do not bend: the
medial tree forks into every corner of a flat piece, and those forks are no members.

- The stand: the piece the object rests on where it is wider than what stands on it (`STAND_NARROW`:
  a lamp's flat base, a flower pot, resting on the floor in one piece; a tree's roots, spread apart on
  the ground, are members): the branches that end inside it (to its ends and corners) get no bones.
- A piece's corners: a branch that ends thin (`CORNER_THIN` of the thickness where it forks, or of a
  thicker joint along it) within `CORNER_REACH` of that thickness is the medial tree running into a
  corner of a thick piece (a shade's mouth seen from the side; a bell-shaped shade's narrow top, on
  past the shade's middle), not a member; the piece's chain ends inside it, at its thickest, where the
  rigid piece hangs from the member that carries it (a bone on to its top would turn the top alone).
  Development sets: the lamps from the side whose chain ran on through the shade to its top (one per
  facing) end in the shade, tip recall and precision 0.5 -> 1.0 (CD-J2J 7.17 -> 9.94, mirrored 6.86
  -> 9.33: the shade's top, where the synthetic truth's arm carries it, has no joint); second draw:
  a lamp from the front 0.5 -> 1.0 in both facings (CD-J2J 4.81 -> 2.97, mirrored 5.09 -> 3.38),
  another from the side 0.8 -> 1.0 and 0.67 -> 1.0 in one.
- A foliage clump's branch ends where the medial tree ends, at the clump's centre, not at its outline:
  in wind a clump swings on its branch's end as one mass (a joint inside it would bend leaves that do
  not bend, a bone to its outline would turn it about a point off its branch), and its bone is the
  branch's lever. (The synthetic truth's branch tips sit there too.)
- The root where the object stands: the end of the one member that reaches the floor (a tree's
  trunk, a lamp's base under its arm, a pot), or, standing on several legs (a chair), the joint the
  legs' paths meet at, at the seat they carry. An object on no floor, or that looks the same upside
  down (a plus sign: no up, so no floor), keeps the tree's own root (its most central joint).

Development sets (seed 777, both facings; objects: 2 desk lamps, trees: 2 trees and 2 cacti, front
and side): object tip recall 0.125 -> 0.875, precision 0.083 -> 0.875, CD-J2J 8.47 -> 5.98 (mirrored
8.21 -> 6.52); trees level. Second draw (seed 31337, with `learned._prop`): object tip recall 0.46 ->
0.64, precision 0.42 -> 0.60, CD-J2J 6.80 -> 5.21 (mirrored 0.44 -> 0.64, 0.39 -> 0.57, 6.53 -> 5.46);
trees: recall 0.48 -> 0.56, precision 0.70 -> 0.88, CD-J2J 3.16 -> 2.82 (a cactus in a pot; mirrored
level).
"""
from __future__ import annotations

import numpy as np

from .body import Body
from .cues import FLOOR, longest_path
from .parts import Layout, hanging

STAND_NARROW = 0.6  # a stand is wider than what stands on it: that member this share of its width or less
STAND_HEIGHT = 0.35  # a stand lies in this share of the figure's height from the floor
TOUCH = 0.02  # the rows this near the floor (normalized) are where a stand rests on it ...
REST = 0.5  # ... across this share of its width or more (a tree's roots flare above the ground)
NO_UP = 0.9  # a figure overlapping its upside-down image this much or more shows no up (`has_an_up`)
CORNER_THIN = 0.3  # a branch ending this thin against the thickness where it forks ...
CORNER_REACH = 2.0  # ... within this many of that thickness: a corner of a thick piece


def prop_layout(body: Body, plan: str) -> Layout:
    """A prop's chains (`plan`: "generic", or a plan the user set that no reading fits): from the root
    where it stands along its longest member, the others hanging from it, its stand and corners left
    unboned (see the module docstring)."""
    kept = members(body)
    root = _root(body, kept)
    far = _farthest(body, root, kept)
    spine = body.path(root, far) if far != root else longest_path(body)
    layout = Layout(plan, 0.0, "front", 0.3, "viewer", spine, head=False)
    layout.limbs = hanging(body, layout.spine, {}, kept)
    for limb in layout.limbs:
        limb.part = "limb"
    return layout


def members(body: Body) -> set[int]:
    """The tree's joints less the branches into the stand's ends and the pieces' corners (past a
    piece's thickest joint: `_past_piece`)."""
    top = stand_top(body)
    dropped: set[int] = set()
    for leaf in body.leaves:
        branch = body.branch(leaf)
        if len(branch) < 2:
            continue
        forked = body.degree[branch[0]] >= 3
        if forked and top is not None and bool(np.all(body.xy[branch[1:], 1] <= top)):
            dropped.update(branch[1:])
        else:
            dropped.update(_past_piece(body, branch, forked))
    kept = set(range(len(body.pos))) - dropped
    return kept if kept else set(range(len(body.pos)))


def _past_piece(body: Body, branch: list[int], forked: bool) -> list[int]:
    """The joints of `branch` (its start first, its leaf last) past the thick piece whose corner the leaf
    is: the thickest of its joints (its start only where it forks) that the leaf lies within
    `CORNER_REACH` of its thickness from, along the branch, ending `CORNER_THIN` of it or thinner."""
    leaf = branch[-1]
    steps = np.linalg.norm(np.diff(body.pos[branch], axis=0), axis=1)
    to_leaf = np.r_[np.cumsum(steps[::-1])[::-1], 0.0]
    rad = body.rad[branch]
    piece = (to_leaf <= CORNER_REACH * rad) & (body.rad[leaf] <= CORNER_THIN * rad)
    piece[0] &= forked
    piece[-1] = False
    if not piece.any():
        return []
    k = int(np.argmax(np.where(piece, rad, -1.0)))
    return branch[k + 1 :]


def stand_top(body: Body) -> float | None:
    """The height (the frame's y) of the stand's top: counting the width of the figure that rises from
    the floor (the runs of each row that touch those of the row below) row by row up, the first row
    within `STAND_HEIGHT` of its height where it is `STAND_NARROW` of the widest row below or less, and
    stays so for as high again, over a piece that rests on the floor in one piece (one run in each of
    the rows within `TOUCH` of it) across `REST` of its width or more; None where none (legs; a trunk; a
    tree's roots, which meet the ground at their tips, apart, or not at all: it bones them)."""
    mask = body.shape.mask
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size < 4:
        return None
    band = mask[rows[0] : rows[-1] + 1][::-1]  # from the floor up
    reach = max(int(STAND_HEIGHT * len(band)), 2)
    widths, runs = _rising(band[: 2 * reach + 1])
    widest = np.maximum.accumulate(widths)
    narrow = widths <= STAND_NARROW * widest
    touch = max(int(TOUCH * body.shape.work_px_per_unit), 1)
    for k in range(1, reach):
        if narrow[k] and narrow[k : 2 * k + 1].all():
            rests = widths[:touch].max() >= REST * widest[k] and (runs[:touch] == 1).all()
            return body.floor + k / body.shape.work_px_per_unit if rests else None
    return None


def _rising(band: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(widths, runs) per row of `band` (rows from the floor up) of what rises from the floor: the runs of
    its lowest row, then those touching the ones kept in the row below (a shade hanging beside a lamp's
    base is none)."""
    widths, runs = np.zeros(len(band)), np.zeros(len(band), dtype=int)
    below = band[0]
    for k, row in enumerate(band):
        starts = np.flatnonzero(np.diff(np.r_[0, row.astype(np.int8)]) == 1)
        ends = np.flatnonzero(np.diff(np.r_[row.astype(np.int8), 0]) == -1) + 1
        touching = [(a, b) for a, b in zip(starts, ends) if below[max(a - 1, 0) : b + 1].any()]
        below = np.zeros_like(row)
        for a, b in touching:
            below[a:b] = True
        widths[k], runs[k] = float(below.sum()), len(touching)
    return widths, runs


def _root(body: Body, kept: set[int]) -> int:
    """Where the object stands: its one kept tip on the floor, or the joint whose farthest such tip is
    nearest (where several legs meet); the tree's own root where none reaches the floor."""
    tips = [j for j in kept if sum(k in kept for k in body.adj[j]) <= 1]
    floor = [j for j in tips if body.xy[j, 1] - body.rad[j] - body.floor < FLOOR] if has_an_up(body) else []
    if len(floor) == 1:
        return floor[0]
    if not floor:
        return 0 if 0 in kept else min(kept)
    inside = sorted(kept)
    farthest = np.max([body.distances(j)[inside] for j in floor], axis=0)
    return inside[int(np.argmin(farthest))]


def has_an_up(body: Body) -> bool:
    """Whether the figure shows which way is up: its outline and its upside-down image overlap (IoU, about
    the bounding box's centre) less than `NO_UP`. One that looks the same upside down (a plus sign, a
    star, a bare pole) stands on nothing: the tree's own root, its centre."""
    mask = body.shape.mask
    rows = np.flatnonzero(mask.any(axis=1))
    if not rows.size:
        return False
    box = mask[rows[0] : rows[-1] + 1]
    flipped = box[::-1]
    return float(np.count_nonzero(box & flipped) / max(np.count_nonzero(box | flipped), 1)) < NO_UP


def _farthest(body: Body, root: int, kept: set[int]) -> int:
    inside = sorted(kept)
    return inside[int(np.argmax(body.distances(root)[inside]))]

