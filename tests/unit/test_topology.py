"""Topology on contracted-like clouds: the medial axes of the test figures and noisy tube clouds."""
from __future__ import annotations


import numpy as np
import pytest
from skimage import data

import figures
from contracted import FigureCloud, Tubes, figure_cloud
from pointskel_blender.core.errors import PointSkelError, SkeletonError
from pointskel_blender.core.topology import (
    DEFAULT_SETTINGS,
    BoneTree,
    TopologyError,
    TreeSettings,
    build_tree,
)

# Tip joints sit at the noisy end of a limb: with 0.9 px of noise a pointed tip lands up to ~3 px out.
TIP_SLACK_PX = 3.0

FIGURES = figures.all_figures() + [figures.stick_figure(offset_x=30), figures.stick_figure(offset_x=-40)]
CLOUDS: dict[int, FigureCloud] = {}


def figure_id(figure: figures.Figure) -> str:
    return figure.name


def cloud_of(figure: figures.Figure, seed: int = 0) -> FigureCloud:
    key = hash((figure.name, figure.mask.tobytes(), seed))
    if key not in CLOUDS:
        CLOUDS[key] = figure_cloud(figure.mask, seed=seed)
    return CLOUDS[key]


# Most checks here are about the tree's shape and its simplification at direction changes; long
# bones are split only when the test is about splitting.
UNSPLIT = TreeSettings(max_bone_voxels=0)


def tree_of(
    figure: figures.Figure, seed: int = 0, settings: TreeSettings = UNSPLIT
) -> tuple[BoneTree, FigureCloud]:
    cloud = cloud_of(figure, seed)
    return build_tree(cloud.points, cloud.thickness, settings=settings), cloud


def assert_valid(tree: BoneTree) -> None:
    assert tree.parents[0] == -1
    assert np.all(tree.parents[1:] >= 0) and np.all(tree.parents[1:] < np.arange(1, len(tree)))
    assert tree.positions.shape == (len(tree), 3) and tree.positions.dtype == np.float32
    assert np.isfinite(tree.positions).all() and np.isfinite(tree.radii).all() and (tree.radii >= 0).all()


def tubes_stick() -> Tubes:
    a = np.array
    return Tubes(
        (
            a([(0, 0.42), (0, -0.05)]),
            a([(0, 0.25), (0.2, 0.1), (0.3, -0.05)]),
            a([(0, 0.25), (-0.2, 0.1), (-0.3, -0.05)]),
            a([(0, -0.05), (0.1, -0.25), (0.13, -0.45)]),
            a([(0, -0.05), (-0.1, -0.25), (-0.13, -0.45)]),
        ),
        0.04,
    )


def tubes_star(arms: int) -> Tubes:
    ang = 2 * np.pi * np.arange(arms) / arms
    return Tubes(tuple(np.array([(0, 0), (0.4 * np.sin(t), 0.4 * np.cos(t))]) for t in ang), 0.045)


@pytest.mark.parametrize("figure", FIGURES, ids=figure_id)
def test_figure_medial_axis_gives_the_known_tree(figure):
    tree, cloud = tree_of(figure)
    assert_valid(tree)
    assert len(tree.leaves) == figure.leaves
    assert len(tree.junctions) == figure.junctions
    assert cloud.inside(tree.positions, TIP_SLACK_PX).all()
    # Chains are simplified: a handful of joints per chain, not one per voxel.
    assert len(tree) <= 1 + 4 * len(tree.chains())


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("figure", [figures.stick_figure(), figures.fish(), figures.star(5)], ids=figure_id)
def test_other_samplings_of_the_medial_axis_agree(figure, seed):
    tree, _ = tree_of(figure, seed)
    assert (len(tree.leaves), len(tree.junctions)) == (figure.leaves, figure.junctions)


def centre_px(figure: figures.Figure) -> np.ndarray:
    return np.array(figure.mask.shape[::-1]) / 2


@pytest.mark.parametrize("figure", [figures.plus(), *(figures.star(k) for k in range(3, 7))], ids=figure_id)
def test_star_root_is_at_the_centre(figure):
    tree, cloud = tree_of(figure)
    root_px = cloud.pixels(tree.positions[:1])[0]
    arm_radius_px = 0.05 * figure.mask.shape[0]
    assert np.linalg.norm(root_px - centre_px(figure)) < arm_radius_px
    assert tree.degrees[0] == figure.leaves


@pytest.mark.parametrize("offset", [0, 30, -40])
def test_stick_figure_root_is_in_the_torso(offset):
    figure = figures.stick_figure(offset_x=offset)
    tree, cloud = tree_of(figure)
    x, y = cloud.pixels(tree.positions[:1])[0]
    size = figure.mask.shape[0]
    assert abs(x - (size / 2 + offset)) < 0.06 * size  # within the torso's half-width
    assert 0.27 * size < y < 0.62 * size  # between the neck and the bottom of the pelvis


def test_bar_root_is_near_the_middle_and_the_bar_has_few_joints():
    tree, cloud = tree_of(figures.bar())
    assert abs(tree.positions[0, 0]) < 0.1
    assert len(tree) <= 3
    vertical, _ = tree_of(figures.bar(vertical=True))
    assert abs(vertical.positions[0, 1]) < 0.1 and len(vertical) <= 3


@pytest.mark.parametrize("figure", [figures.bar(), figures.l_shape(), figures.star(5)], ids=figure_id)
def test_long_bones_are_split_evenly_and_corners_stay(figure):
    plain, _ = tree_of(figure)
    split, cloud = tree_of(figure, settings=DEFAULT_SETTINGS)
    max_bone = DEFAULT_SETTINGS.max_bone_voxels * 0.02
    lengths = np.linalg.norm(split.positions[split.bones[:, 1]] - split.positions[split.bones[:, 0]], axis=1)
    assert lengths.max() < 1.5 * max_bone + 0.02
    assert len(split) > len(plain)
    assert (len(split.leaves), len(split.junctions)) == (len(plain.leaves), len(plain.junctions))
    # every joint of the unsplit tree (corners, junctions, tips) is still there
    gap = np.linalg.norm(plain.positions[:, None] - split.positions[None], axis=2).min(axis=1)
    assert gap.max() < 0.02
    assert cloud.inside(split.positions, TIP_SLACK_PX).all()


def test_l_shape_has_a_joint_at_the_corner():
    figure = figures.l_shape()
    tree, cloud = tree_of(figure)
    corner = np.array([0.3, 0.75]) * figure.mask.shape[0]
    arm_width = 0.12 * figure.mask.shape[0]
    assert np.linalg.norm(cloud.pixels(tree.positions) - corner, axis=1).min() < arm_width / 2
    ends = cloud.pixels(tree.positions[tree.leaves])
    tips = np.array([[0.3, 0.15], [0.8, 0.75]]) * figure.mask.shape[0]
    assert np.sort(np.linalg.norm(ends[:, None] - tips[None], axis=2).min(axis=0)).max() < arm_width


@pytest.mark.parametrize("seed", range(4))
def test_noisy_tube_cloud_with_blobs_spurs_and_strays(seed):
    tubes = tubes_stick()
    points = tubes.cloud(
        4096,
        seed=seed,
        noise=0.008,
        uneven=0.7,
        blobs=((0, 0.25), (0, -0.05)),
        spurs=(((0.2, 0.1), (0.215, 0.125)), ((-0.1, -0.25), (-0.125, -0.24))),  # at an elbow and a knee
        outliers=12,
    )
    tree = build_tree(points, tubes.thickness)
    assert_valid(tree)
    assert (len(tree.leaves), len(tree.junctions)) == (5, 2)
    assert (tubes.thickness(tree.positions) > 0).all()
    assert tree.positions[0, 1] > -0.05 and tree.positions[0, 1] < 0.25 and abs(tree.positions[0, 0]) < 0.04


@pytest.mark.parametrize("arms", [5, 6])
def test_junction_blob_becomes_one_junction(arms):
    tubes = tubes_star(arms)
    for seed in range(3):
        points = tubes.cloud(
            4096, seed=seed, noise=0.008, uneven=0.7, blobs=((0, 0),), blob_share=0.08, outliers=10
        )
        tree = build_tree(points, tubes.thickness)
        assert (len(tree.leaves), len(tree.junctions)) == (arms, 1)
        assert np.linalg.norm(tree.positions[0, :2]) < tubes.radius


def test_without_denoising_a_scattered_band_grows_false_limbs():
    """The smoothing step is what keeps a band of scatter from reading as several limbs."""
    tubes = tubes_star(5)
    points = tubes.cloud(4096, seed=1, noise=0.008, uneven=0.7)
    raw = build_tree(points, tubes.thickness, settings=TreeSettings(smooth_steps=0))
    assert len(raw.leaves) > 5
    assert len(build_tree(points, tubes.thickness).leaves) == 5


def test_stray_points_far_away_are_dropped():
    tubes = Tubes((np.array([(-0.4, 0.0), (0.4, 0.0)]),), 0.05)
    points = tubes.cloud(4096, seed=0, noise=0.004)
    strays = np.float32([[0.0, 0.45, 0.0], [0.3, -0.4, 0.05], [-0.45, 0.3, -0.1], [0.01, 0.46, 0.0]])
    clump = np.random.default_rng(1).normal([0.2, 0.35, 0.0], 0.005, (40, 3)).astype(np.float32)
    tree = build_tree(np.concatenate([points, strays, clump]), tubes.thickness)
    assert len(tree.leaves) == 2 and len(tree.junctions) == 0
    assert np.abs(tree.positions[:, 1]).max() < 0.03


def test_disconnected_pieces_are_joined_into_one_tree():
    gap = Tubes((np.array([(-0.4, 0.0), (-0.06, 0.0)]), np.array([(0.06, 0.0), (0.4, 0.0)])), 0.04)
    points = gap.cloud(4096, seed=1, noise=0.005)
    tree = build_tree(points, gap.thickness)
    assert_valid(tree)
    x = tree.positions[:, 0]
    assert x.min() < -0.3 and x.max() > 0.3
    # one bone bridges the gap
    bones = tree.positions[tree.bones]
    assert np.any((bones[:, :, 0].min(axis=1) < -0.05) & (bones[:, :, 0].max(axis=1) > 0.05))


def test_far_apart_pieces_of_similar_size_are_both_kept():
    a = Tubes((np.array([(-0.45, -0.3), (-0.2, -0.3)]),), 0.03).cloud(1000, seed=0, noise=0.004)
    b = Tubes((np.array([(0.2, 0.3), (0.45, 0.3)]),), 0.03).cloud(1000, seed=1, noise=0.004)
    tree = build_tree(np.concatenate([a, b]), lambda p: np.full(len(p), 0.03))
    assert tree.positions[:, 0].min() < -0.4 and tree.positions[:, 0].max() > 0.4
    assert len(tree.leaves) == 2


def test_empty_or_non_finite_input_is_a_user_error():
    thick = lambda p: np.full(len(p), 0.05)  # noqa: E731
    with pytest.raises(TopologyError):
        build_tree(np.zeros((0, 3)), thick)
    with pytest.raises(PointSkelError):
        build_tree(np.full((10, 3), np.nan), thick)
    with pytest.raises(ValueError):
        build_tree(np.zeros((10, 2)), thick)
    with pytest.raises(ValueError):
        build_tree(np.zeros((10, 3)), thick, voxel=0)


def test_degenerate_inputs_give_small_valid_trees():
    thick = lambda p: np.full(len(p), 0.01)  # noqa: E731
    single = build_tree(np.array([[0.1, 0.2, 0.0]]), thick)
    assert len(single) == 1 and np.allclose(single.positions[0], [0.1, 0.2, 0.0])

    two = build_tree(np.array([[-0.2, 0.0, 0.0], [0.3, 0.1, 0.0]]), thick)
    assert_valid(two)
    assert len(two) == 2
    assert np.allclose(np.sort(two.positions[:, 0]), [-0.2, 0.3], atol=1e-6)

    rng = np.random.default_rng(0)
    speck = (rng.random((50, 3)) * 0.01).astype(np.float32)  # all inside one 0.02 voxel
    tiny = build_tree(speck, thick)
    assert_valid(tiny)
    assert len(tiny) >= 2
    assert np.all(tiny.positions >= speck.min(axis=0) - 1e-6)
    assert np.all(tiny.positions <= speck.max(axis=0) + 1e-6)

    disc = lambda p: np.maximum(0.09 - np.linalg.norm(p[:, :2], axis=1), 0)  # noqa: E731
    flat = build_tree(rng.normal(0, [0.03, 0.03, 0.005], (2000, 3)).astype(np.float32), disc)
    assert_valid(flat)
    assert 2 <= len(flat) <= 3  # a round shape contracts to a blob: one short bar of bones
    ball = rng.normal(0, 0.03, (2000, 3)).astype(np.float32)
    round_tree = build_tree(ball, disc, settings=UNSPLIT)
    assert_valid(round_tree)
    assert 2 <= len(round_tree) <= 8
    assert np.linalg.norm(round_tree.positions, axis=1).max() < 0.1

    same = build_tree(np.zeros((20, 3)), thick)
    assert len(same) == 1


def test_nan_rows_are_ignored_and_bad_thickness_values_are_clamped():
    tubes = tubes_star(3)
    points = tubes.cloud(2048, seed=0, noise=0.004)
    points[::97] = np.nan
    tree = build_tree(points, lambda p: np.where(p[:, 0] > 0.2, np.nan, tubes.thickness(p) - 0.01))
    assert_valid(tree)
    assert len(tree.leaves) == 3


def test_build_tree_is_deterministic_and_order_independent():
    cloud = cloud_of(figures.stick_figure())
    a = build_tree(cloud.points, cloud.thickness)
    b = build_tree(cloud.points.copy(), cloud.thickness)
    assert np.array_equal(a.positions, b.positions) and np.array_equal(a.parents, b.parents)
    shuffled = cloud.points[np.random.default_rng(5).permutation(len(cloud.points))]
    c = build_tree(shuffled, cloud.thickness)
    assert np.array_equal(a.parents, c.parents)
    assert np.allclose(a.positions, c.positions, atol=1e-5)


def test_coarser_voxels_give_fewer_nodes_but_the_same_topology():
    figure = figures.stick_figure()
    cloud = cloud_of(figure)
    for voxel in (0.015, 0.03):
        tree = build_tree(cloud.points, cloud.thickness, voxel=voxel)
        assert (len(tree.leaves), len(tree.junctions)) == (5, 2)


def test_real_silhouette_horse():
    """scikit-image's horse (side view): head, tail and four legs, plus an ear where it shows."""
    cloud = figure_cloud(~data.horse(), seed=0)
    tree = build_tree(cloud.points, cloud.thickness)
    assert_valid(tree)
    assert 6 <= len(tree.leaves) <= 7
    assert cloud.inside(tree.positions, 2 * TIP_SLACK_PX).all()
    legs = cloud.pixels(tree.positions[tree.leaves])[:, 1] > 0.85 * cloud.mask.shape[0]
    assert legs.sum() == 4  # four hooves at the bottom


def test_bone_tree_helpers_and_validation():
    tree = BoneTree(np.zeros((5, 3)), [-1, 0, 1, 1, 0], np.ones(5))
    assert tree.children == [[1, 4], [2, 3], [], [], []]
    assert tree.degrees.tolist() == [2, 3, 1, 1, 1]
    assert tree.leaves.tolist() == [2, 3, 4] and tree.junctions.tolist() == [1]
    assert tree.bones.tolist() == [[0, 1], [1, 2], [1, 3], [0, 4]]
    assert tree.chains() == [[0, 1], [0, 4], [1, 2], [1, 3]]
    with pytest.raises(ValueError):
        tree.positions[0, 0] = 1.0
    with pytest.raises(SkeletonError):
        BoneTree(np.zeros((3, 3)), [-1, 2, 0], np.ones(3))
    with pytest.raises(SkeletonError):
        BoneTree(np.zeros((3, 3)), [0, -1, 0], np.ones(3))
    with pytest.raises(SkeletonError):
        BoneTree(np.zeros((2, 3)), [-1, 0], np.ones(3))


def _bumps(points: np.ndarray, centres_y: list[float], width: float = 0.02) -> np.ndarray:
    """Triangular score bumps: nothing beyond `width`, so only joints near them see them."""
    return sum(np.clip(1 - np.abs(points[:, 1] - c) / width, 0, None) for c in centres_y)


def test_joint_scores_move_the_inner_joints_to_their_peaks():
    """A straight bar has no bend to find an elbow by; a learned score says where it is."""
    cloud = cloud_of(figures.bar(vertical=True))
    plain = build_tree(cloud.points, cloud.thickness)
    inner = [j for j in range(1, len(plain)) if plain.degrees[j] == 2]
    assert len(inner) >= 4  # evenly split
    peaks = [plain.positions[inner[0], 1] + 0.015, plain.positions[inner[-1], 1] - 0.018]  # within reach
    tree = build_tree(cloud.points, cloud.thickness, joint_scores=_bumps(cloud.points, peaks))
    assert_valid(tree)
    assert len(tree) == len(plain) and np.array_equal(tree.parents, plain.parents)
    for y in peaks:
        # a joint moved onto each peak, to within the node it sits on (nodes are about a voxel apart)
        assert np.abs(tree.positions[:, 1] - y).min() < 0.6 * 0.02
    moved = np.linalg.norm(tree.positions - plain.positions, axis=1) > 1e-6
    assert 2 <= moved.sum() <= 4  # the ones near the peaks, not the ends or the rest
    # scores that say nothing change nothing
    flat = build_tree(cloud.points, cloud.thickness, joint_scores=np.zeros(len(cloud.points)))
    np.testing.assert_allclose(flat.positions, plain.positions)


def test_joint_scores_never_move_a_joint_past_its_neighbours_or_far():
    cloud = cloud_of(figures.bar(vertical=True))
    plain = build_tree(cloud.points, cloud.thickness)
    far = np.max(np.abs(cloud.points[:, 1])) * 0.999
    scores = _bumps(cloud.points, [far, -far])  # peaks at the tips only
    tree = build_tree(cloud.points, cloud.thickness, joint_scores=scores)
    shift = np.linalg.norm(tree.positions - plain.positions, axis=1)
    assert shift.max() <= DEFAULT_SETTINGS.score_reach * 0.02 + 0.021  # reach plus a node spacing
    for chain in tree.chains():
        y = tree.positions[chain, 1]
        assert np.all(np.diff(y) > 0) or np.all(np.diff(y) < 0)  # order along the bar kept


def test_joint_scores_must_match_the_points():
    cloud = cloud_of(figures.bar())
    with pytest.raises(ValueError, match="one value per point"):
        build_tree(cloud.points, cloud.thickness, joint_scores=np.zeros(len(cloud.points) - 1))
    # NaN rows drop out together with their scores
    points = cloud.points.copy()
    points[:5] = np.nan
    tree = build_tree(points, cloud.thickness, joint_scores=np.zeros(len(points)))
    assert_valid(tree)


def test_a_bone_graph_cuts_the_same_trees_build_tree_builds_at_every_split():
    """The pipeline measures the unsplit tree and then cuts the chosen split from the same graph."""
    from dataclasses import replace

    from pointskel_blender.core.topology import BoneGraph

    cloud = cloud_of(figures.plus())
    scores = _bumps(cloud.points, [0.1, -0.1])
    graph = BoneGraph(cloud.points, cloud.thickness, joint_scores=scores)
    for split in (0.0, 2.0, 3.0, 4.5):
        settings = replace(DEFAULT_SETTINGS, max_bone_voxels=split)
        for with_scores in (True, False):
            expected = build_tree(cloud.points, cloud.thickness, settings=settings,
                                  joint_scores=scores if with_scores else None)
            got = graph.tree(split, scores=with_scores)
            np.testing.assert_array_equal(got.positions, expected.positions)
            np.testing.assert_array_equal(got.parents, expected.parents)
    assert len(graph.tree(0.0)) < len(graph.tree()) == len(build_tree(cloud.points, cloud.thickness))
    blob = BoneGraph(np.zeros((5, 3)), cloud.thickness)  # too small for the grid: one answer at any split
    assert len(blob.tree(0.0)) == len(blob.tree(3.0)) == 1
