"""A quadruped drawn from the front becomes a four-legged Blender rig facing -Y (`core.anatomy.hind_legs`).

Built in real Blender from drawn figures (a lean dog, a plush bear on all fours): four legs named as in
Rigify's quadruped metarig, the hind legs behind the front legs (+Y) with their feet on the same floor,
the spine running forward (-Y) from the hips to the chest, and an IK target on each of the four feet.
"""
from __future__ import annotations

import bpy
import numpy as np
import pytest
from blender_helpers import built_from_drawing, deform_bones, posed, turn_bone
from mathutils import Matrix

import anatomy_figures as af

LEGS = ("front_thigh", "front_shin", "front_foot", "front_toe", "thigh", "shin", "foot", "toe")


@pytest.mark.parametrize("draw", [af.dog_front, af.bear_front])
def test_a_front_view_quadruped_becomes_a_four_legged_rig_facing_minus_y(addon, scene, tmp_path, draw):
    built, skeleton = built_from_drawing(addon, tmp_path, draw(320), predictor="geometric")
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("quadruped", "front")
    bones = {b.name: b for b in deform_bones(built.armature)}
    for side in ("L", "R"):
        for name in LEGS:
            assert f"{name}.{side}" in bones, (name, side, sorted(bones))
    height = max(b.tail_local.z for b in bones.values()) - min(b.tail_local.z for b in bones.values())
    floor = min(min(b.head_local.z, b.tail_local.z) for b in bones.values())
    for side in ("L", "R"):
        front, hind = bones[f"front_toe.{side}"], bones[f"toe.{side}"]
        assert front.tail_local.z == pytest.approx(floor, abs=0.02 * height)  # both feet on the floor
        assert hind.tail_local.z == pytest.approx(floor, abs=0.02 * height)
        assert hind.tail_local.x == pytest.approx(front.tail_local.x, abs=0.02 * height)  # hidden behind it
        assert hind.tail_local.y > front.tail_local.y + 0.3 * height  # behind: the character faces -Y
        assert bones[f"thigh.{side}"].head_local.y > bones[f"front_thigh.{side}"].head_local.y
        assert (bones[f"thigh.{side}"].head_local.x > 0) == (side == "L")  # its left is +X
    spine = bones["spine"]
    assert spine.tail_local.y < spine.head_local.y  # the hips' bone points forward, to the chest
    assert abs(spine.tail_local.z - spine.head_local.z) < 0.05 * height  # a level back
    chest = bones["front_thigh.L"].parent
    assert chest is not None and chest.name.startswith("spine") and chest.head_local.y < spine.head_local.y
    bpy.context.view_layer.update()
    targets = {c.subtarget for pb in built.armature.pose.bones for c in pb.constraints if c.type == "IK"}
    feet = [t for t in targets if t.startswith(("foot_ik", "front_foot_ik"))]
    assert len(feet) == 4, sorted(targets)  # each of the four feet posable by its IK target


@pytest.mark.parametrize("draw", [af.dog_front, af.bear_front])
def test_the_hidden_hind_legs_and_back_own_none_of_the_front_they_stand_behind(addon, scene, tmp_path, draw):
    """The mesh is the picture: the animal's front. Bones a body's length behind it (hind legs, the back)
    had owned the front legs' and chest's vertices, and turning a hind leg dragged them a metre back;
    now only the front legs turn the legs that show."""
    built, _ = built_from_drawing(addon, tmp_path, draw(320), predictor="geometric")
    rig, mesh = built.armature, built.mesh
    for pose in rig.pose.bones:  # FK, as an animator turns a part by hand
        if "ik" in pose:
            pose["ik"] = 0.0
    rest = posed(mesh)
    height = float(np.ptp(rest[:, 2]))
    hidden = ("spine", "thigh.L", "shin.L", "foot.L", "thigh.R", "shin.R", "foot.R")
    owned = {g.name: 0 for g in mesh.vertex_groups}
    names = {g.index: g.name for g in mesh.vertex_groups}
    for vertex in mesh.data.vertices:
        for g in vertex.groups:
            owned[names[g.group]] += g.weight > 0.01
    assert all(owned[name] == 0 for name in hidden), {name: owned[name] for name in hidden}
    for name, moves in (("thigh.L", False), ("front_thigh.L", True)):
        turn_bone(rig, name, 45.0)
        moved = np.linalg.norm(posed(mesh) - rest, axis=1)
        rig.pose.bones[name].matrix_basis = Matrix.Identity(4)
        assert (moved.max() > 0.1 * height) == moves, (name, moved.max() / height)

