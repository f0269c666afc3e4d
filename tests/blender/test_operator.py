"""`pointskel.image_to_skeleton` on real images: what it builds, what it leaves alone, how it fails."""
from __future__ import annotations

import importlib
import json
import math

import bpy
import numpy as np
import pytest
from blender_helpers import FAST, datablock_counts, deform_bones, new_collection, run_operator, save_png

import figures
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline


def _objects_by_type(collection) -> dict[str, list[bpy.types.Object]]:
    kinds: dict[str, list] = {}
    for obj in collection.objects:
        kinds.setdefault(obj.type, []).append(obj)
    return kinds


def _rig(collection) -> bpy.types.Object:
    (armature,) = _objects_by_type(collection)["ARMATURE"]
    return armature


def _bone_names(skeleton) -> list[str]:
    """The joints that head a bone: those with children (tips make no bone)."""
    return sorted(j.name for i, j in enumerate(skeleton.joints) if skeleton.children(i))


def _mesh(collection) -> bpy.types.Object:
    return next(o for o in collection.objects if o.type == "MESH" and o.parent is not None)


@pytest.mark.parametrize("image", ["sample_png", "stick_png"])
def test_bone_tree_matches_the_core_skeleton(addon, scene, image, request):
    path = request.getfixturevalue(image)
    settings = {**FAST, "mask_backend": "auto"}
    run_operator(path, **settings)
    core = run_pipeline(path, PipelineSettings(**settings),
                        model_dirs=addon.blender.preferences.model_dirs()).skeleton
    bones = deform_bones(_rig(new_collection()))
    by_name = {b.name: b for b in bones}
    # One bone per joint with children, named after it, under its parent joint's bone; tips make none.
    joints = [j for i, j in enumerate(core.joints) if core.children(i)]
    assert sorted(by_name) == sorted(j.name for j in joints) and len(bones) == len(joints)
    parents = {b.name: (b.parent.name if b.parent and b.parent.use_deform else None) for b in bones}
    assert parents == {j.name: (None if j.parent is None else core.joints[j.parent].name) for j in joints}
    for i, joint in enumerate(core.joints):  # each bone runs to its tail child
        if core.children(i):
            tail = np.array(by_name[joint.name].tail_local)
            child = core.joints[core.tail_child(i)].name
            assert child not in by_name or np.allclose(tail, by_name[child].head_local, atol=1e-5)
    # Every bone has length, and a connected child starts exactly where its parent ends.
    for bone in bones:
        assert bone.length > 0
        if bone.use_connect:
            assert (bone.head_local - bone.parent.tail_local).length < 1e-6


def test_collection_contents_size_and_placement(addon, scene, stick_png):
    scene.cursor.location = (1.0, 2.0, 0.5)
    run_operator(stick_png, size_mode="height", height=2.5)
    collection = new_collection()
    assert collection.name == "stick"
    kinds = _objects_by_type(collection)
    assert sorted(kinds) == ["ARMATURE", "MESH"] and len(kinds["MESH"]) == 1  # the rig and its image mesh
    _rig(collection)  # raises unless there is exactly one armature
    (helpers,) = [c for c in collection.children if c.name.endswith(" helpers")]
    clouds = list(helpers.objects)
    assert len(clouds) == 2
    for cloud in clouds:
        assert len(cloud.data.vertices) > 0 and len(cloud.data.polygons) == 0
        assert any(m.type == "NODES" for m in cloud.modifiers)  # drawn as points in Object Mode
    lifted = next(o for o in clouds if "lifted" in o.name)
    assert len(lifted.data.vertices) == FAST["points"]

    mesh = _mesh(collection)
    world = np.array([mesh.matrix_world @ v.co for v in mesh.data.vertices])
    assert world[:, 2].min() == pytest.approx(0.5, abs=0.02)  # standing on the cursor's floor
    assert world[:, 2].max() - world[:, 2].min() == pytest.approx(2.5, rel=0.02)
    centre = (world[:, :2].min(axis=0) + world[:, :2].max(axis=0)) / 2
    assert centre == pytest.approx([1.0, 2.0], abs=0.03)
    # Depth goes along -Y/+Y (the figure faces -Y), thinner than it is tall or wide.
    assert np.ptp(world[:, 1]) < 0.5 * np.ptp(world[:, 0])


def test_left_and_right_bones_mirror_each_other(addon, scene, stick_png):
    run_operator(stick_png)
    bones = _rig(new_collection()).data.bones
    pairs = [(b, bones[b.name[:-2] + ".R"]) for b in bones if b.name.endswith(".L")]
    assert len(pairs) >= 4  # two arms and two legs
    tolerance = 0.03 * scene.pointskel.height
    for left, right in pairs:
        assert left.head_local.x > 0 > right.head_local.x
        for a, b in ((left.head_local, right.head_local), (left.tail_local, right.tail_local)):
            assert (a.x, a.y, a.z) == pytest.approx((-b.x, b.y, b.z), abs=tolerance)
        # Mirrored rolls: the Z axes are mirror images (what X-mirror editing and pose flipping expect).
        z_left, z_right = left.matrix_local.col[2].xyz, right.matrix_local.col[2].xyz
        assert (z_left.x, z_left.y, z_left.z) == pytest.approx((-z_right.x, z_right.y, z_right.z), abs=0.05)


def test_image_mesh_is_closed_textured_and_weighted(addon, scene, stick_png):
    run_operator(stick_png)
    collection = new_collection()
    rig, mesh = _rig(collection), _mesh(collection)
    assert mesh.parent is rig
    modifiers = [m for m in mesh.modifiers if m.type == "ARMATURE"]
    assert len(modifiers) == 1 and modifiers[0].object is rig
    bone_names = {b.name for b in rig.data.bones}
    groups = {g.index: g.name for g in mesh.vertex_groups}
    assert set(groups.values()) <= bone_names
    for vertex in mesh.data.vertices:
        assert any(groups[e.group] in bone_names and e.weight > 0 for e in vertex.groups), vertex.index
    assert scene.pointskel.stats.weighting in ("automatic", "envelope")

    edges: dict[tuple[int, int], int] = {}
    for polygon in mesh.data.polygons:
        ring = list(polygon.vertices)
        for a, b in zip(ring, ring[1:] + ring[:1]):
            edges[min(a, b), max(a, b)] = edges.get((min(a, b), max(a, b)), 0) + 1
    assert set(edges.values()) == {2}  # closed: front and back stitched at the outline
    uvs = np.array([d.uv for d in mesh.data.uv_layers.active.data])
    assert uvs.min() >= -1e-6 and uvs.max() <= 1 + 1e-6
    material = mesh.data.materials[0]
    images = [n.image for n in material.node_tree.nodes if n.type == "TEX_IMAGE"]
    assert images and images[0].filepath.endswith("stick.png")
    shader = material.node_tree.nodes["Principled BSDF"]
    assert not shader.inputs["Alpha"].is_linked  # opaque: the mesh's outline cuts the figure out


def test_existing_objects_untouched_and_second_run_gets_new_names(addon, scene, stick_png):
    bpy.ops.mesh.primitive_cube_add(location=(3, 0, 0))
    cube = bpy.context.active_object
    cube.name = "stick rig"  # a name the add-on would otherwise pick
    before = {o.name: tuple(o.matrix_world.col[3]) for o in bpy.data.objects}
    run_operator(stick_png)
    first = new_collection()
    run_operator(stick_png, height=1.2)
    second = new_collection()
    assert first.name != second.name
    assert not {o.name for o in first.objects} & {o.name for o in second.objects}
    assert not set(before) & {o.name for o in (*first.objects, *second.objects)}
    after = {o.name: tuple(o.matrix_world.col[3]) for o in bpy.data.objects if o.name in before}
    assert after == before and cube.name == "stick rig" and len(cube.data.vertices) == 8
    widgets = len(addon.blender.controls.widget_shapes())  # the IK controls' custom shapes, per build
    assert len(bpy.data.objects) == len(before) + 2 * (4 + widgets)


def test_no_mesh_option_builds_only_clouds_and_rig(addon, scene, stick_png):
    run_operator(stick_png, create_mesh=False)
    collection = new_collection()
    kinds = _objects_by_type(collection)
    assert list(kinds) == ["ARMATURE"] and len(collection.children[0].objects) == 2


def test_helper_clouds_are_hidden_in_renders_off_in_the_viewport_and_move_with_the_rig(addon, scene,
                                                                                       stick_png):
    run_operator(stick_png)
    collection = new_collection()
    rig = _rig(collection)
    (helpers,) = [c for c in collection.children if c.name.endswith(" helpers")]
    assert helpers.hide_render and all(o.hide_render for o in helpers.objects)
    layer = bpy.context.view_layer.layer_collection.children[collection.name].children[helpers.name]
    assert layer.hide_viewport  # off until the artist shows them
    assert all(o.parent is rig for o in helpers.objects)
    before = {o.name: o.matrix_world.translation.copy() for o in helpers.objects}
    rig.location.x += 1.0
    bpy.context.view_layer.update()
    assert all((o.matrix_world.translation - before[o.name]).x == pytest.approx(1.0) for o in helpers.objects)


def test_the_armature_records_how_it_was_made(addon, scene, stick_png):
    run_operator(stick_png, height=1.5)
    rig = _rig(new_collection())
    assert rig["pointskel_source"] == "stick.png"
    assert rig["pointskel_body_plan"] == "biped"
    assert rig["pointskel_view"].startswith("front")
    settings = json.loads(rig["pointskel_settings"])
    assert settings["build"]["height"] == pytest.approx(1.5)
    assert settings["pipeline"]["points"] == FAST["points"]
    assert rig["pointskel_version"] == importlib.import_module(addon.package).__version__


@pytest.fixture
def bad_images(tmp_path):
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("this is not a PNG")
    empty = save_png(tmp_path / "blank.png", figures.rgba_on_background(np.zeros((64, 64), bool)))
    return {"missing": tmp_path / "nope.png", "not an image": not_an_image, "all background": empty}


@pytest.mark.parametrize("kind", ["missing", "not an image", "all background"])
def test_bad_image_reports_an_error_and_adds_nothing(addon, scene, bad_images, kind):
    bpy.ops.mesh.primitive_cube_add()
    before = datablock_counts()
    with pytest.raises(RuntimeError) as error:
        run_operator(bad_images[kind])
    message = str(error.value)
    print(message)
    assert "\n" not in message.strip() and bad_images[kind].name in message
    assert datablock_counts() == before


def test_failed_build_leaves_nothing_behind(addon, scene, stick_png, tmp_path):
    """A build that fails half-way (here: its texture file vanished) removes all it had made."""
    result = addon.core.pipeline.run_pipeline(stick_png, addon.core.pipeline.PipelineSettings(**FAST))
    bpy.ops.mesh.primitive_cube_add()
    before, selected = datablock_counts(), [o.name for o in bpy.context.selected_objects]
    with pytest.raises(addon.core.errors.PointSkelError, match="gone.png"):
        build = addon.blender.scene_build
        build.build_rig(bpy.context, result, "stick", build.BuildOptions(), texture=tmp_path / "gone.png")
    assert datablock_counts() == before
    assert [o.name for o in bpy.context.selected_objects] == selected
    assert bpy.context.view_layer.objects.active.name == selected[0]


def test_redo_with_new_height_reuses_the_inference(addon, scene, stick_png):
    cache = addon.blender.jobs.CACHE
    run_operator(stick_png, size_mode="height", height=1.0)
    assert (cache.hits, cache.misses) == (0, 1)
    first = _rig(new_collection())
    run_operator(stick_png, size_mode="height", height=2.0)  # what the redo panel does: execute again
    assert (cache.hits, cache.misses) == (1, 1)
    assert scene.pointskel.stats.cached
    second = _rig(new_collection())
    assert [b.name for b in second.data.bones] == [b.name for b in first.data.bones]
    for a, b in zip(first.data.bones, second.data.bones):
        assert (b.head_local - 2.0 * a.head_local).length < 1e-4
    run_operator(stick_png, size_mode="height", height=2.0, points=2048)  # a pipeline setting: inference
    assert (cache.hits, cache.misses) == (1, 2)


def test_image_in_the_blend_file_and_reference_empty(addon, scene, stick_png):
    image = bpy.data.images.load(str(stick_png))
    scene.pointskel.source, scene.pointskel.image = "IMAGE", image
    bpy.ops.pointskel.image_to_skeleton(**FAST)
    from_image = _rig(new_collection())
    core = run_pipeline(stick_png, PipelineSettings(**FAST)).skeleton
    assert sorted(b.name for b in deform_bones(from_image)) == _bone_names(core)

    bpy.ops.pointskel.load_reference(filepath=str(stick_png))
    empty = bpy.context.active_object
    assert empty.type == "EMPTY" and empty.empty_display_type == "IMAGE" and empty.data == image
    assert scene.pointskel.source == "EMPTY"
    assert empty.rotation_euler.x == pytest.approx(math.pi / 2)
    images_before = len(bpy.data.images)
    bpy.ops.pointskel.image_to_skeleton(**FAST)
    assert addon.blender.jobs.CACHE.hits == 1  # same pixels as the image source
    assert len(bpy.data.images) == images_before  # the empty's image textures the mesh, no copy
    assert sorted(b.name for b in deform_bones(_rig(new_collection()))) == _bone_names(core)


def test_stats_for_the_panel(addon, scene, stick_png):
    run_operator(stick_png)
    stats = scene.pointskel.stats
    assert stats.has_run and stats.collection == "stick" and not stats.cached
    assert stats.lifted_points == FAST["points"]
    assert stats.bones == len(deform_bones(_rig(new_collection()))) < stats.joints  # tips make no bone
    assert stats.mesh_vertices == len(_mesh(new_collection()).data.vertices)
    stages = {s.name: s.seconds for s in stats.stages}
    assert {"mask", "lift", "contract", "topology", "skeleton", "build"} <= set(stages)
    assert all(seconds >= 0 for seconds in stages.values()) and stages["build"] > 0


def test_object_mode_required(addon, scene, stick_png):
    bpy.ops.mesh.primitive_cube_add()
    bpy.ops.object.mode_set(mode="EDIT")
    assert not bpy.ops.pointskel.image_to_skeleton.poll()
    bpy.ops.object.mode_set(mode="OBJECT")
    assert bpy.ops.pointskel.image_to_skeleton.poll()


def test_settings_not_passed_come_from_the_sidebar(addon, scene, stick_png):
    scene.pointskel.points, scene.pointskel.work_size, scene.pointskel.mask_backend = 1024, 256, "threshold"
    scene.pointskel.source, scene.pointskel.filepath = "FILE", str(stick_png)
    bpy.ops.pointskel.image_to_skeleton(points=2048)
    assert scene.pointskel.stats.lifted_points == 2048
    bpy.ops.pointskel.image_to_skeleton()
    assert scene.pointskel.stats.lifted_points == 1024


def test_bone_length_from_the_sidebar_changes_the_rig(addon, scene, tmp_path):
    # A bar is no character: its bones are the medial tree's, split at the bone length (a figure's
    # limbs are cut into their anatomical bones whatever the length).
    bar_png = save_png(tmp_path / "bar.png", figures.rgba_on_background(figures.bar(256, vertical=True).mask))
    assert scene.pointskel.auto_bone_length  # the model chooses by default ...
    scene.pointskel.auto_bone_length = False  # ... the artist's value rules when it is off
    bones = {}
    for length in (0.0, 0.06):
        scene.pointskel.bone_length = length
        run_operator(bar_png, create_mesh=False)
        bones[length] = len(_rig(new_collection()).data.bones)
    assert bones[0.0] < bones[0.06]
    settings = addon.blender.properties.pipeline_settings(scene.pointskel)
    assert (settings.auto_bone_length, settings.bone_length) == (False, 0.06)
    scene.pointskel.auto_bone_length = True
    assert addon.blender.properties.pipeline_settings(scene.pointskel).auto_bone_length


def test_contracted_cloud_carries_joint_scores_when_the_predictor_gives_them(addon, scene, stick_png):
    """A learned model's per-point joint scores become a `joint_score` attribute to inspect."""
    import dataclasses

    result = run_pipeline(stick_png, PipelineSettings(**FAST, predictor="geometric"))
    build = addon.blender.scene_build
    built = build.build_rig(bpy.context, result, "plain", build.BuildOptions())
    assert "joint_score" not in built.contracted.data.attributes  # the geometric predictor has none
    scores = np.linspace(0.0, 1.0, len(result.contraction.points), dtype=np.float32)
    scored = dataclasses.replace(
        result, contraction=dataclasses.replace(result.contraction, joint_scores=scores)
    )
    built = build.build_rig(bpy.context, scored, "scored", build.BuildOptions())
    attribute = built.contracted.data.attributes["joint_score"]
    assert attribute.domain == "POINT" and attribute.data_type == "FLOAT"
    values = np.empty(len(attribute.data), dtype=np.float32)
    attribute.data.foreach_get("value", values)
    np.testing.assert_allclose(values, scores)
