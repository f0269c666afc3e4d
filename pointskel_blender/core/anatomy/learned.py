"""Learned part labels in the anatomy stage: where the rules cannot tell, the model's part head decides.

A model with a part head (`core.learned_parts`) gives every point of the lifted cloud a probability
per body part, and the figure a probability per body plan. The rules read the tree; they cannot
tell some figures apart (a bird's spread wings from a biped's arms seen from the front, a
quadruped seen from the front from a snake, a centipede from a quadruped). So the stage builds the
rules' skeleton and, when the part head's most likely body plan is another one, that plan's
skeleton too (`plan.classify` with the plan forced, as a user's choice would), and keeps the one
whose joints' parts agree better with what the part head read around them (`agreement`), by at
least `MARGIN`. Names, parts and sides always come from one layout, so they stay consistent.
A plan the user set is never overridden.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from ..settings import PipelineSettings
from .body import Body
from .bones import Joints, build
from .parts import Layout
from .plan import classify

NEAREST = 24  # points of the contracted cloud read around each joint
MARGIN = 0.05  # mean agreement the part head's plan must gain to replace the rules' reading
PLAN_FLOOR = 0.5  # the part head's plan probability below which the rules' reading stands


@dataclass(frozen=True, eq=False)
class LearnedParts:
    """What the part head read: per-point part probabilities where the points ended up, and the plan's."""

    points: np.ndarray  # (M, 3) the contracted cloud (the tree's frame), point i of the lifted cloud moved
    probabilities: np.ndarray  # (M, P) each point's part probabilities
    parts: tuple[str, ...]  # the P parts (`core.skeleton.PARTS`)
    plan: np.ndarray  # (Q,) body-plan probabilities
    body_plans: tuple[str, ...]  # the Q plans (`core.skeleton.BODY_PLANS`)

    def __post_init__(self) -> None:
        if self.probabilities.shape != (len(self.points), len(self.parts)) or self.plan.shape != (
            len(self.body_plans),
        ):
            raise ValueError("learned part probabilities do not match their points, parts or plans")

    def around(self, positions: np.ndarray) -> np.ndarray:
        """(J, P) mean part probabilities of the `NEAREST` contracted points around each joint (image plane)."""
        positions = np.asarray(positions, dtype=np.float64).reshape(-1, 3)
        if len(self.points) == 0 or len(positions) == 0:
            return np.full((len(positions), len(self.parts)), 1.0 / max(len(self.parts), 1))
        k = min(NEAREST, len(self.points))
        index = cKDTree(self.points[:, :2]).query(positions[:, :2], k=k)[1].reshape(len(positions), k)
        return self.probabilities[index].mean(axis=1)

    def best_plan(self) -> tuple[str, float]:
        i = int(np.argmax(self.plan))
        return self.body_plans[i], float(self.plan[i])


def agreement(learned: LearnedParts, positions: np.ndarray, parts: tuple[str, ...]) -> float:
    """Mean probability the part head gives each joint's part around it (joints of parts it does not
    know count 0; no joints: 0)."""
    if not parts:
        return 0.0
    around = learned.around(positions)
    column = {p: i for i, p in enumerate(learned.parts)}
    return float(np.mean([around[j, column[p]] if p in column else 0.0 for j, p in enumerate(parts)]))


def reread(
    body: Body, layout: Layout, confidence: float, joints: Joints, learned: LearnedParts, settings: PipelineSettings
) -> tuple[Layout, float, Joints]:
    """The rules' reading, or the part head's body plan where its skeleton's parts agree better with
    the part head (by `MARGIN`; then the plan's probability is the confidence)."""
    plan, probability = learned.best_plan()
    if settings.body_plan != "auto" or plan == layout.plan or probability < PLAN_FLOOR:
        return layout, confidence, joints
    other, _ = classify(body, plan, settings.view)
    other_joints = build(body, other, settings.tail_bones)
    mine = agreement(learned, np.array(joints.positions), tuple(joints.parts))
    theirs = agreement(learned, np.array(other_joints.positions), tuple(other_joints.parts))
    if theirs >= mine + MARGIN:
        return other, probability, other_joints
    return layout, confidence, joints
