"""Procedural dataset: determinism, valid rigs with joints inside the bodies, varied topology, splits."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage

from trainer.characters import TEMPLATES
from trainer.render import make_camera, project, render_silhouette
from trainer.rignet import RigNetDataset, read_split
from trainer.synthetic import generate, main, make_character, normalize, split_ids

SAMPLES = 12  # characters drawn per template


def _characters(kind: str) -> list:
    return [normalize(*TEMPLATES[kind](np.random.default_rng([11, k])).build()) for k in range(SAMPLES)]


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_whatever_the_workers(tmp_path: Path) -> None:
    generate(tmp_path / "a", 5, seed=3, workers=1, progress=False)
    generate(tmp_path / "b", 5, seed=3, workers=2, progress=False)
    generate(tmp_path / "c", 5, seed=4, workers=1, progress=False)
    a, b, c = (_files(tmp_path / n) for n in "abc")
    assert len(a) == 2 * 5 + 4 and a == b
    assert a["obj/0.obj"] != c["obj/0.obj"]


def test_written_dataset_reads_back(tmp_path: Path) -> None:
    kinds = generate(tmp_path, 10, seed=5, workers=1, progress=False)
    splits = {name: read_split(tmp_path, name) for name in ("train", "val", "test")}
    assert [len(splits[n]) for n in ("train", "val", "test")] == [8, 1, 1]
    assert sorted(sum(splits.values(), []), key=int) == [str(i) for i in range(10)]
    for item, mesh, rig in RigNetDataset(tmp_path, "val"):
        kind, mesh2, rig2 = make_character(5, int(item))
        assert kind == kinds[item]
        assert np.array_equal(mesh.vertices, mesh2.vertices) and np.array_equal(rig.positions, rig2.positions)
        dense = rig.skin.dense(len(mesh.vertices), len(rig.names))
        assert np.allclose(dense.sum(axis=1), 1, atol=2e-4)  # every vertex skinned, weights normalized
        leaves = np.setdiff1d(np.arange(len(rig.names)), rig.parents)
        assert not dense[:, leaves].any()  # RigNet names bones by their start joint: leaves carry no weight


def test_split_sizes_and_determinism() -> None:
    splits = split_ids(1000, seed=1)
    assert [len(splits[n]) for n in ("train", "val", "test")] == [800, 100, 100]
    assert splits == split_ids(1000, seed=1) and splits != split_ids(1000, seed=2)
    assert len(set(sum(splits.values(), []))) == 1000


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_every_template_gives_valid_rigs_with_joints_inside(kind: str) -> None:
    for mesh, rig in _characters(kind):
        assert rig.names[0] == "root" and rig.parents[0] == -1  # Rig itself checks parents-first
        assert 5 <= len(rig.names) <= 60
        for name in rig.names:  # sides come in pairs
            if name.endswith((".L", ".R")):
                assert name[:-1] + ("R" if name.endswith("L") else "L") in rig.names
        extent = mesh.vertices.max(axis=0) - mesh.vertices.min(axis=0)
        assert np.isclose(extent.max(), 1, atol=1e-4) and np.isclose(mesh.vertices[:, 1].min(), 0, atol=1e-5)
        camera = make_camera(mesh.vertices, "front", size=160)
        silhouette = ndimage.binary_dilation(render_silhouette(mesh, camera))  # one pixel of slack
        cols, rows = np.floor(project(rig.positions, camera)).astype(int).T
        assert silhouette[rows, cols].all(), [rig.names[j] for j in np.flatnonzero(~silhouette[rows, cols])]


def test_templates_differ_in_topology() -> None:
    joints, leaves = {}, {}
    for kind in TEMPLATES:
        rigs = [rig for _, rig in _characters(kind)]
        joints[kind] = {len(r.names) for r in rigs}
        leaves[kind] = {len(np.setdiff1d(np.arange(len(r.names)), r.parents)) for r in rigs}
    assert len({int(np.median(sorted(j))) for j in joints.values()}) >= 5
    assert len(set().union(*leaves.values())) >= 10
    assert all(len(j) > 1 for j in joints.values())  # varied within templates too


def test_cli_writes_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    args = ["--out", str(tmp_path), "--count", "2", "--seed", "1", "--workers", "1"]
    assert main(args) == 0
    assert "wrote 2 characters" in capsys.readouterr().out
    assert main(args) == 2
    assert "already holds a dataset" in capsys.readouterr().err
    assert main(args + ["--overwrite"]) == 0
    assert len(RigNetDataset(tmp_path)) == 2
