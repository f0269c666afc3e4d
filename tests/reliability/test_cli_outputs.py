"""Issue 16, item 1: the command line never writes over its inputs, over its own other output,
or over an existing file without --overwrite."""
from __future__ import annotations

import json

from reliability_cases import FAST, save_figure
from PIL import Image

from pointskel_blender.cli.run import main


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


def test_a_preview_named_like_its_input_is_refused_and_the_input_kept(tmp_path, capsys):
    image = save_figure(tmp_path / "x.png")
    before = image.read_bytes()
    assert main([str(image), "--preview", str(image), *FAST]) == 1
    assert image.read_bytes() == before
    (line,) = _error_lines(capsys.readouterr().err)
    assert "is an input" in line and "Traceback" not in line


def test_a_json_named_like_its_input_is_refused_and_the_input_kept(tmp_path, capsys):
    image = save_figure(tmp_path / "x.png")
    before = image.read_bytes()
    assert main([str(image), "--json", str(image), *FAST]) == 1
    assert image.read_bytes() == before
    assert "is an input" in capsys.readouterr().err


def test_json_and_preview_on_one_file_are_refused(tmp_path, capsys):
    image = save_figure(tmp_path / "x.png")
    both = tmp_path / "a.out"
    assert main([str(image), "--json", str(both), "--preview", str(both), *FAST]) == 1
    assert not both.exists()
    assert "same file" in capsys.readouterr().err


def test_two_inputs_with_one_stem_do_not_overwrite_each_other(tmp_path, capsys):
    first = tmp_path / "a.tiff"
    Image.open(save_figure(tmp_path / "src.png")).save(first)
    second = tmp_path / "a.webp"
    Image.open(tmp_path / "src.png").save(second, lossless=True)
    out = tmp_path / "out"
    assert main([str(first), str(second), "-o", str(out), *FAST]) == 1
    assert json.loads((out / "a.json").read_text())["source"].endswith("a.tiff")
    (line,) = _error_lines(capsys.readouterr().err)
    assert "a.webp" in line and "same names" in line


def test_an_earlier_runs_previews_are_not_inputs(tmp_path, capsys):
    image = save_figure(tmp_path / "x.png")
    assert main([str(image), "-o", str(tmp_path), *FAST]) == 0
    assert (tmp_path / "x_preview.png").is_file()
    # the shell's `*.png` now also matches the preview: it is skipped, not processed
    code = main([str(image), str(tmp_path / "x_preview.png"), "-o", str(tmp_path), "--overwrite", *FAST])
    assert code == 0
    assert not (tmp_path / "x_preview.json").exists() and not (tmp_path / "x_preview_preview.png").exists()
    assert "earlier run" in capsys.readouterr().err


def test_existing_outputs_are_kept_without_overwrite(tmp_path, capsys):
    image = save_figure(tmp_path / "x.png")
    target = tmp_path / "x.json"
    target.write_text("mine")
    assert main([str(image), "--json", str(target), *FAST]) == 0
    assert target.read_text() == "mine"
    assert "skipped" in capsys.readouterr().out
    assert main([str(image), "--json", str(target), "--overwrite", *FAST]) == 0
    assert json.loads(target.read_text())["format"] == "pointskel-skeleton"


def test_a_missing_image_does_not_block_another_with_its_stem(tmp_path, capsys):
    """The same-name check counts only images that can run: a missing one claims no names."""
    real = save_figure(tmp_path / "b" / "a.png")
    out = tmp_path / "out"
    assert main([str(tmp_path / "missing" / "a.png"), str(real), "-o", str(out), *FAST]) == 1
    assert (out / "a.json").is_file()
    (line,) = _error_lines(capsys.readouterr().err)
    assert "missing" in line and "no such file" in line


def test_an_image_that_fails_does_not_block_another_with_its_stem(tmp_path, capsys):
    """The same-name check counts only images that can run: one that cannot be read fails with its
    own error and claims no names, whichever of the two comes first."""
    good = save_figure(tmp_path / "b" / "a.png")
    broken = tmp_path / "a" / "a.png"
    broken.parent.mkdir()
    broken.write_text("not an image")
    for order in ((broken, good), (good, broken)):
        out = tmp_path / f"out{order[0] == good}"
        assert main([*map(str, order), "-o", str(out), *FAST]) == 1
        assert json.loads((out / "a.json").read_text())["joints"]  # the good one ran
        (line,) = _error_lines(capsys.readouterr().err)
        assert line.count(str(broken)) == 1 and "not an image" in line and "same names" not in line
