"""The IK control decisions: limb chains, which two bones IK solves, poles, rest bends, names."""
from __future__ import annotations

import numpy as np
import pytest
from rig_bones import biped

from pointskel_blender.rig.control_plan import (
    REST_BEND,
    WOBBLE,
    LimbChain,
    RigBone,
    derived_name,
    ik_start,
    limb_chains,
    plan_controls,
    pole_direction,
    rest_bend,
    snap_pole,
    turned_pole,
)
from pointskel_blender.core.errors import PointSkelError


def by_name(plan):
    return {limb.chain.bones[0]: limb for limb in plan.limbs}


def test_limb_chains_follow_one_part_and_side_from_where_the_limb_leaves_the_body():
    bones = biped() + [RigBone("finger.L", "hand.L", (0.82, 0, 1.42), (0.9, 0, 1.42), "", "")]
    chains = {c.bones[0]: c for c in limb_chains(bones)}
    assert set(chains) == {"shoulder.L", "shoulder.R", "thigh.L", "thigh.R"}
    assert chains["shoulder.L"].bones == ("shoulder.L", "upper_arm.L", "forearm.L", "hand.L")
    assert chains["thigh.R"] == LimbChain("leg", "R", ("thigh.R", "shin.R", "foot.R"))


def test_the_ik_pair_is_upper_arm_and_forearm_by_name_or_by_length():
    chain = LimbChain("arm", "L", ("shoulder.L", "upper_arm.L", "forearm.L", "hand.L"))
    assert ik_start(chain, [0.13, 0.3, 0.27, 0.1]) == 1
    # Without the anatomy's names: a short first bone is a clavicle, a long one the upper arm.
    generic = LimbChain("limb", "L", ("limb_a.L", "limb_a.L.001", "limb_a.L.002"))
    assert ik_start(generic, [0.13, 0.3, 0.27]) == 1
    assert ik_start(generic, [0.3, 0.27, 0.1]) == 0
    four = LimbChain("limb", "", ("a", "b", "c", "d"))
    assert ik_start(four, [0.1, 0.3, 0.3, 0.1]) == 1
    assert ik_start(four, [0.45, 0.45, 0.1, 0.05]) == 0
    assert ik_start(LimbChain("leg", "L", ("leg.L",)), [0.5]) is None


def test_knees_point_forward_and_elbows_back_whatever_the_limb_does():
    hip, knee, ankle = np.array([0.1, 0, 1.0]), np.array([0.1, 0, 0.55]), np.array([0.1, 0, 0.1])
    assert pole_direction("leg", hip, knee, ankle) == pytest.approx([0, -1, 0])
    assert pole_direction("hind_leg", hip, knee, ankle) == pytest.approx([0, -1, 0])
    assert pole_direction("front_leg", hip, knee, ankle) == pytest.approx([0, 1, 0])
    shoulder, elbow, wrist = np.array([0.15, 0, 1.4]), np.array([0.45, 0, 1.4]), np.array([0.75, 0, 1.4])
    assert pole_direction("arm", shoulder, elbow, wrist) == pytest.approx([0, 1, 0])
    # An arm pointing forward (along -Y) cannot have its elbow behind it: it keeps its own bend.
    forward = pole_direction("arm", shoulder, np.array([0.15, -0.3, 1.35]), np.array([0.15, -0.6, 1.4]))
    assert forward == pytest.approx([0, 0, -1])
    direction = pole_direction("leg", hip, knee, np.array([0.3, -0.2, 0.2]))
    assert abs(np.dot(direction, (np.array([0.3, -0.2, 0.2]) - hip))) < 1e-9  # perpendicular to the limb


def test_a_straight_limb_gets_a_slight_bend_toward_its_pole_and_a_bent_one_keeps_its_shape():
    hip, knee, ankle = np.array([0.0, 0, 1.0]), np.array([0.0, 0, 0.5]), np.array([0.0, 0, 0.0])
    forward = np.array([0.0, -1.0, 0.0])
    bent = rest_bend(hip, knee, ankle, forward)
    assert bent == pytest.approx([0, -REST_BEND * 1.0, 0.5])
    already = np.array([0.0, -0.1, 0.5])
    assert rest_bend(hip, already, ankle, forward) == pytest.approx(already)
    backward = np.array([0.0, 0.02, 0.5])  # hyperextended: brought to the same slight forward bend
    assert rest_bend(hip, backward, ankle, forward) == pytest.approx([0, -REST_BEND * float(
        np.linalg.norm(backward - hip) + np.linalg.norm(ankle - backward)), 0.5])


def test_a_knee_drawn_slightly_outward_is_put_in_the_poles_plane_and_a_drawn_elbow_bend_stays():
    hip, ankle = np.array([0.1, 0, 1.0]), np.array([0.1, 0, 0.0])
    forward = np.array([0.0, -1.0, 0.0])
    outward = np.array([0.1 + 0.6 * WOBBLE, 0, 0.5])  # a front view's wobble, in the image plane
    assert rest_bend(hip, outward, ankle, forward) == pytest.approx(
        [0.1, -REST_BEND * float(np.linalg.norm(outward - hip) + np.linalg.norm(ankle - outward)), 0.5])
    shoulder, hand, back = np.array([0.2, 0, 1.4]), np.array([0.7, 0, 1.4]), np.array([0.0, 1.0, 0.0])
    elbow = np.array([0.45, 0, 1.2])  # bent down in the picture by 40 % of the arm's length
    bent = rest_bend(shoulder, elbow, hand, back)
    assert bent[[0, 2]] == pytest.approx(elbow[[0, 2]]) and bent[1] > 0


def test_a_pole_sits_where_a_drawn_bent_limb_bends():
    """An elbow bent down in the picture (20 % of the arm's reach below the line shoulder-hand): the
    pole goes in that bend's plane, leaning back by the rest bend, so IK bends the arm where its
    pole is and not across it."""
    elbow = (0.44, 0, 1.26)
    moved = {"upper_arm.L": lambda b: RigBone(b.name, b.parent, b.head, elbow, b.part, b.side),
             "forearm.L": lambda b: RigBone(b.name, b.parent, elbow, b.tail, b.part, b.side)}
    bones = [moved.get(b.name, lambda b: b)(b) for b in biped()]
    arm = by_name(plan_controls(bones))["shoulder.L"]
    start, end = np.array((0.15, 0, 1.42)), np.array((0.72, 0, 1.42))
    middle, pole = np.array(arm.middle), np.array(arm.pole_head)
    normal = np.cross(end - start, middle - start)
    assert abs(np.dot(pole - start, normal)) < 1e-9 * np.linalg.norm(normal)  # in the limb's plane
    assert pole[2] < middle[2] and pole[1] > 0  # down where it bends, and behind


def test_plan_puts_root_on_the_floor_torso_at_the_hips_and_targets_on_hands_and_feet():
    plan = plan_controls(biped())
    assert plan.root == "root" and plan.torso == "torso" and plan.hips == "spine"
    assert plan.root_head == (0, 0, 0) and plan.root_tail[2] == 0 and plan.root_tail[1] > 0
    assert plan.torso_head == pytest.approx((0, 0, 1.0))
    limbs = by_name(plan)
    arm, leg = limbs["shoulder.L"], limbs["thigh.L"]
    assert (arm.upper, arm.lower, arm.effector, arm.target, arm.pole) == (
        "upper_arm.L", "forearm.L", "hand.L", "hand_ik.L", "upper_arm_pole.L")
    assert (arm.target_head, arm.target_tail) == ((0.72, 0, 1.42), (0.82, 0, 1.42))  # a copy of the hand
    assert arm.pole_head[1] > 0.3 and arm.middle[1] > 0  # elbow: pole behind, bent back
    assert (leg.effector, leg.target, leg.pole) == ("foot.L", "foot_ik.L", "thigh_pole.L")
    assert leg.pole_head[1] < -0.3 and leg.middle[1] < 0  # knee: pole in front, bent forward
    assert limbs["thigh.R"].target == "foot_ik.R"
    assert arm.mechanism == ("MCH-upper_arm.L", "MCH-forearm.L")  # the copy IK solves, Rigify's prefix


def test_a_two_bone_limb_aims_its_tip_at_a_small_target_bone():
    bones = [RigBone("body", None, (0, 0, 0.5), (0, 0, 0.8)),
             RigBone("limb_a", "body", (0, 0, 0.5), (0.3, 0, 0.5), "limb"),
             RigBone("limb_a.001", "limb_a", (0.3, 0, 0.5), (0.6, 0, 0.5), "limb")]
    limb = plan_controls(bones).limbs[0]
    assert limb.effector is None and limb.target == "limb_a.001_ik"
    assert limb.target_head == pytest.approx((0.6, 0, 0.5))
    assert np.subtract(limb.target_tail, limb.target_head) @ np.array([1, 0, 0]) > 0


def test_a_pair_that_does_not_meet_at_a_joint_gets_no_ik():
    """A table read as a prop: a leg down from the top's corner and, hanging from the same corner, a
    stub out along the top: one chain by part and side, but no elbow joins them."""
    leg = RigBone("limb_b.R", "body", (-0.39, 0, 0.28), (-0.39, 0, -0.32), "limb", "R")
    stub = RigBone("limb_a.R", "limb_b.R", (-0.42, 0, 0.28), (-0.46, 0, 0.29), "limb", "R")
    body = RigBone("body", None, (0, 0, 0.28), (0.4, 0, 0.28))
    assert not plan_controls([body, leg, stub]).limbs
    joined = RigBone("limb_a.R", "limb_b.R", (-0.39, 0, -0.32), (-0.45, 0, -0.32), "limb", "R")
    assert len(plan_controls([body, leg, joined]).limbs) == 1


def test_a_long_unlabelled_limb_stays_fk_like_a_tail():
    bones = [RigBone("body", None, (0, 0, 0.5), (0, 0, 0.8))]
    for i in range(6):
        name = "limb" if i == 0 else f"limb.{i:03d}"
        parent = "body" if i == 0 else ("limb" if i == 1 else f"limb.{i - 1:03d}")
        bones.append(RigBone(name, parent, (0.1 * i, 0, 0.5), (0.1 * (i + 1), 0, 0.5), "limb"))
    assert not plan_controls(bones).limbs
    assert len(plan_controls(bones[:4]).limbs) == 1


def test_control_names_never_take_a_deform_bone_s_name():
    bones = [RigBone("root", None, (0, 0, 0.5), (0, 0, 1.0)),
             RigBone("torso", "root", (0, 0, 1), (0, 0, 1.2))]
    plan = plan_controls(bones)
    assert plan.root == "root_ctrl" and plan.torso == "torso_ctrl" and plan.hips == "root"
    taken = {"hand_ik.L"}
    assert derived_name("hand.L", "ik", taken) == "hand_ik2.L"
    assert derived_name("wing.L.001", "ik", taken) == "wing_ik.L.001"
    assert derived_name("mixamorig:LeftHand", "ik", taken) == "mixamorig:LeftHand_ik"
    assert derived_name("hand_r", "ik", taken) == "hand_ik_r"
    with pytest.raises(PointSkelError):
        plan_controls([])


def _turn(degrees: float, axis) -> np.ndarray:
    """Rodrigues' rotation matrix about the unit `axis`."""
    axis = np.asarray(axis, dtype=np.float64) / np.linalg.norm(axis)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    a = np.radians(degrees)
    return np.eye(3) + np.sin(a) * k + (1 - np.cos(a)) * k @ k


REST_ARM = [np.array(p) for p in ((0.2, 0.0, 1.4), (0.45, 0.03, 1.4), (0.7, 0.0, 1.4), (0.45, 0.4, 1.41))]


def test_snap_pole_keeps_the_pole_where_the_plan_put_it_at_rest():
    assert snap_pole(REST_ARM, REST_ARM[:3]) == pytest.approx(REST_ARM[3])


def test_snap_pole_moves_the_pole_with_the_limb_as_one_body():
    """A limb turned and moved as one (its bend unchanged) takes its pole along, whatever the turn."""
    for degrees, axis, shift in ((40, (0, 0, 1), (0.1, -0.2, 0)), (75, (1, 2, -0.5), (0, 0, -0.3))):
        turn = _turn(degrees, axis)
        moved = [turn @ (p - REST_ARM[0]) + REST_ARM[0] + shift for p in REST_ARM]
        assert snap_pole(REST_ARM, moved[:3]) == pytest.approx(moved[3])


def test_snap_pole_follows_a_new_bend_and_leaves_a_straight_limb_alone():
    start, end = REST_ARM[0], REST_ARM[2]
    elbow_down = np.array((0.45, 0.0, 1.3))  # the same limb bent down instead of back
    pole = snap_pole(REST_ARM, [start, elbow_down, end])
    assert pole[2] < elbow_down[2] - 0.3 and abs(pole[1]) < 0.02  # below the elbow, in the limb's plane
    assert snap_pole(REST_ARM, [start, (start + end) / 2, end]) is None


def test_turned_pole_turns_by_the_angle_between_where_the_joint_went_and_where_it_should():
    start, end = np.zeros(3), np.array((1.0, 0, 0))
    wanted, pole = np.array((0.5, 0.2, 0)), np.array((0.5, 1.0, 0))
    got = np.array((0.5, 0.2 * np.cos(0.1), 0.2 * np.sin(0.1)))  # 0.1 rad off about the line
    turned = turned_pole(start, end, wanted, got, pole)
    assert turned == pytest.approx((0.5, np.cos(-0.1), np.sin(-0.1)))
    assert turned_pole(start, end, wanted, wanted, pole) == pytest.approx(pole)
