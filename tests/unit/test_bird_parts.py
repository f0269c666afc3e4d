"""A side-view bird's head as a rigger bones it (drawn, through the real pipeline with the geometric
predictor), both facings: a crest rising over the skull and reaching farther from the body than the
beak does not take the head bone; the head bone runs from the skull (where the neck joins it) to the
beak's tip, so the neck ends at the skull, not at the beak's base; the crest's feathers are part of the
head: no wing, no limb, no bone; a short tuft over the crown leaves the head bone on the beak, not
the beak a limb of its own."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.pipeline import PipelineResult
from test_anatomy_figures import limb_counts

FIGURES = {c.name: c for c in (af.bird_crested(), af.bird_crested().flipped(), af.bird_tufted(),
                                af.bird_tufted().flipped())}


@cache
def run(name: str) -> PipelineResult:
    return af.drawn_result(FIGURES[name])


def _canvas(name: str, point: tuple[float, float]) -> np.ndarray:
    """A point drawn in `bird_crested`'s (and `bird_tufted`'s) canvas fractions, in the picture's pixels
    (flipped too)."""
    size = len(FIGURES[name].mask)
    x = 1.0 - point[0] if name.endswith("_flipped") else point[0]
    return np.array([x * size, point[1] * size])


def _joint(skeleton, part: str, tip: bool):
    return next(j for i, j in enumerate(skeleton.joints)
                if j.part == part and (not skeleton.children(i)) == tip)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_crested_birds_head_bone_runs_to_its_beak_not_up_its_crest(name):
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("bird", "side", FIGURES[name].facing)
    size = len(FIGURES[name].mask)
    end = np.asarray(_joint(skeleton, "head", tip=True).pixel)
    assert np.linalg.norm(end - _canvas(name, af.BIRD_CRESTED_BEAK)) <= 0.04 * size, end


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_side_view_birds_head_bone_starts_in_its_skull_where_the_neck_joins(name):
    skeleton = run(name).skeleton
    x, y, r = af.BIRD_CRESTED_SKULL
    base = np.asarray(_joint(skeleton, "head", tip=False).pixel)
    assert np.linalg.norm(base - _canvas(name, (x, y))) <= r * len(FIGURES[name].mask), base
    necks = [j for j in skeleton.joints if j.part == "neck"]
    assert necks and all(np.linalg.norm(np.asarray(j.pixel) - base) > 0.5 * r * len(FIGURES[name].mask)
                         for j in necks)  # the neck ends at the skull: no neck joint inside the head


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_birds_crest_is_part_of_its_head_no_wing_or_limb(name):
    skeleton = run(name).skeleton
    assert limb_counts(skeleton) == FIGURES[name].limbs  # the one raised wing; no bone for the crest or beak
    x, y, r = af.BIRD_CRESTED_SKULL
    skull = _canvas(name, (x, y))
    size = len(FIGURES[name].mask)
    near = [j for j in skeleton.joints if np.linalg.norm(np.asarray(j.pixel) - skull) <= 2 * r * size]
    stray = [j.name for j in near if j.part not in ("head", "neck")]
    assert not stray, stray


FRONT = {c.name: c for c in (af.bird_front(), af.bird_front_folded(), af.stork_front())}


@pytest.mark.parametrize("name", sorted(FRONT))
def test_a_bird_from_the_front_has_its_hidden_tail_from_the_hips_back_away_from_the_viewer(name):
    skeleton = af.drawn_result(FRONT[name]).skeleton
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("bird", "front")
    hips = skeleton.joints[0]
    tail = [j for j in skeleton.joints if j.part == "tail"]
    assert [j.name for j in tail] == ["tail", "tail_end"]
    assert skeleton.joints[tail[0].parent] is hips  # Rigify's bird: the tail from the hips
    mask = FRONT[name].mask
    for joint in tail:  # behind the body: away from the viewer, seen under the hips inside the outline
        assert joint.position[2] < hips.position[2]
        assert joint.pixel[1] > hips.pixel[1]
        assert mask[int(joint.pixel[1]), int(joint.pixel[0])]


LONG_BEAK = {c.name: c for c in (af.bird_long_beak(), af.bird_long_beak().flipped())}


@pytest.mark.parametrize("name", sorted(LONG_BEAK))
def test_a_long_beaked_birds_head_is_its_necked_end_ahead_of_its_toes_not_its_tail_fan(name):
    figure = LONG_BEAK[name]
    skeleton = af.drawn_result(figure).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("bird", "side", figure.facing)
    size = len(figure.mask)
    x, y = af.BIRD_LONG_BEAK
    beak = np.array([(1.0 - x if name.endswith("_flipped") else x) * size, y * size])
    end = np.asarray(_joint(skeleton, "head", tip=True).pixel)
    assert np.linalg.norm(end - beak) <= 0.04 * size, end
    tail = [j for i, j in enumerate(skeleton.joints) if j.part == "tail" and not skeleton.children(i)]
    assert len(tail) == 1 and abs(tail[0].pixel[0] - size / 2) > 0.25 * size  # the fan, at the far end


RAISED = {c.name: c for c in (af.bird(), af.bird().flipped(), af.bird_wings_raised())}


@pytest.mark.parametrize("name", sorted(RAISED))
def test_a_side_view_birds_raised_wing_pivots_at_its_shoulder_inside_the_body_by_the_chest(name):
    skeleton = af.drawn_result(RAISED[name]).skeleton
    joints = skeleton.joints
    hips = np.asarray(joints[0].pixel)
    neck = np.asarray(next(j for j in joints if j.part == "neck").pixel)
    mask = RAISED[name].mask
    roots = [j for j in joints if j.part == "wing" and joints[j.parent].part != "wing"]
    assert roots
    for root in roots:  # between the hips and the neck's base, inside the outline, on the spine
        assert joints[root.parent].part == "spine"
        assert mask[int(root.pixel[1]), int(root.pixel[0])]
        along = np.dot(np.asarray(root.pixel) - hips, neck - hips) / np.dot(neck - hips, neck - hips)
        assert 0.3 <= along <= 1.0, along  # up to the neck's base: a bird's shoulder is at the chest's top


@pytest.mark.parametrize("name", sorted(RAISED))
def test_a_side_view_birds_raised_wing_pivots_over_the_chest_toward_the_neck(name):
    """The shoulder is at the chest's top front: above the spine joint the wing hangs from and on the head's
    side of it (a bird's wing pivots at the base of its neck, not in the middle of its back)."""
    figure = RAISED[name]
    joints = af.drawn_result(figure).skeleton.joints
    forward = -1.0 if figure.facing == "left" else 1.0
    roots = [j for j in joints if j.part == "wing" and joints[j.parent].part != "wing"]
    assert roots
    for root in roots:
        chest = np.asarray(joints[root.parent].pixel)
        up, ahead = chest[1] - root.pixel[1], forward * (root.pixel[0] - chest[0])
        assert up > 0 and ahead > 0, (up, ahead)
