"""Character turnaround sheets, what artists rig from (drawn, through the real pipeline with the
geometric predictor): a person, a heavy person and a chibi, each in an A-pose and a T-pose, from the
front and from the side (both facings). From the side the legs overlap into one chain and the arms
hang over the torso (A-pose) or point at the viewer (T-pose): the outline shows no arm, and the rig
still gets both, cut shoulder → upper arm → forearm → hand (`tucked.py`). A person's profile stands
on a foot that turns along the floor, which no snake's tail does (`upright.side_biped`), its hips at
the crotch, not in the foot's corner on the floor; a chunky profile's torso is thicker than its head
and the tree may skip the short neck between them, so the neck is read off the outline; and the
nose on a profile's head is no arm."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline
from test_anatomy_figures import limb_counts

DRAWN = af.turnarounds()
FIGURES = {c.name: c for c in DRAWN + [c.flipped() for c in DRAWN if c.view == "side"]}
SIDE = sorted(n for n, c in FIGURES.items() if c.view == "side")
FRONT = sorted(n for n, c in FIGURES.items() if c.view == "front")
ARM = ["shoulder", "upper_arm", "forearm", "hand", "hand_end"]


def build(name: str) -> af._Build:
    return af.BUILDS[name.split("_")[0]]


def pose(name: str) -> str:
    return name.split("_")[1]


@cache
def run(name: str) -> PipelineResult:
    return af.drawn_result(FIGURES[name])


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_turnaround_is_a_biped_seen_as_drawn_with_a_head_two_arms_and_two_legs(name):
    character = FIGURES[name]
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("biped", character.view, character.facing)
    assert limb_counts(skeleton) == {"head": 1, "arm": 2, "leg": 2}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_each_arm_is_shoulder_upper_arm_forearm_hand(name):
    skeleton = run(name).skeleton
    for side in ("L", "R"):
        arm = [j.name for j in skeleton.joints if j.part == "arm" and j.side == side]
        assert arm == [f"{role}.{side}" for role in ARM]


@pytest.mark.parametrize("name", SIDE)
def test_a_profiles_hips_are_at_the_crotch_not_in_its_foot(name):
    skeleton = run(name).skeleton
    size = FIGURES[name].mask.shape[0]
    hips = skeleton.joints[0]
    assert hips.part == "spine"
    assert abs(hips.pixel[1] / size - build(name).crotch) < 0.08


@pytest.mark.parametrize("name", SIDE)
def test_a_profiles_arms_hang_from_its_chest_not_from_its_nose(name):
    skeleton = run(name).skeleton
    size = FIGURES[name].mask.shape[0]
    b = build(name)
    arms = np.array([j.pixel for j in skeleton.joints if j.part == "arm"]) / size
    assert len(arms)
    assert arms[:, 1].min() > b.head_y + 0.5 * b.head  # under the head's centre: the shoulders and below
    assert arms[:, 1].max() < b.crotch + 0.05  # no lower than the crotch
    assert np.abs(arms[:, 0] - 0.5).max() < b.depth  # over the torso


@pytest.mark.parametrize("name", FRONT)
def test_a_front_views_hand_tips_are_at_the_drawn_hands(name):
    skeleton = run(name).skeleton
    size = FIGURES[name].mask.shape[0]
    tips = {j.side: np.asarray(j.pixel) / size for j in skeleton.joints if j.name.startswith("hand_end")}
    # front view: image right (+x) is the character's left
    for side, sign in (("L", 1), ("R", -1)):
        hand = np.array(af.turnaround_hand(name.split("_")[0], pose(name), sign))
        assert np.linalg.norm(tips[side] - hand) < 0.075


PROFILES = {c.name: c for b in af.BUILDS for c in (af.apose_profile(b), af.apose_profile(b).flipped())}


@cache
def run_profile(name: str) -> PipelineResult:
    image = image_from_array(af.rgba(PROFILES[name].mask), source=f"{name}.png")
    return run_pipeline(image, PipelineSettings(predictor="geometric"))


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_an_a_pose_profiles_arms_reach_the_hand_sticking_out_ahead(name):
    character = PROFILES[name]
    skeleton = run_profile(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("biped", "side", character.facing)
    assert limb_counts(skeleton) == {"head": 1, "arm": 2, "leg": 2}
    size = character.mask.shape[1]
    x, y = af.apose_profile_hand(name.split("_")[0])
    hand = np.array([1.0 - x if name.endswith("_flipped") else x, y])
    for side in ("L", "R"):
        arm = [j for j in skeleton.joints if j.part == "arm" and j.side == side]
        assert [j.name for j in arm] == [f"{role}.{side}" for role in ARM]
        assert np.linalg.norm(np.asarray(arm[-1].pixel) / size - hand) < 0.075
