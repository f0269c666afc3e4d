"""The metadata contract of a PointSkel ONNX model: its inputs, outputs and `pointskel.*` keys.

A model may take a second input, `geometric`: the learning-free geometric predictor's offsets at
the same points (`pointskel.inputs = "points,geometric"`). Such a model learns a correction of the
classical medial-axis answer instead of rediscovering it. A model may also have a second output,
`joint_scores` (`pointskel.outputs = "offsets,joint_scores"`): per point, in [0, 1], how likely it
lies at a joint. A third output, `bone_length_scores` (batch, K), scores the K split lengths listed
in `pointskel.bone_lengths` for each group of points. A model whose length head also reads the
figure's tree takes a last input, `figure` (batch, 4): the `core.figure` features of the contracted
cloud, named in `pointskel.figure_features` so that a model asking for features this PointSkel does
not compute fails when it is opened. The trainer's export writes this metadata and the add-on's
predictor (`onnx_predictor`) reads it, so both share the key names here; the writer uses only the
protobuf API of the model it is handed and never imports `onnx` (Blender ships onnxruntime only).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ModelError
from ..figure import FIGURE_FEATURES
from ..lift import NORMALIZATION

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
OUTPUT_SETS = ((OUTPUT,), (OUTPUT, JOINT_OUTPUT), (OUTPUT, JOINT_OUTPUT, LENGTH_OUTPUT))

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
) -> dict[str, str]:
    """The complete `pointskel.*` metadata of a model, as the strings ONNX stores."""
    props = {
        KEY_FORMAT: FORMAT,
        KEY_VERSION: FORMAT_VERSION,
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
    if props[KEY_VERSION] != FORMAT_VERSION:
        raise ModelError(
            f"{source}: model format version {props[KEY_VERSION]!r} is not supported (this PointSkel reads "
            f"version {FORMAT_VERSION}); use a matching PointSkel or re-export the model"
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
    return ModelInfo(
        expected_points, default_iterations, config, props[KEY_DESCRIPTION], inputs, outputs, lengths, figure
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
