"""Which way a side view faces, and side or front, from cues that agree (`anatomy.profile`): the drawn
pictures of tests/photo_figures.py read as a user's picture is (threshold mask, the shipped model)."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import photo_figures as pf
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline

PICTURES = {p.name: p for p in pf.all_pictures()}


@cache
def run(name: str) -> PipelineResult:
    image = image_from_array(PICTURES[name].rgb.astype(np.float32) / 255.0, source=f"{name}.png")
    return run_pipeline(image, PipelineSettings(mask_backend="threshold"))


def reading(name: str) -> tuple[str, str, str]:
    anatomy = run(name).skeleton.anatomy
    return anatomy.body_plan, anatomy.view, anatomy.facing


@pytest.mark.parametrize("name", ["kangaroo", "kangaroo_flipped"])
def test_a_kangaroo_faces_its_arms_and_muzzle_not_its_tail_on_the_floor(name):
    assert reading(name) == ("biped", "side", PICTURES[name].facing)


@pytest.mark.parametrize("name", ["tpose_man", "apose_woman", "cartoon_girl", "plush_bunny"])
def test_a_figure_drawn_from_the_front_stays_front(name):
    assert reading(name)[1:] == ("front", "viewer")
