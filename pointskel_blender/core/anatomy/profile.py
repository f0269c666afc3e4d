"""Where an upright figure faces, from cues beside its feet: the head's profile (a muzzle, nose or beak
sticks out on the facing side; a front view's head is mirror-symmetric) and where its arms reach
(forward). Each cue is signed: positive toward the image's +x (right), in [-1, 1]; `upright.seen`
and `upright.striding` weigh them against the feet."""
from __future__ import annotations

import numpy as np

from .body import Body
from .parts import Layout

HEAD_ARC = 0.12  # the head: the spine's last stretch this long (normalized), or 2.5 of its radii
PROFILE_RAYS = np.radians(np.arange(-30, 31, 10))  # rays from the head's centre, about the horizontal
ARM_REACH = 0.3  # arms reaching forward: their tips' summed x offset as a share of their summed length
PROFILE = 0.15  # a head profile this lopsided (`head_profile`) says where the figure faces
REACH = 0.5  # so do arms reaching this far one way (`arm_reach`)


def head_profile(body: Body, layout: Layout) -> float:
    """The head's left-right asymmetry: how much farther the outline reaches from the head's centre
    (its thickest joint near the spine's end) toward +x than toward -x, along rays within 30 degrees
    of the horizontal, as (right - left) / (right + left); 0 for a headless reading."""
    if not layout.head or len(layout.spine) < 2:
        return 0.0
    spine = layout.spine[::-1]
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.xy[spine], axis=0), axis=1))])
    reach = max(HEAD_ARC, 2.5 * float(body.rad[spine[0]]))
    near = [j for j, a in zip(spine, arc) if a <= reach]
    centre = body.pos[max(near, key=lambda j: body.rad[j])]
    sides = []
    for sign in (1.0, -1.0):
        out = [body.outline(centre, np.array([sign * np.cos(a), np.sin(a)])) for a in PROFILE_RAYS]
        sides.append(max(float(np.linalg.norm(o[:2] - centre[:2])) for o in out))
    right, left = sides
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
