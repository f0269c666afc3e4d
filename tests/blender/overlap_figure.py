"""A side-view dog whose near and far front legs overlap in the silhouette, as in most photos of a
standing animal: they leave the body together, the far leg half behind the near one, and part toward
the paws (a stride); the hind legs stand apart. Drawn part by part, so a test knows which pixels show
which leg."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage

SIZE = 320


@dataclass(frozen=True)
class OverlapDog:
    mask: np.ndarray  # (H, W) bool, the whole figure
    legs: dict[str, np.ndarray]  # "front_near", "front_far", "hind_near", "hind_far" -> (H, W) bool


def _draw(shapes) -> np.ndarray:
    image = Image.new("L", (SIZE, SIZE), 0)
    draw = ImageDraw.Draw(image)
    for kind, points, width in shapes:
        px = [(x * SIZE, y * SIZE) for x, y in points]
        if kind == "ellipse":
            (x, y), (rx, ry) = points
            draw.ellipse([(x - rx) * SIZE, (y - ry) * SIZE, (x + rx) * SIZE, (y + ry) * SIZE], fill=255)
            continue
        draw.line(px, fill=255, width=int(round(width * SIZE)), joint="curve")
        r = width * SIZE / 2
        for x, y in px:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=255)
    return ndimage.binary_fill_holes(np.asarray(image) > 127)


def _leg(top: tuple[float, float], knee: tuple[float, float], paw: tuple[float, float], width: float):
    toe = (paw[0] - 0.04, paw[1] + 0.02)  # the paw points forward (image left: the dog faces left)
    return [("stroke", [top, knee, paw], width), ("stroke", [paw, toe], 0.04)]


def overlap_dog() -> OverlapDog:
    """Facing left. The near legs reach farther forward (image left), as the anatomy stage reads them."""
    body = [("ellipse", [(0.52, 0.45), (0.22, 0.09)], 0),
            ("stroke", [(0.34, 0.42), (0.25, 0.3)], 0.09),  # neck
            ("ellipse", [(0.22, 0.26), (0.07, 0.055)], 0),  # head
            ("ellipse", [(0.14, 0.29), (0.05, 0.03)], 0),  # snout
            ("stroke", [(0.72, 0.41), (0.82, 0.3), (0.86, 0.22)], 0.04)]  # tail
    legs = {"front_near": _leg((0.38, 0.5), (0.36, 0.68), (0.31, 0.84), 0.05),
            "front_far": _leg((0.40, 0.5), (0.41, 0.68), (0.46, 0.84), 0.05),
            "hind_near": _leg((0.62, 0.5), (0.63, 0.66), (0.58, 0.84), 0.055),
            "hind_far": _leg((0.69, 0.5), (0.74, 0.66), (0.71, 0.84), 0.055)}
    drawn = {name: _draw(shapes) for name, shapes in legs.items()}
    mask = _draw(body) | np.logical_or.reduce(list(drawn.values()))
    return OverlapDog(mask, drawn)
