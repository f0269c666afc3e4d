"""Where an upright figure faces, from cues beside its feet: the head's profile (a muzzle, nose or beak
sticks out on the facing side; a front view's head is mirror-symmetric) and where its arms reach
(forward). Each cue is signed: positive toward the image's +x (right), in [-1, 1]; `upright.striding`
weighs them where its feet cannot tell (a long foot and a tail on the floor point opposite ways)."""
from __future__ import annotations

import numpy as np

from .body import Body
from .parts import Layout

PROFILE_RAYS = np.radians(np.arange(-10, 11, 10))  # rays across the head, about the horizontal
NECK_RADII = 3.0  # the neck: the thinnest of the spine this many head radii below the head's centre
ARM_REACH = 0.3  # arms reaching forward: their tips' summed x offset as a share of their summed length
PROFILE = 0.15  # a head profile this lopsided (`head_profile`) says where the figure faces
REACH = 0.5  # so do arms reaching this far one way (`arm_reach`)


def head_profile(body: Body, layout: Layout) -> float:
    """The head's left-right asymmetry over its neck: from the neck's x (the spine's thinnest joint
    within `NECK_RADII` of the head's radius below the head's centre, where the spine first stops
    widening from its end) at the head centre's height, how much farther the outline reaches toward +x than
    toward -x along near-horizontal rays, as (right - left) / (right + left); 0 for a headless reading.
    A muzzle, nose or beak reaches out on the facing side; a front view's head sits square on its neck."""
    if not layout.head or len(layout.spine) < 3:
        return 0.0
    spine = layout.spine[::-1]
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.xy[spine], axis=0), axis=1))])
    k = 0  # the head's centre: the first widening from the spine's end (past an ear or a crown's tip)
    while k + 1 < len(spine) and body.rad[spine[k + 1]] >= 0.9 * body.rad[spine[k]]:
        k += 1
    radius = float(body.rad[spine[k]])
    below = [j for j, a in zip(spine[k + 1 :], arc[k + 1 :]) if a - arc[k] <= NECK_RADII * radius]
    if not below:
        return 0.0
    neck = min(below, key=lambda j: body.rad[j])
    start = body.pos[spine[k]].copy()
    start[0] = body.xy[neck, 0]
    if body.shape.radius_at(start[None].astype(np.float32))[0] <= 0:
        start = body.pos[spine[k]]
    rays = np.stack([np.cos(PROFILE_RAYS), np.sin(PROFILE_RAYS)], axis=1)
    rays = np.concatenate([rays, rays * [-1.0, 1.0]])  # toward +x, then toward -x
    reach = np.abs(body.outlines(np.repeat(start[None, :2], len(rays), axis=0), rays)[:, 0] - start[0])
    right, left = float(reach[: len(PROFILE_RAYS)].max()), float(reach[len(PROFILE_RAYS) :].max())
    return float((right - left) / max(right + left, 1e-12))


def arm_reach(body: Body, layout: Layout) -> float:
    """Where the arms reach along the image's x: their tips' summed x offset from where they leave the
    body over their summed length (a T-pose's or a hanging pair's offsets cancel; a walker's swing
    ahead and back nearly so), scaled so that `ARM_REACH` gives 1."""
    arms = [m for m in layout.limbs if m.part == "arm" and len(m.joints) >= 2]
    length = sum(body.arc(m.joints) for m in arms)
    if length <= 1e-12:
        return 0.0
    dx = sum(float(body.xy[m.joints[-1], 0] - body.xy[m.joints[0], 0]) for m in arms)
    return float(np.clip(dx / length / ARM_REACH, -1.0, 1.0))


def upper_body(body: Body, layout: Layout) -> float:
    """Where the upper body says the figure faces (signed x, 0 when it cannot tell): the head's profile
    and the arms' reach, each counted where it says enough (`PROFILE`, `REACH`); they must not
    disagree (a walker's arms swing both ways; a hood or a ponytail can outweigh a nose)."""
    votes = [v for v, bar in ((head_profile(body, layout), PROFILE), (arm_reach(body, layout), REACH))
             if abs(v) >= bar]
    if not votes or (min(votes) < 0 < max(votes)):
        return 0.0
    return float(np.mean(votes))
