"""IK/FK limbs in real bpy: the switch, the snaps that keep it from popping, undo, and FK wings.

Measured on rigs made from Rigify's labelled metarigs (metarig_skeletons.py) and on a rig the operator
built from an image. Undo runs for real: the bpy module keeps an undo stack in background mode once a
step is pushed (`ed.undo_push`), and operators called with `undo=True` push theirs as from the UI.
"""
from __future__ import annotations

import math

import bpy
import numpy as np
import pytest
from blender_helpers import FAST, rigged
from mathutils import Matrix, Vector

LIMB_KINDS = ["human", "quadruped"]


def _switch(addon, armature, limb, value: float) -> None:
    addon.blender.ik_fk.set_switch(bpy.context, armature, limb, value)


def _tip(armature, limb) -> np.ndarray:
    """Where the limb ends: the hand's or foot's tail, or the lower bone's at a limb without one."""
    bpy.context.view_layer.update()
    return np.array(armature.pose.bones[limb.effector or limb.lower].tail)


def _middle(armature, limb) -> np.ndarray:
    return np.array(armature.pose.bones[limb.lower].head)


def _pose_fk(armature, limb) -> None:
    """An animator's FK pose: the upper bone swung and twisted, the lower bent, the hand or foot turned."""
    pose_bones = armature.pose.bones
    for name, angles in ((limb.upper, (30.0, 10.0, 0.0)), (limb.lower, (40.0, 0.0, 0.0)),
                         (limb.effector, (15.0, 0.0, 10.0))):
        if name:
            pose_bones[name].rotation_mode = "XYZ"
            pose_bones[name].rotation_euler = [math.radians(a) for a in angles]
    bpy.context.view_layer.update()


@pytest.mark.parametrize("kind", LIMB_KINDS)
def test_every_arm_and_leg_is_an_ik_fk_limb(addon, scene, kind):
    armature, _, _ = rigged(addon, kind)
    limbs = addon.blender.ik_fk.limbs(armature)
    uppers = {"human": ["thigh.L", "thigh.R", "upper_arm.L", "upper_arm.R"],
              "quadruped": ["front_thigh.L", "front_thigh.R", "thigh.L", "thigh.R"]}[kind]
    assert sorted(limb.upper for limb in limbs) == uppers
    for limb in limbs:
        assert limb.effector and limb.mechanism == (f"MCH-{limb.upper}", f"MCH-{limb.lower}")


@pytest.mark.parametrize("kind", LIMB_KINDS)
def test_after_snapping_ik_to_fk_switching_to_ik_moves_the_limb_under_a_millimetre(addon, scene, kind):
    armature, _, _ = rigged(addon, kind)
    ik_fk = addon.blender.ik_fk
    for limb in ik_fk.limbs(armature):
        _switch(addon, armature, limb, 0.0)
        _pose_fk(armature, limb)
        tip, middle = _tip(armature, limb), _middle(armature, limb)
        _switch(addon, armature, limb, 1.0)
        assert np.linalg.norm(_tip(armature, limb) - tip) > 0.05, "the FK pose is no test of the snap"
        _switch(addon, armature, limb, 0.0)
        ik_fk.snap_ik_to_fk(bpy.context, armature, limb)
        assert np.linalg.norm(_tip(armature, limb) - tip) < 1e-6  # snapping IK leaves FK alone
        _switch(addon, armature, limb, 1.0)
        assert np.linalg.norm(_tip(armature, limb) - tip) < 1e-3, limb.upper
        assert np.linalg.norm(_middle(armature, limb) - middle) < 1e-3, limb.upper  # the knee or elbow too


@pytest.mark.parametrize("kind", LIMB_KINDS)
def test_after_snapping_fk_to_ik_switching_to_fk_moves_the_limb_under_a_millimetre(addon, scene, kind):
    armature, _, _ = rigged(addon, kind)
    ik_fk = addon.blender.ik_fk
    for limb in ik_fk.limbs(armature):
        target = armature.pose.bones[limb.target]
        turn = Matrix.Rotation(math.radians(20.0), 4, "X")
        target.matrix = Matrix.Translation(Vector((0.05, -0.1, 0.1))) @ target.matrix @ turn
        tip, middle = _tip(armature, limb), _middle(armature, limb)
        _switch(addon, armature, limb, 0.0)
        assert np.linalg.norm(_tip(armature, limb) - tip) > 0.05, "the IK pose is no test of the snap"
        _switch(addon, armature, limb, 1.0)
        ik_fk.snap_fk_to_ik(bpy.context, armature, limb)
        _switch(addon, armature, limb, 0.0)
        assert np.linalg.norm(_tip(armature, limb) - tip) < 1e-3, limb.upper
        assert np.linalg.norm(_middle(armature, limb) - middle) < 1e-3, limb.upper


def test_the_switch_blends_between_fk_and_ik(addon, scene):
    armature, _, _ = rigged(addon, "human")
    limb = addon.blender.ik_fk.limb_of(armature, "hand_ik.L")
    armature.pose.bones[limb.target].matrix = (Matrix.Translation(Vector((0.1, 0.0, 0.15)))
                                               @ armature.pose.bones[limb.target].matrix)
    tips = {}
    for value in (0.0, 0.5, 1.0):
        _switch(addon, armature, limb, value)
        tips[value] = _tip(armature, limb)
    assert np.linalg.norm(tips[1.0] - tips[0.0]) > 0.1
    assert 0.2 < np.linalg.norm(tips[0.5] - tips[0.0]) / np.linalg.norm(tips[1.0] - tips[0.0]) < 0.8


def test_a_saved_and_reopened_rig_still_knows_its_limbs(addon, scene, tmp_path):
    armature, _, _ = rigged(addon, "quadruped")
    before, name = addon.blender.ik_fk.limbs(armature), armature.name
    path = tmp_path / "rig.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(path))
    bpy.ops.wm.open_mainfile(filepath=str(path))
    assert addon.blender.ik_fk.limbs(bpy.data.objects[name]) == before


# ---------------------------------------------------------------------------------------- the operator
@pytest.fixture
def posed_rig(addon, scene, stick_png):
    """A rig the Generate operator built from an image, in Pose Mode with the left hand's IK target
    active and moved; an undo step pushed after the move."""
    assert bpy.ops.pointskel.image_to_skeleton(source="FILE", filepath=str(stick_png), controls="ik",
                                               **FAST) == {"FINISHED"}
    armature = bpy.context.view_layer.objects.active
    bpy.ops.object.mode_set(mode="POSE")
    limb = addon.blender.ik_fk.limb_of(armature, "hand_ik.L")
    armature.data.bones.active = armature.data.bones[limb.target]
    armature.pose.bones[limb.target].location = (0.05, 0.0, 0.08)
    bpy.context.view_layer.update()
    bpy.ops.ed.undo_push(message="move the hand")
    return armature, limb


def _pose(armature) -> dict[str, np.ndarray]:
    return {pb.name: np.array(pb.matrix_basis) for pb in armature.pose.bones}


def test_the_snap_operator_reports_and_is_one_undo_step(addon, posed_rig, capfd):
    armature, limb = posed_rig
    before = _pose(armature)
    capfd.readouterr()
    assert bpy.ops.pointskel.snap_ik_fk("EXEC_DEFAULT", True, direction="FK_TO_IK") == {"FINISHED"}
    assert "upper_arm.L: FK bones matched to IK" in "".join(capfd.readouterr())
    snapped = _pose(bpy.context.object)
    assert {n for n in before if not np.allclose(before[n], snapped[n], atol=1e-6)} == {
        limb.upper, limb.lower, limb.effector}
    assert bpy.ops.ed.undo() == {"FINISHED"}
    armature = bpy.context.object  # undo rebuilds the data: look the rig up again
    undone = _pose(armature)
    assert all(np.allclose(before[n], undone[n], atol=1e-6) for n in before)  # the hand's move stays
    assert bpy.context.mode == "POSE"
    assert bpy.ops.ed.redo() == {"FINISHED"}
    redone = _pose(bpy.context.object)
    assert all(np.allclose(snapped[n], redone[n], atol=1e-6) for n in snapped)


def test_the_snap_operator_refuses_a_bone_of_no_limb_with_one_line(addon, posed_rig):
    armature, _ = posed_rig
    armature.data.bones.active = armature.data.bones["head"]
    with pytest.raises(RuntimeError, match="'head' is no part of an IK/FK limb") as raised:
        bpy.ops.pointskel.snap_ik_fk(direction="IK_TO_FK")  # an operator's ERROR report, from Python
    assert len(str(raised.value).strip().splitlines()) == 1


# ---------------------------------------------------------------------------------------------- wings
def test_a_bird_s_wing_is_an_fk_chain_that_turns_whole_and_alone(addon, scene):
    """Rigify's bird metarig rigs wings as FK chains (`limbs.simple_tentacle`), as riggers animate a wing's
    folding and flapping by rotating it; so here: no IK, and turning the wing's first bone turns the wing
    rigidly about its root and moves nothing else."""
    armature, mesh, _ = rigged(addon, "bird")
    wing = ["wing.L", "wing.L.001", "wing.L.002"]
    assert not any(addon.blender.ik_fk.limb_of(armature, name) for name in wing)
    pose_bones = armature.pose.bones
    assert all(not pose_bones[name].constraints and pose_bones[name].custom_shape for name in wing)
    bpy.context.view_layer.update()
    rest = {pb.name: (np.array(pb.head), np.array(pb.tail)) for pb in pose_bones}
    root = armature.data.bones[wing[0]]
    turn = Matrix.Rotation(math.radians(45), 4, "Y")  # about the body's long axis: a flap
    pivot = root.head_local
    pose_bones[root.name].matrix = (Matrix.Translation(pivot) @ turn @ Matrix.Translation(-pivot)
                                    @ root.matrix_local)
    bpy.context.view_layer.update()
    turn, pivot = np.array(turn.to_3x3()), np.array(pivot)
    for name in wing:  # every wing joint where the turn about the root takes it
        for rest_point, now in zip(rest[name], (pose_bones[name].head, pose_bones[name].tail)):
            assert np.allclose(now, pivot + turn @ (rest_point - pivot), atol=1e-5), name
    assert np.linalg.norm(np.array(pose_bones[wing[-1]].tail) - rest[wing[-1]][1]) > 0.1
    for pose_bone in pose_bones:
        if pose_bone.name not in wing and not pose_bone.name.startswith("MCH-"):
            assert np.allclose(pose_bone.tail, rest[pose_bone.name][1], atol=1e-6), pose_bone.name
