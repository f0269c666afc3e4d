"""Level readings of drawn figures (through the real pipeline with the geometric predictor): a snake is
one tube of even width, which an object's long thin stroke is not; a fish has no legs, so a plush
animal standing on its paws leaves no fish runner-up; a side-view quadruped's head is the end that
carries ears, where a thick tail looks as much like a head, and the end its paws point to."""
from __future__ import annotations


import pytest

import anatomy_figures as af
from pointskel_blender.core.anatomy.body import Body
from pointskel_blender.core.anatomy.doubt import figure_warning
from pointskel_blender.core.anatomy.cues import longest_path
from pointskel_blender.core.anatomy.level import tube
from pointskel_blender.core.anatomy.plan import _candidates
from test_anatomy_figures import limb_counts

FIGURES = (af.desk_lamp(), af.bare_tree(), af.plush_cat_side(), af.snake(), af.dachshund(), af.plush_fox(),
           af.bushy_dog())
DRAWN = af.both_facings(*FIGURES)
run = af.cached_results(DRAWN)


def readings(name: str) -> dict[str, float]:
    result = run(name)
    scores: dict[str, float] = {}
    for layout in _candidates(Body(result.tree, result.shape)):
        if layout is not None:
            scores[layout.plan] = max(scores.get(layout.plan, 0.0), layout.score)
    return scores


@pytest.mark.parametrize("name", ["desk_lamp", "desk_lamp_flipped", "bare_tree", "bare_tree_flipped"])
def test_a_desk_lamp_or_a_tree_is_no_snake_but_generic_with_a_low_confidence(name):
    anatomy = run(name).skeleton.anatomy
    assert anatomy.body_plan == "generic"
    assert anatomy.body_plan_confidence < 0.5
    assert readings(name)["serpent"] < 0.1  # a long thin arm or trunk, a shade or a crown on its end
    # nothing fits (no plan scored at all: 0.4 sure): every front end says it does not look like a figure
    assert "does not look like a figure" in figure_warning(run(name).skeleton)


@pytest.mark.parametrize("name", ["snake", "snake_flipped", "desk_lamp", "desk_lamp_flipped", "bare_tree"])
def test_a_snake_is_one_even_tube_and_an_object_is_not(name):
    result = run(name)
    body = Body(result.tree, result.shape)
    share = tube(body, longest_path(body))
    if name.startswith("snake"):
        assert share >= 0.9
    else:
        assert share <= 0.1


@pytest.mark.parametrize("name", ["plush_cat_side", "plush_cat_side_flipped"])
def test_a_plush_cat_on_its_paws_is_a_sure_quadruped_with_no_fish_runner_up(name):
    anatomy = run(name).skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("quadruped", "side", DRAWN[name].facing)
    assert readings(name)["fish"] < 0.1  # a paw on the floor keeps its width: a leg, no fin
    assert anatomy.body_plan_confidence >= 0.75


@pytest.mark.parametrize("name", ["dachshund", "dachshund_flipped", "plush_fox", "plush_fox_flipped",
                                  "bushy_dog", "bushy_dog_flipped"])
def test_a_side_view_quadrupeds_head_is_the_end_its_paws_point_to_or_with_ears_not_its_thick_tail(name):
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("quadruped", "side", DRAWN[name].facing)
    head = next(j for j in skeleton.joints if j.name == "head")
    tail = next(j for j in skeleton.joints if j.part == "tail")
    ahead = -1 if DRAWN[name].facing == "left" else 1
    assert ahead * (head.pixel[0] - tail.pixel[0]) > 0  # the head ahead of the tail
    counts = limb_counts(skeleton)
    assert (counts.get("front_leg"), counts.get("hind_leg"), counts.get("tail")) == (2, 2, 1)


@pytest.mark.parametrize("name", ["dachshund", "dachshund_flipped", "plush_fox", "plush_fox_flipped"])
def test_a_side_view_quadrupeds_head_runs_to_its_muzzle_and_the_tip_rising_from_it_is_an_ear(name):
    skeleton = run(name).skeleton
    head_end = next(j for j in skeleton.joints if j.name == "head_end")
    ears = [j for j in skeleton.joints if j.part == "ear" and not skeleton.children(skeleton.joints.index(j))]
    assert len(ears) == 1
    ahead = -1 if DRAWN[name].facing == "left" else 1
    assert ahead * (head_end.pixel[0] - ears[0].pixel[0]) > 0  # the muzzle reaches ahead of the ear
    assert ears[0].pixel[1] < head_end.pixel[1]  # and the ear rises above it
