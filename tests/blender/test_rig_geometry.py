"""The add-on's pure geometry: placement, bone heads/tails, envelope weights, the closed image surface."""
from __future__ import annotations

import numpy as np
import pytest

import figures
from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.lift import lift
from pointskel_blender.rig_layout import envelope_weights, layout_bones, placement_for
from pointskel_blender.surface import surface_mesh

Z = np.array([0.0, 0.0, 1.0])


def test_placement_stands_the_figure_on_the_floor_at_its_height():
    shape = lift(figures.stick_figure(200).mask, 0.5, points=256)
    placement = placement_for(shape, 1.7)
    cloud = placement.to_blender(shape.points)
    assert cloud[:, 2].min() >= -1e-6 and cloud[:, 2].max() <= 1.7 + 1e-6
    assert cloud[:, 2].max() - cloud[:, 2].min() > 0.95 * 1.7
    # normalized (x, y, z) -> Blender (x, -z, y): depth toward the viewer becomes -Y (the front).
    front = shape.points[np.argmax(shape.points[:, 2])]
    assert placement.to_blender(front[None])[0, 1] < 0
    with pytest.raises(PointSkelError):
        placement_for(shape, 0.0)


def test_tails_follow_the_straightest_child_and_the_root_goes_up():
    #      3 (up)
    #      |
    # 4 -- 0 -- 1 -- 2      root 0; joint 1 has children 2 (straight on) and 5 (a side branch)
    #           |
    #           5
    heads = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0], [0, 0, 1], [-1, 0, 0], [1, 0, -1]], float)
    parents = [None, 0, 1, 0, 0, 1]
    layout = layout_bones(heads, parents, np.full(6, 0.1), min_length=0.01)
    assert layout.tails[0] == pytest.approx(heads[3])  # root: the upward child
    assert layout.tails[1] == pytest.approx(heads[2])  # continues the incoming +X direction
    assert list(layout.connected) == [False, False, True, True, False, False]
    # Leaves extend along their incoming direction by their radius, at most half that segment.
    radii = np.array([0.1, 0.1, 0.3, 0.1, 0.8, 0.1])
    layout = layout_bones(heads, parents, radii, min_length=0.01)
    assert layout.tails[2] == pytest.approx([2.3, 0, 0])
    assert layout.tails[5] == pytest.approx([1, 0, -1.1])
    assert layout.tails[4] == pytest.approx([-1.5, 0, 0])  # radius 0.8 > half of 1


def test_no_bone_is_shorter_than_the_minimum():
    heads = np.array([[0, 0, 0], [0, 0, 0], [0, 0, 1e-9]], float)  # a child on top of its parent
    layout = layout_bones(heads, [None, 0, 1], np.zeros(3), min_length=0.05)
    lengths = np.linalg.norm(layout.tails - layout.heads, axis=1)
    assert (lengths >= 0.05 - 1e-12).all()
    assert layout.tails[0] == pytest.approx(0.05 * Z)  # a lone root points up


def test_envelope_weights_cover_every_vertex():
    heads = np.array([[0, 0, 0], [0, 0, 1], [0, 0, 2], [1, 0, 1], [-1, 0, 1]], float)
    tails = np.array([[0, 0, 1], [0, 0, 2], [0, 0, 3], [2, 0, 1], [-2, 0, 1]], float)
    rng = np.random.default_rng(0)
    vertices = rng.uniform(-5, 5, (500, 3))  # many far outside every envelope
    weights = envelope_weights(vertices, heads, tails, np.full(5, 0.3), max_influences=3)
    assert weights.shape == (500, 5)
    assert np.allclose(weights.sum(axis=1), 1.0, atol=1e-6)
    assert ((weights > 0).sum(axis=1) <= 3).all()
    near_top = np.array([[0.0, 0.05, 2.9]])
    assert np.argmax(envelope_weights(near_top, heads, tails, np.full(5, 0.3))[0]) == 2
    far_left = np.array([[-40.0, 0.0, 1.0]])
    assert envelope_weights(far_left, heads, tails, np.full(5, 0.3))[0].tolist() == [0, 0, 0, 0, 1]


@pytest.mark.parametrize("figure", [figures.stick_figure(256), figures.star(5), figures.fish()],
                         ids=lambda f: f.name)
def test_surface_is_closed_outward_and_follows_the_outline(figure):
    shape = lift(figure.mask, 1.0, points=256)
    cells = 48
    mesh = surface_mesh(shape, (256, 256), cells=cells)
    tris = mesh.triangles
    assert tris.min() >= 0 and tris.max() < len(mesh.vertices)
    edges = np.sort(np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]]), axis=1)
    _, uses = np.unique(edges, axis=0, return_counts=True)
    assert set(uses.tolist()) == {2}, "every edge shared by exactly two triangles"
    a, b, c = (mesh.vertices[tris[:, k]] for k in range(3))
    volume = np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6
    assert volume > 0, "outward normals"
    assert mesh.uvs.min() >= 0 and mesh.uvs.max() <= 1
    # The outline vertices sit on the mask's outline: the mesh spans the silhouette's bounding box
    # (sharp tips to within one grid cell, 1 / cells of the longest side = 1 normalized unit).
    cell = 1.0 / cells
    rows, cols = np.flatnonzero(figure.mask.any(1)), np.flatnonzero(figure.mask.any(0))
    corners = shape.frame.to_normalized(np.array([[cols[0], rows[0]], [cols[-1] + 1, rows[-1] + 1]], float))
    assert mesh.vertices[:, 0].min() == pytest.approx(corners[0, 0], abs=cell)
    assert mesh.vertices[:, 0].max() == pytest.approx(corners[1, 0], abs=cell)
    assert mesh.vertices[:, 1].max() == pytest.approx(corners[0, 1], abs=cell)
    assert mesh.vertices[:, 1].min() == pytest.approx(corners[1, 1], abs=cell)
    # Depth is the distance field: front and back both reach about the thickest half-width.
    half_width = shape.distance.max() / shape.work_px_per_unit
    assert mesh.vertices[:, 2].max() == pytest.approx(half_width, rel=0.15)
    assert mesh.vertices[:, 2].min() == pytest.approx(-half_width, rel=0.15)


def test_surface_detail_controls_the_size():
    shape = lift(figures.stick_figure(256).mask, 1.0, points=256)
    coarse, fine = surface_mesh(shape, (256, 256), cells=24), surface_mesh(shape, (256, 256), cells=96)
    assert 10 < len(fine.vertices) / len(coarse.vertices) < 20  # ~ (96 / 24)^2 = 16
    with pytest.raises(PointSkelError):
        surface_mesh(shape, (256, 256), cells=2)
