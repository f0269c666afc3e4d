"""Each limb's joints: its socket where it leaves the body, its anatomical bones (or the medial tree's
joints for a generic limb), and letters for limbs of one part and side (proportions in `bones.py`)."""
from __future__ import annotations

import numpy as np

from .body import Body, blocks
from .cuts import (ARM, FRONT_LEG, HIND_LEG, INSECT_LEG, LEG, WING, WING_REACH, arc_of, bend, cut_from,
                   cut_to, cuts, leg_cuts, points_at, socket_arc, turning)
from .joints import Joints
from .parts import Layout, Limb
from .trunk import TAIL_BONE, snapped, tree_spots

FRONT_SOCKET = 0.3  # a front leg starts this share of the body's thickness out from its fork (`bones.py`)
BIRD_HIP = 0.6  # a bird's leg: its hip inside the round body, the knee where the leg leaves it (`bones.py`)
HANG_DEGREES, HANG_REACH, HANG_THICKER = 10.0, 0.6, 1.15  # a front view quadruped's leg: `hanging_socket`
ARMPIT_WIDER = 1.6  # a front view arm's path enters the torso where the figure across it is this much wider
PIT_IN = 0.25  # the socket this many arm widths in from the armpit's line along the arm's line
TORSO_OFF = 0.1  # a raised arm's torso corner: the figure's side this share off the torso's (`raised_socket`)
IN_HEAD = 1.0  # a raised arm forked this many torso half-widths over its corner: in the head
CHEST = (0.3, 0.6)  # the share of the spine's path (from the hips) as wide as the torso (`raised_socket`)
CLAVICLE_HEAD = 0.2  # a front view shoulder bone starts this share of the way from the spine to the socket
# (Rigify's basic human: 0.09; development chunky CD-J2J 3.352 at 0.1, 3.358 at 0.2, 3.367 at 0.3)
ANKLE_FROM = 0.5  # a side view biped's leg from the hips: its ankle's turn sought from halfway (`hip_socket`)
SHORT_LEG = 0.1  # a many-legged creature's leg shorter than this outside the body has two bones (`bones.py`)
# A bird's unnamed limb (a far wing, a fan of feathers, a crest) is stiff feathers: cut by length as a
# tail is (development bird side views' joint ratio 1.30 -> 1.24). Other plans keep the tree's joints:
# objects (the bone length setting), an octopus's arms (development many-legged CD-J2J 8.70 -> 8.86
# cut by length), a quadruped's or biped's unnamed limb, often a leg or arm the reading missed (side-view
# quadrupeds 7.17 -> 7.25)
APPENDAGE_PLANS = ("bird",)
SEGMENTS = {
    "arm": (("shoulder", "upper_arm", "forearm", "hand"), ARM),
    "leg": (("thigh", "shin", "foot"), LEG),
    "front_leg": (("front_thigh", "front_shin", "front_foot", "front_toe"), FRONT_LEG),
    "hind_leg": (("thigh", "shin", "foot", "toe"), HIND_LEG),
    "wing": (("wing", "wing", "wing"), WING),
}


def limb_poly(body: Body, layout: Layout, limb: Limb) -> tuple[np.ndarray, np.ndarray]:
    """A limb's medial path, near/far of the midplane in a side view; its arc."""
    poly = body.pos[limb.joints].copy()
    if layout.view == "side" and limb.side:
        near = 1.0 if (limb.side == "L") == (layout.facing == "left") else -1.0
        poly[:, 2] = near * 0.5 * float(body.rad[limb.joints[0]])
    return poly, arc_of(poly)


def add_limb(body: Body, layout: Layout, out: Joints, limb: Limb, parent: int, letter: str,
             poly: np.ndarray, arc: np.ndarray, found: tuple[float, np.ndarray] | None = None,
             midline: float | None = None) -> list[tuple[float, int]]:
    """The joints of one limb; returns (arc from where it hangs, joint) of those with bones. `found`:
    the socket's arc and point where the caller found them (a front view's arm: `armpit_socket`,
    `bones.hidden_shoulder`); `midline`: the x between a front view's two arm sockets."""
    length = float(arc[-1])
    if len(poly) < 2 or length <= 1e-9:
        return []
    if limb.part == "limb":
        bone = TAIL_BONE if layout.plan in APPENDAGE_PLANS else 0.0
        return add_tree_limb(out, poly, limb, parent, letter, bone)
    r = float(body.rad[limb.joints[0]])
    socket = socket_arc(poly, arc, _socket_depth(layout, limb) * r)
    if layout.plan == "quadruped" and layout.view == "front" and limb.part in ("front_leg", "hind_leg"):
        socket = hanging_socket(body, limb, poly, arc, socket)
    pit = None
    if found is not None:
        socket, pit = found
    hips = hip_socket(layout, limb, poly, arc, out.positions[0]) if out.positions else None
    socket = socket if hips is None else min(socket, hips)
    insects = layout.plan == "many_legged" and limb.part == "leg"
    part = limb.part
    side = limb.side
    kw = {"side": side, "letter": letter}
    chain: list[tuple[float, int]] = []
    start = socket
    rest = cut_from(poly, arc, start)
    if pit is not None:  # the socket off the path (on the arm's line, at the drawn shoulder)
        rest[0, :2] = pit[:2]
    if part == "arm" and limb.parent < 0:
        inner = min(0.25 * r, 0.5 * socket)
        head = points_at(poly, [inner / length])[0]
        if layout.plan == "biped" and layout.view == "front":  # the clavicle from beside the midline (the
            # sockets' middle, else the spine joints' mean) out to the socket, level with it
            centre = midline if midline is not None else float(
                np.mean([p[0] for p, q in zip(out.positions, out.parts) if q == "spine"]))
            head[:2] = (centre + CLAVICLE_HEAD * (rest[0, 0] - centre), rest[0, 1])
        elif pit is not None:  # a side view's shoulder found (`side_shoulder`): the clavicle runs out
            # in depth to it from a quarter of the thickness, as a tucked arm's
            head = np.r_[pit[:2], 0.5 * pit[2]]
        parent = out.add(head, parent, part, "shoulder", **kw)
        chain.append((inner, parent))
    if part == "wing":
        rest = cut_to(rest, WING_REACH)
    if part in SEGMENTS and not insects:
        roles, fractions = SEGMENTS[part]
        roles = roles[1:] if part == "arm" else roles
        ankle = None if hips is None else ANKLE_FROM
        places = cuts(rest, fractions) if part != "leg" else leg_cuts(rest, ankle)
        if part == "leg" and len(places) == 3 and ankle and _stub_foot(body, limb, places, length - start):
            places = places[:2]  # no toe on a stub foot
        if part == "leg" and len(places) == 3:
            roles = ("thigh", "shin", "foot", "toe")
    else:
        fractions, roles = generic_cut(part, length - start, insects)
        places = cuts(rest, fractions) if fractions else []
    sub = length - start
    marks = [0.0] + list(places)
    tip_role = roles[len(marks) - 1] if len(roles) >= len(marks) else roles[-1]
    points = points_at(rest, marks)
    for k, f in enumerate(marks):
        role = roles[k] if k < len(roles) else roles[-1]
        number = k if len(set(roles)) == 1 else 0
        parent = out.add(points[k], parent, part, role, number=number, **kw)
        chain.append((start + f * sub, parent))
    out.add(rest[-1], parent, part, tip_role, tip=True, **kw)
    return chain


def hip_socket(layout: Layout, limb: Limb, poly: np.ndarray, arc: np.ndarray, root: np.ndarray
               ) -> float | None:
    """A side view biped's leg starts level with the hips (`root`, the hips joint): seen from the side
    the hip socket lies over the pelvis, inside the body, not where the leg's outline leaves the
    body's (a plush figure's wide hips put that at the knee, its truth's knee 0.10 of its height under
    the hips). The arc where the leg's path first comes down to the hips' height; None for other limbs
    and views. Its knee is cut below the ankle's turn sought from `ANKLE_FROM` of the path on
    (`cuts.leg_cuts`): the foot of a short leg seen from the side is a third of the path from the hips
    or more, and the knee's proportional place had snapped onto the ankle's turn (a shin of no length).
    A foot no longer than the leg is thick gets no toe (`_stub_foot`). Development chunky biped side
    part accuracy 0.692 -> 0.725 (mirrored 0.706 -> 0.739; dev2chunky 0.605 -> 0.634), CD-J2J 1.971 ->
    1.915 (1.971 -> 1.925; 1.912 -> 1.931), F1 0.735 -> 0.797; lean biped side views part 0.644 -> 0.637
    (0.672 -> 0.665; dev2 0.580 -> 0.596), CD-J2J 3.115 -> 3.104 (3.098 -> 3.081; 3.503 -> 3.498)."""
    if not (layout.plan == "biped" and layout.view == "side" and limb.part == "leg" and limb.parent < 0):
        return None
    below = np.flatnonzero(poly[:, 1] <= root[1])
    if not below.size or below[0] == 0:
        return 0.0 if below.size else None
    k = int(below[0])
    y0, y1 = float(poly[k - 1, 1]), float(poly[k, 1])
    return float(arc[k - 1] + (arc[k] - arc[k - 1]) * (y0 - root[1]) / max(y0 - y1, 1e-12))


def _stub_foot(body: Body, limb: Limb, places: list[float], length: float) -> bool:
    """Whether a side view biped's foot (the leg's path past the ankle's turn, `places[1]`; `length`: the
    path from the socket) is no longer than the leg is thick (the median diameter of its lower half, the
    shin): a plush figure's stub foot, no toe to bend at its ball (the development chunky figures' truth
    has none; with one their legs had a bone more than the truth's and CD-J2J was worse)."""
    thick = 2.0 * float(np.median(body.rad[limb.joints[len(limb.joints) // 2 :]]))
    return (1.0 - places[1]) * length <= thick


def hanging_socket(body: Body, limb: Limb, poly: np.ndarray, arc: np.ndarray, socket: float) -> float:
    """A quadruped's leg seen from the front under a wide body: the medial path runs from the body's
    middle fork out and down, and turns down into the leg still inside the body; the leg starts at
    that turn (its sharpest of `HANG_DEGREES` or more before `HANG_REACH` of the limb, where the
    figure is `HANG_THICKER` times thicker than the leg or more), not on the run there. A leg whose
    path turns where it is already the leg's thickness (a lean dog's, under a narrow chest) keeps its
    socket inside the chest (`bones.py`)."""
    length = float(arc[-1])
    place, angle = bend(turning(poly), socket / length, HANG_REACH)
    if angle < HANG_DEGREES or place * length <= socket:
        return socket
    turn = points_at(poly, [place])[0]
    thickness = float(np.asarray(body.shape.radius_at(turn[None].astype(np.float32)))[0])
    leg = float(np.median(body.rad[limb.joints[len(limb.joints) // 2:]]))
    return place * length if thickness >= HANG_THICKER * leg else socket


def across(body: Body, points: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """(N,): the figure's width through each point perpendicular to its direction (x, y), outline to
    outline; 0 where a direction is none."""
    points, directions = np.atleast_2d(points)[:, :2], np.atleast_2d(directions)[:, :2]
    normals = np.stack([-directions[:, 1], directions[:, 0]], axis=1)
    both = body.outlines(np.concatenate([points, points]), np.concatenate([normals, -normals]))
    width = np.linalg.norm(both - np.concatenate([points, points]), axis=1).reshape(2, -1).sum(axis=0)
    return np.where(np.linalg.norm(directions, axis=1) > 1e-12, width, 0.0)


def armpit_socket(body: Body, limb: Limb, poly: np.ndarray, arc: np.ndarray
                  ) -> tuple[float, np.ndarray] | None:
    """(arc, point) where a front view arm starts: where its outline leaves the torso's. Walking in
    from the arm's middle along the path, the first place the figure across it is `ARMPIT_WIDER`
    times the arm's own width; then along the arm's own line (the path a little farther out, extended
    in) the first point as wide, `PIT_IN` arm widths further in: the socket, at the drawn shoulder.
    Where the tree forks into the arm off the centre line on one side and on it on the other, the
    disc rule (`socket_arc`, with the fork's radius) put a drawn T-pose's sockets 0.056 and 0.087 of
    the height off the midline and 4 % below its shoulders; this reads both sides alike (0.083 and
    0.087 off, drawn 0.085, on the arms' row). No such widening, or a path wider than the arm's medial
    thickness (an arm merged along a dress): None (the disc rule, `socket_arc`). Development front views:
    biped CD-J2J 3.621 -> 3.548, chunky 2.596 -> 2.568 (`PIT_IN` 0-0.5 alike within 0.005; 0.5 put
    a drawn stroke figure's sockets inside its torso, 0 an A-pose's 6 % of the height under its
    shoulders, 0.25 4.5 %)."""
    length = float(arc[-1])
    fractions = np.linspace(0.0, 0.6, 31)
    points = points_at(poly, fractions)
    ahead, behind = np.minimum(fractions + 0.02, 1), np.maximum(fractions - 0.02, 0)
    steps = points_at(poly, ahead) - points_at(poly, behind)
    widths = across(body, points, steps)
    arm = float(np.median(widths[fractions >= 0.4]))
    own = 2.0 * float(np.median(body.rad[limb.joints[len(limb.joints) // 2:]]))
    wide = np.flatnonzero(widths[fractions < 0.4] >= ARMPIT_WIDER * arm)
    if arm <= 1e-9 or arm > ARMPIT_WIDER * own or not wide.size:
        return None
    outer = float(fractions[wide[-1] + 1]) + 0.1  # well out on the arm: its line, not the path's turn in
    start, beyond = points_at(poly, [outer, outer + 0.15])
    inward = (start - beyond)[:2]
    if np.hypot(*inward) <= 1e-12:
        return None
    inward /= np.hypot(*inward)
    walk = start[None, :2] + np.arange(100)[:, None] * 0.004 * inward[None, :]
    pit = _first_as_wide(body, walk, inward, ARMPIT_WIDER * arm)
    if pit is None:
        return None
    point = start.copy()
    point[:2] = walk[pit]
    dense = np.linspace(0.0, 0.6, 121)
    near = dense[int(np.argmin(np.linalg.norm(points_at(poly, dense)[:, :2] - point[:2], axis=1)))]
    point[:2] += PIT_IN * arm * inward
    return float(np.clip(near * length, 0.05 * length, 0.45 * length)), point


def _first_as_wide(body: Body, walk: np.ndarray, direction: np.ndarray, width: float) -> int | None:
    """The first point of `walk` where the figure across `direction` is `width` wide or wider (None
    where none is), measured a block of points at a time (`body.blocks`): a walk in from an arm meets
    its armpit within a few steps."""
    for first, end in blocks(len(walk)):
        widths = across(body, walk[first:end], np.repeat(direction[None, :], end - first, axis=0))
        wide = np.flatnonzero(widths >= width)
        if wide.size:
            return first + int(wide[0])
    return None


def raised_socket(body: Body, layout: Layout, limb: Limb, poly: np.ndarray, arc: np.ndarray
                  ) -> np.ndarray | None:
    """A front view biped's arm raised over its shoulders (`upright.raised_pair`, `upright.lone_ear`):
    the tree forks into it up the spine, beside the head its upper arm merges into, and the arm
    leaves the fork's disc (`socket_arc`) where it parts from the head: at the elbow, its shoulder
    bone in the head. Its path redrawn from the torso's top corner, found on the outline: up the
    spine from the chest (`CHEST` of its path, whose half-width on the arm's side is the torso's),
    the first height where either side lies `TORSO_OFF` of that off it (narrower: the neck; wider:
    an arm leaving, and the corner the last height under that where neither side is wider than the
    torso: the notch between its top and the arm); the socket there an arm's radius in from the
    torso's side, the path from the spine at that height to it, on to the elbow and out along the
    tree's path. None for other limbs and views, an arm whose fork is not on the spine or whose tip
    is not above it (a T-pose, an A-pose, arms hanging), one forking neither at the spine's top (arms
    raised beside the head, `upright.raised_pair`) nor `IN_HEAD` torso half-widths over the corner (a
    Y pose's raised arm along the head, `upright.lone_ear`: a hand raised from the shoulders forks at
    them; development front bipeds', 0.5 or less), or where the sides never leave the torso's.
    Drawn cheering figures' sockets had sat 0.13 of the height over their shoulders, now within
    0.045 (both facings)."""
    if not (layout.plan == "biped" and layout.view == "front" and limb.part == "arm" and limb.parent < 0):
        return None
    fork, tip = body.pos[limb.joints[0]], body.pos[limb.joints[-1]]
    if limb.joints[0] not in layout.spine or tip[1] <= fork[1] or len(layout.spine) < 3:
        return None
    spine = body.pos[layout.spine]
    leaves = socket_arc(poly, arc, float(body.rad[limb.joints[0]]))
    pit = points_at(poly, [leaves / max(float(arc[-1]), 1e-12)])[0]
    side = float(np.sign(tip[0] - fork[0]))
    chest = points_at(spine, np.linspace(*CHEST, 7))
    half = float(np.median(_half_widths(body, chest[:, :2], side)))
    heights = np.arange(float(chest[-1, 1]), float(pit[1]), 0.005 * body.height)
    if half <= 1e-9 or not heights.size:
        return None
    starts = np.stack([np.full(heights.shape, float(spine[-1, 0])), heights], axis=1)
    sides = np.stack([_half_widths(body, starts, way) for way in (side, -side)])
    off = np.flatnonzero(np.any(np.abs(sides - half) > TORSO_OFF * half, axis=0))
    if not off.size:
        return None
    within = np.flatnonzero(np.all(sides[:, : off[0]] <= half, axis=0))  # the arm leaving: the notch under it
    top = int(within[-1]) if within.size else int(off[0])
    r = float(np.median(body.rad[limb.joints[len(limb.joints) // 2:]]))
    corner = starts[top]
    if limb.joints[0] != layout.spine[-1] and fork[1] - corner[1] < IN_HEAD * half:
        return None  # forked at the shoulders (a hand raised from there): `armpit_socket` finds it
    socket = np.array([corner[0] + side * (half - r), corner[1], fork[2]])
    base = np.array([corner[0], corner[1], fork[2]])
    return np.vstack([base, socket, cut_from(poly, arc, leaves)])


def _half_widths(body: Body, starts: np.ndarray, way: float) -> np.ndarray:
    """(N,): how far the outline lies from each point (x, y) along x's `way` (+1 or -1), to within the
    figure's distance field at the last step inside (finer than the outline's steps)."""
    edges = body.outlines(starts, np.tile([way, 0.0], (len(starts), 1)))
    query = np.zeros((len(edges), 3), np.float32)
    query[:, :2] = edges
    return np.abs(edges[:, 0] - starts[:, 0]) + np.maximum(np.asarray(body.shape.radius_at(query)), 0.0)


def _socket_depth(layout: Layout, limb: Limb) -> float:
    """How far out from its fork a limb starts, in the body's thickness there."""
    if limb.part == "front_leg":
        return FRONT_SOCKET
    return BIRD_HIP if layout.plan == "bird" and limb.part == "leg" else 1.0


def add_tree_limb(
    out: Joints, poly: np.ndarray, limb: Limb, parent: int, letter: str, bone: float = 0.0
) -> list[tuple[float, int]]:
    """A generic limb keeps the medial tree's joints (its bends, split at the bone length), so the
    bone length setting still shapes what no anatomy describes; one joint halfway if it has none.
    `bone` > 0: a bone per `bone` of its length, at the tree's joints nearest even places (its bends),
    as a tail's: a bird's unnamed limb (`APPENDAGE_PLANS`)."""
    arc = arc_of(poly)
    length = float(arc[-1])
    if bone > 0:
        count = int(round(length / bone))
        evens = [length * k / count for k in range(count)]
        places = snapped(tree_spots(arc, 0.0, length), evens)[1:] if count >= 2 else [length / 2]
        inner, arcs = list(points_at(poly, np.array(places) / length)), places
    else:
        inner = list(poly[1:-1]) or [(poly[0] + poly[-1]) / 2]
        arcs = [float(arc[min(k + 1, len(arc) - 1)]) for k in range(len(inner))]
    chain = []
    for k, p in enumerate(inner):
        parent = out.add(p, parent, "limb", "limb", side=limb.side, number=k, letter=letter)
        chain.append((arcs[k], parent))
    out.add(poly[-1], parent, "limb", "limb", side=limb.side, letter=letter, tip=True)
    return chain


def generic_cut(part: str, length: float, insects: bool) -> tuple[tuple[float, ...], tuple[str, ...]]:
    if insects:  # a centipede's short legs: knee and tip; an insect's or a spider's: knee, ankle, tip
        return ((0.5,), ("leg",) * 2) if length < SHORT_LEG else (INSECT_LEG, ("leg",) * 3)
    if part == "ear":
        return ((0.5,), ("ear", "ear")) if length >= 0.1 else ((), ("ear",))
    if part == "fin":
        return ((0.5,), ("fin", "fin")) if length >= 0.15 else ((), ("fin",))
    n = int(np.clip(round(length / 0.1), 1, 4))
    return tuple(k / n for k in range(1, n)), (part,) * n


def limb_letters(
    body: Body, layout: Layout, trunk_arc: dict[int, float], tail_arc: dict[int, float]
) -> dict[int, str]:
    """Letters for limbs sharing a part and side, from the head end backward (the same after a flip)."""
    total = max(trunk_arc.values()) if trunk_arc else 0.0
    groups: dict[tuple[str, str, int], list[int]] = {}
    for i, limb in enumerate(layout.limbs):
        groups.setdefault((limb.part, limb.side), []).append(i)

    def key(i: int) -> tuple[float, float]:
        start = layout.limbs[i].joints[0]
        place = total - trunk_arc[start] if start in trunk_arc else total + tail_arc.get(start, 0.0)
        return round(place, 4), round(-float(body.xy[layout.limbs[i].joints[-1], 1]), 4)

    out = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        for n, i in enumerate(sorted(members, key=key)):
            out[i] = "abcdefghijklmnopqrstuvwxyz"[n % 26] * (1 + n // 26)
    return out
