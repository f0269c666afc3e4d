"""Limbs a side view's outline hides (`core.anatomy.tucked`), on drawn figures through the real pipeline
with the geometric predictor: arms held down hang over the torso's middle from the chest's top, their
clavicles running out in depth; under a cape or a cloak (a hem read) they reach the hips; a figure whose
arms are raised over its head (the tree carries the spine up them) gets them raised, none guessed down its
torso; a person's hidden arms are longer than a plush figure's."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.skeleton import Skeleton
from test_anatomy_figures import limb_counts


def caped_side(size: int = 400) -> af.Character:
    """A biped from the side, facing left, in a cape flaring from its neck to a round hem over its
    hips, its arms hidden under it, two legs striding below, feet pointing left."""
    p = af._Pen(size)
    p.disc(0.5, 0.14, 0.075)  # head
    p.stroke([(0.5, 0.2), (0.5, 0.26)], 0.05)  # neck
    p.polygon([(0.48, 0.24), (0.52, 0.24), (0.62, 0.45), (0.38, 0.45)])  # the cape, flaring
    p.ellipse(0.5, 0.47, 0.13, 0.09)  # its round hem
    for knee, ankle in (((0.45, 0.7), (0.41, 0.87)), ((0.55, 0.7), (0.58, 0.87))):
        p.stroke([(0.5, 0.55), knee, ankle], 0.06)
        p.stroke([(ankle[0] + 0.01, ankle[1] + 0.025), (ankle[0] - 0.065, ankle[1] + 0.03)], 0.04)
    return af.Character("caped_side", p.mask(), "biped", "side", "left", {"head": 1, "arm": 2, "leg": 2})


def cloak_side(size: int = 400) -> af.Character:
    """A biped with a chibi's big head (over a quarter of its height) from the side, facing left, in a
    cloak from its neck to a hem slanting down behind to a corner, its arms hidden under it, two legs
    striding out below: the outline flares under the hem's corner, not over the hips."""
    p = af._Pen(size)
    p.disc(0.5, 0.19, 0.11)  # head
    p.stroke([(0.5, 0.28), (0.5, 0.33)], 0.05)  # neck
    p.polygon([(0.45, 0.31), (0.55, 0.31), (0.66, 0.78), (0.4, 0.7)])  # the cloak
    for knee, ankle in (((0.44, 0.78), (0.36, 0.86)), ((0.55, 0.78), (0.56, 0.88))):
        p.stroke([(0.5, 0.6), knee, ankle], 0.05)
        p.stroke([(ankle[0] + 0.01, ankle[1] + 0.015), (ankle[0] - 0.06, ankle[1] + 0.02)], 0.035)
    return af.Character("cloak_side", p.mask(), "biped", "side", "left", {"head": 1, "arm": 2, "leg": 2})


def cheer_side(size: int = 400) -> af.Character:
    """A biped from the side, facing left (a nose), both arms raised straight over its head, one
    behind the other: the tree runs the spine up them past the small head."""
    p = af._Pen(size)
    p.disc(0.5, 0.2, 0.06)  # head
    p.disc(0.445, 0.205, 0.014)  # nose
    p.stroke([(0.5, 0.25), (0.5, 0.31)], 0.05)  # neck
    p.stroke([(0.5, 0.32), (0.5, 0.55)], 0.11)  # torso
    p.stroke([(0.52, 0.33), (0.53, 0.19), (0.53, 0.05)], 0.045)  # the raised arms
    for knee, ankle in (((0.44, 0.72), (0.39, 0.88)), ((0.55, 0.72), (0.6, 0.88))):
        p.stroke([(0.5, 0.56), knee, ankle], 0.065)
        p.stroke([(ankle[0] + 0.01, ankle[1] + 0.025), (ankle[0] - 0.065, ankle[1] + 0.03)], 0.04)
    return af.Character("cheer_side", p.mask(), "biped", "side", "left", {"head": 1, "arm": 2, "leg": 2})


def person_side(size: int = 400) -> af.Character:
    """A person of adult proportions (the head about an eighth of the height) from the side, facing
    left (a nose), walking with the arms straight down at the sides, so the outline shows none."""
    p = af._Pen(size)
    p.disc(0.5, 0.1, 0.055)  # head
    p.disc(0.447, 0.105, 0.012)  # nose
    p.stroke([(0.5, 0.15), (0.5, 0.2)], 0.04)  # neck
    p.stroke([(0.5, 0.22), (0.5, 0.5)], 0.085)  # torso
    for knee, ankle in (((0.45, 0.7), (0.42, 0.9)), ((0.55, 0.7), (0.58, 0.9))):  # walking
        p.stroke([(0.5, 0.5), knee, ankle], 0.05)
        p.stroke([(ankle[0] + 0.01, ankle[1] + 0.02), (ankle[0] - 0.06, ankle[1] + 0.025)], 0.035)
    return af.Character("person_side", p.mask(), "biped", "side", "left", {"head": 1, "arm": 2, "leg": 2})


FIGURES = {c.name: c for c in (caped_side(), cloak_side(), cheer_side(), person_side(), af.plush_side())}
FIGURES |= {c.name: c for c in [c.flipped() for c in FIGURES.values()]}


@cache
def skeleton_of(name: str) -> Skeleton:
    image = image_from_array(af.rgba(FIGURES[name].mask), source=f"{name}.png")
    skeleton = run_pipeline(image, PipelineSettings(predictor="geometric")).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("biped", "side", FIGURES[name].facing)
    return skeleton


def pixel(skeleton: Skeleton, name: str) -> np.ndarray:
    return np.array(skeleton.joints[skeleton.index(name)].pixel)


def distance_to_polyline(point: np.ndarray, line: np.ndarray) -> float:
    a, b = line[:-1], line[1:]
    along = np.einsum("ij,ij->i", point - a, b - a) / np.maximum(np.sum((b - a) ** 2, axis=1), 1e-12)
    t = np.clip(along, 0, 1)
    return float(np.min(np.linalg.norm(a + t[:, None] * (b - a) - point, axis=1)))


@pytest.mark.parametrize("name", ["plush_side", "plush_side_flipped"])
def test_tucked_arms_hang_over_the_torsos_middle_from_the_chests_top(name):
    """Seen from the side, an arm held at the side of the torso lies over its middle: every joint of
    both guessed arms on the spine's line (within 1 % of the image), the shoulders in the torso's top
    quarter, each clavicle a bone of its own running out in depth to the arm's socket."""
    skeleton = skeleton_of(name)
    assert limb_counts(skeleton).get("arm") == 2
    spine = np.array([j.pixel for j in skeleton.joints if j.part == "spine"] + [pixel(skeleton, "neck")])
    size = FIGURES[name].mask.shape[0]
    for joint in skeleton.joints:
        if joint.part == "arm":
            assert distance_to_polyline(np.array(joint.pixel), spine) <= 0.01 * size, joint.name
    neck, hips = pixel(skeleton, "neck")[1], skeleton.joints[0].pixel[1]
    for side in "LR":
        shoulder = skeleton.joints[skeleton.index(f"shoulder.{side}")]
        socket = skeleton.joints[skeleton.index(f"upper_arm.{side}")]
        assert neck < shoulder.pixel[1] < neck + 0.25 * (hips - neck)
        assert np.linalg.norm(np.subtract(socket.position, shoulder.position)) > 1e-3


@pytest.mark.parametrize("name", ["caped_side", "caped_side_flipped"])
def test_arms_hidden_under_a_cape_hang_to_the_hips(name):
    """The outline flares from the neck to a hem over the hips: both arms hang under it from the
    chest's top, their hands at the hips' height (within 5 % of the torso)."""
    skeleton = skeleton_of(name)
    assert limb_counts(skeleton) == FIGURES[name].limbs
    neck, hips = pixel(skeleton, "neck")[1], skeleton.joints[0].pixel[1]
    for side in "LR":
        assert abs(pixel(skeleton, f"hand_end.{side}")[1] - hips) <= 0.05 * (hips - neck)
        assert pixel(skeleton, f"shoulder.{side}")[1] < neck + 0.25 * (hips - neck)


@pytest.mark.parametrize("name", ["cloak_side", "cloak_side_flipped"])
def test_arms_hidden_under_a_hem_read_off_the_outline_hang_to_the_hips(name):
    """The reading finds the cloak's hem (a corner of the outline below the legs' tops): the arms hang
    under it to the hips as a person's do (within 5 % of the torso), though the head is a chibi's and
    the torso read shows no flare."""
    skeleton = skeleton_of(name)
    assert limb_counts(skeleton) == FIGURES[name].limbs
    neck, hips = pixel(skeleton, "neck")[1], skeleton.joints[0].pixel[1]
    for side in "LR":
        assert abs(pixel(skeleton, f"hand_end.{side}")[1] - hips) <= 0.05 * (hips - neck)


@pytest.mark.parametrize("name", ["cheer_side", "cheer_side_flipped"])
def test_a_side_view_with_its_arms_raised_over_its_head_gets_no_arms_down_its_torso(name):
    """The tree runs the spine up the raised arms past the head: the arms are read raised, from the
    shoulders at the torso's top (`upright.raised_arm`), and none is guessed hanging along the torso."""
    skeleton = skeleton_of(name)
    hips = skeleton.joints[0].pixel[1]
    neck = pixel(skeleton, "neck")[1]
    chest = neck + 0.25 * (hips - neck)
    assert not [j.name for j in skeleton.joints if j.part == "arm" and j.pixel[1] > chest]
    for side in "LR":
        assert pixel(skeleton, f"hand_end.{side}")[1] < pixel(skeleton, "head_end")[1]


@pytest.mark.parametrize("name", ["person_side", "person_side_flipped"])
def test_a_persons_hidden_arms_reach_the_hips_a_plush_figures_stay_short(name):
    """Arms are as long as the figure's proportions say: a person's relaxed hands hang to the hips
    (within a tenth of the torso), a plush figure's big head goes with short arms ending above the
    torso's middle."""
    skeleton = skeleton_of(name)
    assert limb_counts(skeleton).get("arm") == 2
    neck, hips = pixel(skeleton, "neck")[1], skeleton.joints[0].pixel[1]
    for side in "LR":
        assert pixel(skeleton, f"hand_end.{side}")[1] >= hips - 0.1 * (hips - neck)
    plush = skeleton_of("plush_side" + name.removeprefix("person_side"))
    neck, hips = pixel(plush, "neck")[1], plush.joints[0].pixel[1]
    for side in "LR":
        assert pixel(plush, f"hand_end.{side}")[1] < neck + 0.5 * (hips - neck)
