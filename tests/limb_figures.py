"""Chunky test figures drawn in code, with every limb tip where the picture shows it.

The figures artists draw are plush, cartoon and chibi: fat bodies, big heads, short thick limbs and
big ears. Each figure here is a silhouette (thick round strokes, discs and ellipses) plus the pixel
positions of the limb tips a rigger would expect a chain to end at (the centre of a round limb end,
where the medial axis ends), so a test can check that every limb is there and nothing else is. The
negatives (a blob and a rectangle with noisy outlines, a square) have no limbs at all: their trees
must stay a single chain, without spurs from corners or outline noise.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage

Point = tuple[float, float]


@dataclass(frozen=True)
class LimbFigure:
    name: str
    mask: np.ndarray  # (H, W) bool
    tips: np.ndarray  # (T, 2) expected limb tips, pixels (x right, y down); empty for the negatives
    max_leaves: int  # the most leaves a correct tree may have (len(tips), or 2 for a limbless shape)

    @property
    def size(self) -> float:
        """The figure's size: the longest side of its bounding box, pixels."""
        rows, cols = np.flatnonzero(self.mask.any(axis=1)), np.flatnonzero(self.mask.any(axis=0))
        return float(max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1)


class _Drawing:
    """A square canvas in units of its side (0..1, y down)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.image = Image.new("L", (size, size), 0)
        self.draw = ImageDraw.Draw(self.image)
        self.tips: list[Point] = []

    def _px(self, p: Point) -> Point:
        return p[0] * self.size, p[1] * self.size

    def disc(self, centre: Point, radius: float) -> None:
        x, y = self._px(centre)
        r = radius * self.size
        self.draw.ellipse([x - r, y - r, x + r, y + r], fill=255)

    def ellipse(self, centre: Point, semi: tuple[float, float]) -> None:
        x, y = self._px(centre)
        a, b = semi[0] * self.size, semi[1] * self.size
        self.draw.ellipse([x - a, y - b, x + a, y + b], fill=255)

    def polygon(self, points: list[Point]) -> None:
        self.draw.polygon([self._px(p) for p in points], fill=255)

    def limb(self, points: list[Point], r0: float, r1: float | None = None, *, tip: bool = True) -> None:
        """A round-capped stroke along `points`, its radius going from r0 to r1; its end is a tip."""
        r1 = r0 if r1 is None else r1
        pts = np.array(points, dtype=np.float64)
        steps = np.linalg.norm(np.diff(pts, axis=0), axis=1)
        arc = np.concatenate([[0.0], np.cumsum(steps)])
        for t in np.linspace(0.0, arc[-1], max(2, int(arc[-1] * self.size))):
            k = min(int(np.searchsorted(arc, t, side="right")) - 1, len(steps) - 1)
            f = (t - arc[k]) / max(steps[k], 1e-12)
            centre = pts[k] + f * (pts[k + 1] - pts[k])
            self.disc((centre[0], centre[1]), r0 + (r1 - r0) * t / max(arc[-1], 1e-12))
        if tip:
            self.tips.append(points[-1])

    def figure(
        self, name: str, *, mirror: bool = False, max_leaves: int | None = None, holes: bool = False
    ) -> LimbFigure:
        """The drawing as a figure; its holes filled unless `holes` (the gap two legs enclose where
        their feet meet)."""
        mask = np.asarray(self.image) > 127
        if not holes:
            mask = ndimage.binary_fill_holes(mask)
        tips = np.array([self._px(p) for p in self.tips], dtype=np.float64).reshape(-1, 2)
        if mirror:
            mask = mask[:, ::-1]
            tips[:, 0] = self.size - tips[:, 0]
        leaves = len(tips) if max_leaves is None else max_leaves
        return LimbFigure(name, np.ascontiguousarray(mask), tips, leaves)


def plush_bear(size: int = 320) -> LimbFigure:
    """A plush bear in T-pose, front view: round head with two round ears, fat body, stubby limbs."""
    d = _Drawing(size)
    d.ellipse((0.5, 0.6), (0.17, 0.2))
    d.disc((0.5, 0.29), 0.14)
    for s in (-1, 1):
        d.limb([(0.5 + s * 0.09, 0.29), (0.5 + s * 0.12, 0.135)], 0.055)  # ears
        d.limb([(0.5 + s * 0.1, 0.49), (0.5 + s * 0.37, 0.47)], 0.06, 0.055)  # arms
        d.limb([(0.5 + s * 0.09, 0.72), (0.5 + s * 0.11, 0.9)], 0.075, 0.07)  # legs
    return d.figure("plush_bear")


def fat_panda(size: int = 320) -> LimbFigure:
    """A panda whose torso is wider than it is tall, big head, short thick arms and legs."""
    d = _Drawing(size)
    d.ellipse((0.5, 0.56), (0.3, 0.24))
    d.limb([(0.5, 0.45), (0.5, 0.2)], 0.15)  # the head: a disc on top of the body
    for s in (-1, 1):
        d.limb([(0.5 + s * 0.22, 0.46), (0.5 + s * 0.41, 0.56)], 0.075, 0.07)  # arms
        d.limb([(0.5 + s * 0.15, 0.7), (0.5 + s * 0.17, 0.87)], 0.08)  # legs
    return d.figure("fat_panda")


def side_dog(size: int = 320, *, facing: str = "left", gap: float = 0.045, ear: bool = False) -> LimbFigure:
    """A dog seen from the side, head toward `facing`, four legs each visibly separate: the legs of a
    pair stand `gap` apart (fraction of the image) at their narrowest, under the body; with `ear`, a
    thin ear stands up from the top of its head."""
    d = _Drawing(size)
    if ear:
        d.limb([(0.23, 0.24), (0.25, 0.08)], 0.02, 0.016)
    d.ellipse((0.53, 0.45), (0.25, 0.12))
    d.limb([(0.32, 0.4), (0.22, 0.29)], 0.065, tip=False)  # neck
    d.disc((0.2, 0.27), 0.085)  # head
    d.limb([(0.2, 0.29), (0.07, 0.33)], 0.045, 0.04)  # snout
    leg_r = 0.036
    for x in (0.33, 0.68):  # front pair, hind pair
        for k in (0, 1):
            top = x + k * (2 * leg_r + gap)
            d.limb([(top, 0.5), (top - 0.01, 0.87)], leg_r, 0.032)
    d.limb([(0.76, 0.4), (0.9, 0.24)], 0.03, 0.022)  # tail
    return d.figure(f"side_dog_{facing}" + ("_ear" if ear else ""), mirror=facing == "right")


def side_horse(size: int = 320, *, facing: str = "left") -> LimbFigure:
    """A horse from the side: long neck, long legs with a bend, four legs apart, hanging tail."""
    d = _Drawing(size)
    d.ellipse((0.52, 0.4), (0.24, 0.1))
    d.limb([(0.33, 0.36), (0.2, 0.17)], 0.06, 0.045, tip=False)  # neck
    d.limb([(0.2, 0.17), (0.08, 0.27)], 0.05, 0.035)  # head, muzzle down-left
    for x in (0.34, 0.43, 0.62, 0.71):
        d.limb([(x, 0.45), (x + 0.01, 0.68), (x - 0.01, 0.92)], 0.03, 0.022)
    d.limb([(0.75, 0.35), (0.82, 0.5), (0.83, 0.65)], 0.03, 0.025)  # tail
    return d.figure(f"side_horse_{facing}", mirror=facing == "right")


def bird(size: int = 320) -> LimbFigure:
    """A round bird from the side: beak, tail, two thin legs with forward feet."""
    d = _Drawing(size)
    d.ellipse((0.46, 0.45), (0.22, 0.14))
    d.disc((0.64, 0.32), 0.09)
    d.limb([(0.68, 0.3), (0.88, 0.33)], 0.035, 0.012)  # beak
    d.limb([(0.3, 0.42), (0.1, 0.34)], 0.06, 0.04)  # tail
    for x in (0.4, 0.52):
        d.limb([(x, 0.55), (x, 0.8)], 0.011, tip=False)  # leg
        d.limb([(x, 0.8), (x + 0.07, 0.82)], 0.011)  # foot
    return d.figure("bird")


def starfish(size: int = 320) -> LimbFigure:
    """Five fat tapering arms from a big centre."""
    d = _Drawing(size)
    d.disc((0.5, 0.52), 0.15)
    for k in range(5):
        angle = -math.pi / 2 + 2 * math.pi * k / 5
        tip = (0.5 + 0.38 * math.cos(angle), 0.52 + 0.38 * math.sin(angle))
        d.limb([(0.5, 0.52), tip], 0.1, 0.035)
    return d.figure("starfish")


def noisy_blob(size: int = 320, seed: int = 0) -> LimbFigure:
    """An ellipse whose outline wobbles (a few pixels, many bumps): no limb anywhere."""
    return _noisy_outline(size, seed, "noisy_blob", lambda t: (0.36 * np.cos(t), 0.22 * np.sin(t)))


def noisy_rectangle(size: int = 320, seed: int = 0) -> LimbFigure:
    """A rectangle with a ragged outline: no limb anywhere (its corners are no limbs either)."""

    def outline(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c, s = np.cos(t), np.sin(t)
        scale = 1.0 / np.maximum(np.abs(c) / 0.36, np.abs(s) / 0.18)
        return c * scale, s * scale

    return _noisy_outline(size, seed, "noisy_rectangle", outline)


def square(size: int = 320) -> LimbFigure:
    """A plain square: four corners, no limbs."""
    d = _Drawing(size)
    d.polygon([(0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.8)])
    return d.figure("square", max_leaves=2)


def _noisy_outline(size: int, seed: int, name: str, outline) -> LimbFigure:
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 2 * math.pi, 240, endpoint=False)
    x, y = outline(t)
    r = 1.0 + 0.012 * rng.standard_normal(len(t)) + 0.02 * np.sin(11 * t + rng.uniform(0, 6))
    d = _Drawing(size)
    d.polygon(list(zip(0.5 + x * r, 0.5 + y * r)))
    return d.figure(name, max_leaves=2)


def feet_together(size: int = 320) -> LimbFigure:
    """A figure from the front standing with its feet together: the legs part below the hips and meet
    again at the ankles, enclosing a gap; arms hanging at its sides."""
    d = _Drawing(size)
    d.ellipse((0.5, 0.42), (0.11, 0.15))
    d.disc((0.5, 0.19), 0.09)
    d.tips.append((0.5, 0.14))
    for s in (-1, 1):
        d.limb([(0.5 + s * 0.09, 0.33), (0.5 + s * 0.17, 0.47), (0.5 + s * 0.19, 0.6)], 0.03, 0.028)  # arms
        d.limb([(0.5 + s * 0.06, 0.55), (0.5 + s * 0.07, 0.72), (0.5 + s * 0.034, 0.9)], 0.04, 0.034)  # legs
    return d.figure("feet_together", holes=True)


def paws_meet(size: int = 320) -> LimbFigure:
    """A dog from the front whose front paws meet on the floor: round paws touching under legs that
    stand apart at the chest; the head on top with two ears."""
    d = _Drawing(size)
    d.ellipse((0.5, 0.45), (0.13, 0.16))
    d.disc((0.5, 0.23), 0.1)
    d.tips.append((0.5, 0.18))
    for s in (-1, 1):
        d.limb([(0.5 + s * 0.06, 0.18), (0.5 + s * 0.12, 0.05)], 0.035, 0.03)  # ears
        d.limb([(0.5 + s * 0.08, 0.55), (0.5 + s * 0.085, 0.76), (0.5 + s * 0.05, 0.88)], 0.04, 0.036)  # legs
        d.ellipse((0.5 + s * 0.048, 0.9), (0.048, 0.035))  # paws
    return d.figure("paws_meet", holes=True)


def two_toed_paws(size: int = 320) -> LimbFigure:
    """A wide animal from the front on two legs spread apart, each foot a bar along the floor that
    reaches out both ways (two toes), a head on top."""
    d = _Drawing(size)
    d.ellipse((0.5, 0.42), (0.28, 0.1))
    d.disc((0.5, 0.28), 0.08)
    d.tips.append((0.5, 0.22))
    for s in (-1, 1):
        d.limb([(0.5 + s * 0.2, 0.45), (0.5 + s * 0.3, 0.6), (0.5 + s * 0.3, 0.8)], 0.04, 0.035, tip=False)
        d.limb([(0.5 + s * 0.3, 0.81), (0.5 + s * 0.4, 0.82)], 0.022)  # toes
        d.limb([(0.5 + s * 0.3, 0.81), (0.5 + s * 0.2, 0.82)], 0.022)
    return d.figure("two_toed_paws")


def fat_bear_front(size: int = 320) -> LimbFigure:
    """A round fat bear from the front whose body and head are one blob over two short legs apart."""
    d = _Drawing(size)
    d.ellipse((0.5, 0.45), (0.26, 0.33))
    d.tips.append((0.5, 0.2))
    for s in (-1, 1):
        d.limb([(0.5 + s * 0.12, 0.7), (0.5 + s * 0.13, 0.86)], 0.08, 0.075)  # legs
    return d.figure("fat_bear_front")


def limb_figures(size: int = 320) -> list[LimbFigure]:
    """Every figure with limbs, both facing directions of the side views."""
    return [
        plush_bear(size),
        fat_panda(size),
        side_dog(size, facing="left"),
        side_dog(size, facing="right"),
        side_horse(size, facing="left"),
        side_horse(size, facing="right"),
        bird(size),
        starfish(size),
    ]


def limbless_figures(size: int = 320) -> list[LimbFigure]:
    return [noisy_blob(size), noisy_rectangle(size), square(size)]
