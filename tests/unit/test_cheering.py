"""People from the front cheering, both arms raised from the shoulders beside a big head or in a V
(`core.anatomy.upright.raised_pair`): the medial tree forks into the two arms where the shoulders and
the head make one broad top, a mirrored pair of tips as a beast's ears are, and no arm hangs besides;
they were read as a quadruped from the front with ears. In a Y pose (one arm raised along the head's
side, the other hanging) the raised arm was a lone ear (`upright.lone_ear`). Drawn figures through the
real pipeline with the geometric predictor, each also mirrored; plush animals with ears, quadrupeds
and a bird from the front keep their readings. A raised arm's socket is at the torso's top corner
where the figure's drawn shoulder is (`limbs.raised_socket`), not at the tree's fork beside the head,
and the neck starts a little over the sockets (between the clavicles' inner ends), under the head."""
from __future__ import annotations

import numpy as np
import pytest

import anatomy_figures as af

PEOPLE = af.both_facings(af.cheer_arms_up(), af.cheer_v_plush(), af.chibi_cheer(), af.cheer_y())
SHOULDERS = ((0.44, 0.32), (0.56, 0.32))  # where `anatomy_figures._cheering` draws them (x, y of the size)
EARED = af.both_facings(af.plush_bear(), af.bunny_front(), af.bunny_hands_up())
BEASTS = af.both_facings(af.bear_front(), af.dog_front())
BIRDS = af.both_facings(af.bird_front_wings_up())
skeleton = af.cached_results({**PEOPLE, **EARED, **BEASTS, **BIRDS})


def parts(name: str) -> list[tuple[str, str]]:
    return [(j.part, j.side) for j in skeleton(name).skeleton.joints]


@pytest.mark.parametrize("name", list(PEOPLE))
def test_a_person_cheering_from_the_front_is_a_biped(name):
    anatomy = skeleton(name).skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view) == ("biped", "front")


@pytest.mark.parametrize("name", list(PEOPLE))
def test_its_raised_arms_are_two_arms_over_its_head_not_ears(name):
    joints = skeleton(name).skeleton.joints
    arms = [j for j in joints if j.part == "arm"]
    assert not [j for j in joints if j.part == "ear"]
    assert {j.side for j in arms} == {"L", "R"}
    assert all(sum(j.side == side for j in arms) >= 4 for side in "LR")  # shoulder, upper arm, forearm, hand
    base = next(j for j in joints if j.name == "head")  # the head's base, where the neck meets it
    assert min(j.pixel[1] for j in arms) < base.pixel[1]  # the hands raised over it (image y runs down)


@pytest.mark.parametrize("name", list(EARED))
def test_a_plush_animal_with_ears_and_arms_keeps_its_ears(name):
    found = parts(name)
    anatomy = skeleton(name).skeleton.anatomy
    assert anatomy.body_plan == "biped"
    assert sum(p == "ear" for p, _ in found) >= 2 and sum(p == "arm" for p, _ in found) >= 8


@pytest.mark.parametrize("name", list(BEASTS))
def test_a_quadruped_from_the_front_keeps_its_ears_and_four_legs(name):
    found = parts(name)
    assert skeleton(name).skeleton.anatomy.body_plan == "quadruped"
    assert any(p == "ear" for p, _ in found) and not any(p == "arm" for p, _ in found)


@pytest.mark.parametrize("name", list(BIRDS))
def test_a_bird_raising_its_wings_from_the_front_stays_a_bird(name):
    assert skeleton(name).skeleton.anatomy.body_plan == "bird"


def raised_sockets(name: str) -> list:
    """The first bone of each arm past its clavicle (its head: the shoulder socket) whose hand is over it."""
    joints = skeleton(name).skeleton.joints
    hands = {j.side: j for j in joints if j.part == "arm" and j.name.startswith("hand_end")}
    return [j for j in joints if j.name.startswith("upper_arm") and hands[j.side].pixel[1] < j.pixel[1]]


@pytest.mark.parametrize("name", list(PEOPLE))
def test_a_raised_arm_pivots_at_the_drawn_shoulder_not_in_the_head(name):
    size = PEOPLE[name].mask.shape[0]
    sockets = raised_sockets(name)
    assert len(sockets) == (1 if name.startswith("cheer_y") else 2)
    for joint in sockets:
        x, y = joint.pixel[0] / size, joint.pixel[1] / size
        assert min(float(np.hypot(x - sx, y - sy)) for sx, sy in SHOULDERS) < 0.05


@pytest.mark.parametrize("name", list(PEOPLE))
def test_the_neck_starts_a_little_over_the_arms_sockets_under_the_head(name):
    # where a rigger starts it (Rigify's human: 0.18 of the way from the sockets to the crown; the
    # development truth 0.16): at the clavicles' inner ends, over the sockets, not level with them
    joints = {j.name: j for j in skeleton(name).skeleton.joints}
    level = float(np.mean([j.pixel[1] for j in joints.values() if j.name.startswith("upper_arm")]))
    rise = (level - joints["neck"].pixel[1]) / (level - joints["head_end"].pixel[1])
    assert 0.05 < rise < 0.25
    assert joints["head"].pixel[1] < joints["neck"].pixel[1]  # a neck of some length, then the head

