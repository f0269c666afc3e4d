#!/usr/bin/env python3
"""Render docs/images/blender_result.png: the add-on's rigs, at rest and posed through their controls.

    .venv/bin/python scripts/render_result.py [OUT.png] [IMAGE ...]

Runs `pointskel.image_to_skeleton` with default settings (IK controls; the add-on enabled from the
source tree, as scripts/batch.py does) on the IMAGEs, by default on two figures it was not tuned on:
the bundled fox (a front view) and scikit-image's horse silhouette (a side view, facing right, turned
to face -Y). For each, one row of two Workbench panels: the deform bones over the image mesh at rest
(X-ray), and the mesh posed only through the rig's controls (an IK hand or hoof target moved, the head
and tail turned).
Armatures do not render, so each deform bone gets an octahedron like Blender's bone display.
"""
from __future__ import annotations

import importlib.util
import math
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "pointskel_blender" / "samples" / "sample_character.png"
OUT = ROOT / "docs" / "images" / "blender_result.png"
PANEL = (640, 560)
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
    for bone in (b for b in rig.data.bones if b.use_deform):
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


def _render(bpy, camera, path: Path, *, xray: bool, colour: str, shown: list) -> None:
    scene = bpy.context.scene
    for obj in scene.objects:
        obj.hide_render = obj not in shown
    scene.camera = camera
    shading = scene.display.shading
    shading.show_xray, shading.xray_alpha = xray, 0.6
    shading.color_type = colour
    scene.render.filepath = str(path)
    bpy.ops.render.render(write_still=True)


def _horse_png(folder: Path) -> Path:
    """scikit-image's horse silhouette (black on white) as a plain image, the way a user would bring it."""
    import numpy as np
    from PIL import Image
    from skimage import data

    figure = ~data.horse()  # True on the horse
    rgb = np.where(figure[..., None], np.array([120, 82, 50], np.uint8), np.uint8(255))
    path = folder / "horse.png"
    Image.fromarray(rgb.astype(np.uint8)).save(path)
    return path


def _targets(rig) -> list:
    """The IK targets (pose bones carrying the IK/FK switch), left side first, then front to back (a
    quadruped seen from the front shows its front feet; its hind feet stand a body's length behind)."""
    return sorted((b for b in rig.pose.bones if "ik" in b),
                  key=lambda b: (not b.name.endswith(".L"), round(b.bone.head_local.y, 1), b.name))


def _pose(rig, moves: dict[str, tuple[float, float, float]], turns: dict[str, tuple[str, float]]) -> None:
    """Move IK targets by world offsets (metres) and turn FK bones about their local axes (degrees)."""
    from mathutils import Matrix, Vector

    for name, offset in moves.items():
        bone = rig.pose.bones[name]
        bone.matrix = Matrix.Translation(Vector(offset)) @ bone.matrix
        bpy_update(rig)
    for name, (axis, degrees) in turns.items():
        if name in rig.pose.bones:
            bone = rig.pose.bones[name]
            bone.rotation_mode = "XYZ"
            setattr(bone.rotation_euler, axis.lower(), math.radians(degrees))
    bpy_update(rig)


def bpy_update(rig) -> None:
    import bpy

    bpy.context.view_layer.update()


def _build(bpy, image: Path):
    before = set(bpy.context.scene.collection.children)
    bpy.ops.pointskel.image_to_skeleton(source="FILE", filepath=str(image))
    (collection,) = set(bpy.context.scene.collection.children) - before
    rig = next(o for o in collection.objects if o.type == "ARMATURE")
    mesh = next(o for o in collection.objects
                if o.type == "MESH" and any(m.type == "ARMATURE" for m in o.modifiers))
    return rig, mesh


def _size(mesh) -> tuple[float, float, float]:
    import numpy as np

    co = np.array([mesh.matrix_world @ v.co for v in mesh.data.vertices])
    return tuple(float(v) for v in np.ptp(co, axis=0))


def main(out: Path, images: list[Path]) -> None:
    import bpy
    from PIL import Image

    with _launcher().source_addon(), tempfile.TemporaryDirectory() as tmp:
        bpy.ops.wm.read_homefile(use_empty=True)
        scene = bpy.context.scene
        scene.render.engine = "BLENDER_WORKBENCH"
        scene.render.resolution_x, scene.render.resolution_y = PANEL
        scene.world = bpy.data.worlds.new("backdrop")
        scene.world.color = (0.92, 0.92, 0.92)
        scene.display.shading.light = "STUDIO"
        scene.display.shading.show_object_outline = False

        panels = []
        for row, image in enumerate(images or (SAMPLE, _horse_png(Path(tmp)))):
            rig, mesh = _build(bpy, image)
            side = str(rig.get("pointskel_view", "")).startswith("side")
            rig.location.x = 100.0 * row  # each figure alone in its cameras' view
            bpy_update(rig)
            proxies = _bone_proxies(bpy, rig)
            width, depth, height = _size(mesh)
            reach = max(width, depth, height)
            centre = (rig.location.x, 0.0, height / 2)
            if not side:  # a front view: look from the front
                rest = _camera(bpy, f"rest {row}", (centre[0], -10.0, height / 2), centre, 1.15 * reach)
            else:  # a side view, turned to face -Y: look at its side
                rest = _camera(bpy, f"rest {row}", (centre[0] + 10.0, 0.0, height / 2), centre, 1.15 * reach)
            if not side:
                posed = _camera(bpy, f"posed {row}", (centre[0] + 1.1 * reach, -1.5 * reach, 0.8 * reach),
                                centre, None)
            else:  # a flat side-view cut-out reads best from its side, slightly from the front
                posed = _camera(bpy, f"posed {row}", (centre[0] + 2.2 * reach, -0.6 * reach, 0.7 * reach),
                                centre, None)
            panels.append(Path(tmp) / f"{row}-rest.png")
            _render(bpy, rest, panels[-1], xray=True, colour="TEXTURE", shown=[mesh, *proxies])
            targets = _targets(rig)
            lift = 0.35 * height
            moves = {targets[0].name: (0.1 * reach, -0.1 * reach, lift)} if targets else {}
            if side and len(targets) > 1:  # a side view (the horse): a hoof forward and up, a hind hoof back
                moves = {targets[0].name: (0.0, -0.2 * reach, 0.25 * height),
                         targets[-1].name: (0.0, 0.15 * reach, 0.05 * height)}
            _pose(rig, moves, {"head": ("X", -20.0), "neck": ("X", 10.0), "tail": ("Z", 25.0),
                               "spine.003": ("Y", 8.0)})
            panels.append(Path(tmp) / f"{row}-posed.png")
            _render(bpy, posed, panels[-1], xray=False, colour="TEXTURE", shown=[mesh])
        renders = [Image.open(p).convert("RGB") for p in panels]
        sheet = Image.new("RGB", (PANEL[0] * 2, PANEL[1] * (len(renders) // 2)), "white")
        for k, image in enumerate(renders):
            sheet.paste(image, ((k % 2) * PANEL[0], (k // 2) * PANEL[1]))
        out.parent.mkdir(parents=True, exist_ok=True)
        sheet.quantize(colors=256, dither=Image.Dither.NONE).save(out, optimize=True)  # < 1 MB
    print(f"wrote {out}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=OUT, help=f"the PNG to write (default: {OUT})")
    parser.add_argument("images", nargs="*", type=Path, help="images to rig (default: the fox and the horse)")
    args = parser.parse_args()
    main(args.out, args.images)
