"""Where the head meets the body, the weights of what a turned neck or head moves change gradually: a
plush bear's and a chibi's head sits on the chest (the neck a seam a few vertices wide) and touches the
shoulders. The vertices' body parts meet there along a stair-stepped line, and the head and the body
shared no bone across it: a neighbouring vertex went from all to nothing of the head and the neck, and
a turned neck tore the head off the chest in teeth (an edge stretched by 8 % of the height). Real bpy,
the sidebar's default settings."""
from __future__ import annotations

import math

import numpy as np
import pytest
from blender_helpers import built_from_drawing, posed
from mathutils import Matrix

import anatomy_figures as af


def _share(mesh, bones: set[str]) -> np.ndarray:
    """(V,) each vertex's share of its weight on `bones`."""
    groups = {g.index for g in mesh.vertex_groups if g.name in bones}
    on = np.array([sum(e.weight for e in v.groups if e.group in groups) for v in mesh.data.vertices])
    return on / np.array([sum(e.weight for e in v.groups) for v in mesh.data.vertices])


@pytest.mark.parametrize("picture", [af.plush_bear, af.chibi], ids=["plush_bear", "chibi"])
def test_the_head_blends_into_the_body_and_a_turned_neck_tears_nothing(addon, scene, tmp_path, picture):
    built, skeleton = built_from_drawing(addon, tmp_path, picture())
    rig, mesh = built.armature, built.mesh
    edges = np.empty(len(mesh.data.edges) * 2, np.int64)
    mesh.data.edges.foreach_get("vertices", edges)
    edges = edges.reshape(-1, 2)
    for name in ("neck", "head"):  # what turning it moves: it and what hangs from it (the head, ears)
        bone = rig.data.bones[name]
        moved = _share(mesh, {name} | {b.name for b in bone.children_recursive})
        step = np.abs(moved[edges[:, 0]] - moved[edges[:, 1]])
        assert step.max() < 0.5, (name, step.max())  # no edge from all to nothing
    for pose in rig.pose.bones:  # FK, as an animator turns a neck by hand
        if "ik" in pose:
            pose["ik"] = 0.0
    rest = posed(mesh)
    height = float(np.ptp(rest[:, 2]))
    stretch = np.linalg.norm(rest[edges[:, 0]] - rest[edges[:, 1]], axis=1)
    world = rig.matrix_world
    pivot = world @ rig.data.bones["neck"].head_local
    for axis in ("X", "Z"):
        turn = (Matrix.Translation(pivot) @ Matrix.Rotation(math.radians(30), 4, axis)
                @ Matrix.Translation(-pivot))
        rig.pose.bones["neck"].matrix = world.inverted() @ turn @ world @ rig.data.bones["neck"].matrix_local
        now = posed(mesh)
        rig.pose.bones["neck"].matrix_basis = Matrix.Identity(4)
        apart = np.linalg.norm(now[edges[:, 0]] - now[edges[:, 1]], axis=1) - stretch
        assert apart.max() < 0.03 * height, (axis, apart.max() / height)
