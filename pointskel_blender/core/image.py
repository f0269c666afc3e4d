"""Reading the reference image: any common file or array in, straight-alpha float RGBA out.

Everything downstream sees one representation (`LoadedImage.rgba`, float32 in [0, 1]), so format
quirks (palettes, 16-bit, CMYK, EXIF rotation) are settled here once. Bad input fails early with an
`ImageError` that names the file and the problem, never with a Pillow traceback.
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .errors import ImageError

# 64 MP: the float32 RGBA copy costs 16 bytes a pixel (1 GB at the limit) on top of the decoder's
# buffers and whatever Blender already holds. It still admits 8K frames (33 MP) and 48 MP phone
# photos, and the mask stage works at a few hundred pixels anyway, so bigger inputs gain nothing.
MAX_PIXELS = 64_000_000
MIN_SIDE = 8  # below this there is no shape to skeletonize, and it is almost always a wrong file

ORIENTATION_TAG = 0x0112  # EXIF Orientation: 1 = as stored
_ALPHA_MODES = frozenset({"LA", "La", "PA", "RGBA", "RGBa"})
_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


@dataclass(frozen=True)
class LoadedImage:
    rgba: np.ndarray  # (H, W, 4) float32 in [0, 1], straight alpha, EXIF orientation applied
    has_alpha: bool  # the source carried an alpha channel or a transparency key
    source: str  # path or name, for messages
    # The file's EXIF orientation turned its stored pixels: a viewer that ignores the tag (Blender's
    # image loader) shows something else, so whoever displays the image must use `rgba` instead.
    reoriented: bool = False

    @property
    def width(self) -> int:
        return int(self.rgba.shape[1])

    @property
    def height(self) -> int:
        return int(self.rgba.shape[0])

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1e6:.0f} MP" if pixels >= 10e6 else f"{pixels / 1e6:.1f} MP"


def check_size(width: int, height: int, source: str, max_pixels: int = MAX_PIXELS) -> None:
    """ImageError unless a width x height image is within the limits (call before copying pixels)."""
    pixels = width * height
    if pixels > max_pixels:
        raise ImageError(
            f"{source}: image is {width}×{height} ({_megapixels(pixels)}), larger than the "
            f"{_megapixels(max_pixels)} limit; scale it down first"
        )
    if min(width, height) < MIN_SIDE:
        raise ImageError(
            f"{source}: image is only {width}×{height} pixels; it needs at least {MIN_SIDE} on each side"
        )


_STRIP_ROWS = 256  # rows converted at a time: the temporaries stay a few MB at any width


def _pillow_to_rgba(img: Image.Image) -> tuple[np.ndarray, bool]:
    """Float RGBA from any Pillow mode; 16-bit and float data keep their precision.

    Converted a strip of rows at a time into the result, so that no full-size temporary exists beside
    it: at the 64 MP limit the result is 1 GB, and whole-image conversion once needed 2 GB more.
    """
    mode = img.mode
    wide = mode.startswith("I;16") or mode in ("I", "F")
    has_alpha = not wide and (mode in _ALPHA_MODES or "transparency" in img.info)
    # 16-bit samples span 0..65535; 32-bit integer images are taken as unsigned full scale.
    full_scale = 65535.0 if mode != "I" or (img.getextrema()[1] or 0) <= 65535 else 2.0**32 - 1
    rgba = np.empty((img.height, img.width, 4), np.float32)
    for top in range(0, img.height, _STRIP_ROWS):
        box = (0, top, img.width, min(img.height, top + _STRIP_ROWS))
        _fill_rows(rgba[box[1] : box[3]], img.crop(box), wide, has_alpha, full_scale)
    return rgba, has_alpha


def _fill_rows(out: np.ndarray, strip: Image.Image, wide: bool, has_alpha: bool, full_scale: float) -> None:
    if wide:
        values = np.asarray(strip)
        if strip.mode == "F":
            gray = np.nan_to_num(values.astype(np.float32), nan=0.0)
        else:
            gray = values.astype(np.float32) / np.float32(full_scale)
        out[..., :3] = np.clip(gray, 0.0, 1.0)[..., None]
        out[..., 3] = 1.0
        return
    data = np.asarray(strip.convert("RGBA" if has_alpha else "RGB"))
    np.multiply(data, np.float32(1.0 / 255.0), out=out[..., : data.shape[2]], dtype=np.float32)
    if not has_alpha:
        out[..., 3] = 1.0


@contextlib.contextmanager
def _opened(file: Path, max_pixels: int) -> Iterator[Image.Image]:
    """The image file opened (header read, size checked, nothing decoded); every failure an ImageError."""
    source = str(file)
    if not file.exists():
        raise ImageError(f"{source}: no such file")
    if file.is_dir():
        raise ImageError(f"{source}: is a folder, not an image file")
    if file.stat().st_size == 0:
        raise ImageError(f"{source}: file is empty (0 bytes)")
    # Another add-on may have switched this global on; a half-decoded image must not pass as whole.
    truncated_ok = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            # Our own limit below is checked on the header; Pillow's softer warning adds nothing.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as img:
                check_size(img.width, img.height, source, max_pixels)
                yield img
    except Image.DecompressionBombError as exc:
        match = _BOMB_PIXELS.search(str(exc))
        size = f"has {_megapixels(int(match.group(1)))}" if match else "is huge"
        raise ImageError(
            f"{source}: image {size}, larger than the {_megapixels(max_pixels)} limit "
            "(refused before decoding); scale it down first"
        ) from None
    except UnidentifiedImageError:
        raise ImageError(
            f"{source}: not an image Pillow can read (use PNG, JPEG, WebP, TIFF or BMP)"
        ) from None
    except PermissionError:
        raise ImageError(f"{source}: permission denied") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(f"{source}: file is truncated or corrupt ({exc})") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_ok


def check_image_file(path: str | os.PathLike, *, max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """(width, height) of an image file the pipeline can read, from its header alone (ImageError if not).

    For callers that hand the file to another reader (Blender's), so that what PointSkel cannot use
    is refused before anything is loaded."""
    with _opened(Path(path), max_pixels) as img:
        return img.size


def load_image(path: str | os.PathLike, *, max_pixels: int = MAX_PIXELS) -> LoadedImage:
    """Decode an image file, refusing oversize images from the header before any pixel is decoded."""
    file = Path(path)
    with _opened(file, max_pixels) as img:
        img.load()
        reoriented = img.getexif().get(ORIENTATION_TAG, 1) not in (0, 1)
        ImageOps.exif_transpose(img, in_place=True)  # a copy here would cost the decoded size again
        rgba, has_alpha = _pillow_to_rgba(img)
    return LoadedImage(rgba=rgba, has_alpha=has_alpha, source=str(file), reoriented=reoriented)


def image_from_array(array: np.ndarray, *, source: str = "array") -> LoadedImage:
    """Wrap pixels already in memory (e.g. Blender's, flipped top-down): gray, gray+alpha, RGB or RGBA."""
    data = np.asarray(array)
    if data.ndim == 2:
        data = data[..., None]
    if data.ndim != 3 or data.shape[2] not in (1, 2, 3, 4):
        raise ImageError(f"{source}: expected an (H, W) or (H, W, 1|2|3|4) array, got shape {data.shape}")
    height, width, channels = data.shape
    check_size(width, height, source)
    if data.dtype == np.uint8:
        values = data.astype(np.float32) * np.float32(1.0 / 255.0)
    elif data.dtype == np.uint16:
        values = data.astype(np.float32) * np.float32(1.0 / 65535.0)
    elif np.issubdtype(data.dtype, np.floating):
        values = data.astype(np.float32)
        if not np.isfinite(values).all():
            raise ImageError(f"{source}: array contains NaN or infinite values")
        np.clip(values, 0.0, 1.0, out=values)
    elif data.dtype == np.bool_:
        values = data.astype(np.float32)
    else:
        raise ImageError(f"{source}: unsupported array type {data.dtype} (use uint8, uint16 or float)")
    rgba = np.empty((height, width, 4), np.float32)
    has_alpha = channels in (2, 4)
    colour = values[..., : channels - 1] if has_alpha else values
    rgba[..., :3] = colour if colour.shape[2] == 3 else colour[..., :1]
    rgba[..., 3] = values[..., -1] if has_alpha else 1.0
    return LoadedImage(rgba=rgba, has_alpha=has_alpha, source=source)


@dataclass(frozen=True)
class _WorkGrid:
    """The working pixel grid: output size, the input-pixel box it covers, and its one scale."""

    size: tuple[int, int]
    box: tuple[float, float, float, float]
    scale: float

    @staticmethod
    def of(image: LoadedImage, work_size: int) -> _WorkGrid:
        if work_size < MIN_SIDE:
            raise ImageError(f"working size {work_size} is too small; use at least {MIN_SIDE}")
        width, height = image.size
        longest = max(width, height)
        # The short side gets floor(side * scale) pixels and the source box shrinks to match, so
        # both axes share one scale; the sliver of less than one working pixel beyond it is dropped.
        out_w = work_size if width == longest else max(1, (width * work_size) // longest)
        out_h = work_size if height == longest else max(1, (height * work_size) // longest)
        box = (0.0, 0.0, out_w * longest / work_size, out_h * longest / work_size)
        return _WorkGrid((out_w, out_h), box, work_size / longest)

    def resample(self, plane: np.ndarray) -> np.ndarray:
        """Lanczos in mode "F" (16-bit precision survives); a box pre-reduction speeds big shrinks."""
        if self.scale == 1.0:
            return np.array(plane, dtype=np.float32)
        img = Image.fromarray(np.ascontiguousarray(plane, dtype=np.float32))
        resized = img.resize(self.size, Image.Resampling.LANCZOS, box=self.box, reducing_gap=3.0)
        return np.asarray(resized, dtype=np.float32)


def resize_to_working(
    image: LoadedImage, work_size: int, *, over: float | None = None
) -> tuple[np.ndarray, float]:
    """Resample so the longest side is `work_size`; `work = input * work_scale` holds exactly.

    Colour is resampled premultiplied, so the colour hidden under transparent pixels never bleeds
    into edges; the result is straight alpha again. With `over` (a grey level in [0, 1]) the image
    is first composited onto that backdrop and the result is opaque, for methods that see colour only.
    """
    grid = _WorkGrid.of(image, work_size)
    rgba = image.rgba
    alpha = rgba[..., 3]
    opaque = not image.has_alpha or bool(alpha.min() >= 1.0)
    out = np.empty((grid.size[1], grid.size[0], 4), np.float32)
    backdrop = None if opaque or over is None else np.float32(over) * (1.0 - alpha)
    for c in range(3):
        if opaque:
            plane = rgba[..., c]
        elif backdrop is not None:
            plane = rgba[..., c] * alpha + backdrop
        else:
            plane = rgba[..., c] * alpha
        out[..., c] = grid.resample(plane)
    if opaque or backdrop is not None:
        out[..., 3] = 1.0
    else:
        out_alpha = np.clip(grid.resample(alpha), 0.0, 1.0)
        with np.errstate(divide="ignore"):
            inverse = np.where(out_alpha > 1e-4, 1.0 / out_alpha, 0.0).astype(np.float32)
        out[..., :3] *= inverse[..., None]
        out[..., 3] = out_alpha
    np.clip(out, 0.0, 1.0, out=out)
    return out, grid.scale


def box_reduced(image: LoadedImage, factor: int) -> LoadedImage:
    """The image with each factor×factor block averaged (premultiplied; a last partial row or column
    of blocks is dropped), computed a band of blocks at a time: a big image shown small (the preview)
    needs no full-size temporary."""
    if factor <= 1:
        return image
    height, width = image.height // factor, image.width // factor
    out = np.empty((height, width, 4), np.float32)
    band = max(1, _STRIP_ROWS // factor)  # block rows per band
    for top in range(0, height, band):
        rows = min(band, height - top)
        block = image.rgba[top * factor : (top + rows) * factor, : width * factor]
        block = block.reshape(rows, factor, width, factor, 4)
        alpha = block[..., 3].mean(axis=(1, 3), dtype=np.float32)
        colour = (block[..., :3] * block[..., 3:]).mean(axis=(1, 3), dtype=np.float32)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[top : top + rows, :, :3] = np.where(alpha[..., None] > 1e-6, colour / alpha[..., None], 0.0)
        out[top : top + rows, :, 3] = alpha
    return LoadedImage(np.clip(out, 0.0, 1.0), image.has_alpha, image.source, image.reoriented)


def working_alpha(image: LoadedImage, work_size: int) -> tuple[np.ndarray, float]:
    """Only the alpha channel on the working grid (what an alpha mask needs, at a quarter the cost)."""
    grid = _WorkGrid.of(image, work_size)
    return np.clip(grid.resample(image.rgba[..., 3]), 0.0, 1.0), grid.scale
