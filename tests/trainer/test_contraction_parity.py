"""The trainer contracts exactly as the add-on does: same points, same iteration count, same early stop.

The add-on side is the core's `contract` on the exported model run by onnxruntime (`OnnxPredictor`,
the predictor the pipeline makes); the trainer side is what its validation and the bone length
step use (`trainer.torch_predictor.contract_cached`, the torch model on a cached cloud).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from tiny_training import TINY_MODEL, TINY_SAMPLES, make_dataset

from pointskel_blender.core.contract import contract
from pointskel_blender.core.contract.onnx_predictor import OnnxPredictor
from trainer.export import to_onnx
from trainer.model import PointNetOffsetPredictor
from trainer.samples import SampleCache, load_sample_cache
from trainer.torch_predictor import contract_cached
from trainer.train_config import TrainConfig
from trainer.training_data import ensure_cache
from trainer.validation import skeleton_score, validate

ITERATIONS = 12  # more than the geometric contraction needs: the early stop must decide
# At the recipe's silhouette size the geometric contraction settles in 3 or 4 iterations (at 64 px
# the outline's staircase keeps points stepping across ridges, over the tolerance).
SAMPLES = replace(TINY_SAMPLES, resolution=256)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> SampleCache:
    data = make_dataset(tmp_path_factory.mktemp("data"))
    path = ensure_cache(data, "val", SAMPLES, tmp_path_factory.mktemp("cache"), workers=1, progress=False)
    return load_sample_cache(path)


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> tuple[PointNetOffsetPredictor, OnnxPredictor]:
    """A model whose correction of the geometric offsets is small but not zero, and its ONNX export."""
    torch.manual_seed(3)
    model = PointNetOffsetPredictor(replace(TINY_MODEL, default_iterations=ITERATIONS))
    with torch.no_grad():
        torch.nn.init.normal_(model.out.weight, std=2e-4)
    model.eval()
    path = Path(tmp_path_factory.mktemp("model")) / "model.onnx"
    path.write_bytes(to_onnx(model, description="parity"))
    return model, OnnxPredictor(path)


def test_trainer_contraction_equals_the_core_contraction_of_the_exported_model(cache, models) -> None:
    model, onnx = models
    indices = list(range(len(cache)))
    stopped_early = 0
    for i, trainer in zip(indices, contract_cached(model, cache, indices)):
        addon = contract(replace(cache.shape(i), points=cache.points[i]), onnx)
        got = trainer.contraction
        assert got.iterations == addon.iterations and got.converged == addon.converged
        np.testing.assert_allclose(got.history, addon.history, atol=1e-6)
        np.testing.assert_allclose(got.points, addon.points, atol=1e-5)
        np.testing.assert_allclose(got.joint_scores, addon.joint_scores, atol=1e-5)
        stopped_early += addon.iterations < ITERATIONS
    assert stopped_early == len(indices)  # every cloud settles before ITERATIONS: the early stop decided


def test_validation_scores_the_skeletons_of_the_addons_contraction(cache, models) -> None:
    model, onnx = models
    indices = [0, len(cache) - 1]
    config = TrainConfig()
    totals = validate(model, cache, indices, config, torch.device("cpu"))
    cd, f1 = 0.0, 0.0
    for i in indices:
        addon = contract(replace(cache.shape(i), points=cache.points[i]), onnx)
        score = skeleton_score(addon.points, cache, i, config.voxel, addon.joint_scores)
        cd, f1 = cd + score[0], f1 + score[1]
    assert totals[4] == len(indices)
    assert (totals[5], totals[6]) == pytest.approx((cd, f1), rel=1e-6)
    # Past a cloud's early stop its points stay put: the last iterations' distances repeat.
    assert totals[-1] == totals[-2]
