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


def _knees(size: int = 400) -> np.ndarray:
    """A stocky person from the front whose thick thighs the bottom edge cuts above the knees (together
    over a fifth of the edge: `mask_crop.CUT`), arms hanging at the sides."""
    p = af._Pen(size)
    p.disc(0.5, 0.12, 0.07)  # head
    p.stroke([(0.5, 0.18), (0.5, 0.25)], 0.06)  # neck
    p.stroke([(0.5, 0.28), (0.5, 0.52)], 0.24)  # torso
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.13, 0.3), (0.5 + side * 0.19, 0.42), (0.5 + side * 0.2, 0.55)], 0.06)  # arm
        p.stroke([(0.5 + side * 0.065, 0.55), (0.5 + side * 0.09, 0.9)], 0.12)  # thigh, off the picture
    return p.mask()[: int(0.75 * size)]


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


def test_a_person_cropped_at_the_knees_keeps_two_legs():
    result = _run(_knees(), "knees")
    body = Body(result.tree, result.shape)
    assert len(cut_tips(body)) == 2
    anatomy = result.skeleton.anatomy
    thighs = [j for j in result.skeleton.joints if j.part == "leg" and j.name.startswith("thigh")]
    assert anatomy.body_plan == "biped" and len(thighs) == 2


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
