"""Reading the reference image: any common file or array in, straight-alpha float RGBA out.

Everything downstream sees one representation (`LoadedImage.rgba`, float32 in [0, 1]), so format
quirks (palettes, 16-bit, CMYK, EXIF rotation) are settled here once. Bad input fails early with an
`ImageError` that names the file and the problem, never with a Pillow traceback.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ImageError

# 64 MP: the float32 RGBA copy costs 16 bytes a pixel (1 GB at the limit) on top of the decoder's
# buffers and whatever Blender already holds. It still admits 8K frames (33 MP) and 48 MP phone
# photos, and the mask stage works at a few hundred pixels anyway, so bigger inputs gain nothing.
MAX_PIXELS = 64_000_000
MIN_SIDE = 8  # below this there is no shape to skeletonize, and it is almost always a wrong file

_ALPHA_MODES = frozenset({"LA", "La", "PA", "RGBA", "RGBa"})
_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


@dataclass(frozen=True)
class LoadedImage:
    rgba: np.ndarray  # (H, W, 4) float32 in [0, 1], straight alpha, EXIF orientation applied
    has_alpha: bool  # the source carried an alpha channel or a transparency key
    source: str  # path or name, for messages

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


def _check_size(width: int, height: int, max_pixels: int, source: str) -> None:
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


def _pillow_to_rgba(img: Image.Image) -> tuple[np.ndarray, bool]:
    """Float RGBA from any Pillow mode; 16-bit and float data keep their precision."""
    mode = img.mode
    if mode.startswith("I;16") or mode in ("I", "F"):
        values = np.asarray(img)
        if mode == "F":
            gray = np.nan_to_num(values.astype(np.float32), nan=0.0)
        else:
            # 16-bit samples span 0..65535; 32-bit integer images are taken as unsigned full scale.
            full_scale = 65535.0 if mode != "I" or int(values.max(initial=0)) <= 65535 else 2.0**32 - 1
            gray = values.astype(np.float32) / np.float32(full_scale)
        gray = np.clip(gray, 0.0, 1.0)
        rgba = np.empty(gray.shape + (4,), np.float32)
        rgba[..., :3] = gray[..., None]
        rgba[..., 3] = 1.0
        return rgba, False
    has_alpha = mode in _ALPHA_MODES or "transparency" in img.info
    if has_alpha:
        data = np.asarray(img.convert("RGBA"))
    else:
        data = np.asarray(img.convert("RGB"))
    rgba = np.empty(data.shape[:2] + (4,), np.float32)
    rgba[..., : data.shape[2]] = data.astype(np.float32) * np.float32(1.0 / 255.0)
    if not has_alpha:
        rgba[..., 3] = 1.0
    return rgba, has_alpha


def load_image(path: str | os.PathLike, *, max_pixels: int = MAX_PIXELS) -> LoadedImage:
    """Decode an image file, refusing oversize images from the header before any pixel is decoded."""
    file = Path(path)
    source = str(file)
    if not file.exists():
        raise ImageError(f"{source}: no such file")
    if file.is_dir():
        raise ImageError(f"{source}: is a folder, not an image file")
    if file.stat().st_size == 0:
        raise ImageError(f"{source}: file is empty (0 bytes)")
    try:
        data = _WholeFile(file.read_bytes())
        with Image.open(data) as img:
            _check_size(img.width, img.height, max_pixels, source)
            data.decoding = True
            img.load()
            data.decoding = False
            img = ImageOps.exif_transpose(img)
            rgba, has_alpha = _pillow_to_rgba(img)
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
    return LoadedImage(rgba=rgba, has_alpha=has_alpha, source=source)


class _WholeFile(io.BytesIO):
    """An image file in memory whose decoder may not read past its end.

    Pillow decodes a truncated file partially, without a word, when its process-wide
    `ImageFile.LOAD_TRUNCATED_IMAGES` is on (another add-on may switch it on). Instead of switching it
    off around our decoding, which races with every other thread that decodes images, the check is
    local: a read that finds the end of the file while pixels are still being decoded fails.
    """

    decoding = False

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        if self.decoding and not chunk and size != 0:
            raise EOFError("the file ends before its pixels do")
        return chunk


def image_from_array(array: np.ndarray, *, source: str = "array") -> LoadedImage:
    """Wrap pixels already in memory (e.g. Blender's, flipped top-down): gray, gray+alpha, RGB or RGBA."""
    data = np.asarray(array)
    if data.ndim == 2:
        data = data[..., None]
    if data.ndim != 3 or data.shape[2] not in (1, 2, 3, 4):
        raise ImageError(f"{source}: expected an (H, W) or (H, W, 1|2|3|4) array, got shape {data.shape}")
    height, width, channels = data.shape
    _check_size(width, height, MAX_PIXELS, source)
    if data.dtype == np.uint8:
        values = data.astype(np.float32) * np.float32(1.0 / 255.0)
    elif data.dtype == np.uint16:
        values = data.astype(np.float32) * np.float32(1.0 / 65535.0)
    elif np.issubdtype(data.dtype, np.floating):
        values = data.astype(np.float32)
        if not np.isfinite(values).all():
            raise ImageError(f"{source}: array contains NaN or infinite values")
        values = np.clip(values, 0.0, 1.0)
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


def working_alpha(image: LoadedImage, work_size: int) -> tuple[np.ndarray, float]:
    """Only the alpha channel on the working grid (what an alpha mask needs, at a quarter the cost)."""
    grid = _WorkGrid.of(image, work_size)
    return np.clip(grid.resample(image.rgba[..., 3]), 0.0, 1.0), grid.scale
