"""A quadruped seen from the front gets a four-legged rig whose body runs away from the viewer
(`core.anatomy.hind_legs`): the hips behind the chest, the spine forward from them to the chest, the
front legs at the chest and the hind legs, hidden behind the front ones, at the hips, their feet on the
same floor. Drawn figures through the real pipeline with the geometric predictor: a lean dog, a plush
bear on all fours (chunky) and a deep-chested dog whose legs part low, each also mirrored."""
from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.anatomy.body import Body
from pointskel_blender.core.anatomy.bones import build
from pointskel_blender.core.anatomy.hind_legs import ELBOW, HOCK, SOCKET, STIFLE, TRUNK, WRIST, in_depth
from pointskel_blender.core.anatomy.plan import classify
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.skeleton import Skeleton

FIGURES = (af.dog_front(), af.bear_front(), af.dog_front_deep_chest())
DRAWN = af.both_facings(*FIGURES)
NAMES = list(DRAWN)


@cache
def skeleton(name: str) -> Skeleton:
    image = image_from_array(af.rgba(DRAWN[name].mask), source=f"{name}.png")
    out = run_pipeline(image, PipelineSettings(predictor="geometric")).skeleton
    assert (out.anatomy.body_plan, out.anatomy.view) == ("quadruped", "front")
    return out


def joint(sk: Skeleton, name: str):
    return next(j for j in sk.joints if j.name == name)


def blender(position) -> np.ndarray:
    """The contract's front view frame -> Blender's (the character faces -Y): (x, -z, y)."""
    x, y, z = position
    return np.array([x, -z, y])


def spine_chain(sk: Skeleton) -> list[int]:
    """The spine joints from the hips (joint 0) to the chest, in order."""
    chain = [0]
    while True:
        nxt = [i for i in sk.children(chain[-1]) if sk.joints[i].part == "spine"]
        if not nxt:
            return chain
        chain.append(nxt[0])


@pytest.mark.parametrize("name", NAMES)
def test_a_front_view_quadruped_has_four_legs_named_as_rigifys_quadruped(name):
    names = {j.name for j in skeleton(name).joints}
    for side in ("L", "R"):
        for bone in ("front_thigh", "front_shin", "front_foot", "front_toe",
                     "thigh", "shin", "foot", "toe"):
            assert f"{bone}.{side}" in names, (bone, side, sorted(names))
    assert not any(n.startswith(("thigh_b", "front_thigh_b")) for n in names)  # one pair each


@pytest.mark.parametrize("name", NAMES)
def test_the_hind_feet_stand_on_the_front_feets_floor_behind_them(name):
    sk = skeleton(name)
    height = float(np.ptp([j.position[1] for j in sk.joints]))
    for side in ("L", "R"):
        front, hind = joint(sk, f"front_toe_end.{side}"), joint(sk, f"toe_end.{side}")
        # the same place in the picture: hidden behind the front foot, on the same floor
        assert np.allclose(front.pixel, hind.pixel, atol=1.0), (front.pixel, hind.pixel)
        assert abs(blender(front.position)[2] - blender(hind.position)[2]) < 1e-3
        # behind it in Blender (+Y: the character faces -Y), by about the trunk's length
        behind = blender(hind.position)[1] - blender(front.position)[1]
        assert 0.5 * TRUNK * height < behind < 2 * TRUNK * height, behind
        # the hip above the knee above the foot: a leg standing, not folded
        ys = [blender(joint(sk, f"{b}.{side}").position)[2] for b in ("thigh", "shin", "foot", "toe")]
        assert ys == sorted(ys, reverse=True), ys


@pytest.mark.parametrize("name", NAMES)
def test_the_hidden_hind_legs_have_their_own_stifle_and_hock(name):
    # a hind leg's joints sit at its own heights, not on the front leg's line cut again (the hock well
    # above the paw), and its toes point at the viewer as the front paws do
    sk = skeleton(name)
    for side in ("L", "R"):
        hip, stifle, hock, toe, tip = (blender(joint(sk, f"{b}.{side}").position)
                                       for b in ("thigh", "shin", "foot", "toe", "toe_end"))
        rise = hip[2] - toe[2]
        assert abs((stifle[2] - toe[2]) / rise - STIFLE) < 0.02, (stifle, toe, rise)
        assert abs((hock[2] - toe[2]) / rise - HOCK) < 0.02, (hock, toe, rise)
        assert np.isclose(tip[2], toe[2]) and tip[1] < toe[1] - 0.05 * rise  # along the floor, forward (-Y)


@pytest.mark.parametrize("name", NAMES)
def test_the_front_legs_pivot_at_the_chest_with_the_elbow_and_wrist_at_their_own_heights(name):
    # the shoulder where the leg leaves the chest (a lean dog's legs fork lower, under the chest: the
    # shoulders sat at the fork), the elbow halfway down, the wrist near the ground, the paw pointing
    # at the viewer as the hind paws do
    sk = skeleton(name)
    back = blender(sk.joints[0].position)[2]
    for side in ("L", "R"):
        names = ("front_thigh", "front_shin", "front_foot", "front_toe", "front_toe_end")
        shoulder, elbow, wrist, toe, tip = (blender(joint(sk, f"{b}.{side}").position) for b in names)
        rise = shoulder[2] - toe[2]
        # at the socket, `SOCKET` of the way down from the back to the outline's floor (under the paw)
        assert shoulder[2] > back - 1.25 * SOCKET * (back - toe[2]), (shoulder, back, toe)
        assert abs((elbow[2] - toe[2]) / rise - ELBOW) < 0.02, (elbow, toe, rise)
        assert abs((wrist[2] - toe[2]) / rise - WRIST) < 0.02, (wrist, toe, rise)
        assert np.isclose(tip[2], toe[2]) and tip[1] < toe[1] - 0.05 * rise  # along the floor, forward (-Y)
    shoulders = [blender(joint(sk, f"front_thigh.{side}").position)[2] for side in ("L", "R")]
    assert abs(shoulders[0] - shoulders[1]) < 0.01 * (back - toe[2])  # level, in either facing


@pytest.mark.parametrize("name", NAMES)
def test_the_spine_runs_forward_from_the_hips_behind_to_the_chest(name):
    sk = skeleton(name)
    chain = spine_chain(sk)
    assert sk.joints[0].name == "spine" and len(chain) >= 3
    ys = [blender(sk.joints[i].position)[1] for i in chain]
    assert all(b < a for a, b in zip(ys, ys[1:])), ys  # each spine bone points forward (-Y)
    neck = next(i for i in sk.children(chain[-1]) if sk.joints[i].part in ("neck", "head"))
    assert blender(sk.joints[neck].position)[1] < ys[-1]  # the neck starts at the chest's front
    # a level back: the spine runs in depth, not up the picture
    assert np.ptp([sk.joints[i].position[1] for i in chain]) < 1e-6
    hips = blender(sk.joints[0].position)
    for side in ("L", "R"):
        front = blender(joint(sk, f"front_thigh.{side}").position)
        assert hips[1] > front[1]  # the hips behind the shoulders


@pytest.mark.parametrize("name", NAMES)
def test_the_front_legs_hang_from_the_chest_and_the_hind_legs_from_the_hips(name):
    sk = skeleton(name)
    chest = spine_chain(sk)[-1]
    for side in ("L", "R"):
        assert joint(sk, f"front_thigh.{side}").parent == chest
        assert joint(sk, f"thigh.{side}").parent == 0
        # the hip socket beside the hips, on its leg's side of the spine, level with the back
        thigh, hips = joint(sk, f"thigh.{side}").position, sk.joints[0].position
        assert np.isclose(thigh[2], hips[2]) and np.isclose(thigh[1], hips[1])
        assert (thigh[0] - hips[0]) * (1 if side == "L" else -1) > 0  # image right is the character's left


def test_a_biped_from_the_front_keeps_its_spine_in_the_picture():
    image = image_from_array(af.rgba(af.humanoid_tpose().mask), source="tpose.png")
    sk = run_pipeline(image, PipelineSettings(predictor="geometric")).skeleton
    assert sk.anatomy.body_plan == "biped"
    assert not any(j.part == "hind_leg" for j in sk.joints)
    assert np.ptp([j.position[2] for j in sk.joints if j.part == "spine"]) < 1e-6


def test_hind_legs_the_picture_shows_move_back_to_the_hips_and_get_no_copies():
    # the reading found hind legs in the picture (`upright.front_quadruped`: other limbs reaching the
    # floor); stand-ins here: the drawn dog's front legs read a second time as hind legs
    result = run_pipeline(image_from_array(af.rgba(af.dog_front().mask), source="dog_front.png"),
                          PipelineSettings(predictor="geometric"))
    body = Body(result.tree, result.shape)
    layout, _ = classify(body)
    assert in_depth(layout)
    shown = [replace(m, part="hind_leg", group="hind_leg") for m in layout.limbs if m.part == "front_leg"]
    layout.limbs += shown
    out = build(body, layout)
    hind = [k for k in range(len(out)) if out.parts[k] == "hind_leg"]
    firsts = [k for k in hind if out.parts[out.parents[k]] != "hind_leg"]
    assert len(firsts) == len(shown) == 2  # the two shown, no hidden copies besides
    assert all(out.parents[k] == 0 for k in firsts)  # from the hips
    assert all(np.isclose(out.positions[k][2], out.positions[0][2]) for k in hind)  # at their depth
    assert out.positions[0][2] < -0.5 * TRUNK * body.height
