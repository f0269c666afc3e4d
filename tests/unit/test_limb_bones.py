"""Where a limb's joints go and how many bones it has, on drawn figures (`anatomy_figures` pens):
a leg starts where it leaves the body, its knee on the leg (issue #13: "Elbows and knees go to the
visible bend", "bones per arm/leg within ±1 of the artist's rig")."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.skeleton import Skeleton

SIZE = 400
LEG_X = 0.13  # the legs' columns: this far either side of the middle (canvas fractions)
BELLY = 0.58  # the body's lowest row where the legs leave it


def _barrel_front(flip: bool) -> np.ndarray:
    """A plush quadruped from the front: a wide round body, the head with ears on top, its two front
    legs hanging straight down from the body's sides (the hind legs hidden behind them)."""
    p = af._Pen(SIZE)
    p.ellipse(0.5, 0.46, 0.22, 0.13)  # body
    p.disc(0.5, 0.27, 0.09)  # head
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.05, 0.2), (0.5 + side * 0.09, 0.1)], 0.035)  # ear
        p.stroke([(0.5 + side * LEG_X, 0.5), (0.5 + side * LEG_X, 0.88)], 0.075)  # front leg
    mask = p.mask()
    return mask[:, ::-1].copy() if flip else mask


def _skeleton(mask: np.ndarray, name: str, plan: str, view: str) -> Skeleton:
    """The drawn figure through the pipeline (geometric predictor) with its plan and view set, so the
    test is about the bones, not the reading."""
    image = image_from_array(af.rgba(mask), source=f"{name}.png")
    settings = PipelineSettings(predictor="geometric", body_plan=plan, view=view)
    return run_pipeline(image, settings).skeleton


@cache
def barrel_front(flip: bool) -> Skeleton:
    return _skeleton(_barrel_front(flip), "barrel_front", "quadruped", "front")


def _pixel(skeleton: Skeleton, name: str) -> np.ndarray:
    joint = next(j for j in skeleton.joints if j.name == name)
    return np.asarray(joint.pixel, dtype=np.float64) / SIZE


@pytest.mark.parametrize("flip", [False, True])
def test_a_front_view_quadrupeds_leg_starts_where_its_path_turns_down_into_the_leg(flip):
    """The medial path runs from the wide body's middle out and down to each leg; the leg's first
    joint (its shoulder) sits over the leg it moves, not on that run inside the body, so the leg
    pivots at the body's side and its knee lands on the visible leg."""
    skeleton = barrel_front(flip)
    for side in ("L", "R"):
        thigh, knee = _pixel(skeleton, f"front_thigh.{side}"), _pixel(skeleton, f"front_shin.{side}")
        column = 0.5 + np.sign(thigh[0] - 0.5) * LEG_X
        assert abs(thigh[0] - column) < 0.05, (side, thigh)
        assert abs(knee[0] - column) < 0.03 and knee[1] > BELLY, (side, knee)


@pytest.mark.parametrize("flip", [False, True])
def test_a_front_view_quadrupeds_leg_keeps_its_four_bones(flip):
    """Thigh, shin, foot and toe (Rigify's quadruped), from the shoulder to the hoof."""
    skeleton = barrel_front(flip)
    for side in ("L", "R"):
        chain = [j.name for j in skeleton.joints if j.part == "front_leg" and j.side == side]
        assert chain == [f"front_thigh.{side}", f"front_shin.{side}", f"front_foot.{side}",
                         f"front_toe.{side}", f"front_toe_end.{side}"], chain


def _reaching_side(flip: bool) -> np.ndarray:
    """A person from the side facing right, both arms reaching forward: one upper arm (the far one
    behind the near one) from the shoulder, the two forearms parting past the elbows, one hand above
    the other; the legs apart, the feet turned forward."""
    p = af._Pen(SIZE)
    p.disc(0.5, 0.14, 0.065)  # head
    p.stroke([(0.5, 0.2), (0.5, 0.52)], 0.1)  # neck and torso
    p.stroke([(0.5, 0.28), (0.64, 0.34)], 0.045)  # the upper arms, one over the other
    p.stroke([(0.64, 0.34), (0.82, 0.33)], 0.035)  # near forearm and hand
    p.stroke([(0.64, 0.34), (0.8, 0.45)], 0.035)  # far forearm and hand, lower
    for knee, foot in (((0.46, 0.7), (0.42, 0.9)), ((0.56, 0.7), (0.6, 0.9))):
        p.stroke([(0.5, 0.52), knee, foot], 0.055)  # leg
        p.stroke([foot, (foot[0] + 0.07, foot[1])], 0.04)  # foot, toes forward
    mask = p.mask()
    return mask[:, ::-1].copy() if flip else mask


@cache
def reaching_side(flip: bool) -> Skeleton:
    return _skeleton(_reaching_side(flip), "reaching_side", "biped", "side")


@pytest.mark.parametrize("flip", [False, True])
def test_two_arms_that_part_past_the_elbow_in_a_side_view_are_two_whole_arms(flip):
    """The far arm's hand shows beside the near one: the tree has one arm with a branch; the far
    arm is the near one's path to the fork, then the branch, with all its bones (shoulder, upper
    arm, forearm, hand: within one bone of an artist's rig), not a generic limb hung off the near
    forearm (whose chain then stopped at that fork: 2 bones)."""
    skeleton = reaching_side(flip)
    assert skeleton.anatomy.view == "side"
    assert not any(j.part == "limb" for j in skeleton.joints)
    hands = {}
    for side in ("L", "R"):
        chain = [j.name for j in skeleton.joints if j.part == "arm" and j.side == side]
        assert chain == [f"shoulder.{side}", f"upper_arm.{side}", f"forearm.{side}", f"hand.{side}",
                         f"hand_end.{side}"], chain
        hands[side] = _pixel(skeleton, f"hand_end.{side}")
    assert abs(hands["L"][1] - hands["R"][1]) > 0.06, hands  # each arm ends at its own hand
