import numpy as np
import pytest

from trainer.metrics import match_joints, mean_scores, sample_bones, score_skeleton

# A small "Y" skeleton in pixels: root, a trunk joint, two branch tips.
JOINTS = np.array([[50.0, 90.0], [50.0, 50.0], [20.0, 10.0], [80.0, 10.0]])
PARENTS = np.array([-1, 0, 1, 1])
HEIGHT = 80.0


def test_identical_skeleton_scores_perfectly():
    s = score_skeleton(JOINTS, PARENTS, JOINTS, PARENTS, HEIGHT)
    assert s.cd_j2j == pytest.approx(0) and s.cd_j2b == pytest.approx(0)
    assert s.cd_b2b == pytest.approx(0, abs=1e-9)
    assert (s.precision, s.recall, s.f1, s.iou, s.count_ratio) == (1, 1, 1, 1, 1)


def test_shift_gives_cd_j2j_in_percent_of_height():
    s = score_skeleton(JOINTS + [2.0, 0.0], PARENTS, JOINTS, PARENTS, HEIGHT)
    assert s.cd_j2j == pytest.approx(100 * 2.0 / HEIGHT)
    # joints slide along the trunk bone: at most the shift, often less
    assert 0 < s.cd_j2b <= s.cd_j2j + 1e-9


def test_matching_is_one_to_one_within_tolerance():
    pred = np.array([[50.0, 50.0], [50.5, 50.0], [0.0, 0.0]])
    true = np.array([[50.0, 50.0], [10.0, 10.0]])
    assert match_joints(pred, true, tolerance=1.0) == 1
    assert match_joints(pred, true, tolerance=100.0) == 2


def test_missing_and_extra_joints_change_precision_recall():
    fewer = score_skeleton(JOINTS[:2], PARENTS[:2], JOINTS, PARENTS, HEIGHT)
    assert fewer.precision == 1 and fewer.recall == 0.5 and fewer.count_ratio == 0.5
    extra_j = np.vstack([JOINTS, [[50.0, 30.0]]])
    extra = score_skeleton(extra_j, np.append(PARENTS, 1), JOINTS, PARENTS, HEIGHT)
    assert extra.recall == 1 and extra.precision == pytest.approx(0.8)
    assert extra.iou == pytest.approx(4 / 5)
    assert extra.f1 == pytest.approx(2 * 0.8 / 1.8)


def test_bone_sampling_covers_bones_densely():
    pts = sample_bones(JOINTS / HEIGHT, PARENTS, 0.01)
    seg = np.linspace(JOINTS[0], JOINTS[1], 7) / HEIGHT
    from scipy.spatial import cKDTree

    assert cKDTree(pts).query(seg)[0].max() < 0.006


def test_mean_scores_averages_each_metric():
    a = score_skeleton(JOINTS, PARENTS, JOINTS, PARENTS, HEIGHT)
    b = score_skeleton(JOINTS[:2], PARENTS[:2], JOINTS, PARENTS, HEIGHT)
    m = mean_scores([a, b])
    assert m["recall"] == pytest.approx(0.75) and m["precision"] == 1
