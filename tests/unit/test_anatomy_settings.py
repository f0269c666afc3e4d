"""The anatomy stage's settings: the user's body plan, view, naming scheme and tail bones win."""
from __future__ import annotations

import pytest

import anatomy_figures as af
from pointskel_blender.core.anatomy import SCHEMES, build_anatomy
from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.settings import SETTINGS
from pointskel_blender.core.skeleton import BODY_PLANS, VIEWS


@pytest.fixture(scope="module")
def dog():
    image = image_from_array(af.rgba(af.dog().mask), source="dog.png")
    return run_pipeline(image, PipelineSettings(predictor="geometric"))


@pytest.fixture(scope="module")
def person():
    return run_pipeline(image_from_array(af.rgba(af.humanoid_apose().mask), source="p.png"),
                        PipelineSettings(predictor="geometric"))


def test_bad_settings_are_one_line_errors():
    for kwargs, word in (({"body_plan": "dragon"}, "body plan"), ({"view": "back"}, "view"),
                         ({"naming": "maya"}, "naming"), ({"tail_bones": -1}, "tail bones")):
        with pytest.raises(PointSkelError, match=word):
            PipelineSettings(**kwargs)


def test_the_settings_table_offers_what_the_stage_knows():
    assert SETTINGS["body_plan"].values == ("auto",) + BODY_PLANS
    assert SETTINGS["view"].values == ("auto",) + VIEWS
    assert SETTINGS["naming"].values == SCHEMES


def test_a_forced_body_plan_is_used_with_full_confidence(person):
    result = build_anatomy(person.tree, person.shape, PipelineSettings(body_plan="quadruped"))
    assert result.anatomy.body_plan == "quadruped" and result.anatomy.body_plan_confidence == 1.0
    assert "front_leg" in result.parts and "hind_leg" in result.parts
    snake = build_anatomy(person.tree, person.shape, PipelineSettings(body_plan="serpent"))
    assert snake.anatomy.body_plan == "serpent" and snake.parts[0] == "spine"


def test_a_forced_view_sets_the_facing_and_the_sides(dog):
    front = build_anatomy(dog.tree, dog.shape, PipelineSettings(view="front"))
    anatomy = front.anatomy
    assert (anatomy.view, anatomy.facing, anatomy.view_confidence) == ("front", "viewer", 1.0)
    # seen from the front, the side is which half of the image a limb reaches into
    auto = build_anatomy(dog.tree, dog.shape)
    assert auto.anatomy.facing == "left" and front.names != auto.names


def test_tail_bones_setting(dog):
    for count in (2, 6):
        result = build_anatomy(dog.tree, dog.shape, PipelineSettings(tail_bones=count))
        tail = [i for i, p in enumerate(result.parts) if p == "tail" and i in set(result.parents.tolist())]
        assert len(tail) == count, result.names
    by_length = build_anatomy(dog.tree, dog.shape)
    heads = set(by_length.parents.tolist())  # joints with children: bones
    assert 2 <= sum(1 for i, p in enumerate(by_length.parts) if p == "tail" and i in heads) <= 8


def test_the_pipeline_records_the_scheme_and_the_settings(dog):
    assert dog.skeleton.anatomy.naming == "rigify"
    settings = dog.skeleton.metadata["settings"]
    assert (settings["body_plan"], settings["view"], settings["naming"], settings["tail_bones"]) == (
        "auto", "auto", "rigify", 0)
    assert dog.anatomy.anatomy == dog.skeleton.anatomy
