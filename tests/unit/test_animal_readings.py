"""The anatomy stage's readings of animals (drawn, through the real pipeline with the geometric
predictor, some also with the shipped model's): a quadruped from the front, whose armless upright
reading is no biped; many-legged creatures whose walking legs are named `leg`, from above and from the
side (its legs hanging under its body to the floor, however bunched; turned level, a bug from above
is still seen from above); an octopus from the front whose tapering arms stay generic limbs, each
hanging from its body."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.anatomy.body import Body
from pointskel_blender.core.anatomy.level import tentacle
from pointskel_blender.core.anatomy.plan import _candidates
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from test_anatomy_figures import chains, limb_counts

FIGURES = (af.dog_front(), af.spider(), af.bug(), af.octopus(), af.ant_side(), af.insect_side())
DRAWN = af.both_facings(*FIGURES)
run = af.cached_results(DRAWN)
# the pipeline as users run it, with the shipped model's contraction
shipped = cache(lambda name: run_pipeline(image_from_array(af.rgba(DRAWN[name].mask), source=f"{name}.png"),
                                          PipelineSettings()))


@pytest.mark.parametrize("name", ["dog_front", "dog_front_flipped"])
def test_a_dog_from_the_front_is_a_quadruped_with_front_legs_and_no_biped_runner_up(name):
    result = run(name)
    anatomy = result.skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("quadruped", "front", "viewer")
    assert limb_counts(result.skeleton) == DRAWN[name].limbs
    names = {j.name for j in result.skeleton.joints}
    assert {"front_thigh.L", "front_thigh.R"} <= names
    # the armless upright reading is the animal's: the biped reading of the same legs is not its
    # runner-up (which halved the confidence a learned part head could then overturn)
    assert not any(c is not None and c.plan == "biped" for c in _candidates(Body(result.tree, result.shape)))
    assert anatomy.body_plan_confidence >= 0.8


def tip_parts(skeleton) -> list[str]:
    """The part of every chain's end (a joint without children): one per limb, generic limbs included."""
    return [j.part for i, j in enumerate(skeleton.joints) if not skeleton.children(i)]


@pytest.mark.parametrize("name", ["spider", "spider_flipped", "bug", "bug_flipped"])
def test_the_bent_walking_legs_of_a_many_legged_creature_from_above_are_legs_not_limbs(name):
    skeleton = run(name).skeleton
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("many_legged", "top")
    tips = tip_parts(skeleton)
    assert "limb" not in tips, tips
    # all of them: a spider's front pair leaves its cephalothorax by the head, yet is no antenna
    assert tips.count("leg") == DRAWN[name].limbs["leg"], tips
    legs = [c for c in chains(skeleton) if skeleton.joints[c[0]].part == "leg"]
    assert {skeleton.joints[c[0]].side for c in legs} == {"L", "R"}


@pytest.mark.parametrize("name", ["spider", "spider_flipped", "bug", "bug_flipped"])
def test_every_leg_of_a_many_legged_creature_from_above_hangs_from_its_body(name):
    # (before: the contraction drew a spider's legs together where they leave its cephalothorax, and
    # three of each side's four hung from the first: posing one leg swung all four)
    skeleton = run(name).skeleton
    legs = [c for c in chains(skeleton) if skeleton.joints[c[0]].part == "leg"]
    assert len(legs) == DRAWN[name].limbs["leg"]
    for chain in legs:
        parent = skeleton.joints[chain[0]].parent
        assert skeleton.joints[parent].part in ("spine", "abdomen"), skeleton.joints[chain[0]].name


@pytest.mark.parametrize("name", ["spider", "spider_flipped", "bug", "bug_flipped"])
def test_a_many_legged_creatures_head_is_at_the_end_its_legs_leave_and_its_abdomen_behind(name):
    # (before, with the shipped model's contraction: a spider's head bone ran down its abdomen, the
    # round cephalothorax, where the tree ends deeper, read as the rear)
    skeleton = shipped(name).skeleton
    y = {j.name: j.pixel[1] for j in skeleton.joints}
    assert y["head"] < y["spine"] < y["abdomen_end"]  # drawn head up: the abdomen hangs below


@pytest.mark.parametrize("name", ["bug", "bug_flipped"])
def test_a_bugs_hind_legs_leaving_its_narrow_thorax_are_legs_not_tentacles(name):
    # (before, with the shipped model's contraction: the hind legs' paths ran from the thorax, thick,
    # into the thin legs and read as tapering tentacles, generic limbs)
    tips = tip_parts(shipped(name).skeleton)
    assert tips.count("leg") == 6 and "limb" not in tips, tips


PREDICTORS = {"geometric": run, "shipped": shipped}


@pytest.mark.parametrize("predictor", list(PREDICTORS))
@pytest.mark.parametrize("name", ["ant_side", "ant_side_flipped", "insect_side", "insect_side_flipped"])
def test_an_insect_from_the_side_standing_on_its_legs_is_many_legged_seen_from_the_side(name, predictor):
    # (before: an ant's knees rising over its body and an insect's six legs bunched under its short
    # thorax made the thick joints' spread too deep for a long body, and both read as seen from above)
    character = DRAWN[name]
    skeleton = PREDICTORS[predictor](name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("many_legged", "side", character.facing)
    assert anatomy.body_plan_confidence >= 0.5
    counts = limb_counts(skeleton)
    assert counts.get("leg", 0) >= character.limbs["leg"], counts
    assert not {"front_leg", "hind_leg", "arm", "wing"} & set(counts), counts


@pytest.mark.parametrize("predictor", list(PREDICTORS))
@pytest.mark.parametrize("name", ["ant_side", "ant_side_flipped"])
def test_an_ants_head_from_the_side_runs_toward_its_antenna(name, predictor):
    # (before, with the shipped model's contraction: the head ran up into a front leg's knee, the
    # antenna a leg)
    character = DRAWN[name]
    skeleton = PREDICTORS[predictor](name).skeleton
    width = character.mask.shape[1]
    end = next(j for j in skeleton.joints if j.part == "head" and j.name.endswith("_end"))
    assert (end.pixel[0] > 0.8 * width) if character.facing == "right" else (end.pixel[0] < 0.2 * width), end


@pytest.mark.parametrize("name", ["octopus", "octopus_flipped"])
def test_an_octopus_is_many_legged_and_its_tapering_arms_stay_generic_limbs(name):
    skeleton = run(name).skeleton
    assert skeleton.anatomy.body_plan == "many_legged"
    tips = tip_parts(skeleton)
    assert "leg" not in tips
    assert tips.count("limb") >= 6, tips  # eight arms; the tree may join a pair where they part


@pytest.mark.parametrize("predictor", list(PREDICTORS))
@pytest.mark.parametrize("name", ["octopus", "octopus_flipped"])
def test_an_octopus_hanging_its_arms_from_its_mantle_is_seen_from_the_front(name, predictor):
    # (before: read from above, its arms sided by a heading up the mantle; and an arm the tree forked
    # off another far from the body hung from that arm: posing one arm swung the other)
    skeleton = PREDICTORS[predictor](name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("many_legged", "front", "viewer")
    arms = [c for c in chains(skeleton) if skeleton.joints[c[0]].part == "limb"]
    assert len(arms) == DRAWN[name].limbs["limb"], [skeleton.joints[c[0]].name for c in arms]
    for chain in arms:
        parent = skeleton.joints[chain[0]].parent
        assert skeleton.joints[parent].part == "spine", skeleton.joints[chain[0]].name
    # from the front, the character's left arms are on the image's right
    middle = DRAWN[name].mask.shape[1] / 2
    for chain in arms:
        tip = skeleton.joints[chain[-1]]
        assert tip.side == ("L" if tip.pixel[0] > middle else "R"), tip.name


@pytest.mark.parametrize("name", ["bug", "bug_flipped"])
def test_a_bug_from_above_turned_level_is_still_seen_from_above(name):
    """Its body held level, three legs' feet on the floor under it: but its other three legs reach as
    far to the other side of its axis, so it is no side view whose legs hang under its body."""
    mask = np.ascontiguousarray(np.rot90(DRAWN[name].mask))
    skeleton = af.drawn_result(af.Character(f"{name}_level", mask, "many_legged", "top", "viewer",
                                            DRAWN[name].limbs)).skeleton
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("many_legged", "top")


def test_a_tapering_arm_is_a_tentacle_and_an_even_stroke_with_a_knee_is_not():
    pen = af._Pen(400)
    pen.disc(0.5, 0.3, 0.12)  # a body
    for t0, t1 in zip(np.linspace(0, 1, 9)[:-1], np.linspace(0, 1, 9)[1:]):  # an arm tapering to a point
        width = 0.07 * (1 - t0) + 0.01
        pen.stroke([(0.5 - 0.4 * t0, 0.4 + 0.5 * t0), (0.5 - 0.4 * t1, 0.4 + 0.5 * t1)], width)
    pen.stroke([(0.55, 0.4), (0.8, 0.3), (0.9, 0.9)], 0.018)  # a thin leg with a knee
    result = run_pipeline(image_from_array(af.rgba(pen.mask()), source="arms.png"),
                          PipelineSettings(predictor="geometric"))
    body = Body(result.tree, result.shape)
    arm = min(body.leaves, key=lambda leaf: body.xy[leaf, 0])
    leg = max(body.leaves, key=lambda leaf: body.xy[leaf, 0])
    centre = int(np.argmax(body.rad))
    assert tentacle(body, body.path(centre, arm))
    assert not tentacle(body, body.path(centre, leg))
