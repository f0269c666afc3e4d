"""The figures artists draw, as a training-data option: plush, chibi and chunky proportions, both
facings, sitting and trotting poses, measured on their truth skeletons and meshes."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pointskel_blender.core.skeleton import BODY_PLANS, FACINGS, PARTS
from trainer.characters import TEMPLATES
from trainer.characters.artist import LOOKS, artist_biped, artist_quadruped
from trainer.labels import figure_forward
from trainer.render import view_rotation
from trainer.samples import View, make_sample
from trainer.synthetic import INFO_FILE, generate, main, make_character

UP = view_rotation(0.0, "y")[1]
COUNT = 16  # figures per measure


def _at(rig, name: str) -> np.ndarray:
    return rig.positions[rig.names.index(name)]


def _bone_radius(mesh, rig, start: str, end: str) -> float:
    """Median distance from the bone start -> end of the vertices skinned mostly to it."""
    dense = rig.skin.dense(len(mesh.vertices), len(rig.names))
    own = mesh.vertices[dense.argmax(axis=1) == rig.names.index(start)]
    p, d = _at(rig, start), _at(rig, end) - _at(rig, start)
    t = np.clip((own - p) @ d / (d @ d), 0, 1)
    return float(np.median(np.linalg.norm(own - (p + t[:, None] * d), axis=1)))


def _thickness(mesh, rig, chain: list[str]) -> float:
    """A limb's radius over its length: short thick limbs score high."""
    length = sum(np.linalg.norm(_at(rig, b) - _at(rig, a)) for a, b in zip(chain, chain[1:]))
    return _bone_radius(mesh, rig, chain[0], chain[1]) / length


def _torso(rig) -> float:
    return float(np.linalg.norm(_at(rig, "chest") - _at(rig, "root")))


def _head_ratio(rig) -> float:
    """The head's height over the torso's."""
    return float(np.linalg.norm(_at(rig, "head_end") - _at(rig, "head"))) / _torso(rig)


def _shoulders(rig) -> float:
    """The shoulders' span over the torso's height: fat torsos score high."""
    return float(np.linalg.norm(_at(rig, "shoulder.L") - _at(rig, "shoulder.R"))) / _torso(rig)


def _ahead(rig, joint: str, of: str, forward: np.ndarray) -> float:
    return float((_at(rig, joint) - _at(rig, of)) @ forward)


def _angle(a: np.ndarray, at: np.ndarray, b: np.ndarray) -> float:
    u, v = a - at, b - at
    return float(np.degrees(np.arccos(np.clip(u @ v / np.linalg.norm(u) / np.linalg.norm(v), -1, 1))))


def _figures(template, count: int = COUNT, **kwargs) -> list:
    return [template(np.random.default_rng([31, k]), None, **kwargs).build() for k in range(count)]


def test_bipeds_have_big_heads_fat_torsos_and_short_thick_limbs() -> None:
    plain = _figures(lambda rng, style: TEMPLATES["biped"](rng, style))
    leg = ["hip.L", "knee.L", "ankle.L"]
    heads = [_head_ratio(rig) for _, rig in plain]
    thick = [_thickness(mesh, rig, leg) for mesh, rig in plain]
    span = [_shoulders(rig) for _, rig in plain]
    for look in LOOKS:
        figures = _figures(artist_biped, look=look)
        assert min(_thickness(mesh, rig, leg) for mesh, rig in figures) > max(thick)  # every one
        assert np.median([_head_ratio(rig) for _, rig in figures]) > np.percentile(heads, 75)
    chibi = _figures(artist_biped, look="chibi")
    assert min(_head_ratio(rig) for _, rig in chibi) > max(heads)  # heads taller than any plain biped's
    assert min(_shoulders(rig) for _, rig in _figures(artist_biped, look="chunky")) > np.percentile(span, 90)


def test_quadrupeds_have_short_thick_legs_and_big_ears() -> None:
    leg = ["front_shoulder.L", "front_elbow.L", "front_wrist.L", "front_paw.L"]
    plain = [_thickness(mesh, rig, leg) for mesh, rig in _figures(lambda r, s: TEMPLATES["quadruped"](r, s))]
    figures = _figures(artist_quadruped)
    assert np.median([_thickness(mesh, rig, leg) for mesh, rig in figures]) > 3 * np.median(plain)
    eared = [rig for _, rig in figures if "ear_tip.L" in rig.names]
    assert len(eared) >= COUNT // 2
    for rig in eared:  # ears at least a third of the head's height
        ear = np.linalg.norm(_at(rig, "ear_tip.L") - _at(rig, "ear.L"))
        assert ear > 0.3 * np.linalg.norm(_at(rig, "snout") - _at(rig, "head"))


@pytest.mark.parametrize("template, hips", [(artist_biped, "hip"), (artist_quadruped, "hind_hip")])
def test_figures_face_both_ways_and_keep_their_sides(template, hips: str) -> None:
    signs = []
    for _, rig in _figures(template):
        forward = figure_forward(rig.names, rig.parents, rig.positions, UP)
        assert abs(forward[2]) > 0.99  # straight toward +Z or -Z, so side views face left or right
        left = _at(rig, f"{hips}.L")[0] - _at(rig, f"{hips}.R")[0]
        assert np.sign(left) == np.sign(forward[2])  # turned about the vertical: left stays left
        signs.append(np.sign(forward[2]))
    assert set(signs) == {-1.0, 1.0}


def test_sitting_bipeds_fold_their_thighs_forward() -> None:
    pairs = zip(_figures(artist_biped, pose="sit"), _figures(artist_biped, pose="stand"))
    for (_, sitting), (_, standing) in pairs:
        for side in (".L", ".R"):
            hip, knee, ankle = (_at(sitting, f"{n}{side}") for n in ("hip", "knee", "ankle"))
            thigh = knee - hip
            assert abs(thigh[1]) < 0.5 * np.linalg.norm(thigh)  # within 30 degrees of level
            assert _angle(_at(sitting, "chest"), hip, knee) < 120  # folded against the torso
            assert 70 <= _angle(hip, knee, ankle) <= 181  # knees straight out to bent down
            hip, knee = _at(standing, f"hip{side}"), _at(standing, f"knee{side}")
            assert -(knee - hip)[1] > 0.95 * np.linalg.norm(knee - hip)  # standing: thighs hang down


def test_sitting_quadrupeds_fold_their_hind_legs_and_raise_the_chest() -> None:
    for _, rig in _figures(artist_quadruped, pose="sit"):
        for side in (".L", ".R"):
            hip, knee, ankle = (_at(rig, f"hind_{n}{side}") for n in ("hip", "knee", "ankle"))
            assert _angle(hip, knee, ankle) < 80  # thigh folded onto the shin
        assert _at(rig, "chest")[1] - _at(rig, "root")[1] > 0.4 * _torso(rig)
    for _, rig in _figures(artist_quadruped, pose="stand"):
        hip, knee, ankle = (_at(rig, f"hind_{n}.L") for n in ("hip", "knee", "ankle"))
        assert _angle(hip, knee, ankle) > 150
        assert abs(_at(rig, "chest")[1] - _at(rig, "root")[1]) < 0.1 * _torso(rig)


def test_trotting_quadrupeds_swing_diagonal_pairs_together() -> None:
    for _, rig in _figures(artist_quadruped, pose="trot"):
        forward = figure_forward(rig.names, rig.parents, rig.positions, UP)
        reach = {f"{end}{side}": _ahead(rig, f"{end}_paw{side}", f"{end}_{top}{side}", forward)
                 for end, top in (("front", "shoulder"), ("hind", "hip"))
                 for side in (".L", ".R")}  # how far ahead of its socket each paw is
        ahead = np.sign(reach["front.L"] - reach["front.R"])
        assert ahead != 0
        assert np.sign(reach["hind.R"] - reach["hind.L"]) == ahead  # front left with hind right
        lifted = [k for k in reach if (reach[k] > np.median(list(reach.values())))]
        assert sorted(lifted) in (["front.L", "hind.R"], ["front.R", "hind.L"])


def test_the_option_is_deterministic_and_off_by_default() -> None:
    drawn = [make_character(5, i, artist=0.5) for i in range(16)]
    kinds = [kind for kind, _, _ in drawn]
    assert {"artist_biped", "artist_quadruped"} <= set(kinds)
    assert any(not k.startswith("artist") for k in kinds)
    for i, (kind, mesh, rig) in enumerate(drawn):
        again = make_character(5, i, artist=0.5)
        assert again[0] == kind and np.array_equal(again[1].vertices, mesh.vertices)
        if not kind.startswith("artist"):  # the others are the characters of the seed without the option
            assert np.array_equal(make_character(5, i)[1].vertices, mesh.vertices)
    assert all(make_character(5, i, artist=1.0)[0].startswith("artist") for i in range(6))
    assert not any(make_character(5, i)[0].startswith("artist") for i in range(40))
    with pytest.raises(ValueError, match="unknown choice"):
        artist_biped(np.random.default_rng(0), pose="trot")


def test_cli_writes_artists_figures_and_refuses_the_evaluation_seed(tmp_path: Path, capsys) -> None:
    assert main(["--out", str(tmp_path / "a"), "--count", "6", "--seed", "8", "--workers", "1",
                 "--artist", "0.5"]) == 0
    info = json.loads((tmp_path / "a" / INFO_FILE).read_text())
    assert info["artist"] == 0.5 and any(k.startswith("artist_") for k in info["templates"].values())
    assert main(["--out", str(tmp_path / "b"), "--count", "2", "--seed", "4242", "--artist", "0.3"]) == 2
    assert "evaluation-only chunky set" in capsys.readouterr().err
    assert main(["--out", str(tmp_path / "c"), "--count", "2", "--seed", "8", "--artist", "1.5"]) == 2
    assert "must be a share in [0, 1]" in capsys.readouterr().err
    generate(tmp_path / "d", 2, seed=8, workers=1, progress=False)
    assert "artist" not in json.loads((tmp_path / "d" / INFO_FILE).read_text())


def test_artists_figures_carry_their_truth_parts_and_facing() -> None:
    kind, mesh, rig = next(c for c in (make_character(3, i, artist=1.0) for i in range(20))
                           if c[0] == "artist_quadruped")
    forward = figure_forward(rig.names, rig.parents, rig.positions, UP)
    labels = make_sample(mesh, rig, View(90.0), points=600, resolution=160, category=kind).labels
    assert BODY_PLANS[labels.body_plan] == "quadruped"
    assert FACINGS[labels.facing] == ("left" if forward[2] > 0 else "right")  # side view from the +X side
    named = {PARTS[p] for p in np.unique(labels.point_parts)}
    assert {"spine", "head", "front_leg", "hind_leg"} <= named
