"""Birds from the front and the side, and what is no bird (drawn, through the real pipeline with the
geometric predictor, and the product's reading with the shipped model): a bird from the front with its
wings folded (a plump body on two stick legs; an owl with ear tufts too) is a bird seen from the front,
not a biped or a quadruped, its wings folded on its sides; an owl or a penguin standing upright from the
side is a bird by its beak, the head bone running to it; a duck whose thin legs the tree hangs as one
from its level body's middle is no leaning dinosaur; a bird faces where its toes point though the
shipped model's tree foreshortens one foot; a bird from the front whose folded wings bulge out of its
outline has one wing a side, and a crest over its head is the head's; a six-legged insect
whose legs hang from one place as a bird's two do is no bird (a bird stands on two legs); nor is a person
in a dress cheering from the front; both facings."""
from __future__ import annotations

from functools import cache

import pytest

import anatomy_figures as af
import posing_figures as pf
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline
from test_anatomy_figures import limb_counts

FIGURES = {c.name: c for c in (af.bird_front_folded(), af.owl_front(), af.insect_side(), af.dress_cheer(),
                               pf.owl_side(), pf.penguin_side(), af.bird_crested(), af.bird_front_bulging(),
                               af.bird_front_crested(), af.duck_side())}
FIGURES |= {c.name: c for c in [c.flipped() for c in FIGURES.values()]}
UPRIGHT = ["owl_side", "owl_side_flipped", "penguin_side", "penguin_side_flipped"]


@cache
def run(name: str) -> PipelineResult:
    return af.drawn_result(FIGURES[name])


@cache
def shipped(name: str) -> PipelineResult:
    """The product's reading: the shipped model's contraction and part head."""
    image = image_from_array(af.rgba(FIGURES[name].mask), source=f"{name}.png")
    return run_pipeline(image, PipelineSettings())


FOLDED = ["bird_front_folded", "bird_front_folded_flipped", "owl_front", "owl_front_flipped",
          "bird_front_crested", "bird_front_crested_flipped"]


@pytest.mark.parametrize("name", FOLDED)
def test_a_bird_from_the_front_with_folded_wings_is_a_bird_seen_from_the_front(name):
    """Stick legs under a plump, mirror-symmetric body (an owl's ear tufts on its head): the wings are
    folded on it, not missing arms (a biped) or a quadruped's hidden hind legs."""
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("bird", "front", "viewer")
    assert anatomy.body_plan_confidence >= 0.5
    assert limb_counts(skeleton) == FIGURES[name].limbs
    middle = skeleton.joints[0].pixel[0]
    feet = [j for j in skeleton.joints if j.part == "leg" and not skeleton.children(skeleton.index(j.name))]
    assert sorted(j.side for j in feet) == ["L", "R"]
    for foot in feet:
        assert foot.side == ("L" if foot.pixel[0] > middle else "R"), foot.name  # image right: .L
    head = [j for j in skeleton.joints if j.part == "head"]
    assert head and all(j.pixel[1] < skeleton.joints[0].pixel[1] for j in head)  # the head above the hips


@pytest.mark.parametrize("name", FOLDED)
def test_a_bird_from_the_front_has_its_folded_wings_on_its_sides(name):
    """The outline shows no wing, but a bird's rig has two: each from the neck's base, three bones
    down its own side of the body (image right: .L), inside the outline, the tip below the shoulder
    (not on the midline)."""
    skeleton = run(name).skeleton
    joints = skeleton.joints
    mask = FIGURES[name].mask
    middle = joints[0].pixel[0]
    roots = [j for j in joints if j.part == "wing" and joints[j.parent].part != "wing"]
    assert sorted(j.side for j in roots) == ["L", "R"]
    for root in roots:
        assert joints[root.parent].part == "spine"
        chain = [j for j in joints if j.part == "wing" and j.side == root.side]
        assert len(chain) == 4  # three bones, then the tip
        assert all(mask[int(j.pixel[1]), int(j.pixel[0])] for j in chain)
        assert all((j.pixel[0] > middle) == (root.side == "L") for j in chain)
        tip = chain[-1]
        assert tip.pixel[1] > root.pixel[1] and abs(tip.pixel[0] - middle) > 0.5 * abs(root.pixel[0] - middle)


@pytest.mark.parametrize("name", ["insect_side", "insect_side_flipped"])
def test_a_six_legged_insect_from_the_side_is_no_bird(name):
    """Its legs hang from one place as a bird's two do, but six stand on the floor: many-legged, and
    sure of it (no bird reading runs it close)."""
    skeleton = run(name).skeleton
    assert skeleton.anatomy.body_plan == "many_legged"
    assert skeleton.anatomy.body_plan_confidence >= 0.7
    assert limb_counts(skeleton).get("leg") == 6


@pytest.mark.parametrize("name", ["dress_cheer", "dress_cheer_flipped"])
def test_a_person_in_a_dress_cheering_from_the_front_is_no_bird_in_profile(name):
    """A wide, plump figure on stick legs with raised arms: its arms mirror about the spine, so it is a
    biped from the front, not a bird from the side with a hand for a beak."""
    anatomy = run(name).skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view) == ("biped", "front")


@pytest.mark.parametrize("name", UPRIGHT)
def test_a_bird_standing_upright_from_the_side_has_its_head_bone_to_the_beak(name):
    """An owl's or a penguin's head sits straight over its hips, so no lean shows a profile; its beak does
    (`upright.upright_beak`): the head bone runs from the skull forward to the beak's tip, ahead of the
    head's base on the side it faces and about level with it (not up to the round crown)."""
    skeleton = run(name).skeleton
    ahead = -1.0 if FIGURES[name].facing == "left" else 1.0
    head = [j for j in skeleton.joints if j.part == "head"]
    base, tip = head[0].pixel, head[-1].pixel
    assert ahead * (tip[0] - base[0]) > abs(tip[1] - base[1])
    mask = FIGURES[name].mask
    columns = mask.any(axis=0).nonzero()[0]
    front = columns[0] if ahead < 0 else columns[-1]  # the beak leads the profile
    assert abs(tip[0] - front) < 0.05 * mask.shape[1]


@pytest.mark.parametrize("name", UPRIGHT + FOLDED)
def test_the_shipped_model_reads_an_upright_bird_as_a_bird(name):
    """The part head reads an owl's or a penguin's upright body on two legs as a person's (0.83 to 0.99);
    the rules read the bird by its own marks, its beak in profile or its wings folded on a plump body on
    stick legs (`Layout.upright_bird`), and the head's biped does not turn them (`learned.reread`)."""
    anatomy = shipped(name).skeleton.anatomy
    character = FIGURES[name]
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("bird", character.view, character.facing)


@pytest.mark.parametrize("name", ["bird_crested", "bird_crested_flipped"])
def test_the_shipped_model_reads_a_bird_facing_where_its_toes_point_though_one_foot_is_foreshortened(name):
    """The shipped model's tree turns one of the crested bird's feet toward the viewer (its toes point
    only a quarter ahead): both feet still point ahead (`upright.toes`), so the tail fan, broader at its
    end than where it leaves the body, is not taken for a head on a neck behind the legs."""
    anatomy = shipped(name).skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("bird", "side", FIGURES[name].facing)
    assert limb_counts(shipped(name).skeleton).get("tail") == 1


@pytest.mark.parametrize("name", ["bird_front_bulging", "bird_front_bulging_flipped"])
def test_a_bird_from_the_front_whose_folded_wings_bulge_has_one_wing_a_side(name):
    """Its folded wings bulge out of the body's outline at the shoulders and the tips, and the tree forks
    into each corner: no limbs of their own (the reading had two wings a side), so each wing is folded on
    its side of the body (`upright._corners`, `tucked`): one a side, inside the outline."""
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view) == ("bird", "front")
    joints = skeleton.joints
    tips = [j for j in joints if j.part == "wing" and not skeleton.children(skeleton.index(j.name))]
    assert sorted(j.side for j in tips) == ["L", "R"]
    mask = FIGURES[name].mask
    assert all(mask[int(j.pixel[1]), int(j.pixel[0])] for j in tips)


@pytest.mark.parametrize("name", ["bird_front_crested", "bird_front_crested_flipped"])
def test_a_crest_over_a_folded_birds_head_from_the_front_is_no_limb(name):
    """A cockatoo's crest fanning over its head: the feathers are the head's, no wing raised past the
    head, no ears or limbs (`upright._front_crest`); no joint of the rig lies above the head's top."""
    skeleton = run(name).skeleton
    top = min(j.pixel[1] for j in skeleton.joints if j.part == "head")
    assert not [j.name for j in skeleton.joints if j.pixel[1] < top]
    assert set(limb_counts(skeleton)) <= {"head", "neck", "spine", "wing", "leg", "tail"}


@pytest.mark.parametrize("name", ["duck_side", "duck_side_flipped"])
@pytest.mark.parametrize("predictor", ["geometric", "shipped"])
def test_a_duck_on_thin_legs_the_tree_joins_is_a_bird_not_a_leaning_biped(name, predictor):
    result = run(name) if predictor == "geometric" else shipped(name)
    anatomy = result.skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("bird", "side", FIGURES[name].facing)
    counts = limb_counts(result.skeleton)
    assert counts.get("leg") == 2 and "arm" not in counts
