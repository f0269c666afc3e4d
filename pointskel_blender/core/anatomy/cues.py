"""Silhouette evidence the body plans share: legs on the floor, the head tip, the hips, the trunk's limbs.

Rule-based readings of the medial tree and the outline around it (`plan.py` says what each body plan
makes of them).
"""
from __future__ import annotations

import numpy as np

from ..mirror import fit, resample
from .body import Body
from .frame import cut_tips
from .parts import Layout, Limb, hanging
from .tucked import HEAD_THICKNESS

FLOOR = 0.08  # normalized units (the bbox's longest side is 1)
SOLE = 0.5  # a foot's sole is read up to this share of `FLOOR` above the floor (`footprint`)
FOOTPRINT_SAMPLES = 201  # along the figure's width (`footprint`)
THIN = 0.02  # a limb this thin (radius, normalized) is a stroke whatever its taper
FOOT = 0.5  # a foot under legs merged in one column: under this share of the column's thickness
COLUMN = 0.75  # ... the column keeping this share of its thickness from halfway down to its ankle
TRAILING = 0.6  # a tail trailing beside a column of two legs is thinner than this share of it (one leg: half)
GROUP_GAP = 0.12  # legs hanging from places nearer than this along the image's x are one group
UPRIGHT = np.cos(np.radians(35))
HEAD_CONE = np.cos(np.radians(50))
MIRROR_SIDE = (0.8, 0.95)  # a side reading loses up to `MIRROR_COST` as the mask's mirror IoU rises so
MIRROR_COST = 0.4
HEAD_REACH = 0.2  # how far from a tip its thickness is read (`headness`), normalized
CORNER = 0.45  # a corner's wedge: its radius over the distance from the tip (`corner`)
ROUND = 1.6  # ... near the tip, where a round end (a hand) has most of its radius already
SHARP = 1.8  # ... and against a quarter of the way in (a plush arm's cone: 2.1)
HEM_DEPTH = 0.03  # how far under a hem's corner its underside is read (`open_below`), of the height
BEAK = 0.06  # a bird's beak: the last stretch of a tip read for where it points (`head_tip`), normalized


def tip_direction(body: Body, tip: int, towards: int, reach: float) -> np.ndarray:
    """Where a tip points: (x, y) from `reach` of arc back along the tree (toward `towards`) to it."""
    path = body.path(tip, towards)
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.xy[path], axis=0), axis=1))])
    return body.xy[tip] - body.xy[path[int(np.searchsorted(arc, min(reach, arc[-1])))]]


def along(d: np.ndarray) -> float:
    """The share of a direction along the image's x (signed)."""
    return float(d[0] / max(float(np.linalg.norm(d)), 1e-12))


def floor_legs(body: Body) -> list[int]:
    """Tips on the floor whose branch heads down (or is a short toe) and keeps its width to the end
    like a leg, unlike a fin or a tail lobe, which taper to a point. Where the tree is one chain (a
    plush figure from the side, its feet turning on the floor) its lower half is the branch, and a
    foot a third as thick as the leg above it keeps its width. A branch that runs along the body
    before it turns down to the floor (a side view's hind leg on the tree's main path; a branch
    heading down only obliquely from a place a leg group away) is a leg from where it leaves the
    body (`hips_on`) when it heads straight down from there (within 35° of vertical: an octopus's
    arms curl) to a foot, not a point (a fish's fins). A foot that ends in two toes on the floor is
    one foot, its leg the branch above them (`_two_toes`). Legs drawn one behind the other in one
    thick column over thin feet are that column, down to where it stands on the floor
    (`column_ankle`); a thin tip trailing on the floor beside such a column is a tail
    (`trailing_tail`). Each leg's top is in `body.leg_tops`.
    A tip on an edge the frame cuts is none: the body runs on there (`frame.cut_tips`)."""
    out = []
    cut = cut_tips(body)
    for leaf in body.leaves:
        chain = body.branch(leaf)
        share = 0.5
        if body.degree[chain[0]] == 1:
            chain, share = chain[len(chain) // 2 :], 0.3
        if not on_floor(body, leaf) or leaf in cut:
            continue
        toes = _two_toes(body, leaf)
        if toes is not None:
            if toes[0] == leaf:
                out.append(leaf)
                body.leg_tops[leaf] = toes[1]
            continue
        top = hips_on(body, chain[::-1])
        own = _leg_like(body, chain, 0.3, share)
        along = body.rad[leaf] >= THIN and _leg_like(body, body.path(top, leaf), UPRIGHT, share)
        oblique = own and not _leg_like(body, chain, UPRIGHT, share)
        if along and (not own or (oblique and abs(body.xy[top, 0] - body.xy[chain[0], 0]) > GROUP_GAP)):
            out.append(leaf)
            body.leg_tops[leaf] = top
        elif own:
            out.append(leaf)
    tails = {leaf for leaf in out if trailing_tail(body, leaf, out)}
    for leaf in tails:
        body.leg_tops.pop(leaf, None)
    return [leaf for leaf in out if leaf not in tails]


def trailing_tail(body: Body, leaf: int, legs: list[int]) -> bool:
    """Whether a tip on the floor is a tail trailing behind legs drawn one behind the other (a perching
    bird's from the side): beside it, from about the same place (`GROUP_GAP` along x), stands a column
    on a foot along the floor (`column_ankle`) pointing away from this tip, and this branch is thinner
    than `TRAILING` of the column and reaches the floor obliquely (more than 35° off vertical). Both
    legs are in the column; the tail carries no weight."""
    chain = body.branch(leaf)
    d = body.xy[leaf] - body.xy[chain[0]]
    if d[1] < -UPRIGHT * float(np.linalg.norm(d)) or not on_floor(body, leaf):
        return False  # (a leg lifted behind, a runner's, is no tail)
    for leg in legs:
        column = body.branch(leg)
        ankle = column_ankle(body, column) if leg != leaf else None
        if ankle is None or abs(body.xy[column[0], 0] - body.xy[chain[0], 0]) > GROUP_GAP:
            continue
        foot = body.xy[leg, 0] - body.xy[column[ankle], 0]
        thin = np.median(body.rad[chain[1:]]) < TRAILING * np.median(body.rad[column[1 : ankle + 1]])
        if thin and foot * (body.xy[leaf, 0] - body.xy[column[ankle], 0]) < 0:
            return True
    return False


def _two_toes(body: Body, leaf: int) -> tuple[int, int] | None:
    """Where `leaf` is one of two toes on the floor that part at an ankle on the floor, running along
    it opposite ways, below a branch heading down to it (a paw spread both ways, seen from the
    front): the toe that is the leg's tip (the lower) and the leg's top (where that branch starts);
    None otherwise."""
    ankle = body.branch(leaf)[0]
    if body.degree[ankle] != 3 or body.xy[ankle, 1] - body.rad[ankle] - body.floor >= FLOOR:
        return None
    ends = {}
    for first in body.adj[ankle]:
        path = [ankle, first]
        while body.degree[path[-1]] == 2:
            path.append(next(j for j in body.adj[path[-1]] if j != path[-2]))
        ends[path[-1]] = path
    toes = [end for end in ends if body.degree[end] == 1 and on_floor(body, end)]
    legs = [end for end in ends if end not in toes]
    if len(toes) != 2 or len(legs) != 1 or leaf not in toes:
        return None
    reach = body.xy[toes] - body.xy[ankle]
    if reach[0, 0] * reach[1, 0] >= 0 or (np.abs(reach[:, 1]) >= np.abs(reach[:, 0])).any():
        return None  # toes run along the floor both ways; two legs forking low head down
    top = legs[0]
    d = body.xy[ankle] - body.xy[top]
    if d[1] >= -0.3 * float(np.linalg.norm(d)):
        return None
    return min(toes, key=lambda toe: (body.xy[toe, 1] - body.rad[toe], toe)), top


def on_floor(body: Body, leaf: int) -> bool:
    """Whether a tip reaches the floor (within `FLOOR` of the mask's bottom, beyond its radius)."""
    return bool(body.xy[leaf, 1] - body.rad[leaf] - body.floor < FLOOR)


def _leg_like(body: Body, leg: list[int], steep: float, share: float) -> bool:
    """Heads down from its first joint (its direction's downward share at least `steep`) or is a
    short toe, and keeps its width to the end."""
    if len(leg) < 2:
        return False
    ankle = column_ankle(body, leg)
    if ankle is not None:  # the leg is the column down to its foot
        leg = leg[: ankle + 1]
    d = body.xy[leg[-1]] - body.xy[leg[0]]
    toe = body.arc(leg) < 0.1  # a toe turns on the floor
    down = d[1] < -steep * float(np.linalg.norm(d)) or toe
    return bool(down and (toe or _keeps_width(body, leg, share)))


def column_ankle(body: Body, leg: list[int]) -> int | None:
    """Where a column stands on the floor and turns into a thinner foot along it (legs drawn one
    behind the other in a side view: one thick stroke over thin feet or toes): the first joint, past
    the leg's first third, whose disc reaches the floor (within `FLOOR`), from which the rest runs
    along the floor (more across than down) and is under `FOOT` as thick as the column above it (a
    kneeling shin flat on the floor is as thick as the thigh). The foot's width is no leg's: a fin
    tapers to its point on the way down, not along the floor. The column stands under the body
    (within 35° of vertical: a leg striding out at a slant is one leg, its foot its own) and keeps
    `COLUMN` of its thickness from halfway down to that joint: a sitting cat's haunch narrows into the
    tail lying along the floor, which is no foot. None where no such joint is."""
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.xy[leg], axis=0), axis=1))])
    for k in range(1, len(leg) - 1):
        j = leg[k]
        if arc[k] < arc[-1] / 3 or body.xy[j, 1] - body.rad[j] - body.floor >= FLOOR:
            continue
        rest = body.xy[leg[-1]] - body.xy[j]
        thin = np.median(body.rad[leg[k + 1 :]]) < FOOT * np.median(body.rad[leg[1 : k + 1]])
        if abs(rest[0]) <= abs(rest[1]) or not thin:
            continue
        down = body.xy[j] - body.xy[leg[0]]
        middle = float(np.interp(arc[k] / 2, arc[: k + 1], body.rad[leg[: k + 1]]))
        standing = down[1] < -UPRIGHT * float(np.linalg.norm(down))
        return k if standing and body.rad[j] >= COLUMN * middle else None
    return None


def footprint(body: Body, x: float) -> float:
    """Which way a side view's feet point, from where the figure meets the floor: the outline's runs
    along the floor (in a band up to `SOLE` of `FLOOR` above it) within `FLOOR` of the ankles' column
    at `x` (the two feet of a step, each its own run or one blob the tree ends at either end of, its
    heel or its toe), how much farther they reach one way than the other, over their span (-1: all of
    it to the left of x, +1 to the right). Toes reach ahead of the ankle two or three times as far as
    the heel behind it; 0 where no run is that near."""
    xs = np.linspace(-0.5 * body.width, 0.5 * body.width, FOOTPRINT_SAMPLES)
    ys = body.floor + np.linspace(0.1, SOLE, 4) * FLOOR  # a band: a sole sloping to its toe stays one run
    grid = np.stack(np.broadcast_arrays(xs[None, :], ys[:, None]), axis=-1).reshape(-1, 2)
    filled = np.zeros(len(xs) + 2, dtype=bool)
    filled[1:-1] = on_figure(body, grid).reshape(len(ys), len(xs)).any(axis=0)
    edges = np.flatnonzero(np.diff(filled.astype(np.int8)))  # run k: samples edges[2k] .. edges[2k+1]-1
    runs = [(xs[a], xs[b - 1]) for a, b in zip(edges[::2], edges[1::2])]
    near = [(a, b) for a, b in runs if a - FLOOR <= x <= b + FLOOR]
    if not near:
        return 0.0
    right, left = max(b for _, b in near) - x, x - min(a for a, _ in near)
    return float((right - left) / max(right + left, 1e-12))


def corner(body: Body, leaf: int) -> bool:
    """Whether a tip is a corner of the outline, not a limb: a skirt's, a coat's or a cape's hem
    where it meets the side. The medial branch into a corner is a wedge: its radius grows in
    proportion to the distance from the tip (at least `CORNER` of it a quarter, half and three
    quarters of the way in, the corner at least about 55° wide), from a sharp tip (a tenth of the way
    in, under `ROUND` of it and under `SHARP` times that a quarter of the way in); a limb keeps its own
    width along its way (a stroke's radius over the distance falls) and ends round (a hand, a paw, a
    plush arm's cone: its radius near the end is already most of it)."""
    chain = body.branch(leaf)[::-1]
    if len(chain) < 3:
        return False
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.pos[chain], axis=0), axis=1))])
    way = np.array([0.1, 0.25, 0.5, 0.75]) * arc[-1]
    spread = np.interp(way, arc, body.rad[chain]) / np.maximum(way, 1e-12)
    return bool(spread[0] < min(ROUND, SHARP * spread[1]) and (spread[1:] >= CORNER).all())


def open_below(body: Body, leaf: int, centre: float) -> float:
    """How much of the figure's outline is empty just under a tip (`HEM_DEPTH` of the height below
    it), along the first half of the way from it towards `centre` (x): a hem's underside, where only
    the legs come out further in (a plush arm's tip hangs beside its belly: filled)."""
    x, y = body.xy[leaf]
    xs = np.linspace(x, x + 0.5 * (centre - x), 16)
    points = np.stack([xs, np.full_like(xs, y - HEM_DEPTH * body.height)], axis=1)
    return float(1.0 - on_figure(body, points).mean())


def on_figure(body: Body, points: np.ndarray) -> np.ndarray:
    """(N,) bool: whether the (N, 2) normalized points fall on the mask's figure pixels (the nearest
    working pixel; off the mask, not)."""
    px = np.rint(body.shape.to_work(points)).astype(int)
    mask = body.shape.mask
    inside = (px[:, 1] >= 0) & (px[:, 1] < mask.shape[0]) & (px[:, 0] >= 0) & (px[:, 0] < mask.shape[1])
    out = np.zeros(len(px), dtype=bool)
    out[inside] = mask[px[inside, 1], px[inside, 0]]
    return out


def _keeps_width(body: Body, chain: list[int], share: float = 0.5) -> bool:
    """A leg keeps its width to a round foot; a fin tapers to a point (at 92 % of its length it is
    less than `share` as thick as at 67 %). Limbs too thin for the medial path to tell are legs. A tip
    of no thickness is where the medial path ran out onto the outline: its width is the joint's before."""
    if len(chain) > 2 and body.rad[chain[-1]] <= 0:
        chain = chain[:-1]
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.pos[chain], axis=0), axis=1))])
    r67, r92 = np.interp([0.67 * arc[-1], 0.92 * arc[-1]], arc, body.rad[chain])
    return bool(r92 >= share * r67 or r67 < THIN)


def leg_groups(body: Body, legs: list[int]) -> list[list[int]]:
    """Legs hanging from about one place along the body, left to right in the image."""
    attach = {leg: body.leg_top(leg) for leg in legs}
    ordered = sorted(legs, key=lambda leg: body.xy[attach[leg], 0])
    groups: list[list[int]] = []
    for leg in ordered:
        if groups and abs(body.xy[attach[leg], 0] - body.xy[attach[groups[-1][-1]], 0]) < GROUP_GAP:
            groups[-1].append(leg)
        else:
            groups.append([leg])
    return groups


def lifted_leg(body: Body, leg: int) -> int | None:
    """The other leg of a figure with one foot on the floor: the lowest other tip in the lower half
    of the figure whose branch heads down, other than a tail trailing behind both legs in one column
    (`trailing_tail`)."""
    options = []
    for leaf in body.leaves:
        d = body.xy[leaf] - body.xy[body.branch(leaf)[0]]
        low = body.xy[leaf, 1] - body.floor < 0.5 * body.height
        down = d[1] < -0.3 * float(np.linalg.norm(d))
        if leaf != leg and low and down and not trailing_tail(body, leaf, [leg]):
            options.append(leaf)
    return min(options, key=lambda leaf: body.xy[leaf, 1]) if options else None


def head_tip(body: Body, exclude: set[int], above: np.ndarray | None = None,
             torso: float = np.inf, level: bool = False) -> int | None:
    """The tip most like a head, higher counting up to half again (heads top a figure, tails hang;
    `level`, a bird's: pointing level does, a beak, where raised wings and a crest point up);
    of tips around one head (an ear and a muzzle; a bird's: within `HEAD_REACH` of the best) the one
    farthest out from the body's centre.
    `above` (x, y): only tips within 50° of straight above it count, where there are any (a biped's
    head tops its legs; a plush figure's mittens are thicker than its ears), each the less the
    farther it is to the side (a fifth of the height off: × 0.6; half of it or more: × 0.2).
    `torso`: see `headness`."""
    options = [leaf for leaf in body.leaves if leaf not in exclude]
    if above is not None:
        rise = body.xy[options] - above
        steep = rise[:, 1] >= HEAD_CONE * np.linalg.norm(rise, axis=1)
        options = [leaf for leaf, ok in zip(options, steep) if ok] or options
        options = _framing_pair(body, options, float(above[0])) or options
    if not options:
        return None
    lift = np.clip((body.xy[options, 1] - body.floor) / body.height, 0, 1)
    if level:
        lift = np.array([abs(along(tip_direction(body, leaf, body.branch(leaf)[0], BEAK)))
                         for leaf in options])
    score = {leaf: headness(body, leaf, torso) * (1.0 + 0.5 * float(up)) for leaf, up in zip(options, lift)}
    if above is not None:  # and the nearer straight above, the likelier (a hand held out is off to one side)
        for leaf in options:
            off = abs(float(body.xy[leaf, 0] - above[0])) / body.height
            score[leaf] *= max(0.2, 1.0 - 2.0 * off)
    best = max(score.values())
    around = [leaf for leaf in options if score[leaf] >= 0.9 * best]
    if level:  # around the best one itself (a bird's raised wing tip scores near its beak, far from it)
        top = max(options, key=lambda leaf: score[leaf])
        around = [leaf for leaf in around if body.distances(top)[leaf] <= HEAD_REACH]
    reach = body.distances(0)
    return max(around, key=lambda leaf: (round(float(reach[leaf]), 4), -leaf))


def _framing_pair(body: Body, options: list[int], axis: float) -> list[int]:
    """Where every tip above the legs has a mirror partner across their axis (hands held up at the
    sides, ears in a V: no tip of the head's own), the highest pair, which frames the head (`ear_fork`
    then stops the spine between them); none where some tip is unpaired (a head on the midline)."""
    pairs = [(a, b) for i, a in enumerate(options) for b in options[i + 1 :] if mirrored(body, a, b, axis)]
    if len(options) < 2 or {leaf for pair in pairs for leaf in pair} != set(options):
        return []
    return list(max(pairs, key=lambda pair: float(body.xy[list(pair), 1].min())))


def mirrored(body: Body, a: int, b: int, axis: float) -> bool:
    """Whether joints `a` and `b` mirror each other across x = `axis`: on either side of it, one as far
    out and as high as the other within a third of their spread."""
    da, db = body.xy[a, 0] - axis, body.xy[b, 0] - axis
    spread = abs(da - db)
    level = abs(body.xy[a, 1] - body.xy[b, 1]) <= spread / 3
    return bool(da * db < 0 and abs(da + db) <= spread / 3 and level)


def headness(body: Body, leaf: int, torso: float = np.inf) -> float:
    """How much a tip looks like a head: the thickness near it (within `HEAD_REACH` of it along the
    tree, or 2.5 of its radii), half again when a neck (a thinner stretch before the body thickens
    again) sets it off, as a head's or a plush head's is and a tail's or a wing's is not. `torso`: the
    tip's own stretch ends where it first gets this thick (a thin tail running into a deep rump then
    reads as thin as it is; a head's stretch holds the head before the neck)."""
    key = (leaf, torso)
    if key not in body.memo:
        body.memo[key] = _headness(body, leaf, torso)
    return body.memo[key]


def _headness(body: Body, leaf: int, torso: float) -> float:
    path = body.path(leaf, 0)  # toward topology's root, the tree's most central joint
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.pos[path], axis=0), axis=1))])
    rad = body.rad[path]
    near = arc <= max(HEAD_REACH, 2.5 * body.rad[leaf])
    near[1:] &= np.cumsum(rad >= torso)[1:] == 0  # up to where it is first as thick as the torso
    k = int(np.argmax(np.where(near, rad, -1.0)))
    blob = float(rad[k])
    after = rad[k + 1 :]
    if len(after) < 2:
        return blob
    n = int(np.argmin(after))
    neck = float(after[n])
    body_after = float(after[n:].max())
    return blob * (1.5 if neck < 0.85 * blob and body_after > 1.1 * neck else 1.0)


def trim_head(body: Body, spine: list[int], upright: bool = False) -> list[int]:
    """Stop the spine at the head's centre when only short tips (ears, horns) branch on beyond it.

    The spine was traced to one of those tips; its last branch point is the head's centre when
    every branch leaving it forward ends within 2.5 of its radii (arms or a neck are longer) and none
    on the floor (a plush dog's short front leg off its chest, the round head beyond: the chest is no
    head, the head no ear). `upright` (a biped's spine): nor where a branch ends in a head on a neck
    (`_necked_end`): the fork is then the torso's top, where a short arm held out or up beside the
    head leaves it (both within 2.5 radii of a thick chest), not the head's centre. Dev unchanged;
    dev2 biped front views (three figures, four views) part accuracy +0.13 to +0.26 (0.17 -> 0.43 one
    with its arms held by its head), the rest and the chunky sets unchanged. Nor where two of the tips
    are arms held out level or hanging beside a neckless head rising between them (`_arms_beside`; the
    development sets unchanged).
    """
    trunk = float(body.rad[spine].max())
    for k in range(len(spine) - 2, 0, -1):
        j = spine[k]
        if body.degree[j] < 3:
            continue
        forward = [n for n in body.adj[j] if n != spine[k - 1]]
        if upright and _arms_beside(body, j, [max(body.away(j, n), key=lambda m: body.distances(j)[m])
                                              for n in forward]):
            return spine  # a plush biped's shoulders: arms held out or hanging beside its neckless head
        reach = []
        for n in forward:
            sub = body.away(j, n)
            if any(body.degree[m] >= 3 or (body.degree[m] == 1 and on_floor(body, m)) for m in sub):
                return spine
            if upright and _necked_end(body, j, max(sub, key=lambda m: body.distances(j)[m]), trunk):
                return spine  # a biped's head itself beyond its torso's top, an arm held up beside it
            reach.append(max(body.distances(j)[sub]))
        return spine[: k + 1] if max(reach) <= 2.5 * body.rad[j] else spine
    return spine


def _arms_beside(body: Body, fork: int, tips: list[int]) -> bool:
    """Whether two of the `tips` beyond a biped's last fork mirror each other about it (`mirrored`) and
    do not rise from it (each less far up than out: arms held out level or hanging), the only tip that
    rises (at least as far up as out) between them: a plush figure's arms either side of its head,
    which bulges from its body with no neck, all three within 2.5 radii of its thick chest (a drawn
    plush bean held its arms out: the spine stopped at its shoulders, the head was read as an ear and
    the arms hung from it). A head's centre has ears rising in a V from the front (the bundled fox's,
    its pointed cheeks hanging beside them)."""
    out = body.xy[tips] - body.xy[fork]
    level = [t for t, d in zip(tips, out) if d[1] < abs(d[0])]
    rising = [t for t, d in zip(tips, out) if d[1] >= abs(d[0])]
    if len(rising) != 1:
        return False
    axis = float(body.xy[fork, 0])
    x = float(body.xy[rising[0], 0])
    return any(mirrored(body, a, b, axis) and min(body.xy[[a, b], 0]) < x < max(body.xy[[a, b], 0])
               for i, a in enumerate(level) for b in level[i + 1 :])


def _necked_end(body: Body, fork: int, tip: int, trunk: float) -> bool:
    """Whether the way from `fork` out to `tip` ends in a head on a neck: beyond its thinnest stretch
    (the neck, under 85 % of it) as thick as a head (`tucked.HEAD_THICKNESS` of the `trunk`'s
    thickest; a plush bear's round ears on its big head are about a third of it)."""
    r = body.rad[body.path(fork, tip)]
    if len(r) < 3:
        return False
    neck = 1 + int(np.argmin(r[1:]))
    end = float(r[neck:].max())
    return end >= HEAD_THICKNESS * trunk and r[neck] < 0.85 * end


def ear_fork(body: Body, spine: list[int], legs: list[int]) -> tuple[list[int], list[int]]:
    """Stop the spine where it forks into a mirrored pair of plain tips rising from it (a plush
    figure's or a quadruped's ears seen from the front, the head between them inside the outline):
    each at least as far up as it is out and within 3 radii of the fork or half the figure's height
    (a bird's raised wings reach farther), on
    either side of it, one as high and as far out as the other within a third of their spread. At
    the hips (ears and legs from one joint) the spine keeps the ears' first joint. Returns the spine
    and the ears' tips (none when it goes on)."""
    for k in range(len(spine) - 2, -1, -1):
        j = spine[k]
        if body.degree[j] < 3:
            continue
        back = ({spine[k - 1]} if k else
                {n for n in body.adj[j] if any(body.between(j, leg, n) for leg in legs)})
        forward = [n for n in body.adj[j] if n not in back]
        subs = [body.away(j, n) for n in forward]
        if len(forward) != 2 or any(body.degree[m] >= 3 for sub in subs for m in sub):
            return spine, []
        reach = body.distances(j)
        a, b = (max(sub, key=lambda m: reach[m]) for sub in subs)
        da, db = body.xy[a] - body.xy[j], body.xy[b] - body.xy[j]
        spread = abs(da[0] - db[0])
        rising = min(da[1], db[1]) >= max(abs(da[0]), abs(db[0]), 1e-9)
        short = max(reach[a], reach[b]) <= max(3 * body.rad[j], 0.5 * body.height)
        # about the figure's midline: between its feet, else the spine's base (the tree may fork off the
        # midline to one ear's side, at the hips too: a plush body whose ears and legs leave one joint)
        mid = float(body.xy[legs, 0].mean()) if legs else float(body.xy[spine[0], 0])
        xa, xb = body.xy[a, 0] - mid, body.xy[b, 0] - mid
        mirrored = xa * xb < 0 and abs(xa + xb) <= spread / 3 and abs(da[1] - db[1]) <= spread / 3
        return (spine[: max(k + 1, 2)], [a, b]) if rising and short and mirrored else (spine, [])
    return spine, []


def hips_on(body: Body, path: list[int]) -> int:
    """Where a leg that runs on into the body leaves it, along `path` (foot first): from the
    thickest joint of the path's lower half by arc (the torso) down to the last one still three
    quarters as thick (a chibi's short legs: within 0.05 of the truth's hips on the development set)."""
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.pos[path], axis=0), axis=1))])
    lower = [k for k in range(len(path)) if arc[k] <= 0.5 * arc[-1]]
    torso = max(lower, key=lambda k: body.rad[path[k]])
    k = torso
    while k > 1 and body.rad[path[k - 1]] >= 0.75 * body.rad[path[torso]]:
        k -= 1
    return path[k]


def necked(body: Body, path: list[int]) -> bool:
    """Whether a path from the foot up to the head narrows under the head: its thinnest joint between
    the head's thickest (last 40 % of the arc) and the torso's (15-60 %) under 85 % of the head's
    thickness, as a figure's neck is and a tree's trunk under its crown is not."""
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.pos[path], axis=0), axis=1))])
    f = arc / max(arc[-1], 1e-12)
    r = body.rad[path]
    head = max((k for k in range(len(path)) if f[k] >= 0.6), key=lambda k: r[k])
    torso = [k for k in range(len(path)) if 0.15 <= f[k] <= 0.6]
    if not torso:
        return False
    low = max(torso, key=lambda k: r[k])
    return bool(head > low and r[low : head + 1].min() < 0.85 * r[head])


def ear_end(body: Body, spine: list[int]) -> list[int]:
    """Stop the spine where a thin stretch on top of the head begins (an ear the tree carries on
    the head's line, a plush figure's from the side): joints under 45 % of the head's thickness
    (its thickest in the spine's last half)."""
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.pos[spine], axis=0), axis=1))])
    head = max(body.rad[j] for j, a in zip(spine, arc) if a >= 0.5 * arc[-1])
    k = len(spine) - 1
    while k > 1 and body.rad[spine[k]] < 0.45 * head:
        k -= 1
    return spine[: k + 1]


def side_penalty(body: Body) -> float:
    """What a side-view reading loses for a mirror-symmetric outline (`Body.mirror`)."""
    lo, hi = MIRROR_SIDE
    return MIRROR_COST * float(np.clip((body.mirror - lo) / (hi - lo), 0, 1))


def meet(body: Body, head: int, legs: list[int]) -> int:
    """The last joint the paths from the head to every leg share: where the legs join the body."""
    paths = [body.path(head, leg) for leg in legs]
    common = head
    for joints in zip(*paths):
        if len(set(joints)) > 1:
            break
        common = joints[0]
    return common


def into_body(body: Body, spine: list[int]) -> list[int]:
    """Move the hips up from a thin meeting point (legs fused below a bird's body) into the body."""
    front = spine[: max(2, int(len(spine) * 0.6))]
    thick = max(body.rad[front])
    for k, j in enumerate(spine[:-1]):
        if body.rad[j] >= 0.6 * thick:
            return spine[k:]
    return spine


def limbs_on(body: Body, layout: Layout, tips: dict[int, str]) -> list[Limb]:
    trunk = layout.spine + layout.tail[1:]
    return hanging(body, trunk, tips)


def in_head_region(body: Body, layout: Layout, limb: Limb) -> bool:
    end = layout.spine[-1]
    near = float(np.linalg.norm(body.xy[limb.joints[0]] - body.xy[end])) <= 0.7 * body.rad[end]
    return layout.head and near


def symmetry(body: Body, limbs: list[Limb], axis_x: float) -> float:
    """How well the limbs on either side of x = axis_x mirror each other, in [0, 1] (core.mirror's fit)."""
    sides = [m for m in limbs if m.parent < 0 and m.part in ("arm", "leg", "ear", "wing", "limb")]
    left = [m for m in sides if body.xy[m.joints[-1], 0] > axis_x]
    right = [m for m in sides if body.xy[m.joints[-1], 0] <= axis_x]
    if not left or not right:
        return 0.0
    scores = []
    sampled = {id(m): resample(body.pos[m.joints], 16) for m in left + right}
    for m in left:
        costs = [fit(sampled[id(m)], sampled[id(r)])[0] for r in right if r.part == m.part]
        scores.append(float(np.exp(-min(costs) / 0.05)) if costs else 0.0)
    balance = min(len(left), len(right)) / max(len(left), len(right))
    return float(np.mean(scores)) * balance


def drop_limbs(layout: Layout, drop: set[int]) -> None:
    """Remove limbs (and the limbs hanging from them) from a layout, keeping parent indices right."""
    drop = set(drop)
    for i, limb in enumerate(layout.limbs):  # parents come before their children
        if limb.parent in drop:
            drop.add(i)
    if not drop:
        return
    kept = [i for i in range(len(layout.limbs)) if i not in drop]
    index = {old: new for new, old in enumerate(kept)}
    layout.limbs = [layout.limbs[i] for i in kept]
    for limb in layout.limbs:
        limb.parent = index.get(limb.parent, -1)


def longest_path(body: Body) -> list[int]:
    """The tree's longest path (two sweeps)."""
    a = int(np.argmax(body.distances(body.leaves[0] if body.leaves else 0)))
    b = int(np.argmax(body.distances(a)))
    return body.path(a, b)
