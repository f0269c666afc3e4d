"""The anatomy stage: a medial-axis `BoneTree` becomes a character's skeleton.

Between topology and the skeleton file. Rule-based (geometric): `plan` reads the tree and the
silhouette as a body plan, view and facing with confidences and lays out spine, tail and limbs;
`parts` labels and sides the limbs; `bones` cuts each part into its anatomical bones (re-rooted at
the hips: joint 0 is `spine`); `ears` adds a side view quadruped's ear the tree did not fork into,
read off the outline, and splits two ears it joined at their roots; `naming` writes the names of the
chosen scheme.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..lift import LiftedShape
from ..settings import PipelineSettings
from ..skeleton import Anatomy
from ..topology import BoneTree
from .body import Body
from .bones import Joints, build
from .ears import joined_ears, outline_ear
from .frame import off_picture
from .learned import LearnedParts, reread
from .naming import SCHEMES, names, scheme_for
from .parts import assign_sides
from .plan import classify

__all__ = ["AnatomyResult", "LearnedParts", "build_anatomy", "figure_summary", "SCHEMES"]


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
    hidden: tuple[bool, ...]  # per joint: the picture does not show it (`skeleton.Joint.hidden`)


def build_anatomy(
    tree: BoneTree, shape: LiftedShape, settings: PipelineSettings = PipelineSettings(), *,
    learned: LearnedParts | None = None,
) -> AnatomyResult:
    """Body plan, parts and anatomical bones of the figure whose medial-axis tree is `tree`; reads the
    settings' `body_plan`, `view` (auto or forced), `naming` and `tail_bones`; `learned`: a model's
    part head's reading, which decides where the rules cannot (`learned.reread`)."""
    body = Body(tree, shape)
    layout, confidence = classify(body, settings.body_plan, settings.view)
    if learned is not None:
        layout, confidence = reread(body, layout, confidence, learned, settings)
    if joined_ears(body, layout):
        assign_sides(body, layout)
    joints: Joints = build(body, layout, settings.tail_bones)
    outline_ear(body, layout, joints)
    joints = off_picture(shape, joints)
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
        tuple(joints.hidden),
    )


def figure_summary(anatomy: Anatomy | None) -> str:
    """'quadruped 0.80, side, facing left': what the stage read, as the CLI and the panel show it."""
    if anatomy is None:
        return ""
    facing = "" if anatomy.facing == "viewer" else f", facing {anatomy.facing}"
    return f"{anatomy.body_plan} {anatomy.body_plan_confidence:.2f}, {anatomy.view}{facing}"
