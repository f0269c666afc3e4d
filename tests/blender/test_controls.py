"""Controls on rigs made from labelled skeletons (Rigify's metarigs, see metarig_skeletons.py), in real bpy.

Measured, not eyeballed: where limb tips, knees and elbows go when an animator moves a control, and
that Rigify's Generate accepts the metarig and its rig moves the mesh.
"""
from __future__ import annotations

import importlib

import math

import anatomy_figures
import bpy
import numpy as np
import pytest
from blender_helpers import FAST, Created, rigged, save_png
from mathutils import Matrix, Vector
from metarig_skeletons import armature_from_skeleton, metarig_skeleton

TIPS = {  # the last bone of each limb, whose tail is the limb's tip
    "human": ("hand.L", "hand.R", "toe.L", "toe.R"),
    "quadruped": ("front_toe.L", "front_toe.R", "toe.L", "toe.R"),
    "bird": ("toe.L", "toe.R", "wing.L.002", "wing.R.002"),
}


def tails(armature, names) -> dict[str, np.ndarray]:
    bpy.context.view_layer.update()
    return {n: np.array(armature.pose.bones[n].tail) for n in names}


def move(armature, bone: str, offset) -> None:
    """Translate a pose bone by `offset` in armature space, as dragging it in the viewport does."""
    pose_bone = armature.pose.bones[bone]
    pose_bone.matrix = Matrix.Translation(Vector(offset)) @ pose_bone.matrix
    bpy.context.view_layer.update()


def deformed(mesh) -> np.ndarray:
    evaluated = mesh.evaluated_get(bpy.context.evaluated_depsgraph_get())
    co = np.empty(len(evaluated.data.vertices) * 3, np.float32)
    evaluated.data.vertices.foreach_get("co", co)
    return co.reshape(-1, 3)


def group_vertices(mesh, name: str) -> list[int]:
    index = mesh.vertex_groups[name].index
    return [v.index for v in mesh.data.vertices if any(g.group == index and g.weight > 0 for g in v.groups)]


@pytest.mark.parametrize("kind", ["human", "quadruped", "bird"])
def test_ik_controls_leave_the_rest_pose_as_it_was(addon, scene, kind):
    armature, mesh, _ = rigged(addon, kind)
    for pose_bone in armature.pose.bones:
        assert np.allclose(pose_bone.matrix, pose_bone.bone.matrix_local, atol=1e-4), pose_bone.name
    assert np.allclose(deformed(mesh), [v.co for v in mesh.data.vertices], atol=1e-5)


@pytest.mark.parametrize("kind, target, tip, offset", [
    ("human", "foot_ik.L", "toe.L", (0.05, -0.1, 0.2)),
    ("human", "hand_ik.R", "hand.R", (0.15, -0.1, -0.1)),
    ("quadruped", "front_foot_ik.L", "front_toe.L", (0.0, -0.05, 0.15)),
    ("quadruped", "foot_ik.R", "toe.R", (0.0, 0.05, 0.1)),
    ("bird", "foot_ik.L", "toe.L", (0.0, -0.005, 0.01)),
])
def test_moving_an_ik_target_moves_the_limb_tip_there_and_leaves_the_other_limbs_put(
        addon, scene, kind, target, tip, offset):
    armature, _, _ = rigged(addon, kind)
    rest = tails(armature, TIPS[kind])
    move(armature, target, offset)
    posed = tails(armature, TIPS[kind])
    assert posed[tip] == pytest.approx(rest[tip] + np.array(offset), abs=1e-3)
    for other in set(TIPS[kind]) - {tip}:
        assert posed[other] == pytest.approx(rest[other], abs=1e-5), other


@pytest.mark.parametrize("kind, target, middle, lift, backward", [
    ("human", "foot_ik.L", "shin.L", (0, 0, 0.35), False),  # knee forward
    ("human", "hand_ik.L", "forearm.L", (-0.3, 0, 0.0), True),  # elbow back
    ("quadruped", "front_foot_ik.R", "front_shin.R", (0, 0, 0.2), True),  # front elbow back
    ("quadruped", "foot_ik.L", "shin.L", (0, 0, 0.2), False),  # hind knee forward
])
def test_poles_bend_knees_forward_and_elbows_back(addon, scene, kind, target, middle, lift, backward):
    armature, _, _ = rigged(addon, kind)
    bpy.context.view_layer.update()
    rest = np.array(armature.pose.bones[middle].head)
    move(armature, target, lift)
    moved_y = armature.pose.bones[middle].head[1] - rest[1]
    # The character faces -Y: forward is a drop in Y, back a rise, by a clear amount.
    assert (moved_y > 0.03) if backward else (moved_y < -0.03), moved_y


@pytest.mark.parametrize("kind, limb, target, tip", [("human", "upper_arm.L", "hand_ik.L", "hand.L"),
                                                     ("human", "thigh.R", "foot_ik.R", "toe.R"),
                                                     ("quadruped", "thigh.L", "foot_ik.L", "toe.L")])
def test_with_ik_off_rotating_an_upper_limb_45_degrees_moves_its_tip_and_nothing_on_the_far_side(
        addon, scene, kind, limb, target, tip):
    armature, mesh, _ = rigged(addon, kind)
    rest_mesh = deformed(mesh)
    rest = tails(armature, TIPS[kind])
    armature.pose.bones[target]["ik"] = 0.0  # FK
    pose_bone = armature.pose.bones[limb]
    pose_bone.rotation_mode = "XYZ"
    pose_bone.rotation_euler = (math.radians(45), 0.0, 0.0)
    posed = tails(armature, TIPS[kind])
    length = sum(b.length for b in armature.data.bones
                 if b.name == limb or (b.parent and b.parent.name == limb))
    assert np.linalg.norm(posed[tip] - rest[tip]) > 0.5 * length
    for other in set(TIPS[kind]) - {tip}:
        assert posed[other] == pytest.approx(rest[other], abs=1e-5), other
    far_side = ".R" if limb.endswith(".L") else ".L"
    still = [i for g in mesh.vertex_groups if g.name.endswith(far_side) or g.name.startswith("spine")
             for i in group_vertices(mesh, g.name)]
    moved = np.linalg.norm(deformed(mesh) - rest_mesh, axis=1)
    assert moved[still].max() < 1e-5
    assert moved[group_vertices(mesh, limb)].max() > 0.01


def test_controls_are_shaped_non_deforming_bones_in_bone_collections(addon, scene):
    armature, _, _ = rigged(addon, "human")
    bones = armature.data.bones
    controls = [b.name for b in bones
                if b.name in ("root", "torso") or "_ik." in b.name or "_pole." in b.name]
    assert len(controls) == 2 + 4 + 4
    assert [b.name for b in bones if b.parent is None] == ["root"]
    assert bones["root"].head_local.z == pytest.approx(0.0)
    assert bones["torso"].head_local == bones["spine"].head_local
    assert bones["spine"].parent.name == "torso" and bones["torso"].parent.name == "root"
    widgets = bpy.data.collections[f"{armature.users_collection[0].name} widgets"]
    assert widgets.hide_viewport and widgets.hide_render
    for name in controls:
        assert not bones[name].use_deform, name
        assert armature.pose.bones[name].custom_shape.name in widgets.objects, name
        assert "Controls" in [c.name for c in bones[name].collections], name
    # IK solves a hidden copy of each limb's two bones; the deform bones are the FK controls
    mechanism = [b for b in bones if b.name.startswith("MCH-")]
    limbs = ("upper_arm", "forearm", "thigh", "shin")
    assert sorted(b.name for b in mechanism) == sorted(f"MCH-{n}{s}" for n in limbs for s in (".L", ".R"))
    assert all(not b.use_deform and [c.name for c in b.collections] == ["Mechanism"] for b in mechanism)
    deform = [b for b in bones if b.use_deform]
    assert len(deform) == len(bones) - len(controls) - len(mechanism)
    for bone in deform:
        assert {"Deform", "Controls"} <= {c.name for c in bone.collections}, bone.name
        assert armature.pose.bones[bone.name].custom_shape.name in widgets.objects, bone.name
    assert not armature.data.collections["Mechanism"].is_visible
    iks = [(pb.name, c) for pb in armature.pose.bones for c in pb.constraints if c.type == "IK"]
    assert sorted(n for n, _ in iks) == ["MCH-forearm.L", "MCH-forearm.R", "MCH-shin.L", "MCH-shin.R"]
    assert all(c.chain_count == 2 and c.pole_subtarget.endswith(("_pole.L", "_pole.R")) for _, c in iks)
    follow = armature.pose.bones["forearm.L"].constraints["IK"]
    assert (follow.type, follow.subtarget) == ("COPY_TRANSFORMS", "MCH-forearm.L")
    path = 'pose.bones["forearm.L"].constraints["IK"].influence'
    driver = armature.animation_data.drivers.find(path).driver
    assert driver.variables[0].targets[0].data_path == 'pose.bones["hand_ik.L"]["ik"]'
    for name in ("spine.001", "neck", "head"):  # FK: no constraint, an animator rotates them
        assert not armature.pose.bones[name].constraints and armature.pose.bones[name].custom_shape


@pytest.mark.parametrize("kind", ["human", "quadruped", "bird"])
def test_rigify_generate_builds_a_control_rig_that_moves_the_mesh(addon, scene, kind):
    armature, mesh, warnings = rigged(addon, kind, "rigify")
    rig = armature.data.rigify_target_rig
    assert rig is not None and rig is not armature and not warnings
    assert len(rig.data.bones) > 3 * len(armature.data.bones)
    fk = [c for c in rig.data.collections_all if c.name.endswith("(FK)")]
    assert len(fk) >= 2 and all(c.bones for c in fk)  # the limbs' FK controls, shown apart from IK
    assert sum(c.type == "IK" for pb in rig.pose.bones for c in pb.constraints) >= 4
    # the mesh now follows the generated rig, with each weight on its bone's DEF- twin
    assert [m.object for m in mesh.modifiers if m.type == "ARMATURE"] == [rig] and mesh.parent is rig
    for group in mesh.vertex_groups:
        assert group.name.startswith("DEF-") and rig.data.bones[group.name].use_deform, group.name
    rest = deformed(mesh)
    move(rig, "torso", (0.0, 0.0, 0.05))
    moved = deformed(mesh) - rest
    spine = group_vertices(mesh, "DEF-spine")
    assert moved[spine] == pytest.approx(np.tile([0.0, 0.0, 0.05], (len(spine), 1)), abs=1e-4)
    head = group_vertices(mesh, "DEF-head")
    assert np.linalg.norm(moved[head], axis=1).min() > 0.04


def test_a_rigify_metarig_without_generate_carries_rig_types_and_the_leg_s_heel(addon, scene):
    armature, mesh, _ = rigged(addon, "human", "rigify", generate=False)
    assert armature.data.rigify_target_rig is None
    pose = armature.pose.bones
    assert pose["spine"].rigify_type == "spines.basic_spine"
    assert pose["neck"].rigify_type == "spines.super_head"
    assert (pose["upper_arm.L"].rigify_type, pose["thigh.R"].rigify_type) == ("limbs.arm", "limbs.leg")
    assert pose["upper_arm.L"].rigify_parameters.segments == 1
    heel = armature.data.bones["heel.L"]
    assert heel.parent.name == "foot.L" and not heel.use_connect and not heel.children
    assert mesh.modifiers[0].object is armature


# ---------------------------------------------------------------------------------- through the pipeline
@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """Drawn characters of the anatomy tests as image files, by name."""
    folder = tmp_path_factory.mktemp("drawn")
    made = {}
    for draw in (anatomy_figures.humanoid_tpose, anatomy_figures.dog, anatomy_figures.bird):
        character = draw(320)
        made[character.name] = save_png(folder / f"{character.name}.png",
                                         anatomy_figures.rgba(character.mask))
    return made


def built_from(addon, path, **options):
    result = addon.core.pipeline.run_pipeline(path, addon.core.pipeline.PipelineSettings(**FAST))
    options = addon.blender.scene_build.BuildOptions(**options)
    return addon.blender.scene_build.build_rig(bpy.context, result, path.stem, options)


def effectors(armature) -> dict[str, str]:
    """IK target -> the bone that follows it (hand/foot), from the constraints the rig carries."""
    return {c.subtarget: pb.name for pb in armature.pose.bones for c in pb.constraints
            if c.type == "COPY_ROTATION"}


@pytest.mark.parametrize("name", ["humanoid_tpose", "dog"])
def test_a_drawn_figure_gets_ik_feet_that_reach_their_targets(addon, scene, drawn, name):
    built = built_from(addon, drawn[name])
    armature = built.armature
    follow = effectors(armature)
    feet = [t for t in follow if t.startswith(("foot_ik", "front_foot_ik"))]
    assert len(feet) >= 2 and "controls" in built.timings
    height = max(b.head_local.z for b in armature.data.bones)
    bpy.context.view_layer.update()
    rest = {t: np.array(armature.pose.bones[f].head) for t, f in follow.items()}
    offset = np.array([0.0, -0.05, 0.1]) * height
    move(armature, feet[0], offset)
    for target, bone in follow.items():
        expected = rest[target] + (offset if target == feet[0] else 0.0)
        assert np.array(armature.pose.bones[bone].head) == pytest.approx(expected, abs=2e-3 * height), target


@pytest.mark.parametrize("name", ["humanoid_tpose", "dog", "bird"])
def test_rigify_generates_a_rig_for_a_drawn_figure_and_takes_over_its_weights(addon, scene, drawn, name):
    built = built_from(addon, drawn[name], controls="rigify")
    rig = built.armature.data.rigify_target_rig
    assert rig is not None and bpy.context.view_layer.objects.active is rig
    assert addon.blender.controls.summary(built.armature) == f"Rigify rig '{rig.name}'"
    assert not [w for w in built.warnings if "Rigify made no deform bone" in w]
    assert [m.object for m in built.mesh.modifiers if m.type == "ARMATURE"] == [rig]
    assert all(g.name.startswith("DEF-") for g in built.mesh.vertex_groups)
    rest = deformed(built.mesh)
    # basic_spine's torso where the spine has three bones or more; Rigify's root always
    move(rig, "torso" if "torso" in rig.pose.bones else "root", (0.0, 0.0, 0.1))
    assert np.median(np.linalg.norm(deformed(built.mesh) - rest, axis=1)) > 0.05


def test_the_operator_builds_ik_controls_in_one_undo_step_and_reports(addon, scene, stick_png, capfd):
    # Blender pushes one undo step per run of an operator with UNDO; the controls run inside it (their
    # mode switches and Rigify's operator are nested calls, which push none). The bpy module replays
    # undo in background mode once a first step is pushed; `undo=True` pushes as a click in the UI does.
    bpy.ops.mesh.primitive_cube_add()
    bpy.ops.ed.undo_push(message="a cube")
    capfd.readouterr()
    run = bpy.ops.pointskel.image_to_skeleton
    assert run("EXEC_DEFAULT", True, source="FILE", filepath=str(stick_png), controls="ik",
               **FAST) == {"FINISHED"}
    report = capfd.readouterr()
    assert "IK controls on 4 limbs" in report.out + report.err
    armature = bpy.context.view_layer.objects.active
    assert bpy.context.mode == "OBJECT" and armature.type == "ARMATURE"
    assert sum(c.type == "IK" for pb in armature.pose.bones for c in pb.constraints) == 4
    built = {o.name for o in bpy.data.objects} - {"Cube"}
    assert bpy.ops.ed.undo() == {"FINISHED"}
    assert [o.name for o in bpy.data.objects] == ["Cube"]  # one step: the whole build, and only it
    assert bpy.ops.ed.redo() == {"FINISHED"}
    assert {o.name for o in bpy.data.objects} - {"Cube"} == built
    assert run(source="FILE", filepath=str(stick_png), controls="none", **FAST) == {"FINISHED"}
    bare = bpy.context.view_layer.objects.active
    assert bare is not armature and all(b.use_deform for b in bare.data.bones)
    assert "controls" not in capfd.readouterr().out


def test_a_metarig_rigify_refuses_is_a_one_line_error_and_leaves_nothing_behind(addon, scene):
    skeleton = metarig_skeleton("human")
    armature = armature_from_skeleton(skeleton)
    # the add-on imports it only when a metarig is asked for: on its own, or first in its worker, this
    # test must not depend on an earlier one having asked
    rigify_metarig = importlib.import_module(f"{addon.blender.__name__}.rigify_metarig")
    rigify_metarig.ensure_rigify()
    armature.pose.bones["hand.L"].rigify_type = "limbs.arm"  # an arm rig needs three bones, the hand has one
    before = {kind: len(getattr(bpy.data, kind)) for kind in ("objects", "armatures", "collections")}
    created = Created()
    with pytest.raises(addon.core.errors.PointSkelError, match="Rigify's Generate failed") as raised:
        rigify_metarig.generate_rig(bpy.context, armature, created)
    assert "\n" not in str(raised.value)
    bpy.data.batch_remove([d for d in created.ids if d is not None])
    assert {kind: len(getattr(bpy.data, kind)) for kind in before} == before
