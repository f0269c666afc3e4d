"""Bones per limb and where their joints go, on drawn figures (`anatomy_figures` pens), read with their
body plan and view set so each test is about the bones, not the reading (issue #13: "Elbows and knees
go to the visible bend; on a straight limb, to learned proportions", "bones per arm/leg within ±1 of
the artist's rig")."""
from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.anatomy.body import Body
from pointskel_blender.core.anatomy.bones import Joints, build
from pointskel_blender.core.anatomy.plan import classify
from pointskel_blender.core.anatomy.trunk import TAIL_BONE
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.skeleton import Skeleton

SIZE = 400
HIP, ANKLE = 0.5, 0.86  # the drawn legs' hip and ankle rows (canvas fractions)


def _skeleton(mask: np.ndarray, name: str, plan: str, view: str) -> Skeleton:
    image = image_from_array(af.rgba(mask), source=f"{name}.png")
    settings = PipelineSettings(predictor="geometric", body_plan=plan, view=view)
    return run_pipeline(image, settings).skeleton


def _straight_legs_side(flip: bool) -> np.ndarray:
    """A person from the side, facing left, standing with straight legs apart (no knee bend to see),
    each foot turned forward along the floor, an arm hanging at the side."""
    p = af._Pen(SIZE)
    p.disc(0.5, 0.12, 0.065)  # head
    p.disc(0.44, 0.125, 0.015)  # nose
    p.stroke([(0.5, 0.18), (0.5, 0.25)], 0.05)  # neck
    p.stroke([(0.5, 0.26), (0.5, HIP)], 0.11)  # torso
    p.stroke([(0.49, 0.28), (0.46, 0.4), (0.44, 0.5)], 0.045)  # arm
    for x in (0.37, 0.63):
        p.stroke([(0.5, HIP + 0.02), (x, ANKLE)], 0.06)  # a straight leg
        p.stroke([(x + 0.01, ANKLE + 0.02), (x - 0.09, ANKLE + 0.025)], 0.04)  # the foot, forward
    mask = p.mask()
    return mask[:, ::-1].copy() if flip else mask


@cache
def straight_legs_side(flip: bool) -> Skeleton:
    return _skeleton(_straight_legs_side(flip), "straight_legs_side", "biped", "side")


def _pixels(skeleton: Skeleton, stem: str) -> list[np.ndarray]:
    return [np.asarray(j.pixel, np.float64) / SIZE for j in skeleton.joints
            if j.name.split(".")[0] == stem]


@pytest.mark.parametrize("flip", [False, True])
def test_a_side_views_straight_leg_has_its_knee_halfway_to_the_ankle_not_the_toe(flip):
    """A leg whose foot turns forward: thigh, shin, foot and toe, the ankle at the turn. On a straight
    leg the knee goes by proportion, and a thigh is about as long as a shin (0.47 / 0.45 of the leg),
    so the knee halves the leg from its socket down to the ankle; the foot seen along its length
    belongs to neither (a share of the whole path to the toe put it a fifth of the shin too low)."""
    skeleton = straight_legs_side(flip)
    thighs, knees, ankles = (_pixels(skeleton, s) for s in ("thigh", "shin", "foot"))
    assert len(thighs) == len(knees) == len(ankles) == 2 and len(_pixels(skeleton, "toe")) == 2
    for thigh, knee, ankle in zip(thighs, knees, ankles):
        assert abs(ankle[1] - ANKLE) < 0.03, ankle
        share = (knee[1] - thigh[1]) / (ankle[1] - thigh[1])
        assert 0.42 < share < 0.55, share
@cache
def bird_with_unnamed_wing() -> tuple[Joints, list[int], Body]:
    """The drawn side-view bird (`anatomy_figures.bird`) cut with its raised wing left unnamed (as the
    development birds' far wings and feather fans are read): its joints, that limb's tree joints and
    the body. The reading is set by hand, so the test is about the cut, not the labels."""
    image = image_from_array(af.rgba(af.bird(SIZE).mask), source="bird.png")
    result = run_pipeline(image, PipelineSettings(predictor="geometric", body_plan="bird", view="side"))
    body = Body(result.tree, result.shape)
    layout, _ = classify(body, "bird", "side")
    wing = next(i for i, limb in enumerate(layout.limbs) if limb.part == "wing")
    limbs = list(layout.limbs)
    limbs[wing] = replace(limbs[wing], part="limb")
    return build(body, replace(layout, limbs=limbs)), limbs[wing].joints, body


def test_an_unnamed_limb_of_a_bird_is_cut_by_length_as_a_tail_is():
    """A limb the plan has no name for on a bird (a far wing, a fan of feathers: stiff feathers, not a
    chain of bones) gets a bone per `TAIL_BONE` of its length at the tree's bends, as a tail does, not
    a bone per medial tree joint (the development birds' side views: 5-14 joints on such a chain)."""
    joints, path, body = bird_with_unnamed_wing()
    limb = [i for i, part in enumerate(joints.parts) if part == "limb"]
    bones = sum(1 for i in limb if not joints.tips[i])
    length = float(np.linalg.norm(np.diff(body.xy[path], axis=0), axis=1).sum())
    assert bones < len(path) - 2, (bones, len(path))  # fewer than the tree's inner joints
    assert abs(bones - length / TAIL_BONE) <= 1.5, (bones, length / TAIL_BONE)
