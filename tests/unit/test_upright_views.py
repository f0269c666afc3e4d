"""Upright figures seen from the front or the side (drawn, through the real pipeline with the geometric
predictor): a walking biped from the side faces where its toes point, its near limbs sided by that
facing (the contract: facing left shows the left side); a biped from the front stays front, sided by
mirror; a flipped image gives mirrored names; an upright bird from the side is a bird, not a biped,
and its folded wings lie along its body; a bird from the front with raised wings and no head tip is a
bird with two wings."""
from __future__ import annotations

from functools import cache

import pytest

import anatomy_figures as af
from pointskel_blender.core.pipeline import PipelineResult
from pointskel_blender.core.skeleton import Skeleton
from test_anatomy_figures import assert_mirrored, limb_counts

FIGURES = {c.name: c for c in (af.walker_side(), af.walker_front(), af.bird_upright(),
                               af.bird_front_wings_up())}
FIGURES |= {c.name: c for c in [c.flipped() for c in FIGURES.values()]}


@cache
def run(name: str) -> PipelineResult:
    return af.drawn_result(FIGURES[name])


def reading(skeleton: Skeleton) -> tuple[str, str, str]:
    anatomy = skeleton.anatomy
    return anatomy.body_plan, anatomy.view, anatomy.facing


@pytest.mark.parametrize("name", ["walker_side", "walker_side_flipped"])
def test_a_walking_biped_from_the_side_is_seen_from_the_side_facing_its_toes(name):
    character = FIGURES[name]
    skeleton = run(name).skeleton
    assert reading(skeleton) == ("biped", "side", character.facing)
    assert skeleton.anatomy.view_confidence >= 0.5
    assert limb_counts(skeleton) == character.limbs


@pytest.mark.parametrize("name, near", [("walker_side", "L"), ("walker_side_flipped", "R")])
def test_a_side_view_names_its_near_limbs_by_its_facing(name, near):
    """Facing left, the figure shows its left side: the limbs nearer the viewer than the hips (z) are
    .L; facing right they are .R; the far ones the other side."""
    skeleton = run(name).skeleton
    hips = skeleton.joints[0].position[2]
    limbs = [j for j in skeleton.joints if j.part in ("arm", "leg")]
    assert {j.side for j in limbs} == {"L", "R"}
    for joint in limbs:
        assert (joint.position[2] > hips) == (joint.side == near), joint.name
    # the leg stepping ahead (its foot farther toward the facing) is the near one
    feet = [j for j in skeleton.joints if j.part == "leg" and not skeleton.children(skeleton.index(j.name))]
    ahead = min if skeleton.anatomy.facing == "left" else max
    assert ahead(feet, key=lambda j: j.pixel[0]).side == near


@pytest.mark.parametrize("name", ["walker_front", "walker_front_flipped"])
def test_a_biped_from_the_front_stays_front_sided_by_mirror(name):
    skeleton = run(name).skeleton
    assert reading(skeleton) == ("biped", "front", "viewer")
    middle = skeleton.joints[0].pixel[0]
    for joint in skeleton.joints:
        if joint.part in ("arm", "leg") and abs(joint.pixel[0] - middle) > 0.02 * skeleton.image_size[0]:
            assert joint.side == ("L" if joint.pixel[0] > middle else "R"), joint.name  # image right: .L


@pytest.mark.parametrize("name", ["walker_side", "walker_front"])
def test_a_flipped_upright_figure_gives_mirrored_names(name):
    a, b = run(name).skeleton, run(name + "_flipped").skeleton
    sided = [j for j in a.joints if j.side and j.part == "leg"]
    assert len(sided) >= 6
    assert_mirrored(a, b, sided)


@pytest.mark.parametrize("name", ["bird_upright", "bird_upright_flipped"])
def test_an_upright_bird_from_the_side_is_a_bird(name):
    """Head a little ahead of its hips (under 35 degrees off vertical), stick legs, a tail behind: a
    bird facing its beak, not a biped."""
    character = FIGURES[name]
    skeleton = run(name).skeleton
    assert reading(skeleton) == ("bird", "side", character.facing)
    assert limb_counts(skeleton) == character.limbs


@pytest.mark.parametrize("name, near", [("bird_upright", "L"), ("bird_upright_flipped", "R")])
def test_a_side_view_birds_folded_wings_lie_along_its_body_near_and_far(name, near):
    """The outline shows no wing: both get the folded wing's line from the chest back past the hips,
    three bones each (`wing`, `wing.001`, `wing.002`), the near one nearer the viewer than the hips."""
    skeleton = run(name).skeleton
    hips = skeleton.joints[0]
    for side in ("L", "R"):
        wing = [j for j in skeleton.joints if j.part == "wing" and j.side == side]
        names = [f"wing.{side}", f"wing.{side}.001", f"wing.{side}.002", f"wing_end.{side}"]
        assert [j.name for j in wing] == names
        assert skeleton.joints[wing[0].parent].part == "spine"
        assert wing[0].pixel[1] < hips.pixel[1]  # the shoulder above the hips
        behind = wing[-1].pixel[0] - hips.pixel[0]  # the tip behind the hips, away from the facing
        assert behind > 0 if skeleton.anatomy.facing == "left" else behind < 0
        assert (wing[1].position[2] > hips.position[2]) == (side == near)


@pytest.mark.parametrize("name", ["bird_front_wings_up", "bird_front_wings_up_flipped"])
def test_a_bird_from_the_front_with_raised_wings_and_no_head_tip_is_a_bird_with_two_wings(name):
    """The wings in a V mirror each other about the hips and outreach the legs: a bird from the front
    (the tree has no head tip between them; the spine must not run out along a wing). Its head sunk
    between them is still a head: the head bone starts in it (and runs toward the viewer, `bones._snout`)."""
    skeleton = run(name).skeleton
    assert reading(skeleton) == ("bird", "front", "viewer")
    assert limb_counts(skeleton) == FIGURES[name].limbs
    middle = skeleton.joints[0].pixel[0]
    for joint in skeleton.joints:
        if joint.part == "wing" and not skeleton.children(skeleton.index(joint.name)):
            assert joint.side == ("L" if joint.pixel[0] > middle else "R"), joint.name  # image right: .L
    off = [j.name for j in skeleton.joints
           if j.part in ("spine", "neck", "head") and abs(j.pixel[0] - middle) > 0.1 * skeleton.image_size[0]]
    assert not off  # the trunk stays on the midline
    size = skeleton.image_size[1]
    head = next(j for i, j in enumerate(skeleton.joints) if j.part == "head" and skeleton.children(i))
    assert abs(head.pixel[1] - 0.45 * size) <= 0.05 * size, head.pixel  # in the drawn head (y 0.45, r 0.05)
