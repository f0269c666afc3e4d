"""The trunk's joints: hips (the root), spine, neck and head, and the tail (counts in `bones.py`)."""
from __future__ import annotations

import numpy as np

from .body import Body
from .cuts import arc_of, points_at, socket_arc
from .joints import Joints
from .parts import Layout

SHOULDER_PARTS = ("arm", "front_leg", "wing")  # limbs at the shoulders: where the neck begins
MIN_BONE = 0.03  # normalized units: shorter bones from the tree's joints are merged
SNAKE_BONE = 0.03  # a snake's shortest bone (normalized)
SEGMENT_BONE = 0.05  # a many-legged creature's body: its legs' chains stay within ±1 bone (development)
SNAKE_RADII = 1.4  # a snake's bone per this many radii of its thickness (`bones.py`)
HEAD_SHARE = 0.8  # a head at most this share of the path from the shoulders found to the crown (`add_spine`)
TAIL_BONE = 0.08  # an automatic tail gets a bone per this length (a horse's tail 5-6, a dog's 3-4)
# a side view quadruped's pelvis: this share of the hips' thickness in from the rump's rear outline
# (the development truth's: 0.7 to 1.0 of it); its rump: tail joints `RUMP` of that thickness or more
PELVIS = 0.8
RUMP = 0.7
NECK_SAMPLES = 48  # places read along the spine's path for where a side view quadruped's neck starts
NECK_FALL = 0.1  # it starts where the outline has fallen to within this share of its fall to the neck
# a front view biped's neck starts this share of the way from its arms' sockets to the crown above them:
# its root sits between the clavicles' inner ends, over the shoulders' sockets, not level with them
# (the development truth: 0.16, lean figures; Rigify's human 0.18; development front biped part accuracy
# 0.751 -> 0.765 at 0.12, 0.768 at 0.16, where joint F1 fell)
NECK_RISE = 0.12


def hips_placed(body: Body, layout: Layout, polys: list[tuple[np.ndarray, np.ndarray]]
                ) -> tuple[np.ndarray, list[int]]:
    """The spine's path with the hips at the pelvis, and where each spine joint is on it. A biped's
    legs leaving the body well below the point the medial path forks (a plush's wide body forks at its
    centre) lower the hips to between the hip sockets; a side view quadruped's hips sit in its rump
    (`_rump`), at the back's height (Rigify's horse and wolf: the hips at the thighs' heads, on the
    back's line), dropping the path's climb up to it."""
    spine_poly = body.pos[layout.spine]
    index = list(range(len(spine_poly)))
    if len(spine_poly) < 3 and not layout.sunk:  # (a sunk head's spine runs on up to the crown)
        return spine_poly, index
    r = float(body.rad[layout.spine[0]])
    if _side_quadruped(body, layout):
        behind = _rump(body, layout)
        spine_poly = np.vstack([behind, spine_poly])
        index = [k + len(behind) for k in index]
        hips = spine_poly[0].copy()
        arc = arc_of(spine_poly)
        back = spine_poly[(arc >= 0.15 * arc[-1]) & (arc <= 0.5 * arc[-1]), 1]
        hips[1] = float(np.median(back)) if back.size else hips[1]
        if hips[1] <= spine_poly[0, 1] + 0.3 * r:
            return spine_poly, index
        climb = 1
        while climb < len(spine_poly) - 2 and spine_poly[climb, 1] < hips[1] - 0.3 * r:
            climb += 1
        return np.vstack([hips[None], spine_poly[climb:]]), [max(0, k - climb + 1) for k in index]
    hips = spine_poly[0].copy()
    legs = [polys[i] for i, m in enumerate(layout.limbs) if m.part == "leg" and m.parent < 0]
    if layout.plan != "biped" or len(legs) < 2:
        return spine_poly, index
    sockets = np.array([points_at(poly, [socket_arc(poly, arc, r) / max(arc[-1], 1e-12)])[0]
                        for poly, arc in legs])
    hips[1] = float(sockets[:, 1].mean())
    if hips[1] < spine_poly[0, 1] - 0.3 * r:
        return np.vstack([hips[None], spine_poly]), [k + 1 for k in index]
    return spine_poly, index


def add_spine(body: Body, layout: Layout, out: Joints, poly: np.ndarray, arc: np.ndarray,
              trunk_arc: dict[int, float], tail_bones: int, shoulder_height: float | None = None,
              skull_base: float | None = None) -> list[tuple[float, int]]:
    """Hips (the root), spine bones, neck and head; returns (arc, joint) of the joints with bones.
    `shoulder_height`: the height of the arms' sockets where they were found (a front view's, at the drawn
    shoulders: `limbs.armpit_socket`): the neck starts over them (`NECK_RISE`), not where the tree forks
    into the arms (a drawn T-pose's neck had started 5 % of the height under its shoulders), and the
    head, two of the figure's radii along the path's top, leaves the neck `HEAD_SHARE` of the way from
    the sockets to the crown at least: arms raised beside a head merge with it into a top as wide as
    the torso, whose radius made the head reach down to the shoulders (a drawn cheering chibi's neck of
    no length).
    `skull_base`: where a side view's neck meets the skull (`bones._skull_base`), the head's base where
    it lies lower."""
    total = float(arc[-1])
    plan = layout.plan
    if total <= 1e-9 or len(poly) < 2:
        root = out.add(poly[0], -1, "spine", "spine")
        return [(0.0, root)]
    head_len = 0.0
    neck_base = total
    if layout.head:
        reach = max(0.15, 0.3 * total)
        r = max([float(body.rad[j]) for j in layout.spine if total - trunk_arc[j] <= reach]
                + [float(body.rad[layout.spine[-1]])])
        if plan in ("serpent", "many_legged"):  # a head two radii long (a snake's one vertebra), at most
            # 15 % of the body
            head_len = min((SNAKE_RADII if plan == "serpent" else 2.0) * r, 0.15 * total)
            neck_base = total - head_len
        elif plan == "fish":
            head_len = min(max(2.0 * r, 0.15 * total), 0.35 * total)
            neck_base = total - head_len
        else:
            if plan == "biped" and layout.view == "front":  # the figure's thickness along the path's top
                # too: a re-drawn head's path has no tree joint at its centre (`bones._upright_head`);
                # (side views and other plans: development CD-J2J worse, quadruped 5.86 -> 6.03)
                top = points_at(poly, np.linspace(max(0.0, 1 - reach / total), 1.0, 16)).astype(np.float32)
                r = max(r, float(np.max(body.shape.radius_at(top))))
            head_len = min(2.0 * r, 0.45 * total)
            shoulders = [trunk_arc[m.joints[0]] for m in layout.limbs
                         if m.parent < 0 and m.part in SHOULDER_PARTS and m.joints[0] in trunk_arc]
            # (a front view biped's arms forking below the trunk's middle joined it low, along a dress: no
            # shoulders; development chunky front CD-J2J 2.57 -> 2.40; side views: biped part accuracy down)
            low = 0.5 * (total - head_len) if plan == "biped" and layout.view == "front" else 0.0
            below = [a for a in shoulders if low <= a < total - head_len - 0.02]
            neck_base = max(below) if below else total - head_len - 0.6 * r
            if shoulder_height is not None:
                neck_base = _arc_at_height(poly, arc, shoulder_height, neck_base)
                head_len = min(head_len, HEAD_SHARE * (total - neck_base))
                neck_base += NECK_RISE * (total - neck_base)
            if layout.neck is not None and all(j in trunk_arc for j in layout.neck):  # read off the outline
                head_len, neck_base = total - trunk_arc[layout.neck[0]], trunk_arc[layout.neck[1]]
            if skull_base is not None and neck_base < skull_base < total - head_len:
                head_len = total - skull_base
            head_len = max(head_len, _behind_ears(layout, trunk_arc, total, neck_base))
            if plan == "quadruped" and layout.view == "side":
                neck_base = _necked_in(body, poly, arc, neck_base, total - head_len)
            neck_base = float(np.clip(neck_base, 0.25 * total, total - head_len - 0.01))
    if plan == "generic":
        return add_tree_spine(out, poly, arc)
    counts = {"biped": 4 if neck_base >= 0.2 else 3, "quadruped": 5, "bird": 2, "fish": 3}
    count = counts.get(plan) or tail_bones
    if count:  # the plan's bones (a snake's: the setting's), at the tree's joints nearest to even places
        evens = [neck_base * k / count for k in range(count)]
        spots = evens if plan == "serpent" else snapped(tree_spots(arc, 0.0, neck_base), evens)
    elif plan == "serpent":  # a snake's body: a bone per `SNAKE_RADII` of its thickness, at its bends
        spots = by_thickness(arc, 0.0, neck_base, _thickness(body, layout.spine))
    else:  # a many-legged creature's body keeps the tree's joints
        spots = tree_spots(arc, 0.0, neck_base, SEGMENT_BONE)
    places = [(a, "spine", k) for k, a in enumerate(spots)]
    if layout.head:
        head_base = total - head_len
        neck = head_base - neck_base
        necks = 0 if plan in ("serpent", "fish", "many_legged") else (2 if neck > 1.2 * head_len else 1)
        if plan == "quadruped" and head_len > 0:  # Rigify's horse and wolf: a long neck has 3 bones or more
            # (a head of no length: the figure's thickness is 0 along the path's top, a ring of ink)
            necks = int(np.clip(round(neck / (0.6 * head_len)), 1, 3))
        places += [(neck_base + neck * k / necks, "neck", k) for k in range(necks)] + [(head_base, "head", 0)]
    points = points_at(poly, [place / total for place, _, _ in places])
    chain: list[tuple[float, int]] = []
    parent = -1
    for (place, role, k), point in zip(places, points):
        parent = out.add(point, parent, role, role, number=k)
        chain.append((place, parent))
    end = "head" if layout.head else "spine"
    out.add(poly[-1], parent, end, end, tip=True)
    return chain


def _side_quadruped(body: Body, layout: Layout) -> bool:
    """A side view quadruped whose hips are where its hind legs fork (a hips of degree under 3 is a
    misread leg's own branch: it stays, the foot it is; a sitting one's are in its haunch, where its
    spine rises from, `sitting`)."""
    return (layout.plan == "quadruped" and layout.view == "side" and body.degree[layout.spine[0]] >= 3
            and not layout.sitting)


def _rump_arc(body: Body, layout: Layout) -> float:
    """How far behind the hind legs' fork a side view quadruped's pelvis sits: the rump's depth behind
    the fork (the outline straight back, the median over the hips' disc: a tail carries one ray on)
    less the hips' thickness, and, with a tail, no farther along its path than it keeps `RUMP` of the
    hips' thickness (the tail proper is thinner)."""
    hips = layout.spine[0]
    r = float(body.rad[hips])
    back = -np.sign(body.xy[layout.spine[-1], 0] - body.xy[hips, 0])
    starts = body.xy[hips] + np.outer(np.linspace(-0.6, 0.6, 5) * r, [0.0, 1.0])
    rear = body.outlines(starts, np.tile([back, 0.0], (len(starts), 1)))
    depth = float(np.median(np.abs(rear[:, 0] - starts[:, 0]))) - PELVIS * r
    if len(layout.tail) >= 2:
        thick = body.rad[layout.tail] >= RUMP * r
        k = int(np.argmin(thick)) - 1 if not thick.all() else len(thick) - 1
        depth = min(depth, body.arc(layout.tail[: k + 1]))
    return max(depth, 0.0)


def _rump(body: Body, layout: Layout) -> np.ndarray:
    """(m, 3) points the spine's path gains behind the hips, from the pelvis forward: the medial tree
    forks into the hind legs ahead of the pelvis where they stand forward of it; the pelvis sits in
    the rump, about its thickness in from the rear outline (a disc of it touches the outline there):
    along the tail's path (`_rump_arc`), or straight back without a tail. The development truth's hips
    lay 0.3 to 1.2 of the hips' thickness behind the fork, ours now within 0.4 of it of theirs."""
    depth = _rump_arc(body, layout)
    if depth <= 0:
        return np.zeros((0, 3))
    hips = layout.spine[0]
    if len(layout.tail) >= 2:
        poly = body.pos[layout.tail]
        arc = arc_of(poly)
        inner = poly[1:][arc[1:] < depth]
        return np.vstack([points_at(poly, [depth / arc[-1]]), inner[::-1]])
    point = body.pos[hips].copy()
    point[0] -= np.sign(body.xy[layout.spine[-1], 0] - body.xy[hips, 0]) * depth
    return point[None]


def _behind_ears(layout: Layout, trunk_arc: dict[int, float], total: float, neck_base: float) -> float:
    """A side view quadruped's head bone from under its ears' roots on (the skull's base lies below the
    ears, which hang off the head bone): the head's length from the farthest-back ear forking off the
    spine ahead of the neck's base, else 0."""
    if not (layout.plan == "quadruped" and layout.view == "side"):
        return 0.0
    roots = [trunk_arc[m.joints[0]] for m in layout.limbs
             if m.parent < 0 and m.part == "ear" and m.joints[0] in trunk_arc]
    roots = [a for a in roots if neck_base < a < total]
    return total - min(roots) if roots else 0.0


def _necked_in(body: Body, poly: np.ndarray, arc: np.ndarray, neck_base: float, head_base: float) -> float:
    """Where a side view quadruped's neck starts: where its outline necks in from the chest, as a
    biped's side view neck does (`upright.side_neck`), not at the front legs' fork, which sits low in
    the chest behind the neck (a drawn dog's neck started in the middle of its chest). Read along the
    spine's path from that fork: the thinnest place before the head's widest (and before the head's
    base), and the neck's start where the outline first comes within `NECK_FALL` of its whole fall to
    there (a neck of even thickness starts where it leaves the chest, not at whichever of its places
    happens to be thinnest). Development and second draw, thin and chunky, both facings: part accuracy
    and CD-J2J better or level; the thinnest place itself scored higher but set a drawn dog's and
    horse's neck at their heads."""
    total = float(arc[-1])
    if head_base <= neck_base:
        return neck_base
    places = np.linspace(neck_base, total, NECK_SAMPLES)
    thickness = body.shape.radius_at(points_at(poly, places / total).astype(np.float32))
    half = NECK_SAMPLES // 2
    skull = half + int(np.argmax(thickness[half:]))  # the head's widest: the neck ends before it
    reach = min(skull, int(np.searchsorted(places, head_base, side="right")))
    k = int(np.argmin(thickness[:reach]))
    fall = thickness[: k + 1] <= thickness[k] + NECK_FALL * (thickness[0] - thickness[k])
    return float(places[int(np.argmax(fall))])


def _arc_at_height(poly: np.ndarray, arc: np.ndarray, height: float, default: float) -> float:
    """The arc where a path first climbs to `height` (image up), else `default`."""
    above = np.flatnonzero(poly[:, 1] >= height)
    if not above.size or above[0] == 0:
        return default
    k = int(above[0])
    y0, y1 = float(poly[k - 1, 1]), float(poly[k, 1])
    return float(arc[k - 1] + (arc[k] - arc[k - 1]) * (height - y0) / max(y1 - y0, 1e-12))


def tree_spots(arc: np.ndarray, start: float, end: float, spacing: float = MIN_BONE) -> list[float]:
    """`start` and the medial tree's joints (arc lengths) after it, each at least `spacing` from the
    previous and from `end`: a chain that keeps the tree's bends without stubs."""
    out = [start]
    for a in arc[1:]:
        if a - out[-1] >= spacing and end - a >= spacing:
            out.append(float(a))
    return out


def _thickness(body: Body, joints: list[int]) -> float:
    """The median radius along a chain of the tree's joints: a body's own scale."""
    return float(np.median(body.rad[joints])) if len(joints) else 0.0


def by_thickness(arc: np.ndarray, start: float, end: float, radius: float) -> list[float]:
    """Places from `start` toward `end` a bone per `SNAKE_RADII` radii apart (the body's own scale:
    a thin snake has more vertebrae per length than a thick one), snapped to the tree's joints; the
    tree's joints at least `SNAKE_BONE` apart where they are more (dev snake CD-J2J 6.65 -> 6.39)."""
    bends = tree_spots(arc, start, end, SNAKE_BONE)
    count = max(1, int(round((end - start) / max(SNAKE_RADII * radius, SNAKE_BONE))))
    if count < len(bends):  # a body seen thick (a coil from above) keeps its bends
        return bends
    evens = [start + (end - start) * i / count for i in range(count)]
    return snapped(bends, evens)


def snapped(spots: list[float], evens: list[float]) -> list[float]:
    """Even places (the first kept) each moved to the nearest tree joint within a third of a bone of
    it and after the previous place: anatomical counts that keep the tree's bends."""
    out = [evens[0]]
    step = (evens[1] - evens[0]) if len(evens) > 1 else 0.0
    for e in evens[1:]:
        near = [a for a in spots if a > out[-1] + 0.3 * step and abs(a - e) <= step / 3]
        out.append(min(near, key=lambda a: abs(a - e)) if near else e)
    return out


def add_tree_spine(out: Joints, poly: np.ndarray, arc: np.ndarray) -> list[tuple[float, int]]:
    """No body plan: the trunk keeps the medial tree's joints (see `add_tree_limb`)."""
    chain = []
    parent = -1
    for k in range(len(poly) - 1):
        parent = out.add(poly[k], parent, "spine", "spine", number=k)
        chain.append((float(arc[k]), parent))
    out.add(poly[-1], parent, "spine", "spine", tip=True)
    return chain


def add_tail(body: Body, layout: Layout, out: Joints, tail_bones: int) -> list[tuple[float, int]]:
    """Tail bones from the hips backward, children of the hips joint (joint 0)."""
    poly = body.pos[layout.tail]
    arc = arc_of(poly)
    length = float(arc[-1])
    part = "spine" if layout.plan == "many_legged" else "tail"
    role = "abdomen" if layout.plan == "many_legged" else "tail"
    start = min(float(body.rad[layout.tail[0]]), 0.4 * length)  # where it leaves the hips' thickness
    if _side_quadruped(body, layout):  # behind the hips in the rump (`_rump`)
        start = min(max(start, _rump_arc(body, layout) + MIN_BONE), 0.8 * length)
    chain = []
    parent = 0
    count = tail_bones if tail_bones > 0 else int(np.clip(round((length - start) / TAIL_BONE), 1, 8))
    places = [start + (length - start) * k / count for k in range(count)]
    if tail_bones <= 0 and layout.plan == "serpent":  # its body: by its thickness, at its bends
        places = by_thickness(arc, start, length, _thickness(body, layout.tail))
    elif tail_bones <= 0 and layout.plan == "many_legged":  # its body: the tree's bends
        places = tree_spots(arc, start, length, SEGMENT_BONE)
    elif tail_bones <= 0:  # by length, at the tree's joints nearest to even places (its bends)
        places = snapped(tree_spots(arc, start, length), places)
    for k, (place, point) in enumerate(zip(places, points_at(poly, np.array(places) / length))):
        parent = out.add(point, parent, part, role, number=k)
        chain.append((place, parent))
    out.add(poly[-1], parent, part, role, tip=True)
    return chain
