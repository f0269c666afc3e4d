"""Training figures as artists draw them: plush, chibi and chunky bipeds and quadrupeds, sitting,
standing and trotting, facing either way.

Fat torsos, big heads, short thick limbs and big ears (`LOOKS`); bipeds stand or sit on the ground
with their thighs folded forward, quadrupeds stand, trot (diagonal pairs of legs swinging together)
or sit on their folded hind legs. Each figure faces +Z or -Z (`common.turned_frame`), so a side view
shows it facing left or right, and its joints keep the names and sides of the training templates,
so its truth skeleton carries the same parts (`trainer.labels`).

A training-data option (`trainer.synthetic --artist SHARE`): the default data never draws them. The
evaluation-only chunky set (`trainer.characters.chunky`, seed 4242) is drawn by other templates
from other generators, so training on these never trains on it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..bodies import Body, bend, unit
from .common import SIDES, UP, big_ears, draw, pick, turned_frame

# (lo, hi), relative to the torso's height, of: head radius, torso half-width, limb radius, leg
# length, arm length; then the chance of big ears
LOOKS = {
    "plush": ((0.55, 0.8), (0.55, 0.8), (0.17, 0.25), (0.35, 0.6), (0.5, 0.75), 0.85),
    "chibi": ((0.8, 1.2), (0.45, 0.6), (0.12, 0.18), (0.5, 0.8), (0.55, 0.8), 0.5),
    "chunky": ((0.5, 0.7), (0.8, 1.1), (0.15, 0.22), (0.4, 0.7), (0.6, 0.9), 0.7),
}
LOOK_WEIGHTS = {"plush": 1.0, "chibi": 1.0, "chunky": 1.0}
BIPED_POSES = {"stand": 0.45, "sit": 0.55}
QUADRUPED_POSES = {"stand": 0.3, "trot": 0.4, "sit": 0.3}


@dataclass(frozen=True)
class Proportions:
    torso: float  # the torso's height (a quadruped's body's)
    head: float  # radius
    width: float  # the torso's half-width
    limb: float  # limb radius
    leg: float  # length
    arm: float  # length
    ears: bool


def _chosen(rng: np.random.Generator, given: str | None, weights: dict[str, float]) -> str:
    """`given` if it is one of `weights`' names, else one drawn with them."""
    if given is None:
        return pick(rng, weights)
    if given not in weights:
        raise ValueError(f"unknown choice {given!r} (expected one of {', '.join(weights)})")
    return given


def proportions(rng: np.random.Generator, look: str, torso: float) -> Proportions:
    head, width, limb, leg, arm, ears = LOOKS[look]
    return Proportions(torso, *(torso * draw(rng, *r) for r in (head, width, limb, leg, arm)),
                       bool(rng.random() < ears))


def _head(b: Body, rng: np.random.Generator, neck: int, base: np.ndarray, radius: float, fwd: np.ndarray,
          p: Proportions) -> tuple[int, np.ndarray]:
    """A round head (big ears drawn by `p`) on a neck of `radius` reaching `base`; (head joint, centre)."""
    head = b.limb("head", neck, base, radius)
    centre = base + UP * p.head * 0.85
    b.ellipsoid(head, centre, (p.head, p.head * draw(rng, 1.0, 1.15), p.head * 0.9), axis=UP, normal=fwd)
    if p.ears:
        big_ears(b, rng, head, centre, p.head, fwd)
    return head, centre


def artist_biped(rng: np.random.Generator, style: np.random.Generator | None = None, *,
                 look: str | None = None, pose: str | None = None) -> Body:
    """A plush, chibi or chunky biped standing or sitting on the ground, thighs folded forward;
    `look` (`LOOKS`) and `pose` (`BIPED_POSES`) are drawn unless given."""
    del style  # no unboned parts: the proportions are the point
    fwd, left = turned_frame(rng)
    look, pose = _chosen(rng, look, LOOK_WEIGHTS), _chosen(rng, pose, BIPED_POSES)
    p = proportions(rng, look, draw(rng, 0.22, 0.32))
    b = Body()
    root_pos = np.array([0.0, p.leg + p.limb if pose == "stand" else p.limb, 0.0])
    root = b.joint("root", -1, root_pos)
    _, chest = b.chain(["spine_01", "chest"], root,
                       np.array([root_pos + UP * p.torso * 0.4, root_pos + UP * p.torso * 0.8]),
                       np.full(3, p.width * 0.6))
    b.ellipsoid(root, root_pos + UP * p.torso * 0.45, (p.torso * 0.6, p.width, p.width * draw(rng, 0.7, 0.9)),
                axis=UP, normal=fwd)
    neck = b.limb("neck", chest, root_pos + UP * p.torso * 0.95, p.width * 0.4)
    head, centre = _head(b, rng, neck, b.positions[neck] + UP * p.head * 0.2, p.width * 0.4, fwd, p)
    b.joint("head_end", head, centre + UP * p.head * 0.6)

    abduction = np.radians(draw(rng, 15, 95))  # 0: arms hanging, 90: T-pose
    reach = draw(rng, -0.2, 0.8 if pose == "sit" else 0.3)  # toward the front
    thigh_tilt, knee_bend = draw(rng, -10, 25), draw(rng, 0, 100)  # a sitting figure's, in degrees
    for side, s in SIDES:
        out = s * left
        sh_pos = root_pos + UP * p.torso * 0.75 + out * p.width * 0.8
        sh = b.limb(f"shoulder{side}", chest, sh_pos, p.limb)
        d = unit(-UP * np.cos(abduction) + out * np.sin(abduction) + fwd * reach)
        elbow = b.limb(f"elbow{side}", sh, sh_pos + d * p.arm * 0.45, p.limb, p.limb * 0.95)
        wrist = b.limb(f"wrist{side}", elbow, b.positions[elbow] + d * p.arm * 0.4, p.limb * 0.95)
        b.limb(f"hand_end{side}", wrist, b.positions[wrist] + d * p.arm * 0.25, p.limb * 1.15, p.limb)
        hip_pos = root_pos + out * p.width * 0.5
        hip = b.limb(f"hip{side}", root, hip_pos, p.limb * 1.1)
        if pose == "stand":
            thigh, shin = -UP, -UP
        else:  # thighs folded forward, shins out in front or hanging down
            thigh = unit(bend(fwd, -UP, thigh_tilt) + out * 0.15)
            shin = bend(thigh, -UP, knee_bend)
        knee = b.limb(f"knee{side}", hip, hip_pos + thigh * p.leg * 0.5, p.limb * 1.1)
        ankle = b.limb(f"ankle{side}", knee, b.positions[knee] + shin * p.leg * 0.45, p.limb * 1.05)
        along = float(fwd @ shin)
        foot = unit(fwd - shin * along + UP * abs(along))  # across the shin: toes up when the legs are out
        b.limb(f"toe{side}", ankle, b.positions[ankle] + foot * p.limb * draw(rng, 1.2, 2.0), p.limb * 1.05,
               p.limb * 0.9)
    return b


def artist_quadruped(rng: np.random.Generator, style: np.random.Generator | None = None, *,
                     look: str | None = None, pose: str | None = None) -> Body:
    """A plush, chibi or chunky four-legged animal standing, trotting (diagonal pairs) or sitting on
    its folded hind legs; `look` and `pose` (`QUADRUPED_POSES`) are drawn unless given."""
    del style
    fwd, left = turned_frame(rng)
    look, pose = _chosen(rng, look, LOOK_WEIGHTS), _chosen(rng, pose, QUADRUPED_POSES)
    p = proportions(rng, look, draw(rng, 0.25, 0.35))  # the body's height, as a biped's torso
    length, body_r = p.torso * draw(rng, 1.4, 2.0), p.width * 0.85  # a round body
    pitch = np.radians(draw(rng, 30, 55) if pose == "sit" else draw(rng, -5, 5))
    axis = np.cos(pitch) * fwd + np.sin(pitch) * UP  # hips to chest
    b = Body()
    low = p.limb * 1.5 + body_r * 0.3  # sitting: the hips just above the ground
    root_pos = np.array([0.0, low if pose == "sit" else p.leg + body_r * 0.6, 0.0]) - fwd * length / 2
    root = b.joint("root", -1, root_pos)
    spine = np.array([root_pos + axis * length * t for t in (0.5, 1.0)])
    _, chest = b.chain(["spine_01", "chest"], root, spine, np.full(3, body_r * 0.8))
    b.ellipsoid(root, root_pos + axis * length * 0.5,
                (length * 0.62, p.width, body_r * draw(rng, 1.0, 1.2)), axis=axis, normal=UP)
    chest_pos = b.positions[chest]
    neck_pos = chest_pos + unit(fwd + UP * draw(rng, 0.3, 1.2)) * body_r * 0.9
    neck = b.limb("neck_01", chest, neck_pos, body_r * 0.6)
    head, centre = _head(b, rng, neck, neck_pos + fwd * p.head * 0.4, body_r * 0.55, fwd, p)
    snout = centre + fwd * p.head * draw(rng, 0.9, 1.3) - UP * p.head * 0.3
    b.limb("snout", head, snout, p.head * 0.45, p.head * 0.35)

    phase = 1.0 if rng.random() < 0.5 else -1.0  # which diagonal pair swings forward
    stride = p.leg * draw(rng, 0.35, 0.7)
    for end, parent, top, names in (
        ("front", chest, chest_pos - axis * body_r * 0.2, ("shoulder", "elbow", "wrist", "paw")),
        ("hind", root, root_pos + axis * body_r * 0.3, ("hip", "knee", "ankle", "paw")),
    ):
        for side, s in SIDES:
            start = top - UP * body_r * 0.3 + s * left * p.width * 0.55
            first = b.limb(f"{end}_{names[0]}{side}", parent, start, p.limb * 1.2)
            ground = np.array([start[0], p.limb * 0.8, start[2]])
            if pose == "sit" and end == "hind":  # knee forward on the ground, heel back under the hip
                knee = ground + fwd * p.leg * draw(rng, 0.4, 0.6) + UP * p.limb * 0.6
                heel = ground - fwd * p.limb * 0.5
                pts = np.array([knee, heel, heel + fwd * p.limb * 1.8])
            else:
                swing = (phase if (end == "front") == (s > 0) else -phase) if pose == "trot" else 0.0
                foot = ground + fwd * (swing * stride / 2 + draw(rng, -0.1, 0.1) * p.leg)
                lifted = swing > 0  # the pair swinging forward is off the ground, its joints bent
                foot = foot + UP * p.leg * 0.25 * lifted
                bend = (fwd if end == "hind" else -fwd) * p.leg * 0.2 * lifted
                pts = np.array([start + (foot - start) * 0.5 + bend, start + (foot - start) * 0.9,
                                foot + fwd * p.limb * 0.9])
            radii = p.limb * np.array([1.2, 1.1, 1.0, 0.9])
            b.chain([f"{end}_{n}{side}" for n in names[1:]], first, pts, radii)
    if rng.random() < 0.7:
        tail = root_pos - axis * body_r * 1.1 + UP * body_r * 0.3
        b.limb("tail_01", root, tail, body_r * 0.3, body_r * 0.2)
    return b


ARTIST_TEMPLATES = {"artist_biped": artist_biped, "artist_quadruped": artist_quadruped}
ARTIST_WEIGHTS = {"artist_biped": 0.5, "artist_quadruped": 0.5}
