"""A quadruped seen from the front: its body runs away from the viewer, its hind legs stand behind.

From the front a dog shows its chest, its front legs and its head; the hips and the hind legs stand
behind the chest and the front legs, hidden by them (or peeping out between them), so the medial tree
runs its spine up the chest from where the front legs meet to the head. An animator rigging that dog
wants a four-legged rig as Rigify's quadruped metarig: the spine from the hips, at the back, forward
to the chest, then the neck up to the head, the front legs at the chest and the hind legs at the hips.
So a front view quadruped's spine is laid out in depth, level (a standing animal's back) at the height
of its thickest joint in the picture, the centre of the trunk seen end-on (the biggest disc in the
chest), from the hips `TRUNK` of the figure's height behind the front legs (z < 0, away from the
viewer: +Y in Blender) forward to the chest under the neck's base; the neck and head stay where the
picture shows them. Limbs the spine held (the front legs, anything else on the chest) hang from its
last joint, the chest. Level at the neck's base instead: thin dogs' part accuracy a little higher
(0.388 against 0.361), chunky ones' lower (0.480 against 0.517) and their CD-J2J worse (3.50 against
3.10): a chunky quadruped's spine sits low in its round trunk, far under its neck's base.

The hind legs: where the reading found none, each front leg gets its hidden partner behind it, at the
same image x, its foot on the same floor, from a hip socket at the hips' depth and height down the
front leg's line, cut as every hind leg (`cuts.HIND_LEG`: thigh, shin, foot, toe; the sides the
front leg's; the socket level with the hips: halfway down to the front leg's socket or at its height,
development thin quadruped front views' part accuracy 0.334 and 0.297 against 0.361, chunky ones' alike,
their CD-J2J 3.05 and 3.04 against 3.10); hind legs the picture shows (between the front legs) move
back to the hips' depth and hang from the hips.

`TRUNK`: shoulders to hips, as a share of the figure's height seen from the front. The development
sets' quadrupeds (the synthetic truth in 3D) measure 1.2 (6 thin, long-bodied dogs to short ones: 0.64
to 1.88, relative spread 40 %) and 0.9 (11 chunky: 0.68 to 1.26, 19 %); against the figure's width or
its shoulders' height the spread was a little tighter on chunky figures (17-18 %) and much looser on thin
ones (47-54 %). A dog's trunk
about as long as it stands tall (ears included) is the rule; it sets only the depth, which the picture
cannot show (the 2-D scores do not see it).
"""
from __future__ import annotations

import numpy as np

from .body import Body
from .cuts import points_at
from .joints import Joints
from .limbs import SEGMENTS
from .parts import Layout

TRUNK = 1.0  # the hips this share of the figure's height behind the chest (module docstring)


def in_depth(layout: Layout) -> bool:
    """Whether the reading is a quadruped seen from the front (its body runs away from the viewer)."""
    return layout.plan == "quadruped" and layout.view == "front"


def lay_in_depth(body: Body, layout: Layout, out: Joints) -> None:
    """The spine from the hips behind forward to the chest, and four legs (module docstring)."""
    if not in_depth(layout):
        return
    spine = [k for k in range(len(out)) if out.parts[k] == "spine" and not out.tips[k]]
    neck = next((k for k in range(len(out)) if out.parts[k] in ("neck", "head") and out.parents[k] in spine),
                None)
    if len(spine) < 2 or neck is None:
        return
    level = out.positions[neck].copy()  # the trunk's centre seen end-on: the spine's thickest joint's height
    along = np.array([out.positions[k] for k in spine])
    level[1] = along[int(np.argmax(body.shape.radius_at(along.astype(np.float32))))][1]
    depth = TRUNK * body.height
    chest, hips = spine[-1], spine[0]
    for n, k in enumerate(spine):  # evenly from the hips (behind) forward to the chest
        point = level.copy()
        point[2] = level[2] - depth * (1.0 - n / len(spine))
        out.positions[k] = point
    held = set(spine)
    hind = [k for k in range(len(out)) if out.parts[k] == "hind_leg"]
    for k in range(len(out)):
        if out.parents[k] in held and k not in held and k != neck:
            out.parents[k] = hips if out.parts[k] == "hind_leg" else chest
    for k in hind:  # the hind legs the picture shows: back at the hips' depth
        out.positions[k] = out.positions[k].copy()
        out.positions[k][2] = out.positions[hips][2]
    if not hind:
        for leg in _front_legs(out):
            _add_hind_leg(out, leg, hips)


def _front_legs(out: Joints) -> list[list[int]]:
    """Each front leg's joints, socket to tip (one chain per side and letter)."""
    legs: dict[tuple[str, str], list[int]] = {}
    for k in range(len(out)):
        if out.parts[k] == "front_leg":
            legs.setdefault((out.sides[k], out.letters[k]), []).append(k)
    return list(legs.values())


def _add_hind_leg(out: Joints, leg: list[int], hips: int) -> None:
    """The hidden hind leg behind a front leg: from a socket beside the hips, at the leg's image x and
    the hips' height and depth, down the front leg's line below that height to its foot on the floor."""
    front = np.array([out.positions[k] for k in leg])
    top = out.positions[hips]
    socket = np.array([front[0, 0], top[1], top[2]])
    below = front[front[:, 1] < socket[1] - 1e-9]
    if not len(below):
        return
    poly = np.vstack([socket, below])
    poly[:, 2] = top[2]
    roles, fractions = SEGMENTS["hind_leg"]
    side, letter = out.sides[leg[0]], out.letters[leg[0]]
    joint = hips
    for role, point in zip(roles, points_at(poly, [0.0, *fractions])):
        joint = out.add(point, joint, "hind_leg", role, side=side, letter=letter)
    out.add(poly[-1], joint, "hind_leg", roles[-1], side=side, letter=letter, tip=True)
