"""The part head's outputs in a model file, and how the pipeline hands them to the anatomy stage.

A model of format version 2 may have two more outputs after the bone length scores:
`part_scores` (batch, n, P), each point's probability of each part listed in `pointskel.parts`,
and `body_plan_scores` (batch, Q), each group's probability of each plan in `pointskel.body_plans`
(names from `core.skeleton`). Both are optional: a version-1 file (the stop-11 model) still loads,
and without them the anatomy stage reads parts by its rules alone. The predictor reads them in the
contraction's first run, on the lifted cloud (where the outline still shows; `Prediction.parts`),
averages the plan over the point groups, and pairs every point's probabilities with where the
contraction moved it (`read_parts`), so the anatomy stage can read them around its joints
(`core.anatomy.learned`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from .anatomy import LearnedParts
from .errors import ModelError
from .lift import LiftedShape
from .skeleton import BODY_PLANS, PARTS

PART_OUTPUT = "part_scores"  # (batch, n, P) part probabilities of every point
PLAN_OUTPUT = "body_plan_scores"  # (batch, Q) body-plan probabilities of each group
KEY_PARTS = "pointskel.parts"  # with PART_OUTPUT: comma-separated part names
KEY_BODY_PLANS = "pointskel.body_plans"  # with PLAN_OUTPUT: comma-separated body plans
PART_OUTPUTS = (PART_OUTPUT, PLAN_OUTPUT)
PART_VERSION = "2"  # the format version that may carry them


def part_metadata(parts: Sequence[str], body_plans: Sequence[str]) -> dict[str, str]:
    """The metadata entries of a model with a part head (none without one)."""
    return {KEY_PARTS: ",".join(parts), KEY_BODY_PLANS: ",".join(body_plans)} if parts else {}


def parse_part_metadata(props: Mapping[str, str], source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(parts, body plans) a model with the part outputs names; ModelError if they are not this
    PointSkel's names."""
    found = []
    for key, known in ((KEY_PARTS, PARTS[1:]), (KEY_BODY_PLANS, BODY_PLANS)):
        names = tuple(props.get(key, "").split(","))
        if len(names) < 2 or len(set(names)) != len(names) or any(n not in known for n in names):
            raise ModelError(
                f"{source}: {key} is {props.get(key, '')[:80]!r}; expected two or more distinct names of "
                f"{', '.join(known)}"
            )
        found.append(names)
    return found[0], found[1]


@runtime_checkable
class PartReader(Protocol):
    """A predictor whose model has the part outputs (`core.contract.onnx_predictor.OnnxPredictor` of
    such a file)."""

    parts: tuple[str, ...]  # empty: the model has no part head
    body_plans: tuple[str, ...]

    def predict_parts(self, shape: LiftedShape, lifted: object = None) -> tuple[np.ndarray, np.ndarray]:
        """((M, P) part probabilities of the lifted shape's points, (Q,) body-plan probabilities);
        `lifted`: the predictor's own answer at the lifted cloud, whose work it may reuse."""


def read_parts(
    predictor: object, shape: LiftedShape, contracted: np.ndarray, lifted: object = None
) -> LearnedParts | None:
    """What the predictor's part head reads in `shape`, paired with where the contraction moved each
    point ((M, 3) `contracted`, in the lifted cloud's order); None without a part head. `lifted`:
    the contraction's first prediction (`Contraction.lifted`), passed on to the predictor."""
    if not isinstance(predictor, PartReader) or not predictor.parts or len(shape.points) == 0:
        return None
    probabilities, plan = predictor.predict_parts(shape, lifted)
    return LearnedParts(np.asarray(contracted), probabilities, predictor.parts, plan, predictor.body_plans)
