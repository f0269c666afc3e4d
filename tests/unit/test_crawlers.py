"""Many-legged creatures the development sets misread (drawn, through the real pipeline with the
geometric predictor): a centipede from the side, whose segments are alike so its thickest end is no
abdomen, heads toward its antennae; a many-legged creature from the front, its body end-on, stands on
legs rising to knees above that body (a table's level top on straight legs does not)."""
from __future__ import annotations


import pytest

import anatomy_figures as af
from test_anatomy_figures import limb_counts

FIGURES = (af.centipede_side(), af.crab_front(), af.table_front())
DRAWN = af.both_facings(*FIGURES)
run = af.cached_results(DRAWN)


@pytest.mark.parametrize("name", ["centipede_side", "centipede_side_flipped"])
def test_a_centipede_from_the_side_heads_toward_its_antennae(name):
    character = DRAWN[name]
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("many_legged", "side", character.facing)
    heads = [j for j in skeleton.joints if j.part == "head"]
    assert heads, [j.name for j in skeleton.joints]
    width = character.mask.shape[1]
    ahead = [j.pixel[0] < 0.25 * width if character.facing == "left" else j.pixel[0] > 0.75 * width
             for j in heads]
    assert all(ahead), [(j.name, j.pixel) for j in heads]  # the antennae's end, not the last leg
    assert limb_counts(skeleton).get("leg", 0) >= character.limbs["leg"], limb_counts(skeleton)


@pytest.mark.parametrize("name", ["crab_front", "crab_front_flipped"])
def test_a_many_legged_creature_from_the_front_stands_on_legs_rising_over_its_body(name):
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("many_legged", "front", "viewer")
    legs = [j for j in skeleton.joints if j.part == "leg"]
    assert {j.side for j in legs} == {"L", "R"}, [(j.name, j.side) for j in legs]
    assert not {j.part for j in skeleton.joints} - {"spine", "leg"}, sorted({j.part for j in skeleton.joints})


@pytest.mark.parametrize("name", ["table_front", "table_front_flipped"])
def test_a_tables_level_top_on_straight_legs_is_no_many_legged_creature_from_the_front(name):
    assert run(name).skeleton.anatomy.body_plan != "many_legged"
