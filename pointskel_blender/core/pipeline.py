"""The whole image → skeleton run, stage by stage, with timings and progress.

This is the one entry point the CLI, the Blender operator, the batch job and the trainer's
evaluation share, so every caller gets the same stages with the same settings.
"""
from __future__ import annotations

import contextlib
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from .anatomy import AnatomyResult, build_anatomy
from .contract import (
    Contraction,
    ContractionSteps,
    LengthChooser,
    OffsetPredictor,
    choose_bone_length,
    make_predictor,
)
from .errors import ImageError, PointSkelError
from .image import LoadedImage, load_image
from .learned_parts import read_parts
from .lift import LiftedShape, lift
from .mask import MaskResult, compute_mask
from .silhouette import Silhouette
from .skeleton import Joint, Skeleton
from .figure import figure_features
from .settings import SETTINGS, PipelineSettings
from .topology import BoneGraph, BoneTree

Progress = Callable[[str, float], None]
Instrument = Callable[[str], contextlib.AbstractContextManager]


class ContractionMethod(Protocol):
    """A replacement for predictor-driven contraction (the trainer's skeletonize baselines)."""

    name: str

    def __call__(self, shape: LiftedShape) -> Contraction: ...


# Share of the overall progress bar each stage gets, from typical timings; contraction dominates.
_STAGE_WEIGHTS = {"load": 0.05, "mask": 0.25, "lift": 0.05, "contract": 0.5, "topology": 0.08,
                  "anatomy": 0.03, "skeleton": 0.04}


class Cancelled(PointSkelError):
    """Raised from a progress callback to stop a run; callers treat it as a user cancel."""


@dataclass
class PipelineResult:
    image: LoadedImage
    mask: MaskResult
    shape: LiftedShape
    contraction: Contraction
    tree: BoneTree
    anatomy: AnatomyResult
    skeleton: Skeleton
    bone_length: float  # the split length the topology used, fraction of the figure's size
    bone_length_from: str  # "model" (its choice for this figure) or "settings"
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


def _check_fits_working_size(image: LoadedImage, work_size: int) -> None:
    """An image so thin that its short side would be under one working pixel has no shape to find
    (and would ask the resampler for more pixels than there are)."""
    width, height = image.size
    if min(width, height) * work_size < max(width, height):
        needed = -(-max(width, height) // min(width, height))
        possible = needed <= SETTINGS["work_size"].maximum
        fix = f"raise the working size to {needed} or crop it" if possible else "crop it"
        raise ImageError(f"{image.source}: image is {width}×{height}, too thin for the working size "
                         f"{work_size} (its short side would be under one pixel); {fix}")


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
    _check_fits_working_size(loaded, settings.work_size)
    mask = stages.run("mask", mask_stage, loaded, settings, model_dirs)
    shape = stages.run("lift", lift_stage, mask, settings)
    predictor: OffsetPredictor | None = None
    if method is None:
        predictor = make_predictor(settings.predictor, settings.model_path)
        name = predictor.name
        contraction = stages.run(
            "contract",
            contract_stage,
            shape,
            predictor,
            settings,
            progress=lambda fraction: stages.report("contract", fraction),
        )
    else:
        name = method.name
        contraction = stages.run("contract", method, shape)
    tree, bone_length, length_source = stages.run(
        "topology", _topology, settings, predictor, shape, contraction
    )
    metadata = {
        "mask_backend": mask.backend,
        "predictor": name,
        "iterations": contraction.iterations,
        "bone_length": bone_length,
        "bone_length_from": length_source,
        "settings": asdict(settings),
    }
    anatomy = stages.run("anatomy", _anatomy, tree, shape, settings, predictor, contraction)
    skeleton = stages.run("skeleton", skeleton_from_anatomy, anatomy, shape, loaded, metadata)
    return PipelineResult(
        loaded, mask, shape, contraction, tree, anatomy, skeleton, bone_length, length_source,
        stages.timings, name,
    )


def mask_stage(
    image: LoadedImage,
    settings: PipelineSettings = PipelineSettings(),
    model_dirs: Sequence[Path] | None = None,
) -> MaskResult:
    """The pipeline's mask of `image` (the trainer's export check masks its sample with this too)."""
    return compute_mask(
        image,
        backend=settings.mask_backend,
        work_size=settings.work_size,
        keep="all" if settings.keep_all_objects else "largest",
        rembg_model=settings.rembg_model,
        model_dirs=model_dirs,
    )


def lift_stage(mask: MaskResult, settings: PipelineSettings = PipelineSettings()) -> LiftedShape:
    """The pipeline's lifted cloud of a mask: `settings.points` points drawn with `settings.seed`."""
    return lift(mask.mask, mask.work_scale, points=settings.points, seed=settings.seed)


def contraction_steps(
    shape: LiftedShape, predictor: OffsetPredictor, settings: PipelineSettings = PipelineSettings()
) -> ContractionSteps:
    """The pipeline's contraction of `shape`, not yet run (the trainer's validation steps several in
    lockstep): `settings.iterations` steps (0: the predictor's default) of `settings.step`, stopping
    early at the core's tolerance."""
    return ContractionSteps(shape, predictor, iterations=settings.iterations or None, step=settings.step)


def contract_stage(
    shape: LiftedShape,
    predictor: OffsetPredictor,
    settings: PipelineSettings = PipelineSettings(),
    progress: Callable[[float], None] | None = None,
) -> Contraction:
    """The pipeline's contraction of `shape` (`contraction_steps`, run to the end)."""
    return contraction_steps(shape, predictor, settings).run(progress)


def _topology(
    settings: PipelineSettings,
    predictor: OffsetPredictor | None,
    shape: LiftedShape,
    contraction: Contraction,
) -> tuple[BoneTree, float, str]:
    """The bone tree, and the split length it used with where that came from ("model" or "settings")."""
    silhouette = Silhouette.from_mask(shape.mask, shape.frame, shape.work_scale)
    graph = BoneGraph(
        contraction.points,
        shape.radius_at,
        voxel=settings.voxel,
        joint_scores=contraction.joint_scores,
        silhouette=silhouette,
    )
    bone_length, source = settings.bone_length, "settings"
    if settings.auto_bone_length and isinstance(predictor, LengthChooser):
        # the graph, at the default detail
        figure = figure_features(contraction.points, shape.radius_at, graph)
        chosen = choose_bone_length(predictor, shape, figure, contraction.lifted)
        if chosen is not None:
            bone_length, source = chosen, "model"
    return graph.tree(bone_length / settings.voxel), bone_length, source


def _anatomy(
    tree: BoneTree, shape: LiftedShape, settings: PipelineSettings, predictor: OffsetPredictor | None,
    contraction: Contraction,
) -> AnatomyResult:
    """The anatomy stage, with the predictor's part head where its model has one (`core.learned_parts`)."""
    learned = read_parts(predictor, shape, contraction.points, contraction.lifted)
    return build_anatomy(tree, shape, settings, learned=learned)


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
            hidden=anatomy.hidden[i],
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
