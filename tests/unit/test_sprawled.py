"""Sprawled quadrupeds and thin quadrupeds seen from the front (`core.anatomy.sprawled`,
`core.anatomy.hind_legs`, `upright.front_quadruped`), drawn figures through the real pipeline with the
geometric predictor, each also mirrored.

A lizard from the front shows a low, flat trunk end-on with its legs leaving it sideways, knees out at
the flanks, feet on the floor far apart; the upright readings took it for a side-view quadruped (its two
feet two leg groups apart, the flanks its head and tail) or a many-legged one. A rigger wants the front
quadruped's rig: the spine in depth at the trunk's middle, four legs from shoulders and hips beside it,
their knees out at the sides over the feet, a tail where one rises behind. A lean dog from the front
with its head turned aside is no biped for its outline's lack of symmetry. A table from the front (a level
top on straight legs) and a bear walking seen from the side stand on feet far apart with a bend over each,
but the tree reaches those bends level along the top or the back: no upper leg hanging from a trunk."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.anatomy.body import Body
from pointskel_blender.core.anatomy.cues import floor_legs
from pointskel_blender.core.anatomy.sprawled import sprawled_front
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.skeleton import Skeleton

SPRAWLED = af.both_facings(af.lizard_front(), af.lizard_front_tail_up())
THIN = af.both_facings(af.dog_front_head_turned())
LEVEL = af.both_facings(af.table_front(), af.bear_walking())
DRAWN = SPRAWLED | THIN | LEVEL
result = af.cached_results(DRAWN)


def skeleton(name: str) -> Skeleton:
    return result(name).skeleton


def joint(sk: Skeleton, name: str):
    return next(j for j in sk.joints if j.name == name)


def pixel(sk: Skeleton, name: str) -> np.ndarray:
    return np.asarray(joint(sk, name).pixel, dtype=np.float64)


@pytest.mark.parametrize("name", list(SPRAWLED | THIN))
def test_a_quadruped_from_the_front_reads_as_one_with_four_legs(name):
    sk = skeleton(name)
    assert (sk.anatomy.body_plan, sk.anatomy.view, sk.anatomy.facing) == ("quadruped", "front", "viewer")
    names = {j.name for j in sk.joints}
    for side in ("L", "R"):
        for bone in ("front_thigh", "front_shin", "front_foot", "thigh", "shin", "foot"):
            assert f"{bone}.{side}" in names, (bone, side, sorted(names))
    assert not any(j.part in ("arm", "leg", "limb") for j in sk.joints)


@pytest.mark.parametrize("name", list(LEVEL))
def test_legs_reached_level_along_a_table_top_or_a_back_are_no_sprawled_legs(name):
    """A table's top and a walking bear's back run level to the legs' tops: the sprawled reading (which
    read both as a lizard from the front) needs upper legs dropping from the trunk to the knees."""
    body = Body(result(name).tree, result(name).shape)
    assert len(floor_legs(body)) >= 2
    assert sprawled_front(body, floor_legs(body)) is None


@pytest.mark.parametrize("name", list(SPRAWLED))
def test_a_sprawled_leg_leaves_the_trunk_sideways_its_knee_out_over_its_foot(name):
    sk = skeleton(name)
    mask = DRAWN[name].mask
    cols = np.flatnonzero(mask.any(axis=0))
    middle = (cols[0] + cols[-1]) / 2
    floor = np.flatnonzero(mask.any(axis=1))[-1]
    for side in ("L", "R"):
        out = 1.0 if side == "L" else -1.0  # image right is the character's left
        for prefix in ("front_", ""):
            socket, knee = pixel(sk, f"{prefix}thigh.{side}"), pixel(sk, f"{prefix}shin.{side}")
            foot = pixel(sk, f"{prefix}toe_end.{side}")
            # the socket near the spine, the knee far out at the flank, the foot under the knee on the floor
            assert out * (socket[0] - middle) >= 0 and out * (knee[0] - socket[0]) > 0.1 * len(cols)
            if prefix:  # (a hind leg in sight between the front ones: its knee where the tree parts them)
                assert abs(foot[0] - knee[0]) < 0.25 * abs(knee[0] - socket[0])
            assert floor - foot[1] < 0.05 * mask.shape[0] and knee[1] < foot[1]
            assert knee[1] >= socket[1] - 0.02 * mask.shape[0]  # the upper leg runs out, not up


@pytest.mark.parametrize("name", list(SPRAWLED))
def test_a_sprawled_lizard_has_no_limb_at_its_flanks_and_its_raised_tail_is_a_tail(name):
    sk = skeleton(name)
    tail = [j for j in sk.joints if j.part == "tail"]
    if "tail_up" in name:
        rows = np.flatnonzero(DRAWN[name].mask.any(axis=1))
        assert tail and min(j.pixel[1] for j in tail) < rows[0] + 0.1 * (rows[-1] - rows[0])
    else:
        assert not tail
    legs = [j for j in sk.joints if j.part in ("front_leg", "hind_leg")]
    assert len(legs) == 4 * 5  # four legs of five joints: no toe chains, no flank limbs


CROCODILE = af.both_facings(af.crocodile_side())
crocodile = af.cached_results(CROCODILE)


@pytest.mark.parametrize("name", list(CROCODILE))
def test_a_crocodile_on_stubby_legs_is_a_side_quadruped_with_a_leg_over_each_foot(name):
    figure = CROCODILE[name]
    sk = crocodile(name).skeleton
    assert (sk.anatomy.body_plan, sk.anatomy.view, sk.anatomy.facing) == ("quadruped", "side", figure.facing)
    mask = figure.mask
    cols = np.flatnonzero(mask.any(axis=0))
    floor = np.flatnonzero(mask.any(axis=1))[-1]
    head = [j for j in sk.joints if j.part == "head"]
    tail = [j for j in sk.joints if j.part == "tail"]
    ahead = -1.0 if figure.facing == "left" else 1.0
    assert head and tail and ahead * (head[-1].pixel[0] - tail[-1].pixel[0]) > 0.5 * len(cols)
    for part in ("front_leg", "hind_leg"):
        tips = [j for j in sk.joints if j.part == part and not sk.children(sk.joints.index(j))]
        assert len(tips) == 2 and {j.side for j in tips} == {"L", "R"}  # near and far
        for tip in tips:  # on the floor, under the body between the head and the tail
            assert floor - tip.pixel[1] < 0.03 * mask.shape[0]
            assert cols[0] + 0.1 * len(cols) < tip.pixel[0] < cols[-1] - 0.1 * len(cols)
    front = np.mean([j.pixel[0] for j in sk.joints if j.part == "front_leg"])
    hind = np.mean([j.pixel[0] for j in sk.joints if j.part == "hind_leg"])
    assert ahead * (front - hind) > 0.15 * len(cols)  # the front legs toward the head


ABOVE = af.both_facings(af.lizard_top())
above = af.cached_results(ABOVE)


@pytest.mark.parametrize("name", list(ABOVE))
def test_a_lizard_from_above_has_its_legs_in_pairs_across_the_spine_and_a_tail(name):
    sk = above(name).skeleton
    assert (sk.anatomy.body_plan, sk.anatomy.view) == ("quadruped", "top")
    head = np.mean([j.pixel for j in sk.joints if j.part == "head"], axis=0)
    tail = np.mean([j.pixel for j in sk.joints if j.part == "tail"], axis=0)
    assert head[1] < tail[1]  # drawn head up, the tail down the picture
    front = {j.side: j for j in sk.joints if j.name.startswith("front_toe_end")}
    hind = {j.side: j for j in sk.joints if j.name.startswith("toe_end")}
    assert set(front) == set(hind) == {"L", "R"}
    for side, out in (("L", -1.0), ("R", 1.0)):  # seen from above, head up: its left is the image's left
        assert out * (front[side].pixel[0] - head[0]) > 0 and out * (hind[side].pixel[0] - head[0]) > 0
        assert front[side].pixel[1] < hind[side].pixel[1]  # the front legs nearer the head
    assert not any(j.part in ("arm", "leg", "limb") for j in sk.joints)


SHIPPED = LEVEL | CROCODILE | af.both_facings(af.deer_front())
# the pipeline as users run it, with the shipped model's contraction and part head
shipped = cache(lambda name: run_pipeline(image_from_array(af.rgba(SHIPPED[name].mask), source=f"{name}.png"),
                                          PipelineSettings()))


@pytest.mark.parametrize("name", list(SHIPPED))
def test_with_the_shipped_model_tables_walking_bears_crocodiles_and_deer_read_as_drawn(name):
    """With the shipped model a table from the front read as a sprawled quadruped, a walking bear from
    the side too (their legs' tops reached level along the top, the back), a crocodile on stubby legs as
    a snake (the part head's plan: a snake lies along the floor, no feet clear of it) and a deer from
    the front as a biped (one antler hung from the shoulders as a raised arm)."""
    figure, anatomy = SHIPPED[name], shipped(name).skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view) == (figure.body_plan, figure.view)
    if figure.view == "side":
        assert anatomy.facing == figure.facing
