"""The bone length head: measured on real cached clouds, fitted, exported, and used by the pipeline."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from tiny_training import TINY_MODEL, TINY_SAMPLES, make_dataset

from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.predict_onnx import OnnxPredictor
from trainer.bone_length import (
    CANDIDATES,
    DEFAULT_CANDIDATE,
    LengthTable,
    choose,
    fit_head,
    main,
    measure,
    with_length_head,
)
from trainer.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from trainer.export import SAMPLE, export_model
from trainer.model import PointNetOffsetPredictor
from trainer.samples import load_sample_cache
from trainer.train import contract_cached, skeleton_score
from trainer.training_data import cache_path, ensure_cache


@pytest.fixture(scope="module")
def caches(tmp_path_factory) -> dict[str, Path]:
    data = make_dataset(tmp_path_factory.mktemp("data"), count=10)
    folder = tmp_path_factory.mktemp("cache")
    return {s: ensure_cache(data, s, TINY_SAMPLES, folder, workers=1, progress=False) for s in ("train", "val")}


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("run") / "best.pt"
    save_checkpoint(path, Checkpoint(TINY_MODEL, PointNetOffsetPredictor(TINY_MODEL).state_dict(), step=7))
    return path


def test_measure_scores_the_addons_skeleton_at_every_length(caches) -> None:
    cache = load_sample_cache(caches["val"])
    model = PointNetOffsetPredictor(replace(TINY_MODEL, bone_lengths=CANDIDATES))
    table = measure(model, cache, [0, 1], CANDIDATES, progress=False)
    assert table.features.shape == (2, TINY_MODEL.global_width)
    assert table.cd.shape == table.f1.shape == (2, len(CANDIDATES))
    # An untrained geometric-input model is the geometric predictor: its contraction, then each length.
    contracted, scores, features = contract_cached(model, cache, [1], torch.device("cpu"))
    np.testing.assert_allclose(table.features[1], features[0], rtol=1e-6)
    for k in (0, DEFAULT_CANDIDATE, len(CANDIDATES) - 1):
        assert (table.cd[1, k], table.f1[1, k]) == pytest.approx(
            skeleton_score(contracted[0], cache, 1, 0.02, scores[0], CANDIDATES[k])
        )


def test_the_fitted_head_picks_what_scores_best_from_features_at_any_scale() -> None:
    rng = np.random.default_rng(0)
    features = rng.normal(size=(400, 6)).astype(np.float32) * 10 + 50  # not standardized
    wants_long = features[:, 0] > 50
    f1 = np.full((400, 3), 0.4)
    f1[wants_long, 2] = 0.8
    f1[~wants_long, 0] = 0.7
    cd = np.full((400, 3), 5.0)
    table = LengthTable(features, cd, f1)
    head = fit_head(table, width=16, cd_weight=0.05, epochs=60, progress=False)
    config = replace(TINY_MODEL, global_width=6, bone_lengths=(0.0, 0.05, 0.1), length_width=16)
    model = PointNetOffsetPredictor(config)
    model.length.load_state_dict(head.state_dict())
    model.eval()
    fresh = rng.normal(size=(200, 6)).astype(np.float32) * 10 + 50
    picks = choose(model, LengthTable(fresh, np.zeros((200, 3)), np.zeros((200, 3))))
    assert (picks == np.where(fresh[:, 0] > 50, 2, 0)).mean() > 0.9


def test_with_length_head_keeps_the_network_and_adds_a_fitted_head(caches, checkpoint) -> None:
    original = load_checkpoint(checkpoint)
    val_cache = load_sample_cache(caches["val"])
    result, summary = with_length_head(
        original,
        load_sample_cache(caches["train"]),
        samples=6,
        epochs=3,
        val_cache=val_cache,
        val_samples=None,
        progress=False,
    )
    assert result.model_config == replace(TINY_MODEL, bone_lengths=CANDIDATES)
    for key, value in original.state_dict.items():
        assert torch.equal(result.state_dict[key], value)
    assert {k for k in result.state_dict if k.startswith("length.")} == {
        "length.0.weight", "length.0.bias", "length.3.weight", "length.3.bias"
    }
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
            "--out", str(out), "--samples", "4", "--val-samples", "2", "--epochs", "2", "--quiet"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "train (4 clouds): chosen CD-J2J" in printed and "val (2 clouds)" in printed
    model = load_checkpoint(out).model().eval()
    onnx_path = tmp_path / "model.onnx"
    export_model(model, onnx_path, description="tiny with a length head")
    assert OnnxPredictor(onnx_path).bone_lengths == CANDIDATES

    assert main([str(tmp_path / "missing.pt"), "--cache", str(caches["train"]), "--out", str(out)]) == 2
    assert "checkpoint not found" in capsys.readouterr().err


def test_the_pipeline_uses_the_models_bone_length_unless_told_otherwise(tmp_path) -> None:
    torch.manual_seed(0)
    model = PointNetOffsetPredictor(replace(TINY_MODEL, bone_lengths=CANDIDATES)).eval()
    with torch.no_grad():  # a head that always picks "never split"
        model.length[3].weight.zero_()
        model.length[3].bias.copy_(torch.tensor([5.0] + [0.0] * (len(CANDIDATES) - 1)))
    path = tmp_path / "never_split.onnx"
    export_model(model, path, description="always picks 0")
    auto = run_pipeline(SAMPLE, PipelineSettings(predictor="onnx", model_path=str(path)))
    assert auto.contraction.bone_length == 0.0
    chosen = auto.skeleton.metadata
    assert (chosen["bone_length"], chosen["bone_length_from"]) == (0.0, "model")
    fixed = run_pipeline(SAMPLE, PipelineSettings(predictor="onnx", model_path=str(path), auto_bone_length=False))
    given = fixed.skeleton.metadata
    assert (given["bone_length"], given["bone_length_from"]) == (0.06, "settings")
    assert len(fixed.skeleton.joints) > len(auto.skeleton.joints)  # 3-voxel splits add joints to straight limbs
    geometric = run_pipeline(SAMPLE, PipelineSettings(predictor="geometric", bone_length=0.1))
    assert geometric.skeleton.metadata["bone_length_from"] == "settings"  # no model, no choice
    assert geometric.skeleton.metadata["bone_length"] == 0.1
