"""The contraction loop: move the lifted cloud onto the shape's skeleton by repeated predicted offsets.

A predictor only answers "where should each point go next"; this module owns the loop, the early
stop and progress reporting, so learned and classical predictors are interchangeable and compared
under exactly the same iteration. A predictor that tells more than offsets (`RichPredictor`, the
learned model) hands back how likely each point lies at a joint (from its last iteration, for the
topology to place joints). One that also chooses a split length for the whole figure
(`LengthChooser`) is asked after the contraction, because it reads both the lifted shape and the
contracted cloud's unsplit tree (`core.figure`; `choose_bone_length`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import ModelError
from ..lift import LiftedShape
from .predictor import LengthChooser, OffsetPredictor, Prediction, RichPredictor

# The mean move (normalized units) under which a contraction has settled: a tenth of the default
# voxel. The shipped model's second run moves points 0.001-0.002 on most figures and a third only
# 0.0001-0.0006 more, so a third run (a fifth of the time after the mask) no longer changes what the
# topology reads; stopping under 0.002 instead of 0.001 left the development sets' CD-J2J, F1, tip
# recall and part accuracy where they were (MODEL_CARD, "Time after the mask").
TOLERANCE = 2e-3


@dataclass(frozen=True)
class Contraction:
    points: np.ndarray  # (N, 3) float32, normalized frame
    iterations: int  # iterations actually run
    converged: bool  # stopped because the mean displacement fell under the tolerance
    history: tuple[float, ...]  # mean displacement (normalized units) of each iteration
    joint_scores: np.ndarray | None = None  # (N,) float32 in [0, 1] from a RichPredictor's last iteration
    lifted: Prediction | None = None  # the predictor's answer at the lifted cloud (the first iteration's)


class ContractionSteps:
    """One contraction, a step at a time: the loop `contract` runs, open to a caller that batches
    the predictor's work over several clouds (the trainer's validation), so that the iteration count,
    the step, the checks and the early stop stay this module's.

    `advance(prediction)` applies `points += step * offsets` and stops (`done`) once the mean move is
    under `tolerance` or the iterations ran out.
    """

    def __init__(
        self,
        shape: LiftedShape,
        predictor: OffsetPredictor,
        *,
        iterations: int | None = None,
        step: float = 1.0,
        tolerance: float = TOLERANCE,
    ) -> None:
        self.total = predictor.default_iterations if iterations is None else iterations
        if self.total < 0:
            raise ValueError(f"iterations must be >= 0, got {self.total}")
        self.shape, self.predictor, self.step, self.tolerance = shape, predictor, step, tolerance
        self.points = np.array(shape.points, dtype=np.float32)
        self.history: list[float] = []
        self.converged = False
        self.scores: np.ndarray | None = None
        self.lifted: Prediction | None = None

    @property
    def done(self) -> bool:
        return self.converged or len(self.history) >= self.total

    def predict(self) -> Prediction:
        """The predictor's answer for the current points (what `advance` takes)."""
        if isinstance(self.predictor, RichPredictor):
            return self.predictor.predict_all(self.points, self.shape)
        return Prediction(self.predictor.predict(self.points, self.shape))

    def advance(self, prediction: Prediction) -> None:
        name = self.predictor.name
        if prediction.joint_scores is not None:
            self.scores = _checked_scores(prediction.joint_scores, len(self.points), name)
        offsets = np.asarray(prediction.offsets)
        if offsets.shape != self.points.shape:
            raise ModelError(
                f"predictor {name!r} returned offsets of shape {offsets.shape}, expected {self.points.shape}"
            )
        if not np.isfinite(offsets).all():
            raise ModelError(f"predictor {name!r} returned non-finite offsets")
        if not self.history:
            self.lifted = prediction
        move = np.float32(self.step) * offsets.astype(np.float32, copy=False)
        self.points += move
        self.history.append(float(np.linalg.norm(move, axis=1).mean()))
        self.converged = self.history[-1] < self.tolerance

    def result(self) -> Contraction:
        history = tuple(self.history)
        return Contraction(self.points, len(history), self.converged, history, self.scores, self.lifted)

    def run(self, progress: Callable[[float], None] | None = None) -> Contraction:
        """Every remaining step; `progress(fraction)` after each (1.0 on the last, early stop included)."""
        while not self.done:
            self.advance(self.predict())
            if progress is not None:
                progress(1.0 if self.converged else len(self.history) / self.total)
        return self.result()


def contract(
    shape: LiftedShape,
    predictor: OffsetPredictor,
    *,
    iterations: int | None = None,
    step: float = 1.0,
    tolerance: float = TOLERANCE,
    progress: Callable[[float], None] | None = None,
) -> Contraction:
    """Apply `points += step * offsets` until the mean move is under `tolerance` or iterations run out.

    `progress(fraction)` is called after every iteration (1.0 on the last one, early stop included);
    an exception it raises cancels the contraction and propagates.
    """
    steps = ContractionSteps(shape, predictor, iterations=iterations, step=step, tolerance=tolerance)
    return steps.run(progress)


def _checked_scores(scores: np.ndarray | None, count: int, name: str) -> np.ndarray:
    values = np.asarray(scores, dtype=np.float32)
    if values.shape != (count,) or not np.isfinite(values).all():
        raise ModelError(f"predictor {name!r} returned joint scores of shape {values.shape} (or non-finite)")
    return np.clip(values, 0.0, 1.0)


def choose_bone_length(
    predictor: OffsetPredictor, shape: LiftedShape, figure: np.ndarray, lifted: Prediction | None = None
) -> float | None:
    """The predictor's split length for the figure (checked), or None when it does not choose one.

    `lifted`, the predictor's answer at the lifted cloud (`Contraction.lifted`), hands it what it
    computed there (the learned model's geometric input), so the length choice does not redo it."""
    if not isinstance(predictor, LengthChooser):
        return None
    length = predictor.choose_bone_length(shape, figure, lifted)
    if length is None:
        return None
    if not (np.isfinite(length) and 0.0 <= length <= 1.0):
        raise ModelError(f"predictor {predictor.name!r} chose bone length {length!r}, outside [0, 1]")
    return float(length)
