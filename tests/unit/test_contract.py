"""Contraction: the iteration loop, predictor selection and the geometric baseline on test figures."""

from __future__ import annotations

import math

import figures
import numpy as np
import pytest

from pointskel_blender.core.contract import (
    SHIPPED_MODEL,
    Prediction,
    choose_bone_length,
    contract,
    make_predictor,
)
from pointskel_blender.core.errors import ModelError, PointSkelError
from pointskel_blender.core.lift import lift
from pointskel_blender.core.contract.geometric import GeometricPredictor, _running_max


class Halving:
    """A predictor with a known answer: every point halfway to the origin, so moves halve each time."""

    name = "halving"
    default_iterations = 5

    def predict(self, points, shape):
        return -0.5 * points


class Constant:
    """A predictor that returns whatever it was given, to check how the loop treats bad output."""

    name = "constant"
    default_iterations = 3

    def __init__(self, value):
        self.value = value

    def predict(self, points, shape):
        if np.ndim(self.value) == 0:
            return np.full(points.shape, self.value, dtype=np.float32)
        return self.value


def _segment_distance(p: np.ndarray, segments) -> np.ndarray:
    best = np.full(len(p), np.inf)
    for a, b in segments:
        a, b = np.asarray(a, float), np.asarray(b, float)
        t = np.clip(((p - a) @ (b - a)) / ((b - a) @ (b - a)), 0, 1)
        best = np.minimum(best, np.linalg.norm(p - (a + t[:, None] * (b - a)), axis=1))
    return best


def _star_axes(arms: int, size: int):
    """Arm axes in working px; PIL draws with integer coordinates at pixel centres, hence the +0.5."""
    c = 0.5 * size + 0.5
    return [
        ((c, c), (c + 0.38 * size * math.cos(a), c + 0.38 * size * math.sin(a)))
        for a in (-math.pi / 2 + 2 * math.pi * k / arms for k in range(arms))
    ]


# The loop ------------------------------------------------------------------------------------


def test_loop_applies_steps_and_stops_at_the_tolerance():
    shape = lift(figures.bar(64).mask, points=200)
    start_mean = float(np.linalg.norm(shape.points, axis=1).mean())
    result = contract(shape, Halving(), iterations=50, tolerance=start_mean / 40)
    # Moves are start_mean / 2, / 4, ...: the first under start_mean / 40 is / 64, the 6th.
    assert result.iterations == 6 and result.converged
    np.testing.assert_allclose(result.history, [start_mean / 2**k for k in range(1, 7)], rtol=1e-5)
    np.testing.assert_allclose(result.points, shape.points / 64, atol=1e-7)
    assert shape.points.flags.writeable is False  # the shape's own cloud is untouched


def test_step_scales_the_move_and_defaults_come_from_the_predictor():
    shape = lift(figures.bar(64).mask, points=100)
    result = contract(shape, Halving(), step=0.5, tolerance=0)
    assert result.iterations == Halving.default_iterations and not result.converged
    np.testing.assert_allclose(result.points, shape.points * 0.75**5, atol=1e-6)
    unchanged = contract(shape, Halving(), iterations=0)
    assert unchanged.iterations == 0 and unchanged.history == () and not unchanged.converged
    np.testing.assert_array_equal(unchanged.points, shape.points)
    with pytest.raises(ValueError):
        contract(shape, Halving(), iterations=-1)


def test_progress_reports_each_iteration_and_can_cancel():
    shape = lift(figures.bar(64).mask, points=100)
    seen: list[float] = []
    contract(shape, Halving(), iterations=4, tolerance=0, progress=seen.append)
    assert seen == [0.25, 0.5, 0.75, 1.0]
    seen.clear()
    contract(shape, Halving(), iterations=100, tolerance=1e-3, progress=seen.append)
    assert seen[-1] == 1.0 and len(seen) < 100  # an early stop still ends at 100 %

    class Cancelled(Exception):
        pass

    def cancel_after_two(fraction: float) -> None:
        seen.append(fraction)
        if len(seen) == 2:
            raise Cancelled

    seen.clear()
    with pytest.raises(Cancelled):
        contract(shape, Halving(), iterations=10, tolerance=0, progress=cancel_after_two)
    assert seen == [0.1, 0.2]


def test_bad_predictor_output_is_a_model_error():
    shape = lift(figures.bar(64).mask, points=50)
    with pytest.raises(ModelError, match="non-finite"):
        contract(shape, Constant(np.nan))
    with pytest.raises(ModelError, match="shape"):
        contract(shape, Constant(np.zeros((49, 3), np.float32)))



class ScoringHalving(Halving):
    """Halving plus joint scores: the iteration number, then `last` on the last one."""

    def __init__(self, last):
        self.calls, self.last = 0, last

    def predict_all(self, points, shape):
        self.calls += 1
        scores = np.full(len(points), 0.1 * self.calls, np.float32)
        return Prediction(self.predict(points, shape), self.last if self.calls == 3 else scores)


def test_the_contraction_hands_back_the_predictors_answer_at_the_lifted_cloud():
    shape = lift(figures.bar(64).mask, points=50)
    result = contract(shape, ScoringHalving(np.zeros(50)), iterations=3)
    np.testing.assert_allclose(result.lifted.offsets, -0.5 * shape.points)  # the first step's, not the last
    np.testing.assert_allclose(result.lifted.joint_scores, 0.1)
    assert contract(shape, Halving()).lifted.joint_scores is None
    assert contract(shape, Halving(), iterations=0).lifted is None  # no step: nothing computed


def test_joint_scores_of_the_last_iteration_come_back_clipped_and_checked():
    shape = lift(figures.bar(64).mask, points=50)
    result = contract(shape, ScoringHalving(np.linspace(-1, 2, 50)), iterations=3)
    np.testing.assert_allclose(result.joint_scores, np.clip(np.linspace(-1, 2, 50), 0, 1))
    assert contract(shape, Halving()).joint_scores is None
    with pytest.raises(ModelError, match="joint scores"):
        contract(shape, ScoringHalving(np.full(50, np.nan)), iterations=3)
    with pytest.raises(ModelError, match="joint scores"):
        contract(shape, ScoringHalving(np.zeros(49)), iterations=3)


class LengthChoosing(Halving):
    """Halving that chooses `length` for any figure, and records what it was shown."""

    def __init__(self, length):
        self.length, self.seen = length, []

    def choose_bone_length(self, shape, figure, lifted=None):
        self.seen.append((shape, figure, lifted))
        return self.length


def test_the_bone_length_is_asked_of_the_shape_and_the_figure_and_checked():
    shape = lift(figures.bar(64).mask, points=50)
    chooser, figure = LengthChoosing(0.08), np.arange(4, dtype=np.float32)
    assert choose_bone_length(chooser, shape, figure) == 0.08
    assert chooser.seen[0][0] is shape and chooser.seen[0][1] is figure
    first = contract(shape, ScoringHalving(np.zeros(50)), iterations=3).lifted
    assert choose_bone_length(chooser, shape, figure, first) == 0.08 and chooser.seen[1][2] is first
    assert choose_bone_length(Halving(), shape, figure) is None  # no opinion: the settings decide
    assert choose_bone_length(LengthChoosing(None), shape, figure) is None
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(ModelError, match="bone length"):
            choose_bone_length(LengthChoosing(bad), shape, figure)


# Choosing a predictor --------------------------------------------------------------------------


def test_make_predictor_names():
    assert isinstance(make_predictor("geometric"), GeometricPredictor)
    auto = make_predictor("auto")
    assert auto.name == ("onnx" if SHIPPED_MODEL.is_file() else "geometric")
    with pytest.raises(PointSkelError, match="auto, geometric, onnx"):
        make_predictor("neural")
    with pytest.raises(PointSkelError, match="only applies"):
        make_predictor("geometric", model_path="model.onnx")


def test_make_predictor_onnx_needs_a_model(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        make_predictor("onnx", model_path=tmp_path / "missing.onnx")
    with pytest.raises(ModelError, match="not found"):
        make_predictor("auto", model_path=tmp_path / "missing.onnx")  # an explicit file is never skipped
    if not SHIPPED_MODEL.is_file():
        with pytest.raises(ModelError, match="not found"):
            make_predictor("onnx")


# The geometric baseline ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [256, 512])
def test_geometric_contracts_the_bar_onto_its_centre_line(size):
    fig = figures.bar(size)
    shape = lift(fig.mask)
    result = contract(shape, GeometricPredictor())
    xy = shape.to_work(result.points)
    middle = fig.mask[:, size // 2]
    rows = np.flatnonzero(middle)
    centre_y = (rows[0] + rows[-1] + 1) / 2  # midway between the bar's top and bottom edges
    radius = middle.sum() / 2
    cols = np.flatnonzero(fig.mask.any(axis=0))
    assert np.abs(xy[:, 1] - centre_y).max() <= 1.5
    # The medial axis of a stadium runs between the centres of its round caps.
    assert xy[:, 0].min() >= cols[0] + radius - 1.5 and xy[:, 0].max() <= cols[-1] + 1 - radius + 1.5
    assert np.abs(result.points[:, 2]).max() < 1e-6
    assert result.converged and result.iterations < GeometricPredictor.default_iterations


@pytest.mark.parametrize("arms", [3, 4, 5, 6])
def test_geometric_puts_star_points_on_the_arm_axes(arms):
    size = 256
    shape = lift(figures.star(arms, size).mask)
    result = contract(shape, GeometricPredictor())
    d = _segment_distance(shape.to_work(result.points), _star_axes(arms, size))
    assert np.percentile(d, 99) <= 2.0 and d.max() <= 3.0
    assert result.converged


def test_geometric_plus():
    size = 256
    c = 0.5 * size + 0.5
    a, b = 0.15 * size + 0.5, 0.85 * size + 0.5  # PIL draws at pixel centres
    axes = [((a, c), (b, c)), ((c, a), (c, b))]
    shape = lift(figures.plus(size).mask)
    d = _segment_distance(shape.to_work(contract(shape, GeometricPredictor()).points), axes)
    assert np.percentile(d, 99) <= 2.0 and d.max() <= 3.0


@pytest.mark.parametrize(
    "fig", [figures.l_shape(), figures.stick_figure(), figures.fish(), figures.star(5)], ids=lambda f: f.name
)
def test_geometric_is_stable_at_corners_caps_and_junctions(fig):
    shape = lift(fig.mask)
    predictor = GeometricPredictor()
    result = contract(shape, predictor)
    assert result.converged
    assert all(a > b for a, b in zip(result.history, result.history[1:]))  # moves shrink every iteration
    xy = shape.to_work(result.points)
    assert fig.mask[np.floor(xy[:, 1]).astype(int), np.floor(xy[:, 0]).astype(int)].all()
    # Points on the ridge stay put; only a few creep along ridges that rise steeply into junctions.
    again = predictor.predict(result.points, shape)
    move_px = np.linalg.norm(again[:, :2], axis=1) * shape.work_px_per_unit
    assert np.percentile(move_px, 99) < 0.5 and move_px.max() < 4.0
    assert np.abs(again[:, 2]).max() == 0


def test_geometric_brings_points_outside_the_mask_back_to_the_axis():
    fig = figures.bar(256)
    shape = lift(fig.mask)
    rows = np.flatnonzero(fig.mask[:, 128])
    centre_y = (rows[0] + rows[-1] + 1) / 2
    x = np.linspace(80, 180, 50)
    stray_px = np.concatenate(
        [
            np.stack([x, np.full(50, rows[0] - 3.0)], axis=1),  # 3 px above the bar
            np.stack([x, np.full(50, rows[-1] + 6.0)], axis=1),  # 5 px below
            [[128.0, -200.0], [-50.0, 128.0]],  # far outside the image
        ]
    )
    stray = np.zeros((102, 3))
    stray[:, :2] = shape.frame.to_normalized(stray_px / shape.work_scale)
    predictor = GeometricPredictor()
    points = stray.astype(np.float32)
    for _ in range(predictor.default_iterations):
        points = points + predictor.predict(points, shape)
    xy = shape.to_work(points)
    assert np.isfinite(points).all()
    assert np.abs(xy[:100, 1] - centre_y).max() <= 1.5
    np.testing.assert_allclose(xy[:100, 0], np.tile(x, 2), atol=1.0)  # straight across, not along the bar
    assert np.abs(xy[100:, 1] - centre_y).max() < np.abs(stray_px[100:, 1] - centre_y).max()


def test_geometric_is_deterministic_and_accepts_any_point_count():
    shape = lift(figures.stick_figure(128).mask, points=1000, seed=2)
    a = contract(shape, GeometricPredictor())
    b = contract(shape, GeometricPredictor())
    np.testing.assert_array_equal(a.points, b.points)
    assert a.history == b.history
    assert GeometricPredictor().predict(shape.points[:0], shape).shape == (0, 3)


def test_the_rays_running_maximum_is_numpys_accumulate():
    rays = np.random.default_rng(3).normal(size=(500, 24)).astype(np.float32)
    rays[::37, 5] = np.nan  # a ray leaving the field's numbers stays unknown from there on, as in numpy's
    assert np.array_equal(_running_max(rays), np.maximum.accumulate(rays, axis=1), equal_nan=True)
