"""Drawn characters for the anatomy stage: one per body plan and view, with what a rigger expects.

Each figure is a boolean mask drawn with PIL in thick round strokes and ellipses (as artists'
silhouettes are), plus the truth the anatomy tests check: body plan, view, facing and the limbs
by part. Coordinates are fractions of the canvas so that any size draws the same figure.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage

if TYPE_CHECKING:
    from pointskel_blender.core.pipeline import PipelineResult


@dataclass(frozen=True)
class Character:
    name: str
    mask: np.ndarray  # (H, W) bool
    body_plan: str
    view: str
    facing: str
    # part -> how many limbs of it the rig has: those the picture shows, and in a side view the far
    # member of a pair it shows one of (`core.anatomy.hidden`), from the front a quadruped's hind legs
    # behind its front legs (`core.anatomy.hind_legs`), a bird's tail behind its body (`bones._hidden_tail`)
    limbs: dict[str, int] = field(default_factory=dict)

    def flipped(self) -> "Character":
        """The mirror image (left-right): facing left <-> right, the same limbs."""
        facing = {"left": "right", "right": "left"}.get(self.facing, self.facing)
        return Character(f"{self.name}_flipped", self.mask[:, ::-1].copy(), self.body_plan, self.view, facing,
                         dict(self.limbs))


class _Pen:
    """Draws in canvas fractions: (x, y) with y down, widths as fractions of the canvas."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.image = Image.new("L", (size, size), 0)
        self.draw = ImageDraw.Draw(self.image)

    def stroke(self, points: list[tuple[float, float]], width: float) -> None:
        s = self.size
        px = [(x * s, y * s) for x, y in points]
        self.draw.line(px, fill=255, width=int(round(width * s)), joint="curve")
        for x, y in px:
            self.disc(x / s, y / s, width / 2)

    def disc(self, x: float, y: float, r: float) -> None:
        self.ellipse(x, y, r, r)

    def ellipse(self, x: float, y: float, rx: float, ry: float, angle: float = 0.0) -> None:
        """An ellipse centred at (x, y), semi-axes rx, ry, rotated by `angle` degrees."""
        s = self.size
        if angle == 0.0:
            self.draw.ellipse([(x - rx) * s, (y - ry) * s, (x + rx) * s, (y + ry) * s], fill=255)
            return
        t = np.linspace(0, 2 * np.pi, 64, endpoint=False)
        a = np.radians(angle)
        ex, ey = rx * np.cos(t), ry * np.sin(t)
        pts = [((x + c * np.cos(a) - d * np.sin(a)) * s, (y + c * np.sin(a) + d * np.cos(a)) * s)
               for c, d in zip(ex, ey)]
        self.draw.polygon(pts, fill=255)

    def polygon(self, points: list[tuple[float, float]]) -> None:
        self.draw.polygon([(x * self.size, y * self.size) for x, y in points], fill=255)

    def erase_ellipse(self, x: float, y: float, rx: float, ry: float) -> None:
        s = self.size
        self.draw.ellipse([(x - rx) * s, (y - ry) * s, (x + rx) * s, (y + ry) * s], fill=0)

    def mask(self) -> np.ndarray:
        return ndimage.binary_fill_holes(np.asarray(self.image) > 127)


def _humanoid(name: str, size: int, torso: float, elbow: tuple[float, float], hand: tuple[float, float],
              arm: float) -> Character:
    """Front view: head, neck, torso, two legs and two arms through (elbow) to (hand), as offsets
    from the midline and heights."""
    p = _Pen(size)
    p.stroke([(0.5, 0.25), (0.5, 0.52)], torso)
    p.stroke([(0.5, 0.18), (0.5, 0.25)], 0.05)  # neck
    p.disc(0.5, 0.12, 0.065)  # head
    for side in (-1, 1):
        shoulder = (0.5 + side * 0.06, 0.27)
        p.stroke([shoulder, (0.5 + side * elbow[0], elbow[1]), (0.5 + side * hand[0], hand[1])], arm)
        p.stroke([(0.5 + side * 0.04, 0.55), (0.5 + side * 0.07, 0.73), (0.5 + side * 0.08, 0.92)], 0.06)
    return Character(name, p.mask(), "biped", "front", "viewer", {"head": 1, "arm": 2, "leg": 2})


def humanoid_tpose(size: int = 400) -> Character:
    """Front view, arms straight out."""
    return _humanoid("humanoid_tpose", size, 0.15, (0.22, 0.28), (0.38, 0.29), 0.05)


def humanoid_apose(size: int = 400) -> Character:
    """Front view, arms down at about 45 degrees, elbows slightly bent."""
    return _humanoid("humanoid_apose", size, 0.14, (0.17, 0.40), (0.26, 0.54), 0.045)


def humanoid_ypose(size: int = 400) -> Character:
    """Front view, arms raised in a Y, the hands above the head (not one of `all_characters`)."""
    return _humanoid("humanoid_ypose", size, 0.15, (0.17, 0.17), (0.27, 0.03), 0.05)


def plush_bear(size: int = 400) -> Character:
    """Front view plush: fat torso, big head with big round ears, short thick arms and legs."""
    p = _Pen(size)
    p.ellipse(0.5, 0.58, 0.17, 0.2)  # torso
    p.disc(0.5, 0.28, 0.15)  # head
    for side in (-1, 1):
        p.disc(0.5 + side * 0.14, 0.14, 0.06)  # ears
        p.stroke([(0.5 + side * 0.12, 0.48), (0.5 + side * 0.3, 0.52)], 0.09)  # arms
        p.stroke([(0.5 + side * 0.09, 0.7), (0.5 + side * 0.12, 0.87)], 0.11)  # legs
    limbs = {"head": 1, "ear": 2, "arm": 2, "leg": 2}
    return Character("plush_bear", p.mask(), "biped", "front", "viewer", limbs)


def chibi(size: int = 400) -> Character:
    """Front view chibi: a head as big as the body, short limbs."""
    p = _Pen(size)
    p.disc(0.5, 0.3, 0.2)  # head
    p.stroke([(0.5, 0.5), (0.5, 0.66)], 0.15)  # body
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.06, 0.55), (0.5 + side * 0.16, 0.63), (0.5 + side * 0.2, 0.7)], 0.06)
        p.stroke([(0.5 + side * 0.04, 0.7), (0.5 + side * 0.06, 0.87)], 0.07)
    return Character("chibi", p.mask(), "biped", "front", "viewer", {"head": 1, "arm": 2, "leg": 2})


def _dog_but_hind_legs(size: int) -> _Pen:
    """The side-view dog facing left without its hind legs: body, neck, head, tail, front legs."""
    p = _Pen(size)
    p.ellipse(0.52, 0.45, 0.22, 0.09)  # body
    p.stroke([(0.34, 0.42), (0.25, 0.3)], 0.09)  # neck
    p.ellipse(0.22, 0.26, 0.07, 0.055)  # head
    p.ellipse(0.14, 0.29, 0.05, 0.03)  # snout
    p.stroke([(0.72, 0.41), (0.82, 0.3), (0.86, 0.22)], 0.04)  # tail
    for x, dx in ((0.36, -0.02), (0.43, 0.02)):  # front legs (a stride)
        p.stroke([(x, 0.5), (x + dx, 0.68), (x + dx * 1.5, 0.84)], 0.05)
        p.stroke([(x + dx * 1.5, 0.84), (x + dx * 1.5 - 0.04, 0.86)], 0.04)
    return p


def dog(size: int = 400) -> Character:
    """Side view, facing left: body, neck and head at image left, tail up at right, four legs."""
    p = _dog_but_hind_legs(size)
    for x, dx in ((0.62, -0.02), (0.69, 0.02)):  # hind legs, hock bent backward
        p.stroke([(x, 0.5), (x + 0.03 + dx, 0.66), (x + dx, 0.84)], 0.055)
        p.stroke([(x + dx, 0.84), (x + dx - 0.04, 0.86)], 0.04)
    return Character("dog", p.mask(), "quadruped", "side", "left",
                     {"head": 1, "front_leg": 2, "hind_leg": 2, "tail": 1})


def dog_hind_overlap(size: int = 400) -> Character:
    """The dog from the side, facing left, its two hind legs overlapping in the silhouette: one thick
    shape from the rump down to the hocks that parts there into the near and the far leg (as in most
    photos of a standing dog; not one of `all_characters`)."""
    p = _dog_but_hind_legs(size)
    p.stroke([(0.65, 0.46), (0.66, 0.7)], 0.09)  # the haunch: both thighs and shins, one shape
    near, far = ((0.645, 0.7), (0.64, 0.77), (0.61, 0.84)), ((0.675, 0.7), (0.69, 0.77), (0.71, 0.84))
    for top, hock, paw in (near, far):  # the near leg forward (image left), the far one back
        p.stroke([top, hock, paw], 0.05)
        p.stroke([paw, (paw[0] - 0.04, paw[1] + 0.02)], 0.04)
    return Character("dog_hind_overlap", p.mask(), "quadruped", "side", "left",
                     {"head": 1, "front_leg": 2, "hind_leg": 2, "tail": 1})


def horse(size: int = 400) -> Character:
    """Side view, facing right: long legs, a long neck rising to the head, tail hanging down."""
    p = _Pen(size)
    p.ellipse(0.48, 0.4, 0.22, 0.085)  # body
    p.stroke([(0.64, 0.36), (0.75, 0.2)], 0.08)  # neck
    p.ellipse(0.8, 0.17, 0.08, 0.04, angle=30)  # head
    p.stroke([(0.29, 0.37), (0.24, 0.45), (0.22, 0.58)], 0.04)  # tail
    for x, dx in ((0.56, 0.03), (0.66, -0.01)):  # front legs
        p.stroke([(x, 0.45), (x + dx, 0.68), (x + dx, 0.9)], 0.045)
    for x, dx in ((0.31, 0.01), (0.41, -0.01)):  # hind legs, hocks bent back
        p.stroke([(x, 0.45), (x - 0.03 + dx, 0.66), (x + dx, 0.9)], 0.05)
    return Character("horse", p.mask(), "quadruped", "side", "right",
                     {"head": 1, "front_leg": 2, "hind_leg": 2, "tail": 1})


def _bird_body(size: int) -> _Pen:
    """A side-view bird facing left without wings or legs: body, neck, head with beak, tail."""
    p = _Pen(size)
    p.ellipse(0.5, 0.5, 0.15, 0.1, angle=-15)  # body
    p.stroke([(0.4, 0.45), (0.33, 0.35)], 0.07)  # neck
    p.disc(0.32, 0.3, 0.06)  # head
    p.polygon([(0.27, 0.28), (0.18, 0.31), (0.27, 0.33)])  # beak
    p.polygon([(0.6, 0.5), (0.8, 0.42), (0.8, 0.5), (0.62, 0.56)])  # tail
    return p


def _bird_but_legs(size: int) -> _Pen:
    """The side-view bird facing left without its legs: `_bird_body` and a raised wing."""
    p = _bird_body(size)
    p.stroke([(0.5, 0.42), (0.58, 0.25), (0.7, 0.1)], 0.06)  # wing, raised
    return p


def _stick_legs(p: _Pen, top: float) -> None:
    """A side-view bird's two thin legs from `top` (a share of the height) down to toes on the floor."""
    for x in (0.46, 0.54):
        p.stroke([(x, top), (x + 0.02, 0.72), (x - 0.01, 0.85)], 0.025)
        p.stroke([(x - 0.01, 0.85), (x - 0.06, 0.86)], 0.02)


def bird(size: int = 400) -> Character:
    """Side view, facing left: round body, head with beak, a wing raised, two thin legs, a tail."""
    p = _bird_but_legs(size)
    _stick_legs(p, 0.58)
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}  # the far wing behind the near one (`hidden.py`)
    return Character("bird", p.mask(), "bird", "side", "left", limbs)


def bird_one_leg(size: int = 400) -> Character:
    """The bird from the side, facing left, its far leg hidden behind the near one (one leg in the
    outline, as most side views of a standing bird show; not one of `all_characters`)."""
    p = _bird_but_legs(size)
    p.stroke([(0.5, 0.58), (0.52, 0.72), (0.49, 0.85)], 0.03)  # the near leg (the far one behind it)
    p.stroke([(0.49, 0.85), (0.44, 0.86)], 0.02)
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}  # the far leg and wing behind the near ones
    return Character("bird_one_leg", p.mask(), "bird", "side", "left", limbs)


def bird_front(size: int = 400) -> Character:
    """Front view, wings spread wide and a little raised: round body, head on top, two thin legs
    (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.55, 0.09, 0.12)  # body
    p.disc(0.5, 0.38, 0.055)  # head
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.06, 0.5), (0.5 + side * 0.25, 0.42), (0.5 + side * 0.45, 0.36)], 0.05)
        p.stroke([(0.5 + side * 0.04, 0.65), (0.5 + side * 0.05, 0.75), (0.5 + side * 0.05, 0.82)], 0.025)
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}  # the tail behind the body (`bones._hidden_tail`)
    return Character("bird_front", p.mask(), "bird", "front", "viewer", limbs)


def snake(size: int = 400) -> Character:
    """A long winding body with a wider head at the right end."""
    p = _Pen(size)
    t = np.linspace(0, 1, 40)
    xs = 0.1 + 0.72 * t
    ys = 0.5 + 0.12 * np.sin(2.6 * np.pi * t)
    for k in range(len(t) - 1):
        w = 0.025 + 0.035 * min(t[k] * 3, 1.0)  # tapering tail
        p.stroke([(xs[k], ys[k]), (xs[k + 1], ys[k + 1])], w)
    p.ellipse(0.86, ys[-1] - 0.005, 0.06, 0.045)
    return Character("snake", p.mask(), "serpent", "side", "right", {"head": 1})


def fish(size: int = 400) -> Character:
    """Side view, facing left: an oval body, a forked tail fin at right, a dorsal and a pectoral fin."""
    p = _Pen(size)
    p.ellipse(0.45, 0.5, 0.28, 0.13)  # body
    p.polygon([(0.68, 0.5), (0.9, 0.3), (0.84, 0.5), (0.9, 0.7)])  # tail fork
    p.polygon([(0.38, 0.4), (0.5, 0.22), (0.58, 0.4)])  # dorsal fin
    p.polygon([(0.36, 0.58), (0.44, 0.72), (0.46, 0.6)])  # pectoral fin
    # fins: dorsal, pectoral, and the tail fin's second lobe (the tail runs into the first)
    return Character("fish", p.mask(), "fish", "side", "left", {"head": 1, "fin": 3, "tail": 1})


def bug(size: int = 400) -> Character:
    """Top view: head at the top, thorax and abdomen along the image's vertical, six bent legs."""
    p = _Pen(size)
    p.disc(0.5, 0.215, 0.055)  # head
    p.ellipse(0.5, 0.36, 0.075, 0.1)  # thorax
    p.ellipse(0.5, 0.62, 0.1, 0.17)  # abdomen
    for side in (-1, 1):
        for y, dy in ((0.3, -0.1), (0.37, 0.0), (0.44, 0.1)):
            knee = (0.5 + side * 0.2, y + dy * 0.5 - 0.03)
            p.stroke([(0.5 + side * 0.05, y), knee, (0.5 + side * 0.3, y + dy + 0.06)], 0.03)
    return Character("bug", p.mask(), "many_legged", "top", "viewer", {"head": 1, "leg": 6})


def cup(size: int = 400) -> Character:
    """Not a figure: a mug with a handle."""
    p = _Pen(size)
    p.polygon([(0.28, 0.25), (0.62, 0.25), (0.58, 0.8), (0.32, 0.8)])
    p.stroke([(0.6, 0.35), (0.76, 0.38), (0.78, 0.55), (0.59, 0.66)], 0.05)
    return Character("cup", p.mask(), "generic", "front", "viewer", {})


def plush_side(size: int = 400) -> Character:
    """Side view plush, facing left, legs one behind the other: a big head with an ear rising from its
    top, a fat body, one short thick leg and its foot pointing left (not one of `all_characters`)."""
    p = _Pen(size)
    p.stroke([(0.5, 0.14), (0.5, 0.04)], 0.035)  # ear on the head's line
    p.disc(0.5, 0.27, 0.14)  # head
    p.ellipse(0.5, 0.56, 0.12, 0.18)  # body
    p.stroke([(0.5, 0.72), (0.5, 0.9)], 0.1)  # the two legs as one
    p.stroke([(0.5, 0.92), (0.42, 0.93)], 0.07)  # foot
    return Character("plush_side", p.mask(), "biped", "side", "left", {"head": 1, "leg": 2, "ear": 1})


def bunny_front(size: int = 400) -> Character:
    """Front view plush rabbit: long ears in a V from the head's top, arms hanging at its sides, short
    legs (not one of `all_characters`)."""
    p = _Pen(size)
    p.disc(0.5, 0.35, 0.13)  # head
    p.ellipse(0.5, 0.62, 0.13, 0.16)  # body
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.05, 0.25), (0.5 + side * 0.14, 0.04)], 0.05)  # ears
        p.stroke([(0.5 + side * 0.1, 0.55), (0.5 + side * 0.2, 0.7), (0.5 + side * 0.23, 0.76)], 0.055)  # arm
        p.stroke([(0.5 + side * 0.06, 0.75), (0.5 + side * 0.08, 0.92)], 0.08)  # legs
    limbs = {"head": 1, "ear": 2, "arm": 2, "leg": 2}
    return Character("bunny_front", p.mask(), "biped", "front", "viewer", limbs)


def bunny_hands_up(size: int = 400) -> Character:
    """The plush rabbit from the front holding its paws up at its sides (a cheer): two hands and two
    ears, each a mirrored pair, and no tip of the head's own (not one of `all_characters`)."""
    p = _Pen(size)
    p.disc(0.5, 0.35, 0.13)  # head
    p.ellipse(0.5, 0.62, 0.13, 0.16)  # body
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.05, 0.25), (0.5 + side * 0.12, 0.04)], 0.035)  # thin ears
        p.stroke([(0.5 + side * 0.1, 0.55), (0.5 + side * 0.21, 0.5), (0.5 + side * 0.22, 0.38)], 0.07)  # arm
        p.disc(0.5 + side * 0.22, 0.36, 0.05)  # a mitten
        p.stroke([(0.5 + side * 0.06, 0.75), (0.5 + side * 0.08, 0.92)], 0.08)  # legs
    limbs = {"head": 1, "ear": 2, "arm": 2, "leg": 2}
    return Character("bunny_hands_up", p.mask(), "biped", "front", "viewer", limbs)


def kneeling_side(size: int = 400) -> Character:
    """A biped from the side, facing left, kneeling on one knee: the front foot on the floor ahead,
    the back shin flat on the floor behind (the feet a leg group apart, like a quadruped's pairs), an
    arm hanging in front and a thick tail curling up behind (not one of `all_characters`)."""
    p = _Pen(size)
    p.disc(0.42, 0.2, 0.08)  # head
    p.stroke([(0.44, 0.27), (0.45, 0.32)], 0.05)  # neck
    p.ellipse(0.46, 0.45, 0.09, 0.14)  # torso
    p.stroke([(0.42, 0.36), (0.36, 0.46), (0.33, 0.53)], 0.045)  # arm
    p.stroke([(0.45, 0.58), (0.3, 0.62), (0.3, 0.86)], 0.07)  # front leg: thigh ahead, shin down
    p.stroke([(0.3, 0.86), (0.22, 0.88)], 0.05)  # its foot
    p.stroke([(0.5, 0.58), (0.52, 0.84), (0.7, 0.86)], 0.07)  # back leg: knee down, shin on the floor
    p.stroke([(0.55, 0.55), (0.68, 0.5), (0.72, 0.35), (0.7, 0.26)], 0.06)  # tail
    p.disc(0.7, 0.24, 0.05)  # its plume
    limbs = {"head": 1, "arm": 1, "leg": 2, "tail": 1}
    return Character("kneeling_side", p.mask(), "biped", "side", "left", limbs)


def bear_front(size: int = 400) -> Character:
    """A plush bear on all fours from the front: a wide body with the head inside its outline, ears in a
    V on top, the front legs below (the hind legs hidden behind them; the rig has them: `hind_legs`; not one
    of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.55, 0.26, 0.22)  # body and head, one blob
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.1, 0.38), (0.5 + side * 0.22, 0.12)], 0.08)  # ears
        p.stroke([(0.5 + side * 0.12, 0.7), (0.5 + side * 0.13, 0.92)], 0.11)  # front legs
    return Character("bear_front", p.mask(), "quadruped", "front", "viewer",
                     {"front_leg": 2, "hind_leg": 2, "ear": 2})


def plush_dog_side(size: int = 400) -> Character:
    """A plush dog from the side, facing left: a fat body whose rear runs down into one thick hind
    leg (no tail), short front legs, a big head at left (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.5, 0.24, 0.12)  # body
    p.disc(0.24, 0.4, 0.11)  # head
    p.stroke([(0.68, 0.52), (0.74, 0.62), (0.75, 0.7)], 0.1)  # hind leg off the rump
    for x in (0.36, 0.44):
        p.stroke([(x, 0.55), (x, 0.7)], 0.075)  # front legs
    return Character("plush_dog_side", p.mask(), "quadruped", "side", "left",
                     {"head": 1, "front_leg": 2, "hind_leg": 2})


def dog_short_tail(size: int = 400) -> Character:
    """A lean dog from the side, facing left: a deep chest and rump with a waist between them, a small
    head with a muzzle on a thin neck, no ear in the outline, and a short thin tail held level off the
    rump (not one of `all_characters`)."""
    p = _Pen(size)
    p.disc(0.38, 0.44, 0.085)  # chest
    p.disc(0.66, 0.44, 0.085)  # rump
    p.ellipse(0.52, 0.44, 0.14, 0.055)  # waist
    p.stroke([(0.33, 0.4), (0.24, 0.31)], 0.05)  # neck
    p.ellipse(0.21, 0.3, 0.05, 0.04)  # head
    p.stroke([(0.18, 0.31), (0.1, 0.33)], 0.03)  # muzzle
    p.stroke([(0.74, 0.42), (0.86, 0.4)], 0.026)  # tail
    for x in (0.35, 0.41, 0.63, 0.69):
        p.stroke([(x, 0.5), (x, 0.8)], 0.04)  # legs
    return Character("dog_short_tail", p.mask(), "quadruped", "side", "left",
                     {"head": 1, "front_leg": 2, "hind_leg": 2, "tail": 1})


def stork_front(size: int = 400) -> Character:
    """A long-legged bird from the front, wings spread level: each wing about as long as a leg, the
    trunk from the hips to the head's top much shorter (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.45, 0.06, 0.08)  # body
    p.stroke([(0.5, 0.38), (0.5, 0.32)], 0.03)  # neck
    p.disc(0.5, 0.3, 0.035)  # head
    for side in (-1, 1):
        wing = [(0.5 + side * 0.05, 0.42), (0.5 + side * 0.25, 0.39), (0.5 + side * 0.4, 0.37)]
        p.stroke(wing, 0.03)
        p.stroke([(0.5 + side * 0.025, 0.52), (0.5 + side * 0.03, 0.85)], 0.02)  # leg
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}  # the tail behind the body (`bones._hidden_tail`)
    return Character("stork_front", p.mask(), "bird", "front", "viewer", limbs)


def dog_front(size: int = 400) -> Character:
    """A lean dog from the front: a narrow, mirror-symmetric outline, the head with two pointed ears on
    top of the chest, the two front legs straight down (the hind legs hidden behind them), no arms (not
    one of `all_characters`)."""
    return _front_dog("dog_front", size, chest=(0.42, 0.075, 0.11), leg_x=0.045, leg_width=0.04)


def dog_front_paw_raised(size: int = 400) -> Character:
    """`dog_front` giving its paw: the image-right front leg lifted, its paw `RAISED_PAW` of the canvas
    over the floor, so one foot stands on the floor and the other leg ends in the figure's lower half,
    as a person's raised foot does (not one of `all_characters`)."""
    return _front_dog("dog_front_paw_raised", size, chest=(0.42, 0.075, 0.11), leg_x=0.045, leg_width=0.04,
                      raised=RAISED_PAW)


RAISED_PAW = 0.12  # `dog_front_paw_raised`: its lifted paw this share of the canvas over the floor


def _front_dog(name: str, size: int, chest: tuple[float, float, float], leg_x: float,
               leg_width: float, raised: float = 0.0) -> Character:
    """A dog from the front: its chest (centre height, half width, half height), head, neck, two
    pointed ears, and two front legs straight down `leg_x` either side of its middle, the image-right
    one's paw `raised` over the floor."""
    p = _Pen(size)
    p.ellipse(0.5, chest[0], chest[1], chest[2])  # chest
    p.disc(0.5, 0.22, 0.06)  # head
    p.stroke([(0.5, 0.27), (0.5, 0.33)], 0.07)  # neck
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.035, 0.18), (0.5 + side * 0.06, 0.08)], 0.025)  # ear
        paw = 0.9 - (raised if side > 0 else 0.0)
        p.stroke([(0.5 + side * leg_x, 0.5), (0.5 + side * leg_x, paw)], leg_width)  # front leg
    limbs = {"head": 1, "front_leg": 2, "hind_leg": 2, "ear": 2}
    return Character(name, p.mask(), "quadruped", "front", "viewer", limbs)


def dog_front_deep_chest(size: int = 400) -> Character:
    """`dog_front` with a deep chest reaching down between its front legs and the legs close together:
    the medial tree forks into the legs low under the chest, below where the shoulders are (not one of
    `all_characters`)."""
    return _front_dog("dog_front_deep_chest", size, chest=(0.45, 0.09, 0.16), leg_x=0.04, leg_width=0.045)


def all_characters(size: int = 400) -> list[Character]:
    return [humanoid_tpose(size), humanoid_apose(size), plush_bear(size), chibi(size), dog(size),
            dog(size).flipped(), horse(size), bird(size), snake(size), fish(size), bug(size), cup(size)]


def rgba(mask: np.ndarray, colour=(90, 120, 200)) -> np.ndarray:
    """The figure on a transparent background, as uint8 RGBA."""
    out = np.zeros(mask.shape + (4,), np.uint8)
    out[mask] = (*colour, 255)
    return out


def drawn_result(character: Character) -> PipelineResult:
    """The whole pipeline on a drawn figure as the anatomy tests read it: its transparent picture and
    the geometric contraction (no model file), so a test fails on the rules, not on a model."""
    from pointskel_blender.core.image import image_from_array
    from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline

    image = image_from_array(rgba(character.mask), source=f"{character.name}.png")
    return run_pipeline(image, PipelineSettings(predictor="geometric"))


def both_facings(*figures: Character) -> dict[str, Character]:
    """Each figure and its mirror image, by name: the anatomy tests check a reading in both facings."""
    return {c.name: c for figure in figures for c in (figure, figure.flipped())}


def cached_results(drawn: dict[str, Character]) -> Callable[[str], PipelineResult]:
    """`drawn_result` of each figure by name, run once however many tests read it."""
    return cache(lambda name: drawn_result(drawn[name]))


def spider(size: int = 400) -> Character:
    """Top view: a round cephalothorax and abdomen along the image's vertical, eight thin legs in four
    pairs, each bent at a knee and radiating out from the cephalothorax (not one of `all_characters`)."""
    p = _Pen(size)
    p.disc(0.5, 0.4, 0.07)  # cephalothorax
    p.ellipse(0.5, 0.56, 0.08, 0.11)  # abdomen
    for side in (-1, 1):
        for y, dy in ((0.35, -0.22), (0.38, -0.08), (0.42, 0.08), (0.45, 0.22)):
            knee = (0.5 + side * 0.2, y + dy * 0.5 - 0.06)
            p.stroke([(0.5 + side * 0.05, y), knee, (0.5 + side * 0.36, y + dy + 0.04)], 0.018)
    return Character("spider", p.mask(), "many_legged", "top", "viewer", {"leg": 8})



def ant_side(size: int = 400) -> Character:
    """Side view, facing right: head, thorax and abdomen in a row, three pairs of thin legs whose knees
    rise above the body before they come down to the floor, the near and far leg of a pair side by side,
    an antenna (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.72, 0.5, 0.06, 0.05)  # head
    p.ellipse(0.55, 0.52, 0.09, 0.05)  # thorax
    p.ellipse(0.32, 0.5, 0.14, 0.08)  # abdomen
    p.stroke([(0.76, 0.47), (0.84, 0.36), (0.9, 0.38)], 0.012)  # antenna
    for x, spread in ((0.61, 0.1), (0.55, 0.0), (0.49, -0.1)):
        for far in (0.0, 0.035):
            foot = x + spread * 1.6 + far
            p.stroke([(x, 0.53), (x + spread * 0.8 + far, 0.4), (foot, 0.8)], 0.016)
    return Character("ant_side", p.mask(), "many_legged", "side", "right", {"head": 1, "leg": 6})


def octopus(size: int = 400) -> Character:
    """From the front: a tall mantle on top, eight arms thick where they leave it, tapering to points
    and curling out to both sides: generic limbs, not legs (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.3, 0.12, 0.16)  # mantle
    p.ellipse(0.5, 0.47, 0.1, 0.05)  # where the arms leave it
    for side in (-1, 1):
        for k, (dx, dy, curl) in enumerate(((0.42, 0.05, -0.08), (0.33, 0.25, 0.0), (0.2, 0.38, 0.06),
                                             (0.08, 0.44, 0.04))):
            t = np.linspace(0, 1, 9)
            x = 0.5 + side * (0.02 * (k + 1) + dx * t + curl * np.sin(np.pi * t))
            y = 0.48 + dy * t
            for i in range(8):  # thick at the mantle, a point at the end
                p.stroke([(x[i], y[i]), (x[i + 1], y[i + 1])], 0.05 * (1 - t[i]) + 0.012)
    return Character("octopus", p.mask(), "many_legged", "front", "viewer", {"limb": 8})


def walker_side(size: int = 400) -> Character:
    """A biped from the side, facing left, walking: a narrow figure whose legs leave the hips at one
    point in a scissor stride, both feet pointing left, an arm hanging along the torso (the far one
    behind it), a small nose (not one of `all_characters`)."""
    p = _Pen(size)
    p.disc(0.5, 0.12, 0.065)  # head
    p.disc(0.44, 0.125, 0.015)  # nose
    p.stroke([(0.5, 0.18), (0.5, 0.25)], 0.05)  # neck
    p.stroke([(0.5, 0.26), (0.5, 0.5)], 0.11)  # torso
    p.stroke([(0.49, 0.28), (0.46, 0.4), (0.44, 0.5)], 0.045)  # the near arm, hanging a little ahead
    for knee, ankle in (((0.44, 0.7), (0.39, 0.87)), ((0.55, 0.7), (0.6, 0.87))):  # front and back leg
        p.stroke([(0.5, 0.52), knee, ankle], 0.065)
        p.stroke([(ankle[0] + 0.01, ankle[1] + 0.025), (ankle[0] - 0.065, ankle[1] + 0.03)], 0.04)  # foot
    limbs = {"head": 1, "arm": 2, "leg": 2}  # the far arm behind the torso (`core.anatomy.tucked`)
    return Character("walker_side", p.mask(), "biped", "side", "left", limbs)


def swinging_side(size: int = 400) -> Character:
    """A biped from the side, facing left, its legs one behind the other (the outline shows one, its
    foot pointing left), the arms swinging: the near one ahead, the far one behind (not one of
    `all_characters`)."""
    p = _Pen(size)
    p.disc(0.5, 0.12, 0.065)  # head
    p.disc(0.44, 0.125, 0.015)  # nose
    p.stroke([(0.5, 0.18), (0.5, 0.25)], 0.05)  # neck
    p.stroke([(0.5, 0.26), (0.5, 0.52)], 0.11)  # torso
    p.stroke([(0.49, 0.29), (0.4, 0.4), (0.33, 0.47)], 0.04)  # the near arm, swung ahead
    p.stroke([(0.51, 0.29), (0.6, 0.4), (0.67, 0.47)], 0.04)  # the far arm, swung behind
    p.stroke([(0.5, 0.52), (0.5, 0.88)], 0.08)  # the legs, one behind the other
    p.stroke([(0.51, 0.9), (0.42, 0.91)], 0.045)  # the foot
    return Character("swinging_side", p.mask(), "biped", "side", "left", {"head": 1, "arm": 2, "leg": 2})


def walker_front(size: int = 400) -> Character:
    """The walker from the front: the legs a hip width apart, the feet turned out a little, each to
    its own side, the arms hanging at the sides (not one of `all_characters`)."""
    p = _Pen(size)
    p.disc(0.5, 0.12, 0.065)  # head
    p.stroke([(0.5, 0.18), (0.5, 0.25)], 0.05)  # neck
    p.stroke([(0.5, 0.26), (0.5, 0.5)], 0.15)  # torso
    for side in (-1, 1):
        arm = [(0.5 + side * 0.08, 0.28), (0.5 + side * 0.11, 0.4), (0.5 + side * 0.12, 0.5)]
        p.stroke(arm, 0.045)
        ankle = (0.5 + side * 0.06, 0.87)
        p.stroke([(0.5 + side * 0.045, 0.53), (0.5 + side * 0.055, 0.7), ankle], 0.065)  # leg
        p.stroke([(ankle[0], ankle[1] + 0.02), (ankle[0] + side * 0.035, ankle[1] + 0.035)], 0.045)  # foot
    return Character("walker_front", p.mask(), "biped", "front", "viewer", {"head": 1, "arm": 2, "leg": 2})


def bird_upright(size: int = 400) -> Character:
    """A bird from the side, facing left, standing upright (a thrush or a penguin: its head a little
    ahead of its hips, under 35 degrees off vertical): a body leaning forward, a beak, a tail down
    behind, two stick legs in a stride, its wings folded (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.52, 0.48, 0.1, 0.17, angle=20)  # body, leaning forward
    p.stroke([(0.48, 0.34), (0.44, 0.24)], 0.08)  # neck
    p.disc(0.43, 0.2, 0.065)  # head
    p.polygon([(0.38, 0.18), (0.3, 0.21), (0.38, 0.23)])  # beak
    p.polygon([(0.57, 0.58), (0.84, 0.74), (0.81, 0.79), (0.54, 0.64)])  # tail
    for hip, foot in (((0.5, 0.6), (0.42, 0.87)), ((0.53, 0.6), (0.6, 0.87))):
        p.stroke([hip, ((hip[0] + foot[0]) / 2, 0.74), foot], 0.025)
        p.stroke([foot, (foot[0] - 0.06, foot[1] + 0.01)], 0.02)
    limbs = {"head": 1, "leg": 2, "tail": 1, "wing": 2}  # its wings folded on it (`core.anatomy.tucked`)
    return Character("bird_upright", p.mask(), "bird", "side", "left", limbs)


def bird_front_wings_up(size: int = 400) -> Character:
    """A bird from the front, its wings raised in a wide V from its shoulders, its head sunk into its
    body between them (no tip of its own), two thin legs (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.56, 0.08, 0.1)  # body
    p.disc(0.5, 0.45, 0.05)  # head, on the body
    for side in (-1, 1):
        wing = [(0.5 + side * 0.04, 0.5), (0.5 + side * 0.22, 0.36), (0.5 + side * 0.42, 0.26)]
        p.stroke(wing, 0.05)
        p.stroke([(0.5 + side * 0.03, 0.64), (0.5 + side * 0.04, 0.75), (0.5 + side * 0.04, 0.84)], 0.022)
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}  # the head sunk between the wings, the tail behind
    # the body (`bones._hidden_tail`)
    return Character("bird_front_wings_up", p.mask(), "bird", "front", "viewer", limbs)


def bird_front_folded(size: int = 400) -> Character:
    """A bird from the front, its wings folded on its plump body (a pigeon or an owl facing the viewer):
    a round head with a short beak pointing down, a body wider than the head, two stick legs with
    toes turned out (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.5, 0.13, 0.2)  # body, the wings folded on it
    p.disc(0.5, 0.24, 0.08)  # head
    p.polygon([(0.48, 0.29), (0.5, 0.36), (0.52, 0.29)])  # beak
    for side in (-1, 1):
        ankle = (0.5 + side * 0.05, 0.85)
        p.stroke([(0.5 + side * 0.05, 0.66), (0.5 + side * 0.05, 0.76), ankle], 0.018)  # a stick leg
        p.stroke([ankle, (ankle[0] + side * 0.04, ankle[1] + 0.02)], 0.015)  # toes
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}  # the wings folded inside the outline (`tucked.py`),
    # the tail behind it
    return Character("bird_front_folded", p.mask(), "bird", "front", "viewer", limbs)


def bird_front_bulging(size: int = 400) -> Character:
    """A bird from the front, its folded wings bulging out of its body's outline at the shoulders and at
    the tips (a pigeon's), a round head with a short beak pointing down, two stick legs with toes turned
    out (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.5, 0.11, 0.18)  # body
    p.disc(0.5, 0.25, 0.075)  # head
    p.polygon([(0.48, 0.29), (0.5, 0.35), (0.52, 0.29)])  # beak
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.13, 0.4), (0.5 + side * 0.12, 0.62)], 0.07)  # a folded wing
        ankle = (0.5 + side * 0.05, 0.85)
        p.stroke([(0.5 + side * 0.05, 0.66), ankle], 0.018)  # a stick leg
        p.stroke([ankle, (ankle[0] + side * 0.04, ankle[1] + 0.02)], 0.015)  # toes
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}  # the tail behind the body
    return Character("bird_front_bulging", p.mask(), "bird", "front", "viewer", limbs)


def bird_front_crested(size: int = 400) -> Character:
    """A bird from the front, its wings folded on its plump body, a crest of five pointed feathers fanning
    out over its round head (a cockatoo's), a short beak, two stick legs with toes turned out (not one of
    `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.52, 0.13, 0.2)  # body, the wings folded on it
    p.disc(0.5, 0.26, 0.08)  # head
    p.polygon([(0.48, 0.31), (0.5, 0.38), (0.52, 0.31)])  # beak
    for angle in np.radians(np.linspace(-60, 60, 5)):  # the crest's feathers
        out, across = np.array([np.sin(angle), -np.cos(angle)]), np.array([np.cos(angle), np.sin(angle)])
        base = np.array([0.5, 0.26]) + 0.07 * out
        p.polygon([tuple(base + 0.02 * across), tuple(base + 0.05 * out), tuple(base - 0.02 * across)])
    for side in (-1, 1):
        ankle = (0.5 + side * 0.05, 0.87)
        p.stroke([(0.5 + side * 0.05, 0.68), ankle], 0.018)  # a stick leg
        p.stroke([ankle, (ankle[0] + side * 0.04, ankle[1] + 0.02)], 0.015)  # toes
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}  # the crest is the head's; the wings folded on the
    # body (`tucked.py`), the tail behind it
    return Character("bird_front_crested", p.mask(), "bird", "front", "viewer", limbs)


def insect_side(size: int = 400) -> Character:
    """An insect from the side, facing right: head, thorax and a long abdomen in a row, its six legs
    hanging close together from the short thorax straight down to the floor (one leg group, as a
    bird's two legs are: but more than two stand on the floor; not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.33, 0.5, 0.16, 0.06)  # abdomen
    p.ellipse(0.55, 0.5, 0.06, 0.045)  # thorax
    p.ellipse(0.66, 0.49, 0.04, 0.035)  # head
    for k in range(6):
        x = 0.47 + 0.03 * k
        p.stroke([(x, 0.5), (x + 0.01, 0.68), (x - 0.01, 0.85)], 0.014)
    return Character("insect_side", p.mask(), "many_legged", "side", "right", {"head": 1, "leg": 6})


def owl_front(size: int = 400) -> Character:
    """An owl from the front, its wings folded on its plump body: a round head with ear tufts in a V
    and a short beak, two short stick legs with toes turned out (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.55, 0.15, 0.2)  # body, the wings folded on it
    p.disc(0.5, 0.3, 0.11)  # head
    p.polygon([(0.48, 0.33), (0.5, 0.39), (0.52, 0.33)])  # beak
    for side in (-1, 1):
        p.polygon([(0.5 + side * 0.05, 0.22), (0.5 + side * 0.11, 0.1), (0.5 + side * 0.1, 0.25)])  # ear tuft
        ankle = (0.5 + side * 0.045, 0.86)
        p.stroke([(0.5 + side * 0.04, 0.72), ankle], 0.03)  # a short stick leg
        p.stroke([ankle, (ankle[0] + side * 0.035, ankle[1] + 0.01)], 0.015)  # toes
    limbs = {"head": 1, "wing": 2, "leg": 2, "ear": 2, "tail": 1}  # the ear tufts frame the head; the wings
    # folded inside the outline (`tucked.py`), the tail behind it
    return Character("owl_front", p.mask(), "bird", "front", "viewer", limbs)


def dress_cheer(size: int = 400) -> Character:
    """A person from the front in a long dress, both arms raised in a V, on thin legs, one foot lifted:
    wide, plump and stick-legged like a bird, but its limbs mirror about the spine (no profile)."""
    p = _Pen(size)
    p.disc(0.5, 0.12, 0.05)  # head
    p.stroke([(0.5, 0.16), (0.5, 0.22)], 0.035)  # neck
    p.ellipse(0.5, 0.3, 0.09, 0.08)  # chest
    p.polygon([(0.42, 0.3), (0.58, 0.3), (0.68, 0.7), (0.32, 0.7)])  # the dress
    for side in (-1, 1):  # arms raised in a V
        p.stroke([(0.5 + side * 0.07, 0.25), (0.5 + side * 0.2, 0.18), (0.5 + side * 0.3, 0.06)], 0.03)
    p.stroke([(0.44, 0.69), (0.43, 0.95)], 0.03)  # the standing leg
    p.stroke([(0.56, 0.69), (0.6, 0.8), (0.66, 0.86)], 0.03)  # the other, lifted
    return Character("dress_cheer", p.mask(), "biped", "front", "viewer", {"head": 1, "arm": 2, "leg": 2})


def desk_lamp(size: int = 400) -> Character:
    """Not a figure: a desk lamp, a flat base, a thin arm bent up and over, a shade at its end (a long
    thin stroke with a thick end, which read as a snake: not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.2, 0.8, 0.09, 0.02)  # base
    p.stroke([(0.2, 0.79), (0.32, 0.45), (0.6, 0.33)], 0.015)  # arm
    p.polygon([(0.6, 0.32), (0.76, 0.39), (0.64, 0.52), (0.58, 0.48)])  # shade
    return Character("desk_lamp", p.mask(), "generic", "front", "viewer", {})


def bell_lamp(size: int = 400) -> Character:
    """Not a figure: a lamp from the side, a flat base, an arm up and bent in under a bell-shaped shade
    that narrows to its top (the medial tree runs on through the shade's middle into that top: not one
    of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.6, 0.92, 0.14, 0.025)  # base
    p.stroke([(0.6, 0.92), (0.62, 0.5), (0.52, 0.36)], 0.03)  # arm
    p.ellipse(0.42, 0.32, 0.15, 0.1)  # the shade's bell
    p.polygon([(0.4, 0.1), (0.44, 0.1), (0.52, 0.26), (0.32, 0.26)])  # up to its top
    return Character("bell_lamp", p.mask(), "generic", "front", "viewer", {})


def plush_cat_side(size: int = 400) -> Character:
    """A plush cat from the side, facing right: a long round body, a big head with one ear, its two
    hind legs one lump down to the floor, one thick front leg, a short tail (not one of
    `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.5, 0.28, 0.11)  # body
    p.disc(0.78, 0.42, 0.11)  # head
    p.stroke([(0.78, 0.32), (0.76, 0.22)], 0.03)  # ear
    p.ellipse(0.3, 0.6, 0.1, 0.13)  # haunch: both hind legs one shape down to the floor
    p.stroke([(0.66, 0.55), (0.67, 0.72)], 0.07)  # front leg
    p.stroke([(0.22, 0.47), (0.1, 0.44)], 0.04)  # tail
    return Character("plush_cat_side", p.mask(), "quadruped", "side", "right", {"head": 1})


def dachshund(size: int = 400) -> Character:
    """A dachshund from the side, facing left: a long low body, a small head on the body's line (no
    neck) with one ear up, a tail off a deep rump, thick at its base and rising: the tail's end is as
    thick as the head's near its tip (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.5, 0.3, 0.075)  # long low body
    p.stroke([(0.24, 0.48), (0.14, 0.47)], 0.045)  # head
    p.stroke([(0.14, 0.47), (0.07, 0.49)], 0.035)  # muzzle
    p.stroke([(0.17, 0.45), (0.2, 0.36)], 0.025)  # ear
    p.stroke([(0.76, 0.47), (0.86, 0.46)], 0.08)  # the tail's thick base
    p.stroke([(0.86, 0.46), (0.95, 0.42)], 0.03)  # the tail
    for x in (0.3, 0.36, 0.64, 0.7):
        p.stroke([(x, 0.55), (x, 0.66)], 0.035)  # short legs
    return Character("dachshund", p.mask(), "quadruped", "side", "left", {"head": 1, "tail": 1})


def plush_fox(size: int = 400) -> Character:
    """A plush fox from the side, facing left: a plump body, its head on the body's line with one ear
    up, a fat brush tail as thick as the head, short thick legs (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.5, 0.28, 0.11)  # plump body
    p.stroke([(0.24, 0.47), (0.13, 0.46)], 0.075)  # head
    p.stroke([(0.13, 0.46), (0.06, 0.48)], 0.04)  # muzzle
    p.stroke([(0.17, 0.42), (0.2, 0.3)], 0.035)  # ear
    p.stroke([(0.74, 0.46), (0.86, 0.45)], 0.13)  # the brush tail's base
    p.stroke([(0.86, 0.45), (0.95, 0.38)], 0.045)  # its tip
    for x in (0.32, 0.4, 0.6, 0.68):
        p.stroke([(x, 0.58), (x, 0.7)], 0.06)  # short thick legs
    return Character("plush_fox", p.mask(), "quadruped", "side", "left", {"head": 1, "tail": 1})


def bushy_dog(size: int = 400) -> Character:
    """The side-view dog facing left with a bushy tail's end rounder and thicker than its head and no
    ears drawn: its paws, pointing ahead on the floor, say which end is the head (not one of
    `all_characters`)."""
    p = _dog_but_hind_legs(size)
    p.disc(0.84, 0.24, 0.075)  # the bushy tail's end
    for x, dx in ((0.62, -0.02), (0.69, 0.02)):  # hind legs, hock bent backward, paws ahead
        p.stroke([(x, 0.5), (x + 0.03 + dx, 0.66), (x + dx, 0.84)], 0.055)
        p.stroke([(x + dx, 0.84), (x + dx - 0.04, 0.86)], 0.04)
    return Character("bushy_dog", p.mask(), "quadruped", "side", "left", {"head": 1, "tail": 1})


def cat_small_ear(size: int = 400) -> Character:
    """A chunky cat from the side, facing left: a deep body, a big round head on a short thick neck with
    one small ear standing on its crown (too short for the medial tree to fork into: it shows only as a
    spike on the outline), short thick legs, a tail raised off the rump (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.55, 0.5, 0.25, 0.12)  # body
    p.stroke([(0.36, 0.45), (0.27, 0.4)], 0.12)  # neck
    p.disc(0.22, 0.38, 0.09)  # head
    p.ellipse(0.13, 0.41, 0.05, 0.035)  # muzzle
    p.stroke([(0.235, 0.3), (0.237, 0.28)], 0.02)  # the ear, its top at (0.237, 0.27)
    p.stroke([(0.78, 0.45), (0.86, 0.36), (0.88, 0.28)], 0.05)  # tail
    for x in (0.37, 0.45, 0.64, 0.72):
        p.stroke([(x, 0.58), (x, 0.76)], 0.07)  # legs
    return Character("cat_small_ear", p.mask(), "quadruped", "side", "left",
                     {"head": 1, "ear": 1, "front_leg": 2, "hind_leg": 2, "tail": 1})


def hare_side(size: int = 400) -> Character:
    """A hare from the side, facing left: a long ear standing up off the back of its head, about halfway
    from its shoulders to its muzzle's end, long thin legs, a short tail (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.55, 0.55, 0.22, 0.1)  # body
    p.stroke([(0.38, 0.5), (0.28, 0.44)], 0.08)  # neck
    p.ellipse(0.24, 0.43, 0.08, 0.05)  # head
    p.stroke([(0.17, 0.45), (0.12, 0.47)], 0.04)  # muzzle
    p.stroke([(0.27, 0.4), (0.29, 0.28), (0.3, 0.16)], 0.03)  # the ear, its top at (0.3, 0.145)
    p.stroke([(0.76, 0.5), (0.82, 0.46)], 0.05)  # tail
    for x in (0.38, 0.44, 0.66, 0.72):
        p.stroke([(x, 0.6), (x, 0.84)], 0.04)  # legs
    return Character("hare_side", p.mask(), "quadruped", "side", "left",
                     {"head": 1, "ear": 1, "front_leg": 2, "hind_leg": 2, "tail": 1})


def fox_side(size: int = 400) -> Character:
    """A fox from the side, facing left: a lean body, a neck rising to a long head, its long muzzle well
    ahead of a tall ear at the back of its skull (at x 0.28; the tree may trace the spine up the ear),
    a brush tail (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.55, 0.47, 0.22, 0.08)  # body
    p.stroke([(0.37, 0.44), (0.3, 0.34)], 0.08)  # neck
    p.ellipse(0.25, 0.33, 0.07, 0.045)  # skull
    p.stroke([(0.22, 0.35), (0.1, 0.38)], 0.035)  # muzzle, longer than the ear
    p.stroke([(0.28, 0.3), (0.29, 0.2)], 0.03)  # ear
    p.stroke([(0.76, 0.45), (0.86, 0.4), (0.92, 0.42)], 0.05)  # tail
    for x in (0.38, 0.44, 0.66, 0.72):
        p.stroke([(x, 0.52), (x, 0.84)], 0.04)  # legs
    return Character("fox_side", p.mask(), "quadruped", "side", "left",
                     {"head": 1, "ear": 1, "front_leg": 2, "hind_leg": 2, "tail": 1})


def _deep_rump(p: _Pen) -> None:
    """A deep oval body whose rump reaches well behind the hind legs (its rear at x 0.77, 0.13 deep
    each side of its line), a thick neck and a round head at left, four legs."""
    p.ellipse(0.5, 0.45, 0.27, 0.13)  # body
    p.stroke([(0.3, 0.42), (0.2, 0.4)], 0.12)  # neck
    p.disc(0.17, 0.4, 0.07)  # head
    p.ellipse(0.1, 0.43, 0.04, 0.03)  # muzzle
    for x in (0.28, 0.36, 0.5, 0.58):
        p.stroke([(x, 0.52), (x, 0.8)], 0.05)  # legs, the hind ones standing forward of the rump


def bear_side(size: int = 400) -> Character:
    """A bear from the side, facing left: `_deep_rump` with a thin tail off its rear (not one of
    `all_characters`)."""
    p = _Pen(size)
    _deep_rump(p)
    p.stroke([(0.76, 0.4), (0.88, 0.33)], 0.035)  # tail
    return Character("bear_side", p.mask(), "quadruped", "side", "left",
                     {"head": 1, "front_leg": 2, "hind_leg": 2, "tail": 1})


def pig_side(size: int = 400) -> Character:
    """A pig from the side, facing left: `_deep_rump` without a tail (not one of `all_characters`)."""
    p = _Pen(size)
    _deep_rump(p)
    return Character("pig_side", p.mask(), "quadruped", "side", "left",
                     {"head": 1, "front_leg": 2, "hind_leg": 2})


def bear_walking(size: int = 400) -> Character:
    """A chunky bear from the side, facing left, walking: its front legs close together, its far hind
    leg stepping forward under its belly, the near one back under its rump: three groups of legs along
    its body (not one of `all_characters`; the rules read it many-legged, a part head a quadruped)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.47, 0.28, 0.12)  # body
    p.stroke([(0.28, 0.44), (0.18, 0.42)], 0.12)  # neck
    p.disc(0.15, 0.42, 0.07)  # head
    p.ellipse(0.08, 0.45, 0.04, 0.03)  # muzzle
    p.stroke([(0.77, 0.43), (0.86, 0.38)], 0.035)  # tail
    for top, paw in (((0.3, 0.55), (0.28, 0.8)), ((0.36, 0.55), (0.38, 0.8)),  # front legs
                     ((0.55, 0.55), (0.5, 0.8)), ((0.7, 0.55), (0.73, 0.8))):  # hind legs, the far one ahead
        p.stroke([top, paw], 0.06)
    return Character("bear_walking", p.mask(), "quadruped", "side", "left",
                     {"head": 1, "front_leg": 2, "hind_leg": 2, "tail": 1})


def bare_tree(size: int = 400) -> Character:
    """Not a figure: a tree, its thin trunk leaning on up to a crown, one bare branch, roots (a long
    stroke with a bulge at its end, which read as a snake: not one of `all_characters`)."""
    p = _Pen(size)
    p.stroke([(0.5, 0.9), (0.5, 0.55), (0.46, 0.3), (0.4, 0.12)], 0.03)  # trunk
    p.stroke([(0.5, 0.62), (0.66, 0.45), (0.78, 0.4)], 0.018)  # a branch
    p.ellipse(0.4, 0.14, 0.13, 0.08)  # the crown
    p.ellipse(0.5, 0.9, 0.09, 0.02)  # roots
    return Character("bare_tree", p.mask(), "generic", "front", "viewer", {})


def potted_cactus(size: int = 400) -> Character:
    """Not a figure: a cactus in a flower pot, a round-topped trunk and two arms that turn up (the pot,
    wider than the trunk and wider at its rim, forks the medial tree into its corners: not one of
    `all_characters`)."""
    p = _Pen(size)
    p.polygon([(0.36, 0.72), (0.64, 0.72), (0.6, 0.92), (0.4, 0.92)])  # the pot
    p.stroke([(0.5, 0.75), (0.5, 0.12)], 0.1)  # trunk
    p.stroke([(0.5, 0.5), (0.33, 0.5), (0.33, 0.3)], 0.07)  # left arm
    p.stroke([(0.5, 0.4), (0.66, 0.4), (0.66, 0.24)], 0.07)  # right arm
    return Character("potted_cactus", p.mask(), "generic", "front", "viewer", {})


def crowned_tree(size: int = 400) -> Character:
    """Not a figure: a tree, its trunk leaning up to a round crown, a branch to each side ending in a
    foliage clump, no roots (no plan fits it; a part head took such trees for bipeds: not one of
    `all_characters`)."""
    p = _Pen(size)
    p.stroke([(0.55, 0.92), (0.5, 0.55), (0.47, 0.4)], 0.045)  # trunk
    p.stroke([(0.5, 0.58), (0.36, 0.46), (0.24, 0.4)], 0.025)  # left branch
    p.stroke([(0.5, 0.55), (0.64, 0.4), (0.74, 0.3)], 0.025)  # right branch
    for x, y, r in ((0.47, 0.26, 0.12), (0.22, 0.37, 0.08), (0.76, 0.26, 0.08)):
        p.disc(x, y, r)  # the crown and the clumps
    return Character("crowned_tree", p.mask(), "generic", "front", "viewer", {})


def chair_front(size: int = 400) -> Character:
    """Not a figure: a chair from the front, a tall backrest over the seat's front edge, two legs down
    to the floor (not one of `all_characters`)."""
    p = _Pen(size)
    p.polygon([(0.36, 0.1), (0.64, 0.1), (0.64, 0.55), (0.36, 0.55)])  # backrest
    p.polygon([(0.33, 0.55), (0.67, 0.55), (0.67, 0.6), (0.33, 0.6)])  # the seat's front edge
    for x in (0.355, 0.645):
        p.stroke([(x, 0.6), (x, 0.92)], 0.03)  # a leg
    return Character("chair_front", p.mask(), "generic", "front", "viewer", {})


def _striding_side(name: str, size: int, crown: float, head: float, torso: float, arm: float,
                   reach: Callable[[float, float], list[tuple[float, float]]]) -> Character:
    """A biped from the side, facing left, striding, its crown at `crown`: a head of radius `head` (a
    nose), a neck, a torso `torso` wide and its near arm `arm` wide through `reach(top, chest)` (the
    head centre's and the torso's top heights)."""
    p = _Pen(size)
    top = crown + head
    p.disc(0.5, top, head)  # head
    p.disc(0.5 - head - 0.005, top + 0.01, 0.015)  # nose
    p.stroke([(0.5, top + head - 0.01), (0.5, top + head + 0.06)], 0.05)  # neck
    chest = top + head + 0.07
    p.stroke([(0.5, chest), (0.5, 0.52)], torso)  # torso
    p.stroke(reach(top, chest), arm)  # the near arm
    for knee, ankle in (((0.45, 0.7), (0.41, 0.87)), ((0.54, 0.7), (0.58, 0.87))):  # a stride
        p.stroke([(0.5, 0.54), knee, ankle], 0.065 + 0.3 * (torso - 0.11))
        p.stroke([(ankle[0] + 0.01, ankle[1] + 0.025), (ankle[0] - 0.065, ankle[1] + 0.03)], 0.04)  # foot
    return Character(name, p.mask(), "biped", "side", "left", {"head": 1, "arm": 2, "leg": 2})


def _raised_hand_side(name: str, size: int, head: float, torso: float, arm: float) -> Character:
    """`_striding_side` with its near arm raised past the front of its face to a hand above its head
    (waving, reaching up)."""
    return _striding_side(name, size, 0.1, head, torso, arm, lambda top, chest: [
        (0.49, chest + 0.02), (0.5 - 0.6 * head, top), (0.5 - 0.5 * head, 0.03)])


def raised_hand_side(size: int = 400) -> Character:
    """A person from the side waving a hand above its head (`_raised_hand_side`; not one of
    `all_characters`)."""
    return _raised_hand_side("raised_hand_side", size, 0.065, 0.11, 0.04)


def raised_hand_chunky(size: int = 400) -> Character:
    """A chunky figure from the side waving a thick arm above its big head (`_raised_hand_side`; not
    one of `all_characters`)."""
    return _raised_hand_side("raised_hand_chunky", size, 0.11, 0.2, 0.07)


def raised_hand_thick(size: int = 400) -> Character:
    """A plush figure from the side raising an arm over half as thick as its torso above its big head
    (`_raised_hand_side`; not one of `all_characters`): the hand thicker than half the trunk, thinner
    than the head."""
    return _raised_hand_side("raised_hand_thick", size, 0.11, 0.2, 0.11)


def _reaching_side(name: str, size: int, lean: float, hand: tuple[float, float]) -> Character:
    """A person from the side, facing left, leaning back from the hips (its shoulders `lean` behind
    them) with its near arm held out ahead and up to `hand` (reaching, pulling a rope): a round head
    without a nose on a neck over a thick torso; its head as drawn is `reaching_head(lean)`."""
    p = _Pen(size)
    hips, shoulders = (0.45, 0.58), (0.45 + lean, 0.3)
    x, y, head = reaching_head(lean)
    p.disc(x, y, head)
    p.stroke([shoulders, (x - 0.02, y + head - 0.01)], 0.05)  # neck
    p.stroke([hips, shoulders], 0.2)  # torso
    p.stroke([(shoulders[0] - 0.02, shoulders[1] + 0.03), hand], 0.06)  # the near arm
    for knee, ankle in (((0.41, 0.74), (0.39, 0.88)), ((0.49, 0.74), (0.53, 0.88))):
        p.stroke([hips, knee, ankle], 0.07)
        p.stroke([(ankle[0] + 0.01, ankle[1] + 0.025), (ankle[0] - 0.065, ankle[1] + 0.03)], 0.04)  # foot
    return Character(name, p.mask(), "biped", "side", "left", {"head": 1, "arm": 2, "leg": 2})


def reaching_head(lean: float) -> tuple[float, float, float]:
    """`_reaching_side`'s head as drawn: centre (x, y) and radius."""
    return 0.45 + lean + 0.06, 0.3 - 0.07 - 0.065, 0.065


REACHING = {"reaching_side": (0.12, (0.33, 0.26)), "leaning_reach_side": (0.25, (0.42, 0.25))}  # lean, hand


def reaching_side(size: int = 400) -> Character:
    """Leaning back a little, the hand held out ahead at the shoulders' height (`_reaching_side`; not
    one of `all_characters`): head and arm leave the thick torso's top within its reach."""
    return _reaching_side("reaching_side", size, *REACHING["reaching_side"])


def leaning_reach_side(size: int = 400) -> Character:
    """Leaning far back, the hand held out ahead nearer straight above the feet than the head
    (`_reaching_side`; not one of `all_characters`): the hand, by the torso, reads as thick as a head."""
    return _reaching_side("leaning_reach_side", size, *REACHING["leaning_reach_side"])


def _forearm_ahead_side(name: str, size: int, head: float, torso: float, arm: float) -> Character:
    """`_striding_side` with its near upper arm hanging over its torso and the forearm held out ahead
    at the waist (carrying something): the arm's outline leaves the torso's at the elbow."""
    elbow = (0.5 - 0.2 * torso, 0.43)
    return _striding_side(name, size, 0.06, head, torso, arm, lambda top, chest: [
        (0.5 - 0.1 * torso, chest + 0.03), elbow, (elbow[0] - 0.16, elbow[1] - 0.02)])


def forearm_ahead_side(size: int = 400) -> Character:
    """A person from the side holding a forearm out ahead (`_forearm_ahead_side`; not one of
    `all_characters`)."""
    return _forearm_ahead_side("forearm_ahead_side", size, 0.065, 0.11, 0.04)


def forearm_ahead_chunky(size: int = 400) -> Character:
    """A chunky figure from the side holding a thick forearm out ahead (`_forearm_ahead_side`; not one
    of `all_characters`)."""
    return _forearm_ahead_side("forearm_ahead_chunky", size, 0.1, 0.2, 0.07)


def _knee_stride_side(name: str, size: int, torso: float, leg: float) -> Character:
    """A biped from the side, facing left, its thighs overlapping from the hips down to the knees,
    where the shins part in a stride (the outline shows one thigh); an arm hanging along the torso;
    `torso`, `leg`: the torso's and the legs' widths."""
    p = _Pen(size)
    p.disc(0.5, 0.12, 0.065)  # head
    p.disc(0.44, 0.125, 0.015)  # nose
    p.stroke([(0.5, 0.18), (0.5, 0.25)], 0.05)  # neck
    p.stroke([(0.5, 0.26), (0.5, 0.5)], torso)  # torso
    p.stroke([(0.49, 0.28), (0.47, 0.4), (0.45, 0.5)], 0.045)  # the near arm, hanging a little ahead
    p.stroke([(0.5, 0.5), (0.49, 0.68)], leg * 1.2)  # the thighs, one over the other
    for ankle in ((0.4, 0.87), (0.6, 0.87)):  # the shins part at the knees
        p.stroke([(0.49, 0.68), ankle], leg)
        p.stroke([(ankle[0] + 0.01, ankle[1] + 0.025), (ankle[0] - 0.065, ankle[1] + 0.03)], 0.05)  # foot
    return Character(name, p.mask(), "biped", "side", "left", {"head": 1, "arm": 2, "leg": 2})


def knee_stride_side(size: int = 400) -> Character:
    """A person from the side whose thighs overlap down to the knees (`_knee_stride_side`; not one of
    `all_characters`)."""
    return _knee_stride_side("knee_stride_side", size, 0.11, 0.07)


def knee_stride_chunky(size: int = 400) -> Character:
    """A chunky figure from the side whose thick thighs overlap down to the knees (`_knee_stride_side`;
    not one of `all_characters`)."""
    return _knee_stride_side("knee_stride_chunky", size, 0.2, 0.09)


def _dressed_side(name: str, size: int, torso: float, head: float, arm: float, leg: float, hem: float,
                  flare: float, robe: bool = False) -> Character:
    """A biped from the side, facing left, in a skirt or dress from its waist (0.45) flaring out by
    `flare` each way to its hem at `hem`, an arm hanging along the torso, the legs striding out from
    under the hem (`robe`: the dress down to the floor, the legs hidden, a toe peeking out ahead);
    `torso`, `head`, `arm`, `leg`: widths and the head's radius."""
    p = _Pen(size)
    p.disc(0.5, 0.12, head)  # head
    p.disc(0.5 - head - 0.005, 0.13, 0.015)  # nose
    p.stroke([(0.5, 0.12 + head - 0.01), (0.5, 0.12 + head + 0.06)], 0.05)  # neck
    chest = 0.12 + head + 0.07
    p.stroke([(0.5, chest), (0.5, 0.45)], torso)  # torso
    bottom = 0.93 if robe else hem
    p.polygon([(0.5 - torso / 2, 0.45), (0.5 + torso / 2, 0.45), (0.5 + torso / 2 + flare, bottom),
               (0.5 - torso / 2 - flare, bottom)])  # the skirt
    p.stroke([(0.49, chest + 0.02), (0.47, 0.33), (0.44, 0.45)], arm)  # the near arm, hanging
    if robe:
        p.stroke([(0.42, 0.93), (0.36, 0.94)], 0.025)  # a toe peeking out
    else:
        for knee, ankle in (((0.47, hem), (0.41, 0.87)), ((0.53, hem), (0.58, 0.87))):  # a stride
            p.stroke([(knee[0], hem - 0.03), knee, ankle], leg)
            p.stroke([(ankle[0] + 0.01, ankle[1] + 0.025), (ankle[0] - 0.065, ankle[1] + 0.03)], 0.04)  # foot
    return Character(name, p.mask(), "biped", "side", "left", {"head": 1, "arm": 2, "leg": 2})


def dress_side(size: int = 400) -> Character:
    """A person from the side in a knee-length dress (`_dressed_side`; its mirror image read as a
    bird, the hem's corners as a beak and arms; not one of `all_characters`)."""
    return _dressed_side("dress_side", size, 0.11, 0.065, 0.04, 0.06, 0.7, 0.1)


def dress_side_chunky(size: int = 400) -> Character:
    """A chunky figure from the side in a knee-length dress (`_dressed_side`; not one of
    `all_characters`)."""
    return _dressed_side("dress_side_chunky", size, 0.2, 0.1, 0.07, 0.08, 0.7, 0.1)


def mini_skirt_side(size: int = 400) -> Character:
    """A person from the side in a short skirt, its hem at mid-thigh (`_dressed_side`; not one of
    `all_characters`)."""
    return _dressed_side("mini_skirt_side", size, 0.11, 0.065, 0.04, 0.06, 0.58, 0.06)


def robe_side(size: int = 400) -> Character:
    """A person from the side in a robe down to the floor, the legs hidden in it (`_dressed_side`; not
    one of `all_characters`)."""
    return _dressed_side("robe_side", size, 0.11, 0.065, 0.04, 0.06, 0.93, 0.1, robe=True)


def dress_front(size: int = 400) -> Character:
    """A person from the front in a knee-length dress flaring from its waist (0.45) to its hem (0.72),
    arms hanging at its sides, legs under the hem (not one of `all_characters`)."""
    p = _Pen(size)
    p.disc(0.5, 0.12, 0.07)  # head
    p.stroke([(0.5, 0.17), (0.5, 0.24)], 0.04)  # neck
    p.stroke([(0.5, 0.26), (0.5, 0.45)], 0.16)  # torso
    p.polygon([(0.42, 0.45), (0.58, 0.45), (0.68, 0.72), (0.32, 0.72)])  # the dress
    for side in (-1, 1):
        arm = [(0.5 + side * 0.08, 0.27), (0.5 + side * 0.13, 0.4), (0.5 + side * 0.15, 0.52)]
        p.stroke(arm, 0.035)
        p.stroke([(0.5 + side * 0.04, 0.7), (0.5 + side * 0.045, 0.92)], 0.06)  # leg
        p.stroke([(0.5 + side * 0.045, 0.92), (0.5 + side * 0.06, 0.93)], 0.06)  # foot
    return Character("dress_front", p.mask(), "biped", "front", "viewer", {"head": 1, "arm": 2, "leg": 2})


def smock_front(size: int = 400) -> Character:
    """A girl from the front in a dress that flares from the shoulders (0.25) to its hem (0.62), no
    waist: arms hanging beside it, thin legs under it. Plump over stick legs like a bird from the front,
    with a hem's corners for folded wing tips (not one of `all_characters`)."""
    p = _Pen(size)
    p.disc(0.5, 0.13, 0.07)  # head
    p.stroke([(0.5, 0.18), (0.5, 0.26)], 0.04)  # neck
    p.polygon([(0.44, 0.24), (0.56, 0.24), (0.66, 0.62), (0.34, 0.62)])  # the dress
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.05, 0.27), (0.5 + side * 0.14, 0.4), (0.5 + side * 0.18, 0.52)], 0.035)
        p.stroke([(0.5 + side * 0.05, 0.6), (0.5 + side * 0.06, 0.92)], 0.04)  # leg
        p.stroke([(0.5 + side * 0.06, 0.92), (0.5 + side * 0.08, 0.93)], 0.04)  # foot
    return Character("smock_front", p.mask(), "biped", "front", "viewer", {"head": 1, "arm": 2, "leg": 2})


def chibi_side_feet_together(size: int = 400) -> Character:
    """A chibi from the side facing right: a head as big as its body, a short arm ahead, two legs close
    together whose feet overlap on the floor in one blob (the tree has one leg and may end it at a heel
    or a toe; not one of `all_characters`)."""
    p = _Pen(size)
    p.disc(0.5, 0.25, 0.16)  # head
    p.ellipse(0.5, 0.55, 0.09, 0.14)  # body
    p.stroke([(0.5, 0.48), (0.6, 0.56), (0.66, 0.52)], 0.05)  # the near arm, ahead
    p.stroke([(0.48, 0.66), (0.46, 0.86)], 0.07)  # the back leg
    p.stroke([(0.46, 0.86), (0.56, 0.87)], 0.05)  # its foot, toes ahead
    p.stroke([(0.54, 0.66), (0.57, 0.85)], 0.07)  # the front leg
    p.stroke([(0.57, 0.85), (0.65, 0.86)], 0.05)
    return Character("chibi_side_feet_together", p.mask(), "biped", "side", "right",
                     {"head": 1, "arm": 1, "leg": 2})


def duck_side(size: int = 400) -> Character:
    """Side view, facing left: a duck, a level body, a neck rising at the front to a round head with a
    flat bill, a short pointed tail, two thin legs whose webbed feet touch on the floor (the tree reads
    one thick leg from the body's middle; not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.52, 0.55, 0.2, 0.11)  # body
    p.stroke([(0.38, 0.5), (0.33, 0.35)], 0.07)  # neck
    p.disc(0.33, 0.3, 0.065)  # head
    p.ellipse(0.23, 0.32, 0.06, 0.022)  # bill
    p.polygon([(0.7, 0.5), (0.8, 0.43), (0.76, 0.55)])  # tail
    for x in (0.5, 0.56):
        p.stroke([(x, 0.64), (x, 0.82)], 0.02)  # leg
        p.stroke([(x, 0.82), (x - 0.06, 0.83)], 0.025)  # webbed foot
    return Character("duck_side", p.mask(), "bird", "side", "left", {"head": 1, "leg": 2, "tail": 1})


def floor_lamp(size: int = 400) -> Character:
    """Not a figure: a floor lamp, a round base, a thin pole up to a conical shade (a head on a neck
    standing on one leg, read as a biped from the side: not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.92, 0.1, 0.02)  # base
    p.stroke([(0.5, 0.92), (0.5, 0.25)], 0.02)  # pole
    p.polygon([(0.45, 0.1), (0.55, 0.1), (0.6, 0.28), (0.4, 0.28)])  # shade
    return Character("floor_lamp", p.mask(), "generic", "front", "viewer", {})


@dataclass(frozen=True)
class _Build:
    """A turnaround character's proportions (canvas fractions): the head's centre height and radius,
    the torso's top and bottom heights and its width from the front and depth from the side, the
    arms' length and width, the legs' width (down to the floor at 0.92)."""
    head_y: float
    head: float
    chest: float
    crotch: float
    width: float
    depth: float
    arm: float
    arm_width: float
    leg: float


PERSON = _Build(0.12, 0.065, 0.26, 0.53, 0.15, 0.11, 0.3, 0.045, 0.06)
HEAVY = _Build(0.12, 0.07, 0.26, 0.55, 0.24, 0.2, 0.3, 0.07, 0.09)  # a chunky person
CHIBI = _Build(0.27, 0.17, 0.47, 0.7, 0.2, 0.17, 0.17, 0.07, 0.08)  # a chibi / plush: head as big as the body
BUILDS = {"person": PERSON, "heavy": HEAVY, "chibi": CHIBI}


def _turnaround(build: str, pose: str, view: str, size: int) -> Character:
    """One drawing of a character turnaround sheet: the character (`BUILDS`) in an A-pose (arms down
    at 45 degrees from the body) or a T-pose (arms straight out), seen from the front or from the side
    facing left. From the side an A-pose's arm hangs beside the torso, its upper arm over it, the hand
    sticking out a little ahead of the belly (the arms lean forward a little, as a relaxed arm does);
    a T-pose's arms point at the viewer: only the shoulder's bulge shows."""
    b = BUILDS[build]
    p = _Pen(size)
    neck = b.head_y + b.head
    p.disc(0.5, b.head_y, b.head)  # head
    if b.chest > neck:
        p.stroke([(0.5, neck - 0.01), (0.5, b.chest)], 0.45 * b.head)  # neck
    thick = b.width if view == "front" else b.depth
    p.stroke([(0.5, b.chest + thick / 4), (0.5, b.crotch - thick / 4)], thick)  # torso
    p.ellipse(0.5, b.chest + thick / 4, thick / 2, thick / 4)  # the shoulders' round top
    p.ellipse(0.5, b.crotch - thick / 4, thick / 2, thick / 4)  # the seat
    shoulder_y = b.chest + 0.3 * b.arm_width
    if view == "front":
        slope = np.radians(45 if pose == "apose" else 3)
        for side in (-1, 1):
            start = (0.5 + side * (b.width / 2 - b.arm_width / 2), shoulder_y)
            elbow = (start[0] + side * 0.5 * b.arm * np.sin(np.pi / 2 - slope + 0.05),
                     start[1] + 0.5 * b.arm * np.cos(np.pi / 2 - slope + 0.05))
            hand = turnaround_hand(build, pose, side)
            p.stroke([start, elbow, hand], b.arm_width)
            p.disc(hand[0], hand[1], 0.6 * b.arm_width)  # the hand
            p.stroke([(0.5 + side * b.width / 4, b.crotch - 0.01), (0.5 + side * b.width / 4, 0.9)], b.leg)
            p.stroke([(0.5 + side * b.width / 4, 0.91), (0.5 + side * (b.width / 4 + 0.02), 0.92)], b.leg)
        return Character(f"{build}_{pose}_front", p.mask(), "biped", "front", "viewer",
                         {"head": 1, "arm": 2, "leg": 2})
    p.disc(0.5 - b.head - 0.005, b.head_y + 0.01, 0.1 * b.head + 0.008)  # nose
    if pose == "apose":  # the arm hangs at 45 degrees out toward the viewer: 0.7 of its length shows
        drop = 0.7 * b.arm
        front = 0.5 - b.depth / 2  # the torso's front edge
        elbow = (0.5 - 0.2 * b.depth, shoulder_y + 0.5 * drop)
        hand = (front + 0.2 * b.arm_width, shoulder_y + drop)
        p.stroke([(0.5, shoulder_y), elbow, hand], b.arm_width)
        p.disc(hand[0], hand[1], 0.6 * b.arm_width)  # the hand
    else:  # a T-pose's arm points at the viewer: its round end is the shoulder's bulge
        p.disc(0.5, shoulder_y + 0.3 * b.arm_width, 0.6 * b.arm_width + thick / 2 - b.arm_width / 2)
    p.stroke([(0.5, b.crotch - 0.01), (0.5, 0.9)], 1.2 * b.leg)  # the two legs as one, side by side
    p.stroke([(0.5 + b.leg / 3, 0.9), (0.5 - b.leg - 0.04, 0.91)], 0.6 * b.leg)  # the feet, pointing ahead
    return Character(f"{build}_{pose}_side", p.mask(), "biped", "side", "left",
                     {"head": 1, "arm": 2, "leg": 2})


def turnaround_hand(build: str, pose: str, side: int) -> tuple[float, float]:
    """Where a front view's hand is drawn (`_turnaround`; `side` -1 image left, 1 image right)."""
    b = BUILDS[build]
    slope = np.radians(45 if pose == "apose" else 3)
    return (0.5 + side * (b.width / 2 - b.arm_width / 2 + b.arm * np.cos(slope)),
            b.chest + 0.3 * b.arm_width + b.arm * np.sin(slope))


def turnarounds(size: int = 400) -> list[Character]:
    """A turnaround sheet of each build (`BUILDS`): A-pose and T-pose, front and side (facing left; the
    mirror images face right). Not among `all_characters`."""
    return [_turnaround(build, pose, view, size) for build in BUILDS for pose in ("apose", "tpose")
            for view in ("front", "side")]


def centipede_side(size: int = 400) -> Character:
    """A centipede from the side, facing left: one long body of even width (its segments alike, so no
    end is a thicker abdomen), two antennae reaching ahead and up off its head, seven pairs of short
    legs bending at the knee down to the floor, the near and far leg of a pair one over the other (not
    one of `all_characters`)."""
    p = _Pen(size)
    p.stroke([(0.22, 0.5), (0.86, 0.5)], 0.06)  # the body, head at the left end
    p.stroke([(0.21, 0.49), (0.12, 0.42), (0.05, 0.4)], 0.012)  # antennae, one over the other
    for k in range(7):
        x = 0.28 + 0.09 * k
        p.stroke([(x, 0.52), (x + 0.025, 0.6), (x + 0.01, 0.68)], 0.016)
    return Character("centipede_side", p.mask(), "many_legged", "side", "left", {"head": 1, "leg": 7})


def crab_front(size: int = 400) -> Character:
    """A many-legged creature from the front, its small body seen end-on in the middle: on either side
    its legs, one behind the other in a bundle, rise from the body to a knee well above it and fall to
    the floor far out (an arthropod's legs; a mammal's hang below its body; not one of
    `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.5, 0.09, 0.07)  # the body, end-on
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.05, 0.48), (0.5 + side * 0.22, 0.3), (0.5 + side * 0.42, 0.82)], 0.035)
    return Character("crab_front", p.mask(), "many_legged", "front", "viewer", {"leg": 2})


def table_front(size: int = 400) -> Character:
    """A table from the front: a level top on two straight legs (its legs run level along the top
    before they fall: no knee above a body; not one of `all_characters`)."""
    p = _Pen(size)
    p.stroke([(0.15, 0.35), (0.85, 0.35)], 0.06)
    for x in (0.2, 0.8):
        p.stroke([(x, 0.36), (x, 0.8)], 0.04)
    return Character("table_front", p.mask(), "generic", "front", "viewer", {})


def bird_wings_raised(size: int = 400) -> Character:
    """A bird from the side, facing left, both wings raised from one shoulder in a V (the near wing and
    the far one overlap from the shoulder to past their elbows, then part): the tree has one wing with
    a long branch, the far wing's hand; a flight feather stands out of the near wing's hand (a short
    branch, no limb of its own)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.52, 0.15, 0.1, angle=-15)  # body
    p.stroke([(0.4, 0.47), (0.33, 0.37)], 0.07)  # neck
    p.disc(0.32, 0.32, 0.06)  # head
    p.polygon([(0.27, 0.3), (0.18, 0.33), (0.27, 0.35)])  # beak
    p.polygon([(0.6, 0.52), (0.8, 0.44), (0.8, 0.52), (0.62, 0.58)])  # tail
    p.stroke([(0.52, 0.44), (0.58, 0.3)], 0.07)  # both wings' inner halves, overlapping
    p.stroke([(0.58, 0.3), (0.74, 0.12)], 0.045)  # the near wing's hand, swept back
    p.stroke([(0.58, 0.3), (0.55, 0.06)], 0.045)  # the far wing's hand, raised
    p.stroke([(0.7, 0.17), (0.8, 0.15)], 0.025)  # a flight feather's tip standing out of the near hand
    for x in (0.46, 0.54):
        p.stroke([(x, 0.6), (x + 0.02, 0.74), (x - 0.01, 0.87)], 0.025)
        p.stroke([(x - 0.01, 0.87), (x - 0.06, 0.88)], 0.02)
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}
    return Character("bird_wings_raised", p.mask(), "bird", "side", "left", limbs)


def apose_profile_hand(build: str) -> tuple[float, float]:
    """Where `apose_profile` draws the hand (facing left)."""
    b = BUILDS[build]
    return 0.5 - b.depth / 2 - b.arm_width, b.chest + 0.3 * b.arm_width + 0.7 * b.arm


def apose_profile(build: str, size: int = 400) -> Character:
    """An A-pose from the side, facing left, its hand sticking out ahead of the belly by its width (the
    outline shows the hand, the tree has a branch to it), the legs one behind the other tapering from
    the thighs to the ankles (`BUILDS`; not among `all_characters`)."""
    b = BUILDS[build]
    p = _Pen(size)
    p.disc(0.5, b.head_y, b.head)  # head
    if b.chest > b.head_y + b.head:
        p.stroke([(0.5, b.head_y + b.head - 0.01), (0.5, b.chest)], 0.45 * b.head)  # neck
    p.stroke([(0.5, b.chest + b.depth / 4), (0.5, b.crotch - b.depth / 4)], b.depth)  # torso
    p.ellipse(0.5, b.chest + b.depth / 4, b.depth / 2, b.depth / 4)
    p.ellipse(0.5, b.crotch - b.depth / 4, b.depth / 2, b.depth / 4)
    p.disc(0.5 - b.head - 0.005, b.head_y + 0.01, 0.1 * b.head + 0.008)  # nose
    shoulder = (0.5, b.chest + 0.3 * b.arm_width)
    hand = apose_profile_hand(build)
    p.stroke([shoulder, (0.5 - 0.2 * b.depth, 0.5 * (shoulder[1] + hand[1])), hand], b.arm_width)
    p.disc(hand[0], hand[1], 0.6 * b.arm_width)  # the hand
    knee = 0.5 * (b.crotch + 0.9)
    p.stroke([(0.5, b.crotch - 0.01), (0.5, knee)], 1.2 * b.leg)  # thighs
    p.stroke([(0.5, knee), (0.5, 0.9)], 0.85 * b.leg)  # shins
    p.stroke([(0.5 + b.leg / 3, 0.9), (0.5 - b.leg - 0.04, 0.91)], 0.75 * b.leg)  # feet
    return Character(f"{build}_apose_profile", p.mask(), "biped", "side", "left",
                     {"head": 1, "arm": 2, "leg": 2})


def bird_crested(size: int = 400) -> Character:
    """A bird from the side, facing left, a crest of three feathers rising over its skull that reach
    farther from the body's centre than its beak (a cockatoo, a hoopoe): the head bone runs from the
    skull to the beak's tip, not up the crest (not one of `all_characters`)."""
    p = _crested_bird_body(size)
    for end in ((0.24, 0.1), (0.31, 0.06), (0.38, 0.1)):  # the crest's feathers
        p.stroke([(0.32, 0.28), end], 0.02)
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}  # the far wing behind the near one
    return Character("bird_crested", p.mask(), "bird", "side", "left", limbs)


def _crested_bird_body(size: int) -> _Pen:
    """`bird_crested` and `bird_tufted` without what grows on the crown: body, neck, skull and beak,
    tail, a raised wing and two legs."""
    p = _Pen(size)
    p.ellipse(0.5, 0.52, 0.15, 0.1, angle=-15)  # body
    p.stroke([(0.4, 0.47), (0.33, 0.37)], 0.07)  # neck
    p.disc(*BIRD_CRESTED_SKULL)  # head
    p.polygon([(0.27, 0.3), BIRD_CRESTED_BEAK, (0.27, 0.35)])  # beak
    p.polygon([(0.6, 0.52), (0.8, 0.44), (0.8, 0.52), (0.62, 0.58)])  # tail
    p.stroke([(0.52, 0.44), (0.58, 0.27), (0.7, 0.12)], 0.06)  # wing, raised
    for x in (0.46, 0.54):
        p.stroke([(x, 0.6), (x + 0.02, 0.74), (x - 0.01, 0.87)], 0.025)
        p.stroke([(x - 0.01, 0.87), (x - 0.06, 0.88)], 0.02)
    return p


BIRD_CRESTED_BEAK = (0.18, 0.33)  # where `bird_crested` draws its beak's tip (canvas fractions)
BIRD_CRESTED_SKULL = (0.32, 0.32, 0.06)  # and its skull's disc: centre and radius


def bird_long_beak(size: int = 400) -> Character:
    """A bird from the side, facing left: a long slim beak (a kiwi's, a curlew's) on a round skull set off
    by its neck, a broad tail fan as thick near its end as the skull, a raised wing: the head is the
    necked end, not the fan's (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.52, 0.52, 0.16, 0.1, angle=-15)  # body
    p.stroke([(0.42, 0.47), (0.34, 0.36)], 0.06)  # neck
    p.disc(0.33, 0.31, 0.055)  # head
    p.polygon([(0.29, 0.29), BIRD_LONG_BEAK, (0.29, 0.33)])  # long beak
    p.polygon([(0.62, 0.52), (0.84, 0.42), (0.86, 0.58), (0.64, 0.58)])  # tail fan
    p.stroke([(0.52, 0.44), (0.6, 0.27), (0.72, 0.12)], 0.06)  # wing, raised
    for x in (0.48, 0.56):
        p.stroke([(x, 0.6), (x + 0.02, 0.74), (x - 0.01, 0.87)], 0.025)
        p.stroke([(x - 0.01, 0.87), (x - 0.06, 0.88)], 0.02)
    limbs = {"head": 1, "wing": 1, "leg": 2, "tail": 1}
    return Character("bird_long_beak", p.mask(), "bird", "side", "left", limbs)


BIRD_LONG_BEAK = (0.12, 0.32)  # where `bird_long_beak` draws its beak's tip (canvas fractions)


def bird_tufted(size: int = 400) -> Character:
    """A bird from the side, facing left, a short tuft over its crown (a crest of one short feather,
    no longer than the beak): the beak and the tuft both end near the skull, so the spine stopped at
    the skull's centre as it does under a beast's ears, and the beak hung from it as a limb of its own;
    the head bone runs to the beak's tip (not one of `all_characters`)."""
    p = _crested_bird_body(size)
    p.stroke([(0.33, 0.28), (0.35, 0.22)], 0.025)  # the tuft
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}  # the far wing behind the near one
    return Character("bird_tufted", p.mask(), "bird", "side", "left", limbs)


def stub_foot_side(size: int = 400) -> Character:
    """Side view plush facing left: a big head on a fat body, the two short thick legs drawn as one,
    ending in a stub of a foot pointing left, no longer than the leg is thick (no toe to bend)."""
    p = _Pen(size)
    p.disc(0.5, 0.24, 0.15)  # head
    p.ellipse(0.5, 0.55, 0.14, 0.18)  # body
    p.stroke([(0.5, 0.7), (0.5, 0.9)], 0.11)  # the two legs as one
    p.stroke([(0.5, 0.9), (0.46, 0.91)], 0.08)  # the stub of a foot
    return Character("stub_foot_side", p.mask(), "biped", "side", "left", {"head": 1, "arm": 2, "leg": 2})


def pig_front(size: int = 400) -> Character:
    """A plush pig on all fours from the front: a wide trunk seen end-on (its biggest disc) under a round
    head that overlaps it, ears up, and two short thick front legs set wide at the trunk's bottom (the
    hind legs hidden behind them; not one of `all_characters`). The medial tree forks into the legs under
    the head, well above the trunk's centre."""
    p = _Pen(size)
    p.ellipse(0.5, 0.58, 0.26, 0.2)  # the trunk, end-on
    p.disc(0.5, 0.38, 0.15)  # head
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.08, 0.3), (0.5 + side * 0.16, 0.16)], 0.06)  # ears
        p.stroke([(0.5 + side * 0.15, 0.72), (0.5 + side * 0.15, 0.9)], 0.1)  # front legs
    return Character("pig_front", p.mask(), "quadruped", "front", "viewer",
                     {"front_leg": 2, "hind_leg": 2, "ear": 2})


def pig_front_head_turned(size: int = 400) -> Character:
    """`pig_front` with its head turned to its left (image right): the neck leaves the trunk off its
    centre line, the trunk seen end-on still stands midway between the front legs (not one of
    `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.58, 0.26, 0.2)  # the trunk, end-on
    p.disc(0.55, 0.38, 0.15)  # head, turned aside
    for side in (-1, 1):
        p.stroke([(0.55 + side * 0.08, 0.3), (0.55 + side * 0.16, 0.16)], 0.06)  # ears
        p.stroke([(0.5 + side * 0.15, 0.72), (0.5 + side * 0.15, 0.9)], 0.1)  # front legs
    return Character("pig_front_head_turned", p.mask(), "quadruped", "front", "viewer",
                     {"front_leg": 2, "hind_leg": 2, "ear": 2})


def dog_front_tail_up(size: int = 400) -> Character:
    """A lean dog from the front, its head turned a little to its left (image right) and its thin tail
    raised over its back, rising above its head: a narrow outline, not mirror-symmetric, whose only tip
    above the front legs is the tail's (the head seen end-on inside the outline; not one of
    `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.5, 0.075, 0.1)  # chest, end-on
    p.disc(0.53, 0.37, 0.065)  # head, turned aside
    p.stroke([(0.5, 0.3), (0.5, 0.04)], 0.024)  # the tail, raised behind
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.045, 0.58), (0.5 + side * 0.045, 0.9)], 0.04)  # front leg
    return Character("dog_front_tail_up", p.mask(), "quadruped", "front", "viewer",
                     {"front_leg": 2, "hind_leg": 2, "tail": 1})


def person_front_arm_up(size: int = 400, other: bool = True) -> Character:
    """A lean person from the front reaching straight up with one thin arm, its hand above its head, the
    other arm hanging (`other`; else held behind its back: the raised arm its only one). The raised arm
    rises from a shoulder beside the head, not from the midline as a raised tail does (not one of
    `all_characters`)."""
    p = _Pen(size)
    p.disc(0.5, 0.2, 0.055)  # head
    p.stroke([(0.5, 0.25), (0.5, 0.3)], 0.04)  # neck
    p.ellipse(0.5, 0.42, 0.07, 0.13)  # torso
    p.stroke([(0.56, 0.32), (0.6, 0.2), (0.6, 0.04)], 0.026)  # arm raised straight up
    if other:
        p.stroke([(0.44, 0.32), (0.39, 0.45), (0.38, 0.56)], 0.026)  # arm hanging
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.035, 0.52), (0.5 + side * 0.05, 0.9)], 0.035)  # leg
    name = "person_front_arm_up" if other else "person_front_one_arm_up"
    limbs = {"head": 1, "arm": 2 if other else 1, "leg": 2}
    return Character(name, p.mask(), "biped", "front", "viewer", limbs)


def person_front_one_arm_up(size: int = 400) -> Character:
    """`person_front_arm_up` with its other arm behind its back: no arm but the raised one."""
    return person_front_arm_up(size, other=False)


def deer_front(size: int = 400) -> Character:
    """A lean deer from the front: a round trunk seen end-on on two thin front legs (the hind legs
    hidden behind them), a neck up to a small head, and a pair of thin branching antlers spreading up
    from the head to the figure's top, which an upright reading takes for raised arms (not one of
    `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.55, 0.09, 0.09)  # trunk, end-on
    p.stroke([(0.5, 0.5), (0.5, 0.38)], 0.06)  # neck
    p.ellipse(0.5, 0.33, 0.05, 0.06)  # head
    for side in (-1, 1):
        beam = [(0.5 + side * 0.03, 0.28), (0.5 + side * 0.1, 0.16), (0.5 + side * 0.16, 0.06)]
        p.stroke(beam, 0.016)  # antler
        p.stroke([(0.5 + side * 0.1, 0.16), (0.5 + side * 0.06, 0.05)], 0.014)  # tine
        p.stroke([(0.5 + side * 0.05, 0.6), (0.5 + side * 0.05, 0.92)], 0.035)  # front leg
    limbs = {"front_leg": 2, "hind_leg": 2}
    return Character("deer_front", p.mask(), "quadruped", "front", "viewer", limbs)


def _cheering(name: str, size: int, head: float, torso: float, arm: float, elbow: tuple[float, float],
              hand: tuple[float, float], low: tuple[tuple[float, float], tuple[float, float]] | None = None
              ) -> Character:
    """A person from the front cheering, both arms raised from the shoulders at the torso's top
    corners through (elbow) to (hand), offsets from the midline and heights (the image-left arm through
    `low`'s elbow to its hand where given: a Y pose); a neck under the head (radius `head`), the torso
    `torso` wide, two legs (not one of `all_characters`)."""
    p = _Pen(size)
    p.stroke([(0.5, 0.35), (0.5, 0.57)], torso)
    p.stroke([(0.5, 0.23), (0.5, 0.3)], 0.05)  # neck
    p.disc(0.5, 0.17, head)
    for side in (-1, 1):
        shoulder = (0.5 + side * 0.06, 0.32)
        bend, end = low if low is not None and side < 0 else (elbow, hand)
        p.stroke([shoulder, (0.5 + side * bend[0], bend[1]), (0.5 + side * end[0], end[1])], arm)
        p.stroke([(0.5 + side * 0.04, 0.6), (0.5 + side * 0.07, 0.77), (0.5 + side * 0.08, 0.95)], 0.06)
    return Character(name, p.mask(), "biped", "front", "viewer", {"head": 1, "arm": 2, "leg": 2})


def cheer_arms_up(size: int = 400) -> Character:
    """A big-headed person cheering, both arms straight up beside the head, its hands over the crown."""
    return _cheering("cheer_arms_up", size, 0.1, 0.12, 0.05, (0.1, 0.2), (0.1, 0.03))


def cheer_v_plush(size: int = 400) -> Character:
    """A plush person cheering, thick arms raised in a V from a broad torso past its small head."""
    return _cheering("cheer_v_plush", size, 0.065, 0.2, 0.08, (0.1, 0.2), (0.18, 0.03))


def chibi_cheer(size: int = 400) -> Character:
    """A chibi cheering: elbows raised beside its big head, the hands in a V just over it."""
    return _cheering("chibi_cheer", size, 0.1, 0.2, 0.05, (0.1, 0.2), (0.18, 0.12))


def cheer_y(size: int = 400) -> Character:
    """A big-headed person in a Y pose: one arm raised past the head along its side, the other hanging."""
    low = ((0.14, 0.45), (0.2, 0.58))
    return _cheering("cheer_y", size, 0.1, 0.15, 0.05, (0.1, 0.2), (0.18, 0.03), low=low)


BIRD_RUMP = (0.62, 0.52)  # where the tails of `bird_tail_fan` and `bird_level` leave the body (facing left)


def bird_tail_fan(size: int = 400) -> Character:
    """A bird from the side, facing left, its wings folded on its body and its tail fan raised from the
    rump like a displaying turkey's (a long broad stroke up and back behind the legs): the fan is no
    wing; both wings lie folded over the body (not one of `all_characters`)."""
    p = _bird_body(size)
    p.stroke([(0.62, 0.47), (0.7, 0.3), (0.74, 0.14)], 0.06)  # the tail fan, raised from the rump
    _stick_legs(p, 0.58)
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}  # the wings folded on it (`core.anatomy.tucked`)
    return Character("bird_tail_fan", p.mask(), "bird", "side", "left", limbs)


def bird_level(size: int = 400) -> Character:
    """A bird from the side, facing left, its body, neck and tail held level (a plover running): the
    neck's base no higher than the hips, two stick legs, its wings folded on it (not one of
    `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.5, 0.16, 0.09)  # body, level
    p.stroke([(0.38, 0.48), (0.28, 0.42)], 0.07)  # neck, forward, a little up
    p.disc(0.26, 0.38, 0.06)  # head
    p.polygon([(0.21, 0.36), (0.11, 0.39), (0.21, 0.41)])  # beak
    p.polygon([(0.62, 0.47), (0.84, 0.48), (0.84, 0.53), (0.62, 0.55)])  # tail, level
    _stick_legs(p, 0.57)
    limbs = {"head": 1, "wing": 2, "leg": 2, "tail": 1}  # the wings folded on it (`core.anatomy.tucked`)
    return Character("bird_level", p.mask(), "bird", "side", "left", limbs)


def lizard_front(size: int = 400) -> Character:
    """A sprawled lizard from the front: a wide, flat trunk seen end-on with the head inside its
    outline, each leg running out sideways under it to a knee at the flank and straight down to the
    floor (the hind legs hidden behind the front ones), no tail in sight (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.5, 0.3, 0.07)  # the flat trunk, end-on
    p.ellipse(0.5, 0.56, 0.07, 0.06)  # head, low in front of it
    for side in (-1, 1):
        leg = [(0.5 + side * 0.1, 0.54), (0.5 + side * 0.3, 0.6), (0.5 + side * 0.32, 0.75)]
        p.stroke(leg, 0.045)  # out under the trunk to the knee, down to the floor
    limbs = {"front_leg": 2, "hind_leg": 2}
    return Character("lizard_front", p.mask(), "quadruped", "front", "viewer", limbs)


def lizard_front_tail_up(size: int = 400) -> Character:
    """A sprawled lizard from the front holding its thin tail straight up behind its back, above its
    flat trunk; its legs out to the sides, knees out, feet on the floor; its front and hind foot on
    each side both in sight (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.62, 0.22, 0.06)  # the flat trunk, end-on
    p.stroke([(0.5, 0.6), (0.5, 0.15)], 0.03)  # the tail, raised behind
    for side in (-1, 1):
        front = [(0.5 + side * 0.08, 0.65), (0.5 + side * 0.26, 0.7), (0.5 + side * 0.28, 0.85)]
        p.stroke(front, 0.045)  # front leg
        hind = [(0.5 + side * 0.06, 0.66), (0.5 + side * 0.17, 0.72), (0.5 + side * 0.18, 0.85)]
        p.stroke(hind, 0.04)  # hind leg, inside
    limbs = {"front_leg": 2, "hind_leg": 2, "tail": 1}
    return Character("lizard_front_tail_up", p.mask(), "quadruped", "front", "viewer", limbs)


def dog_front_head_turned(size: int = 400) -> Character:
    """`dog_front` without ears, its head turned to its left (image right), its muzzle to that side: a
    narrow outline that is not mirror-symmetric, no arms, the paws pointing at the viewer (not one of
    `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.42, 0.075, 0.11)  # chest
    p.stroke([(0.5, 0.33), (0.53, 0.25)], 0.07)  # neck
    p.ellipse(0.56, 0.21, 0.08, 0.05, angle=15)  # head, turned aside: the muzzle in the outline
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.045, 0.5), (0.5 + side * 0.045, 0.9)], 0.04)  # front leg
    limbs = {"head": 1, "front_leg": 2, "hind_leg": 2}
    return Character("dog_front_head_turned", p.mask(), "quadruped", "front", "viewer", limbs)


def crocodile_side(size: int = 400) -> Character:
    """A crocodile from the side, facing left: a long, low body from its snout to its tapering tail on
    stubby legs that barely show under it (the tree keeps no branch for them; the far legs behind the
    near ones), its belly clear of the floor between its feet (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.42, 0.5, 0.2, 0.05)  # body
    p.ellipse(0.2, 0.5, 0.07, 0.04)  # head
    p.stroke([(0.2, 0.51), (0.06, 0.52)], 0.035)  # snout
    p.stroke([(0.6, 0.5), (0.8, 0.47), (0.96, 0.42)], 0.04)  # tail
    for x in (0.3, 0.55):
        p.stroke([(x, 0.52), (x - 0.015, 0.55)], 0.05)  # stubby legs
    limbs = {"head": 1, "front_leg": 2, "hind_leg": 2, "tail": 1}
    return Character("crocodile_side", p.mask(), "quadruped", "side", "left", limbs)


def lizard_top(size: int = 400) -> Character:
    """A sprawled lizard seen from above, its head up the picture: a long body on the image's vertical,
    a front and a hind pair of legs out to the sides, bent at the elbows and knees, a long tail running
    on past the hind legs (not one of `all_characters`)."""
    p = _Pen(size)
    p.ellipse(0.5, 0.45, 0.05, 0.15)  # trunk
    p.ellipse(0.5, 0.26, 0.04, 0.06)  # head
    p.stroke([(0.5, 0.58), (0.5, 0.75), (0.52, 0.92)], 0.03)  # tail
    for side in (-1, 1):
        for y, dy in ((0.36, -0.06), (0.55, 0.06)):
            leg = [(0.5 + side * 0.04, y), (0.5 + side * 0.14, y), (0.5 + side * 0.17, y + dy)]
            p.stroke(leg, 0.03)  # out to the elbow or knee, then forward or back to the foot
    limbs = {"head": 1, "front_leg": 2, "hind_leg": 2, "tail": 1}
    return Character("lizard_top", p.mask(), "quadruped", "top", "viewer", limbs)
