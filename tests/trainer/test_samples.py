"""Training samples: inputs equal inference's lift, targets on the bones, augmentations keep them there."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage

from pointskel_blender.core.lift import lift
from trainer import DatasetError
from trainer.rignet import Rig, Skin
from trainer.samples import (ImageAugment, PointAugment, View, augment_points, bone_targets, joint_targets,
                             build_sample_cache, draw_view, load_sample_cache, make_sample,
                             nearest_bone)
from trainer.synthetic import generate, make_character


def _distance_to_bones(points: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """Brute force: distance from each 2-D point to densely sampled bone points."""
    t = np.linspace(0, 1, 120)[None, :, None]
    dense = (segments[:, :1] + t * (segments[:, 1:] - segments[:, :1])).reshape(-1, 2)
    return np.sqrt(((points[:, None, :2] - dense[None]) ** 2).sum(axis=2)).min(axis=1)


@pytest.fixture(scope="module")
def character():
    _, mesh, rig = make_character(seed=2, index=0)
    return mesh, rig


def test_nearest_point_on_segments() -> None:
    segments = np.array([[[0, 0], [2, 0]], [[2, 0], [2, 2]], [[5, 5], [5, 5]]], dtype=np.float32)
    xy = np.array([[1, 0], [1, -3], [3, 1], [-1, 1], [5.5, 5], [2, 2]], dtype=np.float32)
    expected = [[1, 0], [1, 0], [2, 1], [0, 0], [5, 5], [2, 2]]
    nearest, where, which = nearest_bone(xy, segments)
    assert np.allclose(nearest, expected)
    assert np.allclose(where, [0.5, 0.5, 0.5, 0, 0, 1]) and list(which[:5]) == [0, 0, 1, 0, 2]


def test_point_on_a_bone_has_zero_offset(character) -> None:
    mesh, rig = character
    sample = make_sample(mesh, rig, points=512, resolution=128)
    t = np.random.default_rng(0).random((len(sample.segments), 1))
    on_bones = sample.segments[:, 0] + t * (sample.segments[:, 1] - sample.segments[:, 0])
    points = np.concatenate([on_bones, np.zeros((len(on_bones), 1))], axis=1).astype(np.float32)
    assert np.allclose(bone_targets(points, sample.segments) - points, 0, atol=1e-6)


def test_inputs_are_the_inference_lift_and_targets_are_nearest_bone_points(character) -> None:
    mesh, rig = character
    sample = make_sample(mesh, rig, View(35.0), points=300, resolution=160, seed=5)
    shape = lift(sample.mask, 1.0, points=300, seed=5)
    assert np.array_equal(sample.points, shape.points)
    assert sample.frame == shape.frame
    assert np.allclose(sample.targets[:, 2], 0)
    assert np.allclose(_distance_to_bones(sample.targets, sample.segments), 0, atol=3e-3)  # on a bone
    nearest = np.linalg.norm(sample.offsets[:, :2], axis=1)
    assert np.all(nearest <= _distance_to_bones(sample.points, sample.segments) + 1e-5)  # and the nearest one
    assert np.allclose(sample.frame.to_normalized(sample.joints_px[rig.bones]), sample.segments, atol=1e-5)


def test_image_augmentation_moves_silhouette_and_bones_together(character) -> None:
    mesh, rig = character
    rng = np.random.default_rng(4)
    for _ in range(3):
        view = draw_view("random", rng, ImageAugment())
        sample = make_sample(mesh, rig, view, points=400, resolution=128, seed=1)
        grown = ndimage.binary_dilation(sample.mask)
        cols, rows = np.floor(sample.joints_px).astype(int).T
        assert grown[rows, cols].all()  # the augmented skeleton still sits inside the augmented silhouette
        assert np.allclose(_distance_to_bones(sample.targets, sample.segments), 0, atol=3e-3)


def test_mirror_and_roll_transform_targets_geometrically(character) -> None:
    mesh, rig = character
    plain = make_sample(mesh, rig, View(20.0), points=300, resolution=200)
    mirrored = make_sample(mesh, rig, View(20.0, mirror=True), points=300, resolution=200)
    assert (mirrored.mask != plain.mask[:, ::-1]).sum() <= 5
    assert np.allclose(mirrored.segments, plain.segments * [-1, 1], atol=2 / plain.frame.px_per_unit)
    rolled = make_sample(mesh, rig, View(20.0, roll=90.0), points=300, resolution=200)
    turned = np.stack([-plain.segments[..., 1], plain.segments[..., 0]], axis=-1)  # 90 deg counter-clockwise
    assert np.allclose(rolled.segments, turned, atol=2 / plain.frame.px_per_unit)


def test_partial_contraction_moves_points_toward_their_targets(character) -> None:
    mesh, rig = character
    sample = make_sample(mesh, rig, points=600, resolution=128)
    rng = np.random.default_rng(3)
    moved, targets = augment_points(sample.points, sample.segments, rng, PointAugment(noise=0, contract=1.0))
    before = np.linalg.norm(sample.offsets, axis=1)
    after = np.linalg.norm(targets - moved, axis=1)
    assert np.all(after <= before + 1e-6) and after.mean() < 0.8 * before.mean()
    assert np.allclose(targets, sample.targets, atol=1e-4)  # moving toward its nearest bone point keeps it
    jitter = PointAugment(noise=0.01, contract=0)
    noisy, noisy_targets = augment_points(sample.points, sample.segments, rng, jitter)
    assert 0.005 < np.abs(noisy - sample.points).mean() < 0.02
    assert np.allclose(_distance_to_bones(noisy_targets, sample.segments), 0, atol=3e-3)


def test_cache_round_trip_and_determinism(tmp_path: Path) -> None:
    generate(tmp_path / "data", 3, seed=9, workers=1, progress=False)
    kwargs = dict(views=("front", "random"), points=256, resolution=96, seed=1, progress=False)
    assert build_sample_cache(tmp_path / "data", None, tmp_path / "one.npz", workers=1, **kwargs) == 6
    build_sample_cache(tmp_path / "data", None, tmp_path / "two.npz", workers=2, **kwargs)
    one, two = load_sample_cache(tmp_path / "one.npz"), load_sample_cache(tmp_path / "two.npz")
    assert len(one) == 6 and one.points.shape == (6, 256, 3) and one.resolution == (96, 96)
    for name in ("points", "targets", "segments", "joints_px", "masks", "frames", "views", "items"):
        assert np.array_equal(getattr(one, name), getattr(two, name))
    item = int(one.items[3])
    _, mesh, rig = make_character(9, item)
    cached = one[3]
    again = make_sample(mesh, rig, cached.view, points=256, resolution=96, seed=0)
    assert np.array_equal(cached.mask, again.mask) and np.allclose(cached.joints_px, again.joints_px)
    assert np.array_equal(cached.parents, rig.parents) and cached.view.yaw == one.views[3, 0]
    assert np.allclose(cached.targets, bone_targets(cached.points, cached.segments))
    assert cached.frame == lift(cached.mask, 1.0, points=8).frame


def test_cache_and_sample_errors(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such sample cache"):
        load_sample_cache(tmp_path / "missing.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(DatasetError, match="not a readable sample cache"):
        load_sample_cache(tmp_path / "junk.npz")
    np.savez(tmp_path / "other.npz", meta=np.array('{"format": "something-else", "version": 1}'))
    with pytest.raises(DatasetError, match="rebuild it"):
        load_sample_cache(tmp_path / "other.npz")
    with pytest.raises(DatasetError, match="unknown view 'top'"):
        draw_view("top", np.random.default_rng(0), None)
    _, mesh, rig = make_character(seed=2, index=0)
    no_skin = Skin(*(np.zeros(0, t) for t in (int, int, float)))
    lonely = Rig(("root",), rig.positions[:1], np.array([-1]), no_skin)
    with pytest.raises(DatasetError, match="at least one bone"):
        make_sample(mesh, lonely, points=64, resolution=64)


def test_joint_targets_are_one_at_joints_and_zero_halfway_along_every_bone() -> None:
    segments = np.array([[[0.0, 0.0], [0.3, 0.0]], [[0.3, 0.0], [0.3, 0.05]]], dtype=np.float32)
    points = np.array(
        [
            [0.3, 0.0, 0.1],  # the elbow
            [0.15, 0.02, 0.0],  # beside the middle of the long bone
            [0.075, -0.03, 0.0],  # a quarter along it
            [0.3, 0.025, 0.0],  # the middle of the short bone: as low as the long bone's
            [0.36, -0.05, 0.2],  # off the bones, beyond the elbow
        ],
        dtype=np.float32,
    )
    scores = joint_targets(points, segments)
    assert scores.dtype == np.float32
    np.testing.assert_allclose(scores, [1.0, 0.0, 0.5, 0.0, 1.0], atol=1e-6)
