"""Silhouette evidence the body plans share: legs on the floor, the head tip, the hips, the trunk's limbs.

Rule-based readings of the medial tree and the outline around it (`plan.py` says what each body plan
makes of them).
"""
from __future__ import annotations

import numpy as np

from ..mirror import fit, resample
from .body import Body
from .parts import Layout, Limb, hanging

FLOOR = 0.08  # normalized units (the bbox's longest side is 1)
THIN = 0.02  # a limb this thin (radius, normalized) is a stroke whatever its taper
UPRIGHT = np.cos(np.radians(35))


def floor_legs(body: Body) -> list[int]:
    """Tips on the floor whose branch heads down (or is a short toe) and keeps its width to the end
    like a leg, unlike a fin or a tail lobe, which taper to a point."""
    out = []
    for leaf in body.leaves:
        chain = body.branch(leaf)
        d = body.xy[leaf] - body.xy[chain[0]]
        toe = body.arc(chain) < 0.1  # a toe turns on the floor
        down = d[1] < -0.3 * float(np.linalg.norm(d)) or toe
        floor = body.xy[leaf, 1] - body.rad[leaf] - body.floor < FLOOR
        if floor and down and (toe or _keeps_width(body, chain)):
            out.append(leaf)
    return out


def _keeps_width(body: Body, chain: list[int]) -> bool:
    """A leg keeps its width to a round foot; a fin tapers to a point (at 92 % of its length it is
    less than half as thick as at 67 %). Limbs too thin for the medial path to tell are legs."""
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.pos[chain], axis=0), axis=1))])
    r67, r92 = np.interp([0.67 * arc[-1], 0.92 * arc[-1]], arc, body.rad[chain])
    return bool(r92 >= 0.5 * r67 or r67 < THIN)


def leg_groups(body: Body, legs: list[int]) -> list[list[int]]:
    """Legs hanging from about one place along the body, left to right in the image."""
    attach = {leg: body.branch(leg)[0] for leg in legs}
    ordered = sorted(legs, key=lambda leg: body.xy[attach[leg], 0])
    groups: list[list[int]] = []
    for leg in ordered:
        if groups and abs(body.xy[attach[leg], 0] - body.xy[attach[groups[-1][-1]], 0]) < 0.12:
            groups[-1].append(leg)
        else:
            groups.append([leg])
    return groups


def lifted_leg(body: Body, leg: int) -> int | None:
    """The other leg of a figure with one foot on the floor: the lowest other tip in the lower half
    of the figure whose branch heads down."""
    options = []
    for leaf in body.leaves:
        d = body.xy[leaf] - body.xy[body.branch(leaf)[0]]
        low = body.xy[leaf, 1] - body.floor < 0.5 * body.height
        if leaf != leg and low and d[1] < -0.3 * float(np.linalg.norm(d)):
            options.append(leaf)
    return min(options, key=lambda leaf: body.xy[leaf, 1]) if options else None


def head_tip(body: Body, exclude: set[int]) -> int | None:
    """The tip most like a head, higher counting up to half again (heads top a figure, tails hang);
    of tips around one head (an ear and a muzzle) the one farthest out from the body's centre."""
    options = [leaf for leaf in body.leaves if leaf not in exclude]
    if not options:
        return None
    score = {leaf: headness(body, leaf) * (1.0 + 0.5 * float(np.clip((body.xy[leaf, 1] - body.floor)
                                                                         / body.height, 0, 1)))
             for leaf in options}
    best = max(score.values())
    around = [leaf for leaf in options if score[leaf] >= 0.9 * best]
    reach = body.distances(0)
    return max(around, key=lambda leaf: (round(float(reach[leaf]), 4), -leaf))


def headness(body: Body, leaf: int) -> float:
    """How much a tip looks like a head: the thickness near it, half again when a neck (a thinner
    stretch before the body thickens again) sets it off, as a head's or a plush head's is and a
    tail's or a wing's is not."""
    if leaf not in body.memo:
        body.memo[leaf] = _headness(body, leaf)
    return body.memo[leaf]


def _headness(body: Body, leaf: int) -> float:
    path = body.path(leaf, 0)  # toward topology's root, the tree's most central joint
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.pos[path], axis=0), axis=1))])
    rad = body.rad[path]
    near = arc <= max(0.2, 2.5 * body.rad[leaf])
    k = int(np.argmax(np.where(near, rad, -1.0)))
    blob = float(rad[k])
    after = rad[k + 1 :]
    if len(after) < 2:
        return blob
    n = int(np.argmin(after))
    neck = float(after[n])
    body_after = float(after[n:].max())
    return blob * (1.5 if neck < 0.85 * blob and body_after > 1.1 * neck else 1.0)


def trim_head(body: Body, spine: list[int]) -> list[int]:
    """Stop the spine at the head's centre when only short tips (ears, horns) branch on beyond it.

    The spine was traced to one of those tips; its last branch point is the head's centre when
    every branch leaving it forward ends within 2.5 of its radii (arms or a neck are longer).
    """
    for k in range(len(spine) - 2, 0, -1):
        j = spine[k]
        if body.degree[j] < 3:
            continue
        forward = [n for n in body.adj[j] if n != spine[k - 1]]
        reach = []
        for n in forward:
            sub = body.away(j, n)
            if any(body.degree[m] >= 3 for m in sub):
                return spine
            reach.append(max(body.distances(j)[sub]))
        return spine[: k + 1] if max(reach) <= 2.5 * body.rad[j] else spine
    return spine


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
