"""A sprawled quadruped seen from the front or from above: a lizard, a crocodile, a gecko.

Its legs leave a low, flat trunk sideways: the upper leg runs out from the shoulder (the hip), the elbow
(the knee) stands out at the flank, and the lower leg drops about straight down to the foot on the floor
(the synthetic lizards: the upper leg 55-80° from vertical, the lower 0-20°). Seen from the front the
trunk is end-on, often wider than the legs' knees (a flat belly), the head in front of it inside the
outline or under it, the tail behind or rising over the back; the hind legs stand behind the front ones
or beside them, inside. The upright readings took such a figure for a side view quadruped (its two feet
two leg groups apart, the trunk's flanks its head and tail), a many-legged one or a biped with arms (the
flanks), and a rigger got a spine across the picture.

The cue (`sprawled_front`): two feet on the floor, one on either side, at least `SPAN` times as far
apart as the trunk's middle (where the path between them crosses the midline) stands above the floor (a
low, wide stance: a standing person's or a dog's feet are a fraction of that apart); each leg's path
from the trunk's middle bending at a knee out at the side (`knee`: the top of a lower leg about upright,
`KNEE_OUT` of the way out at least, the upper leg running out more than down and not up: a person's legs
astride run straight to the feet, a dog's stand as columns under the trunk, a spider's knees rise over
its body), the upper leg hanging from the trunk (`hanging`: dropping from its middle to the knee at least
`UPPER_DROP` below level; a table's top from the front and a walking bear's back from the side run level
to the legs' tops); and no tip off the trunk but along its midline (the head, a tail) or about level with the
trunk's middle (within `FLANK_SLOPE`: the flanks of a flat body, no limb; a person's arms and a bird's
wings leave the figure higher up). On the midline, the tip nearest the trunk's middle is the head and
the farthest the tail (a lone tip is a tail where it reaches `TAIL_REACH` trunk radii or more, up over
the back or down to the floor behind, the head then seen end-on inside the trunk's outline; with no tip
there at all, the outline must mirror itself: a side view's head and tail are level tips too). Another
foot on the floor beside a front one is its hind leg. The layout is the front quadruped's
(`hind_legs.lay_in_depth`) with `Layout.sprawled` set: its legs keep their knees out at the sides
(`hind_legs`).

On the development draws (dev, dev2 and three fresh draws of 120 characters, both facings where
mirrored) the cue holds on 10 front views, all of quadrupeds (lizards), and on no other figure.

Seen from above (`sprawled_top`; the synthetic sets have no top views, drawn figures do), a lizard is a
spine from its head to its tail's tip with its legs across it in a front and a hind pair: a quadruped
from the top, not a biped (the front legs its arms, the tail a leg) or an insect.
"""
from __future__ import annotations

import numpy as np

from .body import Body
from .cues import FLOOR, MIRROR_SIDE, drop_limbs, headness, limbs_on, on_floor
from .parts import Layout

SPAN = 1.0  # the two feet at least this many times as far apart as the trunk's middle stands high
SHIN = 35.0  # a sprawled leg's lower leg within this many degrees of vertical (the synthetic lizards: 0-20)
KNEE_OUT = 0.5  # a knee at least this share of the way out from the trunk's middle to its foot
# degrees an outer leg drops below level from the trunk's middle to its knee, at least (the synthetic
# lizards: 14-44, drawn ones 17-19; a table's top from the front and a walking bear's back from the side,
# along which the tree reaches the legs' tops: 0-8)
UPPER_DROP = 10.0
FLANK_SLOPE = np.tan(np.radians(25))  # a flank's tip within this slope of level from the trunk's middle
MIDLINE = 1.5  # a tip within this many trunk radii of the midline is on it (a head, a tail)
TAIL_END = 0.5  # a tip on the floor within this many trunk radii of the midline is a tail's end, no leg
TAIL_REACH = 2.0  # a lone tip on the midline this many trunk radii from its middle or more is a tail
SCORE = 0.85  # as sure as a front quadruped reading whose legs reach the floor
ACROSS = np.cos(np.radians(45))  # a leg seen from above leaves the spine at least this far across it
PAIRS_APART = 0.15  # the front and the hind pair at least this share of the spine's length apart
TAIL_BEYOND = 0.2  # the spine runs on past the hind pair at least this share of its length (a tail)
PAIRED = 0.7  # the legs of a pair seen from above within this ratio of each other's length and reach
TOP_PATHS = 6  # the longest paths between two tips tried for a spine seen from above
TOP_SCORE = 0.9  # two pairs of legs across a spine that runs on into a tail: no upright figure's build


def sprawled_front(body: Body, legs: list[int]) -> Layout | None:
    """The front quadruped reading of a sprawled figure (module docstring); None where the cue fails."""
    if len(legs) < 2 or len(legs) > 5:
        return None
    a, b = sorted(legs, key=lambda leg: body.xy[leg, 0])[:: len(legs) - 1]
    mid = float(np.mean(body.xy[[a, b], 0]))
    path = body.path(a, b)
    centre = path[int(np.argmin(np.abs(body.xy[path, 0] - mid)))]
    if body.xy[b, 0] - body.xy[a, 0] < SPAN * (body.xy[centre, 1] - body.floor):
        return None  # no low, wide stance
    if centre in (a, b) or not all(hanging(body, body.path(centre, foot)) for foot in (a, b)):
        return None
    trunk = float(body.rad[centre])
    midline, flanks, hind = [], [], []
    for leaf in body.leaves:
        d = body.xy[leaf] - body.xy[centre]
        if leaf in (a, b):
            continue
        if leaf in legs:  # the hind leg behind a front one, its foot beside it; a tail's end
            (midline if abs(d[0]) <= TAIL_END * trunk else hind).append(leaf)
        elif on_floor(body, leaf):
            continue  # a toe of a foot on the floor
        elif abs(d[0]) <= MIDLINE * trunk:
            midline.append(leaf)
        elif abs(d[1]) <= FLANK_SLOPE * abs(d[0]):
            flanks.append(leaf)
        else:
            return None  # an arm, a wing: an upright figure's
    sides = [body.xy[leg, 0] > mid for leg in hind]
    if len(sides) != len(set(sides)):
        return None  # more legs a side than a front and a hind one: many legs
    reach = {leaf: float(np.linalg.norm(body.xy[leaf] - body.xy[centre])) for leaf in midline}
    far = max(midline, key=reach.get) if midline else None
    tail = far if len(midline) > 1 or (far is not None and reach[far] > TAIL_REACH * trunk) else None
    rest = [leaf for leaf in midline if leaf != tail]
    stalk: list[int] = []
    if far is None and body.mirror < MIRROR_SIDE[0]:
        return None  # no head or tail to read, nor a mirror-symmetric outline: a side view's head and tail
    if far is None:  # the head seen end-on inside the trunk's outline, no tail: the spine at its middle
        spine = [centre, min(body.adj[centre], key=lambda j: abs(body.xy[j, 0] - mid))]
    elif rest:  # the head: the nearest tip on the midline
        spine = body.path(centre, min(rest, key=reach.get))
        stalk = body.path(centre, tail) if tail is not None else []
    else:  # the head seen end-on inside the trunk's outline, the tail rising out of it
        line = body.path(centre, far)
        k = max(1, sum(np.linalg.norm(body.xy[line] - body.xy[centre], axis=1) <= trunk) - 1)
        spine, stalk = line[: k + 1], line[k:]
    if len(spine) < 2:
        return None
    layout = Layout("quadruped", SCORE, "front", SCORE, "viewer", spine)
    tips = {a: "front_leg", b: "front_leg"} | {leg: "hind_leg" for leg in hind}
    if stalk and rest:
        layout.tail = stalk
    layout.limbs = limbs_on(body, layout, tips | ({far: "tail"} if stalk and not rest else {}))
    for limb in layout.limbs:
        limb.group = limb.part = limb.part or "limb"
        if limb.part in ("front_leg", "hind_leg") and limb.parent >= 0:  # every leg from the trunk
            limb.joints, limb.parent = body.path(centre, limb.joints[-1]), -1
    toes = {i for i, m in enumerate(layout.limbs)
            if m.parent >= 0 and on_floor(body, m.joints[-1]) and m.joints[-1] not in tips}
    drop_limbs(layout, toes | {i for i, m in enumerate(layout.limbs) if m.joints[-1] in flanks})
    layout.sprawled = True
    return layout


def knee(body: Body, path: list[int]) -> int | None:
    """The index along `path` (the trunk's middle to a foot) of a sprawled leg's knee: the top of the
    lower leg, where the path from the foot up first turns off upright (a step more than `SHIN` off
    vertical), read up from where it reaches the floor (`ground`: toes spread along the floor are no
    part of the leg's line), at least `KNEE_OUT` of the way out to the foot, the upper leg running out
    more than down and not up (a spider's knees rise over its body); None where the leg runs on about
    straight up into the trunk (a leg astride, a dog's column) or its knee is not out at the side."""
    xy = body.xy[path]
    g = ground(body, path)
    k = g
    while k > 0 and _steep(xy[k - 1] - xy[k]):
        k -= 1
    upper = xy[k] - xy[0]
    out = abs(upper[0]) / max(abs(xy[g, 0] - xy[0, 0]), 1e-12)
    if k == g or k == 0 or out < KNEE_OUT or abs(upper[1]) >= abs(upper[0]) or upper[1] > 0:
        return None
    return k


def hanging(body: Body, path: list[int]) -> bool:
    """Whether `path` (the trunk's middle to a foot) is a sprawled leg hanging from the trunk: it has a
    `knee` that lies at least `UPPER_DROP` below level from the trunk's middle (a table's top runs level
    out to its legs, a walking bear's back along to its outer legs)."""
    k = knee(body, path)
    if k is None:
        return False
    upper = body.xy[path[k]] - body.xy[path[0]]
    return bool(-upper[1] >= np.tan(np.radians(UPPER_DROP)) * abs(upper[0]))


def ground(body: Body, path: list[int]) -> int:
    """The index along `path` (out to a foot) where it reaches the floor: the first joint of the run of
    joints on the floor (`cues.on_floor`) it ends in (a thick trunk's joint may reach the floor too)."""
    on = body.xy[path, 1] - body.rad[path] - body.floor < FLOOR
    g = len(path) - 1
    while g > 0 and on[g - 1]:
        g -= 1
    return g


def _steep(d: np.ndarray) -> bool:
    """Whether a step up the leg is within `SHIN` of vertical."""
    return bool(d[1] > 0 and abs(d[0]) <= np.tan(np.radians(SHIN)) * d[1])


def sprawled_top(body: Body) -> Layout | None:
    """A sprawled quadruped seen from above: the spine runs from the head to the tail's tip, and exactly
    four limbs leave it across it (each within 45° of square to it, `ACROSS`) in two pairs, one limb of
    a pair to either side, the pairs `PAIRS_APART` of its length apart, the spine running on
    `TAIL_BEYOND` of it past the hind pair (a tail: a person's legs end the figure, a bird's spread
    wings are one pair), the legs of a pair mirror images (`PAIRED`: an ear over a side view's leg is
    none); the front pair is the one nearer the head, the rounder end (`cues.headness`). Of the paths
    between two tips, the longest that reads so (of the `TOP_PATHS` longest); None where none does."""
    if len(body.leaves) < 6:  # a head, a tail and four feet
        return None
    ends = sorted(((a, b) for i, a in enumerate(body.leaves) for b in body.leaves[i + 1 :]),
                  key=lambda pair: -float(body.distances(pair[0])[pair[1]]))
    for a, b in ends[:TOP_PATHS]:
        tail, head = sorted((a, b), key=lambda end: headness(body, end))
        layout = _from_above(body, body.path(tail, head))
        if layout is not None:
            return layout
    return None


def _from_above(body: Body, path: list[int]) -> Layout | None:
    """`sprawled_top`'s reading with `path` (the tail's tip to the head) for the spine, or None."""
    if len(path) < 5:
        return None
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.xy[path], axis=0), axis=1))])
    share = arc / max(float(arc[-1]), 1e-12)
    probe = Layout("quadruped", SCORE, "top", SCORE, "viewer", path)
    limbs = [m for m in limbs_on(body, probe, {})
             if m.parent < 0 and body.arc(m.joints) > 2 * body.rad[m.joints[0]]]
    if len(limbs) != 4:
        return None
    at = {id(m): float(share[path.index(m.joints[0])]) for m in limbs}
    limbs.sort(key=lambda m: at[id(m)])
    hind, front = limbs[:2], limbs[2:]
    heading = body.xy[path[-1]] - body.xy[path[0]]
    heading = heading / max(float(np.linalg.norm(heading)), 1e-12)
    sides = []
    for m in limbs:
        d = body.xy[m.joints[-1]] - body.xy[m.joints[0]]
        d = d / max(float(np.linalg.norm(d)), 1e-12)
        if abs(float(d @ heading)) > ACROSS:
            return None  # along the spine: a person's legs, not a sprawled leg
        sides.append(float(heading[0] * d[1] - heading[1] * d[0]) > 0)
    if sides[0] == sides[1] or sides[2] == sides[3]:
        return None  # each pair: one leg a side
    for pair in (hind, front):  # mirror images: as long, as far out (an ear over a leg is none)
        length = [body.arc(m.joints) for m in pair]
        out = [abs(float(heading[0] * (body.xy[m.joints[-1], 1] - body.xy[m.joints[0], 1])
                         - heading[1] * (body.xy[m.joints[-1], 0] - body.xy[m.joints[0], 0]))) for m in pair]
        if min(length) < PAIRED * max(length) or min(out) < PAIRED * max(out):
            return None
    if at[id(front[0])] - at[id(hind[1])] < PAIRS_APART or at[id(hind[0])] < TAIL_BEYOND:
        return None
    k = path.index(hind[0].joints[0])
    layout = Layout("quadruped", TOP_SCORE, "top", TOP_SCORE, "viewer", path[k:], path[k::-1])
    tips = {m.joints[-1]: part for part, pair in (("front_leg", front), ("hind_leg", hind)) for m in pair}
    layout.limbs = limbs_on(body, layout, tips)
    for limb in layout.limbs:
        limb.group = limb.part = limb.part or "limb"
    return layout
