"""Reference pictures as an artist hands them over, for the whole product (batch, checklist, Blender).

Unlike tests/anatomy_figures.py (one-colour masks in round strokes), these are coloured cartoons:
each part filled in its own colour with a dark ink outline, parts overlapping back to front, drawn at
four times the size and scaled down (anti-aliased edges), on a plain off-white paper background and
saved as RGB (no transparency), so the mask has to be found the way a user's image needs it.
Coordinates are fractions of the canvas (x right, y down).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

PAPER = (246, 241, 230)
INK = (40, 32, 36)
_SUPER = 4  # drawn this many times larger, then scaled down


@dataclass(frozen=True)
class Picture:
    name: str
    rgb: np.ndarray  # (H, W, 3) uint8
    body_plan: str
    view: str
    facing: str
    limbs: dict[str, int] = field(default_factory=dict)  # part -> how many the rig should have

    def flipped(self) -> "Picture":
        facing = {"left": "right", "right": "left"}.get(self.facing, self.facing)
        return Picture(f"{self.name}_flipped", self.rgb[:, ::-1].copy(), self.body_plan, self.view, facing,
                       dict(self.limbs))

    def save(self, folder: Path, suffix: str = ".png") -> Path:
        path = Path(folder) / f"{self.name}{suffix}"
        Image.fromarray(self.rgb).save(path, quality=92) if suffix == ".jpg" else \
            Image.fromarray(self.rgb).save(path)
        return path


class _Brush:
    """Inked cartoon shapes in canvas fractions; `ink` is the outline's width as a canvas fraction."""

    def __init__(self, size: int, ink: float = 0.006) -> None:
        self.size, self.s = size, size * _SUPER
        self.image = Image.new("RGB", (self.s, self.s), PAPER)
        self.draw = ImageDraw.Draw(self.image)
        self.ink = ink

    def _px(self, points):
        return [(x * self.s, y * self.s) for x, y in points]

    def limb(self, points, width: float, colour) -> None:
        """A round-ended stroke through `points`, outlined."""
        for w, c in ((width + 2 * self.ink, INK), (width, colour)):
            px = self._px(points)
            self.draw.line(px, fill=c, width=int(round(w * self.s)), joint="curve")
            for x, y in px:
                r = w * self.s / 2
                self.draw.ellipse([x - r, y - r, x + r, y + r], fill=c)

    def oval(self, x: float, y: float, rx: float, ry: float, colour, angle: float = 0.0) -> None:
        t = np.linspace(0, 2 * np.pi, 96, endpoint=False)
        a = np.radians(angle)
        for grow, c in ((self.ink, INK), (0.0, colour)):
            ex, ey = (rx + grow) * np.cos(t), (ry + grow) * np.sin(t)
            pts = [(x + u * np.cos(a) - v * np.sin(a), y + u * np.sin(a) + v * np.cos(a))
                   for u, v in zip(ex, ey)]
            self.draw.polygon(self._px(pts), fill=c)

    def shape(self, points, colour) -> None:
        """A filled polygon with an ink outline."""
        px = self._px(points)
        self.draw.polygon(px, fill=colour)
        self.draw.line(px + px[:1], fill=INK, width=int(round(2 * self.ink * self.s)), joint="curve")

    def dot(self, x: float, y: float, r: float, colour=INK) -> None:
        box = [(x - r) * self.s, (y - r) * self.s, (x + r) * self.s, (y + r) * self.s]
        self.draw.ellipse(box, fill=colour)

    def picture(self) -> np.ndarray:
        return np.asarray(self.image.resize((self.size, self.size), Image.LANCZOS), dtype=np.uint8)


SKIN, HAIR, SHIRT, PANTS, SHOE = (240, 200, 170), (110, 70, 40), (70, 130, 200), (60, 60, 90), (150, 40, 40)
FUR, BELLY = (200, 140, 80), (240, 215, 175)


def cartoon_girl(size: int = 480) -> Picture:
    """Front view: a chibi girl, head a third of her height, a bell-shaped dress, thin arms and legs."""
    b = _Brush(size)
    for side in (-1, 1):  # legs and shoes under the dress
        b.limb([(0.5 + side * 0.05, 0.70), (0.5 + side * 0.055, 0.89)], 0.04, SKIN)
        b.oval(0.5 + side * 0.065, 0.905, 0.04, 0.022, SHOE)
    for side in (-1, 1):  # arms hanging out from the shoulders
        b.limb([(0.5 + side * 0.1, 0.45), (0.5 + side * 0.17, 0.56), (0.5 + side * 0.2, 0.66)], 0.035, SKIN)
        b.oval(0.5 + side * 0.205, 0.675, 0.028, 0.028, SKIN)
    b.shape([(0.41, 0.42), (0.59, 0.42), (0.68, 0.73), (0.32, 0.73)], (220, 90, 130))  # dress
    b.limb([(0.5, 0.36), (0.5, 0.43)], 0.05, SKIN)  # neck
    for side in (-1, 1):  # pigtails
        b.oval(0.5 + side * 0.16, 0.25, 0.04, 0.07, HAIR, angle=side * 20)
    b.oval(0.5, 0.23, 0.14, 0.14, SKIN)  # the big head
    b.shape([(0.37, 0.2), (0.42, 0.1), (0.58, 0.1), (0.63, 0.2), (0.5, 0.15)], HAIR)
    for side in (-1, 1):
        b.dot(0.5 + side * 0.05, 0.24, 0.012)
    return Picture("cartoon_girl", b.picture(), "biped", "front", "viewer", {"arm": 2, "leg": 2})


def _front_person(name: str, hands: tuple[float, float], elbows: tuple[float, float], size: int) -> Picture:
    """Front view, adult proportions: shirt, trousers, shoes; arms through `elbows` to `hands`
    (offsets from the midline, heights)."""
    b = _Brush(size)
    for side in (-1, 1):
        leg = [(0.5 + side * 0.045, 0.52), (0.5 + side * 0.06, 0.72), (0.5 + side * 0.065, 0.9)]
        b.limb(leg, 0.055, PANTS)
        b.oval(0.5 + side * 0.08, 0.915, 0.04, 0.02, SHOE)
    for side in (-1, 1):
        shoulder = (0.5 + side * 0.085, 0.25)
        elbow = (0.5 + side * elbows[0], elbows[1])
        hand = (0.5 + side * hands[0], hands[1])
        b.limb([shoulder, elbow], 0.045, SHIRT)
        b.limb([elbow, hand], 0.036, SKIN)
        b.oval(hand[0] + side * 0.01, hand[1], 0.024, 0.024, SKIN)
    b.shape([(0.4, 0.23), (0.6, 0.23), (0.585, 0.54), (0.415, 0.54)], SHIRT)
    b.limb([(0.5, 0.17), (0.5, 0.24)], 0.045, SKIN)
    b.oval(0.5, 0.12, 0.055, 0.068, SKIN)
    b.shape([(0.445, 0.11), (0.46, 0.055), (0.54, 0.055), (0.555, 0.11), (0.5, 0.085)], HAIR)
    return Picture(name, b.picture(), "biped", "front", "viewer", {"arm": 2, "leg": 2})


def tpose_man(size: int = 480) -> Picture:
    return _front_person("tpose_man", (0.36, 0.255), (0.22, 0.255), size)


def apose_woman(size: int = 480) -> Picture:
    return _front_person("apose_woman", (0.28, 0.5), (0.18, 0.37), size)


def plush_bunny(size: int = 480) -> Picture:
    """Front view: a plush bunny, a round body, a big round head, long upright ears, stubby limbs."""
    b = _Brush(size, ink=0.008)
    grey, pink = (200, 200, 210), (240, 180, 190)
    for side in (-1, 1):
        b.oval(0.5 + side * 0.08, 0.2, 0.04, 0.12, grey, angle=side * 8)  # ears
        b.oval(0.5 + side * 0.08, 0.21, 0.018, 0.085, pink, angle=side * 8)
        b.limb([(0.5 + side * 0.09, 0.76), (0.5 + side * 0.1, 0.87)], 0.08, grey)  # legs
        b.limb([(0.5 + side * 0.13, 0.55), (0.5 + side * 0.23, 0.62)], 0.065, grey)  # arms
    b.oval(0.5, 0.66, 0.15, 0.15, grey)  # body
    b.oval(0.5, 0.69, 0.09, 0.1, (235, 235, 240))
    b.oval(0.5, 0.42, 0.15, 0.125, grey)  # head
    for side in (-1, 1):
        b.dot(0.5 + side * 0.055, 0.41, 0.013)
    b.dot(0.5, 0.455, 0.011, pink)
    return Picture("plush_bunny", b.picture(), "biped", "front", "viewer", {"arm": 2, "leg": 2, "ear": 2})


def kangaroo(size: int = 480) -> Picture:
    """Side view facing right: upright on big hind legs and long feet, short arms, a thick tail
    resting on the floor behind."""
    b = _Brush(size)
    b.limb([(0.42, 0.66), (0.28, 0.78), (0.12, 0.88)], 0.07, FUR)  # tail to the floor
    b.limb([(0.46, 0.66), (0.4, 0.78), (0.42, 0.9), (0.58, 0.91)], 0.05, (180, 120, 65))  # far leg
    b.oval(0.5, 0.6, 0.1, 0.15, FUR, angle=-15)  # haunch and body
    b.oval(0.56, 0.42, 0.07, 0.13, FUR, angle=-20)  # chest
    b.limb([(0.5, 0.67), (0.45, 0.8), (0.48, 0.9), (0.66, 0.905)], 0.055, FUR)  # near leg
    b.limb([(0.6, 0.42), (0.66, 0.5), (0.7, 0.47)], 0.025, FUR)  # arm
    b.limb([(0.6, 0.3), (0.64, 0.22)], 0.05, FUR)  # neck
    b.oval(0.67, 0.2, 0.065, 0.04, FUR, angle=15)  # head, muzzle forward
    b.oval(0.62, 0.12, 0.018, 0.05, FUR, angle=-15)  # ear
    b.dot(0.68, 0.19, 0.008)
    return Picture("kangaroo", b.picture(), "biped", "side", "right", {"arm": 2, "leg": 2, "tail": 1})


def walker(size: int = 480) -> Picture:
    """Side view facing right, mid-stride: one arm forward, the other back, legs apart."""
    b = _Brush(size)
    far_skin, far_pants = (215, 175, 150), (45, 45, 70)
    b.limb([(0.5, 0.27), (0.44, 0.39), (0.41, 0.5)], 0.035, far_skin)  # far arm back
    b.limb([(0.5, 0.53), (0.44, 0.71), (0.38, 0.88)], 0.05, far_pants)  # far leg back
    b.oval(0.365, 0.9, 0.035, 0.018, SHOE)
    b.limb([(0.5, 0.53), (0.57, 0.7), (0.59, 0.89)], 0.05, PANTS)  # near leg forward
    b.oval(0.615, 0.905, 0.04, 0.018, SHOE)
    b.shape([(0.46, 0.23), (0.55, 0.23), (0.55, 0.55), (0.45, 0.55)], SHIRT)
    b.limb([(0.51, 0.26), (0.56, 0.38), (0.62, 0.47)], 0.035, SKIN)  # near arm forward
    b.limb([(0.5, 0.17), (0.505, 0.24)], 0.04, SKIN)
    b.oval(0.51, 0.12, 0.05, 0.062, SKIN)
    b.shape([(0.46, 0.12), (0.47, 0.06), (0.55, 0.06), (0.52, 0.09)], HAIR)
    b.dot(0.535, 0.115, 0.007)
    return Picture("walker", b.picture(), "biped", "side", "right", {"arm": 2, "leg": 2})


def sitting_cat(size: int = 480) -> Picture:
    """Side view facing left: a cat sitting on its haunches, front legs straight, tail along the floor."""
    b = _Brush(size)
    grey, dark = (150, 150, 155), (120, 120, 128)
    b.limb([(0.62, 0.86), (0.75, 0.9), (0.86, 0.86)], 0.04, grey)  # tail
    b.limb([(0.42, 0.55), (0.4, 0.88)], 0.04, dark)  # far front leg
    b.oval(0.56, 0.72, 0.13, 0.15, grey)  # haunch
    b.oval(0.48, 0.55, 0.09, 0.17, grey, angle=20)  # chest
    b.limb([(0.45, 0.6), (0.44, 0.89)], 0.045, grey)  # near front leg
    b.oval(0.6, 0.87, 0.08, 0.03, grey)  # hind paw
    b.limb([(0.45, 0.46), (0.43, 0.34)], 0.08, grey)  # neck
    b.oval(0.42, 0.3, 0.09, 0.08, grey)  # head
    for dx in (-0.05, 0.04):
        b.shape([(0.42 + dx - 0.03, 0.25), (0.42 + dx, 0.16), (0.42 + dx + 0.03, 0.25)], grey)  # ears
    b.dot(0.37, 0.29, 0.01)
    return Picture("sitting_cat", b.picture(), "quadruped", "side", "left",
                   {"front_leg": 2, "hind_leg": 2, "tail": 1})


def all_pictures(size: int = 480) -> list[Picture]:
    made = [cartoon_girl(size), tpose_man(size), apose_woman(size), plush_bunny(size), kangaroo(size),
            walker(size), sitting_cat(size)]
    return made + [walker(size).flipped(), kangaroo(size).flipped()]
