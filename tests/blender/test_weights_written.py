"""Every vertex keeps its weights when they are written to the mesh's vertex groups: a normalized row's
lone weight can be a rounding error over 1 (1.0000000000000002), which the writer once took for neither
whole nor partial and left out, so a chunky figure's vertex (a side view with a raised hand) was owned by
no bone and stayed behind when the rig moved. Real bpy."""
from __future__ import annotations

import bpy
import numpy as np
from blender_helpers import built_from_drawing

import anatomy_figures as af


def test_a_weight_a_rounding_error_over_one_is_written_whole(addon, scene):
    mesh = bpy.data.meshes.new("three")
    mesh.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
    obj = bpy.data.objects.new("three", mesh)
    bpy.context.scene.collection.objects.link(obj)
    values = np.array([[1.0 + 2.0 ** -52, 0.0], [0.25, 0.75], [0.0, 1.0]])
    addon.blender.skinning._write_weights(obj, ["a", "b"], values)
    written = [{obj.vertex_groups[e.group].name: e.weight for e in v.groups} for v in mesh.vertices]
    assert written == [{"a": 1.0}, {"a": 0.25, "b": 0.75}, {"b": 1.0}]


def test_a_chunky_side_view_leaves_no_vertex_unweighted(addon, scene, checklist, tmp_path):
    built, skeleton = built_from_drawing(addon, tmp_path, af.raised_hand_chunky())
    assert checklist.check(bpy, built.armature, built.mesh, skeleton)["weights"] == ""
