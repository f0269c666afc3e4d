"""A quadruped sitting on its haunches seen from the side (drawn, through the real pipeline with the
geometric predictor and with the shipped model's), in both facings: a cat (its tail along the floor or curled
up), a lean dog and a chunky one whose trunk rises from the haunch on the floor to the head, the front
legs straight down from the chest (`sitting`). A rigger wants a quadruped: the hips in the haunch,
the spine rising from them to the neck and head, the front legs, the hind legs folded from the hips to
the floor, the tail; not a biped striding on its front paw and its tail, nor a front view whose pair of
legs they are, nor (chunky, its front legs merged with its body) a fish. People kneeling, plush figures
sitting upright and birds standing on their feet are no sitting quadrupeds."""
from __future__ import annotations

from functools import cache

import numpy as np
import photo_figures
import posing_figures as pf
import pytest
from anatomy_figures import both_facings, cached_results, kneeling_side, rgba
from test_anatomy_figures import limb_counts

from pointskel_blender.core.anatomy.body import Body
from pointskel_blender.core.anatomy.sitting import sitting_side
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline

SITTING = both_facings(pf.sitting_cat_side(), pf.sitting_cat_tail_up(), pf.sitting_dog_side(),
                        pf.sitting_dog_chunky())
OTHERS = both_facings(kneeling_side(), pf.plush_bunny_side(), pf.penguin_side(), pf.owl_side(),
                      pf.plush_bear_side(), pf.big_head_chibi_side())
DRAWN = SITTING | OTHERS
run = cached_results(DRAWN)
shipped = cache(lambda name: run_pipeline(image_from_array(rgba(DRAWN[name].mask), source=f"{name}.png"),
                                          PipelineSettings()))


@pytest.mark.parametrize("name", sorted(SITTING))
def test_a_sitting_cat_or_dog_from_the_side_is_a_quadruped_with_its_hind_legs_folded_and_its_tail(name):
    # (before: a cat read as a biped on its front paw and its tail, or facing right as a front view
    # quadruped; the dog as a bird)
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("quadruped", "side", DRAWN[name].facing)
    counts = limb_counts(skeleton)
    assert {part: counts.get(part, 0) for part in ("front_leg", "hind_leg", "tail", "arm", "leg")} == {
        "front_leg": 2, "hind_leg": 2, "tail": 1, "arm": 0, "leg": 0}


@pytest.mark.parametrize("name", sorted(SITTING))
def test_a_sitting_quadrupeds_spine_rises_from_its_hips_in_the_haunch_to_its_head(name):
    skeleton = run(name).skeleton
    joints = skeleton.joints
    ys = np.array([j.pixel[1] for j in joints])
    top, floor = ys.min(), ys.max()
    hips = joints[0]  # the root
    assert hips.part == "spine"
    assert hips.pixel[1] > top + 0.6 * (floor - top)  # low, in the haunch (a standing one's: the back's)
    head = next(j for j in joints if j.part == "head")
    assert head.pixel[1] < top + 0.4 * (floor - top)
    tail = next(j for j in joints if j.part == "tail")
    assert tail.parent == 0  # from the hips
    legs = [j for j in joints if j.part in ("front_leg", "hind_leg") and joints[j.parent].part == "spine"]
    assert len(legs) == 4  # each from the spine, none from the tail


@pytest.mark.parametrize("name", sorted(SITTING))
def test_the_shipped_model_reads_a_sitting_quadruped_from_the_side_too(name):
    anatomy = shipped(name).skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("quadruped", "side", DRAWN[name].facing)


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_a_kneeling_person_a_plush_figure_or_a_bird_standing_is_no_sitting_quadruped(name):
    result = run(name)
    assert sitting_side(Body(result.tree, result.shape)) is None


@pytest.mark.parametrize("flip", [False, True], ids=["sitting_cat", "sitting_cat_flipped"])
@pytest.mark.parametrize("predictor", ["geometric", "auto"])
def test_the_ear_tests_sitting_cat_photo_is_a_quadruped_from_the_side(flip, predictor):
    # (before: a biped from the side, its front paw and its tail its feet; the shipped model's part head,
    # surer of a biped than the rules of the sitting reading, keeps it no longer: `learned.reread`)
    picture = photo_figures.sitting_cat()
    picture = picture.flipped() if flip else picture
    image = image_from_array(picture.rgb, source=f"{picture.name}.png")
    skeleton = run_pipeline(image, PipelineSettings(predictor=predictor)).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("quadruped", "side", picture.facing)
    counts = limb_counts(skeleton)
    assert {part: counts.get(part, 0) for part in ("front_leg", "hind_leg", "tail", "ear")} == {
        "front_leg": 2, "hind_leg": 2, "tail": 1, "ear": 2}
