"""Body plan, view and facing: which reading of the tree fits best, and how sure that is.

Every plan is tried as a `Layout` (spine, tail, labelled limbs) and scored in [0, 1] from what a
silhouette shows (rule-based, per plan below); the best one wins with its score less half the
runner-up's as the confidence. Under 0.45 nothing fits (a cup, noise): `generic`, confidence
0.4 × (1 − the best score), so always under 0.5. A body plan or view the user sets wins.

- Legs are tips on the floor (within `FLOOR` of the mask's bottom, beyond their own radius) whose
  branch heads down (or is a short toe) and keeps its width to the end (a fin or a tail lobe
  tapers). Legs hanging from about one place along the body are a group (a pair).
- The head is the tip that is thick near its end and set off by a neck (a thinner stretch before
  the body thickens again: ×1.5), higher counting up to ×1.5; of tips around one head (a muzzle
  and an ear) the one reaching farthest from the body's centre. Where only short tips branch off
  beyond the head's centre (a plush head's ears), the spine stops there.
- biped: one group of two legs (or one foot on the floor and the lowest tip heading down in the
  figure's lower half: a step, legs one behind the other; 0.05 less sure, 0.1 with over six tips),
  the head within 35° of straight above where they meet; scored by how upright, whether arms hang
  from the chest, and the front view's mirror symmetry (`core.mirror`'s fit of each limb against the
  other side's), which is the view's confidence. A biped's head tufts pointing down (a fox's pointed
  cheeks) get no bones.
- front views of animals, read off the upright reading: a quadruped when it has no arms (the hind
  legs hidden) or its other limbs also reach the floor (the hind legs, +0.1); a bird when both arms
  are longer than the legs on a figure wider than tall by a fifth (spread wings).
- bird: one group of legs, the head off to one side (more than 35° from vertical), a tail or a
  raised wing count; side view.
- quadruped: two or more leg groups apart along a level body, the head at one end, a tail (beyond
  the hips, or leaving the rump's quarter of the spine backward: a horse's croup); side view. Legs
  of one pair that the tree joins below the body both hang from the trunk (near and far).
- serpent: one long chain (over 5 times as long as thick, fully at 9) whose head end is wider
  than its tail's end, no legs; fish: a level body wider than high, thick for its length, with fins
  or a forked tail, no legs; side views (a snake's view confidence is 0.5: from above it looks alike).
- many_legged: six or more limbs reaching across the body's axis (the thick joints' principal
  axis), or five or more legs on the floor / three leg groups (an insect from the side, which also
  costs the quadruped reading); top view, sided by the heading.
"""
from __future__ import annotations

import numpy as np

from ..mirror import fit, resample
from .body import Body
from .parts import Layout, Limb, assign_sides, direction, hanging

FLOOR = 0.08  # normalized units (the bbox's longest side is 1)
THIN = 0.02  # a limb this thin (radius, normalized) is a stroke whatever its taper
_UPRIGHT = np.cos(np.radians(35))


def classify(body: Body, force_plan: str = "auto", force_view: str = "auto") -> tuple[Layout, float]:
    """The best layout and its body-plan confidence; forced plans/views (user settings) win."""
    candidates = [c for c in _candidates(body) if c is not None]
    candidates.sort(key=lambda c: -c.score)
    if force_plan != "auto":
        chosen = next((c for c in candidates if c.plan == force_plan), None)
        layout = chosen or _forced(body, force_plan) or _generic(body, force_plan)
        confidence = 1.0
    elif candidates and candidates[0].score >= 0.45:
        layout = candidates[0]
        runner = next((c.score for c in candidates[1:] if c.plan != layout.plan), 0.0)
        confidence = float(np.clip(layout.score - 0.5 * runner, 0.05, 1.0))
    else:
        best = candidates[0].score if candidates else 0.0
        layout = _generic(body, "generic")
        confidence = 0.4 * (1.0 - best)
    if force_view != "auto":
        layout.view, layout.view_score = force_view, 1.0
        if force_view == "front":
            layout.facing = "viewer"
        elif force_view == "side" and layout.facing == "viewer":
            layout.facing = "left" if body.xy[layout.spine[-1], 0] < body.xy[layout.spine[0], 0] else "right"
    assign_sides(body, layout)
    return layout, confidence


def _forced(body: Body, plan: str) -> Layout | None:
    """The user's plan where the picture gave no evidence for it: the lowest tips are its legs."""
    lowest = sorted(body.leaves, key=lambda leaf: body.xy[leaf, 1])
    if plan in ("biped", "bird") and len(lowest) >= 3:
        return _upright(body, lowest[:2], plan, forced=True)
    if plan == "quadruped" and len(lowest) >= 3:
        legs = sorted(lowest[:4], key=lambda leaf: body.xy[leaf, 0])
        half = len(legs) // 2
        return _quadruped(body, [legs[:half], legs[half:]])
    if plan in ("serpent", "fish"):
        return _elongated(body, plan, [])
    if plan == "many_legged":
        return _many_legged(body, forced=True)
    return None


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


def _groups(body: Body, legs: list[int]) -> list[list[int]]:
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


def _lifted_leg(body: Body, leg: int) -> int | None:
    """The other leg of a figure with one foot on the floor: the lowest other tip in the lower half
    of the figure whose branch heads down."""
    options = []
    for leaf in body.leaves:
        d = body.xy[leaf] - body.xy[body.branch(leaf)[0]]
        low = body.xy[leaf, 1] - body.floor < 0.5 * body.height
        if leaf != leg and low and d[1] < -0.3 * float(np.linalg.norm(d)):
            options.append(leaf)
    return min(options, key=lambda leaf: body.xy[leaf, 1]) if options else None


def _candidates(body: Body) -> list[Layout | None]:
    legs = floor_legs(body)
    groups = _groups(body, legs)
    out: list[Layout | None] = []
    if len(groups) == 1 and len(groups[0]) >= 2:
        out += [_upright(body, groups[0], "biped"), _upright(body, groups[0], "bird"),
                _front_quadruped(body, groups[0]), _front_bird(body, groups[0])]
    elif len(legs) == 1:  # a step, a kick, or legs one behind the other in a side view
        other = _lifted_leg(body, legs[0])
        for layout in [_upright(body, [legs[0], other], p) for p in ("biped", "bird")] if other else []:
            if layout is not None:  # one foot on the floor is less sure than two, with many tips less still
                layout.score -= 0.05 + 0.05 * (len(body.leaves) > 6)
                out.append(layout)
    if len(groups) >= 2:
        out.append(_quadruped(body, groups))
    if len(legs) < 3:  # more legs on the floor rule out a snake or a fish
        out += [_elongated(body, "serpent", legs), _elongated(body, "fish", legs)]
    out.append(_many_legged(body, floor=len(legs) if len(legs) >= 5 or len(groups) >= 3 else 0))
    return out


def _head(body: Body, exclude: set[int]) -> int | None:
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


def _trim_head(body: Body, spine: list[int]) -> list[int]:
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


def _meet(body: Body, head: int, legs: list[int]) -> int:
    """The last joint the paths from the head to every leg share: where the legs join the body."""
    paths = [body.path(head, leg) for leg in legs]
    common = head
    for joints in zip(*paths):
        if len(set(joints)) > 1:
            break
        common = joints[0]
    return common


def _into_body(body: Body, spine: list[int]) -> list[int]:
    """Move the hips up from a thin meeting point (legs fused below a bird's body) into the body."""
    front = spine[: max(2, int(len(spine) * 0.6))]
    thick = max(body.rad[front])
    for k, j in enumerate(spine[:-1]):
        if body.rad[j] >= 0.6 * thick:
            return spine[k:]
    return spine


def _limbs_on(body: Body, layout: Layout, tips: dict[int, str]) -> list[Limb]:
    trunk = layout.spine + layout.tail[1:]
    return hanging(body, trunk, tips)


def _head_region(body: Body, layout: Layout, limb: Limb) -> bool:
    end = layout.spine[-1]
    near = float(np.linalg.norm(body.xy[limb.joints[0]] - body.xy[end])) <= 0.7 * body.rad[end]
    return layout.head and near


def _symmetry(body: Body, limbs: list[Limb], axis_x: float) -> float:
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


def _upright(body: Body, legs: list[int], plan: str, forced: bool = False) -> Layout | None:
    legs = sorted(legs, key=lambda leg: body.xy[leg, 1])[:2]
    head = _head(body, set(legs))
    if head is None:
        return None
    hips = _meet(body, head, legs)
    spine = _into_body(body, _trim_head(body, body.path(hips, head)))
    if len(spine) < 2:
        return None
    hips = spine[0]
    rise = body.xy[spine[-1]] - body.xy[hips]
    upright = float(rise[1] / max(np.linalg.norm(rise), 1e-12))
    if not forced and ((plan == "biped" and upright < 0.3) or (plan == "bird" and upright > _UPRIGHT)):
        return None  # a biped's head is above its hips; a bird's is off to one side
    layout = Layout(plan, 0.0, "front" if plan == "biped" else "side", 0.0, "viewer", spine)
    tips = {leg: "leg" for leg in legs}
    behind = [leaf for leaf in body.leaves if leaf not in tips and leaf not in spine
              and not body.between(hips, leaf, spine[1]) and body.xy[leaf, 1] - body.floor >= FLOOR]
    if plan == "bird" and behind:
        tail_tip = max(behind, key=lambda leaf: abs(body.xy[leaf, 0] - body.xy[hips, 0]))
        layout.tail = body.path(hips, tail_tip)
    layout.limbs = _limbs_on(body, layout, tips)
    high = [m for m in layout.limbs if m.parent < 0 and not m.part and not _head_region(body, layout, m)
            and body.xy[m.joints[0], 1] > body.xy[hips, 1] + 0.3 * np.linalg.norm(rise)]
    for limb in layout.limbs:
        if limb.part or limb.parent >= 0:
            limb.part = limb.part or "limb"
            continue
        d = direction(body, limb)
        if _head_region(body, layout, limb):
            limb.part = "ear" if plan == "biped" else "limb"
            if plan == "biped" and d[1] < 0:  # a pointed cheek or jaw tuft hangs from the head: no bone
                limb.part = "cheek"
        elif plan == "biped":
            # arms hang from the chest, or (none there) reach sideways from a plush body's one centre
            arm = limb in high or (not high and d[1] > -0.5)
            limb.part = "arm" if arm else ("leg" if d[1] < -_UPRIGHT else "tail")
        else:
            long = body.arc(limb.joints) > 0.15
            limb.part = "wing" if long and d[1] > 0.3 else "limb"
    _drop(layout, {i for i, m in enumerate(layout.limbs) if m.part == "cheek"})
    if plan == "biped":
        layout.facing = "viewer"
        layout.view_score = _symmetry(body, layout.limbs, float(body.xy[spine, 0].mean()))
        arms = sum(m.part == "arm" for m in layout.limbs)
        layout.score = float(np.clip(0.45 + 0.35 * min(1.0, (upright - 0.3) / (_UPRIGHT - 0.3))
                                     + 0.1 * min(arms, 2) / 2 + 0.1 * layout.view_score, 0, 1))
    else:
        layout.facing = "left" if rise[0] < 0 else "right"
        sideways = float(np.sqrt(max(0.0, 1 - upright * upright)))
        extras = 0.15 * bool(layout.tail) + 0.15 * any(m.part == "wing" for m in layout.limbs)
        layout.score = float(np.clip(0.3 + 0.4 * min(1.0, sideways / 0.57) + extras, 0, 1))
        layout.view_score = layout.score
    return layout


def _front_quadruped(body: Body, legs: list[int]) -> Layout | None:
    """A quadruped seen from the front: an upright reading whose other limbs reach the floor too (the
    legs behind), or that has no arms at all (the hind legs hidden behind the front ones). The pair
    the body meets is the front legs."""
    layout = _upright(body, legs, "biped", forced=True)
    if layout is None:
        return None
    reach = [m for m in layout.limbs if m.parent < 0 and m.part in ("arm", "leg", "tail")
             and body.xy[m.joints[-1], 1] - body.rad[m.joints[-1]] - body.floor < 1.5 * FLOOR]
    arms = [m for m in layout.limbs if m.part == "arm" and m not in reach]
    hind = [m for m in reach if m.part != "leg"]
    if arms or (hind and len(hind) < 2):
        return None
    layout.plan = "quadruped"
    for limb in layout.limbs:
        if limb.part == "leg":
            limb.part = limb.group = "front_leg"
        elif limb in hind:
            limb.part = limb.group = "hind_leg"
        elif limb.part in ("arm", "tail"):
            limb.part = "limb"
    layout.score = float(np.clip(layout.score + (0.1 if hind else 0.05) - 0.1 * (len(body.leaves) > 6), 0, 1))
    return layout


def _front_bird(body: Body, legs: list[int]) -> Layout | None:
    """A bird seen from the front, wings spread: an upright reading whose two arms are each longer than
    its legs, on a figure wider than tall by a fifth (a T-posed human's arm span is about its height)."""
    layout = _upright(body, legs, "biped", forced=True)
    if layout is None or body.width < 1.2 * body.height:
        return None
    arms = [m for m in layout.limbs if m.part == "arm"]
    leg_length = max(body.arc(m.joints) for m in layout.limbs if m.part == "leg")
    if len(arms) != 2 or min(body.arc(m.joints) for m in arms) < 1.2 * leg_length:
        return None
    layout.plan = "bird"
    for limb in arms:
        limb.part = "wing"
    layout.score = float(np.clip(layout.score + 0.05, 0, 1))
    return layout


def _rump_tail(body: Body, spine: list[int], legs: set[int], facing: str) -> list[int]:
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


def _drop(layout: Layout, drop: set[int]) -> None:
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


def _quadruped(body: Body, groups: list[list[int]]) -> Layout | None:
    legs = [leg for g in groups for leg in g]
    head = _head(body, set(legs))
    if head is None:
        return None
    dist = body.distances(head)
    groups = sorted(groups, key=lambda g: min(dist[body.branch(leg)[0]] for leg in g))
    hind = groups[-1]
    # the hips: where the hind legs meet, or the farther of the places they hang from (legs drawn apart)
    hips = max([_meet(body, head, hind)] + [body.branch(leg)[0] for leg in hind], key=lambda j: dist[j])
    spine = _trim_head(body, body.path(hips, head))
    if len(spine) < 2:
        return None
    layout = Layout("quadruped", 0.0, "side", 0.0, "viewer", spine)
    rise = body.xy[spine[-1]] - body.xy[hips]
    layout.facing = "left" if rise[0] < 0 else "right"
    tips = {leg: "front_leg" for g in groups[:-1] for leg in g} | {leg: "hind_leg" for leg in hind}
    behind = [leaf for leaf in body.leaves if leaf not in tips and leaf not in spine
              and not body.between(hips, leaf, spine[1])]
    if behind:
        layout.tail = body.path(hips, max(behind, key=lambda leaf: dist[leaf]))
    tail_behind = bool(layout.tail)  # a rump's tail names a limb but is no evidence for the plan
    layout.tail = layout.tail or _rump_tail(body, spine, set(tips), layout.facing)
    layout.limbs = _limbs_on(body, layout, tips)
    # ears: short tips on the last 40 % of the way from the shoulders (front legs) to the head's end
    along = body.distances(spine[0])
    shoulder = min((along[m.joints[0]] for m in layout.limbs if m.part == "front_leg"), default=0.0)
    for limb in layout.limbs:
        limb.group = limb.part
        if not limb.part:
            late = along[limb.joints[0]] >= shoulder + 0.6 * (along[spine[-1]] - shoulder)
            short = body.arc(limb.joints) <= 0.2
            in_head = _head_region(body, layout, limb) or (late and short)
            limb.part = "ear" if limb.parent < 0 and limb.joints[0] in set(spine) and in_head else "limb"
    flat = abs(float(rise[0])) / max(float(np.linalg.norm(rise)), 1e-12)
    count = len(legs)
    layout.score = float(np.clip(0.35 + 0.3 * min(1.0, flat / 0.7) + 0.1 * min(count, 4) / 4
                                 + 0.15 * (body.blob(head) > 1.3 * body.rad[body.leaves].mean())
                                 + 0.1 * tail_behind
                                 # more groups or legs: an insect
                                 - 0.12 * max(0, len(groups) - 2) - 0.08 * max(0, count - 4),
                                 0, 1))
    layout.view_score = float(np.clip(0.4 + 0.5 * flat, 0, 1))
    return layout


def _longest(body: Body) -> list[int]:
    """The tree's longest path (two sweeps)."""
    a = int(np.argmax(body.distances(body.leaves[0] if body.leaves else 0)))
    b = int(np.argmax(body.distances(a)))
    return body.path(a, b)


def _elongated(body: Body, plan: str, legs: list[int]) -> Layout | None:
    # A snake's body is the tree's longest path; a fish's runs from its leftmost tip to its rightmost.
    if plan == "fish" and len(body.leaves) >= 2:
        by_x = sorted(body.leaves, key=lambda j: body.xy[j, 0])
        main = body.path(by_x[0], by_x[-1])
    else:
        main = _longest(body)
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
        k = int(np.searchsorted(arc, 0.4 * arc[-1]))
    else:
        k = int(np.argmax(body.rad[path][: max(2, int(0.8 * len(path)))]))
    k = int(np.clip(k, 1, len(path) - 2))
    layout = Layout(plan, 0.0, "side", 0.0, "viewer", path[k:], path[k::-1])
    rise = body.xy[path[-1]] - body.xy[path[0]]
    layout.facing = "left" if rise[0] < 0 else "right"
    layout.limbs = _limbs_on(body, layout, {})
    for limb in layout.limbs:
        limb.part = "fin" if plan == "fish" else "limb"
    others = len([m for m in layout.limbs if m.parent < 0])
    flat = abs(float(rise[0])) / max(float(np.linalg.norm(rise)), 1e-12)
    leggy = 0.5 * max(0, len(legs) - 1)  # one tip on the floor may be a fin's
    if plan == "serpent":
        # a snake's head is wider than its tail's end: a plain bar is no snake
        ends_ratio = headness(body, head_end) / max(headness(body, tail_end), 1e-9)
        score = (0.9 * float(np.clip((elongation - 5.0) / 4.0, 0, 1)) * (0.5 + 0.5 * float(np.clip(
            (ends_ratio - 1.0) / 0.3, 0, 1))) - 0.15 * others - leggy)
    else:
        fat = float(np.clip((body.thickest / length - 0.08) / 0.08, 0, 1))
        score = (0.2 + 0.3 * min(1.0, flat / 0.85) + 0.25 * fat + 0.2 * bool(forks)
                 - 0.3 * float(np.clip((elongation - 9) / 4, 0, 1)) - leggy)
        if flat < 0.6 or body.width < 1.2 * body.height or not (forks or others):  # long, flat, finned
            score = min(score, 0.4)
    layout.score = float(np.clip(score, 0, 1))
    layout.view_score = 0.5
    return layout


def _many_legged(body: Body, forced: bool = False, floor: int = 0) -> Layout | None:
    """`floor`: legs on the floor, when five or more or in three or more groups (a side view's insect)."""
    if len(body.leaves) < (3 if forced else 6):
        return None
    weight = body.rad**2  # the body's thick joints, not its thin legs, set the axis
    centred = body.xy - (weight[:, None] * body.xy).sum(axis=0) / weight.sum()
    axis = np.linalg.eigh((weight[:, None] * centred).T @ centred)[1][:, 1]
    blobs = {leaf: body.blob(leaf) for leaf in body.leaves}
    rear = max(body.leaves, key=lambda leaf: (round(blobs[leaf], 4), leaf))
    along = body.xy @ axis
    sign = -1.0 if along[rear] > np.median(along) else 1.0
    ahead = [leaf for leaf in body.leaves if leaf != rear and blobs[leaf] >= 0.5 * blobs[rear]
             and sign * (along[leaf] - along[rear]) > 0]
    far = max(ahead, key=lambda leaf: sign * along[leaf]) if ahead else body.branch(rear)[0]
    path = body.path(rear, far)
    dist = body.distances(rear)
    sideways = [leaf for leaf in body.leaves if leaf not in path]
    attach = [next(j for j in body.path(leaf, rear) if j in set(path)) for leaf in sideways]
    hips = max(attach, key=lambda j: -dist[j]) if attach else path[len(path) // 2]
    k = path.index(hips)
    k = int(np.clip(k, 1, len(path) - 1))
    spine = path[k - 1 :] if k == len(path) - 1 else path[k:]
    layout = Layout("many_legged", 0.0, "top", 0.0, "viewer", spine, path[k::-1], head=bool(ahead))
    if layout.spine[0] != layout.tail[0]:
        layout.tail = path[k - 1 :: -1]
    layout.limbs = _limbs_on(body, layout, {})
    legs = 0
    for limb in layout.limbs:
        d = direction(body, limb)
        across = abs(float(d @ np.array([-axis[1], axis[0]])))
        leg = limb.parent < 0 and across > 0.5 and not _head_region(body, layout, limb)
        limb.part = "leg" if leg else "limb"
        legs += limb.part == "leg"
    heading = body.xy[layout.spine[-1]] - body.xy[layout.spine[0]]
    sideways = abs(heading[1]) < abs(heading[0])
    layout.facing = ("left" if heading[0] < 0 else "right") if sideways else "viewer"
    layout.score = float(np.clip(0.2 + 0.12 * legs, 0, 0.95)) if legs >= 6 else 0.1 * legs
    if floor:
        layout.score = max(layout.score, float(np.clip(0.45 + 0.08 * floor, 0, 0.95)))
    layout.view_score = layout.score
    return layout


def _generic(body: Body, plan: str) -> Layout:
    """No plan fits: the longest path is the trunk from the tree's root (its most central joint)."""
    main = _longest(body)
    k = main.index(0) if 0 in main else len(main) // 2
    k = int(np.clip(k, 0, len(main) - 1))
    spine = main[k:] if len(main[k:]) >= 2 else main[k::-1]
    layout = Layout(plan, 0.0, "front", 0.3, "viewer", spine, head=False)
    layout.limbs = _limbs_on(body, layout, {})
    for limb in layout.limbs:
        limb.part = "limb"
    return layout
