"""Rig types for a Rigify metarig: what each bone gets, the bones a rig type needs, chains Rigify follows."""
from __future__ import annotations

import numpy as np
import pytest
from rig_bones import biped, mirrored

from pointskel_blender.rig.control_plan import RigBone
from pointskel_blender.rig.rigify_plan import MetarigPlan, plan_metarig


def rig_chains(bones: list[RigBone], plan: MetarigPlan) -> dict[str, list[str]]:
    """What Rigify's rigs take: a typed bone and its connected children while each has exactly one
    (rigify.utils.rig.connected_children_names), on the plan's renamed bones and extras."""
    renames = dict(plan.renames)
    parent = {renames.get(b.name, b.name): renames.get(b.parent, b.parent) for b in bones}
    parent.update({e.name: e.parent for e in plan.extra})
    chains = {}
    for item in plan.types:
        chain = [item.bone]
        while True:
            kids = [k for k, p in parent.items() if p == chain[-1] and k in plan.connected]
            if len(kids) != 1:
                break
            chain.append(kids[0])
        chains[item.bone] = chain
    return chains


def test_a_biped_gets_rigify_s_human_rig_types_with_every_bone_in_one_rig():
    bones = biped()
    plan = plan_metarig(bones, "biped")
    chains = rig_chains(bones, plan)
    assert plan.type_of("spine") == "basic.copy_chain" and chains["spine"] == ["spine", "spine.001"]
    assert plan.type_of("neck") == "spines.super_head" and chains["neck"] == ["neck", "head"]
    assert plan.type_of("shoulder.L") == "basic.super_copy" and chains["shoulder.L"] == ["shoulder.L"]
    assert plan.type_of("upper_arm.L") == "limbs.arm"
    assert chains["upper_arm.R"] == ["upper_arm.R", "forearm.R", "hand.R"]
    assert plan.type_of("thigh.L") == "limbs.leg"
    assert chains["thigh.L"] == ["thigh.L", "shin.L", "foot.L", "toe.L"]  # the toe is added
    limb = next(t for t in plan.types if t.bone == "thigh.L")
    assert ("segments", 1) in limb.parameters  # one DEF- bone per bone: weights carry over by name
    covered = [b for chain in chains.values() for b in chain]
    heels = [e.name for e in plan.extra if not e.deform]
    assert sorted(covered) == sorted([b.name for b in bones] + [e.name for e in plan.extra if e.deform])
    assert len(set(covered)) == len(covered)  # no bone in two rigs
    assert heels == ["heel.L", "heel.R"]


def test_a_leg_s_heel_lies_on_the_floor_behind_the_ankle_across_the_foot():
    plan = plan_metarig(biped(), "biped")
    heels = {e.name: e for e in plan.extra if e.name.startswith("heel")}
    left, right = heels["heel.L"], heels["heel.R"]
    assert left.parent == "foot.L" and not left.connected and not left.deform
    assert left.head[2] == left.tail[2] == pytest.approx(0.0)
    assert left.head[1] > 0  # behind the ankle (the figure faces -Y)
    assert left.tail[0] > left.head[0] > 0 and right.tail[0] < right.head[0] < 0  # inside to outside
    toe = next(e for e in plan.extra if e.name == "toe.L")
    assert toe.connected and toe.deform and toe.head == pytest.approx((0.1, -0.12, 0.0))
    assert np.subtract(toe.tail, toe.head) @ np.array([0, -1, 0]) > 0  # points forward


def test_a_spine_of_three_bones_is_basic_spine_with_its_pivot_inside_the_chain():
    bones = [RigBone("spine", None, (0, 0, 1), (0, 0, 1.1), "spine"),
             RigBone("spine.001", "spine", (0, 0, 1.1), (0, 0, 1.2), "spine"),
             RigBone("spine.002", "spine.001", (0, 0, 1.2), (0, 0, 1.3), "spine")]
    plan = plan_metarig(bones, "biped")
    spine = plan.types[0]
    assert spine.rigify_type == "spines.basic_spine" and 0 < dict(spine.parameters)["pivot_pos"] < 3
    short = plan_metarig(bones[:2], "biped")
    assert short.type_of("spine") == "basic.copy_chain"  # basic_spine needs three bones


def test_quadrupeds_get_paws_and_birds_get_paws_and_tentacle_wings():
    body = [RigBone("spine", None, (0, 0.3, 0.8), (0, 0, 0.8), "spine"),
            RigBone("spine.001", "spine", (0, 0, 0.8), (0, -0.3, 0.8), "spine"),
            RigBone("tail", "spine", (0, 0.3, 0.8), (0, 0.5, 0.8), "tail"),
            RigBone("tail.001", "tail", (0, 0.5, 0.8), (0, 0.7, 0.75), "tail")]
    legs = [RigBone("front_thigh.L", "spine.001", (0.1, -0.3, 0.7), (0.1, -0.28, 0.4), "front_leg", "L"),
            RigBone("front_shin.L", "front_thigh.L", (0.1, -0.28, 0.4), (0.1, -0.3, 0.1), "front_leg", "L"),
            RigBone("front_foot.L", "front_shin.L", (0.1, -0.3, 0.1), (0.1, -0.35, 0.0), "front_leg", "L"),
            RigBone("thigh.L", "spine", (0.1, 0.3, 0.7), (0.1, 0.25, 0.45), "hind_leg", "L"),
            RigBone("shin.L", "thigh.L", (0.1, 0.25, 0.45), (0.1, 0.35, 0.2), "hind_leg", "L"),
            RigBone("foot.L", "shin.L", (0.1, 0.35, 0.2), (0.1, 0.33, 0.0), "hind_leg", "L"),
            RigBone("toe.L", "foot.L", (0.1, 0.33, 0.0), (0.1, 0.25, 0.0), "hind_leg", "L")]
    bones = mirrored(body + legs)
    plan = plan_metarig(bones, "quadruped")
    chains = rig_chains(bones, plan)
    assert plan.type_of("front_thigh.L") == "limbs.front_paw"
    assert chains["front_thigh.L"][-1] == "front_toe.L"  # a toe added: paws need four bones
    assert plan.type_of("thigh.R") == "limbs.rear_paw" and len(chains["thigh.R"]) == 4
    assert not [e for e in plan.extra if e.name.startswith("heel")]  # only limbs.leg wants a heel
    assert plan.type_of("tail") == "spines.basic_tail" and chains["tail"] == ["tail", "tail.001"]
    assert plan.type_of("spine") == "basic.copy_chain"

    wing = [RigBone("wing.L", "spine.001", (0.05, -0.2, 0.85), (0.3, -0.2, 0.85), "wing", "L"),
            RigBone("wing.L.001", "wing.L", (0.3, -0.2, 0.85), (0.6, -0.2, 0.85), "wing", "L")]
    bird = mirrored(body + wing + legs[3:])
    plan = plan_metarig(bird, "bird")
    assert plan.type_of("wing.L") == "limbs.simple_tentacle"
    assert plan.type_of("thigh.L") == "limbs.paw"


def test_a_bone_named_root_is_renamed_and_unlabelled_bones_each_get_a_copy_rig():
    bones = [RigBone("root", None, (0, 0, 0.5), (0, 0, 1.0)),
             RigBone("arm_1.L", "root", (0, 0, 1), (0.3, 0, 1)),
             RigBone("arm_2.L", "arm_1.L", (0.3, 0, 1), (0.6, 0, 1))]
    plan = plan_metarig(bones, "generic")
    assert plan.renames == (("root", "root_bone"),)
    assert [(t.bone, t.rigify_type) for t in plan.types] == [
        ("root_bone", "basic.super_copy"), ("arm_1.L", "basic.super_copy"), ("arm_2.L", "basic.super_copy")]
    assert not plan.connected
    assert dict(plan.collection_of) == {"root_bone": "Body", "arm_1.L": "Body", "arm_2.L": "Body"}


def test_bone_collections_are_one_ui_row_per_part_with_sides_side_by_side():
    plan = plan_metarig(biped(), "biped")
    rows = dict(plan.collections)
    assert rows["Arm.L"] == rows["Arm.R"] != rows["Leg.L"] == rows["Leg.R"]
    assert rows["Torso"] == 1
    # a limb's FK and tweak controls get rows of their own, right below its IK row (as in Rigify's metarigs)
    arm = next(t for t in plan.types if t.bone == "upper_arm.L")
    assert arm.collection_refs == (("fk", "Arm.L (FK)"), ("tweak", "Arm.L (Tweak)"))
    assert rows["Arm.L"] + 1 == rows["Arm.R (FK)"] == rows["Arm.L (FK)"] == rows["Arm.L (Tweak)"] - 1
    of = dict(plan.collection_of)
    assert of["head"] == "Torso" and of["toe.L"] == "Leg.L" and of["heel.R"] == "Leg.R"
