"""Legs of bipeds seen from the side (drawn plush, chibi and person figures, both facings, through the
real pipeline with the geometric predictor): the thighs start level with the hips, not where a short
leg's outline leaves the fat body (`limbs.hip_socket`); the knee lies between the hips and the ankle,
not on the ankle's turn (`cuts.leg_cuts` with `ankle_from`); a stub of a foot no longer than the leg is
thick gets no toe, a person's long foot keeps its toe (`limbs._stub_foot`)."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.anatomy.cuts import leg_cuts
from pointskel_blender.core.pipeline import PipelineResult

SHORT = [af.plush_side(), af.stub_foot_side()] + [c for c in af.turnarounds() if c.name.startswith("chibi_")
                                                  and c.view == "side"]
PERSON = [c for c in af.turnarounds() if c.name.startswith("person_tpose") and c.view == "side"]
DRAWN = SHORT + PERSON
FIGURES = {c.name: c for c in DRAWN + [c.flipped() for c in DRAWN]}


@cache
def run(name: str) -> PipelineResult:
    return af.drawn_result(FIGURES[name])


def _legs(result: PipelineResult) -> dict[str, list]:
    """Each leg's joints (side -> joints from the thigh down), of a side view biped."""
    skeleton = result.skeleton
    assert skeleton.anatomy.body_plan == "biped" and skeleton.anatomy.view == "side"
    legs: dict[str, list] = {}
    for joint in skeleton.joints:
        if joint.part == "leg":
            legs.setdefault(joint.side, []).append(joint)
    assert sorted(legs) == ["L", "R"]
    return legs


def _roles(leg: list) -> list[str]:
    return [joint.name.split(".")[0] for joint in leg]


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if not n.startswith("person")))
def test_short_legs_from_the_side_start_level_with_the_hips(name):
    result = run(name)
    hips = result.skeleton.joints[0]
    size = FIGURES[name].mask.shape[0]
    for leg in _legs(result).values():
        assert _roles(leg)[0] == "thigh"
        assert abs(leg[0].pixel[1] - hips.pixel[1]) <= 0.01 * size  # not down at the knee


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if not n.startswith("person")))
def test_short_legs_from_the_side_bend_at_the_knee_halfway_to_the_ankle(name):
    for leg in _legs(run(name)).values():
        y = {role: joint.pixel[1] for role, joint in zip(_roles(leg), leg)}
        thigh, knee, ankle = y["thigh"], y["shin"], y["foot"]
        assert 0.3 <= (knee - thigh) / (ankle - thigh) <= 0.7  # a shin as long as the thigh, about


@pytest.mark.parametrize("name", ["stub_foot_side", "stub_foot_side_flipped"])
def test_a_stub_of_a_foot_gets_no_toe(name):
    for leg in _legs(run(name)).values():
        assert _roles(leg) == ["thigh", "shin", "foot", "foot_end"]


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if n.startswith("person")))
def test_a_persons_long_foot_from_the_side_keeps_its_toe(name):
    for leg in _legs(run(name)).values():
        assert _roles(leg) == ["thigh", "shin", "foot", "toe", "toe_end"]


def test_ankle_sought_from_halfway_keeps_the_knee_off_a_long_foots_turn():
    """A leg straight down 1 then a foot 0.8 along the floor (a plush leg from the hips): the knee's
    proportional place snaps onto the ankle's turn unless the turn is sought first."""
    down = np.stack([np.zeros(11), np.linspace(0.0, -1.0, 11), np.zeros(11)], axis=1)
    foot = np.stack([-np.linspace(0.1, 0.8, 8), -np.ones(8), np.zeros(8)], axis=1)
    poly = np.vstack([down, foot])
    turn = 1.0 / 1.8
    assert leg_cuts(poly)[0] == pytest.approx(turn, abs=0.03)  # the old reading: a shin of no length
    knee, ankle, toe = leg_cuts(poly, ankle_from=0.5)
    assert knee == pytest.approx(turn / 2, abs=0.03) and ankle == pytest.approx(turn, abs=0.03)
    assert ankle < toe < 1.0
