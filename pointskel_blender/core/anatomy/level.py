"""Readings of a body held level: a quadruped from the side, a serpent or fish, a many-legged creature
(`plan.py` has the rules)."""
from __future__ import annotations

import numpy as np

from .body import Body
from .cues import (FLOOR, MIRROR_SIDE, along, drop_limbs, head_tip, headness, in_head_region, into_body,
                   limbs_on, longest_path, meet, on_floor, tip_direction, trim_head)
from .parts import Layout, Limb, direction, from_trunk

# A snake's tail: this share of its length from the tail's end (the synthetic truth's median on a
# training draw, seed 2: 38 snakes from 0.03 to 0.6, templates differ; 0.4 before)
SERPENT_TAIL = 0.13
TORSO = 0.7  # a quadruped's tips are read for a head up to this share of its thickest (`cues.headness`)
# Walking legs against tentacles (`tentacle`, `_bent`): an arthropod's legs are strokes of even width
# with a knee; an octopus's arms are thick at half their length and taper (development set: arms 0.017
# to 0.028 thick there, 1.6 to 2.9 times as thick at a quarter as at three quarters; legs 0.002 to 0.013)
TENTACLE = 0.015  # thickness (radius, normalized) at half the limb's length out of the body
TAPER = 1.5
KNEE = 0.08  # a bend: the limb's farthest joint from its chord, as a share of its length
LEG_MIN = 0.1  # a limb on a leg this long (normalized) is another leg the tree joined to it, not a claw
# A many-legged body this many times as long as deep (its thick joints' spread), held level, is seen
# from the side (development set: insects and centipedes from the side 3.6 to 18, from the front 1.05 to
# 3.0 but one centipede's 5.4; a bug from above has its axis upright)
LONG = 3.0
# ... or so is one whose legs hang under it (`_hangs_under`), however deep the legs or knees bunched
# under a short thorax make its thick joints' spread (drawn: an ant 2.9, an insect 1.9): three feet or
# more on the floor within its trunk's length, and tips across the axis reaching `MIRRORED` of the
# feet's depth (a top view's far legs mirror the near ones about the axis: a drawn bug turned level,
# 0.96 to 1.03) fewer than half as many (drawn and development side views: knees, antennae and a
# centipede's feelers at most 0.64)
UNDER = 3
MIRRORED = 0.8
# An octopus's arms hang from its mantle seen from the level (`_arms_hang`): the mean of their unit
# directions from the body's centre points down at least this much (a front view's arms fanned out over
# the lower half-circle: 2/pi, 0.64; a top view's radiating all around: 0; development octopuses from
# the front and the side 0.42 to 0.78, the drawn one's 0.7)
HANG = 0.3
KNEE_UP = 1.0  # an arthropod's knee above its body seen from the front: in the body's radii
FEELER = 0.5  # the trunk's joints: this share of the thickest joint's radius or more (legs, antennae thinner)
STANDING = 0.05  # six legs with three standing on the floor: an insect (its raised legs read as wings)
# What a quadruped reading loses when every leg is a tentacle (a dog's thigh tapers to its paw too, so
# one or two of four legs may; the development set's octopus from the side: both)
TENTACLE_LEGS = 0.3
EAR_LONG = 0.2  # an ear (or a muzzle) off a side view's head: a tip at most this long (normalized)
MUZZLE_LONG = 0.4  # a muzzle off a head whose spine the tree traced up an ear: at most this long (`_muzzle`)
# an ear standing up (`quadruped`): its tip within about 35 degrees of straight above where it leaves
# the spine, on the last `EAR_FROM` of the way from the shoulders to the head's end (development: a
# hare's ears at 0.49 of that way, pointing 0.99 up; ears the tree forked 0.50 to 0.80, 0.96 to 1.0 up)
EAR_UP = 0.8
EAR_FROM = 0.6
EARS = 0.3  # a head's ears, horns or jaw: other tips this near its tip along the tree (normalized)
TOE = 0.08  # a paw: the last stretch of a leg read for where it points (normalized)
PAWS = 0.3  # the paws on the floor point ahead: their shares along the image's x summed, at least this
# A snake is one tube of even width: its body path's thickest joint at most `EVEN` times its median
# radius (a head's bulge; development snakes 1.25 to 1.45), nothing at `EVEN` + 1 (a lamp's shade, a
# chair's seat on its legs: 4 to 6; a tree's crown on its trunk 1.6 to 3.7), and that tube is most of
# the figure: its area at least `TUBE` of the mask's (snakes 0.82 to 0.94), nothing at `TUBE` - 0.2
# (a tree's crown or an object's parts off the path: 0.3 to 0.55)
EVEN = 2.0
TUBE = 0.75


def quadruped(body: Body, groups: list[list[int]]) -> Layout | None:
    legs = [leg for g in groups for leg in g]
    # a tip's thickness is its own, not the rump's its way reaches (a short thin tail off a deep rump:
    # development side views had the head on the tail in 4 of 17; scikit-image's horse stays right)
    head = _head_end(body, legs, head_tip(body, set(legs), torso=TORSO * body.thickest))
    if head is None:
        return None
    dist = body.distances(head)
    groups = sorted(groups, key=lambda g: min(dist[body.leg_top(leg)] for leg in g))
    pairs = _paired(body, groups)
    hind = pairs[-1]
    # the hips: where the hind legs meet, or the farther of the places they hang from (legs drawn apart)
    meeting = [meet(body, head, hind)] if len(hind) > 1 else []  # one leg meets itself at its tip
    hips = max(meeting + [body.leg_top(leg) for leg in hind], key=lambda j: dist[j])
    # hind legs that overlap in the outline part below the body (or meet between the thighs): the
    # hips are where their one shape leaves the torso, not down the leg where the tree forks
    spine = trim_head(body, body.path(hips, head))
    inside = into_body(body, spine)
    if body.xy[hips, 1] < body.xy[inside[0], 1] - body.rad[inside[0]]:  # a fork below the torso's outline
        spine = inside
    if len(spine) < 2:
        return None
    hips = spine[0]
    hind = hind + [leaf for leaf in body.leaves if leaf not in legs and on_floor(body, leaf)
                   and any(_parts_from(body, hips, leg, leaf) for leg in hind)]
    layout = Layout("quadruped", 0.0, "side", 0.0, "viewer", spine)
    rise = body.xy[spine[-1]] - body.xy[hips]
    layout.facing = "left" if rise[0] < 0 else "right"
    tips = {leg: "front_leg" for g in pairs[:-1] for leg in g} | {leg: "hind_leg" for leg in hind}
    behind = [leaf for leaf in body.leaves if leaf not in tips and leaf not in spine
              and not body.between(hips, leaf, spine[1])]
    if behind:
        layout.tail = body.path(hips, max(behind, key=lambda leaf: dist[leaf]))
    tail_behind = bool(layout.tail)  # a rump's tail names a limb but is no evidence for the plan
    layout.tail = layout.tail or rump_tail(body, spine, set(tips), layout.facing)
    layout.limbs = limbs_on(body, layout, tips)
    # ears: short tips on the last 40 % of the way from the shoulders (front legs) to the head's end,
    # or tips standing up off its last `EAR_FROM` no longer than that way (a hare's, a donkey's)
    along = body.distances(spine[0])
    shoulder = min((along[m.joints[0]] for m in layout.limbs if m.part == "front_leg"), default=0.0)
    forward = along[spine[-1]] - shoulder
    for limb in layout.limbs:
        limb.group = limb.part
        if not limb.part:
            late = along[limb.joints[0]] >= shoulder + 0.6 * forward
            short = body.arc(limb.joints) <= EAR_LONG
            upright = (along[limb.joints[0]] >= shoulder + (1 - EAR_FROM) * forward
                       and direction(body, limb)[1] >= EAR_UP and body.arc(limb.joints) <= forward)
            in_head = in_head_region(body, layout, limb) or (late and short) or upright
            limb.part = "ear" if limb.parent < 0 and limb.joints[0] in set(spine) and in_head else "limb"
    _muzzle(body, layout)
    flat = abs(float(rise[0])) / max(float(np.linalg.norm(rise)), 1e-12)
    count = len(legs)
    others = sum(m.part == "limb" and body.arc(m.joints) > 0.1 for m in layout.limbs)
    walking = [m for m in layout.limbs if m.part in ("front_leg", "hind_leg") and m.parent < 0]
    arms = len(walking) >= 2 and all(tentacle(body, m.joints) for m in walking)  # all taper: an octopus
    split = len(groups) == 3 and count == 4  # four legs in three groups: a walking pair apart (`_paired`)
    layout.score = float(np.clip(0.35 + 0.3 * min(1.0, flat / 0.7) + 0.1 * min(count, 4) / 4
                                 + 0.15 * (body.blob(head) > 1.3 * body.rad[body.leaves].mean())
                                 + 0.1 * tail_behind
                                 # more groups or legs: an insect; more limbs off the trunk: an octopus
                                 - 0.12 * max(0, len(groups) - 2 - split) - 0.08 * max(0, count - 4)
                                 - 0.08 * max(0, others - 1) - TENTACLE_LEGS * arms,
                                 0, 1))
    layout.view_score = float(np.clip(0.4 + 0.5 * flat, 0, 1))
    return layout


def _paired(body: Body, groups: list[list[int]]) -> list[list[int]]:
    """Three groups of legs along a side view's body, head end first: a walking quadruped's near and
    far legs of one pair apart (a hind leg stepping forward under the belly), the middle group joins
    the nearer end group (where the legs leave the body, along the image's x). Else as they are."""
    if len(groups) != 3:
        return groups
    x = [float(np.mean([body.xy[body.leg_top(leg), 0] for leg in g])) for g in groups]
    if abs(x[1] - x[2]) < abs(x[1] - x[0]):
        return [groups[0], groups[1] + groups[2]]
    return [groups[0] + groups[1], groups[2]]


def _muzzle(body: Body, layout: Layout) -> None:
    """A side view's muzzle: of the stretches leaving the spine's last fork with a short tip (the
    spine's own last stretch, or none where `trim_head` stopped it at the head's centre, and the tips
    named ears there or up to `EAR_LONG` long, `MUZZLE_LONG` where the spine runs on from the fork an
    ear's length only), the one pointing ahead more than up, the farthest ahead, is the head's own
    end: the spine runs on to it, and a stretch rising from there is an ear."""
    spine, ahead = layout.spine, 1.0 if layout.facing == "right" else -1.0

    def short(limb: Limb, k: int) -> bool:  # an ear, or a short tip off the head not named one, off spine[k]
        # (where the spine runs on from there an ear's length only, the tree traced it up an ear, and the
        # tip may be as long as `MUZZLE_LONG`: a long muzzle, an elephant's trunk)
        reach = EAR_LONG if body.arc(spine[k:]) > EAR_LONG else MUZZLE_LONG
        return limb.parent < 0 and limb.joints[0] == spine[k] and (
            limb.part == "ear" or (limb.part == "limb" and body.arc(limb.joints) <= reach))

    forks = [k for k in range(1, len(spine)) if any(short(m, k) for m in layout.limbs)]
    if not forks:
        return
    k = forks[-1]
    stretches = [(i, m.joints) for i, m in enumerate(layout.limbs) if short(m, k)]
    if k < len(spine) - 1:
        stretches.append((-1, spine[k:]))

    def level(joints: list[int]) -> bool:  # ahead more than up (a muzzle held level or down, not an ear)
        d = body.xy[joints[-1]] - body.xy[joints[0]]
        return ahead * d[0] > max(d[1], 0.0)

    options = [(ahead * float(body.xy[joints[-1], 0]), i) for i, joints in stretches if level(joints)]
    if not options or max(options)[1] == -1:
        return
    muzzle = layout.limbs[max(options)[1]]
    layout.spine = spine[: k + 1] + muzzle.joints[1:]
    if k < len(spine) - 1:  # the spine's own stretch beyond the fork rose: an ear
        muzzle.joints, muzzle.part, muzzle.group = spine[k:], "ear", "ear"
    else:
        drop_limbs(layout, {layout.limbs.index(muzzle)})


def _head_end(body: Body, legs: list[int], head: int | None) -> int | None:
    """The likeliest head tip, or the likeliest one at the body's other end (beyond the other legs;
    both beyond the legs, as a side view's head and tail are; a head between them and above is a front
    view's): there where the paws on the floor point that way (their last `TOE` of arc, their shares
    along the image's x summed, at least `PAWS`: a quadruped's paws point ahead, as a biped's feet do,
    `upright.seen`), else where only that end has other tips parting near its tip (within `EARS`): a
    head carries ears, horns or a jaw, a tail is one chain (a tail off a deep rump can look as thick
    as a small head)."""
    if head is None or not legs:
        return head
    tops = body.xy[[body.leg_top(leg) for leg in legs], 0]
    middle, span = 0.5 * float(tops.min() + tops.max()), 0.5 * float(tops.max() - tops.min())
    ahead = body.xy[head, 0] - middle
    # both ends beyond the legs (a head between them and above is a front view's)
    other = [leaf for leaf in body.leaves if leaf not in legs and (body.xy[leaf, 0] - middle) * ahead < 0
             and abs(body.xy[leaf, 0] - middle) > span]
    if not other or abs(ahead) <= span:
        return head
    end = head_tip(body, set(body.leaves) - set(other), torso=TORSO * body.thickest)
    if end is None:
        return head
    standing = [leg for leg in legs if on_floor(body, leg)]
    paws = sum(along(tip_direction(body, leg, body.leg_top(leg), TOE)) for leg in standing)
    if abs(paws) >= PAWS:
        return head if paws * ahead > 0 else end

    def eared(tip: int) -> bool:
        near = body.distances(tip)
        return any(leaf != tip and leaf not in legs and near[leaf] <= EARS for leaf in body.leaves)

    return end if eared(end) and not eared(head) else head


def _parts_from(body: Body, hips: int, leg: int, other: int) -> bool:
    """Whether `other` parts from `leg` below the hips and above the paws (a leg that overlaps it in
    the outline down to the hocks), not at the foot (a toe)."""
    fork = meet(body, hips, [leg, other])
    return fork != hips and body.xy[fork, 1] - body.floor >= 1.5 * FLOOR


def rump_tail(body: Body, spine: list[int], legs: set[int], facing: str) -> list[int]:
    """A tail leaving the rump above the hips (the hind legs meet below the body, a horse's tail
    hangs from its croup): the longest tip off the rear quarter of the spine that reaches backward,
    away from the head, beyond the hind legs' meeting point, off the floor. From its branch point."""
    along = body.distances(spine[0])
    rear = [j for j in spine[1:] if along[j] <= 0.25 * along[spine[-1]]]
    back = 1.0 if facing == "left" else -1.0
    best: list[int] = []
    for j in rear:
        for n in body.adj[j]:
            if n in spine:
                continue
            for leaf in body.away(j, n):
                if body.degree[leaf] != 1 or leaf in legs or body.xy[leaf, 1] - body.floor < FLOOR:
                    continue
                path = body.path(j, leaf)
                if back * (body.xy[leaf, 0] - body.xy[spine[0], 0]) > 0 and body.arc(path) > body.arc(best):
                    best = path
    return best


def elongated(body: Body, plan: str, legs: list[int]) -> Layout | None:
    # A snake's body is the tree's longest path; a fish's runs from its leftmost tip to its rightmost.
    if plan == "fish" and len(body.leaves) >= 2:
        by_x = sorted(body.leaves, key=lambda j: body.xy[j, 0])
        main = body.path(by_x[0], by_x[-1])
    else:
        main = longest_path(body)
    if len(main) < 3:
        return None
    length = body.arc(main)
    thick = float(np.mean(body.rad[main]))
    elongation = length / max(2 * thick, 1e-9)
    ends = (main[0], main[-1])
    forks = [np.linalg.norm(body.xy[j] - body.xy[e]) for e in ends for j in main if body.degree[j] >= 3]
    head_end = max(ends, key=lambda e: (round(headness(body, e), 4), -e))  # a tail tapers, a head is round
    tail_end = ends[1] if head_end == ends[0] else ends[0]
    path = body.path(tail_end, head_end)
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.pos[path], axis=0), axis=1))])
    if plan == "serpent":
        k = int(np.searchsorted(arc, SERPENT_TAIL * arc[-1]))
    else:
        k = int(np.argmax(body.rad[path][: max(2, int(0.8 * len(path)))]))
    k = int(np.clip(k, 1, len(path) - 2))
    layout = Layout(plan, 0.0, "side", 0.0, "viewer", path[k:], path[k::-1])
    rise = body.xy[path[-1]] - body.xy[path[0]]
    layout.facing = "left" if rise[0] < 0 else "right"
    layout.limbs = limbs_on(body, layout, {})
    for limb in layout.limbs:
        limb.part = "fin" if plan == "fish" else "limb"
    others = len([m for m in layout.limbs if m.parent < 0])
    flat = abs(float(rise[0])) / max(float(np.linalg.norm(rise)), 1e-12)
    # a snake's tail end may lie on the floor; a fish's fins taper to points, and `floor_legs` keeps
    # only tips that hold their width to a foot: each of those is a leg no fish has
    leggy = 0.5 * (len(legs) if plan == "fish" else max(0, len(legs) - 1))
    if plan == "serpent":
        # a snake's head is wider than its tail's end: a plain bar is no snake
        ends_ratio = headness(body, head_end) / max(headness(body, tail_end), 1e-9)
        score = (0.9 * float(np.clip((elongation - 5.0) / 4.0, 0, 1)) * (0.5 + 0.5 * float(np.clip(
            (ends_ratio - 1.0) / 0.3, 0, 1))) * tube(body, main) - 0.15 * others - leggy)
    else:
        fat = float(np.clip((body.thickest / length - 0.08) / 0.08, 0, 1))
        score = (0.2 + 0.3 * min(1.0, flat / 0.85) + 0.25 * fat + 0.2 * bool(forks)
                 - 0.3 * float(np.clip((elongation - 9) / 4, 0, 1)) - leggy)
        if flat < 0.6 or body.width < 1.2 * body.height or not (forks or others):  # long, flat, finned
            score = min(score, 0.4)
    layout.score = float(np.clip(score, 0, 1))
    layout.view_score = 0.5
    return layout


def tube(body: Body, main: list[int]) -> float:
    """How far the figure is one tube of even width along `main` (a snake, not an object or a tree
    with a long stroke in it), in [0, 1]: its thickest joint against its median radius (`EVEN`) and
    the tube's area against the mask's (`TUBE`)."""
    rad = body.rad[main]
    even = float(np.clip(EVEN + 1.0 - rad.max() / max(float(np.median(rad)), 1e-12), 0, 1))
    steps = np.linalg.norm(np.diff(body.pos[main], axis=0), axis=1)
    area = np.count_nonzero(body.shape.mask) / body.shape.work_px_per_unit**2
    covered = float(np.sum((rad[:-1] + rad[1:]) * steps)) / max(area, 1e-12)
    return even * float(np.clip((covered - TUBE + 0.2) / 0.2, 0, 1))


def many_legged(body: Body, forced: bool = False, floor: int = 0) -> Layout | None:
    """`floor`: legs on the floor, when five or more or in three or more groups (a side view's insect).
    Read from above or from the side (`_along`), or from the front (`_from_front`) where its legs rise
    over its body: as sure as the other reading's legs make it, or as its mirror symmetry."""
    lengthwise, front = _along(body, forced, floor), _from_front(body)
    if front is None:
        return lengthwise
    if lengthwise is not None:
        front.score = front.view_score = max(front.score, lengthwise.score)
    return front


def _along(body: Body, forced: bool, floor: int) -> Layout | None:
    """From above or from the side: the trunk along the thick joints' principal axis."""
    if len(body.leaves) < (3 if forced else 6):
        return None
    weight = body.rad**2  # the body's thick joints, not its thin legs, set the axis
    centred = body.xy - (weight[:, None] * body.xy).sum(axis=0) / weight.sum()
    spreads, axes = np.linalg.eigh((weight[:, None] * centred).T @ centred)
    axis = axes[:, 1]
    # a body held level, long (three times as long as deep) or with its legs hanging under it: seen from
    # the side, if it stands on its legs
    flat = abs(float(axis[0])) >= 0.9
    long = flat and spreads[1] >= LONG**2 * max(float(spreads[0]), 1e-12)
    level = long or (flat and _hangs_under(body, centred, axis))
    blobs = {leaf: body.blob(leaf) for leaf in body.leaves}
    rear = max(body.leaves, key=lambda leaf: (round(blobs[leaf], 4), leaf))
    along = body.xy @ axis
    sign = -1.0 if along[rear] > np.median(along) else 1.0
    ahead = [leaf for leaf in body.leaves if leaf != rear and blobs[leaf] >= 0.5 * blobs[rear]
             and sign * (along[leaf] - along[rear]) > 0]
    far = max(ahead, key=lambda leaf: sign * along[leaf]) if ahead else body.branch(rear)[0]
    # antennae: where the body is long, or its legs hang under it and more stand on the floor than a
    # quadruped's four or in three groups (`floor`; a hare's ears would pass for antennae)
    feelers = _feelers(body, axis) if long or (level and floor) else None
    if feelers is not None:  # the head end carries the antennae, the rear is the trunk's other end
        rear, far = feelers
        ahead = [far]
    path = body.path(rear, far)
    sideways = [leaf for leaf in body.leaves if leaf not in path]
    attach = [next(j for j in body.path(leaf, rear) if j in set(path)) for leaf in sideways]
    if feelers is None and ahead and attach and _legless_rear(body, path, attach) < 0.5 * _legless_rear(
            body, path[::-1], attach):
        # the legs leave the front of the trunk (an arthropod's thorax), the abdomen behind them has none
        rear, far, path = far, rear, path[::-1]
    dist = body.distances(rear)
    hips = max(attach, key=lambda j: -dist[j]) if attach else path[len(path) // 2]
    k = path.index(hips)
    k = int(np.clip(k, 1, len(path) - 1))
    spine = path[k - 1 :] if k == len(path) - 1 else path[k:]
    layout = Layout("many_legged", 0.0, "top", 0.0, "viewer", spine, path[k::-1], head=bool(ahead))
    if layout.spine[0] != layout.tail[0]:
        layout.tail = path[k - 1 :: -1]
    layout.limbs = limbs_on(body, layout, {})
    legs = named = 0  # limbs reaching across the axis (legs or arms); all the legs named
    # an octopus: most limbs leaving the trunk are tentacles, and the limbs the tree joined to them are
    # pieces of arms too, however they taper from where they part; each counts for the plan where they
    # spread the figure wider than tall (a bird's tapering feathers and wings from the front do not)
    trunk = [tentacle(body, m.joints) for m in layout.limbs if m.parent < 0]
    octopus = sum(trunk) > len(trunk) / 2
    spread = octopus and body.width > body.height
    near_head: list[Limb] = []
    for limb in layout.limbs:
        d = direction(body, limb)
        across = abs(float(d @ np.array([-axis[1], axis[0]])))
        radiating = across > 0.5  # reaches across the body's axis
        # a limb on a leg is another leg the tree joined to it near the body, a claw or a toe is none
        own = limb.parent < 0 or body.arc(limb.joints) >= LEG_MIN
        walking = own and (radiating or on_floor(body, limb.joints[-1]) or _bent(body, limb.joints))
        arm = octopus or (own and tentacle(body, limb.joints))
        head = in_head_region(body, layout, limb)
        limb.part = "leg" if walking and not arm and not head else "limb"
        legs += not head and own and ((limb.part == "leg" and radiating) or (arm and (radiating or spread)))
        named += not head and own and limb.part == "leg"
        if walking and not arm and head:
            near_head.append(limb)
    # a spider's front legs leave its cephalothorax by the head: a bent limb there as long as the
    # shortest leg is a leg too (an insect's antennae and palps are shorter)
    shortest = min((body.arc(m.joints) for m in layout.limbs if m.part == "leg"), default=np.inf)
    for limb in near_head:
        if _bent(body, limb.joints) and body.arc(limb.joints) >= shortest:
            limb.part = "leg"
            legs, named = legs + 1, named + 1
    _legs_from_trunk(body, layout, octopus)
    heading = body.xy[layout.spine[-1]] - body.xy[layout.spine[0]]
    sideways = abs(heading[1]) < abs(heading[0])
    layout.facing = ("left" if heading[0] < 0 else "right") if sideways else "viewer"
    standing = sum(m.part == "leg" and on_floor(body, m.joints[-1]) for m in layout.limbs)
    if level and standing >= 3:
        layout.view = "side"  # facing away from its rear (the thickest end: an abdomen), along the body
        layout.facing = "left" if body.xy[rear, 0] > body.xy[layout.spine, 0].mean() else "right"
    elif octopus and _arms_hang(body, layout, centred):
        layout.view, layout.facing = "front", "viewer"  # its mantle above the arms, as it faces the viewer
    legs = named if named >= 6 else legs  # six legs or more, however they point (an insect from the side)
    sure = float(np.clip(0.2 + 0.12 * legs + STANDING * (standing >= 3), 0, 1))
    layout.score = sure if legs >= 6 else 0.1 * legs
    # tips standing on the floor are feet, however the tree drew the legs above them (fanned out in a
    # view between the front and the side): five or more are many legs
    feet = sum(on_floor(body, leaf) for leaf in body.leaves)
    floor = max(floor, feet if feet >= 5 else 0)
    if floor:
        layout.score = max(layout.score, float(np.clip(0.45 + 0.08 * floor, 0, 0.95)))
    layout.view_score = layout.score
    return layout


def _hangs_under(body: Body, centred: np.ndarray, axis: np.ndarray) -> bool:
    """Whether a level body's legs hang under it to the floor, as only a side view shows: `UNDER` feet
    or more on the floor within the trunk's length along `axis` (its joints `FEELER` as thick as the
    thickest; from the front the legs spread out to both sides of the end-on body), and fewer than half
    as many tips across the axis as far from it (`MIRRORED`: a top view's far legs mirror the near
    ones). `centred`: the joints about the body's centre."""
    along, across = centred @ axis, centred @ np.array([-axis[1], axis[0]])
    trunk = body.rad >= FEELER * body.thickest
    start, end = float((along - body.rad)[trunk].min()), float((along + body.rad)[trunk].max())
    feet = [leaf for leaf in body.leaves if on_floor(body, leaf) and start <= along[leaf] <= end]
    if len(feet) < UNDER:
        return False
    down = float(np.sign(np.median(across[feet])))
    depth = float(np.median(down * across[feet]))
    mirrored = sum(-down * across[leaf] >= MIRRORED * depth for leaf in body.leaves)
    return mirrored < len(feet) / 2


def _arms_hang(body: Body, layout: Layout, centred: np.ndarray) -> bool:
    """Whether the limbs off an octopus's trunk hang below its body (`HANG`), as seen from the level:
    from above they radiate all around it. `centred`: the joints about the body's centre."""
    tips = centred[[m.joints[-1] for m in layout.limbs if m.parent < 0]]
    if not len(tips):
        return False
    units = tips / np.maximum(np.linalg.norm(tips, axis=1, keepdims=True), 1e-12)
    return float(-units[:, 1].mean()) >= HANG


def _legless_rear(body: Body, path: list[int], attach: list[int]) -> float:
    """How far the trunk `path` runs from its first joint before the first limb leaves it."""
    first = min(path.index(j) for j in attach)
    return body.arc(path[: first + 1])


def _legs_from_trunk(body: Body, layout: Layout, octopus: bool) -> None:
    """A leg (or tentacle) the tree forked off another one nearer the trunk than it reaches beyond the fork
    hangs from the trunk: legs that part by the body (a spider's eight, which the contraction draws
    together where they leave its cephalothorax; an octopus's arms, thick and touching where they leave
    its mantle), not a claw near a tip; each then pivots on its own. An octopus's arms never branch:
    each the tree forked off another, wherever, leaves its mantle."""
    for limb in layout.limbs:
        parent = layout.limbs[limb.parent] if limb.parent >= 0 else None
        if parent is None or parent.parent >= 0 or limb.part not in ("leg", "limb"):
            continue
        if parent.part != limb.part:
            continue
        fork = body.arc(parent.joints[: parent.joints.index(limb.joints[0]) + 1])
        if octopus or fork < body.arc(limb.joints):
            from_trunk(limb, parent)


def _from_front(body: Body) -> Layout | None:
    """A many-legged creature seen from the front, its body end-on: its outermost feet on the floor, one
    on either side of the thickest joint between them (the body), are reached over knees that rise above
    that body by more than its radius (`KNEE_UP`), each side's other tips being high knees or feet
    falling below the body: an arthropod's legs rise from its body before they fall to the floor, a
    mammal's hang below it, a table's run level along its top, a spider's seen from above spread each
    its own way. The body is the spine (its end-on length unseen), every limb a leg; as sure as the
    figure is mirror-symmetric."""
    feet = [leaf for leaf in body.leaves if on_floor(body, leaf)]
    if len(feet) < 2:
        return None
    left, right = min(feet, key=lambda j: body.xy[j, 0]), max(feet, key=lambda j: body.xy[j, 0])
    way = body.path(left, right)
    centre = max(way[1:-1], key=lambda j: body.rad[j], default=None)
    if centre is None or not body.xy[left, 0] < body.xy[centre, 0] < body.xy[right, 0]:
        return None
    k = way.index(centre)
    for side in (way[k - 1], way[k + 1]):
        # one leg behind the other, a side's tips are its feet and its knees (the tree may end a knee in
        # a tip of its own), every knee high; seen from above, legs spread each its own way
        joints = body.away(centre, side)
        top, low = body.xy[joints, 1].max(), body.xy[centre, 1] - body.rad[centre]
        mid = [j for j in joints if body.degree[j] == 1 and low <= body.xy[j, 1] < top - body.rad[centre]]
        if mid or top - body.xy[centre, 1] < KNEE_UP * body.rad[centre]:
            return None
    spine = [centre, way[k + 1]]
    layout = Layout("many_legged", 0.0, "front", 0.0, "viewer", spine, head=False)
    layout.limbs = limbs_on(body, layout, {})
    for limb in layout.limbs:
        limb.part = "leg"
    layout.score = float(np.clip(0.5 + 0.4 * (body.mirror - MIRROR_SIDE[0]) / 0.15, 0, 0.9))
    layout.view_score = layout.score
    return layout


def _feelers(body: Body, axis: np.ndarray) -> tuple[int, int] | None:
    """A long body held level whose one end carries a thin tip off the floor reaching beyond the
    trunk's end along its axis (an antenna; a centipede's segments are alike, so the thickest end is no
    abdomen): that tip and the trunk's joint at the other end; None where both ends or neither do."""
    along = body.xy @ axis
    trunk = [j for j in range(len(body.xy)) if body.rad[j] >= FEELER * body.thickest]
    ends = []
    for sign in (1.0, -1.0):
        end = max(trunk, key=lambda j: sign * along[j])
        tip = max(body.leaves, key=lambda leaf: sign * along[leaf])
        beyond = sign * (along[tip] - along[end]) > body.rad[end]
        ends.append((tip, end, beyond and not on_floor(body, tip) and tip not in trunk))
    (tip_a, end_a, a), (tip_b, end_b, b) = ends
    if a == b:
        return None
    return (end_b, tip_a) if a else (end_a, tip_b)


def _out_of_body(body: Body, joints: list[int]) -> list[int]:
    """A limb's joints out of the body's bulk: under half the thickest joint's radius, and farther from
    where the limb hangs than the body is thick there (a bug's hind leg leaving its narrow thorax
    tapers from the thorax into the leg, not along the leg)."""
    root = body.xy[joints[0]]
    out = [j for j in joints if body.rad[j] < 0.5 * body.thickest
           and np.linalg.norm(body.xy[j] - root) >= body.rad[joints[0]]]
    return out if len(out) >= 2 else joints


def tentacle(body: Body, joints: list[int]) -> bool:
    """Whether a limb is a tentacle (an octopus's arm): out of the body, thicker than a leg's stroke at
    half its length (`TENTACLE`) and tapering (a quarter of the way `TAPER` times as thick as at three
    quarters), over a quarter of the figure long."""
    out = _out_of_body(body, joints)
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.pos[out], axis=0), axis=1))])
    r25, r50, r75 = np.interp([0.25 * arc[-1], 0.5 * arc[-1], 0.75 * arc[-1]], arc, body.rad[out])
    return bool(body.arc(joints) >= 0.25 and r50 >= TENTACLE and r25 >= TAPER * r75)


def _bent(body: Body, joints: list[int]) -> bool:
    """Whether a limb bends (a knee): a joint `KNEE` of its length or more off its chord."""
    xy = body.xy[joints]
    chord = xy[-1] - xy[0]
    normal = np.array([-chord[1], chord[0]]) / max(float(np.linalg.norm(chord)), 1e-12)
    return bool(np.abs((xy - xy[0]) @ normal).max() >= KNEE * max(body.arc(joints), 1e-12))
