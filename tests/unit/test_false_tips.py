"""No limb tip where the figure has none: a quadruped or a bird seen from the front faces the viewer, so
its head bone points at the viewer and ends at the snout (the beak) inside the face, not at a crown on
the outline's top (`bones._snout`); a person seen from the front keeps the crown. Drawn figures through
the real pipeline with the geometric predictor, each also mirrored."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.skeleton import Skeleton

FACING = (af.bear_front(), af.dog_front(), af.owl_front(), af.stork_front())
UPRIGHT = (af.bunny_front(),)
DRAWN = af.both_facings(*FACING, *UPRIGHT)
FACING_NAMES = list(af.both_facings(*FACING))


@cache
def skeleton(name: str) -> Skeleton:
    image = image_from_array(af.rgba(DRAWN[name].mask), source=f"{name}.png")
    return run_pipeline(image, PipelineSettings(predictor="geometric")).skeleton


def joint(sk: Skeleton, name: str):
    return next(j for j in sk.joints if j.name == name)


def inside(mask: np.ndarray, pixel, margin: int) -> bool:
    """Whether the figure covers every pixel within `margin` of `pixel` (a place inside the outline)."""
    x, y = np.round(pixel).astype(int)
    return bool(mask[y - margin: y + margin + 1, x - margin: x + margin + 1].all())


@pytest.mark.parametrize("name", FACING_NAMES)
def test_a_head_facing_the_viewer_ends_inside_the_face_pointing_at_the_viewer(name):
    sk, mask = skeleton(name), DRAWN[name].mask
    assert (sk.anatomy.view, sk.anatomy.facing) == ("front", "viewer")
    head, end = joint(sk, "head"), joint(sk, "head_end")
    assert end.parent == sk.joints.index(head)
    # the snout is no tip of the outline: inside the figure (a crown tip sat on the outline's top)
    assert inside(mask, end.pixel, 3), end.pixel
    # the bone points at the viewer (+z of the front view's frame, Blender's -Y), out of the picture
    step = np.subtract(end.position, head.position)
    assert step[2] > 0.5 * np.linalg.norm(step) > 0, step


@pytest.mark.parametrize("name", ["bear_front", "bear_front_flipped"])
def test_a_quadrupeds_snout_shows_where_its_ears_lines_meet(name):
    sk, size = skeleton(name), DRAWN[name].mask.shape[0]
    # the drawn ears run from (0.5 -+ 0.1, 0.38) to (0.5 -+ 0.22, 0.12): their lines meet at (0.5, 0.60)
    apex = np.array([0.5, 0.38 + 0.1 * 0.26 / 0.12]) * size
    end = np.asarray(joint(sk, "head_end").pixel)
    assert np.linalg.norm(end - apex) < 0.03 * size, (end, apex)


@pytest.mark.parametrize("name", ["owl_front", "owl_front_flipped"])
def test_a_birds_ear_tufts_do_not_carry_its_beak_into_the_body(name):
    sk, size = skeleton(name), DRAWN[name].mask.shape[0]
    # the drawn head: a disc at (0.5, 0.3) of radius 0.11, its beak down to 0.39
    assert abs(joint(sk, "head_end").pixel[1] / size - 0.3) < 0.11
    assert np.allclose(joint(sk, "head_end").pixel, joint(sk, "head").pixel, atol=1.0)


@pytest.mark.parametrize("name", ["bunny_front", "bunny_front_flipped"])
def test_a_person_seen_from_the_front_keeps_the_crown_on_the_outline(name):
    sk, mask = skeleton(name), DRAWN[name].mask
    head, end = joint(sk, "head"), joint(sk, "head_end")
    assert end.pixel[1] < head.pixel[1]  # up the picture, to the crown
    assert not inside(mask, end.pixel, 2)  # on the outline
