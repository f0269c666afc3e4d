"""The part head's labels: every point's part and side are its nearest truth bone's, every figure's
body plan and facing are what the picture shows, and the arrays the caches held before stay as they were."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from pointskel_blender.core.skeleton import BODY_PLANS, FACINGS, PARTS, SIDES
from trainer.labels import UNKNOWN, bone_labels, figure_forward, figure_plan, joint_roles
from trainer.render import view_rotation
from trainer.samples import (PointAugment, View, build_sample_cache, load_sample_cache, make_sample,
                             nearest_bone)
from trainer import DatasetError
from trainer.synthetic import INFO_FILE, generate, make_character, read_templates
from trainer.training_data import make_batch

UP = view_rotation(0.0, "y")[1]


def _first(kind: str, *, seed: int = 1, chunky: bool = False, where=lambda rig: True):
    for index in range(200):
        template, mesh, rig = make_character(seed, index, chunky=chunky)
        if template == kind and where(rig):
            return template, mesh, rig
    raise AssertionError(f"no {kind} in the first 200 characters")


def _brute_nearest_bone(points: np.ndarray, segments: np.ndarray) -> np.ndarray:
    t = np.linspace(0, 1, 200)[None, :, None]
    dense = segments[:, :1] + t * (segments[:, 1:] - segments[:, :1])  # (B, 200, 2)
    d = np.linalg.norm(points[:, None, None, :2] - dense[None], axis=3).min(axis=2)  # (N, B)
    return d


def test_every_point_takes_the_part_and_side_of_its_nearest_bone() -> None:
    kind, mesh, rig = _first("biped")
    sample = make_sample(mesh, rig, View(0.0), points=600, resolution=160, category=kind)
    parts, sides = bone_labels(rig.names, rig.parents, "biped")
    distances = _brute_nearest_bone(sample.points, sample.segments)
    best = distances.min(axis=1, keepdims=True)
    ties = distances <= best + 2e-3  # the densely sampled bones are that coarse
    for row, (part, side) in enumerate(zip(sample.labels.point_parts, sample.labels.point_sides)):
        assert ((parts == part) & (sides == side) & ties[row]).any()
    named = {PARTS[p] for p in np.unique(sample.labels.point_parts)}
    assert {"spine", "head", "arm", "leg"} <= named and "" not in named
    mirrored = make_sample(mesh, rig, View(0.0, mirror=True), points=600, resolution=160, category=kind)
    for each, sign in ((sample, 1), (mirrored, -1)):  # front view: the character's left is image right
        labels = each.labels
        arm_l = (labels.point_parts == PARTS.index("arm")) & (labels.point_sides == SIDES.index("L"))
        assert sign * each.points[arm_l, 0].mean() > 0.05  # and a mirror swaps no names


def _bone_parts(rig, plan: str) -> dict[str, str]:
    """The part of each bone, by the name of its child joint."""
    parts, _ = bone_labels(rig.names, rig.parents, plan)
    return {rig.names[c]: PARTS[parts[c - 1]] for c in range(1, len(rig.names))}


def test_chains_leave_the_trunk_but_sockets_stay_in_it_and_fingers_belong_to_their_hand() -> None:
    _, _, rig = _first("biped", where=lambda rig: "thumb_1.L" in rig.names)
    parts, sides = joint_roles(rig.names, rig.parents, "biped")
    assert parts[rig.names.index("thumb_2.L")] == "arm" and sides[rig.names.index("thumb_2.L")] == "L"
    biped = _bone_parts(rig, "biped")
    assert biped["shoulder.L"] == biped["hip.R"] == "spine"  # chest to socket: inside the torso
    assert biped["elbow.L"] == "arm" and biped["knee.R"] == "leg" and biped["thumb_3.L"] == "arm"
    assert biped["head"] == "neck" and biped["head_end"] == "head"
    _, _, rig = _first("quadruped", where=lambda rig: "tail_01" in rig.names)
    quadruped = _bone_parts(rig, "quadruped")
    assert quadruped["neck_01"] == "neck" and quadruped["tail_01"] == "tail"  # chains' first bones
    assert quadruped["front_shoulder.L"] == quadruped["hind_hip.R"] == "spine"
    assert quadruped["front_elbow.L"] == "front_leg" and quadruped["hind_knee.R"] == "hind_leg"
    _, _, rig = _first("many_legs", where=lambda rig: "leg_1_knee.L" in rig.names)
    assert _bone_parts(rig, "many_legged")["leg_1_knee.L"] == "leg"  # a spider's leg starts at its body


@pytest.mark.parametrize("yaw, mirror, facing", [(0.0, False, "viewer"), (90.0, False, "left"),
                                                 (90.0, True, "right"), (-90.0, False, "right"),
                                                 (180.0, False, "viewer")])
def test_facing_follows_the_camera(yaw: float, mirror: bool, facing: str) -> None:
    kind, mesh, rig = _first("quadruped")
    labels = make_sample(mesh, rig, View(yaw, mirror=mirror), points=200, resolution=96, category=kind).labels
    assert FACINGS[labels.facing] == facing
    assert BODY_PLANS[labels.body_plan] == "quadruped"
    assert np.isclose(np.linalg.norm(labels.forward), 1, atol=1e-5)


def test_a_figure_turned_around_faces_the_other_way() -> None:
    turned = _first("chunky_quadruped", seed=4242, chunky=True,
                    where=lambda rig: rig.positions[rig.names.index("head"), 2] < rig.positions[0, 2])
    straight = _first("chunky_quadruped", seed=4242, chunky=True,
                      where=lambda rig: rig.positions[rig.names.index("head"), 2] > rig.positions[0, 2])
    for (kind, mesh, rig), facing in ((turned, "right"), (straight, "left")):
        assert np.allclose(figure_forward(rig.names, rig.parents, rig.positions, UP),
                           [0, 0, 1 if facing == "left" else -1], atol=1e-6)
        labels = make_sample(mesh, rig, View(90.0), points=200, resolution=96, category=kind).labels
        assert FACINGS[labels.facing] == facing


def test_body_plans_of_the_templates() -> None:
    fish = _first("snake", where=lambda rig: "tail_fin_upper" in rig.names)
    snake = _first("snake", where=lambda rig: "tail_fin_upper" not in rig.names)
    assert figure_plan("snake", fish[2].names) == "fish" and figure_plan("snake", snake[2].names) == "serpent"
    assert [figure_plan(k, ()) for k in ("biped", "many_legs", "tree", "object", "", "rignet")] == \
        ["biped", "many_legged", "generic", "generic", "", ""]
    kind, mesh, rig = _first("tree")
    labels = make_sample(mesh, rig, View(90.0), points=200, resolution=96, category=kind).labels
    assert BODY_PLANS[labels.body_plan] == "generic" and labels.facing == UNKNOWN
    assert not labels.point_parts.any() and not labels.forward.any()  # things have no parts and no front
    kind, mesh, rig = _first("bird")
    labels = make_sample(mesh, rig, View(0.0), points=400, resolution=128).labels  # no template filed
    assert labels.body_plan == UNKNOWN and not labels.point_parts.any()


# sha256 over the name and bytes of each array a cache held before the labels, for the cache below
ARRAYS_BEFORE = ("points", "targets", "segments", "segment_start", "joints_px", "parents", "joint_start",
                 "masks", "frames", "views", "items")
GOLDEN_ARRAYS = "25b880e4444bcec119625a17fac6d10ea24583fabecb5c8b503d4ef56fe086cc"


@pytest.fixture(scope="module")
def cache_file(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("labels")
    generate(root / "data", 3, seed=9, workers=1, progress=False)
    build_sample_cache(root / "data", None, root / "c.npz", views=("front", "random"), points=256,
                       resolution=96, seed=1, workers=1, progress=False)
    return root / "c.npz"


def test_cache_adds_labels_and_keeps_its_arrays_byte_identical(cache_file: Path) -> None:
    digest = hashlib.sha256()
    with np.load(cache_file) as data:
        for name in ARRAYS_BEFORE:
            digest.update(name.encode())
            digest.update(data[name].tobytes())
        kinds = {name: (data[name].dtype, data[name].shape) for name in data.files}
    assert digest.hexdigest() == GOLDEN_ARRAYS
    assert kinds["point_parts"] == kinds["point_sides"] == (np.dtype(np.int8), (6, 256))
    assert kinds["body_plans"] == kinds["facings"] == (np.dtype(np.int8), (6,))
    assert kinds["forwards"] == (np.dtype(np.float32), (6, 3))
    cache = load_sample_cache(cache_file)
    for i in range(len(cache)):
        kind, mesh, rig = make_character(9, int(cache.items[i]))
        plan = figure_plan(kind, rig.names)
        parts, sides = bone_labels(rig.names, rig.parents, plan)
        nearest = nearest_bone(cache.points[i][:, :2], cache.sample_segments(i))[2]
        assert np.array_equal(cache[i].labels.point_parts, parts[nearest])
        assert np.array_equal(cache[i].labels.point_sides, sides[nearest])
        again = make_sample(mesh, rig, cache[i].view, points=64, resolution=96, category=kind).labels
        assert cache[i].labels.body_plan == again.body_plan == BODY_PLANS.index(plan)
        assert cache[i].labels.facing == again.facing and np.allclose(cache.forwards[i], again.forward)
    assert FACINGS[cache.facings[0]] == "viewer" or cache.body_plans[0] == BODY_PLANS.index("generic")


def test_batches_carry_the_labels_of_the_points_they_draw(cache_file: Path) -> None:
    cache = load_sample_cache(cache_file)
    batch = make_batch(cache, [1, 4], 100, seed=3, epoch=0, augment=PointAugment(noise=0.0, contract=0.0))
    assert batch.parts.shape == batch.sides.shape == (2, 100) and batch.parts.dtype == np.int64
    for row, i in enumerate([1, 4]):
        where = [int(np.flatnonzero((cache.points[i] == p).all(axis=1))[0]) for p in batch.points[row]]
        assert np.array_equal(batch.parts[row], cache.point_parts[i][where])
        assert np.array_equal(batch.sides[row], cache.point_sides[i][where])
    assert np.array_equal(batch.body_plans, cache.body_plans[[1, 4]])
    assert np.array_equal(batch.facings, cache.facings[[1, 4]])


def test_dataset_templates_are_read_or_refused_in_one_line(tmp_path: Path) -> None:
    assert read_templates(tmp_path) == {}  # RigNet's data files no template
    generate(tmp_path / "data", 2, seed=3, workers=1, progress=False)
    assert read_templates(tmp_path / "data") == {str(i): make_character(3, i)[0] for i in range(2)}
    (tmp_path / INFO_FILE).write_text("{not json")
    with pytest.raises(DatasetError, match="not a readable JSON file"):
        read_templates(tmp_path)
    (tmp_path / INFO_FILE).write_text('{"templates": ["biped"]}')
    with pytest.raises(DatasetError, match="expected a 'templates' table"):
        read_templates(tmp_path)
