"""Helpers shared by the Blender tests (kept out of conftest.py so tests can import them)."""
from __future__ import annotations

import math
from pathlib import Path

import bpy
import numpy as np
from mathutils import Matrix
from metarig_skeletons import armature_from_skeleton, metarig_skeleton, weighted_mesh
from PIL import Image

# Small runs on a plain background: these tests check structure, not quality.
FAST = {"points": 1024, "work_size": 256, "mask_backend": "threshold"}
DATA_KINDS = ("objects", "collections", "meshes", "armatures", "images", "materials", "node_groups")


def save_png(path: Path, rgba: np.ndarray) -> Path:
    Image.fromarray(rgba).save(path)
    return path


def built_from_drawing(addon, folder: Path, picture, **settings):
    """(BuiltRig, Skeleton): a drawn figure (an `anatomy_figures.Character`, saved as a transparent
    PNG, or a `photo_figures.Picture` on paper) rigged as the sidebar does, with its defaults but
    `settings`, built in this process."""
    if hasattr(picture, "save"):
        path = picture.save(folder)
    else:
        from anatomy_figures import rgba
        path = save_png(folder / f"{picture.name}.png", rgba(picture.mask))
    core, build = addon.core, addon.blender.scene_build
    result = core.pipeline.run_pipeline(path, core.pipeline.PipelineSettings(**settings))
    built = build.build_rig(bpy.context, result, picture.name, build.BuildOptions(), texture=path)
    return built, result.skeleton


def datablock_counts() -> dict[str, int]:
    return {kind: len(getattr(bpy.data, kind)) for kind in DATA_KINDS}


def run_operator(path: Path, **settings) -> None:
    """The operator as a script calls it (execute, synchronous), on a file."""
    bpy.ops.pointskel.image_to_skeleton(source="FILE", filepath=str(path), **{**FAST, **settings})


def deform_bones(armature: bpy.types.Object) -> list[bpy.types.Bone]:
    """The bones that move the mesh (the skeleton's), without the controls added for animators."""
    return [b for b in armature.data.bones if b.use_deform]


def new_collection() -> bpy.types.Collection:
    """The collection the last run linked into the scene."""
    return bpy.context.scene.collection.children[-1]


class Created:
    """Collects what a build makes, as scene_build's tracker does."""

    def __init__(self) -> None:
        self.ids = []

    def add(self, datablock):
        self.ids.append(datablock)
        return datablock


def rigged(addon, kind: str, controls: str = "ik", generate: bool = True):
    """A metarig's labelled skeleton (metarig_skeletons.py) as an armature with a weighted mesh and the
    chosen controls."""
    skeleton = metarig_skeleton(kind)
    armature = armature_from_skeleton(skeleton)
    mesh = weighted_mesh(armature)
    warnings = addon.blender.controls.add_controls(bpy.context, armature, mesh, skeleton, controls,
                                                   rigify_generate=generate, created=Created())
    bpy.context.view_layer.update()
    return armature, mesh, warnings


def posed(mesh) -> np.ndarray:
    """(V, 3) the mesh's vertices as the armature deforms them now, in world space."""
    bpy.context.view_layer.update()
    evaluated = mesh.evaluated_get(bpy.context.evaluated_depsgraph_get())
    matrix = np.array(evaluated.matrix_world)
    co = np.array([v.co for v in evaluated.data.vertices])
    return co @ matrix[:3, :3].T + matrix[:3, 3]


def turn_bone(rig, name: str, degrees: float) -> None:
    """Turn bone `name` about the world X axis through its head (a leg swinging forward or back), as an
    animator turns it by hand in pose mode."""
    world, rest = rig.matrix_world, rig.data.bones[name].matrix_local
    pivot = world @ rest.translation
    turn = Matrix.Rotation(math.radians(degrees), 4, "X")
    turn = Matrix.Translation(pivot) @ turn @ Matrix.Translation(-pivot)
    rig.pose.bones[name].matrix = world.inverted() @ turn @ world @ rest
