"""The learned offset predictor, run through onnxruntime, and the metadata contract it relies on.

A model file is checked completely when it is opened (readable, a PointSkel offset predictor of a
supported version, trained in this lift's normalization, with the expected inputs and outputs), so
a bad or stale file fails with one clear message instead of producing a wrong skeleton.

A model may take a second input, `geometric`: the learning-free geometric predictor's offsets at
the same points (`pointskel.inputs = "points,geometric"`). Such a model learns a correction of the
classical medial-axis answer instead of rediscovering it, and the predictor here computes that
input from the lifted shape before every run. A model may also have a second output,
`joint_scores` (`pointskel.outputs = "offsets,joint_scores"`): per point, in [0, 1], how likely it
lies at a joint; the topology moves the joints inside chains toward its peaks. A third output,
`bone_length_scores` (batch, K), scores the K split lengths listed in `pointskel.bone_lengths` for
each group of points; `choose_bone_length` runs the model on the lifted shape, averages them over
the groups and hands back the best length (the pipeline uses it unless the user set one). A model
whose length head also reads the figure's tree takes a last input, `figure` (batch, 4): the
`core.figure` features of the contracted cloud, named in `pointskel.figure_features` so that a
model asking for features this PointSkel does not compute fails when it is opened. The contraction
runs feed zeros there, since only the length output depends on it. The metadata writer
lives here too, so the trainer's export and this loader share the key names; it uses only the
protobuf API of the model it is handed and never imports `onnx` (Blender ships onnxruntime only).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError
from .figure import FIGURE_FEATURES
from .learned_parts import (
    PART_OUTPUT,
    PART_OUTPUTS,
    PART_VERSION,
    PLAN_OUTPUT,
    parse_part_metadata,
    part_metadata,
)
from .lift import NORMALIZATION, LiftedShape
from .onnx_runtime import import_onnxruntime
from .predict_geometric import GeometricPredictor
from .predictor import Prediction, group_order

FORMAT = "pointskel-offset-predictor"
FORMAT_VERSION = "1"
INPUT = "points"
GEOMETRIC_INPUT = "geometric"  # optional second input: the geometric predictor's offsets
FIGURE_INPUT = "figure"  # optional last input, for the length output: (batch, 4) `core.figure` features
OUTPUT = "offsets"
JOINT_OUTPUT = "joint_scores"  # optional second output: (batch, n) joint scores in [0, 1]
LENGTH_OUTPUT = "bone_length_scores"  # optional third output: (batch, K) scores of the K bone lengths
INPUT_SETS = (
    (INPUT,), (INPUT, GEOMETRIC_INPUT), (INPUT, FIGURE_INPUT), (INPUT, GEOMETRIC_INPUT, FIGURE_INPUT)
)
OUTPUT_SETS = (
    (OUTPUT,), (OUTPUT, JOINT_OUTPUT), (OUTPUT, JOINT_OUTPUT, LENGTH_OUTPUT),
    (OUTPUT, JOINT_OUTPUT, LENGTH_OUTPUT, *PART_OUTPUTS),  # version 2 (`core.learned_parts`)
)
FORMAT_VERSIONS = (FORMAT_VERSION, PART_VERSION)

KEY_FORMAT = "pointskel.format"
KEY_VERSION = "pointskel.format_version"
KEY_EXPECTED_POINTS = "pointskel.expected_points"
KEY_NORMALIZATION = "pointskel.normalization"
KEY_DEFAULT_ITERATIONS = "pointskel.default_iterations"
KEY_CONFIG = "pointskel.config"
KEY_DESCRIPTION = "pointskel.description"
KEY_INPUTS = "pointskel.inputs"  # optional: comma-separated input names, default "points"
KEY_OUTPUTS = "pointskel.outputs"  # optional: comma-separated output names, default "offsets"
KEY_BONE_LENGTHS = "pointskel.bone_lengths"  # with LENGTH_OUTPUT: comma-separated candidate lengths
KEY_FIGURE_FEATURES = "pointskel.figure_features"  # with FIGURE_INPUT: what it holds, comma-separated
# Sane ranges of what a model file may ask for: a model is untrusted input (`--model`, the add-on
# preference), and each field sizes an allocation or a loop. A group of `expected_points` is padded
# up from fewer points and runs as one tensor; `default_iterations` runs the network that many
# times; the texts are held in memory and shown in the UI.
MAX_EXPECTED_POINTS = 16_384  # 8x the trainer's default group; any more only pads small clouds
MAX_DEFAULT_ITERATIONS = 100  # the pipeline's own iteration limit
MAX_BONE_LENGTHS = 64  # candidate lengths the length head may score
MAX_CONFIG_CHARS = 65_536  # the trainer's config is about 500 characters
MAX_DESCRIPTION_CHARS = 4_096
MAX_MODEL_BYTES = 512 * 2**20  # the shipped model is a few MB
RUN_POINTS = 16_384  # points per onnxruntime call: memory stays flat in the cloud's size
OFFSET_LIMIT = 1000.0  # normalized units: the figure fits in a unit box (untrained nets move ~40)

KEYS = (
    KEY_FORMAT,
    KEY_VERSION,
    KEY_EXPECTED_POINTS,
    KEY_NORMALIZATION,
    KEY_DEFAULT_ITERATIONS,
    KEY_CONFIG,
    KEY_DESCRIPTION,
)


@dataclass(frozen=True)
class ModelInfo:
    """The validated contents of a model's `pointskel.*` metadata."""

    expected_points: int
    default_iterations: int
    config: dict[str, Any]
    description: str
    inputs: tuple[str, ...] = (INPUT,)
    outputs: tuple[str, ...] = (OUTPUT,)
    bone_lengths: tuple[float, ...] = ()  # what LENGTH_OUTPUT scores, in normalized units
    figure_features: tuple[str, ...] = ()  # what FIGURE_INPUT holds (`core.figure.FIGURE_FEATURES`)
    parts: tuple[str, ...] = ()  # what PART_OUTPUT scores (`core.learned_parts`)
    body_plans: tuple[str, ...] = ()  # what PLAN_OUTPUT scores


def metadata(
    *,
    expected_points: int,
    default_iterations: int,
    config: Mapping[str, Any],
    description: str,
    inputs: Sequence[str] = (INPUT,),
    outputs: Sequence[str] = (OUTPUT,),
    bone_lengths: Sequence[float] = (),
    figure_features: Sequence[str] = (),
    parts: Sequence[str] = (),
    body_plans: Sequence[str] = (),
) -> dict[str, str]:
    """The complete `pointskel.*` metadata of a model, as the strings ONNX stores (version 2 with
    the part outputs, else 1, so older PointSkels keep reading models without them)."""
    props = {
        KEY_FORMAT: FORMAT,
        KEY_VERSION: PART_VERSION if parts else FORMAT_VERSION,
        KEY_EXPECTED_POINTS: str(int(expected_points)),
        KEY_NORMALIZATION: NORMALIZATION,
        KEY_DEFAULT_ITERATIONS: str(int(default_iterations)),
        KEY_CONFIG: json.dumps(dict(config), sort_keys=True),
        KEY_DESCRIPTION: str(description),
        KEY_INPUTS: ",".join(inputs),
        KEY_OUTPUTS: ",".join(outputs),
    }
    if bone_lengths:
        props[KEY_BONE_LENGTHS] = ",".join(repr(float(v)) for v in bone_lengths)
    if figure_features:
        props[KEY_FIGURE_FEATURES] = ",".join(figure_features)
    props.update(part_metadata(parts, body_plans))
    parse_metadata(props, "the metadata being written")
    return props


def write_metadata(model: Any, **fields: Any) -> None:
    """Set the `pointskel.*` metadata (`fields` as for `metadata`) on an `onnx.ModelProto` in place,
    keeping its other entries."""
    props = metadata(**fields)
    others = [(p.key, p.value) for p in model.metadata_props if p.key not in props]
    del model.metadata_props[:]
    for key, value in [*others, *props.items()]:
        model.metadata_props.add(key=key, value=value)


def parse_metadata(props: Mapping[str, str], source: str) -> ModelInfo:
    """Validate `pointskel.*` metadata; every problem is a ModelError naming `source` and the fix."""
    missing = [key for key in KEYS if key not in props]
    if KEY_FORMAT in missing or props.get(KEY_FORMAT) != FORMAT:
        raise ModelError(
            f"{source}: not a PointSkel offset predictor ({KEY_FORMAT} is {props.get(KEY_FORMAT)!r}, "
            f"expected {FORMAT!r})"
        )
    if missing:
        raise ModelError(f"{source}: model metadata lacks {', '.join(missing)}; re-export the model")
    if props[KEY_VERSION] not in FORMAT_VERSIONS:
        raise ModelError(
            f"{source}: model format version {props[KEY_VERSION]!r} is not supported (this PointSkel reads "
            f"versions {' and '.join(FORMAT_VERSIONS)}); use a matching PointSkel or re-export the model"
        )
    if props[KEY_NORMALIZATION] != NORMALIZATION:
        raise ModelError(
            f"{source}: model expects the {props[KEY_NORMALIZATION]!r} frame but this PointSkel lifts in "
            f"{NORMALIZATION!r}; retrain or re-export the model"
        )
    expected_points = _bounded_int(props, KEY_EXPECTED_POINTS, MAX_EXPECTED_POINTS, source)
    default_iterations = _bounded_int(props, KEY_DEFAULT_ITERATIONS, MAX_DEFAULT_ITERATIONS, source)
    for key, limit in ((KEY_CONFIG, MAX_CONFIG_CHARS), (KEY_DESCRIPTION, MAX_DESCRIPTION_CHARS)):
        if len(props[key]) > limit:
            raise ModelError(f"{source}: {key} has {len(props[key]):,} characters, more than {limit:,}")
    config = _config(props, source, expected_points=expected_points, default_iterations=default_iterations)
    inputs = tuple(props.get(KEY_INPUTS, INPUT).split(","))
    if inputs not in INPUT_SETS:
        raise ModelError(
            f"{source}: {KEY_INPUTS} is {props[KEY_INPUTS]!r}; this PointSkel feeds "
            f"{' or '.join(repr(','.join(i)) for i in INPUT_SETS)}"
        )
    outputs = tuple(props.get(KEY_OUTPUTS, OUTPUT).split(","))
    if outputs not in OUTPUT_SETS:
        raise ModelError(
            f"{source}: {KEY_OUTPUTS} is {props[KEY_OUTPUTS]!r}; this PointSkel reads "
            f"{' or '.join(repr(','.join(o)) for o in OUTPUT_SETS)}"
        )
    lengths = _bone_lengths(props, source) if LENGTH_OUTPUT in outputs else ()
    figure = _figure_features(props, source, outputs) if FIGURE_INPUT in inputs else ()
    parts, plans = parse_part_metadata(props, source) if PART_OUTPUT in outputs else ((), ())
    if bool(parts) != (props[KEY_VERSION] == PART_VERSION):
        raise ModelError(f"{source}: format version {props[KEY_VERSION]!r} with outputs {','.join(outputs)!r}: "
                         f"version {PART_VERSION} has the part outputs, version {FORMAT_VERSION} not; re-export")
    return ModelInfo(
        expected_points, default_iterations, config, props[KEY_DESCRIPTION], inputs, outputs, lengths, figure,
        parts, plans,
    )


def _figure_features(props: Mapping[str, str], source: str, outputs: Sequence[str]) -> tuple[str, ...]:
    if LENGTH_OUTPUT not in outputs:
        raise ModelError(
            f"{source}: the model reads a {FIGURE_INPUT!r} input but has no {LENGTH_OUTPUT!r} output"
        )
    wanted = ",".join(FIGURE_FEATURES)
    if props.get(KEY_FIGURE_FEATURES) != wanted:
        raise ModelError(
            f"{source}: {KEY_FIGURE_FEATURES} is {props.get(KEY_FIGURE_FEATURES)!r}; this PointSkel computes "
            f"{wanted!r}; use a matching PointSkel or re-export the model"
        )
    return FIGURE_FEATURES


def _bone_lengths(props: Mapping[str, str], source: str) -> tuple[float, ...]:
    text = props.get(KEY_BONE_LENGTHS)
    if text is None:
        raise ModelError(f"{source}: the model scores bone lengths but its metadata lacks {KEY_BONE_LENGTHS}")
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if not 2 <= len(values) <= MAX_BONE_LENGTHS or not all(0.0 <= v <= 1.0 for v in values):
        raise ModelError(
            f"{source}: {KEY_BONE_LENGTHS} is {text[:80]!r}; expected 2 to {MAX_BONE_LENGTHS} "
            "comma-separated numbers in [0, 1]"
        )
    return values


def _bounded_int(props: Mapping[str, str], key: str, limit: int, source: str) -> int:
    text = props[key]
    value = int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else 0
    if not 1 <= value <= limit:
        raise ModelError(f"{source}: {key} must be an integer from 1 to {limit:,}, got {text[:40]!r}")
    return value


def _config(props: Mapping[str, str], source: str, **fields: int) -> dict[str, Any]:
    """The training config (shown, never run): a JSON object whose copies of `fields` agree with them."""
    try:
        config = json.loads(props[KEY_CONFIG], parse_constant=lambda name: None)
    except (json.JSONDecodeError, RecursionError):
        config = None
    if not isinstance(config, dict):
        raise ModelError(f"{source}: {KEY_CONFIG} is not a JSON object; re-export the model")
    for name, value in fields.items():
        if name in config and config[name] != value:
            raise ModelError(
                f"{source}: {KEY_CONFIG} says {name} {config[name]!r} but the model's metadata says {value}; "
                "re-export the model"
            )
    return config


def _checked_file(path: Path) -> os.stat_result:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ModelError(f"model file not found: {path}") from None
    if not path.is_file():
        raise ModelError(f"model path is not a file: {path}")
    if info.st_size == 0:
        raise ModelError(f"model file is empty (0 bytes): {path}; download or export it again")
    if info.st_size > MAX_MODEL_BYTES:
        raise ModelError(
            f"model file is {info.st_size / 2**20:,.0f} MB, larger than the {MAX_MODEL_BYTES // 2**20} MB "
            f"a PointSkel offset predictor can be: {path}"
        )
    return info


def _is_dynamic(dim: Any) -> bool:
    return not isinstance(dim, int)


def _reason(exc: Exception) -> str:
    """onnxruntime's message without its '[ONNXRuntimeError] : 7 : INVALID_PROTOBUF :' prefix."""
    text = str(exc).strip()
    return text.splitlines()[0].split(" : ")[-1] if text else type(exc).__name__


class OnnxPredictor:
    """A learned PointNet offset predictor; one onnxruntime CPU session per file."""

    name = "onnx"

    def __init__(self, path: str | os.PathLike, *, seed: int = 0, threads: int | None = None) -> None:
        self.path = Path(path)
        self.seed = seed
        _checked_file(self.path)
        try:
            onnxruntime = import_onnxruntime()
        except ImportError:
            message = "onnxruntime is not installed, so ONNX models cannot run; use 'geometric'"
            raise ModelError(message) from None
        options = onnxruntime.SessionOptions()
        # A few threads: the point batch is small, and Blender's UI shares the machine.
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session = onnxruntime.InferenceSession(
                str(self.path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # noqa: BLE001 - onnxruntime's errors share no base class beyond Exception
            raise ModelError(
                f"{self.path}: not a readable ONNX model ({_reason(exc)}); download or export it again"
            ) from None
        self.metadata: dict[str, str] = dict(self._session.get_modelmeta().custom_metadata_map)
        info = parse_metadata(self.metadata, str(self.path))
        self.expected_points = info.expected_points
        self.default_iterations = info.default_iterations
        self.config = info.config
        self.description = info.description
        self.inputs = info.inputs
        self.outputs = info.outputs
        self.bone_lengths = info.bone_lengths
        self.figure_features = info.figure_features
        self.parts = info.parts
        self.body_plans = info.body_plans
        # Stateless after this: one predictor (`load_predictor` caches it) serves every run and thread.
        self._geometric = GeometricPredictor() if GEOMETRIC_INPUT in self.inputs else None
        self._check_signature()

    def _check_signature(self) -> None:
        inputs, outputs = self._session.get_inputs(), self._session.get_outputs()
        for kind, args, wanted in (("input", inputs, list(self.inputs)),
                                   ("output", outputs, list(self.outputs))):
            where = f"{self.path}: model {kind}"
            if [a.name for a in args] != wanted:
                raise ModelError(f"{where}s are {[a.name for a in args]}, expected {wanted}")
            for arg in args:
                if arg.type != "tensor(float)":
                    raise ModelError(f"{where} {arg.name!r} is {arg.type}, expected tensor(float)")
                if arg.name == JOINT_OUTPUT:
                    if len(arg.shape) != 2:
                        raise ModelError(f"{where} {arg.name!r} has shape {arg.shape}, expected [batch, n]")
                elif arg.name == FIGURE_INPUT:
                    count = len(self.figure_features)
                    if len(arg.shape) != 2 or isinstance(arg.shape[1], int) and arg.shape[1] != count:
                        raise ModelError(
                            f"{where} {arg.name!r} has shape {arg.shape}, expected [batch, {count}]"
                        )
                elif arg.name in (PART_OUTPUT, PLAN_OUTPUT):
                    rank, count = (3, len(self.parts)) if arg.name == PART_OUTPUT else (2, len(self.body_plans))
                    if len(arg.shape) != rank or isinstance(arg.shape[-1], int) and arg.shape[-1] != count:
                        raise ModelError(f"{where} {arg.name!r} has shape {arg.shape}, expected "
                                         f"[batch{', n' if rank == 3 else ''}, {count}]")
                elif arg.name == LENGTH_OUTPUT:
                    count = len(self.bone_lengths)
                    if len(arg.shape) != 2 or isinstance(arg.shape[1], int) and arg.shape[1] != count:
                        raise ModelError(
                            f"{where} {arg.name!r} has shape {arg.shape}, expected [batch, {count}] "
                            f"(one score per entry of {KEY_BONE_LENGTHS})"
                        )
                elif len(arg.shape) != 3 or isinstance(arg.shape[2], int) and arg.shape[2] != 3:
                    raise ModelError(f"{where} {arg.name!r} has shape {arg.shape}, expected [batch, n, 3]")
        for arg in inputs:
            axes = arg.shape[:1] if arg.name == FIGURE_INPUT else arg.shape[:2]
            if not all(_is_dynamic(dim) for dim in axes):
                raise ModelError(
                    f"{self.path}: model input {arg.name!r} has shape {arg.shape}; batch and n must be "
                    "dynamic axes (export it with dynamic axes)"
                )

    def predict(self, points: np.ndarray, shape: LiftedShape) -> np.ndarray:
        """Offsets for all M points, run as ceil(M / n) uniform subsamples of n points in one batch."""
        return self.predict_all(points, shape).offsets

    def predict_all(self, points: np.ndarray, shape: LiftedShape) -> Prediction:
        """Offsets, and joint scores where the model has them."""
        points = np.asarray(points, dtype=np.float32)
        count = len(points)
        if count == 0:
            scores = np.zeros(0, dtype=np.float32) if JOINT_OUTPUT in self.outputs else None
            return Prediction(np.zeros((0, 3), dtype=np.float32), scores)
        order, feeds = self._feeds(points, shape, np.zeros(len(self.figure_features), np.float32))
        out, *rest = self._run(list(self.outputs[:2]), feeds)
        batch = feeds[INPUT]
        if out.shape != batch.shape:
            raise ModelError(f"{self.path}: model returned offsets {out.shape} for input {batch.shape}")
        if rest and rest[0].shape != batch.shape[:2]:
            raise ModelError(
                f"{self.path}: model returned joint scores {rest[0].shape} for input {batch.shape}"
            )
        reach = float(np.abs(out).max())
        if reach > OFFSET_LIMIT:
            raise ModelError(
                f"{self.path}: model moved points by up to {reach:.3g} units (a figure is 1 unit): "
                "its weights are damaged; download or export it again"
            )
        offsets = np.empty_like(points)
        offsets[order] = out.reshape(-1, 3)[:count]
        scores = None
        if rest:
            scores = np.empty(count, dtype=np.float32)
            scores[order] = rest[0].reshape(-1)[:count]
        return Prediction(offsets, scores)

    def choose_bone_length(self, shape: LiftedShape, figure: np.ndarray) -> float | None:
        """The candidate length scored best over the lifted shape's groups (None without a length output).

        The scores come from the lifted cloud, where the figure's outline still shows, and, for a
        model with the figure input, from `figure`: the contracted cloud's `core.figure` features."""
        if LENGTH_OUTPUT not in self.outputs or len(shape.points) == 0:
            return None
        figure = np.asarray(figure, dtype=np.float32).reshape(-1)
        if self.figure_features and figure.shape != (len(self.figure_features),):
            raise ModelError(
                f"{self.path}: the model reads {len(self.figure_features)} figure features, "
                f"got {figure.shape}"
            )
        _, feeds = self._feeds(np.asarray(shape.points, dtype=np.float32), shape, figure)
        (lengths,) = self._run([LENGTH_OUTPUT], feeds)
        groups = len(feeds[INPUT])
        if lengths.shape != (groups, len(self.bone_lengths)):
            raise ModelError(
                f"{self.path}: model returned bone length scores {lengths.shape} for {groups} groups "
                f"and {len(self.bone_lengths)} lengths"
            )
        return self.bone_lengths[int(np.argmax(lengths.mean(axis=0)))]

    def predict_parts(self, shape: LiftedShape) -> tuple[np.ndarray, np.ndarray]:
        """((M, P) part probabilities of the lifted shape's points, (Q,) body-plan probabilities
        averaged over its groups); a model with the part outputs only (`core.learned_parts`)."""
        points = np.asarray(shape.points, dtype=np.float32)
        figure = np.zeros(len(self.figure_features), np.float32)  # read by the length output only
        order, feeds = self._feeds(points, shape, figure)
        parts, plans = self._run([PART_OUTPUT, PLAN_OUTPUT], feeds)
        batch = feeds[INPUT]
        if parts.shape != (*batch.shape[:2], len(self.parts)) or plans.shape != (len(batch), len(self.body_plans)):
            raise ModelError(f"{self.path}: model returned part scores {parts.shape} and body plan scores "
                             f"{plans.shape} for input {batch.shape}")
        out = np.empty((len(points), len(self.parts)), dtype=np.float32)
        out[order] = parts.reshape(-1, len(self.parts))[: len(points)]
        return out, plans.mean(axis=0)

    def _feeds(
        self, points: np.ndarray, shape: LiftedShape, figure: np.ndarray | None
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(order, feeds): the points as ceil(M / n) uniform subsamples of n, with the inputs the
        model reads; the k-th point of the flattened groups is point `order[k]` (k < M)."""
        order, index = group_order(len(points), self.expected_points, self.seed)
        groups = len(index)
        feeds = {INPUT: points[index]}
        if self._geometric is not None:
            feeds[GEOMETRIC_INPUT] = self._geometric.predict(points, shape)[index]
        if FIGURE_INPUT in self.inputs:
            feeds[FIGURE_INPUT] = np.tile(np.asarray(figure, dtype=np.float32), (groups, 1))
        return order, feeds

    def _run(self, outputs: list[str], feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        """The outputs for all groups, run RUN_POINTS points at a time; damaged weights (NaN or
        infinity out) are refused here, once for every caller."""
        groups = len(feeds[INPUT])
        chunk = max(1, RUN_POINTS // self.expected_points)
        parts = []
        for start in range(0, groups, chunk):
            part = {name: value[start : start + chunk] for name, value in feeds.items()}
            try:
                parts.append(self._session.run(outputs, part))
            except Exception as exc:  # noqa: BLE001 - a graph that fails on valid input: the file is at fault
                raise ModelError(f"{self.path}: model failed to run ({_reason(exc)})") from None
        results = [np.concatenate(values) if len(values) > 1 else values[0] for values in zip(*parts)]
        for name, value in zip(outputs, results):
            if not np.isfinite(value).all():
                raise ModelError(
                    f"{self.path}: model returned non-finite {name.replace('_', ' ')} (NaN or infinity): "
                    "its weights are damaged; download or export it again"
                )
        return results


def load_predictor(path: str | os.PathLike) -> OnnxPredictor:
    """The predictor for a model file, created once per file (and again only if the file changes)."""
    resolved = Path(path).expanduser().resolve()
    info = _checked_file(resolved)
    return _cached(str(resolved), info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=4)
def _cached(path: str, mtime_ns: int, size: int) -> OnnxPredictor:
    return OnnxPredictor(path)
