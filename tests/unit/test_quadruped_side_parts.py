"""Parts of side-view quadrupeds (drawn, through the real pipeline with the geometric predictor, both
facings): an ear too small for the medial tree to fork into still gets its bone, read off the head's
outline; a long ear standing up off the back of the head is an ear, not a generic limb, and the head
bone starts under the ears, not ahead of them, and ends at the nose (a long muzzle, a horse's held
down), not up an ear; the hips sit
in the rump, not forward where the hind legs fork off the tree, and the tail starts behind them; a
hind leg stepping forward under the belly is a hind leg."""
from __future__ import annotations

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.anatomy.body import Body
from pointskel_blender.core.anatomy.cues import floor_legs, leg_groups
from pointskel_blender.core.anatomy.level import quadruped
from test_anatomy_figures import chains, limb_counts, third_party

FIGURES = (af.cat_small_ear(), af.hare_side(), af.fox_side(), af.bear_side(), af.pig_side(),
           af.bear_walking())
DRAWN = af.both_facings(*FIGURES)
run = af.cached_results(DRAWN)
SIZE = 400  # the figures' canvas, pixels

# where each figure's ear ends, in canvas fractions (facing left; `anatomy_figures`)
EAR_TOPS = {"cat_small_ear": (0.237, 0.27), "hare_side": (0.3, 0.145)}


def _canvas(name: str, point: tuple[float, float]) -> np.ndarray:
    """A point of a figure drawn facing left, in pixels of `name` (its mirror image for a flipped one)."""
    x, y = point[0] * SIZE, point[1] * SIZE
    return np.array([SIZE - x if name.endswith("_flipped") else x, y])


@pytest.mark.parametrize("name", ["cat_small_ear", "cat_small_ear_flipped", "hare_side", "hare_side_flipped"])
def test_an_ear_on_a_side_view_quadrupeds_head_is_an_ear_off_the_head_on_the_near_side(name):
    character = DRAWN[name]
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("quadruped", "side", character.facing)
    assert limb_counts(skeleton) == character.limbs
    assert "limb" not in {j.part for j in skeleton.joints}  # the hare's long ear is no generic limb
    ear = next(c for c in chains(skeleton) if skeleton.joints[c[0]].part == "ear")
    root, tip = skeleton.joints[ear[0]], skeleton.joints[ear[-1]]
    assert skeleton.joints[root.parent].part == "head"
    assert root.side == {"left": "L", "right": "R"}[character.facing]  # a figure facing left shows its left
    top = _canvas(name, EAR_TOPS[name.removesuffix("_flipped")])
    assert np.linalg.norm(np.array(tip.pixel) - top) <= 0.025 * SIZE
    assert tip.pixel[1] < root.pixel[1]  # standing up


@pytest.mark.parametrize("name", ["fox_side", "fox_side_flipped", "hare_side", "hare_side_flipped"])
def test_a_side_view_quadrupeds_head_bone_starts_under_its_ears(name):
    character = DRAWN[name]
    skeleton = run(name).skeleton
    assert limb_counts(skeleton) == character.limbs
    head = next(j for i, j in enumerate(skeleton.joints) if j.part == "head" and skeleton.children(i))
    ear = next(j for j in skeleton.joints if j.part == "ear" and skeleton.joints[j.parent].part != "ear")
    # the skull's base lies under the ears (a fox's long muzzle ahead of them is the head's, not its neck's)
    assert abs(head.pixel[0] - ear.pixel[0]) <= 0.03 * SIZE
    # and the head ends at the nose, ahead, not up the ear
    end = next(j for j in skeleton.joints if j.part == "head" and skeleton.joints[j.parent] is head)
    ahead = -1.0 if character.facing == "left" else 1.0
    assert ahead * (end.pixel[0] - ear.pixel[0]) >= 0.1 * SIZE


@pytest.mark.parametrize("name", ["bear_side", "bear_side_flipped", "pig_side", "pig_side_flipped"])
def test_a_side_view_quadrupeds_hips_sit_in_its_rump_and_its_tail_starts_behind_them(name):
    character = DRAWN[name]
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("quadruped", "side", character.facing)
    back = 1.0 if character.facing == "left" else -1.0  # image x toward the rump
    hips = skeleton.joints[skeleton.root]
    rear = _canvas(name, (0.77, 0.45))[0]  # the oval body's rear end, 0.13 of the canvas deep each side
    joints = skeleton.joints
    thighs = [j for j in joints if j.part == "hind_leg" and joints[j.parent].part == "spine"]
    assert thighs and all(j.parent == skeleton.root for j in thighs)  # the hind legs hang off the hips
    # the pelvis is a disc of the rump's thickness in from its rear (the tree forks into the hind legs
    # 0.2 of the canvas in front of it), and behind where the hind legs leave the body
    assert 0.5 * 0.13 * SIZE <= back * (rear - hips.pixel[0]) <= 1.25 * 0.13 * SIZE
    assert all(back * (hips.pixel[0] - j.pixel[0]) > 0 for j in thighs)
    tail = [j for j in skeleton.joints if j.part == "tail" and j.parent == skeleton.root]
    assert len(tail) == character.limbs.get("tail", 0)
    assert all(back * (j.pixel[0] - hips.pixel[0]) > 0 for j in tail)


@pytest.mark.parametrize("name", ["bear_walking", "bear_walking_flipped"])
def test_a_hind_leg_stepping_forward_under_the_belly_is_a_hind_leg_of_the_quadruped_reading(name):
    result = run(name)
    body = Body(result.tree, result.shape)
    groups = leg_groups(body, floor_legs(body))
    assert len(groups) == 3  # the front pair, the far hind leg ahead, the near one back
    layout = quadruped(body, groups)
    assert layout is not None and layout.facing == DRAWN[name].facing
    legs = sorted((m for m in layout.limbs if m.parent < 0 and m.part.endswith("_leg")),
                  key=lambda m: body.xy[m.joints[-1], 0] * (1.0 if layout.facing == "left" else -1.0))
    assert [m.part for m in legs] == ["front_leg", "front_leg", "hind_leg", "hind_leg"]  # head end first


@pytest.mark.parametrize("name", ["bear_walking", "bear_walking_flipped"])
def test_a_quadruped_walking_on_four_legs_in_three_groups_reads_as_one_from_the_side(name):
    """Four legs on the floor in three groups are a walking quadruped's two pairs, one apart, not an
    insect's three: its side reading loses nothing for the third group (it lost to a many-legged
    reading from above)."""
    anatomy = run(name).skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("quadruped", "side", DRAWN[name].facing)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["horse", "horse_flipped"])
def test_a_third_party_horses_head_ends_at_its_muzzle_held_down_not_up_an_ear(name):
    """scikit-image's horse holds its head with the muzzle pointing down and ahead, its ears up: the
    head bone runs from the poll down to the muzzle, the ears rise off it (the mirrored horse's spine
    had run up an ear, its muzzle an ear hanging down)."""
    skeleton = third_party(name)
    assert skeleton.anatomy.facing == ("right" if name == "horse" else "left")
    ahead = 1.0 if name == "horse" else -1.0
    head = next(i for i, j in enumerate(skeleton.joints) if j.part == "head" and skeleton.children(i))
    end = skeleton.joints[next(i for i in skeleton.children(head) if skeleton.joints[i].part == "head")]
    base = skeleton.joints[head]
    assert end.pixel[1] > base.pixel[1] and ahead * (end.pixel[0] - base.pixel[0]) > 0  # down and ahead
    ears = [c for c in chains(skeleton) if skeleton.joints[c[0]].part == "ear"]
    assert ears and all(skeleton.joints[c[-1]].pixel[1] < base.pixel[1] for c in ears)  # up
