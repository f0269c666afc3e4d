"""The bone length head: measured on real cached clouds, fitted, exported, and used by the pipeline."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from tiny_training import TINY_MODEL, TINY_SAMPLES, make_dataset

from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.figure import figure_features
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.contract.onnx_predictor import OnnxPredictor
from trainer.bone_length import (
    CANDIDATES,
    DEFAULT_CANDIDATE,
    FIGURE_WEIGHTS,
    NEIGHBOURS,
    LengthTable,
    choose,
    choose_neighbours,
    main,
    measure,
    neighbour_picks,
    with_length_head,
)
from trainer.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from trainer.export import SAMPLE, export_model
from trainer.model import ConfigError, PointNetOffsetPredictor
from trainer.samples import load_sample_cache
from trainer.torch_predictor import contract_cached
from trainer.validation import skeleton_score, validation_indices
from trainer.training_data import ensure_cache


@pytest.fixture(scope="module")
def caches(tmp_path_factory) -> dict[str, Path]:
    data = make_dataset(tmp_path_factory.mktemp("data"), count=10)
    folder = tmp_path_factory.mktemp("cache")
    return {s: ensure_cache(data, s, TINY_SAMPLES, folder, workers=1, progress=False)
            for s in ("train", "val")}


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("run") / "best.pt"
    save_checkpoint(path, Checkpoint(TINY_MODEL, PointNetOffsetPredictor(TINY_MODEL).state_dict(), step=7))
    return path


def test_measure_scores_the_addons_skeleton_at_every_length(caches) -> None:
    cache = load_sample_cache(caches["val"])
    model = PointNetOffsetPredictor(TINY_MODEL)
    table = measure(model, cache, [0, 1], CANDIDATES, progress=False)
    assert table.features.shape == (2, TINY_MODEL.global_width)
    assert table.cd.shape == table.f1.shape == (2, len(CANDIDATES))
    assert table.figures.shape == (2, 4)
    assert list(table.items) == [cache.items[0], cache.items[1]]
    # An untrained geometric-input model is the geometric predictor: its contraction, then each length.
    (cached,) = contract_cached(model, cache, [1], torch.device("cpu"))
    contracted, scores = cached.contraction.points, cached.contraction.joint_scores
    np.testing.assert_allclose(table.features[1], cached.features, rtol=1e-6)
    np.testing.assert_array_equal(table.figures[1], figure_features(contracted, cache.shape(1).radius_at))
    for k in (0, DEFAULT_CANDIDATE, len(CANDIDATES) - 1):
        assert (table.cd[1, k], table.f1[1, k]) == pytest.approx(
            skeleton_score(contracted, cache, 1, 0.02, scores, CANDIDATES[k])
        )


def _table(
    features: np.ndarray, best: np.ndarray, items: np.ndarray | None = None, figures: np.ndarray | None = None
) -> LengthTable:
    """Clouds whose skeletons score F1 0.8 at their `best` candidate (of 3) and 0.4 elsewhere."""
    f1 = np.full((len(features), 3), 0.4)
    f1[np.arange(len(features)), best] = 0.8
    items = np.array([f"c{i}" for i in range(len(features))]) if items is None else items
    figures = np.zeros((len(features), 4), np.float32) if figures is None else figures
    return LengthTable(features, figures, np.full((len(features), 3), 5.0), f1, items)


def test_the_filled_head_picks_what_scored_best_for_similar_clouds_at_any_scale() -> None:
    rng = np.random.default_rng(0)
    # Not standardized: the deciding axis is 1000 times smaller than the other two.
    features = (rng.normal(size=(400, 3)) * [0.01, 10, 10] + 50).astype(np.float32)
    table = _table(features, np.where(features[:, 0] > 50, 2, 0))
    config = replace(TINY_MODEL, global_width=3, bone_lengths=(0.0, 0.05, 0.1), length_references=400,
                     length_neighbours=5)
    model = PointNetOffsetPredictor(config).eval()
    model.length.fill(table.features, table.utility(0.1))
    fresh = (rng.normal(size=(200, 3)) * [0.01, 10, 10] + 50).astype(np.float32)
    picks = choose(model, _table(fresh, np.zeros(200, int)))
    assert (picks == np.where(fresh[:, 0] > 50, 2, 0)).mean() > 0.9
    assert set(picks.tolist()) <= {0, 2}  # it can only vote for what some remembered cloud scored best
    with pytest.raises(ConfigError, match="does not fit the head"):
        model.length.fill(table.features[:10], table.utility(0.1)[:10])


def test_neighbours_come_from_other_characters_and_the_cross_validation_picks_k() -> None:
    # Two views of each character sit on top of each other; the nearest other character is what counts.
    features = np.array([[0.0], [0.0], [1.0], [1.0], [5.0], [5.0]])
    items = np.array(["a", "a", "b", "b", "c", "c"])
    table = _table(features, np.array([0, 0, 2, 2, 2, 2]), items)
    picks = neighbour_picks(table, 0.1, [1, 2])
    assert picks[1].tolist() == [2, 2, 0, 0, 2, 2]  # a's view is voted on by b's, never by a's own twin
    k, weight, scores = choose_neighbours(table, 0.1, neighbours=(1, 2, 3, 10), figure_weights=(0.0,))
    # 10 is more than the 4 clouds of other characters
    assert set(scores) == {"k=1 w=0", "k=2 w=0", "k=3 w=0"}
    assert f"k={k} w={weight:g}" == max(scores, key=scores.get)
    # A table of clustered characters: the cross-validation prefers a few neighbours to all of them.
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(40, 4)) * 3
    features = np.repeat(centres, 5, axis=0) + rng.normal(size=(200, 4)) * 0.3
    groups = np.repeat(np.arange(40), 5)
    clustered = _table(features, np.where(features[:, 1] > 0, 1, 2), np.array([f"g{g // 2}" for g in groups]))
    k, weight, scores = choose_neighbours(clustered, 0.1)
    assert len(scores) == len(NEIGHBOURS) * len(FIGURE_WEIGHTS)
    assert scores[f"k={k} w={weight:g}"] > scores[f"k={max(NEIGHBOURS)} w=0"]
    with pytest.raises(PointSkelError, match="too few"):
        choose_neighbours(_table(np.zeros((2, 1)), np.zeros(2, int), np.array(["a", "a"])), 0.1)


def test_figure_features_decide_where_the_global_feature_cannot() -> None:
    """Spiders and horses with the same global feature: only how many ends their trees have tells
    which length suits them, and the cross-validation finds that weight."""
    rng = np.random.default_rng(3)
    features = rng.normal(size=(120, 4))  # uninformative
    ends = rng.choice([4.0, 8.0], size=120)
    figures = np.stack([ends, ends / 2, ends * 2.5, ends / 4], axis=1) + rng.normal(size=(120, 4)) * 0.1
    table = _table(features, np.where(ends > 6, 0, 2), np.array([f"c{i // 2}" for i in range(120)]), figures)
    k, weight, scores = choose_neighbours(table, 0.1)
    assert weight > 0
    assert scores[f"k={k} w={weight:g}"] > max(v for n, v in scores.items() if n.endswith("w=0"))
    config = replace(TINY_MODEL, global_width=4, bone_lengths=(0.0, 0.05, 0.1), length_references=120,
                     length_neighbours=k, length_figure_weight=weight)
    model = PointNetOffsetPredictor(config).eval()
    model.length.fill(table.features, table.utility(0.1), table.figures)
    fresh_ends = np.array([4.0, 8.0, 8.0, 4.0])
    fresh = _table(rng.normal(size=(4, 4)), np.zeros(4, int),
                   figures=np.stack([fresh_ends, fresh_ends / 2, fresh_ends * 2.5, fresh_ends / 4], axis=1))
    assert choose(model, fresh).tolist() == [2, 0, 0, 2]
    with pytest.raises(ConfigError, match="figure features"):
        model.length.fill(table.features, table.utility(0.1))
    with pytest.raises(ConfigError, match="figure features"):
        model.length(torch.zeros(1, 4))


def test_with_length_head_keeps_the_network_and_adds_a_fitted_head(caches, checkpoint) -> None:
    original = load_checkpoint(checkpoint)
    val_cache = load_sample_cache(caches["val"])
    result, summary = with_length_head(
        original,
        load_sample_cache(caches["train"]),
        samples=6,
        neighbours=2,
        figure_weight=2.0,
        val_cache=val_cache,
        val_samples=None,
        progress=False,
    )
    assert result.model_config == replace(
        TINY_MODEL, bone_lengths=CANDIDATES, length_references=6, length_neighbours=2,
        length_figure_weight=2.0,
    )
    for key, value in original.state_dict.items():
        assert torch.equal(result.state_dict[key], value)
    assert {k for k in result.state_dict if k.startswith("length.")} == {
        "length.center", "length.scale", "length.features", "length.norms", "length.scores"
    }
    train_cache = load_sample_cache(caches["train"])
    indices = validation_indices(len(train_cache), 6)
    table = measure(result.model(), train_cache, indices, CANDIDATES, progress=False)
    remembered = result.state_dict["length.scores"].numpy()
    np.testing.assert_allclose(remembered, table.utility(0.1), rtol=1e-5, atol=1e-6)
    assert summary["neighbours"] == 2 and summary["figure_weight"] == 2.0 and summary["cross_validated"] == {}
    np.testing.assert_allclose(  # the figure features sit beside the global feature, standardized
        result.state_dict["length.features"][-4:].T.numpy() * result.state_dict["length.scale"][-4:].numpy()
        + result.state_dict["length.center"][-4:].numpy(),
        table.figures,
        rtol=1e-4,
        atol=1e-4,
    )
    assert summary["train"]["clouds"] == 6 and summary["val"]["clouds"] == len(val_cache)
    assert sum(summary["val"]["picked"].values()) == len(val_cache)
    for part in ("train", "val"):
        report = summary[part]
        assert report["best_per_cloud"]["f1"] >= max(report["chosen"]["f1"], report["fixed"]["f1"]) - 1e-9
    assert result.data["bone_length_head"] == summary
    assert result.step == 7


def test_cli_writes_a_checkpoint_that_exports_for_the_addon(caches, checkpoint, tmp_path, capsys) -> None:
    out = tmp_path / "with_head.pt"
    argv = [str(checkpoint), "--cache", str(caches["train"]), "--val-cache", str(caches["val"]),
            "--out", str(out), "--samples", "6", "--val-samples", "2", "--quiet"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "leave-one-character-out utility" in printed  # k was cross-validated
    assert "train, leave-one-character-out (6 clouds): chosen CD-J2J" in printed
    assert "val (2 clouds)" in printed
    model = load_checkpoint(out).model().eval()
    onnx_path = tmp_path / "model.onnx"
    export_model(model, onnx_path, description="tiny with a length head")
    assert OnnxPredictor(onnx_path).bone_lengths == CANDIDATES

    assert main([str(tmp_path / "missing.pt"), "--cache", str(caches["train"]), "--out", str(out)]) == 2
    assert "checkpoint not found" in capsys.readouterr().err
    bad = [str(checkpoint), "--cache", str(caches["train"]), "--out", str(tmp_path / "x.pt"),
           "--samples", "3", "--neighbours", "4", "--quiet"]
    assert main(bad) == 2
    assert "--neighbours must be between 1 and the 3 measured clouds" in capsys.readouterr().err
    assert main([*bad[:-3], "--figure-weight", "-1", "--quiet"]) == 2
    assert "--figure-weight must be a number >= 0" in capsys.readouterr().err


def test_the_pipeline_uses_the_models_bone_length_unless_told_otherwise(tmp_path) -> None:
    torch.manual_seed(0)
    config = replace(TINY_MODEL, bone_lengths=CANDIDATES, length_references=3, length_neighbours=2)
    model = PointNetOffsetPredictor(config).eval()
    always_never = np.zeros((3, len(CANDIDATES)))
    always_never[:, 0] = 1.0  # every remembered cloud scored best with "never split"
    model.length.fill(np.random.default_rng(0).normal(size=(3, TINY_MODEL.global_width)), always_never)
    path = tmp_path / "never_split.onnx"
    export_model(model, path, description="always picks 0")
    auto = run_pipeline(SAMPLE, PipelineSettings(predictor="onnx", model_path=str(path)))
    chosen = auto.skeleton.metadata
    assert (chosen["bone_length"], chosen["bone_length_from"]) == (0.0, "model")
    fixed = run_pipeline(SAMPLE, PipelineSettings(predictor="onnx", model_path=str(path),
                                                  auto_bone_length=False))
    given = fixed.skeleton.metadata
    assert (given["bone_length"], given["bone_length_from"]) == (0.06, "settings")
    assert len(fixed.tree) > len(auto.tree)  # 3-voxel splits add joints to the medial tree's straight limbs
    geometric = run_pipeline(SAMPLE, PipelineSettings(predictor="geometric", bone_length=0.1))
    assert geometric.skeleton.metadata["bone_length_from"] == "settings"  # no model, no choice
    assert geometric.skeleton.metadata["bone_length"] == 0.1


def test_the_pipeline_feeds_a_figure_model_the_tree_of_the_image_at_hand(tmp_path) -> None:
    """Two remembered clouds with the same global feature, one with the sample's own tree and one
    with a far bigger tree: the exported model must pick the length of the one like the sample."""
    from pointskel_blender.core.contract import make_predictor

    torch.manual_seed(0)
    config = replace(TINY_MODEL, bone_lengths=CANDIDATES, length_references=2, length_neighbours=1,
                     length_figure_weight=100.0)
    same_feature = np.repeat(np.random.default_rng(0).normal(size=(1, TINY_MODEL.global_width)), 2, axis=0)
    model = PointNetOffsetPredictor(config).eval()

    def run(scores: np.ndarray, figures: np.ndarray, name: str):
        model.length.fill(same_feature, scores, figures)
        path = tmp_path / f"{name}.onnx"
        export_model(model, path, description="figure decides")
        return run_pipeline(SAMPLE, PipelineSettings(predictor="onnx", model_path=str(path))), path

    first, _ = run(np.eye(2, len(CANDIDATES)), np.zeros((2, 4)), "probe")  # the table does not move the cloud
    own = figure_features(first.contraction.points, first.shape.radius_at)
    chosen = {}
    for best in (0, len(CANDIDATES) - 1):
        scores = np.zeros((2, len(CANDIDATES)))
        scores[0, best] = scores[1, len(CANDIDATES) - 1 - best] = 1.0
        result, path = run(scores, np.stack([own, own + [10, 8, 30, 3]]), f"best_{best}")
        np.testing.assert_array_equal(figure_features(result.contraction.points, result.shape.radius_at), own)
        chosen[best] = result.skeleton.metadata["bone_length"]
        assert result.skeleton.metadata["bone_length_from"] == "model"
        again = make_predictor("onnx", path).choose_bone_length(result.shape, own)
        assert again == chosen[best]  # the pipeline handed the predictor these features
    assert chosen == {0: CANDIDATES[0], len(CANDIDATES) - 1: CANDIDATES[-1]}
