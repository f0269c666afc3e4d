"""Contraction: move the lifted cloud onto the shape's skeleton by repeated predicted offsets.

A predictor only answers "where should each point go next"; this module owns the loop, the early
stop, progress reporting and the choice of predictor, so learned and classical predictors are
interchangeable and compared under exactly the same iteration. A predictor that tells more than
offsets (`RichPredictor`, the learned model) hands back how likely each point lies at a joint (from
its last iteration, for the topology to place joints). One that also chooses a split length for the
whole figure (`LengthChooser`) is asked after the contraction, because it reads both the lifted
shape and the contracted cloud's unsplit tree (`core.figure`; `choose_bone_length`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ModelError, PointSkelError
from .lift import LiftedShape
from .settings import PREDICTORS

SHIPPED_MODEL = Path(__file__).resolve().parent.parent / "models" / "pointskel_offset.onnx"


class OffsetPredictor(Protocol):
    name: str
    default_iterations: int

    def predict(self, points: np.ndarray, shape: LiftedShape) -> np.ndarray:
        """(N, 3) float32 offsets in normalized units: where each point should go minus where it is."""
        ...


@dataclass(frozen=True)
class Prediction:
    offsets: np.ndarray  # (N, 3) as `OffsetPredictor.predict`
    joint_scores: np.ndarray | None = None  # (N,) in [0, 1]: how likely each point lies at a joint


class RichPredictor(OffsetPredictor, Protocol):
    def predict_all(self, points: np.ndarray, shape: LiftedShape) -> Prediction:
        """Everything the predictor tells about `points` from one run; fields it cannot give are None."""
        ...


class LengthChooser(Protocol):
    name: str

    def choose_bone_length(self, shape: LiftedShape, figure: np.ndarray) -> float | None:
        """The split length of straight chains for this figure (normalized units), None if it has no
        opinion; `figure`: the contracted cloud's `core.figure` features."""
        ...


@dataclass(frozen=True)
class Contraction:
    points: np.ndarray  # (N, 3) float32, normalized frame
    iterations: int  # iterations actually run
    converged: bool  # stopped because the mean displacement fell under the tolerance
    history: tuple[float, ...]  # mean displacement (normalized units) of each iteration
    joint_scores: np.ndarray | None = None  # (N,) float32 in [0, 1] from a RichPredictor's last iteration


def contract(
    shape: LiftedShape,
    predictor: OffsetPredictor,
    *,
    iterations: int | None = None,
    step: float = 1.0,
    tolerance: float = 1e-3,
    progress: Callable[[float], None] | None = None,
) -> Contraction:
    """Apply `points += step * offsets` until the mean move is under `tolerance` or iterations run out.

    `progress(fraction)` is called after every iteration (1.0 on the last one, early stop included);
    an exception it raises cancels the contraction and propagates.
    """
    total = predictor.default_iterations if iterations is None else iterations
    if total < 0:
        raise ValueError(f"iterations must be >= 0, got {total}")
    points = np.array(shape.points, dtype=np.float32)
    history: list[float] = []
    converged = False
    scores = None
    rich = hasattr(predictor, "predict_all")
    for i in range(total):
        if rich:
            prediction = predictor.predict_all(points, shape)  # type: ignore[attr-defined]
            offsets = prediction.offsets
            if prediction.joint_scores is not None:
                scores = _checked_scores(prediction.joint_scores, len(points), predictor.name)
        else:
            offsets = predictor.predict(points, shape)
        offsets = np.asarray(offsets)
        if offsets.shape != points.shape:
            raise ModelError(
                f"predictor {predictor.name!r} returned offsets of shape {offsets.shape}, "
                f"expected {points.shape}"
            )
        if not np.isfinite(offsets).all():
            raise ModelError(f"predictor {predictor.name!r} returned non-finite offsets")
        move = np.float32(step) * offsets.astype(np.float32, copy=False)
        points += move
        history.append(float(np.linalg.norm(move, axis=1).mean()))
        converged = history[-1] < tolerance
        if progress is not None:
            progress(1.0 if converged else (i + 1) / total)
        if converged:
            break
    return Contraction(points, len(history), converged, tuple(history), scores)


def _checked_scores(scores: np.ndarray | None, count: int, name: str) -> np.ndarray:
    values = np.asarray(scores, dtype=np.float32)
    if values.shape != (count,) or not np.isfinite(values).all():
        raise ModelError(f"predictor {name!r} returned joint scores of shape {values.shape} (or non-finite)")
    return np.clip(values, 0.0, 1.0)


def choose_bone_length(predictor: OffsetPredictor, shape: LiftedShape, figure: np.ndarray) -> float | None:
    """The predictor's split length for the figure (checked), or None when it does not choose one."""
    if not hasattr(predictor, "choose_bone_length"):
        return None
    length = predictor.choose_bone_length(shape, figure)  # type: ignore[attr-defined]
    if length is None:
        return None
    if not (np.isfinite(length) and 0.0 <= length <= 1.0):
        raise ModelError(f"predictor {predictor.name!r} chose bone length {length!r}, outside [0, 1]")
    return float(length)


def make_predictor(name: str = "auto", model_path: str | os.PathLike | None = None) -> OffsetPredictor:
    """A predictor by name: "geometric", "onnx" (model_path or the shipped model) or "auto".

    "auto" is the ONNX model when one is given or shipped, else the geometric baseline, so a build
    without a trained model still works.
    """
    if name not in PREDICTORS:
        raise PointSkelError(f"unknown predictor {name!r}: choose one of {', '.join(PREDICTORS)}")
    if name == "geometric" and model_path is not None:
        raise PointSkelError("a model file only applies to the 'onnx' or 'auto' predictor, not 'geometric'")
    learned = name == "onnx" or model_path is not None or SHIPPED_MODEL.is_file()
    if name == "geometric" or not learned:
        from .predict_geometric import GeometricPredictor

        return GeometricPredictor()
    from .predict_onnx import load_predictor

    return load_predictor(SHIPPED_MODEL if model_path is None else Path(model_path))
