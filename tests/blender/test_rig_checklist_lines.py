"""The rigger's list (scripts/rig_checklist.py), line by line, on rigs built in this process: each line
applies to the body plans it should, and fails a rig that breaks it."""
from __future__ import annotations

import math
from pathlib import Path

import bpy
import numpy as np
import pytest
from blender_helpers import built_from_drawing
from mathutils import Matrix

import anatomy_figures as af

ROOT = Path(__file__).resolve().parents[2]


def test_a_snake_turns_its_head_for_the_posing_line_and_its_tail_stays(addon, scene, checklist, tmp_path):
    built, skeleton = built_from_drawing(addon, tmp_path, af.snake())
    assert skeleton.anatomy.body_plan == "serpent"
    lines = checklist.check(bpy, built.armature, built.mesh, skeleton)
    assert checklist._turned(skeleton, checklist._chains(skeleton)) == "head"
    assert lines["posing"] == ""  # not "no arm or leg to turn": a limbless body still poses


def test_an_upright_biped_from_the_side_faces_minus_y_by_its_feet_and_fails_turned_round(
        addon, scene, checklist, tmp_path):
    """A plush seen from the side stands upright: its head points up (neck to crown), so its feet show
    which way it faces; the same rig turned to face +Y fails the line."""
    built, skeleton = built_from_drawing(addon, tmp_path, af.plush_side())
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("biped", "side")
    assert checklist.check(bpy, built.armature, built.mesh, skeleton)["facing"] == ""
    built.armature.matrix_world = Matrix.Rotation(math.pi, 4, "Z")  # facing +Y now
    assert "not toward -Y" in checklist.check(bpy, built.armature, built.mesh, skeleton)["facing"]


def test_an_object_has_no_head_line_to_pass(addon, scene, checklist, tmp_path):
    built, skeleton = built_from_drawing(addon, tmp_path, af.cup())
    assert skeleton.anatomy.body_plan == "generic"
    head = checklist.check(bpy, built.armature, built.mesh, skeleton)["head"]
    assert head.startswith(checklist.NOT_APPLICABLE) and checklist._verdict(head).startswith("n/a")


def test_a_prop_of_one_member_turns_its_spines_last_bone_and_its_stand_stays(
        addon, scene, checklist, tmp_path):
    """A desk lamp's rig is one chain from its base up its arm (`anatomy.props`): the posing line turns
    the arm's last bone, and the base, the far end from it, stays (not "nothing to turn")."""
    built, skeleton = built_from_drawing(addon, tmp_path, af.desk_lamp())
    assert skeleton.anatomy.body_plan == "generic"
    assert {j.part for j in skeleton.joints} == {"spine"}
    turned = checklist._turned(skeleton, checklist._chains(skeleton))
    spine_bones = [j.name for k, j in enumerate(skeleton.joints) if skeleton.children(k)]
    assert turned == spine_bones[-1]
    assert checklist.check(bpy, built.armature, built.mesh, skeleton)["posing"] == ""


def test_the_list_fails_a_rig_whose_left_bones_are_on_its_right_or_whose_root_is_off_the_floor(
        addon, scene, checklist, tmp_path):
    built, skeleton = built_from_drawing(addon, tmp_path, af.plush_bear())
    rig = built.armature
    assert all(line == "" for line in checklist.check(bpy, rig, built.mesh, skeleton).values())
    bpy.context.view_layer.objects.active = rig
    bpy.ops.object.mode_set(mode="EDIT")
    for bone in rig.data.edit_bones:  # the arm on the wrong side of X = 0, the root lifted
        if bone.name == "upper_arm.L":
            bone.head.x = -bone.head.x
        if bone.name == "root":
            bone.head.z = bone.tail.z = 0.2
    bpy.ops.object.mode_set(mode="OBJECT")
    lines = checklist.check(bpy, rig, built.mesh, skeleton)
    assert "upper_arm.L" in lines["sides"] and lines["floor"] == "no root bone at the floor"


def test_the_ik_line_fails_a_limb_that_bends_across_its_pole(addon, scene, checklist, tmp_path):
    """The pole angle a quarter turn off: IK bends the knee to the side of where its pole is."""
    built, skeleton = built_from_drawing(addon, tmp_path, af.humanoid_apose())
    rig = built.armature
    assert checklist.check(bpy, rig, built.mesh, skeleton)["ik"] == ""
    ik = next(c for c in rig.pose.bones["MCH-shin.L"].constraints if c.type == "IK")
    ik.pole_angle += math.pi / 2
    assert checklist.check(bpy, rig, built.mesh, skeleton)["ik"] == "bends away from its pole: MCH-shin.L"


@pytest.mark.parametrize("character", [af.chibi, af.humanoid_apose], ids=["chibi", "humanoid_apose"])
def test_turning_a_shoulder_leaves_the_torso_centre_line_still_and_a_shoulder_owning_it_fails(
        addon, scene, checklist, tmp_path, character):
    """The clavicle runs inside the chest: its weights stop where the arm leaves the body, so turning it
    leaves the chest's middle still; the same rig with the centre line weighted to the shoulder fails."""
    built, skeleton = built_from_drawing(addon, tmp_path, character())
    assert checklist._turned(skeleton, checklist._chains(skeleton)).startswith("shoulder.")
    assert checklist.check(bpy, built.armature, built.mesh, skeleton)["posing"] == ""
    mesh, rig = built.mesh, built.armature
    rest = checklist._posed(bpy, mesh)
    height = float(np.ptp(rest[:, 2]))
    centre = checklist._centre_line(rest, {b.name: b for b in rig.data.bones}, rig.matrix_world, height)
    assert centre.sum() >= 5
    shoulder = mesh.vertex_groups[checklist._turned(skeleton, checklist._chains(skeleton))]
    rows = np.flatnonzero(centre).tolist()
    for group in mesh.vertex_groups:
        group.remove(rows)
    shoulder.add(rows, 1.0, "REPLACE")
    assert "centre line moves" in checklist.check(bpy, rig, mesh, skeleton)["posing"]


def test_a_limb_forking_into_two_branches_of_one_part_and_side_is_two_chains_not_a_crash(checklist):
    """A bat's wing read as a leg whose tree forks: the second branch continues no chain's last joint."""
    from pointskel_blender.core.skeleton import Joint, Skeleton

    def joint(name, parent, x, part="", side=""):
        return Joint(name, parent, (x, 0.0), (x, 0.0, 0.0), 0.1, part, side)

    joints = [joint("spine", None, 0.0, "spine"), joint("spine_end", 0, 0.1, "spine"),
              joint("leg.L", 0, 0.2, "leg", "L"), joint("shin.L", 2, 0.3, "leg", "L"),
              joint("foot.L", 3, 0.4, "leg", "L"), joint("toe.L", 2, 0.5, "leg", "L"),
              joint("toe_end.L", 5, 0.6, "leg", "L")]
    chains = checklist._chains(Skeleton(joints, (100, 100)))
    assert sorted(chains) == [[2, 3], [5]]
