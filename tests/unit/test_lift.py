"""Lifting: the normalized frame, the distance field and the sampled front/back surfaces."""

from __future__ import annotations


import figures
import numpy as np
import pytest
from scipy import ndimage
from scipy.spatial import cKDTree

from pointskel_blender.core.errors import MaskError
from pointskel_blender.core.lift import NORMALIZATION, Frame, lift


def _work_pixels(shape, points):
    """Integer (row, col) of the working pixel each point lies in."""
    xy = shape.to_work(points)
    return np.floor(xy[:, 1]).astype(int), np.floor(xy[:, 0]).astype(int)


def test_frame_is_bbox_centre_and_longest_side_in_input_pixels():
    mask = np.zeros((100, 200), bool)
    mask[20:60, 30:130] = True  # bbox 100 wide, 40 tall, working px
    shape = lift(mask, work_scale=0.5)
    assert shape.frame.center_px == (160.0, 80.0)  # ((30 + 130) / 2, (20 + 60) / 2) / 0.5
    assert shape.frame.px_per_unit == 200.0  # 100 working px / 0.5
    assert shape.work_px_per_unit == 100.0
    corners = shape.frame.to_normalized(np.array([[60.0, 40.0], [260.0, 120.0]]))
    np.testing.assert_allclose(corners, [[-0.5, 0.2], [0.5, -0.2]])
    assert shape.points[:, 0].min() >= -0.5 and shape.points[:, 0].max() <= 0.5
    assert shape.points[:, 0].min() < -0.49 and shape.points[:, 0].max() > 0.49
    assert np.abs(shape.points[:, 1]).max() <= 0.2


def test_frame_round_trip_and_y_up():
    frame = Frame((120.5, 80.25), 300.0)
    positions = np.array([[0.1, 0.2, 0.3], [-0.4, -0.1, 0.0]])
    pixels = frame.to_pixels(positions)
    assert pixels.shape == (2, 2)
    assert pixels[0, 1] < frame.center_px[1]  # positive y is up, so above the centre in the image
    np.testing.assert_allclose(frame.to_normalized(pixels), positions[:, :2])
    assert frame.to_dict() == {
        "normalization": NORMALIZATION,
        "center_px": [120.5, 80.25],
        "px_per_unit": 300.0,
    }


def test_points_lie_on_the_mask_with_depth_from_the_distance_transform():
    fig = figures.stick_figure(256)
    shape = lift(fig.mask, points=3000, seed=3)
    assert shape.points.shape == (3000, 3) and shape.points.dtype == np.float32
    rows, cols = _work_pixels(shape, shape.points)
    assert fig.mask[rows, cols].all()
    # |z| is the local thickness at the point, front and back alternate.
    np.testing.assert_allclose(np.abs(shape.points[:, 2]), shape.radius_at(shape.points), atol=1e-6)
    assert (shape.points[0::2, 2] >= 0).all() and (shape.points[1::2, 2] <= 0).all()
    edt = ndimage.distance_transform_edt(fig.mask)
    np.testing.assert_allclose(shape.distance[fig.mask], edt[fig.mask] - 0.5, atol=1e-4)
    assert (shape.distance[~fig.mask] == 0).all()


def test_depth_vanishes_at_the_outline():
    fig = figures.bar(256)
    shape = lift(fig.mask)
    cols = np.arange(100, 150)
    top = np.array([np.flatnonzero(fig.mask[:, c])[0] for c in cols])
    on_outline = np.stack([cols + 0.5, top.astype(float)], axis=1)  # the top edge of the first object row
    np.testing.assert_allclose(shape.field.sample(on_outline), 0.0, atol=0.05)
    assert (shape.field.sample(on_outline - [0, 1]) < -0.9).all()  # one pixel outside
    # Points sampled in outline pixels are shallow; the cloud's depth grows to the half-width inside.
    rows, c = _work_pixels(shape, shape.points)
    edge = ndimage.binary_erosion(fig.mask, border_value=0) != fig.mask
    depth_px = np.abs(shape.points[:, 2]) * shape.work_px_per_unit
    assert depth_px[edge[rows, c]].max() <= 1.5  # an outline pixel reaches at most ~sqrt(2) px inward
    assert np.median(depth_px[edge[rows, c]]) == pytest.approx(0.5, abs=0.15)
    half_width = (fig.mask[:, 128].sum()) / 2
    assert half_width - 1.0 < depth_px.max() <= half_width


def test_surface_is_smooth_and_sub_pixel():
    shape = lift(figures.fish(256).mask, points=4096)
    xy = shape.to_work(shape.points)
    frac = xy - np.floor(xy)
    assert 0.25 < frac.std() < 0.32  # uniform jitter in each pixel, not pixel centres
    front = shape.points[shape.points[:, 2] >= 0] * shape.work_px_per_unit
    dist, idx = cKDTree(front[:, :2]).query(front[:, :2], k=2)
    dz = np.abs(front[:, 2] - front[idx[:, 1], 2])
    assert (dz <= dist[:, 1] * 1.05 + 0.02).all()  # depth is 1-Lipschitz: no pixel steps


def test_samples_are_area_uniform():
    fig = figures.plus(256)
    shape = lift(fig.mask, points=4096, seed=1)
    rows, cols = _work_pixels(shape, shape.points)
    blocks = 8
    observed = np.zeros((blocks, blocks))
    np.add.at(observed, (rows * blocks // 256, cols * blocks // 256), 1)
    area = fig.mask.reshape(blocks, 256 // blocks, blocks, 256 // blocks).sum(axis=(1, 3))
    expected = 4096 * area / area.sum()
    assert (np.abs(observed - expected) <= 3 * np.sqrt(expected) + 2).all()
    assert (observed[area == 0] == 0).all()


def test_mask_with_fewer_pixels_than_points():
    mask = np.zeros((10, 12), bool)
    mask[3:6, 4:9] = True  # 15 pixels
    shape = lift(mask, points=100)
    rows, cols = _work_pixels(shape, shape.points)
    counts = np.bincount(rows * 12 + cols, minlength=120)[mask.ravel()]
    assert counts.sum() == 100 and counts.min() >= 6 and counts.max() <= 7
    assert np.isfinite(shape.points).all()
    assert np.abs(shape.points[:, 2]).max() * shape.work_px_per_unit <= 1.5  # half of 3 rows


def test_single_pixel_and_border_touching_masks():
    one = np.zeros((5, 5), bool)
    one[2, 2] = True
    shape = lift(one, points=10)
    assert shape.frame.px_per_unit == 1.0 and np.isfinite(shape.points).all()
    full = np.ones((40, 60), bool)  # touches every border: the image edge is the outline
    shape = lift(full, points=500)
    assert shape.frame.center_px == (30.0, 20.0) and shape.frame.px_per_unit == 60.0
    assert np.isfinite(shape.distance).all()
    assert shape.distance[0].max() == 0.5 and shape.distance.max() == 19.5
    rows, cols = _work_pixels(shape, shape.points)
    assert full[rows, cols].all()


def test_deterministic_for_a_seed():
    mask = figures.star(5, 128).mask
    a, b, c = lift(mask, seed=7), lift(mask, seed=7), lift(mask, seed=8)
    np.testing.assert_array_equal(a.points, b.points)
    assert not np.array_equal(a.points, c.points)


def test_empty_and_malformed_masks():
    with pytest.raises(MaskError, match="empty"):
        lift(np.zeros((32, 32), bool))
    with pytest.raises(ValueError, match="2-D"):
        lift(np.ones((4, 4, 3), bool))
    with pytest.raises(ValueError, match="points"):
        lift(np.ones((4, 4), bool), points=-1)


def test_zero_points_gives_the_solid_alone():
    mask = figures.plus(128).mask
    solid, full = lift(mask, points=0), lift(mask, points=500)
    assert solid.points.shape == (0, 3)
    assert solid.frame == full.frame and np.array_equal(solid.distance, full.distance)


def test_radius_at_is_local_half_width():
    fig = figures.bar(256)
    shape = lift(fig.mask)
    half_width = fig.mask[:, 128].sum() / 2
    rows = np.flatnonzero(fig.mask[:, 128])
    centre = shape.frame.to_normalized(np.array([[128.5, (rows[0] + rows[-1] + 1) / 2]]))
    assert shape.radius_at(centre)[0] * shape.work_px_per_unit == pytest.approx(half_width, abs=0.5)
    outside = shape.frame.to_normalized(np.array([[5.0, 5.0], [500.0, -300.0]]))
    np.testing.assert_array_equal(shape.radius_at(outside), 0.0)


def test_field_is_signed_with_an_inward_gradient_everywhere():
    fig = figures.bar(256)
    shape = lift(fig.mask)
    rows = np.flatnonzero(fig.mask[:, 128])
    centre_y = (rows[0] + rows[-1] + 1) / 2
    above = np.array([[128.5, centre_y - 8], [128.5, rows[0] - 2.0], [128.5, -100.0]])
    grad = shape.field.gradient(above)
    np.testing.assert_allclose(grad[:, 0], 0.0, atol=0.05)
    np.testing.assert_allclose(grad[:, 1], 1.0, atol=0.1)  # y down: inward is +y above the bar
    values = shape.field.sample(above)
    assert values[0] > 0 > values[1] > values[2]
    assert values[2] == pytest.approx(-(rows[0] + 100), abs=2)  # extrapolated beyond the window
