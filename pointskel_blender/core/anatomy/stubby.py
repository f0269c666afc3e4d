"""A low quadruped from the side on stubby legs the tree has no branch for: a crocodile, a lizard.

Seen from the side, a crocodile is a long, low body from its snout to its tail, its short legs just
showing under it: the outline reaches the floor only at its feet, the belly clear of it between them.
Spur pruning drops such stubs (they barely leave the body's outline), so the tree is one chain from
the snout to the tail, or keeps one leg of the two pairs; the upright and level readings find at most
one leg group and the figure was read as nothing (`generic`) or a snake. A rigger wants a quadruped:
the spine from the hips over the hind feet forward to the head, the tail behind, a front and a hind leg
pair, each leg from the spine down to its foot.

The cue (`stubby_side`): a figure `LONG` times as wide as tall or more, its tree's longest path its
body, whose outline touches the floor (`FOOT_GAP` of the figure's height) in separate narrow places
(`feet`: each at most `FOOT_WIDE` of its width, a snake lies along the floor) under the body, at least
`GROUP_GAP` apart and half that inside the figure's ends, the belly above the floor between them; the
two outermost are the front and hind
feet (the head end of the path is its rounder tip, `cues.headness`). A foot that a leg on the floor the
tree has (`cues.floor_legs`) stands on is that leg; the others are stubs in `Layout.feet`, added to the
joints by `add_stubs`: a leg from the spine joint above the foot straight down to it, cut as every
quadruped leg, near and far (the far one behind it, as `hidden` adds a side view's far legs).
"""
from __future__ import annotations

import numpy as np

from .body import Body
from .cues import GROUP_GAP, headness, limbs_on, longest_path
from .cuts import points_at
from .joints import Joints
from .limbs import SEGMENTS
from .parts import Layout, near_far

LONG = 2.5  # the figure at least this many times as wide as tall
FOOT_GAP = 0.08  # a column of the outline within this share of the figure's height of the floor touches it
FOOT_WIDE = 0.12  # a foot at most this share of the figure's width
SCORE = 0.6  # above `generic`'s bar, under a quadruped reading whose legs the tree shows


def stubby_side(body: Body, legs: list[int]) -> Layout | None:
    """The side quadruped reading of a long, low figure on stubby legs (module docstring); None where
    its outline does not stand on two separate feet."""
    if body.width < LONG * body.height:
        return None
    main = longest_path(body)
    if len(main) < 3:
        return None
    found = feet(body)
    if len(found) < 2 or found[-1] - found[0] < GROUP_GAP:
        return None
    head, tail = sorted((main[0], main[-1]), key=lambda end: -headness(body, end))
    forward = 1.0 if body.xy[head, 0] > body.xy[tail, 0] else -1.0
    hind_x, front_x = sorted((found[0], found[-1]), key=lambda x: forward * x)
    if max(abs(hind_x), abs(front_x)) > body.width / 2 - GROUP_GAP / 2:
        return None  # a foot at the figure's end: a tip on the floor (a snake's, a fish's), no body over it
    path = body.path(tail, head)
    hips = min(path, key=lambda j: abs(float(body.xy[j, 0]) - hind_x))
    k = path.index(hips)
    if k == 0 or k == len(path) - 1:
        return None
    layout = Layout("quadruped", SCORE, "side", SCORE, "left" if forward < 0 else "right",
                    path[k:], path[k::-1])
    own = {}
    for leg in legs:
        x = float(body.xy[leg, 0])
        near = min((hind_x, front_x), key=lambda f: abs(f - x))
        if abs(near - x) < GROUP_GAP:
            own[leg] = "hind_leg" if near == hind_x else "front_leg"
    layout.limbs = limbs_on(body, layout, own)
    for limb in layout.limbs:
        limb.group = limb.part = limb.part or "limb"
    shown = {m.part for m in layout.limbs}
    pairs = ((hind_x, "hind_leg"), (front_x, "front_leg"))
    layout.feet = [(x, part) for x, part in pairs if part not in shown]
    return layout if layout.feet else None


def feet(body: Body) -> list[float]:
    """The x (normalized) of each place the outline touches the floor, left to right, where all of
    them are narrow (`FOOT_WIDE`) and the outline clears the floor between them; none otherwise."""
    mask = body.shape.mask
    rows = np.arange(mask.shape[0])[:, None]
    cols = np.flatnonzero(mask.any(axis=0))
    if not len(cols):
        return []
    bottom = np.where(mask[:, cols], rows, -1).max(axis=0)
    unit = body.shape.work_px_per_unit
    touch = bottom >= bottom.max() - FOOT_GAP * body.height * unit
    edges = np.flatnonzero(np.diff(np.r_[0, touch.astype(int), 0]))
    runs = list(zip(edges[::2], edges[1::2]))
    if any(b - a > FOOT_WIDE * len(cols) for a, b in runs):
        return []
    middles = [(cols[a] + cols[b - 1] + 1) / 2 for a, b in runs]
    x = body.shape.frame.to_normalized(np.array([[m / body.shape.work_scale, 0.0] for m in middles]))[:, 0]
    return [float(v) for v in x]


def add_stubs(body: Body, layout: Layout, out: Joints) -> None:
    """Each stub foot's leg (`Layout.feet`), near and far: from the spine joint above the foot straight
    down to the floor under it, cut as every quadruped leg."""
    spine = [k for k in range(len(out)) if out.parts[k] == "spine"]
    if not layout.feet or not spine:
        return
    for x, part in layout.feet:
        socket = min(spine, key=lambda k: abs(float(out.positions[k][0]) - x))
        top = np.asarray(out.positions[socket], dtype=np.float64)
        radius = float(body.shape.radius_at(top[None].astype(np.float32))[0])
        roles, fractions = SEGMENTS[part]
        for side, depth in zip(near_far(layout.facing), (0.5, -0.5)):
            poly = np.array([[top[0], top[1], depth * radius], [x, body.floor, depth * radius]])
            joint = socket
            for role, point in zip(roles, points_at(poly, [0.0, *fractions])):
                joint = out.add(point, joint, part, role, side=side)
            out.add(poly[-1], joint, part, roles[-1], side=side, tip=True)
