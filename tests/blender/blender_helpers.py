"""Helpers shared by the Blender tests (kept out of conftest.py so tests can import them)."""
from __future__ import annotations

from pathlib import Path

import bpy
import numpy as np
from PIL import Image

# Small runs on a plain background: these tests check structure, not quality.
FAST = {"points": 1024, "work_size": 256, "mask_backend": "threshold"}
DATA_KINDS = ("objects", "collections", "meshes", "armatures", "images", "materials", "node_groups")


def save_png(path: Path, rgba: np.ndarray) -> Path:
    Image.fromarray(rgba).save(path)
    return path


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
