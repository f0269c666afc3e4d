"""A skirt or a dress follows the hips, the thigh under it only partly (`rig.weights.drape_over_the_legs`).

Nearest less its thickness, each thigh took the half of the skirt on its side of the body out to the
hem, and lifting one foot swung that half like a plank: its hem moved more than the foot, torn from the
hips' part of the skirt. Measured on the skirt's flare beyond the legs (in the picture, wider than both
thighs, between the hips and the hem): how far it moves for the foot's travel, and how much farther one
of two neighbours in it moves than the other. Real bpy, the sidebar's defaults, side and front views.
"""
from __future__ import annotations

import numpy as np
import pytest
from blender_helpers import built_from_drawing, posed
from mathutils import Matrix, Vector

import anatomy_figures as af

DRAWN = af.both_facings(af.dress_side(), af.dress_side_chunky(), af.dress_front())
# each figure's hem's height in the picture, and the legs' half span about the middle under it
HEM = {"dress_side": (0.7, 0.08), "dress_side_chunky": (0.7, 0.12), "dress_front": (0.72, 0.1)}
FOLLOWS = 0.75  # the flare moves at most this share of the foot's travel (as a plank: 0.98-1.33)
TEAR = 0.25  # two neighbouring vertices of the flare move apart by at most this share of it


def _picture_xy(mesh) -> np.ndarray:
    """(V, 2) each vertex's place in the picture (x right, y down, 0-1), from its UV."""
    uv = np.zeros((len(mesh.data.vertices), 2))
    layer = mesh.data.uv_layers[0].data
    for loop in mesh.data.loops:
        uv[loop.vertex_index] = layer[loop.index].uv
    return np.stack([uv[:, 0], 1.0 - uv[:, 1]], axis=1)


@pytest.mark.parametrize("name", sorted(DRAWN))
def test_a_lifted_foot_pulls_the_skirt_softly(addon, scene, tmp_path, name):
    built, _ = built_from_drawing(addon, tmp_path, DRAWN[name])
    rig, mesh = built.armature, built.mesh
    hem, legs = HEM[name.removesuffix("_flipped")]
    xy = _picture_xy(mesh)
    flare = (np.abs(xy[:, 0] - 0.5) > legs) & (xy[:, 1] > 0.55) & (xy[:, 1] < hem - 0.01)
    assert flare.sum() > 20
    edges = np.array([e.vertices[:] for e in mesh.data.edges])
    edges = edges[np.all(flare[edges], axis=1)]
    rest = posed(mesh)
    height = float(np.ptp(rest[:, 2]))
    feet = [b for b in rig.pose.bones if "ik" in b and b.name.startswith("foot")]
    assert len(feet) == 2
    for foot in feet:  # forward and up: the thigh swings up
        before = np.array(foot.matrix.translation)
        foot.matrix = Matrix.Translation(Vector((0.0, -0.2 * height, 0.2 * height))) @ foot.matrix
        now = posed(mesh)
        travel = float(np.linalg.norm(np.array(foot.matrix.translation) - before))
        foot.matrix_basis = Matrix.Identity(4)
        moves = np.linalg.norm(now - rest, axis=1)
        follows = moves[flare].max() / travel
        tear = np.abs(moves[edges[:, 0]] - moves[edges[:, 1]]).max() / travel
        assert follows < FOLLOWS, f"{foot.name}: the skirt's flare moves {follows:.0%} of the foot's travel"
        assert tear < TEAR, f"{foot.name}: neighbours in the skirt part by {tear:.0%} of the foot's travel"
