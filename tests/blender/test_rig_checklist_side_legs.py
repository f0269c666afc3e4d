"""The checklist's legs line (scripts/rig_checklist.py) on a side view of a biped walking, facing right:
the thigh it turns is the front leg's, whose toe lies at the far end of the stride from the hip. Its
own toe is the limb's and moves with it; the far side it checks is the rest of the body (the toe once
counted: "far side moves 36.4 %")."""
from __future__ import annotations

import bpy
from blender_helpers import built_from_drawing

import anatomy_figures as af


def test_a_striding_legs_own_foot_is_not_its_far_side(addon, scene, checklist, tmp_path):
    built, skeleton = built_from_drawing(addon, tmp_path, af.walker_side().flipped())
    assert (skeleton.anatomy.view, skeleton.anatomy.facing) == ("side", "right")
    rig, mesh = built.armature, built.mesh
    assert checklist.check(bpy, rig, mesh, skeleton)["legs"] == ""
    thigh = checklist._turned(skeleton, checklist._chains(skeleton), checklist.LEG_PARTS)
    own = checklist._mostly_on(mesh, {b.name for b in rig.data.bones[thigh].children_recursive})
    rest = checklist._posed(bpy, mesh)
    ahead = rest[:, 1].argmin()  # the stride's front toe: this leg's
    assert own[ahead] and own.sum() < 0.25 * len(own)  # the leg's own, and not the body
