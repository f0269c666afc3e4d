"""People in clothes (drawn, thin and chunky, front and side, both facings, through the real pipeline
with the geometric predictor): a skirt's, a dress's or a robe's hem corners are part of the body, no
arms or a bird's beak (`cues.corner`, `upright.hem`); the hips sit at the waist the skirt flares out
from, not at its hem (`upright.skirt_hips`); a robe down to the floor hides the legs, which run inside
it down to its hem (`upright.side_biped`); a figure in a dress seen from the side is a person, not a
bird (`plan.py`: a hem rules out the side bird's and the front quadruped's readings, and a hem flaring
wider than the torso above it, a dress's, the front bird's and the many-legged ones: a girl in a smock
on thin legs is as plump over stick legs as a bird from the front). And what is no
person: a floor lamp's shade on its pole has no torso under it (`upright.side_biped`)."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.pipeline import PipelineResult
from test_anatomy_figures import limb_counts

DRAWN = [af.dress_side(), af.dress_side_chunky(), af.mini_skirt_side(), af.robe_side(), af.dress_front(),
         af.smock_front(), af.floor_lamp()]
FIGURES = {c.name: c for c in DRAWN + [c.flipped() for c in DRAWN]}
WAIST = 0.45  # every drawn skirt flares out from here (canvas fractions, y down)
HEM = {"dress_side": (0.7, 0.155), "dress_side_chunky": (0.7, 0.2), "mini_skirt_side": (0.58, 0.115),
       "dress_front": (0.72, 0.18)}  # the hem's height and its corners' distance from x = 0.5, as drawn


def base(name: str) -> str:
    return name.removesuffix("_flipped")


@cache
def run(name: str) -> PipelineResult:
    return af.drawn_result(FIGURES[name])


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if base(n) in ("dress_side", "robe_side")))
def test_a_person_in_a_dress_from_the_side_is_a_biped_facing_its_feet_not_a_bird(name):
    character = FIGURES[name]
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("biped", "side", character.facing)
    assert limb_counts(skeleton) == character.limbs


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if base(n) in HEM and base(n) != "dress_front"))
def test_a_skirts_hem_corners_are_no_hands(name):
    skeleton = run(name).skeleton
    size = FIGURES[name].mask.shape[1]
    hem, reach = HEM[base(name)]
    corners = np.array([[(0.5 - reach) * size, hem * size], [(0.5 + reach) * size, hem * size]])
    arms = np.array([j.pixel for j in skeleton.joints if j.part == "arm"])
    assert len(arms)
    assert np.linalg.norm(arms[:, None, :] - corners[None], axis=2).min() > 0.06 * size


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if base(n) in HEM))
def test_the_hips_are_at_the_waist_the_skirt_flares_from_not_at_its_hem(name):
    skeleton = run(name).skeleton
    size = FIGURES[name].mask.shape[0]
    hips = skeleton.joints[0]
    assert hips.part == "spine"
    hem = HEM[base(name)][0]
    assert abs(hips.pixel[1] / size - WAIST) < abs(hips.pixel[1] / size - hem)


@pytest.mark.parametrize("name", ["robe_side", "robe_side_flipped"])
def test_a_robe_to_the_floor_hides_the_legs_which_run_inside_it_down_to_its_hem(name):
    character = FIGURES[name]
    skeleton = run(name).skeleton
    size = character.mask.shape[0]
    legs = [j for j in skeleton.joints if j.part == "leg"]
    assert legs
    for joint in legs:  # inside the robe's outline, under the waist
        x, y = (int(round(v)) for v in joint.pixel)
        assert character.mask[min(y, size - 1), x]
        assert y / size > WAIST - 0.05
    assert max(j.pixel[1] for j in legs) / size > 0.75  # down into the robe's lower part


@pytest.mark.parametrize("name", ["smock_front", "smock_front_flipped"])
def test_a_dress_flaring_from_the_shoulders_over_thin_legs_is_a_person_not_a_bird(name):
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view) == ("biped", "front")
    counts = limb_counts(skeleton)
    assert counts.get("leg") == 2 and counts.get("arm") == 2  # no third arm at the collar's corner
    assert "wing" not in counts and "tail" not in counts
    size = FIGURES[name].mask.shape[1]
    corners = np.array([[0.34 * size, 0.62 * size], [0.66 * size, 0.62 * size]])  # the hem's, as drawn
    arms = np.array([j.pixel for j in skeleton.joints if j.part == "arm"])
    assert np.linalg.norm(arms[:, None, :] - corners[None], axis=2).min() > 0.06 * size


@pytest.mark.parametrize("name", ["floor_lamp", "floor_lamp_flipped"])
def test_a_floor_lamp_is_no_person_from_the_side(name):
    anatomy = run(name).skeleton.anatomy
    assert anatomy.body_plan == "generic"
    assert anatomy.body_plan_confidence < 0.5
