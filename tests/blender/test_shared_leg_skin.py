"""A side view's two legs drawn as one shape: the near leg owns all of it, and its mesh moves as one slab.

The image mesh is as thick as the body, and its back face lies beside the far leg's bones, so bone heat
gives that face to the far leg; limited to the near leg's bones the little heat left there was noise (a
plush's sole 0.8 on its thigh), and the back face fanned away from the front when the foot was lifted.
Measured on each pair of twin vertices (one picture pixel, the front and the back face): how much
farther apart the foot's pose takes them. Real bpy, the sidebar's default settings.
"""
from __future__ import annotations

import numpy as np
import pytest
from blender_helpers import built_from_drawing, posed
from mathutils import Matrix, Vector

import anatomy_figures as af

DRAWN = af.both_facings(af.stub_foot_side())
APART = 0.01  # of the height: twins may part this much more than at rest


def _twins(mesh) -> np.ndarray:
    """(P, 2) the vertex pairs that share one image pixel (UV): the front and the back face."""
    uv = np.zeros((len(mesh.data.vertices), 2))
    layer = mesh.data.uv_layers[0].data
    for loop in mesh.data.loops:
        uv[loop.vertex_index] = layer[loop.index].uv
    groups: dict[tuple[float, float], list[int]] = {}
    for index, key in enumerate(map(tuple, np.round(uv, 6))):
        groups.setdefault(key, []).append(index)
    return np.array([pair for pair in groups.values() if len(pair) == 2])


@pytest.mark.parametrize("name", sorted(DRAWN))
def test_a_lifted_foot_takes_the_back_of_the_shared_leg_with_the_front(addon, scene, tmp_path, name):
    built, skeleton = built_from_drawing(addon, tmp_path, DRAWN[name])
    assert skeleton.anatomy.view == "side"
    rig, mesh = built.armature, built.mesh
    twins = _twins(mesh)
    rest = posed(mesh)
    height = float(np.ptp(rest[:, 2]))
    feet = [b for b in rig.pose.bones if "ik" in b and b.name.startswith("foot")]
    assert feet
    for foot in feet:  # forward and up: the knee bends, the ankle turns
        foot.matrix = Matrix.Translation(Vector((0.0, -0.2 * height, 0.2 * height))) @ foot.matrix
        now = posed(mesh)
        foot.matrix_basis = Matrix.Identity(4)
        apart = (np.linalg.norm(now[twins[:, 0]] - now[twins[:, 1]], axis=1)
                 - np.linalg.norm(rest[twins[:, 0]] - rest[twins[:, 1]], axis=1))
        assert apart.max() < APART * height, f"{foot.name}: twins part {apart.max() / height:.1%}"
