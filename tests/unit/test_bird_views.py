"""Birds from the side (drawn, through the real pipeline with the geometric predictor), both facings:
both wings raised in a V from one shoulder overlap from the shoulder out, so the tree has one wing with
a long branch; that branch is the far wing (a wing of its own from the body, the other side), not an
unnamed limb hanging off the near wing's hand. A flight feather standing out of a wing's hand (a short
branch) is part of the wing: no limb, no tip. The tail is what leaves the rump level, not a raised
wing's tip reaching as far back. Wings folded on the body (the outline shows none) lie over it from
the shoulder back to the rump, both of them: beside a tail fan raised from the rump, and on a bird
holding its neck level."""
from __future__ import annotations

from functools import cache

import numpy as np
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


FOLDED = af.both_facings(af.bird_tail_fan(), af.bird_level())
folded = af.cached_results(FOLDED)


@pytest.mark.parametrize("name", sorted(FOLDED))
def test_a_side_view_birds_folded_wings_lie_over_its_body_back_to_its_rump(name):
    """A tail fan raised from the rump is no wing (it leaves the body behind the hips; a wing pivots at
    the shoulder), and a bird holding its neck level on stick legs is no lizard: each has both wings
    folded on its body, from the shoulder back to where the rump narrows into the tail."""
    figure = FOLDED[name]
    skeleton = folded(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("bird", "side", figure.facing)
    assert limb_counts(skeleton) == figure.limbs
    size = len(figure.mask)
    x, y = af.BIRD_RUMP
    rump = np.array([(1.0 - x if name.endswith("_flipped") else x) * size, y * size])
    joints = skeleton.joints
    wings = [j for j in joints if j.part == "wing"]
    assert all(figure.mask[int(j.pixel[1]), int(j.pixel[0])] for j in wings)  # on the body, not the fan
    tips = [j for i, j in enumerate(joints) if j.part == "wing" and not skeleton.children(i)]
    assert sorted(j.side for j in tips) == ["L", "R"]
    for tip in tips:
        assert np.linalg.norm(np.asarray(tip.pixel[:2]) - rump) <= 0.075 * size, tip.pixel


@pytest.mark.parametrize("name", ["bird_tail_fan", "bird_tail_fan_flipped"])
def test_a_raised_tail_fan_makes_a_bird_as_sure_as_a_raised_wing_does(name):
    """The fan is no wing, but as much a bird's: without its share the side reading lost to one that
    took the real tail for a lifted leg (dev2: a wader displaying its fan)."""
    wing = af.bird().flipped() if name.endswith("_flipped") else af.bird()
    sure = af.drawn_result(wing).skeleton.anatomy.body_plan_confidence
    assert folded(name).skeleton.anatomy.body_plan_confidence >= sure
