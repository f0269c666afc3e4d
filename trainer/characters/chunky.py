"""Evaluation-only templates: the chunky figures artists draw (plush toys, chibi characters, bears).

Fat bodies, big heads, short thick limbs and big ears: the figures on which pruning a branch by its
junction's thickness loses real limbs. They are drawn only into evaluation sets
(`python -m trainer.synthetic --chunky`), never into training data, so the training set and the
shipped model stay as they are. Each character faces +Z or -Z at random (a rotation of 180° about
the vertical, so a side view shows it facing left or right and its names keep their sides), and
uses the joint names of the training templates, so `trainer.rig_metrics` reads its parts.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..bodies import Body, unit
from .common import SIDES, UP, big_ears, draw, turned_frame


def plush_biped(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """A plush toy or chibi character standing: fat torso, big head with ears, stubby arms and legs."""
    del style  # no unboned parts: the chunky shapes are the point
    fwd, left = turned_frame(rng)
    b = Body()
    leg_len = draw(rng, 0.1, 0.2)
    torso_h, torso_w = draw(rng, 0.24, 0.34), draw(rng, 0.15, 0.24)
    head_r = draw(rng, 0.13, 0.22)
    root_pos = np.array([0.0, leg_len + 0.03, 0.0])
    root = b.joint("root", -1, root_pos)
    _, chest = b.chain(["spine_01", "chest"], root,
                       np.array([root_pos + UP * torso_h * 0.4, root_pos + UP * torso_h * 0.8]),
                       np.full(3, torso_w * 0.6))
    b.ellipsoid(root, root_pos + UP * torso_h * 0.45, (torso_h * 0.6, torso_w, torso_w * draw(rng, 0.7, 0.9)),
                axis=UP, normal=fwd)
    neck = b.limb("neck", chest, root_pos + UP * torso_h * 0.95, torso_w * 0.4)
    head = b.limb("head", neck, b.positions[neck] + UP * head_r * 0.2, torso_w * 0.4)
    centre = b.positions[head] + UP * head_r * 0.85
    b.ellipsoid(head, centre, (head_r, head_r * draw(rng, 1.0, 1.15), head_r * 0.9), axis=UP, normal=fwd)
    b.joint("head_end", head, centre + UP * head_r * 0.6)
    big_ears(b, rng, head, centre, head_r, fwd)

    abduction = np.radians(draw(rng, 20, 95))  # 0: arms hanging, 90: T-pose
    arm_len, r_arm = draw(rng, 0.13, 0.22), draw(rng, 0.04, 0.065)
    r_leg = draw(rng, 0.05, 0.08)
    for side, s in SIDES:
        out = s * left
        sh_pos = root_pos + UP * torso_h * 0.75 + out * torso_w * 0.75
        sh = b.limb(f"shoulder{side}", chest, sh_pos, r_arm)
        d = unit(-UP * np.cos(abduction) + out * np.sin(abduction) + fwd * draw(rng, -0.2, 0.3))
        elbow = b.limb(f"elbow{side}", sh, sh_pos + d * arm_len * 0.45, r_arm, r_arm * 0.95)
        wrist = b.limb(f"wrist{side}", elbow, b.positions[elbow] + d * arm_len * 0.4, r_arm * 0.95)
        b.limb(f"hand_end{side}", wrist, b.positions[wrist] + d * arm_len * 0.25, r_arm * 1.1, r_arm)
        hip_pos = root_pos + out * torso_w * 0.45
        hip = b.limb(f"hip{side}", root, hip_pos, r_leg)
        knee = b.limb(f"knee{side}", hip, hip_pos - UP * leg_len * 0.5 + out * 0.01, r_leg)
        ankle = b.limb(f"ankle{side}", knee, hip_pos * np.array([1.0, 0.0, 1.0]) + out * 0.015 + UP * 0.03,
                       r_leg)
        b.limb(f"toe{side}", ankle, b.positions[ankle] + fwd * r_leg * draw(rng, 1.0, 1.8), r_leg * 0.9,
               r_leg * 0.8)
    return b


def chunky_quadruped(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """A bear, pig or hippo: barrel body, big head with ears, four short thick legs, a stub of tail."""
    del style
    fwd, left = turned_frame(rng)
    b = Body()
    body_len, body_r = draw(rng, 0.45, 0.7), draw(rng, 0.14, 0.22)
    leg_len, r_leg = draw(rng, 0.1, 0.2), draw(rng, 0.045, 0.075)
    head_r = draw(rng, 0.1, 0.16)
    height = leg_len + body_r * 0.6
    root_pos = np.array([0.0, height, 0.0]) - fwd * body_len / 2
    root = b.joint("root", -1, root_pos)
    spine_pts = np.array([root_pos + fwd * body_len * t for t in (0.5, 1.0)])
    _, chest = b.chain(["spine_01", "chest"], root, spine_pts, np.full(3, body_r * 0.8))
    b.ellipsoid(root, root_pos + fwd * body_len * 0.5,
                (body_len * 0.62, body_r * draw(rng, 0.9, 1.1), body_r), axis=fwd, normal=UP)
    chest_pos = b.positions[chest]
    neck_pos = chest_pos + unit(fwd + UP * draw(rng, 0.3, 0.9)) * body_r * 0.9
    neck = b.limb("neck_01", chest, neck_pos, body_r * 0.6)
    head = b.limb("head", neck, neck_pos + fwd * head_r * 0.4, body_r * 0.55)
    centre = b.positions[head] + fwd * head_r * 0.3
    b.ellipsoid(head, centre, (head_r * 1.1, head_r, head_r), axis=fwd, normal=UP)
    b.limb("snout", head, centre + fwd * head_r * draw(rng, 1.1, 1.6), head_r * 0.5, head_r * 0.4)
    big_ears(b, rng, head, centre, head_r, fwd)
    for end, parent, top, names in (
        ("front", chest, chest_pos - fwd * body_r * 0.2, ("shoulder", "elbow", "wrist", "paw")),
        ("hind", root, root_pos + fwd * body_r * 0.3, ("hip", "knee", "ankle", "paw")),
    ):
        for side, s in SIDES:
            start = top - UP * body_r * 0.3 + s * left * body_r * 0.55
            swing = draw(rng, -0.15, 0.15)
            foot = np.array([start[0], r_leg * 0.8, start[2]]) + fwd * swing
            first = b.limb(f"{end}_{names[0]}{side}", parent, start, r_leg * 1.2)
            pts = np.array([start + (foot - start) * t for t in (0.5, 0.9)] + [foot + fwd * r_leg * 0.9])
            radii = r_leg * np.array([1.2, 1.1, 1.0, 0.9])
            b.chain([f"{end}_{n}{side}" for n in names[1:]], first, pts, radii)
    if rng.random() < 0.6:
        tail = root_pos - fwd * body_r * 1.1 + UP * body_r * 0.3
        b.limb("tail_01", root, tail, body_r * 0.25, body_r * 0.15)
    return b


CHUNKY_EVAL_SEED = 4242  # the seed of the evaluation-only chunky set (`trainer.recipe`)
CHUNKY_TEMPLATES: dict[str, Callable[[np.random.Generator, np.random.Generator | None], Body]] = {
    "chunky_biped": plush_biped,
    "chunky_quadruped": chunky_quadruped,
}
CHUNKY_WEIGHTS = {"chunky_biped": 0.5, "chunky_quadruped": 0.5}
