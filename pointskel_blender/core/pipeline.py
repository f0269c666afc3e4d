"""The whole image → skeleton run, stage by stage, with timings and progress.

This is the one entry point the CLI, the Blender operator, the batch job and the trainer's
evaluation share, so every caller gets the same stages with the same settings.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from .anatomy import AnatomyResult, AnatomySettings, build_anatomy
from .contract import Contraction, OffsetPredictor, choose_bone_length, contract, make_predictor
from .errors import PointSkelError
from .image import LoadedImage, load_image
from .lift import LiftedShape, lift
from .mask import MaskResult, compute_mask
from .skeleton import Joint, Skeleton
from .figure import figure_features
from .topology import DEFAULT_SETTINGS, BoneGraph, BoneTree

Progress = Callable[[str, float], None]
Instrument = Callable[[str], contextlib.AbstractContextManager]


class ContractionMethod(Protocol):
    """A replacement for predictor-driven contraction (the trainer's skeletonize baselines)."""

    name: str

    def __call__(self, shape: LiftedShape) -> Contraction: ...

MASK_BACKENDS = ("auto", "alpha", "threshold", "rembg")
PREDICTORS = ("auto", "geometric", "onnx")

# Share of the overall progress bar each stage gets, from typical timings; contraction dominates.
_STAGE_WEIGHTS = {"load": 0.05, "mask": 0.25, "lift": 0.05, "contract": 0.5, "topology": 0.08, "anatomy": 0.03,
                  "skeleton": 0.04}


class Cancelled(PointSkelError):
    """Raised from a progress callback to stop a run; callers treat it as a user cancel."""


_VOXEL = 0.02  # default topology detail, normalized units
# The topology's default split at the default detail (3 voxels): the bone length without a model's choice.
DEFAULT_BONE_LENGTH = DEFAULT_SETTINGS.max_bone_voxels * _VOXEL


@dataclass(frozen=True)
class PipelineSettings:
    mask_backend: str = "auto"
    keep_all_objects: bool = False
    rembg_model: str = "u2netp"
    work_size: int = 512
    points: int = 4096
    seed: int = 0
    predictor: str = "auto"
    model_path: str | None = None
    iterations: int | None = None
    step: float = 1.0
    voxel: float = _VOXEL
    # Longest bone of a straight chain, as a fraction of the figure's size (0 = bones only at bends);
    # with auto_bone_length, the learned model's choice for this figure replaces it when there is one.
    bone_length: float = DEFAULT_BONE_LENGTH
    auto_bone_length: bool = True
    # The anatomy stage (core.anatomy): body plan and view ("auto" or forced), naming scheme, tail bones.
    body_plan: str = "auto"
    view: str = "auto"
    naming: str = "rigify"
    tail_bones: int = 0

    def __post_init__(self) -> None:
        self.anatomy_settings()  # checks the anatomy fields
        checks = [
            (self.mask_backend in MASK_BACKENDS, f"mask backend must be one of {', '.join(MASK_BACKENDS)}"),
            (self.predictor in PREDICTORS, f"predictor must be one of {', '.join(PREDICTORS)}"),
            (64 <= self.work_size <= 4096, "working resolution must be between 64 and 4096 px"),
            (64 <= self.points <= 1_000_000, "points must be between 64 and 1,000,000"),
            (self.iterations is None or 0 <= self.iterations <= 100, "iterations must be between 0 and 100"),
            (0.0 < self.step <= 1.0, "step must be in (0, 1]"),
            (0.002 <= self.voxel <= 0.2, "voxel (detail) must be between 0.002 and 0.2"),
            (0.0 <= self.bone_length <= 1.0, "bone length must be between 0 (never split) and 1"),
        ]
        for ok, message in checks:
            if not ok:
                raise PointSkelError(message)

    def anatomy_settings(self) -> AnatomySettings:
        return AnatomySettings(self.body_plan, self.view, self.naming, self.tail_bones)

    def key(self) -> str:
        """A stable digest of every setting, for caches of results."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class PipelineResult:
    image: LoadedImage
    mask: MaskResult
    shape: LiftedShape
    contraction: Contraction
    tree: BoneTree
    anatomy: AnatomyResult
    skeleton: Skeleton
    timings: dict[str, float] = field(default_factory=dict)
    predictor: str = ""


class _Stages:
    """Times each stage and reports overall progress; a raising callback aborts the run."""

    def __init__(self, progress: Progress | None, instrument: Instrument | None) -> None:
        self.progress = progress
        self.instrument = instrument or (lambda stage: contextlib.nullcontext())
        self.timings: dict[str, float] = {}
        self._done = 0.0

    def report(self, stage: str, fraction: float) -> None:
        if self.progress is not None:
            self.progress(stage, min(1.0, self._done + _STAGE_WEIGHTS[stage] * fraction))

    def run(self, stage: str, fn: Callable, *args, **kwargs):
        self.report(stage, 0.0)
        with self.instrument(stage):
            start = time.perf_counter()
            value = fn(*args, **kwargs)
            self.timings[stage] = time.perf_counter() - start
        self._done += _STAGE_WEIGHTS[stage]
        self.report(stage, 0.0)
        return value


def run_pipeline(
    image: LoadedImage | str | os.PathLike,
    settings: PipelineSettings = PipelineSettings(),
    *,
    progress: Progress | None = None,
    model_dirs: Sequence[Path] | None = None,
    instrument: Instrument | None = None,
    method: ContractionMethod | None = None,
) -> PipelineResult:
    """Run every stage; `instrument(stage)` wraps each one (benchmarks measure memory with it).

    `method` replaces the contraction by the settings' predictor, so that other ways of finding
    the skeleton cloud are judged with everything else unchanged.
    """
    stages = _Stages(progress, instrument)
    loaded = image if isinstance(image, LoadedImage) else stages.run("load", load_image, image)
    stages.timings.setdefault("load", 0.0)
    mask = stages.run(
        "mask",
        compute_mask,
        loaded,
        backend=settings.mask_backend,
        work_size=settings.work_size,
        keep="all" if settings.keep_all_objects else "largest",
        rembg_model=settings.rembg_model,
        model_dirs=model_dirs,
    )
    shape = stages.run("lift", lift, mask.mask, mask.work_scale, points=settings.points, seed=settings.seed)
    predictor: OffsetPredictor | None = None
    if method is None:
        predictor = make_predictor(settings.predictor, settings.model_path)
        name = predictor.name
        contraction = stages.run(
            "contract",
            contract,
            shape,
            predictor,
            iterations=settings.iterations,
            step=settings.step,
            progress=lambda fraction: stages.report("contract", fraction),
        )
    else:
        name = method.name
        contraction = stages.run("contract", method, shape)
    tree, bone_length, length_source = stages.run("topology", _topology, settings, predictor, shape, contraction)
    metadata = {
        "mask_backend": mask.backend,
        "predictor": name,
        "iterations": contraction.iterations,
        "bone_length": bone_length,
        "bone_length_from": length_source,
        "settings": asdict(settings),
    }
    anatomy = stages.run("anatomy", build_anatomy, tree, shape, settings.anatomy_settings())
    skeleton = stages.run("skeleton", skeleton_from_anatomy, anatomy, shape, loaded, metadata)
    return PipelineResult(loaded, mask, shape, contraction, tree, anatomy, skeleton, stages.timings, name)


def bone_length_settings(value: float | None) -> dict[str, float | bool]:
    """PipelineSettings fields for a command line's --bone-length: a value given turns the model's choice off."""
    return {} if value is None else {"bone_length": value, "auto_bone_length": False}


def _topology(
    settings: PipelineSettings, predictor: OffsetPredictor | None, shape: LiftedShape, contraction: Contraction
) -> tuple[BoneTree, float, str]:
    """The bone tree, and the split length it used with where that came from ("model" or "settings")."""
    graph = BoneGraph(contraction.points, shape.radius_at, voxel=settings.voxel, joint_scores=contraction.joint_scores)
    bone_length, source = settings.bone_length, "settings"
    if settings.auto_bone_length and hasattr(predictor, "choose_bone_length"):
        figure = figure_features(contraction.points, shape.radius_at, graph)  # the graph, at the default detail
        chosen = choose_bone_length(predictor, shape, figure)
        if chosen is not None:
            bone_length, source = chosen, "model"
    return graph.tree(bone_length / settings.voxel), bone_length, source


def skeleton_from_anatomy(
    anatomy: AnatomyResult, shape: LiftedShape, image: LoadedImage, metadata: dict
) -> Skeleton:
    pixels = shape.frame.to_pixels(anatomy.positions)
    joints = [
        Joint(
            name=anatomy.names[i],
            parent=None if anatomy.parents[i] < 0 else int(anatomy.parents[i]),
            pixel=(float(pixels[i, 0]), float(pixels[i, 1])),
            position=tuple(float(v) for v in anatomy.positions[i]),
            radius=float(anatomy.radii[i]),
            part=anatomy.parts[i],
            side=anatomy.sides[i],
        )
        for i in range(len(anatomy.positions))
    ]
    return Skeleton(joints, image.size, Path(image.source).name, {**metadata, "frame": shape.frame.to_dict()},
                    anatomy.anatomy)


def count_summary(result: PipelineResult) -> dict[str, int]:
    """The counts a person checks first: how many points went in, how many joints came out."""
    return {
        "lifted_points": int(len(result.shape.points)),
        "contracted_points": int(len(result.contraction.points)),
        "joints": len(result.skeleton.joints),
        "bones": sum(1 for _ in result.skeleton.bones()),
        "mask_pixels": int(np.count_nonzero(result.mask.mask)),
    }
