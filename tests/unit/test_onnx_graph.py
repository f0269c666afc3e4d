"""The model graph cut in memory (`core.contract.onnx_graph`): the shipped model's cuts give its own
outputs bit for bit, small graphs built with onnx.helper show what is kept, and graphs that cannot be
cut safely are run whole."""

from __future__ import annotations

import figures
import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from pointskel_blender.core.contract import SHIPPED_MODEL, contract
from pointskel_blender.core.contract.geometric import GeometricPredictor
from pointskel_blender.core.contract.model_format import write_metadata
from pointskel_blender.core.contract.onnx_graph import ModelGraph, WireError
from pointskel_blender.core.contract.onnx_predictor import OnnxPredictor
from pointskel_blender.core.contract.predictor import group_order
from pointskel_blender.core.figure import FIGURE_FEATURES
from pointskel_blender.core.lift import lift
from pointskel_blender.core.onnx_runtime import import_onnxruntime

ort = import_onnxruntime()
LENGTH, FIGURE = "bone_length_scores", "figure"


def _session(data: bytes):
    return ort.InferenceSession(data, providers=["CPUExecutionProvider"])


def _io(name: str, shape) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def two_heads() -> onnx.ModelProto:
    """offsets = -points; bone_length_scores = mean over points (per group) + figure[:, :2]."""
    two = helper.make_tensor("two", TensorProto.INT64, [1], [2])
    zero = helper.make_tensor("zero", TensorProto.INT64, [1], [0])
    nodes = [
        helper.make_node("Neg", ["points"], ["offsets"]),
        helper.make_node("ReduceMean", ["points"], ["mean3"], axes=[1], keepdims=0),
        helper.make_node("Slice", ["mean3", "zero", "two", "one"], ["mean"]),
        helper.make_node("Slice", [FIGURE, "zero", "two", "one"], ["front"]),
        helper.make_node("Add", ["mean", "front"], [LENGTH]),
    ]
    one = helper.make_tensor("one", TensorProto.INT64, [1], [1])
    inputs = [_io("points", ["batch", "n", 3]), _io(FIGURE, ["batch", 4])]
    outputs = [_io("offsets", ["batch", "n", 3]), _io(LENGTH, ["batch", 2])]
    graph = helper.make_graph(nodes, "two_heads", inputs, outputs, [two, zero, one])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    onnx.checker.check_model(model)
    return model


def test_the_shipped_models_cuts_give_its_own_outputs_bit_for_bit():
    data = SHIPPED_MODEL.read_bytes()
    graph = ModelGraph(data)
    assert graph.cuttable and graph.inputs == ["points", "geometric", FIGURE]
    pooled = graph.frontier(LENGTH, FIGURE)
    assert len(pooled) == 1  # the network's pooled feature, all the length head reads besides the figure
    shape = lift(figures.stick_figure(256).mask, points=3000, seed=2)
    _, groups = group_order(len(shape.points), 1024)
    geometric = GeometricPredictor().predict(shape.points, shape)
    feeds = {"points": shape.points[groups], "geometric": geometric[groups],
             FIGURE: np.tile(np.float32([5, 2, 9, 1.3]), (len(groups), 1))}
    whole = dict(zip(graph.outputs, _session(data).run(None, feeds)))
    steps = ["offsets", "joint_scores"]
    first = _session(graph.subgraph([*steps, "part_scores", "body_plan_scores", *pooled]))
    later = _session(graph.subgraph(steps))
    head = _session(graph.subgraph([LENGTH], pooled))
    points_only = {k: v for k, v in feeds.items() if k != FIGURE}
    *firsts, feature = first.run(None, points_only)
    for name, value in zip([*steps, "part_scores", "body_plan_scores"], firsts):
        np.testing.assert_array_equal(value, whole[name])
    for name, value in zip(steps, later.run(None, points_only)):
        np.testing.assert_array_equal(value, whole[name])
    assert {i.name for i in head.get_inputs()} == {pooled[0], FIGURE}  # no points: the network does not run
    (length,) = head.run(None, {pooled[0]: feature, FIGURE: feeds[FIGURE]})
    np.testing.assert_array_equal(length, whole[LENGTH])
    # and the cut graphs are smaller: the later runs skip the part and length heads
    assert len(onnx.load_from_string(graph.subgraph(steps)).graph.node) < len(graph.nodes)


def test_a_subgraph_keeps_only_what_its_outputs_need():
    graph = ModelGraph(two_heads().SerializeToString())
    offsets = onnx.load_from_string(graph.subgraph(["offsets"]))
    assert [n.op_type for n in offsets.graph.node] == ["Neg"]
    assert [i.name for i in offsets.graph.input] == ["points"] and not offsets.graph.initializer
    points = np.arange(24, dtype=np.float32).reshape(2, 4, 3)
    (out,) = _session(graph.subgraph(["offsets"])).run(None, {"points": points})
    np.testing.assert_array_equal(out, -points)
    # an inner tensor as an extra output, and the head computed from it alone
    assert graph.frontier(LENGTH, FIGURE) == ("mean",)
    figure = np.float32([[1, 2, 3, 4], [5, 6, 7, 8]])
    mean, _ = _session(graph.subgraph(["mean", "offsets"])).run(None, {"points": points})
    (length,) = _session(graph.subgraph([LENGTH], ["mean"])).run(None, {"mean": mean, FIGURE: figure})
    np.testing.assert_allclose(length, points.mean(axis=1)[:, :2] + figure[:, :2])


def test_graphs_with_nested_graphs_or_bad_bytes_are_not_cut(tmp_path):
    branch = helper.make_graph([helper.make_node("Neg", ["points"], ["inner"])], "branch", [],
                               [_io("inner", ["batch", "n", 3])])
    cond = helper.make_tensor("cond", TensorProto.BOOL, [], [True])
    nodes = [helper.make_node("If", ["cond"], ["offsets"], then_branch=branch, else_branch=branch)]
    graph = helper.make_graph(nodes, "nested", [_io("points", ["batch", "n", 3])],
                              [_io("offsets", ["batch", "n", 3])], [cond])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    assert not ModelGraph(model.SerializeToString()).cuttable  # the If reads `points` by name only
    write_metadata(model, expected_points=64, default_iterations=2, config={}, description="nested")
    onnx.save(model, str(tmp_path / "nested.onnx"))
    shape = lift(figures.plus(128).mask, points=200, seed=1)
    predictor = OnnxPredictor(tmp_path / "nested.onnx")
    np.testing.assert_array_equal(predictor.predict(shape.points, shape), -shape.points)
    with pytest.raises(WireError):
        ModelGraph(b"\x0a\xff\xff")  # a length past the end


def test_the_length_choice_from_the_pooled_features_is_the_whole_models_choice():
    predictor = OnnxPredictor(SHIPPED_MODEL)
    for figure in (figures.stick_figure(256), figures.star(5), figures.fish()):
        shape = lift(figure.mask, points=4096, seed=0)
        lifted = contract(shape, predictor).lifted
        assert lifted.pooled is not None and lifted.parts is not None
        for features in (np.float32([2, 0, 2, 0.5]), np.float32([9, 4, 20, 1.8])):
            assert len(features) == len(FIGURE_FEATURES)
            assert predictor.choose_bone_length(shape, features, lifted) == predictor.choose_bone_length(
                shape, features)
