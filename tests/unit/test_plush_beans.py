"""Plush beans of people seen from the front (`posing_figures`): a round head bulging from the top of the
body with no neck, stubby arms and legs. A rigger wants the spine and the head straight up the midline to
the crown, both arms from the torso's sides and both legs from hips on either side of the midline,
mirror-symmetric in both facings.

Where the medial tree has no branch for the head (`core.anatomy.sunk`), the head's tip was an arm's: the
spine ran up the torso and out along that arm, the arm was lost, and the spine pulled aside sided both
legs alike (the rules read a stubby bean as a bird, a small-headed one as nothing). Where the head has a
tip but leaves the shoulders with the arms held out (`cues.trim_head`), the spine stopped at the
shoulders, the head was read as an ear and both arms were lost. The rules' reading (the geometric
contraction) and the product's (the shipped model), as the rigger's checklist runs it."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
import posing_figures as pf
from anatomy_figures import both_facings
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline
from pointskel_blender.core.skeleton import Skeleton
from test_anatomy_figures import limb_counts

BEANS = both_facings(pf.bean_person(), pf.stubby_bean(), pf.small_head_bean(), pf.arms_out_bean())
PREDICTORS = ("geometric", "shipped")
MIDLINE = 0.02  # of the figure's height: the spine, neck and head joints off the hips' vertical at most
MIRROR = 0.03  # of the figure's height: a sided joint off its twin's mirror image at most


@cache
def run(name: str, predictor: str) -> PipelineResult:
    settings = PipelineSettings(predictor="geometric") if predictor == "geometric" else PipelineSettings()
    return run_pipeline(image_from_array(af.rgba(BEANS[name].mask), source=f"{name}.png"), settings)


def _height(name: str) -> float:
    rows = np.flatnonzero(BEANS[name].mask.any(axis=1))
    return float(rows[-1] - rows[0] + 1)


def _x(skeleton: Skeleton, name: str) -> float:
    return float(skeleton.joints[skeleton.index(name)].pixel[0])


@pytest.mark.parametrize("predictor", PREDICTORS)
@pytest.mark.parametrize("name", sorted(BEANS))
def test_a_plush_bean_has_two_arms_two_legs_and_one_head(name, predictor):
    skeleton = run(name, predictor).skeleton
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("biped", "front")
    counts = limb_counts(skeleton)
    assert (counts.get("arm", 0), counts.get("leg", 0), counts.get("head", 0)) == (2, 2, 1)
    for part in ("arm", "leg"):
        assert {j.side for j in skeleton.joints if j.part == part} == {"L", "R"}


@pytest.mark.parametrize("predictor", PREDICTORS)
@pytest.mark.parametrize("name", sorted(BEANS))
def test_a_plush_beans_spine_runs_up_the_midline_to_its_crown_and_its_limbs_keep_their_sides(name, predictor):
    """The character's left is the image's right: every arm and leg joint lies on its own side of the
    hips' vertical, mirroring its twin across it, the spine, neck and head on it, and the head bone ends
    at the crown."""
    skeleton = run(name, predictor).skeleton
    height, middle = _height(name), _x(skeleton, "spine")
    trunk = [j for j in skeleton.joints if j.part in ("spine", "neck", "head")]
    assert max(abs(j.pixel[0] - middle) for j in trunk) <= MIDLINE * height
    for joint in skeleton.joints:
        if joint.part in ("arm", "leg"):
            assert (joint.pixel[0] > middle) == (joint.side == "L"), joint.name
    for joint in skeleton.joints:
        if joint.name.endswith(".L"):
            twin = skeleton.joints[skeleton.index(joint.name[:-2] + ".R")].pixel
            off = (joint.pixel[0] + twin[0] - 2 * middle, joint.pixel[1] - twin[1])
            assert np.hypot(*off) <= MIRROR * height, joint.name
    end = skeleton.joints[skeleton.index("head_end")].pixel
    crown = np.flatnonzero(BEANS[name].mask[:, int(round(end[0]))])[0]
    assert end[1] - crown <= 0.03 * height


def test_a_sunk_head_is_read_only_off_an_outline_that_mirrors_itself_as_a_front_views_does(monkeypatch):
    # a hand hanging ahead of a person seen from the side may have a tip behind its legs for a mirror
    # image (a held-out side view lost its arm to the reading); a front view's outline mirrors itself
    import pointskel_blender.core.anatomy.upright as upright
    from pointskel_blender.core.anatomy.body import Body
    from pointskel_blender.core.anatomy.cues import MIRROR_SIDE
    from pointskel_blender.core.anatomy.sunk import sunk_head

    calls: list[tuple[Body, list[int], list[int]]] = []
    monkeypatch.setattr(upright, "sunk_head", lambda body, spine, legs: calls.append((body, spine, legs))
                        or sunk_head(body, spine, legs))
    af.drawn_result(BEANS["bean_person"])
    read = [(body, spine, legs) for body, spine, legs in calls if sunk_head(body, spine, legs) is not None]
    assert read  # the bean's own outline: its sunk head is read
    body, spine, legs = read[0]
    body.__dict__["mirror"] = MIRROR_SIDE[0] - 0.05  # the same tree under an outline a side view's
    assert sunk_head(body, spine, legs) is None
