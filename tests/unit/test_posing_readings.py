"""The anatomy stage's readings of the posing figures (`posing_figures`, drawn, through the real pipeline
with the geometric predictor), in both facings: a runner from the side with one foot on the floor, a
penguin from the front whose foot's medial tip runs out onto the outline."""
from __future__ import annotations

import pytest

import posing_figures as pf
from anatomy_figures import both_facings, cached_results
from test_anatomy_figures import limb_counts

DRAWN = both_facings(pf.runner_side(), pf.penguin_front())
run = cached_results(DRAWN)


@pytest.mark.parametrize("name", ["runner_side", "runner_side_flipped"])
def test_a_runner_with_one_foot_on_the_floor_and_both_feet_pointing_ahead_is_seen_from_the_side(name):
    character = DRAWN[name]
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("biped", "side", character.facing)
    counts = limb_counts(skeleton)
    assert (counts.get("arm", 0), counts.get("leg", 0), counts.get("head", 0)) == (2, 2, 1)


@pytest.mark.parametrize("name", ["penguin_front", "penguin_front_flipped"])
def test_a_penguin_from_the_front_stands_on_both_feet_as_a_bird_with_its_flippers_for_wings(name):
    # (the medial tree's tip of one foot lies on the outline with no thickness: that foot is no less a
    # leg; in one facing the figure stood on one foot, a biped without arms)
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("bird", "front", "viewer")
    counts = limb_counts(skeleton)
    assert (counts.get("wing", 0), counts.get("leg", 0), counts.get("head", 0)) == (2, 2, 1)
