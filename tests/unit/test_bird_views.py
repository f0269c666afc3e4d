"""Birds from the side (drawn, through the real pipeline with the geometric predictor): both wings
raised in a V from one shoulder overlap from the shoulder out, so the tree has one wing with a long
branch; that branch is the far wing (a wing of its own from the body, the other side), not an unnamed
limb hanging off the near wing's hand; both facings."""
from __future__ import annotations

from functools import cache

import pytest

import anatomy_figures as af
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline

FIGURES = {c.name: c for c in (af.bird_wings_raised(), af.bird_wings_raised().flipped())}


@cache
def run(name: str) -> PipelineResult:
    image = image_from_array(af.rgba(FIGURES[name].mask), source=f"{name}.png")
    return run_pipeline(image, PipelineSettings(predictor="geometric"))


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_side_view_birds_two_raised_wings_are_both_wings_one_on_each_side(name):
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("bird", "side", FIGURES[name].facing)
    wings = [j for j in skeleton.joints if j.part == "wing"]
    roots = [j for j in wings if j.parent is None or skeleton.joints[j.parent].part != "wing"]
    assert len(roots) == 2, [j.name for j in wings]  # two wings from the body, not one with a branch
    assert sorted(j.side for j in roots) == ["L", "R"]
    joints = skeleton.joints
    on_wings = [j.name for j in joints if j.part == "limb" and joints[j.parent].part == "wing"]
    assert not on_wings  # no unnamed limb left hanging off the near wing
    for root in roots:  # three bones each: wing, wing.001, wing.002, then the tip
        chain = [j for j in wings if j.side == root.side]
        assert len(chain) == 4, [j.name for j in chain]
