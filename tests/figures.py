"""Test figures drawn in code: silhouettes whose skeleton topology is known.

Each figure returns a boolean mask (H, W) plus the counts a correct bone tree must have. Limbs are
thick strokes with round caps so the figures look like real silhouettes, not pixel lines.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage


SAMPLE = Path(__file__).resolve().parents[1] / "pointskel_blender" / "samples" / "sample_character.png"


@dataclass(frozen=True)
class Figure:
    name: str
    mask: np.ndarray  # (H, W) bool
    leaves: int  # expected tree leaves (limb tips), root excluded unless it is a tip
    junctions: int  # expected branch points (degree >= 3 in the undirected tree)


def _canvas(size: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("L", (size, size), 0)
    return img, ImageDraw.Draw(img)


def _stroke(draw: ImageDraw.ImageDraw, points: list[tuple[float, float]], width: float) -> None:
    draw.line(points, fill=255, width=int(round(width)), joint="curve")
    r = width / 2
    for x, y in (points[0], points[-1]):
        draw.ellipse([x - r, y - r, x + r, y + r], fill=255)


def _done(name: str, img: Image.Image, leaves: int, junctions: int) -> Figure:
    # PIL's curved line joints can leave pin-holes inside a stroke; a silhouette has none.
    return Figure(name, ndimage.binary_fill_holes(np.asarray(img) > 127), leaves, junctions)


def bar(size: int = 256, vertical: bool = False) -> Figure:
    img, d = _canvas(size)
    a, b = 0.18 * size, 0.82 * size
    c = 0.5 * size
    pts = [(c, a), (c, b)] if vertical else [(a, c), (b, c)]
    _stroke(d, pts, 0.12 * size)
    return _done("bar", img, leaves=2, junctions=0)


def plus(size: int = 256) -> Figure:
    img, d = _canvas(size)
    a, b, c = 0.15 * size, 0.85 * size, 0.5 * size
    _stroke(d, [(a, c), (b, c)], 0.1 * size)
    _stroke(d, [(c, a), (c, b)], 0.1 * size)
    return _done("plus", img, leaves=4, junctions=1)


def star(arms: int, size: int = 256) -> Figure:
    img, d = _canvas(size)
    c = 0.5 * size
    for k in range(arms):
        ang = -math.pi / 2 + 2 * math.pi * k / arms
        tip = (c + 0.38 * size * math.cos(ang), c + 0.38 * size * math.sin(ang))
        _stroke(d, [(c, c), tip], 0.09 * size)
    return _done(f"star{arms}", img, leaves=arms, junctions=1)


def l_shape(size: int = 256) -> Figure:
    img, d = _canvas(size)
    _stroke(d, [(0.3 * size, 0.15 * size), (0.3 * size, 0.75 * size), (0.8 * size, 0.75 * size)], 0.12 * size)
    return _done("l_shape", img, leaves=2, junctions=0)


def stick_figure(size: int = 256, offset_x: float = 0.0) -> Figure:
    """Front view: head, torso, two arms, two legs; symmetric about x = size/2 + offset_x."""
    img, d = _canvas(size)
    c = 0.5 * size + offset_x
    s = size
    w = 0.075 * s
    neck, hip = (c, 0.27 * s), (c, 0.56 * s)
    _stroke(d, [neck, hip], 1.6 * w)  # torso
    for side in (-1, 1):
        _stroke(d, [(c, 0.31 * s), (c + side * 0.2 * s, 0.42 * s), (c + side * 0.3 * s, 0.55 * s)], w)  # arm
        _stroke(d, [(c + side * 0.03 * s, hip[1]), (c + side * 0.12 * s, 0.74 * s),
                    (c + side * 0.15 * s, 0.92 * s)], 1.15 * w)
    r = 0.085 * s
    d.ellipse([c - r, 0.17 * s - r, c + r, 0.17 * s + r], fill=255)  # head
    return _done("stick_figure", img, leaves=5, junctions=2)


def fish(size: int = 256) -> Figure:
    """A tapered body with a forked tail: a chain that splits at the tail into two fins."""
    img, d = _canvas(size)
    s = size
    d.ellipse([0.12 * s, 0.38 * s, 0.66 * s, 0.62 * s], fill=255)
    d.polygon([(0.6 * s, 0.5 * s), (0.88 * s, 0.3 * s), (0.8 * s, 0.5 * s), (0.88 * s, 0.7 * s)], fill=255)
    return _done("fish", img, leaves=3, junctions=1)


def all_figures(size: int = 256) -> list[Figure]:
    return ([bar(size), plus(size), l_shape(size), stick_figure(size), fish(size)]
            + [star(k, size) for k in range(3, 7)])


def rgba_on_background(mask: np.ndarray, colour=(200, 60, 40), background=(245, 245, 240)) -> np.ndarray:
    """A flat-coloured figure on a plain background, as uint8 RGBA with opaque alpha."""
    out = np.empty(mask.shape + (4,), np.uint8)
    out[...] = (*background, 255)
    out[mask] = (*colour, 255)
    return out


def rgba_with_alpha(mask: np.ndarray, colour=(200, 60, 40)) -> np.ndarray:
    """The figure on a transparent background (alpha 0 outside, 255 inside)."""
    out = np.zeros(mask.shape + (4,), np.uint8)
    out[mask] = (*colour, 255)
    return out
