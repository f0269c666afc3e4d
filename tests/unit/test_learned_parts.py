"""Learned part labels in the anatomy stage: read around each joint, and deciding only where they should."""
from __future__ import annotations

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.anatomy import LearnedParts, build_anatomy
from pointskel_blender.core.anatomy.learned import agreement
from pointskel_blender.core.errors import ModelError
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.learned_parts import parse_part_metadata, part_metadata, read_parts
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.skeleton import BODY_PLANS, PARTS
from tests.unit.test_busts import _bust

KNOWN = PARTS[1:]


@pytest.fixture(scope="module")
def person():
    return run_pipeline(image_from_array(af.rgba(af.humanoid_apose().mask), source="p.png"),
                        PipelineSettings(predictor="geometric"))


def _saying(points: np.ndarray, plan: str, parts: dict[str, float], sure: float = 0.99) -> LearnedParts:
    """A part head that reads `parts` at every point and `plan` (with probability `sure`) for the
    figure, whatever it sees."""
    row = np.array([parts.get(p, 0.0) for p in KNOWN])
    probabilities = np.tile(row / row.sum(), (len(points), 1))
    plans = np.array([sure if p == plan else (1 - sure) / (len(BODY_PLANS) - 1) for p in BODY_PLANS])
    return LearnedParts(np.asarray(points), probabilities, KNOWN, plans, BODY_PLANS)


def test_part_metadata_round_trips_and_foreign_names_are_refused():
    props = part_metadata(KNOWN, BODY_PLANS)
    assert parse_part_metadata(props, "m.onnx") == (KNOWN, BODY_PLANS)
    assert part_metadata((), ()) == {}
    for bad in ({**props, "pointskel.parts": "arm,wheel"}, {**props, "pointskel.body_plans": "biped"},
                {"pointskel.body_plans": props["pointskel.body_plans"]}):
        with pytest.raises(ModelError, match="m.onnx"):
            parse_part_metadata(bad, "m.onnx")


def test_a_joint_reads_the_parts_of_the_points_that_contracted_around_it():
    near = np.zeros((30, 3))
    far = np.tile([1.0, 0.0, 0.0], (30, 1))
    probabilities = np.zeros((60, len(KNOWN)))
    probabilities[:30, KNOWN.index("head")] = 1.0
    probabilities[30:, KNOWN.index("tail")] = 1.0
    learned = LearnedParts(np.vstack([near, far]), probabilities, KNOWN, np.full(7, 1 / 7), BODY_PLANS)
    around = learned.around(np.array([[0.01, 0.0, 0.3], [0.99, 0.0, -0.2]]))  # z (near/far limbs) ignored
    assert around[0, KNOWN.index("head")] == 1.0 and around[1, KNOWN.index("tail")] == 1.0
    joints = np.array([[0.0, 0, 0], [1.0, 0, 0]])
    assert agreement(learned, joints, ("head", "tail")) == 1.0
    assert agreement(learned, joints, ("tail", "head")) == 0.0


def test_a_part_head_sure_of_another_plan_turns_the_rules_reading(person):
    rules = build_anatomy(person.tree, person.shape)
    assert rules.anatomy.body_plan == "biped"
    legs = {"front_leg": 0.4, "hind_leg": 0.4, "spine": 0.2}
    learned = _saying(person.contraction.points, "quadruped", legs)
    turned = build_anatomy(person.tree, person.shape, learned=learned)
    assert turned.anatomy.body_plan == "quadruped"
    assert turned.anatomy.body_plan_confidence == pytest.approx(0.99)
    assert {"front_leg", "hind_leg"} <= set(turned.parts)
    assert turned.names != rules.names  # names, parts and sides come from one reading


def test_a_part_head_that_agrees_with_the_rules_or_is_overruled_by_the_user_changes_nothing(person):
    rules = build_anatomy(person.tree, person.shape)
    agreeing = _saying(person.contraction.points, "biped", {"arm": 0.5, "leg": 0.5})
    same = build_anatomy(person.tree, person.shape, learned=agreeing)
    assert same.names == rules.names and same.parts == rules.parts
    # another plan, but parts that fit the rules' skeleton better: the rules' reading stands
    unsure = _saying(person.contraction.points, "quadruped", {"arm": 0.5, "leg": 0.5})
    assert build_anatomy(person.tree, person.shape, learned=unsure).names == rules.names
    sure = _saying(person.contraction.points, "quadruped", {"front_leg": 0.5, "hind_leg": 0.5})
    user = build_anatomy(person.tree, person.shape, PipelineSettings(body_plan="biped"), learned=sure)
    assert user.anatomy.body_plan == "biped"


def test_a_part_head_less_sure_of_its_plan_than_the_rules_leaves_their_reading(person):
    rules = build_anatomy(person.tree, person.shape)
    assert 0.9 < rules.anatomy.body_plan_confidence < 0.99
    legs = {"front_leg": 0.4, "hind_leg": 0.4, "spine": 0.2}  # parts that fit a quadruped's skeleton better
    unsure = build_anatomy(person.tree, person.shape, learned=_saying(person.contraction.points, "quadruped",
                                                                       legs, sure=0.9))
    assert unsure.anatomy == rules.anatomy and unsure.names == rules.names


def test_predictors_without_a_part_head_leave_the_rules_alone(person):
    from pointskel_blender.core.contract import make_predictor

    assert read_parts(make_predictor("geometric"), person.shape, person.contraction.points) is None
    # format-1 models (the stop-11 file): tests/trainer/test_part_head.py and test_export.py


def test_the_shipped_part_head_is_read_in_the_contractions_first_run_not_a_second_one(person, monkeypatch):
    from pointskel_blender.core.contract.make import SHIPPED_MODEL
    from pointskel_blender.core.contract.onnx_predictor import OnnxPredictor

    predictor = OnnxPredictor(SHIPPED_MODEL)
    shape = person.shape
    separate = predictor.predict_parts(shape)  # the model run for its part outputs alone
    lifted = predictor.predict_all(shape.points, shape)  # the contraction's first step
    assert np.array_equal(lifted.parts, separate[0]) and np.array_equal(lifted.body_plan, separate[1])
    moved = predictor.predict_all(shape.points + np.float32(0.01), shape)  # a later step reads no parts
    assert moved.parts is None and moved.body_plan is None
    runs = []
    real_run = predictor._run
    monkeypatch.setattr(predictor, "_run",
                        lambda outputs, feeds: runs.append(outputs) or real_run(outputs, feeds))
    parts, plan = predictor.predict_parts(shape, lifted)
    assert runs == [] and parts is lifted.parts and plan is lifted.body_plan


def test_a_figure_the_frame_cuts_keeps_the_rules_plan_whatever_the_head_says():
    """The head learned whole figures: a bust the picture's bottom edge cuts stays the rules' reading
    however sure a head is of a quadruped (the retrained head's reading of a cat's face filling a
    photo; the whole figure's turn is the test above's)."""
    image = image_from_array(af.rgba(_bust()), source="bust.png")
    bust = run_pipeline(image, PipelineSettings(predictor="geometric"))
    rules = build_anatomy(bust.tree, bust.shape)
    forced = build_anatomy(bust.tree, bust.shape, PipelineSettings(body_plan="quadruped"))
    # a head that reads, at each point, the part of the quadruped skeleton's nearest joint
    points = bust.contraction.points
    nearest = np.argmin(((points[:, None, :2] - forced.positions[None, :, :2]) ** 2).sum(-1), axis=1)
    probabilities = np.eye(len(KNOWN))[[KNOWN.index(forced.parts[j]) for j in nearest]]
    plans = np.array([0.99 if p == "quadruped" else 0.01 / (len(BODY_PLANS) - 1) for p in BODY_PLANS])
    learned = LearnedParts(np.asarray(points), probabilities, KNOWN, plans, BODY_PLANS)
    assert rules.anatomy.body_plan == "biped" and forced.anatomy.body_plan == "quadruped"
    assert build_anatomy(bust.tree, bust.shape, learned=learned).anatomy.body_plan == "biped"
