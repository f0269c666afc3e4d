"""Procedural dataset: determinism, valid rigs with joints inside the bodies, varied topology, splits,
realistic bodies whose unboned parts change the silhouette but not the rig, and the plain bodies."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage
from skimage.morphology import skeletonize

from trainer.characters import ARTIST_TEMPLATES, CHUNKY_TEMPLATES, TEMPLATES
from trainer.render import make_camera, project, render_silhouette
from trainer.rignet import RigNetDataset, read_split
from trainer.synthetic import INFO_FILE, generate, main, make_character, normalize, split_ids

SAMPLES = 12  # characters drawn per template


def _built(kind: str, k: int, realistic: bool = True) -> tuple:
    style = np.random.default_rng([11, k, 1]) if realistic else None
    template = {**TEMPLATES, **CHUNKY_TEMPLATES, **ARTIST_TEMPLATES}[kind]
    return template(np.random.default_rng([11, k]), style).build()


def _characters(kind: str) -> list:
    return [normalize(*_built(kind, k)) for k in range(SAMPLES)]


def _medial_axis_ends(mask: np.ndarray) -> int:
    skeleton = skeletonize(mask)
    neighbours = ndimage.convolve(skeleton.astype(int), np.ones((3, 3), int), mode="constant") - 1
    return int((skeleton & (neighbours == 1)).sum())


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


@pytest.mark.parametrize("kind", sorted(TEMPLATES) + sorted(CHUNKY_TEMPLATES) + sorted(ARTIST_TEMPLATES))
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


def test_plain_bodies_are_the_realistic_ones_without_their_parts() -> None:
    grew = 0
    for kind in sorted(TEMPLATES):
        for k in range(4):
            (plain, plain_rig), (real, real_rig) = _built(kind, k, False), _built(kind, k)
            assert plain_rig.names == real_rig.names
            assert np.array_equal(plain_rig.positions, real_rig.positions)
            assert np.array_equal(plain_rig.parents, real_rig.parents)
            n = len(plain.vertices)
            assert np.array_equal(real.vertices[:n], plain.vertices)  # parts are meshed after the bones
            assert np.array_equal(plain_rig.skin.dense(n, len(plain_rig.names)),
                                  real_rig.skin.dense(len(real.vertices), len(real_rig.names))[:n])
            dense = real_rig.skin.dense(len(real.vertices), len(real_rig.names))[n:]
            assert np.allclose(dense.max(axis=1), 1) and np.allclose(dense.sum(axis=1), 1)  # one bone each
            grew += len(real.vertices) > n
    assert grew >= 0.7 * 4 * len(TEMPLATES)


@pytest.mark.parametrize("kind, growth",
                         [("biped", 1.15), ("quadruped", 1.08), ("bird", 1.04), ("object", 1.1)])
def test_unboned_parts_change_the_silhouette(kind: str, growth: float) -> None:
    """Realistic bodies cover more of the picture, and for characters their medial axis grows ends
    that no bone explains (ears, hair, skirts, tails): more ends than the plain body, more than the
    rig has leaves where the plain body never does."""
    ratios, more_ends, beyond_rig, plain_beyond_rig = [], 0, 0, 0
    for k in range(SAMPLES):
        (plain, rig), (real, _) = _built(kind, k, False), _built(kind, k)
        camera = make_camera(real.vertices, "front", size=128)  # one camera for both
        a, b = render_silhouette(plain, camera), render_silhouette(real, camera)
        assert not (a & ~b).any()  # parts only add
        ratios.append(b.sum() / a.sum())
        leaves = len(np.setdiff1d(np.arange(len(rig.names)), rig.parents))
        ends_plain, ends_real = _medial_axis_ends(a), _medial_axis_ends(b)
        more_ends += ends_real > ends_plain
        beyond_rig += ends_real > leaves
        plain_beyond_rig += ends_plain > leaves
    assert np.median(ratios) > growth
    if kind in ("biped", "quadruped"):
        assert more_ends >= SAMPLES // 4 and beyond_rig > plain_beyond_rig


def test_cli_plain_writes_the_plain_bodies(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path / "plain"), "--count", "3", "--seed", "2024", "--workers", "1",
                 "--plain"]) == 0
    generate(tmp_path / "real", 3, seed=2024, workers=1, progress=False)
    plain, real = RigNetDataset(tmp_path / "plain"), RigNetDataset(tmp_path / "real")
    for item in plain.ids:
        mesh, rig = plain.load(item)
        _, mesh2, rig2 = make_character(2024, int(item), realistic=False)
        assert np.array_equal(mesh.vertices, mesh2.vertices) and np.array_equal(rig.positions, rig2.positions)
        assert rig.names == real.load(item)[1].names
    assert '"bodies": "plain"' in (tmp_path / "plain" / INFO_FILE).read_text()
    assert '"bodies": "realistic"' in (tmp_path / "real" / INFO_FILE).read_text()
    assert sum(len(plain.load(i)[0].vertices) < len(real.load(i)[0].vertices) for i in plain.ids) >= 2


def test_cli_writes_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    args = ["--out", str(tmp_path), "--count", "2", "--seed", "1", "--workers", "1"]
    assert main(args) == 0
    assert "wrote 2 characters" in capsys.readouterr().out
    assert main(args) == 2
    assert "already holds a dataset" in capsys.readouterr().err
    assert main(args + ["--overwrite"]) == 0
    assert len(RigNetDataset(tmp_path)) == 2


# sha256 over (relative path, text) of every file `generate(out, 24, seed=1)` writes, in path order:
# the training data of the recipe (seed 1) must stay identical when evaluation-only figures are added.
# Numbers are hashed at 4 decimals (-0 as 0): numpy's SIMD sin/cos differ in the last bit between CPU
# families, which moves a written digit now and then (stop 18: a Xeon with AVX-512 wrote other bytes
# than the machine the first digest came from), while any change to the data itself still shows. A part's
# vertex as near two bones (the one ending and the one starting at a joint) went to either by the distances'
# last bits (an AMD EPYC skinned a shin's vertex to the ankle): ties are rounded (`bodies.TIE_DECIMALS`),
# the same on every SIMD path numpy picks (checked with NPY_DISABLE_CPU_FEATURES for AVX-512 and AVX2).
GOLDEN_DIGESTS = {
    True: "3ae5311ab5e0765e8c93ee77c887ea6d254fdc55da757fc60e94504e9fd04496",
    False: "b6d463d17ad3090bcdadef70b807c2202b9fc799c1c539af85ced01a9ec39150",
}
_NUMBER = re.compile(rb"-?\d+\.\d+(?:e[-+]?\d+)?")


def _canonical(data: bytes) -> bytes:
    """The file with every decimal number rounded to 4 places, so the digest is the data's, not the CPU's."""
    return _NUMBER.sub(lambda m: b"%.4f" % (float(m.group()) + 0.0), data).replace(b"-0.0000", b"0.0000")


def golden_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for name, data in _files(root).items():
        digest.update(name.encode())
        digest.update(_canonical(data))
    return digest.hexdigest()


@pytest.mark.parametrize("realistic", [True, False], ids=["realistic", "plain"])
def test_training_data_bytes_match_the_golden_digest(tmp_path: Path, realistic: bool) -> None:
    generate(tmp_path, 24, seed=1, workers=1, progress=False, realistic=realistic)
    assert golden_digest(tmp_path) == GOLDEN_DIGESTS[realistic]


def test_chunky_characters_face_both_ways_and_never_reach_the_training_data(tmp_path: Path) -> None:
    facing = []
    for k in range(SAMPLES):
        for kind, (ahead, behind, hip) in {"chunky_biped": ("toe.L", "ankle.L", "hip"),
                                           "chunky_quadruped": ("head", "root", "hind_hip")}.items():
            _, rig = _built(kind, k)
            at = {name: rig.positions[j] for j, name in enumerate(rig.names)}
            forward = np.sign(at[ahead][2] - at[behind][2])
            assert np.sign(at[f"{hip}.L"][0] - at[f"{hip}.R"][0]) == forward  # turned, left stays left
            facing.append(forward)
    assert set(facing) == {-1.0, 1.0}
    args = ["--out", str(tmp_path / "c"), "--count", "4", "--seed", "7", "--workers", "1", "--chunky"]
    assert main(args) == 0
    info = (tmp_path / "c" / INFO_FILE).read_text()
    assert '"bodies": "chunky"' in info and "chunky_" in info
    assert not any(make_character(1, i)[0].startswith("chunky") for i in range(40))
