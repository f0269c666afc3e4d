"""A side view's near and far legs overlap in the one flat image mesh: each leg moves what shows of it.

Measured in real Blender on a drawn dog whose front legs overlap (overlap_figure.py, drawn leg by leg,
so the test knows which pixels show which leg; a mesh vertex's pixel is read from its UV). Where the
legs overlap the picture shows the near leg, so those pixels are the near leg's; the far leg keeps what
shows of it apart from the near one. Above the point where the legs part, the silhouette is one shape
with one medial line for both legs: the thin strip of the far leg there cannot be told from the near
leg and goes with it, so the far leg's visible part is counted from where the outlines part (plus one
leg's width, where its skin blends into the fork).
"""
from __future__ import annotations

from pathlib import Path

import bpy
import numpy as np
import pytest
from blender_helpers import posed, save_png, turn_bone
from overlap_figure import overlap_dog

import anatomy_figures as af

DOG = overlap_dog()
LEG_WIDTH = 16  # pixels, the drawn front legs' width (0.05 of the 320-pixel canvas)


@pytest.fixture(scope="module")
def dog_png(tmp_path_factory) -> Path:
    return save_png(tmp_path_factory.mktemp("overlap") / "overlap_dog.png", af.rgba(DOG.mask))


@pytest.fixture
def rig(addon, scene, dog_png):
    core = addon.core
    result = core.pipeline.run_pipeline(dog_png, core.pipeline.PipelineSettings(predictor="geometric"))
    anatomy = result.skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("quadruped", "side", "left")
    build = addon.blender.scene_build
    built = build.build_rig(bpy.context, result, "dog", build.BuildOptions(), texture=dog_png)
    for pose_bone in built.armature.pose.bones:  # FK, as an animator turning a leg by hand
        if "ik" in pose_bone:
            pose_bone["ik"] = 0.0
    built.armature.update_tag()
    return built


def _pixels(mesh) -> tuple[np.ndarray, np.ndarray]:
    """Each vertex's image pixel (column, row), from its UV (0, 0 at the image's bottom left)."""
    uv = np.zeros((len(mesh.data.vertices), 2))
    layer = mesh.data.uv_layers["UVMap"].data
    for loop in mesh.data.loops:
        uv[loop.vertex_index] = layer[loop.index].uv
    h, w = DOG.mask.shape
    return (np.clip((uv[:, 0] * w).astype(int), 0, w - 1),
            np.clip(((1.0 - uv[:, 1]) * h).astype(int), 0, h - 1))


def _below_the_body() -> np.ndarray:
    """Rows under the body's outline (the legs' own pixels; the shoulder blends into the chest)."""
    rows = np.arange(DOG.mask.shape[0])[:, None]
    body_bottom = 0.54 * DOG.mask.shape[0]
    return np.broadcast_to(rows > body_bottom + LEG_WIDTH / 2, DOG.mask.shape)


def test_turning_the_near_front_leg_leaves_the_far_front_leg_s_visible_part(rig):
    near, far = DOG.legs["front_near"], DOG.legs["front_far"]
    parting = np.flatnonzero((near & far).any(axis=1)).max()  # the last row where the outlines overlap
    apart = np.arange(DOG.mask.shape[0])[:, None] > parting + LEG_WIDTH
    columns, rows = _pixels(rig.mesh)
    far_shows = (far & ~near & apart)[rows, columns]
    near_paw = (near & (np.arange(DOG.mask.shape[0])[:, None] > 0.8 * DOG.mask.shape[0]))[rows, columns]
    rest = posed(rig.mesh)
    height = np.ptp(rest[:, 2])
    turn_bone(rig.armature, "front_thigh.L", 45.0)  # the near leg (facing left: its left side shows)
    moved = np.linalg.norm(posed(rig.mesh) - rest, axis=1)
    assert far_shows.sum() > 100 and moved[far_shows].max() < 0.01 * height
    assert near_paw.sum() > 10 and moved[near_paw].min() > 0.1 * height


def test_turning_the_far_front_leg_leaves_all_that_shows_of_the_near_one(rig):
    """Before, the overlap went to whichever leg's medial line was nearer, often the far one's, and the
    far leg tore pixels out of the near leg in front of it (up to 16 % of the height)."""
    near, far = DOG.legs["front_near"], DOG.legs["front_far"]
    columns, rows = _pixels(rig.mesh)
    near_shows = (near & _below_the_body())[rows, columns]  # the overlap included
    overlap = (near & far & _below_the_body())[rows, columns]
    far_paw = (far & ~near & (np.arange(DOG.mask.shape[0])[:, None] > 0.8 * DOG.mask.shape[0]))[rows, columns]
    rest = posed(rig.mesh)
    height = np.ptp(rest[:, 2])
    turn_bone(rig.armature, "front_thigh.R", 45.0)
    moved = np.linalg.norm(posed(rig.mesh) - rest, axis=1)
    assert overlap.sum() > 20 and near_shows.sum() > 300
    assert moved[near_shows].max() < 0.01 * height
    assert far_paw.sum() > 10 and moved[far_paw].min() > 0.1 * height
