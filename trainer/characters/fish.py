"""Fish: a spine bending sideways, tail fin lobes, a dorsal and two pectoral fins, and their blades.

Drawn by the `snake` template (`trainer.characters.serpents`) for three in ten of its characters.
`dress` adds a caudal fin spanning the two tail-fin bones, pelvic, anal and second dorsal fins, a
big jaw.
"""
from __future__ import annotations

import numpy as np

from ..bodies import Body, unit
from ..bodies import curve as _curve
from ..parts import (
    blade,
)
from .common import (
    BACK,
    DOWN,
    FWD,
    LEFT,
    SIDES,
    UP,
    at,
    draw,
    ids,
    prefixed,
)


def fish(rng: np.random.Generator, style: np.random.Generator | None) -> Body:
    b = Body()
    length = draw(rng, 0.8, 1.2)
    height = length * draw(rng, 0.12, 0.3)
    count = int(rng.integers(4, 8))
    bend = draw(rng, -25, 25)
    root_pos = np.array([0.0, 0.5, length * 0.15])
    root = b.joint("root", -1, root_pos)
    b.limb("head", root, root_pos + FWD * length * 0.3, height * 0.5, height * 0.25, normal=LEFT, flatten=0.6)
    pts = _curve(root_pos, BACK, np.full(count, length * 0.6 / count), LEFT, np.full(count, bend / count))
    radii = height * np.interp(np.linspace(0, 1, count + 1), [0, 0.4, 1], [0.5, 0.42, 0.08])
    spine = b.chain([f"spine_{k + 1:02d}" for k in range(count - 1)] + ["tail_base"], root, pts, radii,
                    normal=LEFT, flatten=0.55)
    tail = b.positions[spine[-1]]
    back = unit(tail - b.positions[spine[-2]])
    fin = height * draw(rng, 0.6, 1.2)
    for name, d in (("tail_fin_upper", UP), ("tail_fin_lower", DOWN)):
        tip = tail + unit(back + d * draw(rng, 0.8, 1.4)) * fin
        b.limb(name, spine[-1], tip, height * 0.08, height * 0.15, normal=LEFT, flatten=0.2)
    dorsal = spine[len(spine) // 3]
    top = b.positions[dorsal] + UP * radii[len(spine) // 3]
    fin_base = b.limb("dorsal_fin", dorsal, top, height * 0.12, height * 0.15, normal=LEFT, flatten=0.25)
    b.limb("dorsal_fin_tip", fin_base, top + unit(UP + BACK * 0.8) * height * draw(rng, 0.3, 0.7),
           height * 0.15, height * 0.04, normal=LEFT, flatten=0.25)
    for side, s in SIDES:
        base = root_pos + LEFT * s * height * 0.25 - UP * height * 0.2
        pec = b.limb(f"pectoral_fin{side}", root, base, height * 0.08, height * 0.1, normal=UP, flatten=0.25)
        tip = base + unit(LEFT * s + BACK * 0.6 + DOWN * draw(rng, 0, 1)) * fin * 0.7
        b.limb(f"pectoral_fin_tip{side}", pec, tip, height * 0.12, height * 0.04, normal=UP, flatten=0.2)
    if style is not None:
        dress(b, style, height=height, radii=radii)
    return b


def dress(b: Body, rng: np.random.Generator, *, height: float, radii: np.ndarray) -> None:
    """A caudal fin spanning the two tail-fin bones, pelvic, anal and second dorsal fins, a big jaw."""
    spine = prefixed(b, "spine_") + ids(b, "tail_base")
    points = np.array(b.positions)[list(spine)]
    tail, upper, lower = at(b, "tail_base"), at(b, "tail_fin_upper"), at(b, "tail_fin_lower")
    if rng.random() < 0.7:
        tips = (upper + lower) / 2
        blade(b, ids(b, "tail_base"), tail, tips + (tips - tail) * draw(rng, -0.1, 0.2), height * 0.25,
              float(np.linalg.norm(upper - lower)) * draw(rng, 0.7, 1.0), LEFT, thickness=0.06)
    if rng.random() < 0.5:
        for side, s in SIDES:
            base = points[0] - UP * radii[1] * 0.8 + LEFT * s * height * 0.12
            tip = base + unit(DOWN + BACK * 0.9 + LEFT * s * 0.3) * height * draw(rng, 0.3, 0.5)
            blade(b, spine[:2], base, tip, height * 0.3, height * 0.08, unit(LEFT * s + UP * 0.3),
                  thickness=0.15)
    k = (2 * len(spine)) // 3
    if rng.random() < 0.5:  # an anal fin under the tail
        base = points[k] - UP * radii[k + 1] * 0.8
        blade(b, spine[k - 1:k + 1], base, base + unit(DOWN + BACK * 0.8) * height * draw(rng, 0.3, 0.55),
              height * 0.4, height * 0.1, LEFT, thickness=0.12)
    if rng.random() < 0.3:  # a second dorsal fin
        base = points[k] + UP * radii[k + 1] * 0.8
        blade(b, spine[k - 1:k + 1], base, base + unit(UP + BACK * 0.8) * height * draw(rng, 0.25, 0.45),
              height * 0.35, height * 0.08, LEFT, thickness=0.12)
    if rng.random() < 0.3:  # a big head and jaw
        head = at(b, "head")
        root = at(b, "root")
        b.ellipsoid(ids(b, "root"), (root + head) / 2 - UP * height * 0.08,
                    (float(np.linalg.norm(head - root)) * 0.6, height * draw(rng, 0.45, 0.6), height * 0.55),
                    axis=head - root, normal=LEFT)
