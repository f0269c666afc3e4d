"""The image mesh: a closed, outward, UV-mapped surface on the silhouette's outline."""
from __future__ import annotations

import numpy as np
import pytest

import figures
from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.lift import lift
from pointskel_blender.rig.surface import surface_mesh


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


def test_a_figure_cut_by_the_image_border_ends_at_the_border():
    """A cropped photo: the legs run out of the image. The mesh stops at the crop line instead of
    reaching a grid cell beyond it (which made cropped figures sink below the floor)."""
    mask = figures.stick_figure(256).mask[:220]  # the feet cut off
    shape = lift(mask, 1.0, points=256)
    mesh = surface_mesh(shape, (256, 220), cells=32)
    bottom = shape.frame.to_normalized(np.array([[0.0, 220.0]]))[0, 1]
    assert mesh.vertices[:, 1].min() == pytest.approx(bottom, abs=1e-9)
    assert mesh.uvs[:, 1].min() >= 0.0
