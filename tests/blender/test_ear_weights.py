"""An ear follows its ear bone: a side view's lone ear (its bones at the depth of the head's flank, off
the thin ear's mesh, where bone heat hardly sees them) is weighted to its own bones past its socket, so
turning the ear turns all of it and leaves the head still. Real bpy, the sidebar's default settings."""
from __future__ import annotations

import math

import bpy
import numpy as np
from blender_helpers import built_from_drawing
from mathutils import Matrix

import anatomy_figures as af


def _ear(rig) -> list[str]:
    return [b.name for b in rig.data.bones if b.use_deform and b.name.startswith("ear")]


def test_a_side_views_ear_tip_is_weighted_to_the_ear_and_turns_with_it(addon, scene, checklist, tmp_path):
    built, skeleton = built_from_drawing(addon, tmp_path, af.plush_side())
    assert (skeleton.anatomy.view, skeleton.anatomy.facing) == ("side", "left")
    rig, mesh = built.armature, built.mesh
    ear = _ear(rig)
    assert ear == ["ear.L", "ear.L.001"]
    lines = checklist.check(bpy, rig, mesh, skeleton)
    assert lines["weights"] == ""  # at most 4 influences, normalized
    rest = checklist._posed(bpy, mesh)
    height = float(np.ptp(rest[:, 2]))
    world = rig.matrix_world
    tip_bone = rig.data.bones[ear[-1]]
    middle = float(((world @ tip_bone.head_local).z + (world @ tip_bone.tail_local).z) / 2)
    tip = rest[:, 2] > middle  # the ear's outer half
    assert tip.sum() >= 5
    groups = {g.index for g in mesh.vertex_groups if g.name in ear}
    on_ear = np.array([sum(e.weight for e in mesh.data.vertices[i].groups if e.group in groups)
                       for i in np.flatnonzero(tip)])
    assert on_ear.min() > 0.95, on_ear.min()

    base = rig.data.bones[ear[0]]
    pivot = world @ base.head_local
    turn = Matrix.Translation(pivot) @ Matrix.Rotation(math.radians(45), 4, "Y") @ Matrix.Translation(-pivot)
    for pose in rig.pose.bones:
        if "ik" in pose:
            pose["ik"] = 0.0
    rig.pose.bones[ear[0]].matrix = world.inverted() @ turn @ world @ base.matrix_local
    posed = checklist._posed(bpy, mesh)
    matrix = np.array(turn)
    rigid = rest[tip] @ matrix[:3, :3].T + matrix[:3, 3]
    followed = np.linalg.norm(posed[tip] - rigid, axis=1) / np.linalg.norm(rigid - rest[tip], axis=1)
    assert followed.max() < 0.1  # the ear's outer half goes where the ear bone takes it
    head = rest[:, 2] < (world @ rig.data.bones["head"].head_local).z  # the body below the head
    assert np.linalg.norm(posed[head] - rest[head], axis=1).max() < 0.01 * height
