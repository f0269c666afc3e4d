"""The anatomy stage: a medial-axis `BoneTree` becomes a character's skeleton.

Between topology and the skeleton file. Rule-based (geometric): `plan` reads the tree and the
silhouette as a body plan, view and facing with confidences and lays out spine, tail and limbs;
`parts` labels and sides the limbs; `bones` cuts each part into its anatomical bones (re-rooted at
the hips: joint 0 is `spine`); `naming` writes the names of the chosen scheme.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import PointSkelError
from ..lift import LiftedShape
from ..skeleton import BODY_PLANS, VIEWS, Anatomy
from ..topology import BoneTree
from .body import Body
from .bones import Joints, build
from .naming import SCHEMES, names, scheme_for
from .plan import classify

__all__ = ["AnatomySettings", "AnatomyResult", "build_anatomy", "SCHEMES", "BODY_PLAN_CHOICES", "VIEW_CHOICES"]

BODY_PLAN_CHOICES = ("auto",) + BODY_PLANS
VIEW_CHOICES = ("auto",) + VIEWS
MAX_TAIL_BONES = 32


@dataclass(frozen=True)
class AnatomySettings:
    body_plan: str = "auto"  # auto or one of skeleton.BODY_PLANS
    view: str = "auto"  # auto or one of skeleton.VIEWS
    naming: str = "rigify"  # one of SCHEMES
    tail_bones: int = 0  # bones of a tail (a snake's whole body); 0: by its length

    def __post_init__(self) -> None:
        checks = [
            (self.body_plan in BODY_PLAN_CHOICES, f"body plan must be one of {', '.join(BODY_PLAN_CHOICES)}"),
            (self.view in VIEW_CHOICES, f"view must be one of {', '.join(VIEW_CHOICES)}"),
            (self.naming in SCHEMES, f"naming must be one of {', '.join(SCHEMES)}"),
            (0 <= self.tail_bones <= MAX_TAIL_BONES, f"tail bones must be between 0 (by length) and {MAX_TAIL_BONES}"),
        ]
        for ok, message in checks:
            if not ok:
                raise PointSkelError(message)


@dataclass(frozen=True, eq=False)
class AnatomyResult:
    """The character's joints, parents first (joint 0 the root), named, with parts and sides."""

    positions: np.ndarray  # (J, 3) float32, normalized frame
    parents: np.ndarray  # (J,) int64, -1 for the root
    radii: np.ndarray  # (J,) float32, the figure's thickness at each joint
    names: tuple[str, ...]
    parts: tuple[str, ...]
    sides: tuple[str, ...]
    anatomy: Anatomy


def build_anatomy(tree: BoneTree, shape: LiftedShape, settings: AnatomySettings = AnatomySettings()) -> AnatomyResult:
    """Body plan, parts and anatomical bones of the figure whose medial-axis tree is `tree`."""
    body = Body(tree, shape)
    layout, confidence = classify(body, settings.body_plan, settings.view)
    joints: Joints = build(body, layout, settings.tail_bones)
    scheme = scheme_for(settings.naming, layout.plan)
    positions = np.array(joints.positions, dtype=np.float32).reshape(-1, 3)
    anatomy = Anatomy(layout.plan, float(np.clip(confidence, 0, 1)), layout.view,
                      float(np.clip(layout.view_score, 0, 1)), layout.facing, scheme)
    return AnatomyResult(
        positions,
        np.array(joints.parents, dtype=np.int64),
        np.asarray(shape.radius_at(positions), dtype=np.float32),
        tuple(names(joints, scheme)),
        tuple(joints.parts),
        tuple(joints.sides),
        anatomy,
    )
