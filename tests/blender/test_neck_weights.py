"""A neck turns the head and leaves the shoulders; a head turns all of the head. Front views of a chunky
person (a turnaround's heavy A-pose) and a plush bear whose head sits on its chest.

The neck's first joint is the chest's top, as wide as the shoulders. The vertices' body parts once let
the neck's seeds inside the chest pass the neck's label on along the chest's own shortest paths: the
neck owned the tops of both shoulders and the lower half of the head, so a turned neck dragged the
shoulders up and a turned head cut the face across its middle (the bear's "cone"). Real bpy, the
sidebar's default settings."""
from __future__ import annotations

import math

import bpy
import numpy as np
import pytest
from blender_helpers import built_from_drawing, posed
from mathutils import Matrix

import anatomy_figures as af

FIGURES = {"heavy": lambda: next(c for c in af.turnarounds() if c.name == "heavy_apose_front"),
           "plush_bear": af.plush_bear}


def _turn(rig, name: str, axis: str, degrees: float) -> np.ndarray:
    """(4, 4) the world turn of bone `name` about `axis` through its head, applied to its pose."""
    world, rest = rig.matrix_world, rig.data.bones[name].matrix_local
    pivot = world @ rest.translation
    turn = (Matrix.Translation(pivot) @ Matrix.Rotation(math.radians(degrees), 4, axis)
            @ Matrix.Translation(-pivot))
    rig.pose.bones[name].matrix = world.inverted() @ turn @ world @ rest
    return np.array(turn)


@pytest.fixture(scope="module", params=sorted(FIGURES))
def front_figure(request, addon, tmp_path_factory):
    bpy.ops.wm.read_homefile(use_empty=True)
    built, skeleton = built_from_drawing(addon, tmp_path_factory.mktemp("neck"), FIGURES[request.param]())
    assert skeleton.anatomy.view == "front"
    rig, mesh = built.armature, built.mesh
    for pose in rig.pose.bones:  # FK, as an animator turns a neck by hand
        if "ik" in pose:
            pose["ik"] = 0.0
    return rig, mesh


def test_turning_the_neck_leaves_the_shoulders_still(front_figure):
    rig, mesh = front_figure
    rest = posed(mesh)
    height = float(np.ptp(rest[:, 2]))
    world = rig.matrix_world
    chin = (world @ rig.data.bones["head"].head_local).z
    chest = (world @ rig.data.bones["neck"].head_local).z
    # the shoulders: beside the neck (a fifth of the height off the centre line), below the chin
    shoulders = (np.abs(rest[:, 0] - world.translation.x) > 0.1 * height) & (rest[:, 2] < chin)
    assert shoulders.any() and (rest[shoulders, 2] > chest).any()
    for axis in ("X", "Y"):
        _turn(rig, "neck", axis, 30.0)
        moved = np.linalg.norm(posed(mesh)[shoulders] - rest[shoulders], axis=1)
        rig.pose.bones["neck"].matrix_basis = Matrix.Identity(4)
        assert moved.max() < 0.01 * height, (axis, moved.max() / height)


def test_turning_the_head_turns_all_of_the_head(front_figure):
    rig, mesh = front_figure
    rest = posed(mesh)
    world = rig.matrix_world
    head = rig.data.bones["head"]
    chin, crown = (world @ head.head_local).z, (world @ head.tail_local).z
    # the head's lower half, by its centre line (the ears, which hang from the head, are off it)
    face = ((rest[:, 2] > chin + 0.1 * (crown - chin)) & (rest[:, 2] < chin + 0.5 * (crown - chin))
            & (np.abs(rest[:, 0] - world.translation.x) < 0.4 * (crown - chin)))
    assert face.sum() > 10
    for axis in ("X", "Y"):
        turn = _turn(rig, "head", axis, 30.0)
        now = posed(mesh)[face]
        rig.pose.bones["head"].matrix_basis = Matrix.Identity(4)
        rigid = rest[face] @ turn[:3, :3].T + turn[:3, 3]
        lag = np.linalg.norm(now - rigid, axis=1) / np.linalg.norm(rigid - rest[face], axis=1)
        worst = float(np.percentile(lag, 90))
        assert worst < 1 / 3, (axis, worst)  # where the head takes it, but by the feathered seam
