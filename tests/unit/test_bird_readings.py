"""Birds from the front and the side, and what is no bird (drawn, through the real pipeline with the
geometric predictor): a bird from the front with its wings folded (a plump body on two stick legs; an
owl with ear tufts too) is a bird seen from the front, not a biped or a quadruped; a six-legged insect
whose legs hang from one place as a bird's two do is no bird (a bird stands on two legs); nor is a person
in a dress cheering from the front; both facings."""
from __future__ import annotations

from functools import cache

import pytest

import anatomy_figures as af
from pointskel_blender.core.pipeline import PipelineResult
from test_anatomy_figures import limb_counts

FIGURES = {c.name: c for c in (af.bird_front_folded(), af.owl_front(), af.insect_side(), af.dress_cheer())}
FIGURES |= {c.name: c for c in [c.flipped() for c in FIGURES.values()]}


@cache
def run(name: str) -> PipelineResult:
    return af.drawn_result(FIGURES[name])


FOLDED = ["bird_front_folded", "bird_front_folded_flipped", "owl_front", "owl_front_flipped"]


@pytest.mark.parametrize("name", FOLDED)
def test_a_bird_from_the_front_with_folded_wings_is_a_bird_seen_from_the_front(name):
    """Stick legs under a plump, mirror-symmetric body (an owl's ear tufts on its head): the wings are
    folded on it, not missing arms (a biped) or a quadruped's hidden hind legs."""
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("bird", "front", "viewer")
    assert anatomy.body_plan_confidence >= 0.5
    assert limb_counts(skeleton) == FIGURES[name].limbs
    middle = skeleton.joints[0].pixel[0]
    feet = [j for j in skeleton.joints if j.part == "leg" and not skeleton.children(skeleton.index(j.name))]
    assert sorted(j.side for j in feet) == ["L", "R"]
    for foot in feet:
        assert foot.side == ("L" if foot.pixel[0] > middle else "R"), foot.name  # image right: .L
    head = [j for j in skeleton.joints if j.part == "head"]
    assert head and all(j.pixel[1] < skeleton.joints[0].pixel[1] for j in head)  # the head above the hips


@pytest.mark.parametrize("name", ["insect_side", "insect_side_flipped"])
def test_a_six_legged_insect_from_the_side_is_no_bird(name):
    """Its legs hang from one place as a bird's two do, but six stand on the floor: many-legged, and
    sure of it (no bird reading runs it close)."""
    skeleton = run(name).skeleton
    assert skeleton.anatomy.body_plan == "many_legged"
    assert skeleton.anatomy.body_plan_confidence >= 0.7
    assert limb_counts(skeleton).get("leg") == 6


@pytest.mark.parametrize("name", ["dress_cheer", "dress_cheer_flipped"])
def test_a_person_in_a_dress_cheering_from_the_front_is_no_bird_in_profile(name):
    """A wide, plump figure on stick legs with raised arms: its arms mirror about the spine, so it is a
    biped from the front, not a bird from the side with a hand for a beak."""
    anatomy = run(name).skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view) == ("biped", "front")
