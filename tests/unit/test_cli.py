"""`python -m pointskel_blender`: outputs, timings, one-line errors, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import anatomy_figures
import figures
from pointskel_blender.cli.run import main

ROOT = Path(__file__).resolve().parents[2]


def figure_png(tmp_path: Path, name: str, mask: np.ndarray) -> Path:
    path = tmp_path / f"{name}.png"
    Image.fromarray(figures.rgba_with_alpha(mask)).save(path)
    return path


def test_single_image_writes_json_and_preview(tmp_path, capsys):
    image = figure_png(tmp_path, "plus", figures.plus().mask)
    code = main([str(image), "--json", str(tmp_path / "o.json"), "--preview", str(tmp_path / "o.png"),
                 "--predictor", "geometric", "--points", "2048"])
    assert code == 0
    out = capsys.readouterr().out
    for stage in ("mask", "lift", "contract", "topology"):
        assert f"{stage} " in out and " ms" in out
    data = json.loads((tmp_path / "o.json").read_text())
    assert data["format"] == "pointskel-skeleton" and len(data["joints"]) >= 5
    preview = Image.open(tmp_path / "o.png")
    assert preview.format == "PNG" and preview.width > 2 * 256 and np.asarray(preview).std() > 10


def test_one_bad_image_does_not_stop_the_others(tmp_path, capsys):
    good = [figure_png(tmp_path, "bar", figures.bar().mask),
            figure_png(tmp_path, "star", figures.star(4).mask)]
    empty = figure_png(tmp_path, "empty", np.zeros((64, 64), bool))
    not_image = tmp_path / "notes.png"
    not_image.write_text("hello")
    out_dir = tmp_path / "results"
    code = main([str(good[0]), str(empty), str(not_image), str(tmp_path / "missing.png"), str(good[1]),
                 "-o", str(out_dir), "--predictor", "geometric"])
    assert code == 1
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    assert all(len(line) < 300 for line in errors)
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "bar.json", "bar_preview.png", "star.json", "star_preview.png"
    ]
    assert "2 of 5 images done, 3 failed" in captured.out


def test_several_images_need_folders_not_files(tmp_path, capsys):
    a = figure_png(tmp_path, "a", figures.bar().mask)
    existing = tmp_path / "out.json"
    existing.write_text("{}")
    assert main([str(a), str(a), "--json", str(existing)]) == 2
    assert "must be a folder" in capsys.readouterr().err


def test_bone_length_reaches_the_topology(tmp_path):
    image = figure_png(tmp_path, "bar", figures.bar(vertical=True).mask)
    joints = {}
    for length in ("0", "0.06"):
        out = tmp_path / f"bar_{length}.json"
        assert main([str(image), "--json", str(out), "--predictor", "geometric",
                     "--bone-length", length]) == 0
        saved = json.loads(out.read_text())
        joints[length] = len(saved["joints"])
        assert saved["metadata"]["bone_length"] == float(length)
        assert not saved["metadata"]["settings"]["auto_bone_length"]  # a value given turns the choice off
    assert joints["0"] < joints["0.06"]
    out = tmp_path / "bar_auto.json"
    assert main([str(image), "--json", str(out), "--predictor", "geometric"]) == 0
    metadata = json.loads(out.read_text())["metadata"]
    assert metadata["settings"]["auto_bone_length"] and metadata["bone_length_from"] == "settings"


def test_bad_settings_exit_with_usage_error(tmp_path, capsys):
    a = figure_png(tmp_path, "a", figures.bar().mask)
    assert main([str(a), "--points", "5"]) == 2
    assert "points" in capsys.readouterr().err


def test_runs_as_a_module_without_bpy(tmp_path):
    """The CLI imports neither bpy nor torch: it must run wherever numpy does."""
    image = figure_png(tmp_path, "l", figures.l_shape().mask)
    script = f"""
import runpy, sys
sys.argv = ["pointskel_blender", {str(image)!r}, "--json", {str(tmp_path / "l.json")!r}]
try:
    runpy.run_module("pointskel_blender", run_name="__main__")
except SystemExit as exit:
    assert exit.code == 0, exit.code
assert "bpy" not in sys.modules and "torch" not in sys.modules, "heavy imports"
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "l.json").exists()


def test_anatomy_flags_reach_the_skeleton(tmp_path, capsys):
    image = figure_png(tmp_path, "stick", figures.stick_figure(256).mask)
    out = tmp_path / "stick.json"
    assert main([str(image), "--json", str(out), "--predictor", "geometric", "--naming", "mixamo"]) == 0
    saved = json.loads(out.read_text())
    assert saved["anatomy"]["body_plan"] == "biped" and saved["anatomy"]["naming"] == "mixamo"
    assert saved["joints"][0]["name"] == "mixamorig:Hips"
    assert "biped" in capsys.readouterr().out  # the summary line says what figure was read
    forced = tmp_path / "forced.json"
    assert main([str(image), "--json", str(forced), "--predictor", "geometric", "--body-plan", "quadruped",
                 "--view", "side", "--tail-bones", "3"]) == 0
    anatomy = json.loads(forced.read_text())["anatomy"]
    assert ((anatomy["body_plan"], anatomy["view"], anatomy["body_plan_confidence"])
            == ("quadruped", "side", 1.0))
    with pytest.raises(SystemExit) as exit_info:  # argparse refuses a scheme it does not offer
        main([str(image), "--json", str(forced), "--naming", "maya"])
    assert exit_info.value.code == 2 and "rigify" in capsys.readouterr().err


def test_an_image_that_does_not_look_like_a_figure_gets_a_warning_and_still_its_skeleton(tmp_path, capsys):
    """The issue's all-black image, and a cup: exit 0 with a one-line warning; a drawn person gets none."""
    black = tmp_path / "black.png"
    Image.fromarray(np.zeros((256, 256, 3), np.uint8)).save(black)
    cup = tmp_path / "cup.png"
    Image.fromarray(anatomy_figures.rgba(anatomy_figures.cup().mask)).save(cup)
    person = tmp_path / "person.png"
    Image.fromarray(anatomy_figures.rgba(anatomy_figures.humanoid_tpose().mask)).save(person)
    for image, doubted in ((black, True), (cup, True), (person, False)):
        code = main([str(image), "--json", str(tmp_path / f"{image.stem}.json"), "--predictor", "geometric",
                     "--mask-backend", "auto" if image == black else "alpha"])  # black: as a user runs it
        err = capsys.readouterr().err
        assert code == 0 and (tmp_path / f"{image.stem}.json").is_file()
        warnings = [line for line in err.splitlines() if line.startswith("warning:")]
        assert len(warnings) == (1 if doubted else 0), err
        if doubted:
            assert "does not look like a figure" in warnings[0] and str(image) in warnings[0]


def test_a_figure_the_frame_cuts_off_gets_a_warning_naming_the_edge(tmp_path, capsys):
    """A bust (shoulders cut by the bottom edge) still gets its skeleton, and the same one-line warning the
    Blender operator reports; a whole figure gets none."""
    whole = anatomy_figures.humanoid_tpose().mask
    yy, xx = np.mgrid[:300, :300]
    bust = (yy - 90) ** 2 + (xx - 150) ** 2 < 45 ** 2  # the head
    bust |= (yy > 150) & (np.abs(xx - 150) < 40 + (yy - 150))  # shoulders and chest down to the frame
    for name, mask, cut in (("bust", bust, True), ("whole", whole, False)):
        image = tmp_path / f"{name}.png"
        Image.fromarray(anatomy_figures.rgba(mask)).save(image)
        code = main([str(image), "--json", str(tmp_path / f"{name}.json"), "--predictor", "geometric",
                     "--mask-backend", "alpha"])
        warnings = [line for line in capsys.readouterr().err.splitlines() if "runs off" in line]
        assert code == 0 and (tmp_path / f"{name}.json").is_file()
        assert len(warnings) == (1 if cut else 0)
        if cut:
            assert warnings[0].startswith(f"warning: {image}") and "bottom edge" in warnings[0]
