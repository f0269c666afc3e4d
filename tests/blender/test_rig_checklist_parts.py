"""The checklist's parts line (scripts/rig_checklist.py) on rigs built in this process: an ear or a tail
turned at its first bone takes its tip along; a rig whose ear tip is weighted to the head fails it, and
a body without ears or tails has no such line to pass."""
from __future__ import annotations

import bpy
import numpy as np
from blender_helpers import built_from_drawing

import anatomy_figures as af


def test_a_side_views_ear_follows_and_an_ear_tip_left_on_the_head_fails(addon, scene, checklist, tmp_path):
    built, skeleton = built_from_drawing(addon, tmp_path, af.plush_side())
    rig, mesh = built.armature, built.mesh
    assert checklist.check(bpy, rig, mesh, skeleton)["parts"] == ""
    names = [b.name for b in rig.data.bones if b.use_deform and b.name.startswith("ear")]
    rest = checklist._posed(bpy, mesh)
    world = rig.matrix_world
    middle = (world @ rig.data.bones[names[-1]].head_local).z
    rows = np.flatnonzero(rest[:, 2] > middle).tolist()  # the ear's outer half: weighted to the head now
    for group in mesh.vertex_groups:
        group.remove(rows)
    mesh.vertex_groups["head"].add(rows, 1.0, "REPLACE")
    line = checklist.check(bpy, rig, mesh, skeleton)["parts"]
    assert line.startswith("its tip lags the bone: ear.L ")


def test_a_body_without_ears_or_tails_has_no_parts_line(addon, scene, checklist, tmp_path):
    built, skeleton = built_from_drawing(addon, tmp_path, af.humanoid_tpose())
    line = checklist.check(bpy, built.armature, built.mesh, skeleton)["parts"]
    assert line == checklist.NOT_APPLICABLE + "no ear or tail"
