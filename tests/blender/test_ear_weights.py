"""An ear follows its ear bone: turning an ear's first bone turns the ear's tip with it and leaves the
body still. A side view's lone ear (its bones at the depth of the head's flank, off the thin ear's
mesh, where bone heat hardly sees them: its tip was 64 % head) and a cat's two ears beside the head's
line (their sockets off the head bone's line, which once counted as a hip's `midline`: 56 % head).
Real bpy, the sidebar's default settings."""
from __future__ import annotations

import math

import bpy
import numpy as np
import pytest
from blender_helpers import built_from_drawing
from mathutils import Matrix

import anatomy_figures as af
import photo_figures


def _chains(rig) -> list[list[str]]:
    """Each ear's deform bones, from the head out."""
    out: dict[str, list[str]] = {}
    for bone in rig.data.bones:  # parents come first
        if bone.use_deform and bone.name.startswith("ear"):
            side = bone.name.split(".")[1] if "." in bone.name else ""
            out.setdefault(side, []).append(bone.name)
    return list(out.values())


def _tip(rig, mesh, chain: list[str], rest: np.ndarray) -> np.ndarray:
    """The tenth of the vertices weighted to the ear that lie farthest out along it."""
    world = rig.matrix_world
    base = np.array(world @ rig.data.bones[chain[0]].head_local)
    end = np.array(world @ rig.data.bones[chain[-1]].tail_local)
    way = (end - base) / np.linalg.norm(end - base)
    groups = {g.index for g in mesh.vertex_groups if g.name in chain}
    weighted = np.flatnonzero([any(e.group in groups and e.weight > 0 for e in v.groups)
                               for v in mesh.data.vertices])
    along = (rest[weighted] - base) @ way
    return weighted[np.argsort(-along)[: max(5, weighted.size // 10)]]


@pytest.mark.parametrize("picture", [af.plush_side, photo_figures.sitting_cat],
                         ids=["plush_side", "sitting_cat"])
def test_an_ears_tip_turns_with_its_ear_bone_and_the_body_stays(addon, scene, checklist, tmp_path, picture):
    built, skeleton = built_from_drawing(addon, tmp_path, picture())
    assert skeleton.anatomy.view == "side"
    rig, mesh = built.armature, built.mesh
    assert checklist.check(bpy, rig, mesh, skeleton)["weights"] == ""  # at most 4 influences, normalized
    for pose in rig.pose.bones:  # FK, as an animator turns a part by hand
        if "ik" in pose:
            pose["ik"] = 0.0
    rest = checklist._posed(bpy, mesh)
    height = float(np.ptp(rest[:, 2]))
    world = rig.matrix_world
    body = rest[:, 2] < (world @ rig.data.bones["head"].head_local).z  # everything below the head
    chains = _chains(rig)
    assert chains
    for chain in chains:
        tip = _tip(rig, mesh, chain, rest)
        base = rig.data.bones[chain[0]]
        pivot = world @ base.head_local
        for axis in ("X", "Y"):
            turn = (Matrix.Translation(pivot) @ Matrix.Rotation(math.radians(45), 4, axis)
                    @ Matrix.Translation(-pivot))
            rig.pose.bones[chain[0]].matrix = world.inverted() @ turn @ world @ base.matrix_local
            posed = checklist._posed(bpy, mesh)
            rig.pose.bones[chain[0]].matrix_basis = Matrix.Identity(4)
            matrix = np.array(turn)
            rigid = rest[tip] @ matrix[:3, :3].T + matrix[:3, 3]
            lag = np.linalg.norm(posed[tip] - rigid, axis=1) / np.linalg.norm(rigid - rest[tip], axis=1)
            assert lag.max() < 0.1, (chain, axis, lag.max())  # the tip goes where the ear bone takes it
            assert np.linalg.norm(posed[body] - rest[body], axis=1).max() < 0.01 * height, (chain, axis)


CAT_EARS = [0.42 - 0.05, 0.42 + 0.04]  # photo_figures.sitting_cat: ear triangles from y 0.25 to the tip
CAT_HEAD = (0.42, 0.3, 0.09, 0.08)  # ... on an oval head (centre x, y, radii), whose outline's top is y 0.22


def _uv_pixels(mesh) -> np.ndarray:
    """(V, 2) each vertex's place in the picture as canvas fractions (x right, y down), from its UV."""
    uv = np.zeros((len(mesh.data.vertices), 2))
    layer = mesh.data.uv_layers[0].data
    for loop in mesh.data.loops:
        uv[loop.vertex_index] = layer[loop.index].uv
    return np.stack([uv[:, 0], 1.0 - uv[:, 1]], axis=1)


@pytest.mark.parametrize("flip", [False, True], ids=["sitting_cat", "sitting_cat_flipped"])
def test_each_ear_owns_its_root_past_the_head_and_none_of_the_face(addon, scene, tmp_path, flip):
    """Nearest less its thickness, the head took the wide root of the sitting cat's rear ear (the ear kept
    its tip only and turned without its root) and the front ear a wedge of the face down to the eye.
    Each ear starts at its socket (`weights.parts_from_their_sockets`): what sticks out of the head's
    outline is mostly ear, the face below the ears none."""
    picture = photo_figures.sitting_cat()
    built, _ = built_from_drawing(addon, tmp_path, picture.flipped() if flip else picture)
    mesh = built.mesh
    xy = _uv_pixels(mesh)
    if flip:
        xy[:, 0] = 1.0 - xy[:, 0]
    names = [g.name for g in mesh.vertex_groups]
    ear = np.array([sum(e.weight for e in v.groups if names[e.group].startswith("ear"))
                    for v in mesh.data.vertices])
    cx, cy, rx, ry = CAT_HEAD
    for x in CAT_EARS:  # the ear above the head's outline (not its tip alone: the half nearest the head)
        half_width = 0.03 * (0.25 - xy[:, 1]) / 0.09
        root = (xy[:, 1] > 0.2) & (xy[:, 1] < 0.215) & (np.abs(xy[:, 0] - x) < half_width)
        assert root.sum() > 3 and np.median(ear[root]) > 0.5, (x, np.median(ear[root]))
    face = (((xy[:, 0] - cx) / rx) ** 2 + ((xy[:, 1] - cy) / ry) ** 2 < 1.0) & (xy[:, 1] > 0.27)
    assert face.sum() > 10 and ear[face].max() < 0.1, ear[face].max()
