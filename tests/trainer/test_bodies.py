"""Primitive bodies: closed outward-facing meshes, sizes as asked, skin weights that blend at joints."""
from __future__ import annotations

import math

import numpy as np
import pytest

from trainer.bodies import Body


def _volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    a, b, c = (vertices[faces[:, k]] for k in range(3))
    return float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6)


def test_primitives_are_closed_outward_and_sized() -> None:
    b = Body()
    root = b.joint("root", -1, (0.0, 0.0, 0.0))
    b.ellipsoid(root, (2.0, 0.0, 0.0), (0.3, 0.2, 0.1), axis=(1.0, 1.0, 0.0), normal=(0.0, 0.0, 1.0))
    mesh, _ = b.build()
    edges = np.sort(np.concatenate([mesh.faces[:, [0, 1]], mesh.faces[:, [1, 2]], mesh.faces[:, [2, 0]]]), 1)
    _, uses = np.unique(edges, axis=0, return_counts=True)
    assert np.all(uses == 2)  # closed: every edge shared by exactly two triangles
    exact = 4 / 3 * math.pi * 0.3 * 0.2 * 0.1
    assert 0.85 * exact < _volume(mesh.vertices, mesh.faces) < exact  # positive: faces point outward
    centred = mesh.vertices - (2.0, 0.0, 0.0)
    assert np.isclose(np.abs(centred @ np.array([1.0, 1.0, 0.0]) / math.sqrt(2)).max(), 0.3)
    assert np.isclose(np.abs(centred[:, 2]).max(), 0.1)


def test_capsule_covers_its_bone_and_skin_blends_at_the_joint() -> None:
    b = Body()
    root = b.joint("root", -1, (0.0, 0.0, 0.0))
    knee = b.limb("knee", root, (0.0, -1.0, 0.0), 0.1, 0.05)
    b.limb("ankle", knee, (0.0, -2.0, 0.0), 0.05, 0.04)
    mesh, rig = b.build()
    assert rig.names == ("root", "knee", "ankle") and rig.parents.tolist() == [-1, 0, 1]
    assert np.isclose(mesh.vertices[:, 1].max(), 0.1) and np.isclose(mesh.vertices[:, 1].min(), -2.04)
    weights = rig.skin.dense(len(mesh.vertices), 3)
    assert np.allclose(weights.sum(axis=1), 1, atol=1e-3) and not weights[:, 2].any()  # the leaf has no bone
    y = mesh.vertices[:, 1]
    near_knee = np.abs(y + 1) < 0.02
    assert np.all((weights[near_knee, 0] > 0.3) & (weights[near_knee, 1] > 0.3))  # blended around the knee
    assert np.allclose(weights[y > -0.5, 0], 1) and np.allclose(weights[y < -1.5, 1], 1)


def test_thin_parts_get_a_minimum_radius() -> None:
    b = Body()
    root = b.joint("root", -1, (0.0, 0.0, 0.0))
    b.limb("tip", root, (1.0, 0.0, 0.0), 1e-6, 1e-6, normal=(0.0, 0.0, 1.0), flatten=1e-3)
    mesh, _ = b.build()
    across = np.abs(mesh.vertices[:, 1:]).max(axis=0)  # both cross-section directions, on a bone of length 1
    assert np.all(across >= 0.006 - 1e-9)


def _leg() -> tuple[Body, int, int]:
    b = Body()
    root = b.joint("root", -1, (0.0, 0.0, 0.0))
    knee = b.limb("knee", root, (0.0, -1.0, 0.0), 0.1, 0.05)
    b.limb("ankle", knee, (0.0, -2.0, 0.0), 0.05, 0.04)
    return b, root, knee


def test_parts_are_skinned_to_the_nearest_of_their_bones_and_meshed_last() -> None:
    b, root, knee = _leg()
    plain, _ = b.build()
    b.capsule((root, knee), (0.3, -0.2, 0.0), (0.3, -1.8, 0.0), 0.05, 0.05)  # a skirt-like part beside both
    b.ellipsoid((root,), (0.0, 0.3, 0.0), (0.1, 0.1, 0.1))
    mesh, rig = b.build()
    n = len(plain.vertices)
    assert np.array_equal(mesh.vertices[:n], plain.vertices) and np.array_equal(mesh.faces[:len(plain.faces)],
                                                                               plain.faces)
    weights = rig.skin.dense(len(mesh.vertices), 3)
    part = weights[n:]
    assert np.allclose(part.max(axis=1), 1) and np.allclose(part.sum(axis=1), 1)  # one bone, fully
    y = mesh.vertices[n:, 1]
    assert np.all(part[y > -0.9, 0] == 1) and np.all(part[y < -1.1, 1] == 1)  # the thigh's, then the shin's
    assert not part[:, 2].any()  # never the leaf


def test_parts_need_a_bone_to_be_skinned_to() -> None:
    b, _, _ = _leg()
    with pytest.raises(ValueError, match="existing joints"):
        b.ellipsoid((3,), (0.0, 0.0, 0.0), (0.1, 0.1, 0.1))
    b.ellipsoid((2,), (0.0, -2.0, 0.0), (0.1, 0.1, 0.1))  # the ankle is a leaf: it carries no weight
    with pytest.raises(ValueError, match="leaf joints"):
        b.build()


def test_a_part_may_thin_out_where_a_bone_capsule_may_not() -> None:
    thickness = []
    for joint in (0, (0,)):
        b = Body()
        root = b.joint("root", -1, (0.0, 0.0, 0.0))
        b.joint("tip", root, (1.0, 0.0, 0.0))
        b.capsule(joint, (0.0, 0.0, 0.0), (1.0, 0.0, 0.0), 0.3, 0.01, normal=(0.0, 0.0, 1.0), flatten=1e-4)
        mesh, _ = b.build()
        thickness.append(np.abs(mesh.vertices[:, 2]).max())
    bone, part = thickness
    assert bone > 0.1  # the capsule's thin end keeps the floor's thickness, so all of it is thick
    assert 0.005 < part < 0.01  # a fin: floor-thick at its widest, thinner toward its edge
