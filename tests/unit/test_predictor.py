"""The predictor protocols and the grouping every learned predictor (ONNX and torch) shares."""

from __future__ import annotations

import numpy as np

from pointskel_blender.core.contract.geometric import GeometricPredictor
from pointskel_blender.core.contract.predictor import (
    LengthChooser,
    OffsetPredictor,
    RichPredictor,
    group_order,
)


def test_group_order_covers_every_point_in_uniform_groups() -> None:
    order, groups = group_order(1000, 128, seed=4)
    assert groups.shape == (8, 128)
    assert np.array_equal(np.sort(order), np.arange(1000))
    assert np.array_equal(groups.ravel()[:1000], order)  # the first pass scatters back every point once
    assert set(groups.ravel()[1000:]) <= set(order)  # padding repeats points


def test_the_geometric_predictor_is_an_offset_predictor_but_not_rich_nor_a_length_chooser() -> None:
    predictor = GeometricPredictor()
    assert isinstance(predictor, OffsetPredictor)
    assert not isinstance(predictor, RichPredictor)
    assert not isinstance(predictor, LengthChooser)
