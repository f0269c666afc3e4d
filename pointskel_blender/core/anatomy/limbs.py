"""Each limb's joints: its socket where it leaves the body, its anatomical bones (or the medial tree's
joints for a generic limb), and letters for limbs of one part and side (proportions in `bones.py`)."""
from __future__ import annotations

import numpy as np

from .body import Body
from .cuts import (ARM, FRONT_LEG, HIND_LEG, INSECT_LEG, LEG, WING, WING_REACH, arc_of, bend, cut_from,
                   cut_to, cuts, leg_cuts, points_at, socket_arc, turning)
from .joints import Joints
from .parts import Layout, Limb

FRONT_SOCKET = 0.3  # a front leg starts this share of the body's thickness out from its fork (`bones.py`)
BIRD_HIP = 0.6  # a bird's leg: its hip inside the round body, the knee where the leg leaves it (`bones.py`)
HANG_DEGREES, HANG_REACH, HANG_THICKER = 10.0, 0.6, 1.15  # a front view quadruped's leg: `hanging_socket`
SHORT_LEG = 0.1  # a many-legged creature's leg shorter than this outside the body has two bones (`bones.py`)
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
             poly: np.ndarray, arc: np.ndarray) -> list[tuple[float, int]]:
    """The joints of one limb; returns (arc from where it hangs, joint) of those with bones."""
    length = float(arc[-1])
    if len(poly) < 2 or length <= 1e-9:
        return []
    if limb.part == "limb":
        return add_tree_limb(out, poly, limb, parent, letter)
    r = float(body.rad[limb.joints[0]])
    socket = socket_arc(poly, arc, _socket_depth(layout, limb) * r)
    if layout.plan == "quadruped" and layout.view == "front" and limb.part in ("front_leg", "hind_leg"):
        socket = hanging_socket(body, limb, poly, arc, socket)
    insects = layout.plan == "many_legged" and limb.part == "leg"
    part = limb.part
    side = limb.side
    kw = {"side": side, "letter": letter}
    chain: list[tuple[float, int]] = []
    start = socket
    if part == "arm" and limb.parent < 0:
        inner = min(0.25 * r, 0.5 * socket)
        parent = out.add(points_at(poly, [inner / length])[0], parent, part, "shoulder", **kw)
        chain.append((inner, parent))
    rest = cut_from(poly, arc, start)
    if part == "wing":
        rest = cut_to(rest, WING_REACH)
    if part in SEGMENTS and not insects:
        roles, fractions = SEGMENTS[part]
        roles = roles[1:] if part == "arm" else roles
        places = cuts(rest, fractions) if part != "leg" else leg_cuts(rest)
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


def _socket_depth(layout: Layout, limb: Limb) -> float:
    """How far out from its fork a limb starts, in the body's thickness there."""
    if limb.part == "front_leg":
        return FRONT_SOCKET
    return BIRD_HIP if layout.plan == "bird" and limb.part == "leg" else 1.0


def add_tree_limb(
    out: Joints, poly: np.ndarray, limb: Limb, parent: int, letter: str
) -> list[tuple[float, int]]:
    """A generic limb keeps the medial tree's joints (its bends, split at the bone length), so the
    bone length setting still shapes what no anatomy describes; one joint halfway if it has none."""
    inner = list(poly[1:-1]) or [(poly[0] + poly[-1]) / 2]
    arc = arc_of(poly)
    chain = []
    for k, p in enumerate(inner):
        parent = out.add(p, parent, "limb", "limb", side=limb.side, number=k, letter=letter)
        chain.append((float(arc[min(k + 1, len(arc) - 1)]), parent))
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
