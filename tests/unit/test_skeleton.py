"""The skeleton file: version 2 carries parts, sides, hidden joints and the figure's anatomy; version 2
files from before joints were marked hidden and version 1 files still read."""
from __future__ import annotations

import json

import pytest

from pointskel_blender.core.errors import SkeletonError
from pointskel_blender.core.skeleton import Anatomy, Joint, Skeleton


def _arm() -> Skeleton:
    joints = [
        Joint("spine", None, (5, 9), (0, 0, 0), 0.1, "spine"),
        Joint("spine.001", 0, (5, 5), (0, 0.4, 0), 0.1, "spine"),
        Joint("upper_arm.L", 0, (7, 8), (0.2, 0.1, 0), 0.05, "arm", "L"),
        Joint("forearm.L", 2, (8, 8), (0.3, 0.1, 0), 0.04, "arm", "L"),
        Joint("forearm_end.L", 3, (9, 8), (0.4, 0.1, 0), 0.03, "arm", "L"),
        Joint("spine_end", 1, (5, 1), (0, 0.8, 0), 0.1, "spine"),
        Joint("tail", 0, (5, 9), (0, -0.1, -0.2), 0.05, "tail", hidden=True),
        Joint("tail_end", 6, (5, 9), (0, -0.2, -0.4), 0.04, "tail", hidden=True),
    ]
    return Skeleton(joints, (10, 10), "x.png", {}, Anatomy("biped", 0.9, "front", 0.8, "viewer", "rigify"))


def test_version_2_round_trips_parts_sides_and_anatomy(tmp_path):
    skeleton = _arm()
    path = tmp_path / "s.json"
    skeleton.save(path)
    back = Skeleton.load(path)
    assert back.joints == skeleton.joints
    assert back.anatomy == skeleton.anatomy
    assert json.loads(path.read_text())["version"] == 2
    assert [j.name for j in back.joints if j.hidden] == ["tail", "tail_end"]


def test_a_version_2_file_written_before_hidden_joints_reads_every_joint_as_shown(tmp_path):
    data = _arm().to_dict()
    for joint in data["joints"]:
        del joint["hidden"]
    back = Skeleton.from_dict(json.loads(json.dumps(data)))
    assert not any(j.hidden for j in back.joints) and len(back.joints) == 8


def test_a_hidden_mark_that_is_no_boolean_is_refused():
    data = _arm().to_dict()
    data["joints"][6]["hidden"] = "yes"
    with pytest.raises(SkeletonError, match="malformed skeleton joint data"):
        Skeleton.from_dict(data)


def test_a_bone_runs_to_the_child_of_its_own_part_and_a_tip_has_none():
    skeleton = _arm()
    assert skeleton.tail_child(0) == 1  # spine continues up, not into the arm
    assert skeleton.tail_child(2) == 3
    assert skeleton.tail_child(4) is None


def test_version_1_files_still_read_without_parts(tmp_path):
    path = tmp_path / "old.json"
    joints = [{"name": "root", "parent": None, "pixel": [0, 0], "position": [0, 0, 0], "radius": 1},
              {"name": "head", "parent": 0, "pixel": [0, 1], "position": [0, 1, 0], "radius": 1}]
    path.write_text(json.dumps({"format": "pointskel-skeleton", "version": 1, "image_size": [4, 4],
                                "joints": joints}))
    old = Skeleton.load(path)
    assert [j.part for j in old.joints] == ["", ""] and old.anatomy is None


@pytest.mark.parametrize("change, message", [
    ({"part": "tentacle"}, "unknown part"),
    ({"side": "left"}, "unknown part 'arm' or side"),
])
def test_unknown_parts_and_sides_are_refused(change, message):
    joint = {"name": "a", "parent": None, "pixel": [0, 0], "position": [0, 0, 0], "radius": 1, "part": "arm",
             "side": "L"} | change
    with pytest.raises(SkeletonError, match=message):
        Skeleton.from_dict({"format": "pointskel-skeleton", "version": 2, "image_size": [4, 4],
                            "joints": [joint]})


def test_anatomy_values_are_checked():
    with pytest.raises(SkeletonError, match="unknown body plan"):
        Anatomy("dragon")
    with pytest.raises(SkeletonError, match="confidence"):
        Anatomy("biped", 1.5)
