"""ONNX export: the file loads in the add-on, reads in Blender's onnxruntime, and computes what torch does."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import onnx
import onnxruntime
import pytest
import torch
from tiny_training import TINY_MODEL, stand_in_geometric

from pointskel_blender.core.contract import contract, make_predictor
from pointskel_blender.core.figure import figure_features
from pointskel_blender.core.contract.onnx_predictor import OnnxPredictor
from pointskel_blender.core.learned_parts import read_parts
from trainer import export
from trainer.checkpoint import Checkpoint, save_checkpoint
from trainer.export import ExportError, export_checkpoint, export_model, main, sample_shape
from trainer.model import PointNetOffsetPredictor
from trainer.part_labels import PART_CLASSES, PLAN_CLASSES


def _trained_like(config) -> PointNetOffsetPredictor:
    """Random weights scaled up so that outputs are far from zero (parity on zeros proves nothing)."""
    torch.manual_seed(1)
    model = PointNetOffsetPredictor(config)
    with torch.no_grad():
        torch.nn.init.normal_(model.out.weight, std=0.3)  # a geometric-input model starts at zero here
        for p in model.parameters():
            p.mul_(1.5)
    if model.length is not None:  # a length table of random clouds with random scores
        rng = np.random.default_rng(2)
        shape = model.length.scores.shape
        figures = rng.random((shape[0], 4)) * export.FIGURE_RANGE  # read only by a head with a figure weight
        model.length.fill(rng.normal(size=(shape[0], config.global_width)), rng.random(shape), figures)
    return model.eval()


@pytest.fixture(
    scope="module",
    params=[
        TINY_MODEL,
        replace(TINY_MODEL, neighbours=0),
        replace(TINY_MODEL, geometric_input=False),
        replace(TINY_MODEL, joint_head=False),
        replace(TINY_MODEL, bone_lengths=(0.0, 0.04, 0.06, 0.1), length_references=12, length_neighbours=3),
        replace(TINY_MODEL, bone_lengths=(0.0, 0.04, 0.06, 0.1), length_references=12, length_neighbours=3,
                length_figure_weight=4.0),
        replace(TINY_MODEL, bone_lengths=(0.0, 0.04, 0.06, 0.1), length_references=12, length_neighbours=3,
                length_figure_weight=4.0, parts=PART_CLASSES, body_plans=PLAN_CLASSES, part_width=16),
    ],
    ids=["knn", "plain", "points-only", "no-joints", "bone-lengths", "figure-lengths", "parts"],
)
def exported(request, tmp_path_factory):
    model = _trained_like(request.param)
    path = tmp_path_factory.mktemp("export") / "model.onnx"
    report = export_model(model, path, description="tiny test model")
    return model, path, report


def test_file_loads_through_the_addon_predictor_with_its_metadata(exported) -> None:
    model, path, report = exported
    predictor = OnnxPredictor(path)
    assert predictor.expected_points == model.config.expected_points
    assert predictor.default_iterations == model.config.default_iterations
    assert predictor.config == model.config.to_dict()
    assert predictor.description == "tiny test model"
    assert report.size == path.stat().st_size and report.parameters > 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["model.onnx"]  # no temporary file left


def test_ir_and_opset_are_readable_by_blenders_onnxruntime(exported) -> None:
    _, path, report = exported
    proto = onnx.load(str(path))
    opsets = {o.domain or "ai.onnx": o.version for o in proto.opset_import}
    assert proto.ir_version <= 11 and report.ir_version == proto.ir_version
    assert set(opsets) == {"ai.onnx"} and opsets["ai.onnx"] <= 23
    onnx.checker.check_model(proto)


def test_batch_and_n_are_dynamic_and_outputs_match_torch(exported) -> None:
    model, path, report = exported
    assert report.differences and max(report.differences.values()) <= 1e-4
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(9)
    for shape in [(4, 100 + model.config.anchors, 3), (1, 3 * model.config.expected_points + 1, 3)]:
        clouds = ((rng.random(shape) - 0.5) * [1, 1, 0.3]).astype(np.float32)
        feeds = {"points": clouds}
        inputs = [torch.from_numpy(clouds), None, None]
        if model.config.geometric_input:
            inputs[1] = stand_in_geometric(inputs[0])
            feeds["geometric"] = inputs[1].numpy()
        if model.config.length_figure_weight:
            inputs[2] = torch.from_numpy((rng.random((shape[0], 4)) * export.FIGURE_RANGE).astype(np.float32))
            feeds["figure"] = inputs[2].numpy()
        assert [i.name for i in session.get_inputs()] == list(feeds)
        names = ["offsets", "joint_scores"] if model.config.joint_head else ["offsets"]
        names += ["bone_length_scores"] if model.config.bone_lengths else []
        names += ["part_scores", "body_plan_scores"] if model.config.parts else []
        assert [o.name for o in session.get_outputs()] == names
        out, *scores = session.run(names, feeds)
        if model.config.parts:
            with torch.no_grad():
                parts, plans = model.parts_and_plan(inputs[0], inputs[1])
            assert scores[2].shape == (*shape[:2], len(PART_CLASSES)) and scores[3].shape == (shape[0], 7)
            assert np.abs(scores[2] - torch.softmax(parts, -1).numpy()).max() <= 1e-4
            assert np.abs(scores[3] - torch.softmax(plans, -1).numpy()).max() <= 1e-4
            assert np.allclose(scores[2].sum(-1), 1, atol=1e-5) and scores[2].std() > 1e-3
        with torch.no_grad():
            expected, _, lengths = model.run(*inputs)
            expected = expected.numpy()
        if model.config.bone_lengths:
            assert scores[1].shape == (shape[0], len(model.config.bone_lengths))
            assert np.abs(scores[1] - torch.softmax(lengths, dim=-1).numpy()).max() <= 1e-4
        assert out.shape == shape and np.abs(expected[..., :3]).max() > 1e-2
        assert np.abs(out - expected[..., :3]).max() <= 1e-4
        if model.config.joint_head:
            assert scores[0].shape == shape[:2] and 0 <= scores[0].min() and scores[0].max() <= 1
            assert np.abs(scores[0] - 1 / (1 + np.exp(-expected[..., 3]))).max() <= 1e-4


def test_exported_model_contracts_a_real_lifted_silhouette(exported) -> None:
    model, path, _ = exported
    shape = sample_shape()
    result = contract(shape, make_predictor("onnx", path))
    assert result.points.shape == shape.points.shape and np.isfinite(result.points).all()
    assert 1 <= result.iterations <= model.config.default_iterations
    if model.config.joint_head:
        assert result.joint_scores.shape == (len(shape.points),)
    else:
        assert result.joint_scores is None
    figure = figure_features(result.points, shape.radius_at)
    chosen = make_predictor("onnx", path).choose_bone_length(shape, figure)
    assert chosen in (model.config.bone_lengths or (None,))
    learned = read_parts(make_predictor("onnx", path), shape, result.points)
    if not model.config.parts:
        assert learned is None  # older models: the anatomy stage reads parts by its rules alone
    else:
        assert learned.probabilities.shape == (len(shape.points), len(PART_CLASSES))
        assert learned.parts == PART_CLASSES and learned.body_plans == PLAN_CLASSES
        assert np.allclose(learned.plan.sum(), 1, atol=1e-5) and learned.points is not None


def test_a_model_with_a_part_head_is_format_2_and_one_without_stays_1(exported) -> None:
    model, path, _ = exported
    version = OnnxPredictor(path).metadata["pointskel.format_version"]
    assert version == ("2" if model.config.parts else "1")


def test_cli_exports_a_checkpoint_and_prints_the_numbers(tmp_path, capsys) -> None:
    model = _trained_like(TINY_MODEL)
    data = {"train": {"dataset": "/data/synthetic-300", "samples": 960, "characters": 240, "split": "train"}}
    save_checkpoint(
        tmp_path / "best.pt", Checkpoint(TINY_MODEL, model.state_dict(), step=50, best_metric=1.5, data=data)
    )
    assert main([str(tmp_path / "best.pt"), str(tmp_path / "out.onnx")]) == 0
    printed = capsys.readouterr().out
    assert (
        "MB" in printed
        and "sample character (4096 points" in printed
        and "max |torch - onnxruntime|" in printed
    )
    description = OnnxPredictor(tmp_path / "out.onnx").description
    assert "synthetic-300" in description and "960 samples of 240 characters" in description


def test_a_head_trained_on_an_exported_model_keeps_what_that_model_learned_from(tmp_path) -> None:
    model = _trained_like(TINY_MODEL)
    base = ("PointSkel offset predictor (PointNet) trained on data (4800 samples of 1200 characters); "
            "exported 2026-12-01")
    history = [{"step": 0, "part_accuracy": 0.05}, {"step": 600, "part_accuracy": 0.5664}]
    data = {"base": "base.onnx", "base_description": base}
    save_checkpoint(tmp_path / "parts.pt",
                    Checkpoint(TINY_MODEL, model.state_dict(), step=600, history=history, data=data))
    assert main([str(tmp_path / "parts.pt"), str(tmp_path / "out.onnx")]) == 0
    description = OnnxPredictor(tmp_path / "out.onnx").description
    assert "4800 samples of 1200 characters" in description and "2026-12-01" not in description
    assert "part head" in description and "600 steps" in description and "0.566" in description
    assert "unknown data" not in description


def test_cli_reports_a_bad_checkpoint(tmp_path, capsys) -> None:
    (tmp_path / "bad.pt").write_bytes(b"\0" * 64)
    assert main([str(tmp_path / "bad.pt"), str(tmp_path / "out.onnx")]) == 2
    assert "error:" in capsys.readouterr().err and not (tmp_path / "out.onnx").exists()


def test_failed_verification_keeps_the_previous_file(tmp_path, monkeypatch) -> None:
    model = _trained_like(TINY_MODEL)
    path = tmp_path / "model.onnx"
    export_model(model, path, description="first")
    save_checkpoint(tmp_path / "c.pt", Checkpoint(TINY_MODEL, model.state_dict()))
    monkeypatch.setattr(export, "TOLERANCE", -1.0)  # no difference can pass
    with pytest.raises(ExportError, match="differs from torch"):
        export_checkpoint(tmp_path / "c.pt", path, description="second")
    assert OnnxPredictor(path).description == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.pt", "model.onnx"]


def test_a_checkpoint_exports_to_the_same_graph_every_time(tmp_path) -> None:
    """What makes the recipe's model reproducible: only the description's export date may differ."""
    model = _trained_like(replace(TINY_MODEL, bone_lengths=(0.0, 0.04, 0.06), length_references=6))
    save_checkpoint(tmp_path / "c.pt", Checkpoint(model.config, model.state_dict(), step=3))
    first, second = tmp_path / "a.onnx", tmp_path / "b.onnx"
    export_checkpoint(tmp_path / "c.pt", first)
    export_checkpoint(tmp_path / "c.pt", second)
    a, b = onnx.load(first), onnx.load(second)
    assert a.graph.SerializeToString() == b.graph.SerializeToString()
    assert len(a.graph.initializer) > 0 and a.opset_import == b.opset_import
