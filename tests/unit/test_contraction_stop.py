"""The contraction's early stop with the shipped model (`core.contract.steps.TOLERANCE`): it stops once
the points have settled, when another run would move them far less than the topology can see."""

from __future__ import annotations

import anatomy_figures
import figures
import numpy as np

from pointskel_blender.core.contract import contract, make_predictor
from pointskel_blender.core.contract.steps import TOLERANCE
from pointskel_blender.core.lift import lift
from pointskel_blender.core.settings import DEFAULT_VOXEL


def test_the_shipped_model_settles_in_two_runs_where_a_third_would_barely_move_the_points():
    predictor = make_predictor("onnx")
    drawn = (figures.stick_figure(), anatomy_figures.dog(), anatomy_figures.humanoid_tpose())
    for mask in (figure.mask for figure in drawn):
        shape = lift(mask, points=4096, seed=0)
        settled = contract(shape, predictor)
        assert settled.converged and settled.iterations == 2
        assert TOLERANCE <= 0.1 * DEFAULT_VOXEL < settled.history[0]
        third = contract(shape, predictor, iterations=3, tolerance=0.0)
        np.testing.assert_array_equal(third.history[:2], settled.history)
        assert third.history[2] < TOLERANCE / 3  # a run more: a sixtieth of a voxel
        moved = np.linalg.norm(third.points - settled.points, axis=1).mean()
        np.testing.assert_allclose(moved, third.history[2], rtol=1e-5)


def test_a_figure_still_moving_after_two_runs_gets_a_third():
    shape = lift(anatomy_figures.plush_bear().mask, points=4096, seed=0)  # fat limbs: slower to settle
    result = contract(shape, make_predictor("onnx"))
    assert result.history[1] >= TOLERANCE and result.iterations >= 3 and result.converged
