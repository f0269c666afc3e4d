"""Image loading and the working-resolution resample, on files the tests write and skimage photos."""

from __future__ import annotations

import struct
import types
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
import skimage.data
from PIL import Image, ImageFile

from pointskel_blender.core.errors import ImageError
from pointskel_blender.core.image import (
    MAX_PIXELS,
    LoadedImage,
    image_from_array,
    load_image,
    resize_to_working,
    working_alpha,
)

CAT = skimage.data.chelsea()  # (300, 451, 3) uint8


def _rgba_cat() -> np.ndarray:
    """The cat with a real alpha channel: a soft-edged ellipse, with graded values."""
    h, w = CAT.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    r = ((xx - w / 2) / (0.4 * w)) ** 2 + ((yy - h / 2) / (0.4 * h)) ** 2
    alpha = np.clip((1.2 - r) * 255, 0, 255).astype(np.uint8)
    return np.dstack([CAT, alpha])


@pytest.mark.parametrize(
    "fmt, suffix, options",
    [
        ("PNG", ".png", {}),
        ("TIFF", ".tif", {}),
        ("BMP", ".bmp", {}),
        ("WEBP", ".webp", {"lossless": True}),
    ],
)
def test_lossless_formats_round_trip_rgb_exactly(
    tmp_path: Path, fmt: str, suffix: str, options: dict
) -> None:
    path = tmp_path / f"cat{suffix}"
    Image.fromarray(CAT).save(path, fmt, **options)
    image = load_image(path)
    assert isinstance(image, LoadedImage)
    assert image.rgba.dtype == np.float32 and image.rgba.shape == (300, 451, 4)
    assert image.size == (451, 300) and image.width == 451 and image.height == 300
    assert not image.has_alpha
    np.testing.assert_array_equal(np.round(image.rgba[..., :3] * 255).astype(np.uint8), CAT)
    assert np.all(image.rgba[..., 3] == 1.0)
    assert image.source == str(path)


@pytest.mark.parametrize("fmt, suffix", [("JPEG", ".jpg"), ("WEBP", ".webp")])
def test_lossy_formats_round_trip_close(tmp_path: Path, fmt: str, suffix: str) -> None:
    path = tmp_path / f"cat{suffix}"
    Image.fromarray(CAT).save(path, fmt, quality=95)
    image = load_image(path)
    assert image.rgba.shape == (300, 451, 4) and not image.has_alpha
    assert np.abs(image.rgba[..., :3] * 255 - CAT).mean() < 3.0


@pytest.mark.parametrize(
    "fmt, suffix, options",
    [
        ("PNG", ".png", {}),
        ("TIFF", ".tif", {}),
        ("WEBP", ".webp", {"lossless": True}),
    ],
)
def test_rgba_formats_keep_alpha(tmp_path: Path, fmt: str, suffix: str, options: dict) -> None:
    rgba = _rgba_cat()
    path = tmp_path / f"cat{suffix}"
    Image.fromarray(rgba).save(path, fmt, **options)
    image = load_image(path)
    assert image.has_alpha
    np.testing.assert_array_equal(np.round(image.rgba[..., 3] * 255).astype(np.uint8), rgba[..., 3])
    visible = rgba[..., 3] > 0
    np.testing.assert_array_equal(np.round(image.rgba[..., :3][visible] * 255).astype(np.uint8), CAT[visible])


def _gray16() -> np.ndarray:
    """A 16-bit ramp whose values mostly sit far above 255 and differ below the 8-bit step."""
    return (np.arange(64 * 48, dtype=np.uint32).reshape(48, 64) * 21 + 7).astype(np.uint16)


@pytest.mark.parametrize("suffix", [".png", ".tif"])
def test_16bit_gray_keeps_full_precision(tmp_path: Path, suffix: str) -> None:
    values = _gray16()
    path = tmp_path / f"gray16{suffix}"
    Image.fromarray(values).save(path)
    image = load_image(path)
    expected = values.astype(np.float64) / 65535.0
    np.testing.assert_allclose(image.rgba[..., 0], expected, atol=1e-6)
    np.testing.assert_allclose(image.rgba[..., 2], expected, atol=1e-6)
    assert image.rgba.max() > 0.9  # not clipped at 255/65535


@pytest.mark.parametrize("suffix", [".png", ".tif"])
@pytest.mark.parametrize("channels", [3, 4])
def test_16bit_colour_is_scaled_not_clipped(tmp_path: Path, suffix: str, channels: int) -> None:
    g = _gray16()
    planes = [g, (g // 2).astype(np.uint16), (65535 - g).astype(np.uint16), (g // 3).astype(np.uint16)]
    rgba16 = np.dstack(planes[:channels])
    path = tmp_path / f"colour16{suffix}"
    bgr_order = [2, 1, 0, 3][:channels]
    assert cv2.imwrite(str(path), rgba16[..., bgr_order])
    image = load_image(path)
    expected = rgba16.astype(np.float64) / 65535.0
    # Pillow decodes 16-bit colour to 8 bits, so one 8-bit step is the precision here.
    np.testing.assert_allclose(image.rgba[..., :channels], expected, atol=1.0 / 255 + 1e-6)
    assert image.has_alpha == (channels == 4)
    assert image.rgba[..., 0].max() > 0.9


def test_palette_without_and_with_transparency(tmp_path: Path) -> None:
    palette_img = Image.fromarray(CAT).quantize(16)
    plain = tmp_path / "palette.png"
    palette_img.save(plain)
    image = load_image(plain)
    assert not image.has_alpha
    expected = np.asarray(palette_img.convert("RGB"))
    np.testing.assert_array_equal(np.round(image.rgba[..., :3] * 255).astype(np.uint8), expected)

    index = np.asarray(palette_img)
    keyed = tmp_path / "palette_trns.png"
    palette_img.save(keyed, transparency=int(index[0, 0]))
    image = load_image(keyed)
    assert image.has_alpha
    np.testing.assert_array_equal(image.rgba[..., 3] == 0.0, index == index[0, 0])
    assert set(np.unique(image.rgba[..., 3])) == {0.0, 1.0}


def test_colour_key_transparency_in_rgb_png(tmp_path: Path) -> None:
    rgb = CAT.copy()
    rgb[:40, :60] = (1, 2, 3)
    path = tmp_path / "keyed.png"
    Image.fromarray(rgb).save(path, transparency=(1, 2, 3))
    image = load_image(path)
    assert image.has_alpha
    assert np.all(image.rgba[:40, :60, 3] == 0.0)
    assert image.rgba[..., 3].mean() > 0.9


def test_gray_alpha_and_bilevel_and_gray(tmp_path: Path) -> None:
    gray = np.asarray(Image.fromarray(CAT).convert("L"))
    alpha = _rgba_cat()[..., 3]
    Image.fromarray(np.dstack([gray, alpha]), "LA").save(tmp_path / "la.png")
    image = load_image(tmp_path / "la.png")
    assert image.has_alpha
    np.testing.assert_array_equal(np.round(image.rgba[..., 3] * 255).astype(np.uint8), alpha)
    visible = alpha > 0
    for c in range(3):
        np.testing.assert_array_equal(
            np.round(image.rgba[..., c][visible] * 255).astype(np.uint8), gray[visible]
        )

    Image.fromarray(gray).save(tmp_path / "l.png")
    image = load_image(tmp_path / "l.png")
    assert not image.has_alpha
    np.testing.assert_array_equal(np.round(image.rgba[..., 1] * 255).astype(np.uint8), gray)

    Image.fromarray(gray > 128).save(tmp_path / "bilevel.png")
    image = load_image(tmp_path / "bilevel.png")
    np.testing.assert_array_equal(image.rgba[..., 0] == 1.0, gray > 128)
    assert set(np.unique(image.rgba[..., 0])) == {0.0, 1.0}


def test_32bit_int_and_float_tiff_and_cmyk(tmp_path: Path) -> None:
    values = _gray16()
    Image.fromarray(values.astype(np.int32)).save(tmp_path / "i32.tif")
    np.testing.assert_allclose(load_image(tmp_path / "i32.tif").rgba[..., 0], values / 65535.0, atol=1e-6)

    floats = (values / 65535.0).astype(np.float32)
    Image.fromarray(floats).save(tmp_path / "f32.tif")
    np.testing.assert_allclose(load_image(tmp_path / "f32.tif").rgba[..., 1], floats, atol=1e-7)

    cmyk = np.zeros((20, 30, 4), np.uint8)
    cmyk[:, 15:] = (0, 255, 255, 0)  # full magenta + yellow = red
    Image.fromarray(cmyk, "CMYK").save(tmp_path / "cmyk.tif")
    image = load_image(tmp_path / "cmyk.tif")
    np.testing.assert_allclose(image.rgba[0, 0, :3], 1.0)
    np.testing.assert_allclose(image.rgba[0, -1, :3], (1.0, 0.0, 0.0))


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    stored = np.full((30, 40, 3), 200, np.uint8)
    stored[:8, :8] = (255, 0, 0)  # a red mark in the stored top-left corner
    img = Image.fromarray(stored)
    exif = img.getexif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    path = tmp_path / "rotated.jpg"
    img.save(path, exif=exif.tobytes(), quality=95)
    image = load_image(path)
    assert image.size == (30, 40)
    red = image.rgba[..., 0] - image.rgba[..., 1]
    assert red[:6, -6:].mean() > 0.8  # the mark shows top-right after the clockwise turn
    assert red[:6, :6].mean() < 0.1


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header(width: int, height: int) -> bytes:
    """A valid PNG signature, IHDR and the start of IDAT: a few bytes that claim a huge image."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\0" * 64))


def test_decompression_bombs_are_refused_from_the_header(tmp_path: Path) -> None:
    ours = tmp_path / "big.png"  # above our limit, below Pillow's own guard: our header check speaks
    ours.write_bytes(_png_header(9000, 9000))
    with pytest.raises(ImageError, match=r"9000×9000 \(81 MP\), larger than the 64 MP limit"):
        load_image(ours)
    bomb = tmp_path / "bomb.png"  # far above: Pillow refuses inside open(), we translate it
    bomb.write_bytes(_png_header(20000, 20000))
    with pytest.raises(ImageError, match=r"400 MP, larger than the 64 MP limit"):
        load_image(bomb)
    small = tmp_path / "small.png"
    Image.fromarray(CAT).save(small)
    with pytest.raises(ImageError, match=r"451×300 .* larger than the 0.1 MP limit"):
        load_image(small, max_pixels=100_000)
    assert MAX_PIXELS == 64_000_000


def test_bad_files_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match="no such file"):
        load_image(tmp_path / "missing.png")
    with pytest.raises(ImageError, match="is a folder"):
        load_image(tmp_path)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(ImageError, match="empty"):
        load_image(empty)
    text = tmp_path / "notes.png"
    text.write_text("this is not a picture\n" * 20)
    with pytest.raises(ImageError, match="not an image"):
        load_image(text)
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (1, 1)).save(tiny)
    with pytest.raises(ImageError, match="1×1"):
        load_image(tiny)
    thin = tmp_path / "thin.png"
    Image.new("RGB", (200, 7)).save(thin)
    with pytest.raises(ImageError, match="at least 8"):
        load_image(thin)


@pytest.mark.parametrize("allow_truncated_elsewhere", [False, True])
def test_truncated_png_errors_instead_of_loading_partially(
    tmp_path: Path, allow_truncated_elsewhere: bool
) -> None:
    whole = tmp_path / "whole.png"
    Image.fromarray(CAT).save(whole)
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = allow_truncated_elsewhere  # as another add-on might have set it
    try:
        with pytest.raises(ImageError, match="truncated or corrupt"):
            load_image(cut)
        assert ImageFile.LOAD_TRUNCATED_IMAGES == allow_truncated_elsewhere  # left as we found it
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".webp", ".tif", ".bmp"])
def test_whole_and_cut_files_without_touching_pillows_global_flag(
    tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With LOAD_TRUNCATED_IMAGES on (another add-on's choice, shared by every thread), whole files load
    as they do with it off and a cut one is refused, and loading never writes the flag (not even to
    put it back: another thread may be decoding meanwhile)."""
    whole = tmp_path / f"whole{suffix}"
    Image.fromarray(CAT).save(whole)
    expected = load_image(whole).rgba
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 2 // 3])
    writes = []

    class Watched(types.ModuleType):
        def __setattr__(self, name: str, value: object) -> None:
            if name == "LOAD_TRUNCATED_IMAGES":
                writes.append(value)
            super().__setattr__(name, value)

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    monkeypatch.setattr(ImageFile, "__class__", Watched)
    np.testing.assert_array_equal(load_image(whole).rgba, expected)
    with pytest.raises(ImageError, match="truncated or corrupt"):
        load_image(cut)
    assert writes == []


@pytest.mark.parametrize(
    "dtype, scale", [(np.uint8, 255), (np.uint16, 65535), (np.float32, 1.0), (np.float64, 1.0)]
)
@pytest.mark.parametrize("channels", [None, 1, 2, 3, 4])
def test_image_from_array_dtypes_and_layouts(dtype, scale: float, channels: int | None) -> None:
    rng = np.random.default_rng(3)
    shape = (20, 30) if channels is None else (20, 30, channels)
    data = (rng.random(shape) * scale).astype(dtype)
    image = image_from_array(data, source="blender:Image")
    assert image.rgba.shape == (20, 30, 4) and image.rgba.dtype == np.float32
    assert image.source == "blender:Image"
    norm = data.astype(np.float64) / scale
    norm = norm[..., None] if channels is None else norm
    has_alpha = channels in (2, 4)
    assert image.has_alpha == has_alpha
    colour = norm[..., : norm.shape[2] - 1] if has_alpha else norm
    for c in range(3):
        np.testing.assert_allclose(
            image.rgba[..., c], colour[..., c if colour.shape[2] == 3 else 0], atol=1e-6
        )
    np.testing.assert_allclose(image.rgba[..., 3], norm[..., -1] if has_alpha else 1.0, atol=1e-6)


def test_image_from_array_rejects_bad_arrays() -> None:
    with pytest.raises(ImageError, match="shape"):
        image_from_array(np.zeros((10, 10, 5), np.uint8))
    with pytest.raises(ImageError, match="shape"):
        image_from_array(np.zeros(100, np.uint8))
    with pytest.raises(ImageError, match="unsupported array type"):
        image_from_array(np.zeros((10, 10), np.int64))
    with pytest.raises(ImageError, match="NaN"):
        image_from_array(np.full((10, 10), np.nan, np.float32))
    with pytest.raises(ImageError, match="at least 8"):
        image_from_array(np.zeros((1, 1, 3), np.uint8))
    clipped = image_from_array(np.full((10, 10, 3), 1.7, np.float32))
    assert clipped.rgba.max() == 1.0


def _blob_image(width: int, height: int, centre: tuple[float, float], sigma: float) -> LoadedImage:
    yy, xx = np.mgrid[0:height, 0:width] + 0.5  # pixel centres
    blob = np.exp(-((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2) / (2 * sigma**2)).astype(np.float32)
    return image_from_array(blob)


def _centroid(plane: np.ndarray) -> tuple[float, float]:
    yy, xx = np.mgrid[0 : plane.shape[0], 0 : plane.shape[1]] + 0.5
    total = plane.sum()
    return float((plane * xx).sum() / total), float((plane * yy).sum() / total)


@pytest.mark.parametrize("width, height", [(437, 300), (300, 437), (1200, 901)])
@pytest.mark.parametrize("work_size", [64, 127, 512, 1000])
def test_resize_maps_input_to_work_exactly(width: int, height: int, work_size: int) -> None:
    centre = (0.37 * width + 0.21, 0.61 * height - 0.13)
    image = _blob_image(width, height, centre, sigma=0.02 * max(width, height))
    work, scale = resize_to_working(image, work_size)
    assert scale == pytest.approx(work_size / max(width, height), rel=1e-12)
    assert max(work.shape[:2]) == work_size
    assert work.shape[0] == int(np.floor(height * scale + 1e-9)) and work.shape[1] == int(
        np.floor(width * scale + 1e-9)
    )
    cx, cy = _centroid(work[..., 0])
    # a half-pixel convention error would be 0.5 px; the mapping is exact up to resampling noise
    assert abs(cx - centre[0] * scale) < 0.01
    assert abs(cy - centre[1] * scale) < 0.01
    alpha, alpha_scale = working_alpha(image, work_size)
    assert alpha.shape == work.shape[:2] and alpha_scale == scale and np.all(alpha == 1.0)


def test_resize_keeps_16bit_precision_and_hides_colour_under_transparency() -> None:
    ramp = np.linspace(0.2, 0.2 + 200 / 65535, 1024, dtype=np.float64)
    image = image_from_array(np.tile(ramp, (64, 1)).astype(np.float32))
    work, _ = resize_to_working(image, 512)
    steps = np.unique(np.round(work[16, 8:-8, 0] * 65535))
    assert len(steps) > 100  # far more levels than the 1 or 2 8-bit steps the ramp spans

    rgba = np.zeros((200, 200, 4), np.float32)
    rgba[..., 0] = 1.0  # pure red hidden under the transparent half
    rgba[:, 100:] = (0.0, 1.0, 0.0, 1.0)
    work, _ = resize_to_working(image_from_array(rgba), 64)
    edge = work[:, 30:34]
    visible = edge[..., 3] > 0.01
    assert visible.any() and np.all(edge[..., 0][visible] < 0.02)  # no red fringe on the green edge
    np.testing.assert_allclose(edge[..., 1][visible], 1.0, atol=0.02)

    flat, _ = resize_to_working(image_from_array(rgba), 64, over=1.0)
    assert np.all(flat[..., 3] == 1.0)
    np.testing.assert_allclose(flat[:, :28], 1.0, atol=1e-5)  # transparent half reads as the white backdrop
    assert np.abs(flat[:, 36:, :3] - (0.0, 1.0, 0.0)).max() < 1e-5
    assert np.all(
        flat[:, 28:36, 0] >= flat[:, 28:36, 2] - 1e-6
    )  # white-to-green blend: no dark or red fringe
    assert np.all(flat[:, 28:36, 1] > 0.95)

    with pytest.raises(ImageError, match="too small"):
        resize_to_working(image, 4)
