"""Bones per limb and where their joints go, on drawn figures (`anatomy_figures` pens), read with their
body plan and view set so each test is about the bones, not the reading (issue #13: "Elbows and knees
go to the visible bend; on a straight limb, to learned proportions", "bones per arm/leg within ±1 of
the artist's rig")."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
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


def _dog_with_pole(flip: bool) -> np.ndarray:
    """The side-view dog (`anatomy_figures.dog`) with a long thin pole standing on its back: a limb no
    quadruped has, which the anatomy leaves unnamed."""
    p = af._Pen(SIZE)
    p.stroke([(0.5, 0.4), (0.5, 0.02)], 0.022)
    mask = af.dog(SIZE).mask | p.mask()
    return mask[:, ::-1].copy() if flip else mask


@cache
def dog_with_pole(flip: bool) -> Skeleton:
    return _skeleton(_dog_with_pole(flip), "dog_with_pole", "quadruped", "side")


@pytest.mark.parametrize("flip", [False, True])
def test_an_unnamed_limb_of_a_named_body_is_cut_by_length_as_a_tail_is(flip):
    """A limb the plan has no name for on a figure whose limbs it names (a far wing, a fan of feathers,
    a pole) gets a bone per `TAIL_BONE` of its length at the tree's bends, as a tail does: not a bone
    per medial tree joint (the development birds' side views: 5-14 joints on such a chain)."""
    skeleton = dog_with_pole(flip)
    limb = [i for i, j in enumerate(skeleton.joints) if j.part == "limb"]
    assert limb, [j.name for j in skeleton.joints]
    xy = np.array([skeleton.joints[i].position[:2] for i in limb])
    length = float(np.linalg.norm(np.diff(xy, axis=0), axis=1).sum())
    bones = sum(1 for i in limb if any(j.parent == i for j in skeleton.joints))
    assert abs(bones - length / TAIL_BONE) <= 1, (bones, length / TAIL_BONE)
