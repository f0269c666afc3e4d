"""The building blocks every character family shares: directions, random draws, limbs, look-ups.

Frame (RigNet's): Y up, the character faces +Z, its left is +X. The skeleton helpers (`tail`,
`limb_dir`, `reach_ground`) shape joints; the look-ups (`ids`, `at`, `prefixed`) let a family's
`dress` find joints by name; `wider`, `animal_head` and `fur_tail` are the unboned parts that
more than one family wears. Every function draws only from the generator it is given, in a fixed
order, so a character is a function of its seeds alone.
"""
from __future__ import annotations

import numpy as np

from ..bodies import Body, rotation, unit
from ..bodies import curve as _curve
from ..parts import Head, ears, tube

UP, DOWN = np.array([0.0, 1.0, 0.0]), np.array([0.0, -1.0, 0.0])
FWD, BACK = np.array([0.0, 0.0, 1.0]), np.array([0.0, 0.0, -1.0])
LEFT = np.array([1.0, 0.0, 0.0])
SIDES = ((".L", 1.0), (".R", -1.0))


def draw(rng: np.random.Generator, lo: float, hi: float) -> float:
    """A float drawn uniformly from [lo, hi)."""
    return float(rng.uniform(lo, hi))


def pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    """One of the names, drawn with the given (unnormalized) weights."""
    names = list(weights)
    p = np.array([weights[n] for n in names])
    return names[int(rng.choice(len(names), p=p / p.sum()))]


# --- skeleton -----------------------------------------------------------------------------------

def tail_chain(b: Body, rng: np.random.Generator, parent: int, start: np.ndarray, direction: np.ndarray,
         joints: int, length: float, radius: float, *, prefix: str = "tail", curl: float | None = None,
         tip: float = 0.25, **shape) -> list[int]:
    """A tapering chain that curls toward up or down."""
    curl = draw(rng, -25, 25) if curl is None else curl
    toward = UP if curl >= 0 else DOWN
    bends = np.r_[0.0, np.full(joints - 1, abs(curl))] + rng.normal(0, 4, joints)
    points = _curve(start, direction, np.full(joints, length / joints), toward, bends)
    radii = radius * np.linspace(1.0, tip, joints + 1)
    return b.chain([f"{prefix}_{k + 1:02d}" for k in range(joints)], parent, points, radii, **shape)


def limb_dir(side: float, out: float, forward: float) -> np.ndarray:
    """Straight down, swung `forward` degrees toward +Z, then `out` degrees away from the body."""
    return rotation((0.0, 0.0, side), out) @ rotation((-1.0, 0.0, 0.0), forward) @ DOWN


def reach_ground(top: np.ndarray, dirs: list[np.ndarray], fractions: np.ndarray) -> np.ndarray:
    """Segment lengths (in the given proportions) that bring a leg from `top` down to y = 0."""
    drop = -sum(f * d[1] for f, d in zip(fractions, dirs))
    return fractions * (top[1] / max(drop, 0.2))


# --- the figures artists draw (plush, chibi, chunky) -------------------------------------------

def turned_frame(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(forward, left): +Z and +X, or both turned 180° about the vertical."""
    turn = 1.0 if rng.random() < 0.5 else -1.0
    return np.array([0.0, 0.0, turn]), np.array([turn, 0.0, 0.0])


def big_ears(b: Body, rng: np.random.Generator, head: int, centre: np.ndarray, radius: float,
             fwd: np.ndarray) -> None:
    """Big round (bear) or long (bunny) ears on top of the head, each an ear and an ear tip joint."""
    long = rng.random() < 0.35
    length = radius * (draw(rng, 1.0, 1.6) if long else draw(rng, 0.45, 0.7))
    width = radius * (draw(rng, 0.25, 0.35) if long else draw(rng, 0.3, 0.42))
    spread = draw(rng, 15, 45)
    for side, s in SIDES:
        out = unit(rotation(fwd, -s * spread) @ UP)
        base = centre + out * radius * 0.8
        ear = b.limb(f"ear{side}", head, base, width * 0.8, width)
        b.limb(f"ear_tip{side}", ear, base + out * length, width, width * 0.7, normal=fwd, flatten=0.5)


# --- look-ups by name ---------------------------------------------------------------------------

def ids(b: Body, *names: str) -> tuple[int, ...]:
    """The joints of these names that the body has."""
    return tuple(b.names.index(n) for n in names if n in b.names)


def at(b: Body, name: str) -> np.ndarray:
    return b.positions[b.names.index(name)]


def prefixed(b: Body, prefix: str) -> tuple[int, ...]:
    return tuple(k for k, n in enumerate(b.names) if n.startswith(prefix))


# --- unboned parts several families wear --------------------------------------------------------

def wider(b: Body, head: Head, up: float, side: float, face: float) -> Head:
    """A bigger skull around `head` (its crown kept in place), added to the body; returns it."""
    su, ss, sf = head.semi
    center = head.center - head.up * su * (up - 1)
    grown = Head(head.bones, center, head.up, head.face, (su * up, ss * side, sf * face))
    b.ellipsoid(head.bones, grown.center, grown.semi, axis=head.up, normal=head.face)
    return grown


def animal_head(b: Body, rng: np.random.Generator, head: Head, *, ear_weights: dict[str, float]) -> None:
    """A pair of animal ears of a kind drawn with `ear_weights`."""
    su = head.semi[0]
    kind = pick(rng, ear_weights)
    size = su * {"long": draw(rng, 2.2, 3.4), "floppy": draw(rng, 1.1, 1.7)}.get(kind, draw(rng, 0.75, 1.3))
    ears(b, head, kind, size, spread=draw(rng, 20, 50) if kind != "floppy" else draw(rng, 50, 70),
         lean=draw(rng, -10, 20))


def fur_tail(b: Body, rng: np.random.Generator, tail: tuple[int, ...], radius: float) -> None:
    """A bushy tail (thickest before the tip) or a tuft at its end, skinned along the tail."""
    chain = (b.parents[tail[0]],) + tail
    points = np.array(b.positions)[list(chain)]
    bones = chain[:-1]
    if rng.random() < 0.55:
        t = np.linspace(0, 1, len(points))
        radii = radius * np.interp(t, [0, 0.7, 1], [0.8, draw(rng, 2.2, 3.5), draw(rng, 1.2, 2.0)])
        tube(b, bones, points, radii)
    else:
        end = points[-1]
        d = unit(end - points[-2])
        size = radius * draw(rng, 1.8, 3.0)
        b.ellipsoid(bones, end - d * size * 0.3, (size * 1.4, size, size), axis=d)
