"""One head bone spans the head, from the neck to the crown.

A biped seen from the side holds its round head upright: one head bone from the neck straight up to the
crown (`bones._upright_side_head`), not to a nose or a bun the medial path runs to (drawn people's head
bones ran 68-100 degrees from upright, a plush's 45 up to the back of its head), while a long head (a
T-rex's snout) keeps its bone along it. The product's reading (the shipped model), as the rigger's
checklist runs it."""
from __future__ import annotations

import math

import numpy as np
import pytest

import anatomy_figures as af
import posing_figures as pf
from functools import cache

from anatomy_figures import both_facings
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline

ROUND = both_facings(af.walker_side(), af.forearm_ahead_side(), af.dress_side(), af.mini_skirt_side(),
                     af.stub_foot_side(), pf.big_head_chibi_side())
LONG = both_facings(pf.trex_side())
BULGING = both_facings(pf.penguin_front(), pf.bean_person())
DRAWN = {**ROUND, **LONG, **BULGING}


@cache
def run(name: str):
    return run_pipeline(image_from_array(af.rgba(DRAWN[name].mask), source=f"{name}.png"), PipelineSettings())


def _head(name: str) -> tuple[np.ndarray, np.ndarray, float]:
    """(base, end, tilt in degrees from upright) of the head bone, in image pixels."""
    skeleton = run(name).skeleton
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("biped", "side")
    base, end = (np.array(skeleton.joints[skeleton.index(n)].pixel) for n in ("head", "head_end"))
    step = end - base
    return base, end, math.degrees(math.atan2(abs(step[0]), -step[1]))


@pytest.mark.parametrize("name", sorted(ROUND))
def test_a_round_head_seen_from_the_side_has_an_upright_head_bone_to_the_crown(name):
    base, end, tilt = _head(name)
    assert tilt <= 30.0
    mask = ROUND[name].mask
    column = mask[:, int(round(end[0]))]
    crown = int(np.argmax(column[: int(base[1])]))  # the outline's top above the bone's end
    assert end[1] - crown <= 0.03 * mask.shape[0]


@pytest.mark.parametrize("name", sorted(LONG))
def test_a_long_head_keeps_its_bone_along_the_snout(name):
    base, end, tilt = _head(name)
    assert tilt > 60.0
    facing = LONG[name].facing
    assert (end[0] < base[0]) == (facing == "left")


@pytest.mark.parametrize("name", sorted(BULGING))
def test_a_head_the_medial_path_never_enters_gets_a_bone_to_its_crown(name):
    """A penguin's or a plush bean's head bulges from the top of its body with no pinch: the medial path
    stops at the body's top, and the head bone, run on by one body radius, stopped 24 % of the height
    short of the crown (`bones._crowned`: with no ear or horn on its line it runs on to the outline). A
    bird seen from the front points its head at the viewer (`bones._snout`): its beak is no crown."""
    skeleton = run(name).skeleton
    if skeleton.anatomy.body_plan != "biped":
        assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("bird", "front")
        return
    end = skeleton.joints[skeleton.index("head_end")].pixel
    mask = BULGING[name].mask
    rows = np.flatnonzero(mask[:, int(round(end[0]))])
    assert end[1] - rows[0] <= 0.03 * mask.shape[0]
