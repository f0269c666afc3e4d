"""Export a checkpoint as the add-on's ONNX offset predictor, and prove the file works before keeping it.

    python -m trainer.export CKPT OUT.onnx [--description TEXT]

The graph comes from the legacy TorchScript exporter at opset 17 with dynamic batch and n (the
Blender extension bundles onnxruntime 1.23, which reads IR <= 11 and opset <= 23), carries the
`pointskel.*` metadata of `core.contract.model_format.write_metadata`, and is checked in its temporary file:
it must load through the add-on's own `OnnxPredictor` (so a metadata mismatch fails here, not in
Blender), and onnxruntime must match torch within 1e-4 on random clouds of several sizes and on a
real lifted silhouette run through the predictor's grouping. Only then does it replace OUT.onnx.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from pointskel_blender.core.contract import contract, model_format
from pointskel_blender.core.contract.geometric import GeometricPredictor
from pointskel_blender.core.contract.onnx_predictor import OnnxPredictor
from pointskel_blender.core.contract.predictor import group_order
from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.figure import FIGURE_FEATURES, figure_features
from pointskel_blender.core.files import atomic_path
from pointskel_blender.core.learned_parts import PART_OUTPUT, PART_OUTPUTS, PLAN_OUTPUT
from pointskel_blender.core.onnx_runtime import import_onnxruntime
from pointskel_blender.core.settings import PipelineSettings

from .checkpoint import Checkpoint, load_checkpoint
from .model import PointNetOffsetPredictor, parameter_count, run_grouped

OPSET = 17
MAX_IR_VERSION = 11  # what the onnxruntime bundled with the Blender extension (1.23) reads
TOLERANCE = 1e-4
# Random figure features for the parity check span what figures have: ends, forks, joints, length.
FIGURE_RANGE = np.float32([12, 8, 30, 3])
SAMPLE = Path(model_format.__file__).resolve().parents[2] / "samples" / "sample_character.png"


class ExportError(PointSkelError):
    """The exported model would not load in the add-on or does not compute what the checkpoint does."""


@dataclass
class ExportReport:
    path: Path
    size: int  # bytes
    ir_version: int
    opset: int
    parameters: int
    differences: dict[str, float] = field(default_factory=dict)  # max |torch - onnxruntime| per check

    def lines(self) -> list[str]:
        out = [
            (
                f"wrote {self.path} ({self.size / 1e6:.2f} MB, {self.parameters:,} float32 parameters, "
                f"IR {self.ir_version}, opset {self.opset})"
            )
        ]
        out += [f"  max |torch - onnxruntime| {name}: {diff:.2e}" for name, diff in self.differences.items()]
        return out


def describe(checkpoint: Checkpoint) -> str:
    """A description naming the training data, the training state and the export date. A part head
    trained on an exported model (`trainer.part_head`) keeps that model's description, which says
    what its network learned from, and adds the head's steps and validation accuracy."""
    base = checkpoint.data.get("base_description")
    if base:
        last = checkpoint.history[-1] if checkpoint.history else {}
        accuracy = last.get("part_accuracy")
        scored = "n/a" if accuracy is None else f"{accuracy:.3f}"
        return (f"{base.split('; exported')[0]}; part head trained on its frozen features, {checkpoint.step} "
                f"steps, val point accuracy {scored}; exported {datetime.date.today().isoformat()}")
    train = checkpoint.data.get("train", {})
    dataset = Path(str(train.get("dataset", "unknown data"))).name
    best = "n/a" if checkpoint.best_metric is None else f"{checkpoint.best_metric:.3f}"
    local = (
        f"{checkpoint.model_config.neighbours}-NN of {checkpoint.model_config.anchors} anchors"
        if checkpoint.model_config.neighbours
        else "no local features"
    )
    return (
        f"PointSkel offset predictor (PointNet, {local}) trained on {dataset} "
        f"({train.get('samples', '?')} samples of {train.get('characters', '?')} characters, split "
        f"{train.get('split', '?')}), {checkpoint.step} steps, val metric {best}; exported "
        f"{datetime.date.today().isoformat()}"
    )


class _Outputs(torch.nn.Module):
    """The model as the add-on runs it: offsets, joint scores (sigmoid of the logit) if it has them,
    the bone length scores (softmax) with a length head, and part and body-plan probabilities
    (softmax) with a part head."""

    def __init__(self, model: PointNetOffsetPredictor) -> None:
        super().__init__()
        self.model = model

    def forward(self, *inputs: torch.Tensor) -> torch.Tensor | tuple[torch.Tensor, ...]:
        named = dict(zip(input_names(self.model), inputs))
        out, _, lengths = self.model.run(
            named[model_format.INPUT],
            named.get(model_format.GEOMETRIC_INPUT),
            named.get(model_format.FIGURE_INPUT),
        )
        if not self.model.config.joint_head:
            return out
        outputs = (out[..., :3], torch.sigmoid(out[..., 3]))
        outputs = outputs if lengths is None else (*outputs, torch.softmax(lengths, dim=-1))
        if self.model.parts is None:
            return outputs
        parts, plans = self.model.parts_and_plan(
            named[model_format.INPUT], named.get(model_format.GEOMETRIC_INPUT)
        )
        return (*outputs, torch.softmax(parts, dim=-1), torch.softmax(plans, dim=-1))


def output_names(model: PointNetOffsetPredictor) -> tuple[str, ...]:
    """The add-on's output names for this model (a length head needs the joint head before it)."""
    config = model.config
    if config.bone_lengths and not config.joint_head:
        raise ExportError(
            "a model with a bone length head needs the joint head too (the add-on's output sets)"
        )
    if config.parts and not config.bone_lengths:
        raise ExportError(
            "a model with a part head needs the bone length head too (the add-on's output sets)"
        )
    if config.bone_lengths:
        lengths = (model_format.OUTPUT, model_format.JOINT_OUTPUT, model_format.LENGTH_OUTPUT)
        return (*lengths, *PART_OUTPUTS) if config.parts else lengths
    if config.joint_head:
        return (model_format.OUTPUT, model_format.JOINT_OUTPUT)
    return (model_format.OUTPUT,)


def to_onnx(model: PointNetOffsetPredictor, *, description: str) -> bytes:
    """The serialized ONNX model with dynamic batch and n, IR capped for the bundled onnxruntime."""
    import onnx

    example = torch.zeros(2, model.config.expected_points, 3)
    example[..., :2] = torch.linspace(-0.5, 0.5, model.config.expected_points)[:, None]
    inputs, outputs = input_names(model), output_names(model)
    figure = torch.zeros(2, len(FIGURE_FEATURES))
    examples = tuple(figure if name == model_format.FIGURE_INPUT else torch.zeros_like(example)
                     for name in inputs)
    examples = (example, *examples[1:])
    buffer = io.BytesIO()
    axes = {0: "batch", 1: "n"}
    dynamic = {name: axes for name in (*inputs, *outputs)}
    for name in (model_format.LENGTH_OUTPUT, model_format.FIGURE_INPUT, PLAN_OUTPUT):
        if name in (*inputs, *outputs):
            dynamic[name] = {0: "batch"}
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", DeprecationWarning
        )  # the TorchScript exporter is deprecated, on purpose
        torch.onnx.export(
            _Outputs(model).eval(),  # eval on the wrapper: the exporter restores its mode afterwards
            examples,
            buffer,
            dynamo=False,
            opset_version=OPSET,
            input_names=list(inputs),
            output_names=list(outputs),
            dynamic_axes=dynamic,
        )
    proto = onnx.load_from_string(buffer.getvalue())
    proto.ir_version = min(proto.ir_version, MAX_IR_VERSION)
    model_format.write_metadata(
        proto,
        expected_points=model.config.expected_points,
        default_iterations=model.config.default_iterations,
        config=model.config.to_dict(),
        description=description,
        inputs=inputs,
        outputs=outputs,
        bone_lengths=model.config.bone_lengths,
        figure_features=FIGURE_FEATURES if model_format.FIGURE_INPUT in inputs else (),
        parts=model.config.parts,
        body_plans=model.config.body_plans,
    )
    onnx.checker.check_model(proto)
    return proto.SerializeToString()


def input_names(model: PointNetOffsetPredictor) -> tuple[str, ...]:
    names = ((model_format.INPUT, model_format.GEOMETRIC_INPUT) if model.config.geometric_input
             else (model_format.INPUT,))
    return (*names, model_format.FIGURE_INPUT) if model.config.length_figure_weight else names


def sample_shape():
    """The add-on's bundled sample character, masked (by its alpha) and lifted by the pipeline's stages."""
    from pointskel_blender.core.image import load_image
    from pointskel_blender.core.pipeline import lift_stage, mask_stage

    settings = PipelineSettings(mask_backend="alpha")
    return lift_stage(mask_stage(load_image(SAMPLE), settings), settings)


def _check_metadata(predictor: OnnxPredictor, model: PointNetOffsetPredictor) -> None:
    wanted = (model.config.expected_points, model.config.default_iterations, model.config.to_dict())
    found = (predictor.expected_points, predictor.default_iterations, predictor.config)
    if found != wanted:
        raise ExportError(f"the exported metadata reads back as {found}, expected {wanted}")


def verify(path: Path, model: PointNetOffsetPredictor, *, seed: int = 0) -> dict[str, float]:
    """Max |torch - onnxruntime| on random clouds and on the sample character; ExportError past TOLERANCE."""
    onnxruntime = import_onnxruntime()
    try:
        predictor = OnnxPredictor(path)
    except PointSkelError as exc:
        raise ExportError(f"the exported model does not load in the add-on: {exc}") from None
    _check_metadata(predictor, model)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(seed)
    n = model.config.expected_points
    differences = {}
    names, outputs, wrapped = input_names(model), output_names(model), _Outputs(model)
    for batch, points in ((1, n), (3, n), (2, max(n // 2, model.config.anchors)), (1, 2 * n + 37)):
        feeds = [
            rng.random((batch, len(FIGURE_FEATURES)), dtype=np.float32) * FIGURE_RANGE
            if name == model_format.FIGURE_INPUT
            else (rng.random((batch, points, 3), dtype=np.float32) - 0.5) * np.float32([1, 1, 0.2])
            for name in names
        ]
        found = session.run(list(outputs), dict(zip(names, feeds)))
        with torch.no_grad():
            reference = wrapped(*(torch.from_numpy(x) for x in feeds))
        reference = reference if isinstance(reference, tuple) else (reference,)
        for name, out, ref in zip(outputs, found, reference):
            differences[f"{name}, random {batch}x{points}"] = float(np.abs(out - ref.numpy()).max())
    shape = sample_shape()
    prediction = predictor.predict_all(shape.points, shape)
    onnx_offsets, onnx_scores = prediction.offsets, prediction.joint_scores
    geometric = None
    if model.config.geometric_input:
        geometric = torch.tensor(GeometricPredictor().predict(shape.points, shape))[None]
    cloud = torch.tensor(shape.points)[None]
    grouped = run_grouped(model, cloud, geometric, seed=predictor.seed)
    torch_out = grouped.points[0]
    if model.length is not None:
        contracted = contract(shape, predictor).points
        features = figure_features(contracted, shape.radius_at)
        chosen = predictor.choose_bone_length(shape, features)
        figure = torch.from_numpy(features)[None] if model.length.figures else None
        scores = run_grouped(model, cloud, geometric, seed=predictor.seed, figure=figure).length_scores
        wanted = model.config.bone_lengths[int(scores[0].argmax())]
        if chosen != wanted:
            raise ExportError(
                f"the add-on chooses bone length {chosen} for the sample character, torch {wanted}"
            )
    where = f"sample character ({len(shape.points)} points, predictor groups)"
    differences[f"offsets, {where}"] = float(np.abs(onnx_offsets - torch_out[:, :3].numpy()).max())
    if onnx_scores is not None:
        torch_scores = torch.sigmoid(torch_out[:, 3]).numpy()
        differences[f"{model_format.JOINT_OUTPUT}, {where}"] = float(np.abs(onnx_scores - torch_scores).max())
    if model.parts is not None:
        differences.update(_part_differences(predictor, model, shape, cloud, geometric))
    worst = max(differences, key=differences.get)
    if differences[worst] > TOLERANCE:
        raise ExportError(
            f"onnxruntime differs from torch by {differences[worst]:.2e} on {worst} "
            f"(tolerance {TOLERANCE:g}); the graph uses an op that exports wrongly"
        )
    return differences


def _part_differences(
    predictor: OnnxPredictor, model: PointNetOffsetPredictor, shape, cloud, geometric
) -> dict[str, float]:
    """Max |torch - onnxruntime| of the part and plan probabilities of the sample, in the add-on's groups."""
    parts, plan = predictor.predict_parts(shape)
    order, groups = group_order(len(shape.points), model.config.expected_points, predictor.seed)
    index = torch.as_tensor(groups)
    with torch.no_grad():
        hints = None if geometric is None else geometric[0][index]
        logits, plans = model.parts_and_plan(cloud[0][index], hints)
    wanted = torch.softmax(logits, -1).flatten(0, 1)[: len(order)].numpy()
    torch_parts = np.empty_like(wanted)
    torch_parts[order] = wanted
    where = f"sample character ({len(shape.points)} points, predictor groups)"
    return {
        f"{PART_OUTPUT}, {where}": float(np.abs(parts - torch_parts).max()),
        f"{PLAN_OUTPUT}, {where}": float(np.abs(plan - torch.softmax(plans, -1).mean(0).numpy()).max()),
    }


def export_model(model: PointNetOffsetPredictor, out: str | os.PathLike, *, description: str) -> ExportReport:
    """Write `out` atomically, only after `verify` passed on the temporary file."""
    import onnx

    model = model.cpu().eval()
    data = to_onnx(model, description=description)
    target = Path(out)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
        differences = verify(tmp, model)
    proto = onnx.load_from_string(data)
    return ExportReport(
        target,
        len(data),
        proto.ir_version,
        max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")),
        parameter_count(model),
        differences,
    )


def export_checkpoint(
    checkpoint_path: str | os.PathLike, out: str | os.PathLike, *, description: str | None = None
) -> ExportReport:
    checkpoint = load_checkpoint(checkpoint_path)
    return export_model(checkpoint.model(), out, description=description or describe(checkpoint))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.export", description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoint", help="a trainer checkpoint (best.pt or last.pt)")
    parser.add_argument("out", help="the .onnx file to write")
    parser.add_argument(
        "--description", help="pointskel.description (default: data, training state and date)"
    )
    args = parser.parse_args(argv)
    try:
        report = export_checkpoint(args.checkpoint, args.out, description=args.description)
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
