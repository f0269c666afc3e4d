"""Issue 16, item 6: each of these is one error line naming the path once, never a traceback."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage
from reliability_cases import FAST, save_figure

from pointskel_blender.cli.run import main


def _one_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), err
    return lines[0]


@pytest.mark.parametrize("size", [(8, 60000), (10, 2000), (2000, 9)])
def test_an_image_thinner_than_one_working_pixel_is_named(tmp_path, capsys, size):
    path = tmp_path / "thin.png"
    Image.fromarray(np.full(size[::-1], 255, np.uint8)).save(path)
    assert main([str(path), "--json", str(tmp_path / "t.json"), *FAST]) == 1
    line = _one_error(capsys)
    assert "too thin for the working size" in line and line.count(str(path)) == 1


def test_a_negative_seed_is_a_usage_error(tmp_path, capsys):
    assert main([str(save_figure(tmp_path / "x.png")), "--seed", "-1"]) == 2
    assert "seed (--seed) must be at least 0" in _one_error(capsys)


def test_json_that_is_a_folder(tmp_path, capsys):
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert main([str(save_figure(tmp_path / "x.png")), "--json", str(folder), *FAST]) == 1
    line = _one_error(capsys)
    assert "is a folder" in line and line.count(str(folder)) == 1
    assert list(folder.iterdir()) == []


def test_json_under_a_file(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    target = blocker / "x.json"
    assert main([str(save_figure(tmp_path / "x.png")), "--json", str(target), *FAST]) == 1
    assert f"cannot write ({blocker} is a file, not a folder)" in _one_error(capsys)
    assert blocker.read_text() == "a file, not a folder"


def test_json_in_a_read_only_folder(tmp_path, read_only, capsys):
    assert main([str(save_figure(tmp_path / "x.png")), "--json", str(read_only / "x.json"), *FAST]) == 1
    assert "Read-only file system" in _one_error(capsys)


def test_several_images_into_a_read_only_folder_fail_once_before_any_runs(tmp_path, read_only, capsys):
    images = [str(save_figure(tmp_path / f"{n}.png")) for n in "abc"]
    assert main([*images, "-o", str(read_only / "out"), *FAST]) == 2
    assert "Read-only file system" in _one_error(capsys)


def test_an_empty_file_is_named_once(tmp_path, capsys):
    empty = tmp_path / "x.png"
    empty.write_bytes(b"")
    assert main([str(empty), "--json", str(tmp_path / "x.json")]) == 1
    line = _one_error(capsys)
    assert line == f"error: {empty}: file is empty (0 bytes)"


def _noise(path, alpha: bool):
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 256, (256, 256, 4 if alpha else 3), dtype=np.uint8)
    if alpha:  # blotchy transparency: random blobs, away from the border
        blobs = ndimage.gaussian_filter(rng.random((256, 256)), 8)
        pixels[..., 3] = np.where(blobs > np.quantile(blobs, 0.6), 255, 0)
        pixels[:16, :, 3] = pixels[-16:, :, 3] = pixels[:, :16, 3] = pixels[:, -16:, 3] = 0
    Image.fromarray(pixels).save(path)
    return path


@pytest.mark.parametrize("backend", ["threshold", "alpha"])
def test_noise_without_a_figure_is_one_error_line(tmp_path, capsys, backend):
    """The issue's noise image: no backend finds an object in it; it says so, once, and writes nothing."""
    image = _noise(tmp_path / "noise.png", alpha=False)
    assert main([str(image), "--json", str(tmp_path / "n.json"), "--mask-backend", backend, *FAST[:4]]) == 1
    assert _one_error(capsys).count(str(image)) == 1
    assert not (tmp_path / "n.json").exists()


def test_noise_that_a_mask_can_take_gets_its_rig_and_a_warning(tmp_path, capsys):
    """Noise with blotchy transparency does make a mask: the rig is built, exit 0, and a warning says
    the image does not look like a figure (it used to be an 11-joint rig without a word)."""
    image = _noise(tmp_path / "noise.png", alpha=True)
    assert main([str(image), "--json", str(tmp_path / "n.json"), "--mask-backend", "alpha", *FAST[:4]]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "does not look like a figure" in warnings[0]
    assert (tmp_path / "n.json").is_file()


def _bad_input(folder, kind: str):
    path = folder / f"{kind}.png"
    if kind == "text":
        path.write_text("not an image")
    elif kind == "truncated":
        whole = save_figure(folder / "whole.png").read_bytes()
        path.write_bytes(whole[: len(whole) // 2])
    elif kind == "folder":
        path.mkdir()
    elif kind == "transparent":
        Image.new("RGBA", (64, 64), (0, 0, 0, 0)).save(path)
    elif kind == "huge":
        Image.new("1", (9000, 9000)).save(path)
    return path  # "missing": never made


BAD_INPUTS = ["text", "truncated", "folder", "missing", "transparent", "huge"]


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_each_bad_input_is_one_line_naming_its_path_once(tmp_path, capsys, kind):
    image = _bad_input(tmp_path, kind)
    assert main([str(image), "--json", str(tmp_path / "x.json"), *FAST]) == 1
    line = _one_error(capsys)
    assert line.startswith(f"error: {image}: ") and line.count(str(image)) == 1
    assert line.count(image.name) == 1 and not (tmp_path / "x.json").exists()
