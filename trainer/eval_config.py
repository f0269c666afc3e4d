"""What fixes an evaluation's numbers (`trainer.evaluate`): one frozen, checked config.

`EvalConfig` is built once (from the command line by `trainer.evaluate`, or directly by a script)
and travels unchanged to every worker and into the results. A bad value fails here, before any
work, with a one-line `EvaluationError` (or the pipeline's own `PointSkelError` for its settings).

A method is a name of `METHODS`, optionally followed by pipeline settings it runs with, beside the
ones the evaluation fixes: `learned:naming=generic:tail_bones=2` runs the learned method with those
two settings. Any field of the core's settings table (`core.settings.PipelineSettings`) can be set
this way except the four the evaluation itself decides (`FIXED_SETTINGS`), so a setting the core
gains later (say, an anatomy that reads the model's per-point part labels) is compared against the
default run with no change here: `--methods learned,learned:<setting>=<value>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any

import numpy as np

from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.settings import SETTINGS, PipelineSettings

from .baselines import SKELETON_METHODS
from .rignet import MESH_DIR, RIG_DIR
from .samples import draw_view

METHODS = ("learned", "geometric", *SKELETON_METHODS)
DEFAULT_VIEWS = ("front", "side")
# Settings every method runs with as the evaluation decides: the silhouette's alpha, no resampling,
# each method's own predictor and the config's model.
FIXED_SETTINGS = ("mask_backend", "work_size", "predictor", "model_path")
_BOOLS = {"true": True, "on": True, "1": True, "false": False, "off": False, "0": False}


class EvaluationError(PointSkelError):
    """The evaluation cannot run as asked (unknown method or view, no model for `learned`)."""


def method_base(method: str) -> str:
    """The method of `METHODS` a method spec runs: 'learned' for 'learned:naming=generic'."""
    return method.partition(":")[0]


def needs_model(methods: Sequence[str]) -> bool:
    """Whether one of `methods` runs the learned predictor (so a model file)."""
    return any(method_base(m) == "learned" for m in methods)


def method_settings(method: str) -> dict[str, Any]:
    """The pipeline settings a method spec sets, typed by the settings table:
    'learned:naming=generic:tail_bones=2' -> {'naming': 'generic', 'tail_bones': 2}."""
    values: dict[str, Any] = {}
    for item in method.split(":")[1:]:
        name, equals, text = item.partition("=")
        entry = SETTINGS.get(name)
        if not equals or entry is None or name in FIXED_SETTINGS:
            settable = ", ".join(n for n in SETTINGS if n not in FIXED_SETTINGS)
            raise EvaluationError(
                f"method {method!r}: {item!r} is not SETTING=VALUE with a setting among {settable}"
            )
        if name in values:
            raise EvaluationError(f"method {method!r} sets {name} twice")
        try:
            values[name] = _BOOLS[text.lower()] if entry.kind is bool else entry.kind(text)
        except (KeyError, ValueError):
            kind = entry.kind.__name__
            raise EvaluationError(f"method {method!r}: {name} takes {kind} values, got {text!r}") from None
    return values


def view_spec(label: str) -> str | float:
    """A view label as `draw_view` takes it: a named view, 'random' or a yaw in degrees."""
    try:
        return float(label)
    except ValueError:
        return label


@dataclass(frozen=True)
class EvalConfig:
    """Everything that fixes an evaluation's numbers; stored with the results."""

    data: str
    _: KW_ONLY
    split: str | None = "test"
    methods: tuple[str, ...] = ("geometric", "skeletonize")
    model: str | None = None  # ONNX file for `learned`
    views: tuple[str, ...] = DEFAULT_VIEWS
    resolution: int = 256
    margin: float = 0.08  # empty border of the fitted camera, fraction of the image side
    tolerance: float = 0.05  # joint match radius, fraction of the figure height
    points: int = PipelineSettings.points
    voxel: float = PipelineSettings.voxel
    seed: int = PipelineSettings.seed
    limit: int | None = None  # the split's first `limit` characters only
    mesh_dir: str = MESH_DIR
    rig_dir: str = RIG_DIR

    def __post_init__(self) -> None:
        unknown = [m for m in self.methods if method_base(m) not in METHODS]
        if unknown or not self.methods or len(set(self.methods)) != len(self.methods):
            raise EvaluationError(
                f"methods must be distinct names among {', '.join(METHODS)}, each optionally with "
                f":SETTING=VALUE; got {', '.join(self.methods) or 'none'}"
            )
        if needs_model(self.methods) and self.model is None:
            raise EvaluationError("the learned method needs a model file")
        if not self.views:
            raise EvaluationError("at least one view is needed")
        for label in self.views:
            draw_view(view_spec(label), np.random.default_rng(0), None)  # raises on an unknown view
        if not 0 < self.tolerance < 1:
            raise EvaluationError(
                f"tolerance must be a fraction of the figure height in (0, 1), got {self.tolerance}"
            )
        if not 0 <= self.margin < 0.5:
            raise EvaluationError(
                f"margin must be a fraction of the image side in [0, 0.5), got {self.margin}"
            )
        if self.limit is not None and self.limit < 1:
            raise EvaluationError(f"limit must be at least 1 character, got {self.limit}")
        for method in self.methods:
            self.settings(method)  # the pipeline checks resolution, points, voxel and each method's own

    def settings(self, method: str) -> PipelineSettings:
        """The pipeline settings of `method`: alpha mask, no resampling, shared seed and detail, then the
        settings the method spec names."""
        base = method_base(method)
        return PipelineSettings(
            **{"points": self.points, "seed": self.seed, "voxel": self.voxel, **method_settings(method)},
            mask_backend="alpha",
            work_size=self.resolution,
            predictor={"learned": "onnx", "geometric": "geometric"}.get(base, "auto"),
            model_path=self.model if base == "learned" else None,
        )
