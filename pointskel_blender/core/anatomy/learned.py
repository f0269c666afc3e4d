"""Learned part labels in the anatomy stage: where the rules cannot tell, the model's part head decides.

A model with a part head (`core.learned_parts`) gives every point of the lifted cloud a probability
per body part, and the figure a probability per body plan. The rules read the tree; they cannot
tell some figures apart (a bird's spread wings from a biped's arms seen from the front, a
quadruped seen from the front from a snake, a centipede from a quadruped). So the stage builds the
rules' skeleton and, when the part head's most likely body plan is another one, that plan's
skeleton too (`plan.classify` with the plan forced, as a user's choice would), and keeps the one
whose joints' parts agree better with what the part head read around them (`agreement`), by more
than `MARGIN`. Then each limb of a pair the rules tell apart by where it hangs (a biped's arms and
legs, a quadruped's front and hind legs) takes the part of the pair the head prefers by
`SWAP_MARGIN`. Names, parts and sides always come from one layout, so they stay consistent. A plan
the user set is never overridden. The constants were chosen on the development set (40 synthetic
characters of seed 777, front and side).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.spatial import cKDTree

from ..settings import PipelineSettings
from .body import Body
from .bones import build
from .frame import cut_tips
from .parts import Layout
from .plan import classify

NEAREST = 24  # points of the contracted cloud read around each joint
MARGIN = 0.0  # mean agreement the part head's plan must gain to replace the rules' reading
PLAN_FLOOR = 0.5  # the part head's plan probability below which the rules' reading stands
SWAPS = {"biped": ("arm", "leg"), "quadruped": ("front_leg", "hind_leg")}
SWAP_MARGIN = 0.2  # how much more the part head must prefer a limb's other part of the pair


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
        """(J, P) mean part probabilities of the `NEAREST` contracted points around each joint
        (in the image plane)."""
        positions = np.asarray(positions, dtype=np.float64).reshape(-1, 3)
        if len(self.points) == 0 or len(positions) == 0:
            return np.full((len(positions), len(self.parts)), 1.0 / max(len(self.parts), 1))
        k = min(NEAREST, len(self.points))
        index = self._plane.query(positions[:, :2], k=k)[1].reshape(len(positions), k)
        return self.probabilities[index].mean(axis=1)

    @cached_property
    def _plane(self) -> cKDTree:
        """The points' image-plane search tree, built once for every joint and limb the stage asks about."""
        return cKDTree(self.points[:, :2])

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
    body: Body, layout: Layout, confidence: float, learned: LearnedParts, settings: PipelineSettings
) -> tuple[Layout, float]:
    """The rules' reading, or the part head's body plan where the head is surer of it than the rules
    are of theirs and its skeleton's parts agree better with the part head (by `MARGIN`; then the
    plan's probability is the confidence); then each limb of a pair of parts the rules tell apart by
    position alone (`SWAPS`) takes the one the part head prefers."""
    plan, probability = learned.best_plan()
    # a head less sure of its plan than the rules are of theirs never turns them (a cat the rules read
    # as a quadruped at 0.95 went many-legged on a 0.58 head and a better agreement of its leg labels)
    surer = probability > confidence
    # the head learned whole figures only: a figure the frame cuts keeps the rules' reading (a cat's
    # face filling a photo is a bust, not the quadruped a head retrained on plush animals calls it)
    whole = not cut_tips(body)
    # a sprawled figure from the front (`sprawled`: knees out, flanks level) keeps it too: the head read
    # a lizard's flanks as a biped's arms at 0.95 (second development draw)
    whole = whole and not layout.sprawled
    if settings.body_plan == "auto" and plan != layout.plan and probability >= PLAN_FLOOR and surer and whole:
        other, _ = classify(body, plan, settings.view)
        mine = agreement(learned, *_parts(body, layout, settings))
        theirs = agreement(learned, *_parts(body, other, settings))
        if theirs > mine + MARGIN:
            layout, confidence = other, probability
    _swap_limbs(body, layout, learned)
    return layout, confidence


def _parts(body: Body, layout: Layout, settings: PipelineSettings) -> tuple[np.ndarray, tuple[str, ...]]:
    joints = build(body, layout, settings.tail_bones)
    return np.array(joints.positions).reshape(-1, 3), tuple(joints.parts)


def _swap_limbs(body: Body, layout: Layout, learned: LearnedParts) -> None:
    pair = SWAPS.get(layout.plan)
    if pair is None:
        return
    column = [learned.parts.index(p) for p in pair]
    for limb in layout.limbs:
        if limb.part in pair and limb.parent < 0 and len(limb.joints) > 1:
            mean = learned.around(body.pos[limb.joints[1:]]).mean(axis=0)[column]
            other = pair[1 - pair.index(limb.part)]
            # a pair has two of each (a biped's arms and legs, a quadruped's front and hind legs): the
            # head turns no third one (a girl's arms along her dress, hands at the hem, read as legs)
            full = sum(other_limb.part == other and other_limb.parent < 0 for other_limb in layout.limbs) >= 2
            if mean[pair.index(other)] >= mean[pair.index(limb.part)] + SWAP_MARGIN and not full:
                limb.part = other
