"""A quadruped seen from the front holds its head in front of its body: turning the head turns the face
with it and leaves the body's edge still. The spine runs away from the viewer, a point in the picture as
wide as the body; less that thickness it was nearer every pixel of the face than the head's own bone, so
the face was the body's and a turned head moved only the ears (or, before that, tore a strip off the
chest). Real bpy, the sidebar's default settings."""
from __future__ import annotations

import math

import numpy as np
import pytest
from blender_helpers import built_from_drawing, posed
from mathutils import Matrix

import anatomy_figures as af


def _front_head_rig(addon, tmp_path, figure):
    """The figure's rig (a quadruped read from the front), in FK as an animator turns a head by hand:
    the armature, the mesh, its rest positions, the rig's world matrix and the head bone."""
    built, skeleton = built_from_drawing(addon, tmp_path, figure)
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("quadruped", "front")
    rig, mesh = built.armature, built.mesh
    for pose in rig.pose.bones:
        if "ik" in pose:
            pose["ik"] = 0.0
    return rig, mesh, posed(mesh), rig.matrix_world, rig.data.bones["head"]


def _turned(rig, mesh, world, head, pivot, axis: str) -> tuple[np.ndarray, np.ndarray]:
    """The mesh with the head turned 30 degrees about `axis` through `pivot` (then back at rest), and
    that turn's 4x4 matrix."""
    turn = Matrix.Translation(pivot) @ Matrix.Rotation(math.radians(30), 4, axis) @ Matrix.Translation(-pivot)
    rig.pose.bones["head"].matrix = world.inverted() @ turn @ world @ head.matrix_local
    now = posed(mesh)
    rig.pose.bones["head"].matrix_basis = Matrix.Identity(4)
    return now, np.array(turn)


def test_a_front_quadrupeds_head_turns_its_face_and_not_its_body(addon, scene, tmp_path):
    rig, mesh, rest, world, head = _front_head_rig(addon, tmp_path, af.bear_front())
    start, end = np.array(world @ head.head_local), np.array(world @ head.tail_local)
    middle = (start + end) / 2
    reach = float(np.linalg.norm(end - start))
    across = np.hypot(rest[:, 0] - middle[0], rest[:, 2] - middle[2])  # in the picture (X, Z)
    face = (across < 0.25 * reach) & (rest[:, 1] < np.median(rest[:, 1]))  # its front, round the bone
    width = float(np.ptp(rest[:, 0]))
    body = ((np.abs(rest[:, 0] - world.translation.x) > 0.4 * width)  # the body's sides beside the head,
            & (rest[:, 2] < start[2]))  # below the ears
    assert face.sum() > 10 and body.sum() > 10
    pivot = world @ head.head_local
    for axis in ("X", "Z"):
        now, matrix = _turned(rig, mesh, world, head, pivot, axis)
        rigid = rest[face] @ matrix[:3, :3].T + matrix[:3, 3]
        lag = np.linalg.norm(now[face] - rigid, axis=1) / np.linalg.norm(rigid - rest[face], axis=1)
        assert np.median(lag) < 0.25, (axis, np.median(lag))  # the face goes where the head takes it
        moved = np.linalg.norm(now[body] - rest[body], axis=1)
        assert moved.max() < 0.01 * float(np.ptp(rest[:, 2])), (axis, moved.max())


FRONT_EARED = af.both_facings(af.bear_front(), af.pig_front())


@pytest.mark.parametrize("name", sorted(FRONT_EARED))
def test_a_front_quadrupeds_head_carries_the_crown_between_its_ears(addon, scene, tmp_path, name):
    """The head seen end-on is a point in the picture: its own thickness was the face's middle, the crown
    between the ears stayed on the neck and the face's sides on the chest, so a turned head sheared the
    face and tore the ears off at their roots. The head's mesh reaches out to its ears' sockets: the
    crown between them and the face round the head's base turn with the head."""
    rig, mesh, rest, world, head = _front_head_rig(addon, tmp_path, FRONT_EARED[name])
    base = np.array(world @ head.head_local)
    sockets = [np.array(world @ b.head_local) for b in rig.data.bones
               if b.parent is not None and b.parent.name == "head" and b.name.startswith("ear")]
    assert len(sockets) == 2
    spread = float(np.linalg.norm(sockets[0][[0, 2]] - sockets[1][[0, 2]]))
    crown = (sockets[0] + sockets[1]) / 2
    front = rest[:, 1] < np.median(rest[:, 1])
    near_crown = front & (np.hypot(rest[:, 0] - crown[0], rest[:, 2] - crown[2]) < 0.15 * spread)
    face = front & (np.hypot(rest[:, 0] - base[0], rest[:, 2] - base[2]) < 0.4 * spread)
    assert near_crown.sum() > 5 and face.sum() > 10
    for axis in ("X", "Z"):
        now, matrix = _turned(rig, mesh, world, head, base, axis)
        for part, where in (("crown", near_crown), ("face", face)):
            rigid = rest[where] @ matrix[:3, :3].T + matrix[:3, 3]
            lag = np.linalg.norm(now[where] - rigid, axis=1) / np.linalg.norm(rigid - rest[where], axis=1)
            assert np.median(lag) < 0.25, (part, axis, np.median(lag))
