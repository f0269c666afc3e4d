"""A bird's stick legs read off the outline (`sticks.leg_thickness`), however few joints the medial tree
gives them: a short leg's tree may run from a hub inside the round body through one joint still inside
it down to the foot, and that joint's radius is the body's, not the leg's (development bird front views
read as bipeds so). Drawn (`bird_front_folded`'s outline, its legs strokes 0.018 of the picture wide),
with a hand-built coarse tree over it."""
from __future__ import annotations

import numpy as np

import anatomy_figures as af
from pointskel_blender.core.anatomy import sticks
from pointskel_blender.core.anatomy.body import Body
from pointskel_blender.core.topology.bone_tree import BoneTree

SIZE = 400
LEG = 0.018 / 2  # the drawn legs' half width, canvas fractions


def test_a_stick_leg_the_tree_joins_to_the_body_deep_inside_it_reads_as_thin_as_it_is_drawn():
    shape = af.drawn_result(af.bird_front_folded(SIZE)).shape
    # the hub at the body's centre, the head's tip, and for each leg a joint inside the body above the
    # leg's top (drawn from 0.66 down; the body's outline ends at about 0.685 there) and the foot
    canvas = [(0.5, 0.5), (0.5, 0.2), (0.45, 0.62), (0.45, 0.85), (0.55, 0.62), (0.55, 0.85)]
    parents = [-1, 0, 0, 2, 0, 4]
    frame = shape.frame
    pixels = np.array(canvas) * SIZE
    xy = np.stack([(pixels[:, 0] - frame.center_px[0]), (frame.center_px[1] - pixels[:, 1])], axis=1)
    positions = np.concatenate([xy / frame.px_per_unit, np.zeros((len(xy), 1))], axis=1).astype(np.float32)
    tree = BoneTree(positions, np.array(parents, dtype=np.int64), shape.radius_at(positions))
    body = Body(tree, shape)
    feet = [3, 5]
    thickness = sticks.leg_thickness(body, feet, 0.3, 0.9) * frame.px_per_unit / SIZE
    assert abs(thickness - LEG) <= 0.5 * LEG, thickness
    assert sticks.stick_legs(body, feet)
