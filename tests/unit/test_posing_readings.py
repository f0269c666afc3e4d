"""The anatomy stage's readings of the posing figures (`posing_figures`, drawn, through the real pipeline
with the geometric predictor), in both facings: a runner from the side with one foot on the floor, a
penguin from the front whose foot's medial tip runs out onto the outline; and the product's reading
(the shipped model) of a person in a robe to the floor, whose tree ends inside the hem, and of a plush
bunny from the side whose two long ears the tree joins at their roots."""
from __future__ import annotations

from functools import cache

import pytest

import anatomy_figures as af
import posing_figures as pf
from anatomy_figures import both_facings, cached_results
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline
from test_anatomy_figures import limb_counts

DRAWN = both_facings(pf.runner_side(), pf.penguin_front())
run = cached_results(DRAWN)
SHIPPED = both_facings(af.robe_side(), pf.plush_bunny_side())


@cache
def shipped(name: str) -> PipelineResult:
    """The product's reading: the shipped model's contraction."""
    image = image_from_array(af.rgba(SHIPPED[name].mask), source=f"{name}.png")
    return run_pipeline(image, PipelineSettings())


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


@pytest.mark.parametrize("name", ["robe_side", "robe_side_flipped"])
def test_a_person_in_a_robe_to_the_floor_is_read_from_the_side_though_the_tree_ends_inside_the_hem(name):
    # (the shipped model's tree ends a joint inside the hem, and the hem is the path's thickest: the
    # robe was missed, the head's thickness measured against the hem, and nothing was read)
    skeleton = shipped(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("biped", "side", SHIPPED[name].facing)
    counts = limb_counts(skeleton)
    assert (counts.get("arm", 0), counts.get("leg", 0), counts.get("head", 0)) == (2, 2, 1)


@pytest.mark.parametrize("name", ["plush_bunny_side", "plush_bunny_side_flipped"])
def test_two_ears_the_tree_joins_at_their_roots_are_a_near_and_a_far_ear_off_the_head(name):
    # (the far ear hung off the near one: an unnamed limb.L on its tip)
    skeleton = shipped(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("biped", "side", SHIPPED[name].facing)
    assert not [j.name for j in skeleton.joints if j.part == "limb"]
    ears = [j for j in skeleton.joints if j.part == "ear"]
    near = "L" if SHIPPED[name].facing == "left" else "R"
    assert {j.side for j in ears} == {"L", "R"}
    for side in ("L", "R"):  # each ear's root hangs from the head
        root = next(j for j in ears if j.side == side)
        assert skeleton.joints[root.parent].part == "head"
    tips = {j.side: j.pixel[0] for j in ears if j.name.startswith("ear_end")}
    ahead = -1.0 if SHIPPED[name].facing == "left" else 1.0
    assert ahead * tips[near] > ahead * tips["R" if near == "L" else "L"]  # the near ear is the front one
