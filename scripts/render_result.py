#!/usr/bin/env python3
"""Render docs/images/blender_result.png: the add-on's result on the bundled sample, headless.

    .venv/bin/python scripts/render_result.py [OUT.png]

Runs `pointskel.image_to_skeleton` on the sample with default settings (the add-on enabled from
the source tree, as scripts/batch.py does), then renders three Workbench views side by side: the
rig over the image mesh (front, X-ray), the mesh posed through its automatic weights (3/4 view),
and the lifted (blue) and contracted (orange) point clouds with the bones. Armatures do not
render, so each bone gets an octahedron like Blender's bone display, parented to it.
"""
from __future__ import annotations

import importlib.util
import math
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "pointskel_blender" / "samples" / "sample_character.png"
OUT = ROOT / "docs" / "images" / "blender_result.png"
PANEL = (560, 720)
BONE_COLOUR = (0.15, 0.8, 0.35, 1.0)


def _launcher():
    spec = importlib.util.spec_from_file_location("pointskel_batch_launcher", ROOT / "scripts" / "batch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bone_proxies(bpy, rig) -> list:
    """One octahedron per bone (head, four waist points at 20% of its length, tail), riding the bone."""
    material = bpy.data.materials.new("bone proxy")
    material.diffuse_color = BONE_COLOUR
    proxies = []
    for bone in rig.data.bones:
        length = bone.length
        w = 0.1 * length
        verts = [(0, 0, 0), (w, 0.2 * length, w), (w, 0.2 * length, -w), (-w, 0.2 * length, -w),
                 (-w, 0.2 * length, w), (0, length, 0)]
        faces = [(0, 1, 2), (0, 2, 3), (0, 3, 4), (0, 4, 1), (5, 2, 1), (5, 3, 2), (5, 4, 3), (5, 1, 4)]
        mesh = bpy.data.meshes.new(f"proxy {bone.name}")
        mesh.from_pydata(verts, [], faces)
        mesh.materials.append(material)
        obj = bpy.data.objects.new(mesh.name, mesh)
        bpy.context.scene.collection.objects.link(obj)
        obj.parent, obj.parent_type, obj.parent_bone = rig, "BONE", bone.name
        proxies.append(obj)
    bpy.context.view_layer.update()
    for obj in proxies:  # a bone-parented child starts at the bone's tail: put it on the bone itself
        obj.matrix_world = rig.matrix_world @ rig.data.bones[obj.parent_bone].matrix_local
    return proxies


def _camera(bpy, name: str, location, target, ortho_scale: float | None):
    from mathutils import Vector

    camera = bpy.data.objects.new(name, bpy.data.cameras.new(name))
    bpy.context.scene.collection.objects.link(camera)
    camera.location = location
    camera.rotation_euler = (Vector(target) - Vector(location)).to_track_quat("-Z", "Y").to_euler()
    if ortho_scale is not None:
        camera.data.type, camera.data.ortho_scale = "ORTHO", ortho_scale
    else:
        camera.data.lens = 50
    return camera


def _render(bpy, camera, path: Path, *, xray: bool, colour: str, hidden: list) -> None:
    scene = bpy.context.scene
    for obj in scene.objects:
        obj.hide_render = obj in hidden
    scene.camera = camera
    shading = scene.display.shading
    shading.show_xray, shading.xray_alpha = xray, 0.6
    shading.color_type = colour
    scene.render.filepath = str(path)
    bpy.ops.render.render(write_still=True)


def main(out: Path) -> None:
    import bpy

    from PIL import Image

    with _launcher().source_addon():
        bpy.ops.wm.read_homefile(use_empty=True)
        bpy.ops.pointskel.image_to_skeleton(source="FILE", filepath=str(SAMPLE))
        collection = bpy.context.scene.collection.children[0]
        rig = next(o for o in collection.objects if o.type == "ARMATURE")
        mesh = next(o for o in collection.objects if o.type == "MESH" and o.parent is rig)
        clouds = [o for o in collection.objects if o.type == "MESH" and o.parent is None]
        proxies = _bone_proxies(bpy, rig)
        height = bpy.context.scene.pointskel.height

        scene = bpy.context.scene
        scene.render.engine = "BLENDER_WORKBENCH"
        scene.render.resolution_x, scene.render.resolution_y = PANEL
        scene.world = bpy.data.worlds.new("backdrop")
        scene.world.color = (0.92, 0.92, 0.92)
        scene.display.shading.light = "STUDIO"
        scene.display.shading.show_object_outline = False
        centre = (0.0, 0.0, height / 2)
        front = _camera(bpy, "front", (0.0, -10.0, height / 2), centre, ortho_scale=1.15 * height)
        three_quarter = _camera(bpy, "3/4", (1.0 * height, -1.45 * height, 0.75 * height), centre, None)

        with tempfile.TemporaryDirectory() as tmp:
            panels = [Path(tmp) / f"{k}.png" for k in range(3)]
            _render(bpy, front, panels[0], xray=True, colour="TEXTURE", hidden=clouds)
            for bone, angle in (("arm_1.L", 40), ("arm_1.R", 40), ("arm_2.L", 30), ("head", 15),
                                ("limb_1", -30)):
                if bone in rig.pose.bones:
                    pose_bone = rig.pose.bones[bone]
                    pose_bone.rotation_mode = "XYZ"
                    pose_bone.rotation_euler = (0.0, 0.0, math.radians(angle))
            bpy.context.view_layer.update()
            _render(bpy, three_quarter, panels[1], xray=False, colour="TEXTURE", hidden=[*clouds, *proxies])
            for pose_bone in rig.pose.bones:
                pose_bone.rotation_euler = (0.0, 0.0, 0.0)
            bpy.context.view_layer.update()
            _render(bpy, three_quarter, panels[2], xray=False, colour="MATERIAL", hidden=[mesh])
            images = [Image.open(p).convert("RGB") for p in panels]
            sheet = Image.new("RGB", (PANEL[0] * 3, PANEL[1]), "white")
            for k, image in enumerate(images):
                sheet.paste(image, (k * PANEL[0], 0))
            out.parent.mkdir(parents=True, exist_ok=True)
            sheet.quantize(colors=256, dither=Image.Dither.NONE).save(out, optimize=True)  # < 500 KB
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
