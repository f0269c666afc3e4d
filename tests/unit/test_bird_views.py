"""Birds from the side (drawn, through the real pipeline with the geometric predictor), both facings:
both wings raised in a V from one shoulder overlap from the shoulder out, so the tree has one wing with
a long branch; that branch is the far wing (a wing of its own from the body, the other side), not an
unnamed limb hanging off the near wing's hand. A flight feather standing out of a wing's hand (a short
branch) is part of the wing: no limb, no tip. The tail is what leaves the rump level, not a raised
wing's tip reaching as far back."""
from __future__ import annotations

from functools import cache

import pytest

import anatomy_figures as af
from pointskel_blender.core.pipeline import PipelineResult
from test_anatomy_figures import limb_counts

FIGURES = {c.name: c for c in (af.bird_wings_raised(), af.bird_wings_raised().flipped())}


@cache
def run(name: str) -> PipelineResult:
    return af.drawn_result(FIGURES[name])


def _wing_roots(skeleton) -> list:
    joints = skeleton.joints
    return [j for j in joints if j.part == "wing" and (j.parent is None or joints[j.parent].part != "wing")]


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_side_view_birds_two_raised_wings_are_both_wings_one_on_each_side(name):
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("bird", "side", FIGURES[name].facing)
    roots = _wing_roots(skeleton)
    assert len(roots) == 2, [j.name for j in skeleton.joints]  # two wings from the body, not a branch
    assert sorted(j.side for j in roots) == ["L", "R"]
    for root in roots:  # three bones each: wing, wing.001, wing.002, then the tip
        chain = [j for j in skeleton.joints if j.part == "wing" and j.side == root.side]
        assert len(chain) == 4, [j.name for j in chain]


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_flight_feather_is_no_limb_and_the_tail_leaves_the_rump_level(name):
    skeleton = run(name).skeleton
    joints = skeleton.joints
    assert limb_counts(skeleton) == FIGURES[name].limbs  # no unnamed limb for the feather
    assert not [j.name for j in joints if j.part == "limb"]
    tips = [j for i, j in enumerate(joints) if not skeleton.children(i)]
    tail_tips = [j for j in tips if j.part == "tail"]
    assert len(tail_tips) == 1
    wing_tips = [j.pixel[1] for j in tips if j.part == "wing"]
    assert tail_tips[0].pixel[1] > max(wing_tips) + 0.1 * len(FIGURES[name].mask)  # (image y down) well below
