"""The Rigify metarig evaluation set, built with the real bpy module and Blender's bundled rigify."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from trainer.render import make_camera, project, render_silhouette
from trainer.rigify_set import (
    MERGE,
    METARIGS,
    MIN_LEAF,
    body_for,
    build_set,
    ground_truth,
    main,
    read_metarigs,
)
from trainer.rignet import RigNetDataset

# bpy is imported by read_metarigs itself, which first points Blender's user resources elsewhere
pytestmark = [
    pytest.mark.blender,
    pytest.mark.skipif(importlib.util.find_spec("bpy") is None, reason="needs the bpy module"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("rigify") / "set"
    return root, build_set(root)


@pytest.fixture(scope="module")
def bones() -> dict:
    return read_metarigs()


def test_writes_all_eight_as_a_test_split(built) -> None:
    root, items = built
    assert list(items) == list(METARIGS)
    dataset = RigNetDataset(root, "test")
    assert list(dataset.ids) == list(METARIGS)
    assert json.loads((root / "categories.json").read_text()) == {n: n for n in METARIGS}
    for name, mesh, rig in dataset:
        assert 15 <= len(rig.names) <= 60, name
        lo, hi = mesh.vertices.min(axis=0), mesh.vertices.max(axis=0)
        assert (hi - lo).max() == pytest.approx(1.0, abs=1e-4) and lo[1] == pytest.approx(0.0, abs=1e-4)
        np.testing.assert_allclose(rig.positions, items[name][1].positions, atol=1e-5)


@pytest.mark.parametrize("view", ["front", "side", 45.0])
def test_joints_project_inside_their_silhouettes(built, view) -> None:
    _, items = built
    for name, (mesh, rig) in items.items():
        camera = make_camera(mesh.vertices, view, size=160)
        mask = render_silhouette(mesh, camera)
        outside = ndimage.distance_transform_edt(~mask)
        cols, rows = np.floor(project(rig.positions, camera)).astype(int).T
        assert np.all(outside[rows, cols] <= 1.0), name


def test_only_visible_bones_count(bones) -> None:
    human = ground_truth(bones["human"])
    hidden = ("nose", "lip", "jaw", "eye", "ear", "f_index", "thumb", "palm", "breast", "pelvis", "heel")
    assert not [n for n in human.names if n.startswith(hidden)]
    # fingers folded: the hand reaches the middle fingertip, beyond the hand bone's own tail
    hand = {b.name: b for b in bones["human"]}["hand.L"]
    tip = human.positions[human.names.index("hand.L_end")]
    assert np.linalg.norm(tip - hand.head) > 1.5 * np.linalg.norm(hand.tail - hand.head)
    # the two clavicles start at the sternum: one joint on the midline
    shoulder = human.names.index("shoulder")
    assert abs(human.positions[shoulder][0]) < 1e-6
    assert [human.names[k] for k in np.flatnonzero(human.parents == shoulder)] == [
        "upper_arm.L",
        "upper_arm.R",
    ]
    horse = ground_truth(bones["horse"])
    assert not [n for n in horse.names if n.startswith(("skull", "mane", "hip", "chest", "abdomen", "ear"))]


def test_joints_are_apart_and_leaves_long_enough(bones) -> None:
    for name, metarig in bones.items():
        truth = ground_truth(metarig)
        size = np.ptp(truth.positions, axis=0).max()
        for k in range(1, len(truth.names)):
            a = truth.parents[k]
            while a >= 0:
                assert np.linalg.norm(truth.positions[k] - truth.positions[a]) >= MERGE * size, name
                a = truth.parents[a]
        leaves = np.setdiff1d(np.arange(1, len(truth.names)), truth.parents)
        bone = np.linalg.norm(truth.positions[leaves] - truth.positions[truth.parents[leaves]], axis=1)
        assert np.all(bone >= MIN_LEAF * size), name
        assert set(truth.kinds) <= {"torso", "neck", "head", "tail", "limb", "wing", "fin", "connector"}


def test_rignet_frame_up_front_left(bones) -> None:
    """Y up, facing +Z, the character's left at +X, as in trainer.synthetic."""
    human = ground_truth(bones["human"])
    at = dict(zip(human.names, human.positions, strict=True))
    assert at["spine.006_end"][1] == human.positions[:, 1].max()  # the crown is highest
    assert at["toe.L_end"][2] > at["foot.L"][2]  # toes point forward
    assert at["hand.L_end"][0] > 0 > at["hand.R_end"][0]
    horse = ground_truth(bones["horse"])
    at = dict(zip(horse.names, horse.positions, strict=True))
    assert at["head_end"][2] > at["spine.001"][2] > at["tail.005_end"][2]  # head in front, tail behind


def test_realistic_bodies_are_the_plain_ones_with_unboned_parts(bones) -> None:
    """Same rig; the plain mesh first, then parts skinned one bone each; a bigger silhouette."""
    growth = []
    for name, metarig in bones.items():
        plain, plain_rig = body_for(name, metarig, realistic=False)
        mesh, rig = body_for(name, metarig)
        assert rig.names == plain_rig.names and np.array_equal(rig.positions, plain_rig.positions), name
        n = len(plain.vertices)
        assert np.array_equal(mesh.vertices[:n], plain.vertices) and len(mesh.vertices) > n, name
        parts = rig.skin.dense(len(mesh.vertices), len(rig.names))[n:]
        assert np.allclose(parts.max(axis=1), 1) and np.allclose(parts.sum(axis=1), 1), name
        ratios = []
        for view in ("front", "side"):
            camera = make_camera(mesh.vertices, view, size=160)
            ratios.append(render_silhouette(mesh, camera).sum() / render_silhouette(plain, camera).sum())
        assert max(ratios) > 1.08, name
        growth.append(np.mean(ratios))
    assert np.mean(growth) > 1.15


def test_cli(tmp_path: Path, capsys) -> None:
    sheet = tmp_path / "sheet.png"
    assert main(["--out", str(tmp_path / "cats"), "--only", "cat", "shark", "--sheet", str(sheet)]) == 0
    assert "cat:" in capsys.readouterr().out
    with Image.open(sheet) as image:
        assert image.size == (4 * 256, 256)
    assert main(["--out", str(tmp_path / "x"), "--only", "dragon"]) == 2
    assert "unknown metarig 'dragon'" in capsys.readouterr().err
    assert main(["--out", str(tmp_path / "plain"), "--only", "cat", "--plain"]) == 0
    plain = RigNetDataset(tmp_path / "plain").load("cat")
    dressed = RigNetDataset(tmp_path / "cats").load("cat")
    assert plain[1].names == dressed[1].names and len(plain[0].vertices) < len(dressed[0].vertices)
