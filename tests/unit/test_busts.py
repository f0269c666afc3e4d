"""Figures the picture's frame cuts (a bust, a face close-up, a person cropped at the knees): a tip on a cut
edge is where the body runs on off the picture, never a foot, and the figure reads as what a picture can crop
(`core.anatomy.frame`, `core.anatomy.cropped`); whole figures touch no edge and read as before."""
from __future__ import annotations

import numpy as np
import pytest
from skimage import data

from pointskel_blender.core.anatomy.body import Body
from pointskel_blender.core.anatomy.cues import floor_legs
from pointskel_blender.core.anatomy.frame import cut_tips
from pointskel_blender.core.anatomy.doubt import figure_warning
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline
from tests import anatomy_figures as af

NOT_CUT_OFF = ("leg", "front_leg", "hind_leg", "tail", "fin")


def _run(mask: np.ndarray, name: str) -> PipelineResult:
    return run_pipeline(image_from_array(af.rgba(mask), source=f"{name}.png"), PipelineSettings())


def _bust(size: int = 400) -> np.ndarray:
    """A head on a neck above shoulders and a chest the bottom edge cuts, arms along the chest."""
    p = af._Pen(size)
    p.disc(0.5, 0.25, 0.13)  # head
    p.stroke([(0.5, 0.35), (0.5, 0.55)], 0.1)  # neck
    p.ellipse(0.5, 1.0, 0.36, 0.42)  # shoulders and chest, down off the picture
    return p.mask()


def _cat_face(size: int = 400) -> np.ndarray:
    """A cat's face close up, cut by the top, bottom and left edges, an ear cut by the top."""
    p = af._Pen(size)
    p.ellipse(0.35, 0.55, 0.55, 0.6)
    p.polygon([(0.55, 0.15), (0.75, -0.05), (0.7, 0.3)])  # an ear
    return p.mask()


def _knees(size: int = 400, cut: float = 0.72) -> np.ndarray:
    """A person from the front with thick thighs (together over a fifth of the bottom edge:
    `mask_crop.CUT`), arms hanging at the sides; the frame cuts the legs at `cut` of the height (the
    whole figure: 1.0)."""
    p = af._Pen(size)
    p.disc(0.5, 0.13, 0.09)  # head
    p.stroke([(0.5, 0.2), (0.5, 0.27)], 0.05)  # neck
    p.stroke([(0.5, 0.28), (0.5, 0.5)], 0.17)  # torso
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.09, 0.29), (0.5 + side * 0.16, 0.4), (0.5 + side * 0.2, 0.5)], 0.045)  # arm
        leg = [(0.5 + side * 0.06, 0.53), (0.5 + side * 0.075, 0.7), (0.5 + side * 0.08, 0.87)]
        p.stroke(leg, 0.11)
    return p.mask()[: int(cut * size)]


def _parts(result: PipelineResult) -> list[str]:
    return [joint.part for joint in result.skeleton.joints]


def test_a_bust_is_a_bipeds_upper_body_with_no_legs_at_the_cut():
    mask = _bust()
    result = _run(mask, "bust")
    anatomy = result.skeleton.anatomy
    parts = _parts(result)
    assert anatomy.body_plan == "biped" and anatomy.body_plan_confidence >= 0.45
    assert {"spine", "neck", "head"} <= set(parts)
    assert not set(parts) & set(NOT_CUT_OFF), parts
    head = result.anatomy.positions[[i for i, part in enumerate(parts) if part == "head"]]
    assert head[:, 1].max() > result.anatomy.positions[0, 1]  # the head above the hips


def test_the_cut_tips_of_a_bust_are_no_legs_on_the_floor():
    result = _run(_bust(), "bust")
    body = Body(result.tree, result.shape)
    cut = cut_tips(body)
    assert cut and all(edge == "bottom" for edge, *_ in cut.values())
    assert not set(floor_legs(body)) & set(cut)


def test_a_face_close_up_is_no_animal_standing_on_the_frame():
    result = _run(_cat_face(), "cat_face")
    anatomy = result.skeleton.anatomy
    assert anatomy.body_plan not in ("quadruped", "fish", "serpent", "bird", "many_legged")
    assert not set(_parts(result)) & set(NOT_CUT_OFF)
    assert figure_warning(result.skeleton)  # nothing a rig can trust: the user is told


def test_a_person_cropped_at_the_knees_keeps_two_legs_with_no_feet_at_the_cut():
    result = _run(_knees(), "knees")
    body = Body(result.tree, result.shape)
    assert len(cut_tips(body)) == 2
    legs = [j.name for j in result.skeleton.joints if j.part == "leg"]
    assert result.skeleton.anatomy.body_plan == "biped"
    assert sorted(legs) == ["shin.L", "shin.R", "shin_end.L", "shin_end.R", "thigh.L", "thigh.R"]
    names = [j.name for j in result.skeleton.joints]
    ends = result.anatomy.positions[[names.index("shin_end.L"), names.index("shin_end.R")]]
    thigh = 0.11 * 400  # the shins run down to the cut, within a thigh's half width of it
    assert (result.shape.frame.to_pixels(ends)[:, 1] > result.image.height - 0.6 * thigh).all()


def test_the_same_person_whole_keeps_its_feet():
    result = _run(_knees(cut=1.0), "whole")
    names = [j.name for j in result.skeleton.joints]
    assert result.skeleton.anatomy.body_plan == "biped" and {"foot.L", "foot.R"} <= set(names)


@pytest.mark.parametrize("figure", [af.walker_front, af.walker_side, af.humanoid_tpose, af.dog])
def test_whole_figures_touch_no_edge_and_keep_their_feet(figure):
    character = figure(400)
    result = _run(character.mask, character.name)
    body = Body(result.tree, result.shape)
    assert cut_tips(body) == {}
    assert result.skeleton.anatomy.body_plan == character.body_plan
    assert any(j.part in ("leg", "front_leg", "hind_leg") for j in result.skeleton.joints)


def _photo(image: np.ndarray, name: str) -> PipelineResult:
    return run_pipeline(image_from_array(image, source=f"{name}.png"), PipelineSettings())


def test_the_astronaut_is_a_bust_not_a_biped_standing_on_the_frame():
    result = _photo(data.astronaut(), "astronaut")
    anatomy = result.skeleton.anatomy
    parts = _parts(result)
    assert anatomy.body_plan == "biped" and {"spine", "neck", "head"} <= set(parts)
    assert "leg" not in parts and not any("foot" in j.name for j in result.skeleton.joints)


def test_chelsea_is_no_quadruped_or_fish():
    result = _photo(data.chelsea(), "chelsea")
    anatomy = result.skeleton.anatomy
    assert anatomy.body_plan not in ("quadruped", "fish")
    assert not set(_parts(result)) & set(NOT_CUT_OFF)
    assert figure_warning(result.skeleton)
