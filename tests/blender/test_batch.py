"""The headless batch job: outputs that load again, no overwriting, failures counted, both launchers."""
from __future__ import annotations

import json
import os
import stat
import struct
import subprocess
import sys
from pathlib import Path

import bpy
import pytest
from blender_helpers import FAST, deform_bones, save_png
from settings_checks import assert_flags_follow_the_table, assert_parser_follows_the_table

import anatomy_figures
import figures
from pointskel_blender.core.skeleton import Skeleton

ROOT = Path(__file__).resolve().parents[2]
FAST_ARGS = ["--points", str(FAST["points"]), "--work-size", str(FAST["work_size"]),
             "--mask-backend", FAST["mask_backend"]]


def _glb_json(path: Path) -> dict:
    """The JSON chunk of a binary glTF (header: magic, version, length; then chunk length, type)."""
    data = path.read_bytes()
    magic, _version, _length = struct.unpack_from("<4sII", data, 0)
    chunk_length, chunk_type = struct.unpack_from("<I4s", data, 12)
    assert magic == b"glTF" and chunk_type == b"JSON"
    return json.loads(data[20:20 + chunk_length])


def _plain_file_mode(folder: Path) -> int:
    probe = folder / "probe"
    probe.write_text("")
    return stat.S_IMODE(probe.stat().st_mode)


def _armature_bones() -> list[str]:
    (armature,) = [o for o in bpy.data.objects if o.type == "ARMATURE"]
    return sorted(b.name for b in deform_bones(armature))


@pytest.fixture
def inputs(tmp_path, stick_png):
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / "stick.png"
    good.write_bytes(stick_png.read_bytes())
    bad = folder / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    return good, bad


def _run(addon, *args) -> int:
    return addon.cli.batch.main([*map(str, args), *FAST_ARGS])


@pytest.mark.fresh_blender  # exports glTF: an exporter crash fails this test only
def test_outputs_load_again(addon, scene, inputs, tmp_path):
    good, _ = inputs
    out = tmp_path / "out"
    assert _run(addon, "--input", good, "--output", out, "--format", "blend,glb,fbx,json") == 0
    assert sorted(p.name for p in out.iterdir()) == ["stick.blend", "stick.fbx", "stick.glb", "stick.json"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {_plain_file_mode(tmp_path)}

    skeleton = Skeleton.load(out / "stick.json")
    names = sorted(j.name for i, j in enumerate(skeleton.joints) if skeleton.children(i))  # tips make no bone
    skin, = _glb_json(out / "stick.glb")["skins"]
    assert len(skin["joints"]) == len(names)

    bpy.ops.wm.open_mainfile(filepath=str(out / "stick.blend"))
    assert _armature_bones() == names
    # FBX keeps the controls the deform bones hang from (the floor root, the torso): their hierarchy
    (armature,) = [o for o in bpy.data.objects if o.type == "ARMATURE"]
    carriers = [b.name for b in armature.data.bones
                if not b.use_deform and any(c.use_deform for c in b.children_recursive)]
    exported = {"stick.glb": names, "stick.fbx": sorted(names + carriers)}
    mesh = next(o for o in bpy.data.objects if any(m.type == "ARMATURE" for m in o.modifiers))
    assert mesh.vertex_groups and any(m.type == "ARMATURE" for m in mesh.modifiers)
    assert all(image.packed_file is not None for image in bpy.data.images if image.source == "FILE")

    for importer, path in ((bpy.ops.import_scene.gltf, "stick.glb"), (bpy.ops.import_scene.fbx, "stick.fbx")):
        bpy.ops.wm.read_homefile(use_empty=True)
        importer(filepath=str(out / path))
        assert _armature_bones() == exported[path], path


@pytest.mark.fresh_blender  # exports glTF: an exporter crash fails this test only
def test_existing_outputs_are_kept_without_overwrite(addon, scene, inputs, tmp_path, capsys):
    good, _ = inputs
    out = tmp_path / "out"
    out.mkdir()
    (out / "stick.json").write_text("mine")
    assert _run(addon, "--input", good, "--output", out, "--format", "json,glb") == 0
    assert (out / "stick.json").read_text() == "mine" and (out / "stick.glb").stat().st_size > 0
    first = capsys.readouterr().out
    assert "stick.glb" in first and "kept existing stick.json" in first

    glb = (out / "stick.glb").stat().st_mtime_ns
    assert _run(addon, "--input", good, "--output", out, "--format", "json,glb") == 0
    assert "skipped" in capsys.readouterr().out
    assert (out / "stick.glb").stat().st_mtime_ns == glb and (out / "stick.json").read_text() == "mine"

    assert _run(addon, "--input", good, "--output", out, "--format", "json", "--overwrite") == 0
    assert Skeleton.load(out / "stick.json").names()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_a_bad_input_fails_the_batch_but_not_the_others(addon, scene, inputs, tmp_path, capsys):
    good, bad = inputs
    out = tmp_path / "out"
    pattern = str(good.parent / "*.png")  # matches both, in sorted order: broken.png, stick.png
    assert _run(addon, "--input", pattern, tmp_path / "missing.png", "--output", out, "--format", "json") == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("[", "pointskel:"))]
    assert len(lines) == 4
    assert "broken.png: FAILED" in lines[0] and "stick.png: ok" in lines[1] and "FAILED" in lines[2]
    assert "3 images: 1 done, 2 failed, 0 skipped" in lines[3]
    assert (out / "stick.json").is_file() and not (out / "broken.json").exists()


def test_usage_errors(addon, capsys, tmp_path):
    assert addon.cli.batch.main(["--input", "x.png", "--output", str(tmp_path), "--format", "obj"]) == 2
    assert "formats must be some of" in capsys.readouterr().err
    assert addon.cli.batch.main(["--input", "x.png", "--output", str(tmp_path), "--points", "3"]) == 2
    assert "points" in capsys.readouterr().err
    assert addon.cli.batch.main(["--input", "x.png", "--output", str(tmp_path), "--height", "-1"]) == 2
    assert "height (--height) must be in [0.001, 10,000]" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_same_stem_twice_is_refused_for_the_second(addon, scene, inputs, tmp_path, capsys):
    good, _ = inputs
    twin = tmp_path / "twin" / "stick.png"
    twin.parent.mkdir()
    twin.write_bytes(good.read_bytes())
    assert _run(addon, "--input", good, twin, "--output", tmp_path / "out", "--format", "json") == 1
    assert "same names" in capsys.readouterr().out


@pytest.mark.fresh_blender  # exports glTF: an exporter crash fails this test only
def test_cli_command_runs_the_batch(addon, scene, inputs, tmp_path, capsys):
    good, _ = inputs
    out = tmp_path / "cli"
    assert addon.blender.addon.cli_command(["--input", str(good), "--output", str(out),
                                            "--format", "json,glb", *FAST_ARGS, "--no-mesh"]) == 0
    skeleton = Skeleton.load(out / "stick.json")
    names = [j.name for i, j in enumerate(skeleton.joints) if skeleton.children(i)]  # tips make no bone
    glb = _glb_json(out / "stick.glb")
    assert "meshes" not in glb and set(names) <= {node["name"] for node in glb["nodes"]}
    assert "1 done" in capsys.readouterr().out


@pytest.mark.slow
def test_script_runs_with_plain_python(tmp_path, stick_png):
    """`python scripts/batch.py ...` enables the add-on from the source tree by itself."""
    bad = save_png(tmp_path / "blank.png", figures.rgba_on_background(figures.bar(64).mask & False))
    env = dict(os.environ, BLENDER_USER_RESOURCES=str(tmp_path / "blender"))
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "batch.py"), "--input", str(stick_png), str(bad),
         "--output", str(tmp_path / "out"), "--format", "json,blend", *FAST_ARGS],
        capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "stick.png: ok" in run.stdout and "blank.png: FAILED" in run.stdout
    assert (tmp_path / "out" / "stick.blend").is_file() and (tmp_path / "out" / "stick.json").is_file()


def test_size_and_influence_flags_reach_the_rig(addon, scene, inputs, tmp_path):
    good, _ = inputs
    out = tmp_path / "sized"
    assert _run(addon, "--input", good, "--output", out, "--format", "blend", "--size-mode", "height",
                "--height", "2.5", "--max-influences", "2") == 0
    bpy.ops.wm.open_mainfile(filepath=str(out / "stick.blend"))
    mesh = next(o for o in bpy.data.objects if any(m.type == "ARMATURE" for m in o.modifiers))
    z = [(mesh.matrix_world @ v.co).z for v in mesh.data.vertices]
    assert max(z) - min(z) == pytest.approx(2.5, rel=0.01) and min(z) == pytest.approx(0.0, abs=1e-5)
    assert max(sum(1 for e in v.groups if e.weight > 0) for v in mesh.data.vertices) == 2
    (rig,) = [o for o in bpy.data.objects if o.type == "ARMATURE"]
    assert json.loads(rig["pointskel_settings"])["build"]["size_mode"] == "height"
    assert _run(addon, "--input", good, "--output", out, "--size-mode", "tall") == 2  # a usage error


def test_an_image_that_is_no_figure_is_built_with_a_warning_in_the_log(addon, scene, tmp_path, capsys):
    cup = save_png(tmp_path / "cup.png", anatomy_figures.rgba(anatomy_figures.cup().mask))
    out = tmp_path / "cup_out"
    assert _run(addon, "--input", cup, "--output", out, "--format", "json") == 0  # still built
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("[1/1]"))
    assert "ok:" in line and "WARNING: the image does not look like a figure" in line
    assert (out / "cup.json").exists()


def test_batch_command_line_follows_the_settings_tables(addon):
    parser, table = addon.cli.batch.build_parser(), addon.core.settings
    required = ["--input", "a.png", "--output", "out"]
    assert_parser_follows_the_table(parser, required, table)
    assert_flags_follow_the_table(parser, table.BUILD_SETTINGS.values())
    defaults = table.values_from_args(parser.parse_args(required), table.BUILD_SETTINGS)
    assert table.BuildOptions(**defaults) == table.BuildOptions()
    no_mesh = parser.parse_args([*required, "--no-mesh", "--height", "2.5", "--controls", "rigify",
                                 "--no-rigify-generate"])
    assert table.values_from_args(no_mesh, table.BUILD_SETTINGS) == {
        "create_mesh": False, "height": 2.5, "mesh_detail": 64, "size_mode": "auto", "max_influences": 4,
        "controls": "rigify", "rigify_generate": False}


def test_batch_takes_the_old_and_the_shared_flag_spellings(addon):
    parser = addon.cli.batch.build_parser()
    required = ["--input", "a.png", "--output", "out"]
    old = parser.parse_args([*required, "--mask-backend", "alpha", "--keep-all-objects", "--allow-download"])
    new = parser.parse_args([*required, "--mask", "alpha", "--keep-all", "--allow-download"])
    settings = addon.core.settings.settings_from_args
    assert settings(old) == settings(new) == addon.core.settings.PipelineSettings(
        mask_backend="alpha", keep_all_objects=True)
    assert old.allow_download and new.allow_download
