"""Body plan, view and facing: which reading of the tree fits best, and how sure that is.

Every plan is tried as a `Layout` (spine, tail, labelled limbs) and scored in [0, 1] from what a
silhouette shows (rule-based, documented per plan below); the best one wins, its confidence is
its score less half the runner-up's. Nothing fitting (a cup) is `generic` with a low confidence.

- Legs are tips standing on the floor (within `FLOOR` of the mask's bottom, beyond their own
  radius) whose branch heads down. Legs hanging from one place are a group (a pair).
- The head is the tip whose neighbourhood is thickest (`Body.blob`): the round end of a figure.
  Where the head's end branches (ears on a plush head), the spine stops at the branch point.
- biped: one group of two legs, the spine from where they meet up to the head within 35° of
  vertical; front view when the limbs on either side mirror each other (core.mirror's fit).
- bird: one group of legs, the head off to one side (more than 35° from vertical above the hips),
  a tail or a raised wing; side view.
- quadruped: two or more leg groups along a horizontal body, the head at one end; side view.
- serpent: one long chain (length over 6 times its thickness) without legs; fish: a horizontal
  body a few times longer than thick, without legs, often with a forked tail.
- many_legged: six or more limbs reaching sideways from a body axis; top view.
"""
from __future__ import annotations

import numpy as np

from ..mirror import fit, resample
from .body import Body
from .parts import Layout, Limb, assign_sides, direction, hanging

FLOOR = 0.08  # normalized units (the bbox's longest side is 1)
_UPRIGHT = np.cos(np.radians(35))
PLANS = ("biped", "quadruped", "bird", "serpent", "fish", "many_legged", "generic")


def classify(body: Body, force_plan: str = "auto", force_view: str = "auto") -> tuple[Layout, float]:
    """The best layout and its body-plan confidence; forced plans/views (user settings) win."""
    candidates = [c for c in _candidates(body) if c is not None]
    candidates.sort(key=lambda c: -c.score)
    if force_plan != "auto":
        chosen = next((c for c in candidates if c.plan == force_plan), None)
        layout = chosen or _generic(body, force_plan)
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


def floor_legs(body: Body) -> list[int]:
    out = []
    for leaf in body.leaves:
        chain = body.branch(leaf)
        d = body.xy[leaf] - body.xy[chain[0]]
        down = d[1] < -0.3 * float(np.linalg.norm(d)) or body.arc(chain) < 0.1  # a toe turns on the floor
        if body.xy[leaf, 1] - body.rad[leaf] - body.floor < FLOOR and down:
            out.append(leaf)
    return out


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


def _candidates(body: Body) -> list[Layout | None]:
    legs = floor_legs(body)
    groups = _groups(body, legs)
    out: list[Layout | None] = []
    if len(groups) == 1 and len(groups[0]) >= 2:
        out += [_upright(body, groups[0], "biped"), _upright(body, groups[0], "bird")]
    if len(groups) >= 2:
        out.append(_quadruped(body, groups))
    out += [_elongated(body, "serpent", legs), _elongated(body, "fish", legs), _many_legged(body)]
    return out


def _head(body: Body, exclude: set[int]) -> int | None:
    options = [leaf for leaf in body.leaves if leaf not in exclude]
    return max(options, key=lambda leaf: (round(body.blob(leaf), 4), body.xy[leaf, 1])) if options else None


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
            reach.append(body.arc([j] + [m for m in sub]) if len(sub) == 1 else body.arc(body.path(j, sub[-1])))
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
    return layout.head and float(np.linalg.norm(body.xy[limb.joints[0]] - body.xy[end])) <= 0.7 * body.rad[end]


def _symmetry(body: Body, limbs: list[Limb], axis_x: float) -> float:
    """How well the limbs on either side of x = axis_x mirror each other, in [0, 1] (core.mirror's fit)."""
    sides = [m for m in limbs if m.parent < 0 and m.part in ("arm", "leg", "ear", "wing", "limb")]
    left = [m for m in sides if body.xy[m.joints[-1], 0] > axis_x]
    right = [m for m in sides if body.xy[m.joints[-1], 0] <= axis_x]
    if not left or not right:
        return 0.0
    scores = []
    for m in left:
        a = resample(body.pos[m.joints], 16)
        costs = [fit(a, resample(body.pos[r.joints], 16))[0] for r in right if r.part == m.part]
        scores.append(float(np.exp(-min(costs) / 0.05)) if costs else 0.0)
    balance = min(len(left), len(right)) / max(len(left), len(right))
    return float(np.mean(scores)) * balance


def _upright(body: Body, legs: list[int], plan: str) -> Layout | None:
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
    layout = Layout(plan, 0.0, "front" if plan == "biped" else "side", 0.0, "viewer", spine)
    tips = {leg: "leg" for leg in legs}
    behind = [leaf for leaf in body.leaves if leaf not in tips and leaf not in spine
              and spine[1] not in body.path(hips, leaf) and body.xy[leaf, 1] - body.floor >= FLOOR]
    if plan == "bird" and behind:
        tail_tip = max(behind, key=lambda leaf: abs(body.xy[leaf, 0] - body.xy[hips, 0]))
        layout.tail = body.path(hips, tail_tip)
    layout.limbs = _limbs_on(body, layout, tips)
    for limb in layout.limbs:
        if limb.part or limb.parent >= 0:
            limb.part = limb.part or "limb"
            continue
        d = direction(body, limb)
        if _head_region(body, layout, limb):
            limb.part = "ear" if plan == "biped" else "limb"
        elif plan == "biped":
            limb.part = "arm" if body.xy[limb.joints[0], 1] > body.xy[hips, 1] + 0.3 * np.linalg.norm(rise) else (
                "leg" if d[1] < -_UPRIGHT else "tail")
        else:
            long = body.arc(limb.joints) > 0.15
            limb.part = "wing" if long and d[1] > 0.3 else "limb"
    if plan == "biped":
        if upright < 0.3:
            return None
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


def _quadruped(body: Body, groups: list[list[int]]) -> Layout | None:
    legs = [leg for g in groups for leg in g]
    head = _head(body, set(legs))
    if head is None:
        return None
    dist = body.distances(head)
    groups = sorted(groups, key=lambda g: min(dist[body.branch(leg)[0]] for leg in g))
    front, hind = groups[0], groups[-1]
    hips = _meet(body, head, hind) if len(hind) > 1 else body.branch(hind[0])[0]
    spine = _trim_head(body, body.path(hips, head))
    if len(spine) < 2:
        return None
    layout = Layout("quadruped", 0.0, "side", 0.0, "viewer", spine)
    rise = body.xy[spine[-1]] - body.xy[hips]
    layout.facing = "left" if rise[0] < 0 else "right"
    tips = {leg: "front_leg" for g in groups[:-1] for leg in g} | {leg: "hind_leg" for leg in hind}
    behind = [leaf for leaf in body.leaves if leaf not in tips and leaf not in spine
              and spine[1] not in body.path(hips, leaf)]
    if behind:
        layout.tail = body.path(hips, max(behind, key=lambda leaf: dist[leaf]))
    layout.limbs = _limbs_on(body, layout, tips)
    for limb in layout.limbs:
        limb.group = limb.part
        if not limb.part:
            limb.part = "ear" if limb.parent < 0 and _head_region(body, layout, limb) else "limb"
    flat = abs(float(rise[0])) / max(float(np.linalg.norm(rise)), 1e-12)
    count = len(legs)
    layout.score = float(np.clip(0.35 + 0.3 * min(1.0, flat / 0.7) + 0.1 * min(count, 4) / 4
                                 + 0.15 * (body.blob(head) > 1.3 * body.rad[body.leaves].mean()) + 0.1 * bool(layout.tail),
                                 0, 1))
    layout.view_score = float(np.clip(0.4 + 0.5 * flat, 0, 1))
    return layout


def _longest(body: Body) -> list[int]:
    """The tree's longest path (two sweeps)."""
    a = int(np.argmax(body.distances(body.leaves[0] if body.leaves else 0)))
    b = int(np.argmax(body.distances(a)))
    return body.path(a, b)


def _elongated(body: Body, plan: str, legs: list[int]) -> Layout | None:
    main = _longest(body)
    if len(main) < 3:
        return None
    length = body.arc(main)
    thick = float(np.mean(body.rad[main]))
    elongation = length / max(2 * thick, 1e-9)
    ends = (main[0], main[-1])
    forks = [np.linalg.norm(body.xy[j] - body.xy[e]) for e in ends for j in main if body.degree[j] >= 3]
    near_fork = [min((np.linalg.norm(body.xy[j] - body.xy[e]) for j in main if body.degree[j] >= 3), default=9.0)
                 for e in ends]
    if plan == "fish" and forks:
        head_end = ends[int(np.argmax(near_fork))]  # the fork is the tail's
    else:
        head_end = max(ends, key=lambda e: (round(body.blob(e), 4), -e))
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
        score = 0.9 * float(np.clip((elongation - 5.0) / 4.0, 0, 1)) - 0.15 * others - leggy
    else:
        fat = float(np.clip((body.thickest / length - 0.08) / 0.08, 0, 1))
        score = (0.2 + 0.3 * min(1.0, flat / 0.85) + 0.25 * fat + 0.2 * bool(forks)
                 - 0.3 * float(np.clip((elongation - 9) / 4, 0, 1)) - leggy)
        if flat < 0.6 or body.width < 1.2 * body.height:  # a fish is long and lies flat
            score = min(score, 0.4)
    layout.score = float(np.clip(score, 0, 1))
    layout.view_score = 0.5
    return layout


def _many_legged(body: Body) -> Layout | None:
    if len(body.leaves) < 6:
        return None
    ys, xs = np.nonzero(body.shape.mask)
    cov = np.cov(np.stack([xs, -ys]).astype(np.float64))
    axis = np.linalg.eigh(cov)[1][:, 1]
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
    layout = Layout("many_legged", 0.0, "top", 0.0, "viewer", path[k - 1 :] if k == len(path) - 1 else path[k:],
                    path[k::-1], head=bool(ahead))
    if layout.spine[0] != layout.tail[0]:
        layout.tail = path[k - 1 :: -1]
    layout.limbs = _limbs_on(body, layout, {})
    legs = 0
    for limb in layout.limbs:
        d = direction(body, limb)
        across = abs(float(d @ np.array([-axis[1], axis[0]])))
        limb.part = "leg" if limb.parent < 0 and across > 0.5 and not _head_region(body, layout, limb) else "limb"
        legs += limb.part == "leg"
    heading = body.xy[layout.spine[-1]] - body.xy[layout.spine[0]]
    layout.facing = "viewer" if abs(heading[1]) >= abs(heading[0]) else ("left" if heading[0] < 0 else "right")
    layout.score = float(np.clip(0.2 + 0.12 * legs, 0, 0.95)) if legs >= 6 else 0.1 * legs
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
