"""The rigger's metrics on constructed skeletons: limb tips, part naming, bones per arm/leg."""
from __future__ import annotations

import numpy as np
import pytest

from pointskel_blender.core.skeleton import PARTS
from trainer.characters import CHUNKY_TEMPLATES, TEMPLATES
from trainer.rig_metrics import (
    chain_bones,
    joint_sides,
    part_accuracy,
    score_rig,
    tips,
    truth_part,
    truth_parts,
    visible_tips,
)

# A front-view figure, 100 px: hips (0), chest (1), head (2), left arm 3-5, right arm 6-8, legs 9-10, 11-12.
JOINTS = np.array(
    [[50, 60], [50, 40], [50, 20], [60, 40], [70, 40], [80, 40], [40, 40], [30, 40], [20, 40],
     [55, 80], [55, 95], [45, 80], [45, 95]], dtype=float
)
PARENTS = np.array([-1, 0, 1, 1, 3, 4, 1, 6, 7, 0, 9, 0, 11])
NAMES = ["root", "chest", "head_end", "shoulder.L", "elbow.L", "hand_end.L", "shoulder.R", "elbow.R",
         "hand_end.R", "knee.L", "toe.L", "knee.R", "toe.R"]
PARTS_TRUE = truth_parts(NAMES, "biped")
SIDES = joint_sides(NAMES)


def score(joints, parents, parts, size=100.0):
    return score_rig(joints, parents, parts, JOINTS, PARENTS, PARTS_TRUE, SIDES, size)


def test_the_truth_scores_perfectly():
    s = score(JOINTS, PARENTS, PARTS_TRUE)
    assert (s.tip_recall, s.tip_precision, s.part_accuracy, s.limb_bones_error, s.limb_bones_within_1) == (
        1.0, 1.0, 1.0, 0.0, 1.0)


def test_a_missing_limb_lowers_recall_and_an_extra_tip_precision():
    keep = [j for j in range(len(JOINTS)) if j not in (4, 5)]  # the left arm ends at the shoulder
    index = {j: k for k, j in enumerate(keep)}
    parents = np.array([-1 if PARENTS[j] < 0 else index[PARENTS[j]] for j in keep])
    s = score(JOINTS[keep], parents, [PARTS_TRUE[j] for j in keep])
    assert s.tip_recall == pytest.approx(4 / 5)  # head, right hand, both toes; the left hand is lost
    assert s.tip_precision == pytest.approx(4 / 5)  # the stub at the shoulder (60, 40) is no true tip
    spur = np.vstack([JOINTS, [[50, 50]]])  # a twig off the hips toward the belly
    s = score(spur, np.append(PARENTS, 0), list(PARTS_TRUE) + [""])
    assert s.tip_recall == 1.0 and s.tip_precision == pytest.approx(5 / 6)


def test_tips_match_within_the_tolerance_of_the_figure_size_not_one_to_one():
    near = JOINTS.copy()
    near[[2, 5, 8, 10, 12]] += [0.0, -7.0]  # every tip 7 px off: inside 7.5 % of 100 px
    assert score(near, PARENTS, PARTS_TRUE).tip_recall == 1.0
    near[[2, 5, 8, 10, 12]] += [0.0, -1.0]  # 8 px: outside
    assert score(near, PARENTS, PARTS_TRUE).tip_recall == 0.0
    assert score(near, PARENTS, PARTS_TRUE, size=200.0).tip_recall == 1.0


def test_part_accuracy_reads_the_nearest_predicted_joint():
    assert score(JOINTS, PARENTS, [""] * len(JOINTS)).part_accuracy == 0.0  # no anatomy stage: 0
    swapped = list(PARTS_TRUE)
    swapped[4] = swapped[5] = "leg"  # a forearm called a leg: 2 of 13 joints wrong
    assert score(JOINTS, PARENTS, swapped).part_accuracy == pytest.approx(11 / 13)


def test_two_labellings_of_one_skeleton_are_scored_on_the_same_joints():
    """A second labelling (a model's parts beside the anatomy's rules) needs no other metric recomputed."""
    moved = JOINTS + 1.5  # a predicted skeleton a little off the truth: nearest joints stay the same
    rules = list(PARTS_TRUE)
    learned = ["spine", "spine", "head", "arm", "arm", "arm", "arm", "arm", "leg", "leg", "leg", "leg", "leg"]
    assert part_accuracy(moved, rules, JOINTS, PARTS_TRUE) == 1.0
    assert part_accuracy(moved, learned, JOINTS, PARTS_TRUE) == pytest.approx(12 / 13)  # one hand a leg
    for labels in (rules, learned):
        scored = score(moved, PARENTS, labels)
        assert scored.part_accuracy == part_accuracy(moved, labels, JOINTS, PARTS_TRUE)
        assert scored.tip_recall == score(moved, PARENTS, rules).tip_recall
    assert part_accuracy(moved, learned, JOINTS, [""] * len(JOINTS)) is None  # the truth names no part


def _subdivide(joints: np.ndarray, parents: np.ndarray, child: int) -> tuple[np.ndarray, np.ndarray]:
    """A joint inserted halfway along the bone into `child`, appended last (parents need not come first)."""
    joints = np.vstack([joints, (joints[child] + joints[parents[child]]) / 2])
    parents = np.append(parents, parents[child])
    parents[child] = len(parents) - 1
    return joints, parents


def test_bones_per_limb_count_the_chain_ending_at_the_limbs_tip():
    assert [chain_bones(PARENTS, t) for t in tips(PARENTS)] == [1, 3, 3, 2, 2]
    joints, parents = _subdivide(*_subdivide(JOINTS, PARENTS, 5), 4)  # the left arm in 5 bones, not 3
    s = score(joints, parents, [""] * len(joints))
    assert s.limb_bones_error == pytest.approx(2 / 4)  # |5 - 3| on one arm, 0 on the other three limbs
    assert s.limb_bones_within_1 == pytest.approx(3 / 4)
    joints, parents = _subdivide(JOINTS, PARENTS, 5)
    assert score(joints, parents, [""] * len(joints)).limb_bones_within_1 == 1.0


def test_truth_parts_of_the_templates_and_metarig_names():
    assert truth_part("elbow.L", "biped") == "arm" and truth_part("elbow.L", "bird") == "wing"
    assert truth_part("front_paw.R", "quadruped") == "front_leg"
    assert truth_part("hind_hip.L", "quadruped") == "hind_leg"
    assert truth_part("upper_arm.L", "quadruped") == "front_leg"  # a cat's front leg
    assert truth_part("thigh.R", "quadruped") == "hind_leg"
    assert truth_part("spine.004", "biped") == "neck" and truth_part("spine.006_end", "biped") == "head"
    assert truth_part("spine.004", "quadruped") == ""  # a quadruped metarig's spine runs into neck and tail
    assert truth_part("middle_2.L", "biped") == "" and truth_part("branch_1_02", "") == ""
    assert truth_part("ear_tip.L", "quadruped") == "ear" and truth_parts(["tail_03"], "snake") == ("tail",)
    assert joint_sides(["hand.L_end", "ear_tip.R", "Wing.001.L", "neck.001"]) == ("L", "R", "L", "")


@pytest.mark.parametrize("kind", sorted(TEMPLATES) + sorted(CHUNKY_TEMPLATES))
def test_every_template_joint_gets_a_part_of_the_contract(kind):
    templates = {**TEMPLATES, **CHUNKY_TEMPLATES}
    for k in range(4):
        names = templates[kind](np.random.default_rng([5, k]), None).build()[1].names
        parts = truth_parts(names, kind)
        assert set(parts) <= set(PARTS)
        if kind not in ("tree", "object"):
            assert sum(p != "" for p in parts) >= 0.5 * len(parts), (kind, names, parts)  # fingers have none


def _figure_mask() -> np.ndarray:
    """The figure of JOINTS drawn as a 100 px silhouette: a torso block, arms held out, legs below."""
    mask = np.zeros((100, 100), bool)
    mask[15:80, 38:62] = True  # head, chest and hips
    mask[36:44, 15:85] = True  # both arms out to the hands (x 20 and 80)
    mask[80:97, 42:58] = True  # the legs
    return mask


def test_visible_tips_are_those_the_outline_passes_within_the_tip_tolerance_of():
    mask = _figure_mask()
    shown = visible_tips(mask, JOINTS, 100.0)
    assert shown[[2, 5, 8, 10, 12]].all()  # head top, hands at the arm ends, toes at the bottom
    inside = JOINTS.copy()
    inside[5] = [50, 60]  # the left hand drawn over the middle of the torso: 12 px from the outline
    assert not visible_tips(mask, inside, 100.0)[5]
    assert visible_tips(mask, inside, 100.0, tolerance=0.13)[5]  # ... within 13 % it would count
    assert not visible_tips(mask, [[50, 200]], 100.0)[0]  # far off the silhouette
    assert visible_tips(mask, [[50, 99]], 100.0)[0]  # just below the feet: the outline is 2 px away


def test_visible_tip_recall_counts_only_the_tips_the_picture_shows():
    keep = [j for j in range(len(JOINTS)) if j not in (4, 5)]  # the left arm lost
    index = {j: k for k, j in enumerate(keep)}
    parents = np.array([-1 if PARENTS[j] < 0 else index[PARENTS[j]] for j in keep])
    parts = [PARTS_TRUE[j] for j in keep]
    shown = np.ones(len(JOINTS), bool)
    s = score_rig(JOINTS[keep], parents, parts, JOINTS, PARENTS, PARTS_TRUE, SIDES, 100.0, visible=shown)
    assert s.visible_tip_recall == s.tip_recall == pytest.approx(4 / 5)
    shown[5] = False  # the lost hand was hidden: visible recall is whole, tip recall unchanged
    s = score_rig(JOINTS[keep], parents, parts, JOINTS, PARENTS, PARTS_TRUE, SIDES, 100.0, visible=shown)
    assert s.visible_tip_recall == 1.0 and s.tip_recall == pytest.approx(4 / 5)
    assert score(JOINTS, PARENTS, PARTS_TRUE).visible_tip_recall is None  # no visibility given
    hidden = np.zeros(len(JOINTS), bool)
    assert score_rig(JOINTS, PARENTS, PARTS_TRUE, JOINTS, PARENTS, PARTS_TRUE, SIDES, 100.0,
                     visible=hidden).visible_tip_recall is None  # no tip shows: undefined, not 0 or 1


def test_a_centipedes_segments_are_its_spine_and_an_octopuss_arms_generic_limbs():
    assert truth_parts(["root", "segment_02", "segment_10", "head"], "many_legs") == (
        "spine", "spine", "spine", "head")
    assert truth_parts(["leg_03_knee.L", "leg_03_tip.R", "antenna.L"], "many_legs") == ("leg", "leg", "")
    assert truth_parts(["mantle", "mantle_end", "arm_3_1", "arm_3_4"], "many_legs") == (
        "spine", "spine", "limb", "limb")
