"""An overlay picture a person can check at a glance.

Left panel: the input image with the mask outline, the bones and the joint names. Right panel: the
lifted cloud (coloured by depth) and the contracted cloud, with the bones, on a dark background, in
the same pixel frame so the two panels line up.
"""
from __future__ import annotations

import os

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from .files import atomic_path
from .image import LoadedImage, box_reduced, resize_to_working
from .pipeline import PipelineResult

_OUTLINE = (0, 200, 255)
_BONE = (255, 214, 0)
_JOINT = (255, 80, 40)
_CONTRACTED = (255, 140, 0)
_TEXT = (255, 255, 255)


def render_preview(result: PipelineResult, *, height: int = 720) -> Image.Image:
    image = result.image
    scale = height / image.height
    size = (max(1, round(image.width * scale)), height)
    left = _image_panel(image, size)
    np_left = np.array(left)
    np_left[_outline(result, size)] = _OUTLINE
    left = Image.fromarray(np_left, "RGB")
    right = _cloud_panel(result, size, scale)
    font = _font(max(11, height // 60))
    for panel in (left, right):
        _draw_bones(ImageDraw.Draw(panel), result, scale, font, names=panel is left)

    out = Image.new("RGB", (size[0] * 2 + 8, height + font.size + 12), (12, 12, 14))
    out.paste(left, (0, font.size + 12))
    out.paste(right, (size[0] + 8, font.size + 12))
    draw = ImageDraw.Draw(out)
    counts = f"{len(result.skeleton.joints)} joints"
    draw.text((6, 4), f"{result.skeleton.source}: mask ({result.mask.backend}) + bones, {counts}",
              font=font, fill=_TEXT)
    draw.text(
        (size[0] + 14, 4),
        f"lifted {len(result.shape.points)} pts (by depth) / contracted ({result.predictor})",
        font=font,
        fill=_TEXT,
    )
    return out


def save_preview(result: PipelineResult, path: str | os.PathLike, *, overwrite: bool = True,
                 **kwargs) -> None:
    with atomic_path(path, "png", overwrite=overwrite) as tmp:
        render_preview(result, **kwargs).save(tmp, format="PNG")


def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _image_panel(image: LoadedImage, size: tuple[int, int]) -> Image.Image:
    """The image over a checkerboard, so transparent areas read as transparent.

    The image is brought to the panel's size first (box-averaged in bands to about twice that, then
    resampled as the mask stage does), and composited there: at the 64 MP input limit, compositing at
    full size took 6 GB, and resampling it whole 640 MB.
    """
    rgba, _ = resize_to_working(box_reduced(image, max(image.size) // (2 * max(size))), max(size))
    h, w = rgba.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    cell = max(4, max(h, w) // 48)
    checker = np.where(((yy // cell + xx // cell) % 2)[..., None] == 0, 0.78, 0.62)
    alpha = rgba[..., 3:4]
    rgb = rgba[..., :3] * alpha + checker * (1 - alpha)
    panel = Image.fromarray(np.round(rgb * 255).astype(np.uint8), "RGB")
    return panel if panel.size == size else panel.resize(size, Image.Resampling.BILINEAR)


def _outline(result: PipelineResult, size: tuple[int, int]) -> np.ndarray:
    """The mask's outline at preview size, two pixels wide."""
    mask = Image.fromarray(result.mask.mask.astype(np.uint8) * 255)
    full = (result.mask.mask.shape[1] / result.mask.work_scale,
            result.mask.mask.shape[0] / result.mask.work_scale)
    scale = size[1] / result.image.height
    box_size = (max(1, round(full[0] * scale)), max(1, round(full[1] * scale)))
    resized = np.asarray(mask.resize(box_size, Image.Resampling.BILINEAR)) > 127
    canvas = np.zeros((size[1], size[0]), bool)
    h, w = min(size[1], resized.shape[0]), min(size[0], resized.shape[1])
    canvas[:h, :w] = resized[:h, :w]
    return canvas & ~ndimage.binary_erosion(canvas, iterations=2, border_value=0)


def _paint_points(pixels: np.ndarray, xy: np.ndarray, colours: np.ndarray, radius: int) -> None:
    """Splat points (vectorized) as small squares; later points draw over earlier ones."""
    h, w = pixels.shape[:2]
    xi = np.floor(xy[:, 0]).astype(int)
    yi = np.floor(xy[:, 1]).astype(int)
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            x, y = xi + dx, yi + dy
            ok = (x >= 0) & (x < w) & (y >= 0) & (y < h)
            pixels[y[ok], x[ok]] = colours[ok]


def _cloud_panel(result: PipelineResult, size: tuple[int, int], scale: float) -> Image.Image:
    pixels = np.empty((size[1], size[0], 3), np.uint8)
    pixels[...] = (24, 26, 32)
    frame = result.shape.frame
    lifted = result.shape.points
    order = np.argsort(lifted[:, 2])  # back first, so the front surface draws on top
    depth = lifted[order, 2]
    t = (depth / max(float(np.abs(depth).max()), 1e-6) + 1) / 2  # back (blue) -> front (light)
    colours = np.stack([60 + 150 * t, 90 + 130 * t, 200 + 40 * t], axis=1).astype(np.uint8)
    _paint_points(pixels, frame.to_pixels(lifted[order]) * scale, colours, 0)
    contracted = frame.to_pixels(result.contraction.points) * scale
    _paint_points(pixels, contracted, np.tile(np.array(_CONTRACTED, np.uint8), (len(contracted), 1)), 1)
    return Image.fromarray(pixels, "RGB")


def _draw_bones(
    draw: ImageDraw.ImageDraw, result: PipelineResult, scale: float, font, *, names: bool
) -> None:
    joints = result.skeleton.joints
    pts = [(j.pixel[0] * scale, j.pixel[1] * scale) for j in joints]
    width = max(2, round(draw.im.size[1] / 220))
    for parent, child in result.skeleton.bones():
        draw.line([pts[parent], pts[child]], fill=(0, 0, 0), width=width + 3)
        draw.line([pts[parent], pts[child]], fill=_BONE, width=width)
    r = width + 1.5
    for i, (x, y) in enumerate(pts):
        fill = (255, 255, 255) if joints[i].parent is None else _JOINT
        draw.ellipse([x - r, y - r, x + r, y + r], fill=fill, outline=(0, 0, 0))
    if names:
        for joint, (x, y) in zip(joints, pts):
            draw.text((x + r + 2, y - font.size / 2), joint.name, font=font, fill=_TEXT,
                      stroke_width=2, stroke_fill=(0, 0, 0))
