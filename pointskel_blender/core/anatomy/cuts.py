"""Where joints go along one limb's medial path: proportions, moved to a visible bend near them.

The proportions and bend rules are in `bones.py`'s docstring.
"""
from __future__ import annotations

import numpy as np

BEND_DEGREES = 20.0
FOOT_DEGREES = 30.0  # a leg's path turning this much near its end has a foot and a toe (side views)
ARM = (0.434, 0.811)
LEG = (0.47, 0.92)
FRONT_LEG = (0.36, 0.70, 0.88)
HIND_LEG = (0.33, 0.67, 0.88)
WING = (0.30, 0.60)
WING_REACH = 0.85  # a wing's skeleton ends short of its outline's tip: the flight feathers reach past it
INSECT_LEG = (0.30, 0.65)
_SNAP = 0.12  # a bend within this fraction of the limb's length of the proportional place moves the joint


def arc_of(poly: np.ndarray) -> np.ndarray:
    """Arc length in the image plane at each vertex, 0 at the first (hypot: cheaper than linalg.norm)."""
    d = poly[1:, :2] - poly[:-1, :2]
    out = np.zeros(len(poly))
    np.cumsum(np.hypot(d[:, 0], d[:, 1]), out=out[1:])
    return out


def points_at(poly: np.ndarray, fractions) -> np.ndarray:
    """Points at fractions (0..1) of a polyline's arc length (as core.mirror.along, in one pass)."""
    arc = arc_of(poly)
    t = np.asarray(fractions, dtype=np.float64) * arc[-1]
    k = np.clip(np.searchsorted(arc, t, side="right") - 1, 0, len(poly) - 2)
    seg = arc[k + 1] - arc[k]
    w = np.where(seg > 0, (t - arc[k]) / np.where(seg > 0, seg, 1.0), 0.0)
    return poly[k] + np.clip(w, 0.0, 1.0)[:, None] * (poly[k + 1] - poly[k])


_SAMPLES, _WINDOW = 25, 3


def turning(poly: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(fractions of the arc, degrees): how sharply a polyline turns over a window around each place."""
    w = _WINDOW
    pts = points_at(poly, np.linspace(0, 1, _SAMPLES))[:, :2]
    a = pts[w : _SAMPLES - w] - pts[: _SAMPLES - 2 * w]
    b = pts[2 * w :] - pts[w : _SAMPLES - w]
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    cos = np.einsum("ij,ij->i", a, b) / np.maximum(norms, 1e-24)
    angle = np.where(norms > 1e-24, np.degrees(np.arccos(np.clip(cos, -1, 1))), 0.0)
    return np.arange(w, _SAMPLES - w) / (_SAMPLES - 1), angle


def bend(turns: tuple[np.ndarray, np.ndarray], lo: float, hi: float) -> tuple[float, float]:
    """(fraction, degrees) of the sharpest turn between fractions lo and hi (`turning`'s output)."""
    f, angle = turns
    inside = (f >= lo) & (f <= hi)
    if not inside.any() or angle[inside].max() <= 0:
        return (lo + hi) / 2, 0.0
    k = int(np.argmax(np.where(inside, angle, -1.0)))
    return float(f[k]), float(angle[k])


def cuts(poly: np.ndarray, fractions: tuple[float, ...], turns=None) -> list[float]:
    """Inner joint places along a limb: proportions, each moved to a visible bend near it."""
    turns = turning(poly) if turns is None else turns
    out = []
    low = 0.05
    for k, f in enumerate(fractions):
        high = fractions[k + 1] - 0.05 if k + 1 < len(fractions) else 0.95
        lo, hi = max(low, f - _SNAP), min(high, f + _SNAP)
        place, angle = bend(turns, lo, hi) if hi > lo else (f, 0.0)
        chosen = place if angle >= BEND_DEGREES else f
        out.append(chosen)
        low = chosen + 0.05
    return out


def cut_from(poly: np.ndarray, arc: np.ndarray, start: float) -> np.ndarray:
    """The polyline from arc length `start` to its end."""
    k = int(np.searchsorted(arc, start, side="right"))
    first = points_at(poly, [start / arc[-1]])
    return np.vstack([first, poly[k:]]) if k < len(poly) else np.vstack([first, poly[-1:]])


def cut_to(poly: np.ndarray, fraction: float) -> np.ndarray:
    """The polyline from its start to `fraction` of its arc length."""
    arc = arc_of(poly)
    k = int(np.searchsorted(arc, fraction * arc[-1], side="right"))
    return np.vstack([poly[: max(k, 1)], points_at(poly, [fraction])])


def socket_arc(poly: np.ndarray, arc: np.ndarray, r: float) -> float:
    """Arc length where a limb's path leaves the disc of radius r (the body's thickness) around its
    start: where it leaves the body; at most 45 % of the limb."""
    length = float(arc[-1])
    dist = np.linalg.norm(poly[:, :2] - poly[0, :2], axis=1)
    outside = np.flatnonzero(dist >= r)
    socket = 0.45 * length
    if outside.size and outside[0] > 0:  # interpolate to the crossing
        k = outside[0]
        d0, d1 = dist[k - 1], dist[k]
        socket = float(arc[k - 1] + (arc[k] - arc[k - 1]) * (r - d0) / max(d1 - d0, 1e-12))
    return min(socket, 0.45 * length)


def leg_cuts(poly: np.ndarray, ankle_from: float | None = None) -> list[float]:
    """Knee at the bend (else proportion), ankle by proportion, or at the foot's turn with a toe.
    A turn toward the leg's end that shows (`BEND_DEGREES`) marks the ankle, and the knee's
    proportion is of the leg down to it (thigh against thigh and shin, `LEG[0] / LEG[1]`), moved to a
    visible bend above it: the whole path's 0.47 counts the foot seen along its length and put side
    views' knees low, or on the ankle's own turn (the development truth's bird knees 0.28 of the leg
    above ours, biped 0.13; CD-J2J bird side 4.76 -> 4.57, biped side 3.60 -> 3.56); a turn of
    `FOOT_DEGREES` or more puts the ankle there and adds a toe. `ankle_from`: where the ankle's turn is
    sought from, before the knee (a path from the hips down a short leg whose foot is a third of it or
    more: `limbs.hip_socket`), so the knee cannot take the ankle's turn."""
    turns = turning(poly)
    knee = cuts(poly, (LEG[0],), turns)[0]
    turn, angle = bend(turns, ankle_from if ankle_from is not None else max(knee + 0.1, 0.65), 0.97)
    if angle >= BEND_DEGREES:
        knee = cuts(poly, (LEG[0] / LEG[1] * turn, turn), turns)[0]
    if angle >= FOOT_DEGREES:
        return [knee, turn, turn + 0.55 * (1 - turn)]
    return [knee, knee + (LEG[1] - LEG[0]) / (1 - LEG[0]) * (1 - knee)]
