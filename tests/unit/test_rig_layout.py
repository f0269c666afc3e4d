"""The armature's bones without Blender: the contract's bones (no stubs), format-1 bones, rolls, warnings."""
from __future__ import annotations

import numpy as np
import pytest

from pointskel_blender.core.skeleton import Anatomy, Joint, Skeleton
from pointskel_blender.core.anatomy.doubt import figure_warning
from pointskel_blender.rig.layout import layout_bones

Z = np.array([0.0, 0.0, 1.0])


def _skeleton(rows, anatomy=None) -> Skeleton:
    """rows: (name, parent, position, part, side)."""
    names = [r[0] for r in rows]
    joints = [Joint(n, None if p is None else names.index(p), (0.0, 0.0), tuple(map(float, pos)), 0.1, part,
                    side)
              for n, p, pos, part, side in rows]
    return Skeleton(joints, (100, 100), anatomy=anatomy)


ARM = [  # hips -> chest -> neck -> head -> crown; an arm off the chest; Blender coordinates
    ("spine", None, (0, 0, 1), "spine", ""),
    ("spine.001", "spine", (0, 0, 1.4), "spine", ""),
    ("upper_arm.L", "spine.001", (0.2, 0, 1.4), "arm", "L"),  # first child of spine.001, another part
    ("neck", "spine.001", (0, 0, 1.6), "spine", ""),
    ("head", "neck", (0, 0, 1.7), "head", ""),
    ("head_end", "head", (0, 0, 1.9), "head", ""),
    ("forearm.L", "upper_arm.L", (0.5, 0, 1.4), "arm", "L"),
    ("hand_end.L", "forearm.L", (0.8, 0, 1.4), "arm", "L"),
]


def test_contract_bones_run_to_the_tail_child_and_tips_make_no_bone():
    skeleton = _skeleton(ARM)
    heads = np.array([r[2] for r in ARM], float)
    layout = layout_bones(skeleton, heads, np.full(len(ARM), 0.05), min_length=0.01)
    assert layout.names == ["spine", "spine.001", "upper_arm.L", "neck", "head", "forearm.L"]
    tails = dict(zip(layout.names, layout.tails.tolist()))
    assert tails["spine.001"] == pytest.approx([0, 0, 1.6])  # to the head (same part chain), not the arm
    assert tails["head"] == pytest.approx([0, 0, 1.9]) and tails["forearm.L"] == pytest.approx([0.8, 0, 1.4])
    parents = {n: (layout.names[p] if p >= 0 else None) for n, p in zip(layout.names, layout.parents)}
    assert parents == {"spine": None, "spine.001": "spine", "upper_arm.L": "spine.001", "neck": "spine.001",
                       "head": "neck", "forearm.L": "upper_arm.L"}
    connected = dict(zip(layout.names, layout.connected.tolist()))
    assert connected == {"spine": False, "spine.001": True, "upper_arm.L": False, "neck": True, "head": True,
                         "forearm.L": True}


def test_bones_roll_to_the_front_and_bones_along_y_roll_up():
    rows = [("spine", None, (0, 0.5, 1), "spine", ""), ("spine.001", "spine", (0, -0.5, 1), "spine", ""),
            ("thigh.L", "spine", (0.2, 0.5, 1), "hind_leg", "L"),
            ("foot_end.L", "thigh.L", (0.2, 0.5, 0), "hind_leg", "L"),
            ("neck", "spine.001", (0, -0.6, 1.2), "neck", ""),
            ("neck_end", "neck", (0, -0.7, 1.5), "neck", "")]
    layout = layout_bones(_skeleton(rows), np.array([r[2] for r in rows], float), np.full(6, 0.05), 0.01)
    axes = dict(zip(layout.names, layout.roll_axes.tolist()))
    assert axes["spine"] == [0, 0, 1]  # a quadruped's spine runs along -Y: its Z axis points up
    assert axes["thigh.L"] == [0, -1, 0] and axes["neck"] == [0, -1, 0]  # a leg bends about X, facing -Y


def test_short_bones_are_lengthened_along_their_parent():
    rows = [("spine", None, (0, 0, 1), "spine", ""), ("spine.001", "spine", (0, 0, 1.5), "spine", ""),
            ("head", "spine.001", (0, 0, 1.5 + 1e-9), "head", "")]
    heads = np.array([r[2] for r in rows], float)
    layout = layout_bones(_skeleton(rows), heads, np.zeros(3), min_length=0.05)
    lengths = np.linalg.norm(layout.tails - layout.heads, axis=1)
    assert (lengths >= 0.05 - 1e-12).all()
    assert layout.tails[1] == pytest.approx([0, 0, 1.55])


def test_format_one_skeletons_keep_one_bone_per_joint_with_leaf_stubs():
    #      3 (up)
    #      |
    # 4 -- 0 -- 1 -- 2      root 0; joint 1 has children 2 (straight on) and 5 (a side branch)
    #           |
    #           5
    heads = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0], [0, 0, 1], [-1, 0, 0], [1, 0, -1]], float)
    parents = [None, 0, 1, 0, 0, 1]
    joints = [Joint(f"j{i}", p, (0.0, 0.0), tuple(h), 0.1) for i, (h, p) in enumerate(zip(heads, parents))]
    skeleton = Skeleton(joints, (10, 10))
    layout = layout_bones(skeleton, heads, np.full(6, 0.1), min_length=0.01)
    assert layout.names == [f"j{i}" for i in range(6)]
    assert layout.tails[0] == pytest.approx(heads[3])  # root: the upward child
    assert layout.tails[1] == pytest.approx(heads[2])  # continues the incoming +X direction
    assert list(layout.connected) == [False, False, True, True, False, False]
    # Leaves extend along their incoming direction by their radius, at most half that segment.
    radii = np.array([0.1, 0.1, 0.3, 0.1, 0.8, 0.1])
    layout = layout_bones(skeleton, heads, radii, min_length=0.01)
    assert layout.tails[2] == pytest.approx([2.3, 0, 0])
    assert layout.tails[5] == pytest.approx([1, 0, -1.1])
    assert layout.tails[4] == pytest.approx([-1.5, 0, 0])  # radius 0.8 > half of 1
    lone = Skeleton([Joint("root", None, (0.0, 0.0), (0.0, 0.0, 0.0), 0.0)], (10, 10))
    layout = layout_bones(lone, np.zeros((1, 3)), np.zeros(1), min_length=0.05)
    assert layout.tails[0] == pytest.approx(0.05 * Z)  # a lone root points up


def test_a_warning_when_the_image_does_not_look_like_a_figure():
    sure = Anatomy("biped", 0.9, "front", 0.9, "viewer", "rigify")
    assert figure_warning(_skeleton(ARM, sure)) == ""
    unsure = figure_warning(_skeleton(ARM, Anatomy("generic", 0.2, "front", 0.9, "viewer")))
    assert "20%" in unsure and "built anyway" in unsure
    limbless = [r[:3] + ("spine", "") for r in ARM]
    assert "no limbs" in figure_warning(_skeleton(limbless, sure))
    snake = Anatomy("serpent", 0.9, "side", 0.9, "left")
    assert figure_warning(_skeleton(limbless, snake)) == ""  # as snakes are
    assert figure_warning(_skeleton(ARM)) == ""  # no anatomy stage: nothing to judge by
