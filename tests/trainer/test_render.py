"""Orthographic silhouettes: exact pixel-centre coverage, the ARCHITECTURE pixel convention, views."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from trainer import DatasetError
from trainer.render import make_camera, project, rasterize, render_silhouette, view_depth
from trainer.rignet import Mesh
from trainer.synthetic import make_character


def _cube(size: float = 1.0) -> Mesh:
    corners = np.array([[x, y, z] for x in (0, size) for y in (0, size) for z in (0, size)], dtype=np.float64)
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    faces = [(a, b, c) for a, b, c, d in quads] + [(a, c, d) for a, b, c, d in quads]
    return Mesh(corners, np.array(faces, dtype=np.int64))


def _brute_force(triangles: np.ndarray, width: int, height: int) -> np.ndarray:
    """Pixel centres inside (or on) any triangle, one triangle at a time."""
    cx, cy = np.meshgrid(np.arange(width) + 0.5, np.arange(height) + 0.5)
    out = np.zeros((height, width), dtype=bool)
    for a, b, c in triangles:
        sign = np.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
        if sign == 0:
            continue
        inside = np.ones_like(out)
        for p, q in ((a, b), (b, c), (c, a)):
            inside &= sign * ((q[0] - p[0]) * (cy - p[1]) - (q[1] - p[1]) * (cx - p[0])) >= -1e-9
        out |= inside
    return out


def test_cube_front_view_covers_exactly_the_fitted_square() -> None:
    cube = _cube()
    camera = make_camera(cube.vertices, "front", size=100, margin=0.1)
    mask = render_silhouette(cube, camera)
    assert mask.sum() == 80 * 80
    rows, cols = np.nonzero(mask)
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (10, 89, 10, 89)


def test_triangle_area_matches_geometry() -> None:
    tri = np.array([[[3.2, 5.1], [61.7, 9.9], [20.3, 58.4]]])
    mask = rasterize(tri, 64, 64)
    (a, b, c), = tri
    area = abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) / 2
    perimeter = sum(np.linalg.norm(p - q) for p, q in ((a, b), (b, c), (c, a)))
    assert abs(mask.sum() - area) < perimeter / 2


@pytest.mark.parametrize("snap", [None, 0.0, 0.5])
def test_rasterize_equals_pixel_centre_tests(snap: float | None) -> None:
    rng = np.random.default_rng(7)
    tri = rng.uniform(-6, 42, size=(60, 3, 2))
    if snap is not None:  # vertices and edges exactly on pixel centres or pixel borders
        tri = np.round(tri) + snap
    assert np.array_equal(rasterize(tri, 37, 31), _brute_force(tri, 37, 31))


def test_degenerate_and_offscreen_triangles_draw_nothing() -> None:
    tri = np.array([[[5, 5], [20, 20], [35, 35]], [[-30, -30], [-10, -30], [-20, -5]]], dtype=np.float64)
    assert not rasterize(tri, 40, 40).any()


def test_projected_vertices_land_on_the_silhouette() -> None:
    _, mesh, _ = make_character(seed=0, index=1)
    for view in ("front", "side", 33.0):
        camera = make_camera(mesh.vertices, view, size=(96, 80))
        mask = ndimage.binary_dilation(render_silhouette(mesh, camera))  # a vertex may sit on a pixel border
        px = project(mesh.vertices, camera)
        cols, rows = np.floor(px).astype(int).T
        assert mask.shape == (80, 96) and mask[rows, cols].all()


def test_pixel_convention_and_view_directions() -> None:
    points = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [-1, -1, -1]])
    front = make_camera(points, "front", size=200)
    centre, right, up, toward = project(points[:4], front)
    assert right[0] > centre[0] and np.isclose(right[1], centre[1])  # the character's left (+X): image right
    assert up[1] < centre[1]  # y down in pixels
    assert np.allclose(toward, centre)
    assert np.allclose(view_depth(points[:4], front), [0, 0, 0, 1])  # +Z faces the viewer
    side = make_camera(points, "side", size=200)
    centre, right, up, toward = project(points[:4], side)
    assert toward[0] < centre[0]  # seen from its left, the character faces image left
    assert np.allclose(view_depth(points[:4], side), [0, 1, 0, 0])
    assert np.allclose(project(points, make_camera(points, 90.0, size=200)), project(points, side))
    box = project(points, front)
    assert np.allclose((box.min(0) + box.max(0)) / 2, [100, 100])  # fitted box centred on the image


def test_z_up_reads_blender_frame() -> None:
    y_up = _cube().vertices * [1, 2, 3]
    z_up = y_up[:, [0, 2, 1]] * [1, -1, 1]  # (x, y, z) -> (x, -z, y): Z up, facing -Y
    for view in ("front", "side", 120.0):
        a = project(y_up, make_camera(y_up, view, size=64))
        b = project(z_up, make_camera(z_up, view, up="z", size=64))
        assert np.allclose(a, b)


def test_camera_errors() -> None:
    cube = _cube()
    with pytest.raises(DatasetError, match="unknown view 'top'"):
        make_camera(cube.vertices, "top")
    with pytest.raises(DatasetError, match="unknown up axis"):
        make_camera(cube.vertices, up="x")
    with pytest.raises(DatasetError, match="cannot fit"):
        make_camera(cube.vertices, margin=0.5)
    with pytest.raises(DatasetError, match="cannot fit"):
        make_camera(np.zeros((3, 3)))


def test_camera_augmentations() -> None:
    points = np.random.default_rng(2).normal(size=(30, 3))
    base = project(points, make_camera(points, 25.0, size=120))
    mirrored = project(points, make_camera(points, 25.0, size=120, mirror=True))
    assert np.allclose(mirrored, base * [-1, 1] + [120, 0])
    rolled = project(points, make_camera(points, 25.0, size=120, roll=90.0, margin=0.0))
    d_base, d_rolled = base - base.mean(axis=0), rolled - rolled.mean(axis=0)
    scale = np.linalg.norm(d_rolled) / np.linalg.norm(d_base)
    assert np.allclose(d_rolled, np.stack([d_base[:, 1], -d_base[:, 0]], axis=1) * scale)  # counter-clockwise
    small = project(points, make_camera(points, 25.0, size=120, fill=0.5))
    assert np.allclose(np.ptp(small, axis=0).max(), np.ptp(base, axis=0).max() / 2)
    corner = project(points, make_camera(points, 25.0, size=120, fill=0.5, shift=(1.0, 1.0), margin=0.1))
    assert np.allclose(corner.max(axis=0), [108, 108])  # pushed to the bottom-right margin
    with pytest.raises(DatasetError, match="fill"):
        make_camera(points, fill=0.0)
