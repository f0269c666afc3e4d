#!/usr/bin/env python3
"""Draw the bundled demo input: a cartoon fox, front view, on a transparent background.

A good rigging demo needs clearly separated limbs: the arms hang out at about 30° from the body,
the legs stand apart, the tail sweeps out sideways from the hip. Every part is outlined and
cel-shaded (light from the upper left) so it reads as a drawing, and everything is drawn at 4× and
downsampled for antialiased edges.

    python scripts/make_sample.py [output.png]
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

WIDTH, HEIGHT = 768, 1024
SS = 4  # supersampling factor
OUTLINE_W = 5.0  # outline width, final pixels
SHADE = (9.0, 11.0)  # cel-shadow offset (x, y), final pixels
DEFAULT_OUT = (
    Path(__file__).resolve().parent.parent / "pointskel_blender" / "samples" / "sample_character.png"
)

INK = (58, 32, 24, 255)
FUR = ((236, 122, 44), (204, 92, 34))  # (lit, shadow)
CREAM = ((252, 240, 220), (226, 206, 182))
SOCK = ((86, 50, 36), (64, 36, 28))
EAR = ((250, 196, 170), (228, 168, 146))
BLUSH = (246, 160, 140, 255)

Point = tuple[float, float]
Shape = Callable[[ImageDraw.ImageDraw, float], None]  # draws the shape grown by `grow` final px


def _s(p: Point) -> tuple[float, float]:
    return p[0] * SS, p[1] * SS


def ellipse(centre: Point, rx: float, ry: float) -> Shape:
    def draw(d: ImageDraw.ImageDraw, grow: float) -> None:
        (x, y), a, b = _s(centre), (rx + grow) * SS, (ry + grow) * SS
        d.ellipse([x - a, y - b, x + a, y + b], fill=255)

    return draw


def polygon(points: Sequence[Point]) -> Shape:
    def draw(d: ImageDraw.ImageDraw, grow: float) -> None:
        pts = [_s(p) for p in points]
        d.polygon(pts, fill=255)
        if grow > 0:
            d.line(pts + [pts[0]], fill=255, width=int(2 * grow * SS), joint="curve")
            for x, y in pts:
                r = grow * SS
                d.ellipse([x - r, y - r, x + r, y + r], fill=255)

    return draw


def stroke(points: Sequence[Point], radii: Sequence[float]) -> Shape:
    """A limb: a tube along `points` whose radius varies linearly from knot to knot, round ends."""

    def draw(d: ImageDraw.ImageDraw, grow: float) -> None:
        knots = list(zip(points, radii, strict=True))
        for (p, rp), (q, rq) in zip(knots, knots[1:], strict=False):
            (px, py), (qx, qy) = _s(p), _s(q)
            a, b = (rp + grow) * SS, (rq + grow) * SS
            length = math.hypot(qx - px, qy - py)
            nx, ny = -(qy - py) / length, (qx - px) / length
            d.polygon(
                [
                    (px + nx * a, py + ny * a),
                    (qx + nx * b, qy + ny * b),
                    (qx - nx * b, qy - ny * b),
                    (px - nx * a, py - ny * a),
                ],
                fill=255,
            )
        for p, r in knots:
            (x, y), rr = _s(p), (r + grow) * SS
            d.ellipse([x - rr, y - rr, x + rr, y + rr], fill=255)

    return draw


def union(*shapes: Shape) -> Shape:
    def draw(d: ImageDraw.ImageDraw, grow: float) -> None:
        for shape in shapes:
            shape(d, grow)

    return draw


def mirror(points: Sequence[Point]) -> list[Point]:
    return [(WIDTH - x, y) for x, y in points]


class Canvas:
    def __init__(self) -> None:
        self.size = (WIDTH * SS, HEIGHT * SS)
        self.image = Image.new("RGBA", self.size, (0, 0, 0, 0))

    def mask(self, shape: Shape, grow: float = 0.0) -> Image.Image:
        m = Image.new("L", self.size, 0)
        shape(ImageDraw.Draw(m), grow)
        return m

    def part(
        self,
        shape: Shape,
        colours: tuple[tuple[int, int, int], tuple[int, int, int]],
        clip: Image.Image | None = None,
        outline: bool = True,
    ) -> Image.Image:
        """Outline, flat fill, and a shadow crescent on the side away from the light."""
        inner = self.mask(shape)
        if clip is not None:
            inner = ImageChops.multiply(inner, clip)
        if outline:
            ring = self.mask(shape, OUTLINE_W)
            if clip is not None:
                ring = ImageChops.multiply(ring, clip)
            self.image.paste(INK, mask=ring)
        lit, shadow = colours
        self.image.paste(lit + (255,), mask=inner)
        moved = ImageChops.offset(inner, -int(SHADE[0] * SS), -int(SHADE[1] * SS))
        self.image.paste(shadow + (255,), mask=ImageChops.subtract(inner, moved))
        return inner

    def flat(self, shape: Shape, colour: tuple[int, int, int, int], clip: Image.Image | None = None) -> None:
        m = self.mask(shape)
        self.image.paste(colour, mask=m if clip is None else ImageChops.multiply(m, clip))

    def line(self, points: Sequence[Point], width: float, colour=INK) -> None:
        d = ImageDraw.Draw(self.image)
        d.line([_s(p) for p in points], fill=colour, width=int(width * SS), joint="curve")
        for p in (points[0], points[-1]):
            (x, y), r = _s(p), width * SS / 2
            d.ellipse([x - r, y - r, x + r, y + r], fill=colour)

    def result(self) -> Image.Image:
        return self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def draw_fox() -> Image.Image:
    c = Canvas()
    cx = WIDTH / 2

    # Tail first: it sits behind the hip and sweeps out to the character's left (image right).
    tail_line = [(452, 606), (530, 640), (612, 652), (680, 628), (722, 578)]
    tail = stroke(tail_line, [24, 44, 50, 40, 14])
    tail_mask = c.part(tail, FUR)
    tip = c.mask(stroke([(668, 636), (722, 578)], [46, 14]))
    c.part(
        stroke([(668, 636), (722, 578)], [52, 20]),
        CREAM,
        clip=ImageChops.multiply(tip, tail_mask),
        outline=False,
    )

    # Legs and boots, then feet.
    for side in (1, -1):
        hip, knee, ankle = (cx - side * 52, 636), (cx - side * 84, 770), (cx - side * 108, 868)
        c.part(stroke([hip, knee, ankle], [45, 39, 36]), FUR)
        c.part(stroke([(cx - side * 90, 796), ankle], [39, 37]), SOCK)
        c.part(ellipse((cx - side * 122, 896), 60, 30), SOCK)

    # Arms (behind the torso at the shoulder), dark paws with a thumb.
    for side in (1, -1):
        shoulder, elbow, wrist = (cx - side * 84, 424), (cx - side * 160, 466), (cx - side * 228, 506)
        c.part(stroke([shoulder, elbow, wrist], [34, 29, 26]), FUR)
        c.part(stroke([(cx - side * 200, 490), wrist], [28, 27]), SOCK)
        c.part(ellipse((cx - side * 242, 514), 33, 31), SOCK)
        c.part(ellipse((cx - side * 222, 488), 13, 12), SOCK)

    # Torso with a cream belly and chest fluff.
    torso = c.part(ellipse((cx, 510), 106, 158), FUR)
    belly = union(
        ellipse((cx, 552), 66, 100),
        ellipse((cx - 34, 462), 24, 22),
        ellipse((cx, 448), 26, 24),
        ellipse((cx + 34, 462), 24, 22),
    )
    c.part(belly, CREAM, clip=torso, outline=False)

    # Ears behind the head.
    for side in (1, -1):
        outer = [(cx - side * 88, 176), (cx - side * 118, 46), (cx - side * 18, 140)]
        inner = [(cx - side * 82, 160), (cx - side * 106, 76), (cx - side * 40, 140)]
        c.part(polygon(outer), FUR)
        c.part(polygon(inner), EAR, outline=False)

    # Head: round crown with fluffy cheeks, cream muzzle, face.
    head_shape = union(
        ellipse((cx, 246), 118, 108),
        polygon(
            [
                (cx - 112, 222),
                (cx - 148, 318),
                (cx - 60, 334),
                (cx, 362),
                (cx + 60, 334),
                (cx + 148, 318),
                (cx + 112, 222),
            ]
        ),
    )
    head = c.part(head_shape, FUR)
    muzzle = union(
        ellipse((cx - 46, 306), 62, 46),
        ellipse((cx + 46, 306), 62, 46),
        polygon([(cx - 150, 318), (cx - 60, 260), (cx + 60, 260), (cx + 150, 318), (cx, 364)]),
    )
    c.part(muzzle, CREAM, clip=head, outline=False)
    for side in (1, -1):
        c.flat(ellipse((cx - side * 82, 304), 18, 10), BLUSH)
        c.flat(ellipse((cx - side * 46, 236), 17, 24), INK)
        c.flat(ellipse((cx - side * 46 - 5, 227), 6, 7), (255, 255, 255, 255))
        c.line([(cx - side * 64, 200), (cx - side * 50, 193), (cx - side * 32, 195)], 5)  # friendly brows
    c.flat(ellipse((cx, 290), 22, 15), INK)
    c.flat(ellipse((cx - 6, 285), 7, 4), (255, 255, 255, 200))
    c.line([(cx, 304), (cx, 318)], 4)
    c.line([(cx - 26, 316), (cx - 12, 326), (cx, 318), (cx + 12, 326), (cx + 26, 316)], 4)
    return c.result()


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    draw_fox().save(out, optimize=True)
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
