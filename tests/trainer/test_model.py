"""The offset network: shapes for any batch and n, the kNN features it claims, configs that round-trip."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import torch
from tiny_training import TINY_MODEL, run

from trainer.model import (
    ConfigError,
    LocalFeatures,
    ModelConfig,
    PointNetOffsetPredictor,
    parameter_count,
)

PLAIN = replace(TINY_MODEL, neighbours=0)
POINTS_ONLY = replace(TINY_MODEL, geometric_input=False)
NO_JOINTS = replace(TINY_MODEL, joint_head=False)


def _cloud(batch: int, n: int, seed: int = 0) -> torch.Tensor:
    rng = np.random.default_rng(seed)
    return torch.from_numpy(((rng.random((batch, n, 3)) - 0.5) * [1, 1, 0.2]).astype(np.float32))


@pytest.mark.parametrize(
    "config", [TINY_MODEL, PLAIN, POINTS_ONLY, NO_JOINTS], ids=["knn", "plain", "points-only", "no-joints"]
)
@pytest.mark.parametrize("batch, n", [(1, 128), (3, 128), (2, 40), (1, 517)])
def test_forward_shape_for_any_batch_and_n(config, batch, n) -> None:
    if config.neighbours and n < config.anchors:
        n = config.anchors
    model = PointNetOffsetPredictor(config).eval()
    with torch.no_grad():
        out = run(model, _cloud(batch, n))
    assert out.shape == (batch, n, 4 if config.joint_head else 3) and out.dtype == torch.float32
    assert torch.isfinite(out).all()


def test_clouds_in_a_batch_do_not_mix() -> None:
    model = PointNetOffsetPredictor(TINY_MODEL).eval()
    a, b = _cloud(1, 200, 1), _cloud(1, 200, 2)
    with torch.no_grad():
        together = run(model, torch.cat([a, b]))
        assert torch.allclose(together[1:], run(model, b), atol=1e-6)
        assert torch.allclose(together[:1], run(model, a), atol=1e-6)


def test_global_feature_makes_each_offset_depend_on_the_whole_cloud() -> None:
    model = PointNetOffsetPredictor(replace(PLAIN, geometric_input=False)).eval()
    cloud = _cloud(1, 64)
    moved = cloud.clone()
    moved[0, 1:] *= 1.5  # every point but the first
    with torch.no_grad():
        assert not torch.allclose(model(cloud)[0, 0], model(moved)[0, 0])


def test_permuting_points_permutes_offsets() -> None:
    """Plain PointNet is fully equivariant; with kNN the anchors (first points) must stay in place."""
    cloud = _cloud(1, 300)
    rng = np.random.default_rng(5)
    for config in (PLAIN, TINY_MODEL):
        model = PointNetOffsetPredictor(config).eval()
        keep = config.anchors if config.neighbours else 0
        order = torch.from_numpy(np.concatenate([np.arange(keep), keep + rng.permutation(300 - keep)]))
        with torch.no_grad():
            assert torch.allclose(run(model, cloud)[:, order], run(model, cloud[:, order]), atol=1e-6)


def test_local_features_are_support_functions_of_the_nearest_anchors() -> None:
    config = POINTS_ONLY
    local = LocalFeatures(config).eval()
    cloud = _cloud(2, 150, 7)
    with torch.no_grad():
        got = local(cloud).numpy()
    points = cloud.numpy().astype(np.float64)
    w = local.directions.weight.detach().numpy().astype(np.float64)  # (C, 3)
    b = local.directions.bias.detach().numpy().astype(np.float64)
    for s in range(2):
        anchors = points[s, : config.anchors]
        d = ((points[s, :, None] - anchors[None]) ** 2).sum(-1)
        near = np.argsort(d, axis=1)[:, : config.neighbours]  # brute-force kNN
        rel = anchors[near] - points[s, :, None]  # (N, k, 3)
        expected = np.maximum((rel / config.local_scale @ w.T + b).max(axis=1), 0)
        assert np.allclose(got[s], expected, atol=1e-5)


def test_untrained_geometric_input_model_is_the_geometric_predictor() -> None:
    """The correction starts at zero, so training starts from the classical answer, not from noise;
    the joint head starts low everywhere, so it places no joints before it learns where they are."""
    model = PointNetOffsetPredictor(TINY_MODEL).eval()
    cloud = _cloud(2, 200, 3)
    geometric = -cloud * 0.7
    with torch.no_grad():
        out = model(cloud, geometric)
        assert torch.equal(out[..., :3], geometric)
        assert torch.all(torch.sigmoid(out[..., 3]) < 0.1)
        assert torch.equal(PointNetOffsetPredictor(NO_JOINTS)(cloud, geometric), geometric)
    with pytest.raises(ConfigError, match="needs the geometric"):
        model(cloud)
    with pytest.raises(ConfigError, match="takes no"):
        PointNetOffsetPredictor(POINTS_ONLY)(cloud, geometric)


def test_local_features_see_the_neighbours_medial_targets() -> None:
    local = LocalFeatures(TINY_MODEL).eval()
    cloud = _cloud(1, 150, 4)
    with torch.no_grad():
        a = local(cloud, cloud * 0.5)
        b = local(cloud, cloud * 0.5 + torch.tensor([0.0, 0.1, 0.0]) * (cloud[..., :1] > 0))
    assert not torch.allclose(a, b)


def test_default_model_is_small() -> None:
    model = PointNetOffsetPredictor(ModelConfig())
    assert 4 * parameter_count(model) < 2e6  # float32 bytes: under 2 MB


def test_config_round_trips_through_json() -> None:
    config = replace(TINY_MODEL, head_widths=(8, 8, 4))
    text = json.dumps(config.to_dict())
    assert ModelConfig.from_dict(json.loads(text)) == config


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"point_widths": ()}, "point_widths"),
        ({"head_widths": (8, 0)}, "head_widths"),
        ({"neighbours": -1}, "neighbours"),
        ({"neighbours": 64, "anchors": 32}, "cannot exceed anchors"),
        ({"anchors": 256, "expected_points": 128}, "cannot exceed expected_points"),
        ({"default_iterations": 0}, "default_iterations"),
        (
            {"bone_lengths": (0.0, 0.1), "length_references": 2, "length_neighbours": 3},
            "at least length_neighbours",
        ),
        ({"length_neighbours": 0}, "length_neighbours"),
        ({"length_references": -1}, "length_references"),
        ({"length_figure_weight": -1.0}, "length_figure_weight"),
        ({"length_figure_weight": float("nan")}, "length_figure_weight"),
        ({"length_figure_weight": 2.0}, "needs bone_lengths"),
    ],
)
def test_impossible_configs_are_refused(changes, words) -> None:
    with pytest.raises(ConfigError, match=words):
        replace(TINY_MODEL, **changes)


def test_unknown_config_keys_are_refused() -> None:
    with pytest.raises(ConfigError, match="unknown model config keys"):
        ModelConfig.from_dict({**TINY_MODEL.to_dict(), "dropout": 0.1})


def test_a_length_head_that_reads_the_figure_answers_only_with_it() -> None:
    """Training and contraction run without figure features; then there is no length to give."""
    config = replace(TINY_MODEL, bone_lengths=(0.0, 0.05), length_references=4, length_neighbours=2,
                     length_figure_weight=2.0)
    model = PointNetOffsetPredictor(config).eval()
    rng = np.random.default_rng(0)
    model.length.fill(rng.normal(size=(4, config.global_width)), rng.random((4, 2)), rng.random((4, 4)))
    clouds = torch.rand(3, config.expected_points, 3) - 0.5
    geometric = torch.zeros_like(clouds)
    with torch.no_grad():
        out, pooled, lengths = model.run(clouds, geometric)
        assert lengths is None and out.shape[:2] == clouds.shape[:2]
        _, _, lengths = model.run(clouds, geometric, torch.rand(3, 4))
    assert lengths.shape == (3, 2)
    assert model.length.features.shape == (config.global_width + 4, 4)  # the figure sits beside the feature
