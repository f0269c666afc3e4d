"""rig/weights.drape_over_the_legs: a skirt's cloth beyond a leg's thickness in the picture follows the
hips, the thigh only partly (none at the socket, half by the knee); the leg's own flesh and its foot
stay the leg's."""
from __future__ import annotations

import numpy as np
import pytest

from pointskel_blender.rig.weights import Socket, bone_regions, drape_over_the_legs

# Picture pixels (y down): the hips (0) above a thigh (1) down from its socket at (0, 0) and a shin (2).
SEGMENTS = np.array([[[0.0, -60.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 100.0]], [[0.0, 100.0], [0.0, 200.0]]])
RADII = np.full(3, 10.0)
PARTS = ["pelvis", "leg", "leg"]
# (vertex, its bone, the most of the leg's weight it may keep, the least)
VERTICES = {
    "the thigh's own flesh": ((5.0, 50.0), 1, 1.0, 1.0),
    "the skirt by the knee": ((40.0, 90.0), 1, 0.5, 0.4),
    "the skirt by the waist": ((40.0, 5.0), 1, 0.05, 0.0),
    "the shin's far side, no cloth": ((30.0, 190.0), 2, 1.0, 1.0),
    "the hips": ((-60.0, -50.0), 0, 0.0, 0.0),
}


@pytest.mark.parametrize("mirror", [1.0, -1.0], ids=["right", "left"])
def test_the_skirt_follows_the_hips_and_the_thigh_only_partly(mirror):
    regions = bone_regions(np.array([-1, 0, 1]), np.array([False, False, True]), PARTS, ["", "L", "L"])
    socket = Socket(1, 0, np.zeros(3), np.array([0.0, 0.0, 1.0]), 0.1, 0.2)
    points = np.array([p for p, *_ in VERTICES.values()]) * [mirror, 1.0]
    bones = np.array([b for _, b, *_ in VERTICES.values()])
    weights = np.eye(3)[bones]
    out = drape_over_the_legs(weights, points, bones, regions, [socket], SEGMENTS * [mirror, 1.0], RADII)
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    leg = out[:, 1:].sum(axis=1)
    for (name, (_, _, most, least)), kept in zip(VERTICES.items(), leg):
        assert least - 1e-9 <= kept <= most + 1e-9, f"{name}: keeps {kept:.2f} of the leg"
