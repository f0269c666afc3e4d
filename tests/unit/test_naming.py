"""Joint naming: root, chains, and .L/.R pairs that really are mirror images."""
from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image, ImageDraw

import figures
from contracted import Tubes, figure_cloud
from pointskel_blender.core.naming import name_joints
from pointskel_blender.core.topology import DEFAULT_SETTINGS, TreeSettings, BoneTree, build_tree

NAME = re.compile(r"^(root|head|[a-z]+(_[a-z]+)?_[1-9][0-9]*(\.[LR])?)$")


def flip(name: str) -> str:
    """Blender's flip for our names: only the final .L/.R changes."""
    return name[:-1] + {"L": "R", "R": "L"}[name[-1]] if re.search(r"\.[LR]$", name) else name


def label(name: str) -> str:
    """The chain a joint belongs to: its name without the segment number."""
    return re.sub(r"_[0-9]+(?=(\.[LR])?$)", "", name)


# Naming is checked on simplified chains; long-bone splitting only adds segments (test at the end).
UNSPLIT = TreeSettings(max_bone_voxels=0)


def named(mask: np.ndarray, seed: int = 0, settings: TreeSettings = UNSPLIT) -> tuple[BoneTree, list[str]]:
    cloud = figure_cloud(mask, seed=seed)
    tree = build_tree(cloud.points, cloud.thickness, settings=settings)
    return tree, name_joints(tree)


def holding(size: int = 256) -> np.ndarray:
    """The stick figure holding a pole up in one hand: arms no longer mirror each other, legs do."""
    img = Image.fromarray(figures.stick_figure(size).mask.astype(np.uint8) * 255)
    pole = [(0.8 * size, 0.55 * size), (0.92 * size, 0.2 * size)]
    ImageDraw.Draw(img).line(pole, fill=255, width=int(0.04 * size))
    return np.asarray(img) > 127


def assert_well_formed(names: list[str]) -> None:
    assert names[0] == "root"
    assert len(set(names)) == len(names)
    for name in names:
        assert NAME.match(name), name
        assert "left" not in name.lower() and "right" not in name.lower() and ".0" not in name
        assert len(name.encode()) < 64


def pair_labels(names: list[str], word: str) -> set[str]:
    """Names `word_k.L` that have their `word_k.R`."""
    return {n[:-2] for n in names if n.startswith(word) and n.endswith(".L") and flip(n) in names}


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("offset", [0, 30, -40])
def test_stick_figure_gets_arms_legs_spine_and_head(offset, seed):
    tree, names = named(figures.stick_figure(offset_x=offset).mask, seed)
    assert_well_formed(names)
    assert {"arm_1", "arm_2"} <= pair_labels(names, "arm")
    assert {"leg_1", "leg_2"} <= pair_labels(names, "leg")
    assert "head" in names and "spine_1" in names
    for name in names:
        if name.endswith((".L", ".R")):
            assert flip(name) in names
    root_x = tree.positions[0, 0]
    x = {n: tree.positions[i, 0] for i, n in enumerate(names)}
    # .L is image right (+x), and each .L joint is the mirror of its .R joint about the figure's axis.
    for n in names:
        if n.endswith(".L"):
            assert x[n] > root_x > x[flip(n)]
            i, j = names.index(n), names.index(flip(n))
            mirrored = tree.positions[j].copy()
            mirrored[0] = 2 * root_x - mirrored[0]
            assert np.linalg.norm(tree.positions[i, :2] - mirrored[:2]) < 0.05
    head = tree.positions[names.index("head")]
    assert head[1] == tree.positions[:, 1].max()


@pytest.mark.parametrize(
    "mask",
    [figures.stick_figure().mask, holding(), figures.l_shape().mask, figures.star(5).mask],
    ids=["stick", "holding", "l_shape", "star5"],
)
def test_mirrored_image_gets_mirrored_names(mask):
    tree_a, names_a = named(mask)
    tree_b, names_b = named(np.fliplr(mask))
    assert {flip(label(n)) for n in names_a} == {label(n) for n in names_b}
    sided = [n for n in names_a if n.endswith((".L", ".R"))]
    for n in sided:
        a = tree_a.positions[names_a.index(n)]
        b = tree_b.positions[names_b.index(flip(n))]
        assert np.linalg.norm([a[0] + b[0], a[1] - b[1]]) < 0.05  # the frame's x = 0 is the mirror line
    for n in ("root", "head"):
        if n in names_a:
            a, b = tree_a.positions[names_a.index(n)], tree_b.positions[names_b.index(n)]
            assert np.linalg.norm([a[0] + b[0], a[1] - b[1]]) < 0.05


def test_asymmetric_pose_keeps_the_legs_paired_and_names_both_arms():
    tree, names = named(holding())
    assert_well_formed(names)
    assert {"leg_1", "leg_2"} <= pair_labels(names, "leg")
    assert not any(n.startswith("arm") and n.endswith((".L", ".R")) for n in names)
    assert {"arm_a", "arm_b"} <= {label(n) for n in names}
    # the arm holding the pole reaches higher and is lettered first
    pole = max((i for i, n in enumerate(names) if n.startswith("arm_")), key=lambda i: tree.positions[i, 1])
    assert names[pole].startswith("arm_a_")


@pytest.mark.parametrize("seed", range(4))
def test_l_shape_has_no_sides(seed):
    _, names = named(figures.l_shape().mask, seed)
    assert_well_formed(names)
    assert not any(n.endswith((".L", ".R")) for n in names)


def test_generic_chains_get_letters_and_no_sides():
    tree, names = named(figures.fish().mask)
    assert_well_formed(names)
    assert not any(n.endswith((".L", ".R")) for n in names)
    assert len({label(n) for n in names[1:]}) == len(tree.chains())


def test_star_has_no_head_and_pairs_its_side_arms():
    tree, names = named(figures.star(5).mask)
    assert "head" not in names
    assert pair_labels(names, "arm") == {"arm_1"} and pair_labels(names, "leg") == {"leg_1"}


def hand_built(
    *, extra_tail: bool = False, head_radius: float = 0.08, split_arm: bool = False, walking: bool = False
) -> BoneTree:
    """A stick figure drawn as joints: root mid-torso, chest, head, two arms, hips, two legs."""
    positions: list[tuple[float, float, float]] = []
    parents: list[int] = []
    radii: list[float] = []

    def add(x: float, y: float, parent: int, radius: float) -> int:
        positions.append((x, y, 0.0))
        parents.append(parent)
        radii.append(radius)
        return len(positions) - 1

    root = add(0.0, 0.1, -1, 0.05)
    chest = add(0.0, 0.25, root, 0.05)
    hips = add(0.0, -0.05, root, 0.05)
    add(0.0, 0.42, chest, head_radius)
    for side in (1, -1):
        elbow = add(0.2 * side, 0.1, chest, 0.04)
        if split_arm and side == 1:
            elbow = add(0.25, 0.025, elbow, 0.04)  # on the forearm's line: same shape, one joint more
        add(0.3 * side, -0.05, elbow, 0.04)
    if walking:  # both legs down, neither the mirror of the other nor clearly the more upright
        add(0.08, -0.45, add(0.06, -0.25, hips, 0.045), 0.04)
        add(-0.1, -0.45, add(-0.2, -0.2, hips, 0.045), 0.04)
    else:
        for side in (1, -1):
            knee = add(0.1 * side, -0.25, hips, 0.045)
            add(0.13 * side, -0.45, knee, 0.04)
    if extra_tail:
        add(0.35, -0.12, add(0.18, -0.1, hips, 0.03), 0.02)
    return BoneTree(np.array(positions), parents, radii)


def mirrored(tree: BoneTree, axis: float = 0.0) -> BoneTree:
    positions = tree.positions.copy()
    positions[:, 0] = 2 * axis - positions[:, 0]
    return BoneTree(positions, tree.parents, tree.radii)


def shifted(tree: BoneTree, dx: float) -> BoneTree:
    return BoneTree(tree.positions + np.float32([dx, 0, 0]), tree.parents, tree.radii)


def test_hand_built_tree_names():
    names = name_joints(hand_built())
    assert names == [
        "root", "spine_1", "hips_1", "head", "arm_1.L", "arm_2.L", "arm_1.R", "arm_2.R",
        "leg_1.L", "leg_2.L", "leg_1.R", "leg_2.R",
    ]
    assert name_joints(shifted(hand_built(), 0.3)) == names  # an off-centre figure pairs the same


@pytest.mark.parametrize("extra_tail", [False, True])
def test_exactly_mirrored_tree_gets_exactly_flipped_names(extra_tail):
    tree = hand_built(extra_tail=extra_tail)
    names = name_joints(tree)
    assert name_joints(mirrored(tree, axis=0.1)) == [flip(n) for n in names]
    if extra_tail:
        assert names[12:] == ["tail_1", "tail_2"]  # sideways from the hips, unpaired: a tail


def test_chains_with_unequal_joint_counts_are_not_paired():
    names = name_joints(hand_built(split_arm=True))
    assert not any(n.startswith("arm") and n.endswith((".L", ".R")) for n in names)
    assert {"leg_1", "leg_2"} <= pair_labels(names, "leg")


def test_mirror_tolerance_decides_what_is_a_pair():
    tree = hand_built()
    positions = tree.positions.copy()
    positions[5] += (0.0, 0.06, 0.0)  # one hand 0.06 higher: a tenth of the arm's length
    bent = BoneTree(positions, tree.parents, tree.radii)
    assert "arm_1.L" not in name_joints(bent, mirror_tolerance=0.01)
    assert "arm_1.L" in name_joints(bent, mirror_tolerance=0.08)


def test_unpaired_legs_are_legs_not_a_tail():
    names = name_joints(hand_built(walking=True))
    assert not any(n.startswith("tail") or n.endswith((".L", ".R")) and n.startswith("leg") for n in names)
    assert {"leg_a", "leg_b"} <= {label(n) for n in names}
    assert {"arm_1", "arm_2"} <= pair_labels(names, "arm")


def test_head_needs_a_thick_tip():
    assert "head" in name_joints(hand_built(head_radius=0.08))
    thin = name_joints(hand_built(head_radius=0.04))
    assert "head" not in thin and "limb_1" in thin


def test_tubes_with_a_vertical_axis_get_a_tail():
    bar = Tubes((np.array([(0.0, -0.4), (0.0, 0.4)]),), 0.05)
    points = bar.cloud(2048, seed=0, noise=0.004)
    names = name_joints(build_tree(points, bar.thickness, settings=UNSPLIT))
    assert sorted(names) == ["limb_1", "root", "tail_1"]


def test_single_joint_tree_is_root():
    assert name_joints(BoneTree(np.zeros((1, 3)), [-1], [0.1])) == ["root"]


@pytest.mark.blender
def test_blender_flips_every_side_name_onto_its_partner():
    bpy = pytest.importorskip("bpy")
    for mask in (figures.stick_figure().mask, holding(), figures.fish().mask):
        _, names = named(mask)
        for name in names:
            flipped = bpy.utils.flip_name(name)
            assert flipped == flip(name)
            if flipped != name:
                assert flipped in names


def test_split_chains_keep_their_pairs_and_number_their_segments():
    tree, names = named(figures.stick_figure().mask, settings=DEFAULT_SETTINGS)
    _, plain = named(figures.stick_figure().mask)
    assert_well_formed(names)
    assert len(names) > len(plain)
    for side in [n for n in names if n.endswith(".L")]:
        assert flip(side) in names
        a, b = tree.positions[names.index(side)], tree.positions[names.index(flip(side))]
        assert abs(a[0] + b[0]) < 0.05 and abs(a[1] - b[1]) < 0.05
    assert {"arm", "leg"} <= {label(n).split(".")[0] for n in names}
