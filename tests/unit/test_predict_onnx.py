"""The ONNX offset predictor: real tiny models built with onnx.helper and run through onnxruntime."""

from __future__ import annotations

import json
import os
from dataclasses import replace
import subprocess
import sys
from pathlib import Path

import figures
import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from pointskel_blender.core.contract import contract, make_predictor
from pointskel_blender.core.errors import ModelError
from pointskel_blender.core.figure import FIGURE_FEATURES, figure_features
from pointskel_blender.core.lift import NORMALIZATION, lift
from pointskel_blender.core.contract.model_format import (
    FORMAT,
    KEYS,
    metadata,
    parse_metadata,
    write_metadata,
)
from pointskel_blender.core.contract.onnx_predictor import OnnxPredictor, load_predictor

N = 64  # points per group the test models "were trained with"
CONFIG = {"width": 8, "layers": 2}


def _graph_model(nodes, initializers=(), *, inputs=None, outputs=None) -> onnx.ModelProto:
    inputs = inputs or [helper.make_tensor_value_info("points", TensorProto.FLOAT, ["batch", "n", 3])]
    outputs = outputs or [helper.make_tensor_value_info("offsets", TensorProto.FLOAT, ["batch", "n", 3])]
    graph = helper.make_graph(nodes, "test", inputs, outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    onnx.checker.check_model(model)
    return model


def flatten_model() -> onnx.ModelProto:
    """offsets = points * (0, 0, -1): every point goes to the mid-plane, in place."""
    w = helper.make_tensor("w", TensorProto.FLOAT, [3], [0.0, 0.0, -1.0])
    return _graph_model([helper.make_node("Mul", ["points", "w"], ["offsets"])], [w])


def centroid_model() -> onnx.ModelProto:
    """offsets = mean of the group - points: depends on every point of each group."""
    nodes = [
        helper.make_node("ReduceMean", ["points"], ["mean"], axes=[1], keepdims=1),
        helper.make_node("Sub", ["mean", "points"], ["offsets"]),
    ]
    return _graph_model(nodes)


def _save(model: onnx.ModelProto, path: Path, **overrides) -> Path:
    write_metadata(model, expected_points=N, default_iterations=3, config=CONFIG, description="test model")
    if overrides:
        props = {p.key: p.value for p in model.metadata_props}
        props.update(overrides)
        props = {k: v for k, v in props.items() if v is not None}
        del model.metadata_props[:]
        helper.set_model_props(model, props)
    onnx.save(model, str(path))
    return path


@pytest.fixture
def flatten(tmp_path) -> OnnxPredictor:
    return OnnxPredictor(_save(flatten_model(), tmp_path / "flatten.onnx"))


# Loading and metadata ------------------------------------------------------------------------


def test_metadata_is_exposed(flatten):
    assert flatten.name == "onnx"
    assert flatten.expected_points == N and flatten.default_iterations == 3
    assert flatten.config == CONFIG and flatten.description == "test model"
    assert flatten.metadata["pointskel.format"] == FORMAT
    assert flatten.metadata["pointskel.normalization"] == NORMALIZATION
    assert set(KEYS) <= set(flatten.metadata)


def test_write_metadata_keeps_other_entries_and_replaces_its_own():
    model = flatten_model()
    helper.set_model_props(model, {"producer.note": "kept", "pointskel.expected_points": "1"})
    write_metadata(model, expected_points=2048, default_iterations=5, config={"a": [1, 2]}, description="d")
    props = {p.key: p.value for p in model.metadata_props}
    assert len(model.metadata_props) == len(props)  # no duplicate keys
    assert props["producer.note"] == "kept" and props["pointskel.expected_points"] == "2048"
    info = parse_metadata(props, "x")
    assert (info.expected_points, info.default_iterations) == (2048, 5)
    assert (info.config, info.description) == ({"a": [1, 2]}, "d")
    with pytest.raises(ModelError, match="an integer from 1 to"):
        metadata(expected_points=0, default_iterations=5, config={}, description="")


def test_importing_the_module_loads_neither_onnx_nor_onnxruntime():
    code = (
        "import sys, pointskel_blender.core.contract.onnx_predictor, pointskel_blender.core.contract; "
        "print(sorted(m for m in ('onnx', 'onnxruntime') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"pointskel.format": None}, "not a PointSkel offset predictor"),
        ({"pointskel.format": "something-else"}, "not a PointSkel offset predictor"),
        ({"pointskel.format_version": "2"}, "version '2' is not supported"),
        ({"pointskel.normalization": "bbox-diagonal/v1"}, "bbox-diagonal/v1"),
        ({"pointskel.description": None}, "lacks pointskel.description"),
        ({"pointskel.expected_points": "-3"}, "expected_points must be an integer from 1 to"),
        ({"pointskel.expected_points": "many"}, "expected_points must be an integer from 1 to"),
        ({"pointskel.default_iterations": "0"}, "default_iterations must be an integer from 1 to"),
        ({"pointskel.config": "{not json"}, "config is not a JSON object"),
        ({"pointskel.config": "[1, 2]"}, "config is not a JSON object"),
    ],
)
def test_bad_metadata_is_a_model_error(tmp_path, overrides, message):
    path = _save(flatten_model(), tmp_path / "bad.onnx", **overrides)
    with pytest.raises(ModelError, match=message) as caught:
        OnnxPredictor(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_model_without_any_metadata(tmp_path):
    path = tmp_path / "plain.onnx"
    onnx.save(flatten_model(), str(path))
    with pytest.raises(ModelError, match="not a PointSkel offset predictor"):
        OnnxPredictor(path)


def test_unreadable_files_are_model_errors(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        OnnxPredictor(tmp_path / "missing.onnx")
    with pytest.raises(ModelError, match="not a file"):
        OnnxPredictor(tmp_path)
    empty = tmp_path / "empty.onnx"
    empty.write_bytes(b"")
    with pytest.raises(ModelError, match="empty"):
        OnnxPredictor(empty)
    noise = tmp_path / "noise.onnx"
    noise.write_bytes(np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8).tobytes())
    with pytest.raises(ModelError, match="not a readable ONNX model"):
        OnnxPredictor(noise)
    whole = _save(flatten_model(), tmp_path / "whole.onnx").read_bytes()
    truncated = tmp_path / "truncated.onnx"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ModelError, match="not a readable ONNX model"):
        OnnxPredictor(truncated)


def _io(name: str, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


@pytest.mark.parametrize(
    "build, message",
    [
        (
            lambda: _graph_model(
                [helper.make_node("Identity", ["xyz"], ["offsets"])], inputs=[_io("xyz", ["batch", "n", 3])]
            ),
            r"inputs are \['xyz'\]",
        ),
        (
            lambda: _graph_model(
                [helper.make_node("Identity", ["points"], ["delta"])],
                outputs=[_io("delta", ["batch", "n", 3])],
            ),
            r"outputs are \['delta'\]",
        ),
        (
            lambda: _graph_model(
                [helper.make_node("Identity", ["points"], ["offsets"])],
                inputs=[_io("points", ["n", 3])],
                outputs=[_io("offsets", ["n", 3])],
            ),
            "expected \\[batch, n, 3\\]",
        ),
        (
            lambda: _graph_model(
                [helper.make_node("Identity", ["points"], ["offsets"])],
                inputs=[_io("points", [1, "n", 3])],
                outputs=[_io("offsets", [1, "n", 3])],
            ),
            "must be dynamic",
        ),
        (
            lambda: _graph_model(
                [helper.make_node("Identity", ["points"], ["offsets"])],
                inputs=[_io("points", ["batch", "n", 4])],
                outputs=[_io("offsets", ["batch", "n", 4])],
            ),
            "expected \\[batch, n, 3\\]",
        ),
        (
            lambda: _graph_model(
                [helper.make_node("Identity", ["points"], ["offsets"])],
                inputs=[_io("points", ["batch", "n", 3], TensorProto.DOUBLE)],
                outputs=[_io("offsets", ["batch", "n", 3], TensorProto.DOUBLE)],
            ),
            "tensor\\(double\\)",
        ),
        (
            lambda: _graph_model(
                [
                    helper.make_node("Identity", ["points"], ["offsets"]),
                    helper.make_node("Identity", ["points"], ["extra"]),
                ],
                outputs=[_io("offsets", ["batch", "n", 3]), _io("extra", ["batch", "n", 3])],
            ),
            r"outputs are \['offsets', 'extra'\]",
        ),
    ],
    ids=["input-name", "output-name", "rank", "static-batch", "width", "dtype", "two-outputs"],
)
def test_wrong_signature_is_a_model_error(tmp_path, build, message):
    path = _save(build(), tmp_path / "sig.onnx")
    with pytest.raises(ModelError, match=message):
        OnnxPredictor(path)


# Inference -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, N - 5, N, 3 * N + 17, 32768])
def test_offsets_come_back_for_exactly_the_input_points_in_order(flatten, count):
    rng = np.random.default_rng(count)
    points = rng.uniform(-0.5, 0.5, (count, 3)).astype(np.float32)
    offsets = flatten.predict(points, None)
    assert offsets.shape == (count, 3) and offsets.dtype == np.float32
    np.testing.assert_array_equal(offsets[:, :2], 0.0)
    np.testing.assert_array_equal(offsets[:, 2], -points[:, 2])


def test_groups_are_uniform_subsamples_of_the_whole_cloud(tmp_path):
    predictor = OnnxPredictor(_save(centroid_model(), tmp_path / "centroid.onnx"))
    shape = lift(figures.bar(128).mask, points=5 * N + 17)
    points = shape.points[np.argsort(shape.points[:, 0])]  # sorted: consecutive blocks would be sweeps
    targets = points + predictor.predict(points, shape)
    centres = np.unique(np.round(targets, 5), axis=0)
    assert len(centres) == 6  # ceil((5 N + 17) / N) groups, each pulled to its own centroid
    # Each group is a random sample of the whole bar, so its centroid is near the bar's centroid;
    # a block of consecutive points (a sweep across the bar) would land far from it.
    spread = points.std(axis=0)
    assert (np.abs(centres - points.mean(axis=0)) < 4 * spread / np.sqrt(N) + 1e-6).all()
    np.testing.assert_array_equal(predictor.predict(points, shape), predictor.predict(points, shape))


def test_a_model_returning_the_wrong_shape_fails_clearly(tmp_path):
    model = _graph_model(
        [helper.make_node("ReduceMean", ["points"], ["offsets"], axes=[1], keepdims=1)],
        outputs=[_io("offsets", ["batch", 1, 3])],
    )
    predictor = OnnxPredictor(_save(model, tmp_path / "mean.onnx"))
    with pytest.raises(ModelError, match=r"returned offsets \(1, 1, 3\) for input \(1, 64, 3\)"):
        predictor.predict(np.zeros((10, 3), np.float32), None)


def test_a_model_that_cannot_run_on_a_batch_fails_clearly(tmp_path):
    fixed = helper.make_tensor("shape", TensorProto.INT64, [3], [1, N, 3])  # only ever one group
    model = _graph_model([helper.make_node("Reshape", ["points", "shape"], ["offsets"])], [fixed])
    predictor = OnnxPredictor(_save(model, tmp_path / "fixed.onnx"))
    assert predictor.predict(np.ones((N, 3), np.float32), None).shape == (N, 3)
    with pytest.raises(ModelError, match="failed to run"):
        predictor.predict(np.ones((3 * N, 3), np.float32), None)


def test_contract_with_an_onnx_model_end_to_end(tmp_path):
    path = _save(flatten_model(), tmp_path / "flatten.onnx")
    predictor = make_predictor("onnx", model_path=path)
    assert predictor.name == "onnx" and make_predictor("auto", model_path=path).name == "onnx"
    shape = lift(figures.star(4, 128).mask, points=1000)
    result = contract(shape, predictor)
    np.testing.assert_array_equal(result.points[:, :2], shape.points[:, :2])
    np.testing.assert_array_equal(result.points[:, 2], 0.0)
    assert result.converged and result.iterations == 2 and result.history[-1] == 0.0


def test_load_predictor_creates_one_session_per_file(tmp_path):
    path = _save(flatten_model(), tmp_path / "m.onnx")
    first = load_predictor(path)
    assert load_predictor(str(path)) is first
    _save(centroid_model(), path)  # a new file under the same name
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = load_predictor(path)
    assert second is not first
    points = np.ones((5, 3), np.float32)
    np.testing.assert_allclose(second.predict(points, None), 0.0)


def test_config_round_trips_as_json(tmp_path):
    config = {"width": 128, "dropout": 0.1, "name": "pointnet", "nested": {"k": [1, 2, 3]}}
    model = flatten_model()
    write_metadata(model, expected_points=2048, default_iterations=6, config=config, description="v1")
    path = tmp_path / "m.onnx"
    onnx.save(model, str(path))
    predictor = OnnxPredictor(path)
    assert predictor.config == config and predictor.expected_points == 2048
    assert json.loads(predictor.metadata["pointskel.config"]) == config


# The optional geometric input -----------------------------------------------------------------


def hinted_model() -> onnx.ModelProto:
    """offsets = geometric + points * (0, 0, 0): a model that trusts the geometric predictor fully."""
    inputs = [
        helper.make_tensor_value_info("points", TensorProto.FLOAT, ["batch", "n", 3]),
        helper.make_tensor_value_info("geometric", TensorProto.FLOAT, ["batch", "n", 3]),
    ]
    zero = helper.make_tensor("zero", TensorProto.FLOAT, [3], [0.0, 0.0, 0.0])
    nodes = [
        helper.make_node("Mul", ["points", "zero"], ["nothing"]),
        helper.make_node("Add", ["geometric", "nothing"], ["offsets"]),
    ]
    return _graph_model(nodes, [zero], inputs=inputs)


def _save_io(model: onnx.ModelProto, path: Path, **io) -> Path:
    """Save with metadata declaring the `inputs` / `outputs` given."""
    write_metadata(model, expected_points=N, default_iterations=2, config=CONFIG, description="io", **io)
    onnx.save(model, str(path))
    return path


def _save_hinted(model: onnx.ModelProto, path: Path, inputs=("points", "geometric")) -> Path:
    return _save_io(model, path, inputs=inputs)


def test_geometric_input_is_computed_from_the_shape(tmp_path):
    from pointskel_blender.core.contract.geometric import GeometricPredictor

    predictor = OnnxPredictor(_save_hinted(hinted_model(), tmp_path / "hinted.onnx"))
    assert predictor.inputs == ("points", "geometric")
    shape = lift(figures.plus(128).mask, points=300, seed=1)  # not a multiple of N: padded groups
    expected = GeometricPredictor().predict(shape.points, shape)
    np.testing.assert_allclose(predictor.predict(shape.points, shape), expected, atol=1e-6)
    # and it contracts like the geometric predictor does
    a = contract(shape, predictor, iterations=2).points
    b = contract(shape, GeometricPredictor(), iterations=2).points
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_declared_inputs_must_match_the_graph(tmp_path):
    with pytest.raises(ModelError, match="inputs are"):
        OnnxPredictor(_save_hinted(flatten_model(), tmp_path / "one_input.onnx"))
    with pytest.raises(ModelError, match="inputs are"):
        OnnxPredictor(_save_hinted(hinted_model(), tmp_path / "undeclared.onnx", inputs=("points",)))


def test_unknown_input_sets_are_refused():
    props = metadata(expected_points=N, default_iterations=1, config={}, description="x")
    props["pointskel.inputs"] = "points,depth"
    with pytest.raises(ModelError, match="pointskel.inputs"):
        parse_metadata(props, "m.onnx")
    without_inputs = {k: v for k, v in props.items() if k != "pointskel.inputs"}
    assert parse_metadata(without_inputs, "m").inputs == ("points",)


# The optional joint-score output -----------------------------------------------------------------


def scoring_model(score_shape=("batch", "n")) -> onnx.ModelProto:
    """offsets = points * (0, 0, -1); joint_scores = sigmoid(x): per point, from its own position."""
    w = helper.make_tensor("w", TensorProto.FLOAT, [3], [0.0, 0.0, -1.0])
    starts, ends, axes = (helper.make_tensor(n, TensorProto.INT64, [1], [v]) for n, v in
                          (("s", 0), ("e", 1), ("a", 2)))
    nodes = [
        helper.make_node("Mul", ["points", "w"], ["offsets"]),
        helper.make_node("Slice", ["points", "s", "e", "a"], ["x"]),
        helper.make_node("Squeeze", ["x", "a"], ["x2"]),
        helper.make_node("Sigmoid", ["x2"], ["joint_scores"]),
    ]
    outputs = [_io("offsets", ["batch", "n", 3]), _io("joint_scores", list(score_shape))]
    return _graph_model(nodes, [w, starts, ends, axes], outputs=outputs)


def _save_scoring(model: onnx.ModelProto, path: Path, outputs=("offsets", "joint_scores")) -> Path:
    return _save_io(model, path, outputs=outputs)


def test_joint_scores_come_back_for_exactly_the_input_points_in_order(tmp_path):
    predictor = OnnxPredictor(_save_scoring(scoring_model(), tmp_path / "scores.onnx"))
    assert predictor.outputs == ("offsets", "joint_scores")
    shape = lift(figures.plus(128).mask, points=300, seed=1)  # padded groups
    prediction = predictor.predict_all(shape.points, shape)
    offsets, scores = prediction.offsets, prediction.joint_scores
    # no length output, no opinion
    assert predictor.choose_bone_length(shape, np.zeros(4, np.float32)) is None
    np.testing.assert_allclose(offsets[:, 2], -shape.points[:, 2], atol=1e-6)
    np.testing.assert_allclose(scores, 1 / (1 + np.exp(-shape.points[:, 0])), atol=1e-6)
    result = contract(shape, predictor)
    assert result.converged and result.iterations == 2  # flattened in one step, still on the second
    np.testing.assert_allclose(result.joint_scores, scores, atol=1e-6)  # x does not move


def test_models_without_joint_scores_say_so(flatten):
    assert flatten.outputs == ("offsets",)
    shape = lift(figures.plus(128).mask, points=100, seed=1)
    prediction = flatten.predict_all(shape.points, shape)
    assert prediction.joint_scores is None
    result = contract(shape, flatten)
    assert result.joint_scores is None and flatten.choose_bone_length(shape, np.zeros(4, np.float32)) is None


def test_declared_outputs_must_match_the_graph(tmp_path):
    with pytest.raises(ModelError, match="outputs are"):
        OnnxPredictor(_save_scoring(flatten_model(), tmp_path / "no_scores.onnx"))
    with pytest.raises(ModelError, match="outputs are"):
        OnnxPredictor(_save_scoring(scoring_model(), tmp_path / "undeclared.onnx", outputs=("offsets",)))
    with pytest.raises(ModelError, match=r"expected \[batch, n\]"):
        OnnxPredictor(_save_scoring(scoring_model(("batch", "n", 1)), tmp_path / "rank3.onnx"))
    props = metadata(expected_points=N, default_iterations=1, config={}, description="x")
    props["pointskel.outputs"] = "offsets,heatmap"
    with pytest.raises(ModelError, match="pointskel.outputs"):
        parse_metadata(props, "m.onnx")


# The optional bone-length output -----------------------------------------------------------------

LENGTHS = (0.04, 0.1)
ANY_FIGURE = np.float32([4, 1, 5, 1.7])  # what a length model without the figure input ignores


def length_model(nan: bool = False) -> onnx.ModelProto:
    """scoring_model plus bone_length_scores = (mean x, -mean x) per group: a figure whose points lie
    mostly right of the centre picks the first length, one to the left the second (`nan`: the
    second score is 0 / 0 instead)."""
    model = scoring_model()
    second = [helper.make_node("Sub", ["mean", "mean"], ["zero"]),
              helper.make_node("Div", ["zero", "zero"], ["other"])]
    model.graph.node.extend([
        helper.make_node("ReduceMean", ["x2"], ["mean"], axes=[1], keepdims=1),
        *(second if nan else [helper.make_node("Neg", ["mean"], ["other"])]),
        helper.make_node("Concat", ["mean", "other"], ["bone_length_scores"], axis=1),
    ])
    model.graph.output.append(_io("bone_length_scores", ["batch", 2]))
    onnx.checker.check_model(model)
    return model


def _save_length(path: Path, lengths=LENGTHS, nan: bool = False) -> Path:
    outputs = ("offsets", "joint_scores", "bone_length_scores")
    return _save_io(length_model(nan), path, outputs=outputs, bone_lengths=lengths)


def test_the_bone_length_is_the_best_scored_candidate_over_all_groups(tmp_path):
    predictor = OnnxPredictor(_save_length(tmp_path / "lengths.onnx"))
    assert predictor.bone_lengths == LENGTHS
    right = lift(figures.plus(128).mask[:, 40:], points=300, seed=1)  # padded groups, lifted off centre
    # The lift centres the figure; shift it right so the groups' mean x is positive. The scores are
    # read on the lifted shape; a model without the figure input ignores the figure features.
    shifted = replace(right, points=right.points + np.float32([0.2, 0, 0]))
    assert predictor.choose_bone_length(shifted, ANY_FIGURE) == 0.04
    left = replace(right, points=right.points - np.float32([0.2, 0, 0]))
    assert predictor.choose_bone_length(left, ANY_FIGURE) == 0.1
    assert predictor.choose_bone_length(right, ANY_FIGURE) in LENGTHS
    broken = OnnxPredictor(_save_length(tmp_path / "nan.onnx", nan=True))
    with pytest.raises(ModelError, match="non-finite bone length scores"):
        broken.choose_bone_length(shifted, ANY_FIGURE)


def hinted_length_model() -> onnx.ModelProto:
    """hinted_model plus joint scores and bone_length_scores = (mean x, -mean x) of the geometric
    offsets per group: the length choice reads the geometric input."""
    inputs = [_io("points", ["batch", "n", 3]), _io("geometric", ["batch", "n", 3])]
    zero = helper.make_tensor("zero", TensorProto.FLOAT, [3], [0.0, 0.0, 0.0])
    pick = helper.make_tensor("pick", TensorProto.FLOAT, [3, 2], [1.0, -1.0, 0.0, 0.0, 0.0, 0.0])
    nodes = [
        helper.make_node("Mul", ["points", "zero"], ["nothing"]),
        helper.make_node("Add", ["geometric", "nothing"], ["offsets"]),
        helper.make_node("ReduceMean", ["nothing"], ["joint_scores"], axes=[2], keepdims=0),
        helper.make_node("ReduceMean", ["geometric"], ["mean"], axes=[1], keepdims=0),
        helper.make_node("MatMul", ["mean", "pick"], ["bone_length_scores"]),
    ]
    outputs = [_io("offsets", ["batch", "n", 3]), _io("joint_scores", ["batch", "n"]),
               _io("bone_length_scores", ["batch", 2])]
    return _graph_model(nodes, [zero, pick], inputs=inputs, outputs=outputs)


def test_the_length_choice_reuses_the_geometric_offsets_of_the_lifted_clouds_prediction(tmp_path):
    from pointskel_blender.core.contract.geometric import GeometricPredictor

    path = _save_io(hinted_length_model(), tmp_path / "hinted_length.onnx", inputs=("points", "geometric"),
                    outputs=("offsets", "joint_scores", "bone_length_scores"), bone_lengths=LENGTHS)
    predictor = OnnxPredictor(path)
    shape = lift(figures.plus(128).mask[:, 40:], points=300, seed=1)
    lifted = predictor.predict_all(shape.points, shape)
    np.testing.assert_array_equal(lifted.geometric, GeometricPredictor().predict(shape.points, shape))
    assert contract(shape, predictor).lifted.geometric.tolist() == lifted.geometric.tolist()
    alone = predictor.choose_bone_length(shape, ANY_FIGURE)
    assert predictor.choose_bone_length(shape, ANY_FIGURE, lifted) == alone
    # What is handed over is what the model reads: offsets moved right choose the first length.
    for dx, length in ((5.0, 0.04), (-5.0, 0.1)):
        moved = replace(lifted, geometric=lifted.geometric + np.float32([dx, 0, 0]))
        assert predictor.choose_bone_length(shape, ANY_FIGURE, moved) == length
    with pytest.raises(ValueError, match="for 300 points"):
        predictor.choose_bone_length(shape, ANY_FIGURE, replace(lifted, geometric=lifted.geometric[:9]))


def test_bone_length_metadata_is_checked(tmp_path):
    with pytest.raises(ModelError, match=r"expected \[batch, 3\]"):
        OnnxPredictor(_save_length(tmp_path / "three.onnx", lengths=(0.02, 0.04, 0.06)))
    props = metadata(expected_points=N, default_iterations=1, config={}, description="x",
                     outputs=("offsets", "joint_scores", "bone_length_scores"), bone_lengths=LENGTHS)
    assert parse_metadata(props, "m").bone_lengths == LENGTHS
    for bad in (None, "0.04", "0.04,big", "0.04,1.5"):
        broken = {k: v for k, v in props.items() if k != "pointskel.bone_lengths"}
        if bad is not None:
            broken["pointskel.bone_lengths"] = bad
        with pytest.raises(ModelError, match="pointskel.bone_lengths"):
            parse_metadata(broken, "m.onnx")


# The optional figure input -------------------------------------------------------------------------


def figure_model(figure_shape=("batch", 4)) -> onnx.ModelProto:
    """length_model's outputs, but bone_length_scores = (ends - 6, 6 - ends) from the figure input:
    a tree with more than six ends picks the first length. Offsets ignore the figure."""
    model = length_model()
    graph = model.graph
    del graph.output[2]
    graph.node.pop()  # the Concat of the points' means
    graph.input.append(_io("figure", list(figure_shape)))
    six = helper.make_tensor("six", TensorProto.FLOAT, [1], [6.0])
    graph.initializer.extend([six, helper.make_tensor("first", TensorProto.INT64, [1], [0]),
                              helper.make_tensor("second", TensorProto.INT64, [1], [1])])
    graph.node.extend([
        helper.make_node("Slice", ["figure", "first", "second", "second"], ["ends"]),
        helper.make_node("Sub", ["ends", "six"], ["more"]),
        helper.make_node("Neg", ["more"], ["fewer"]),
        helper.make_node("Add", ["more", "mean"], ["more_and_mean"]),  # keeps the points' branch used
        helper.make_node("Sub", ["more_and_mean", "mean"], ["more_only"]),
        helper.make_node("Concat", ["more_only", "fewer"], ["bone_length_scores"], axis=1),
    ])
    graph.output.append(_io("bone_length_scores", ["batch", 2]))
    onnx.checker.check_model(model)
    return model


def _save_figure(path: Path, model: onnx.ModelProto | None = None, **overrides) -> Path:
    io = {"inputs": ("points", "figure"), "outputs": ("offsets", "joint_scores", "bone_length_scores"),
          "bone_lengths": LENGTHS, "figure_features": FIGURE_FEATURES, **overrides}
    return _save_io(figure_model() if model is None else model, path, **io)


def test_the_figure_input_gets_the_contracted_clouds_tree_features(tmp_path):
    predictor = OnnxPredictor(_save_figure(tmp_path / "figure.onnx"))
    assert predictor.inputs == ("points", "figure") and predictor.figure_features == FIGURE_FEATURES
    from pointskel_blender.core.contract.geometric import GeometricPredictor

    plus = lift(figures.plus(128).mask, points=300, seed=1)
    # The contraction runs with the figure unknown (zeros): only the length output reads it.
    assert contract(plus, predictor).points.shape == plus.points.shape
    onto_axis = contract(plus, GeometricPredictor()).points
    assert figure_features(onto_axis, plus.radius_at).tolist()[:3] == [4, 1, 5]  # four ends around one fork
    assert predictor.choose_bone_length(plus, figure_features(onto_axis, plus.radius_at)) == 0.1
    four = np.concatenate([onto_axis + np.float32([dx, dy, 0]) for dx in (0, 3) for dy in (0, 3)])
    assert figure_features(four, plus.radius_at)[0] > 6  # four plus signs, joined into one tree
    assert predictor.choose_bone_length(plus, figure_features(four, plus.radius_at)) == 0.04
    with pytest.raises(ModelError, match="reads 4 figure features"):
        predictor.choose_bone_length(plus, np.zeros(3, np.float32))


def test_figure_metadata_and_signature_are_checked(tmp_path):
    with pytest.raises(ModelError, match="pointskel.figure_features"):
        OnnxPredictor(_save_figure(tmp_path / "unnamed.onnx", figure_features=()))
    with pytest.raises(ModelError, match=r"this PointSkel computes 'ends,forks,joints,length'"):
        OnnxPredictor(_save_figure(tmp_path / "other.onnx",
                                   figure_features=("ends", "forks", "joints", "area")))
    with pytest.raises(ModelError, match=r"expected \[batch, 4\]"):
        OnnxPredictor(_save_figure(tmp_path / "wide.onnx", model=figure_model(("batch", 5))))
    with pytest.raises(ModelError, match="dynamic"):
        OnnxPredictor(_save_figure(tmp_path / "fixed.onnx", model=figure_model((1, 4))))
    with pytest.raises(ModelError, match="no 'bone_length_scores' output"):  # checked as it is written
        metadata(expected_points=N, default_iterations=1, config={}, description="x",
                 inputs=("points", "figure"), outputs=("offsets", "joint_scores"),
                 figure_features=FIGURE_FEATURES)
