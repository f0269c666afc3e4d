"""Bad or unusual images are named for what they are: a fully transparent image is not blamed on a
background-removal backend, and an EXIF-rotated photo says that its stored pixels are not what is
shown (so that whoever displays it, Blender, uses the pipeline's pixels instead)."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from pointskel_blender.core.errors import ImageError, MaskError
from pointskel_blender.core.image import check_image_file, load_image
from pointskel_blender.core.mask import compute_mask
from pointskel_blender.core.model_store import find_model


@pytest.mark.parametrize("backend", ["auto", "alpha", "threshold", "rembg"])
def test_a_fully_transparent_image_is_named_as_such(tmp_path, backend):
    if backend in ("auto", "rembg") and find_model("u2netp", None) is None:
        pytest.skip("u2netp.onnx is fetched by build.py setup (auto then tries rembg)")
    path = tmp_path / "empty.png"
    Image.new("RGBA", (200, 300), (255, 0, 0, 0)).save(path)
    with pytest.raises(MaskError, match=r"empty.png: the image is fully transparent") as caught:
        compute_mask(load_image(path), backend=backend)
    assert "rembg" not in str(caught.value) and "model" not in str(caught.value)


@pytest.mark.parametrize("orientation, turned", [(1, False), (3, True), (6, True), (8, True)])
def test_an_exif_rotated_photo_is_marked_as_reoriented(tmp_path, orientation, turned):
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "phone.jpg"
    Image.new("RGB", (120, 80), (10, 200, 30)).save(path, exif=exif)
    image = load_image(path)
    assert image.reoriented is turned
    assert image.size == ((80, 120) if orientation in (6, 8) else (120, 80))


def test_checking_an_image_file_reads_only_its_header(tmp_path):
    path = tmp_path / "a.png"
    Image.new("RGB", (64, 48)).save(path)
    assert check_image_file(path) == (64, 48)
    (tmp_path / "notes.png").write_text("not an image")
    with pytest.raises(ImageError, match="notes.png: not an image"):
        check_image_file(tmp_path / "notes.png")
    huge = tmp_path / "huge.png"
    Image.new("1", (9000, 9000)).save(huge)  # 81 MP of one bit: a 1 MB file
    with pytest.raises(ImageError, match=r"9000×9000 \(81 MP\), larger than the 64 MP limit"):
        check_image_file(huge)
    assert Path(huge).stat().st_size < 20 * 2**20
