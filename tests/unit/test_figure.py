"""Figure features: the unsplit tree's ends, forks, joints and length, at the fixed detail."""

from __future__ import annotations

import figures
import numpy as np
import pytest

from pointskel_blender.core.contract import contract
from pointskel_blender.core.figure import FIGURE_FEATURES, FIGURE_VOXEL, figure_features
from pointskel_blender.core.lift import lift
from pointskel_blender.core.contract.geometric import GeometricPredictor
from pointskel_blender.core.topology import TopologyError, build_tree


def _contracted(mask: np.ndarray):
    shape = lift(mask, points=1000, seed=1)
    return shape, contract(shape, GeometricPredictor()).points


@pytest.mark.parametrize(
    "figure, ends, forks, joints",
    [("bar", 2, 1, 3), ("plus", 4, 1, 5)],  # the root sits in the middle: a bar's two halves fork there
)
def test_a_bar_and_a_plus_have_the_ends_their_shapes_have(figure, ends, forks, joints) -> None:
    shape, contracted = _contracted(getattr(figures, figure)(128).mask)
    found = figure_features(contracted, shape.radius_at)
    assert found.dtype == np.float32 and found.shape == (len(FIGURE_FEATURES),)
    assert found[:3].tolist() == [ends, forks, joints]


def test_the_length_is_the_trees_total_bone_length_whatever_the_split() -> None:
    shape, contracted = _contracted(figures.bar(128).mask)
    length = figure_features(contracted, shape.radius_at)[3]
    extent = np.ptp(contracted[:, 0])  # a horizontal bar: its axis spans about the cloud's width
    assert 0.8 * extent <= length <= 1.05 * extent
    # Unsplit: a bar's halves are one bone each, where the default tree splits them every 3 voxels.
    assert figure_features(contracted, shape.radius_at)[2] == 3
    assert len(build_tree(contracted, shape.radius_at, voxel=FIGURE_VOXEL)) > 3


def test_an_empty_cloud_is_a_topology_error() -> None:
    shape, _ = _contracted(figures.bar(64).mask)
    with pytest.raises(TopologyError):
        figure_features(np.zeros((0, 3), np.float32), shape.radius_at)


def test_a_graph_at_the_figure_detail_is_reused_and_any_other_is_not() -> None:
    from pointskel_blender.core.topology import BoneGraph

    shape, contracted = _contracted(figures.plus(128).mask)
    alone = figure_features(contracted, shape.radius_at)
    shared = BoneGraph(contracted, shape.radius_at, voxel=FIGURE_VOXEL, joint_scores=np.ones(len(contracted)))
    # the scores are unused
    np.testing.assert_array_equal(figure_features(contracted, shape.radius_at, shared), alone)
    coarse = BoneGraph(contracted, shape.radius_at, voxel=0.05)  # the user's detail: measured apart
    np.testing.assert_array_equal(figure_features(contracted, shape.radius_at, coarse), alone)
