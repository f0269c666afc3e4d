"""What an offset predictor is, and how a fixed-size model sees a cloud of any size.

The contraction (`core.contract`) talks to predictors only through these protocols, so learned
and classical predictors, and the trainer's torch model (`trainer.torch_predictor`), run under the
same loop. The protocols are `runtime_checkable`: the contraction asks `isinstance(p, RichPredictor)`
instead of probing attributes. A learned model trained at n points sees a cloud of M points as
ceil(M / n) uniform subsamples (`group_order`), the one grouping the add-on's ONNX predictor and
the trainer both use.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from ..lift import LiftedShape


@runtime_checkable
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
    geometric: np.ndarray | None = None  # (N, 3) the geometric predictor's offsets it read, if it read them
    parts: np.ndarray | None = None  # (N, P) part probabilities, from a part head at the lifted cloud
    body_plan: np.ndarray | None = None  # (Q,) body-plan probabilities, with `parts`
    # per point group, the model's inner tensors its length choice reads again (the pooled feature)
    pooled: Mapping[str, np.ndarray] | None = None


@runtime_checkable
class RichPredictor(OffsetPredictor, Protocol):
    def predict_all(self, points: np.ndarray, shape: LiftedShape) -> Prediction:
        """Everything the predictor tells about `points` from one run; fields it cannot give are None."""
        ...


@runtime_checkable
class LengthChooser(Protocol):
    name: str

    def choose_bone_length(
        self, shape: LiftedShape, figure: np.ndarray, lifted: Prediction | None = None
    ) -> float | None:
        """The split length of straight chains for this figure (normalized units), None if it has no
        opinion; `figure`: the contracted cloud's `core.figure` features; `lifted`: this predictor's
        own answer at `shape.points` (the contraction's first step), whose inputs it need not compute
        again."""
        ...


def group_order(count: int, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`count` points as ceil(count / n) uniform subsamples of n: (order, groups).

    `groups` (G, n) indexes the cloud; cycling the seeded permutation `order` pads the last group
    with repeats of random points, and the first `count` entries of `groups.ravel()` are `order`,
    so `result[order] = per_point_output[:count]` scatters the answers back.
    """
    order = np.random.default_rng(seed).permutation(count)
    return order, np.resize(order, math.ceil(count / n) * n).reshape(-1, n)
