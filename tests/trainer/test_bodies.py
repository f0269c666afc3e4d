"""Primitive bodies: closed outward-facing meshes, sizes as asked, skin weights that blend at joints."""
from __future__ import annotations

import math

import numpy as np

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
