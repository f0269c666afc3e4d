"""Many-legged figures: spiders, insects, centipedes and octopuses, and their armour.

`many_legs` draws one of the four kinds; `dress` adds eyes, mandibles or fangs, wing pairs and wing
cases, fat abdomens, an octopus's web and mantle, a centipede's tail feelers.
"""
from __future__ import annotations

import numpy as np

from ..bodies import Body, rotation, unit
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
)


def many_legs(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Spiders, insects, centipedes and octopuses."""
    kind = str(rng.choice(["spider", "insect", "centipede", "octopus"]))
    b, size = {"spider": _spider, "insect": _insect, "centipede": _centipede, "octopus": _octopus}[kind](rng)
    if style is not None:
        dress(b, style, kind, size)
    return b


def _arched_leg(b: Body, rng: np.random.Generator, parent: int, base: np.ndarray, azimuth: float,
                reach: float, radius: float, names: list[str]) -> None:
    """A leg rising from `base` to a knee, then down to the ground at `azimuth` degrees from +Z."""
    out = rotation(UP, azimuth) @ FWD
    knee = base + out * reach * draw(rng, 0.3, 0.45) + UP * reach * draw(rng, 0.2, 0.5)
    tip = base + out * reach * draw(rng, 0.8, 1.1)
    tip[1] = 0.0
    mid = knee + (tip - knee) * 0.45 + out * reach * 0.1
    b.chain(names, parent, np.array([knee, mid, tip]), radius * np.linspace(1.0, 0.45, 4))


def _spider(rng: np.random.Generator) -> tuple[Body, float]:
    b = Body()
    r = draw(rng, 0.08, 0.13)
    root_pos = np.array([0.0, r * 1.6, 0.0])
    root = b.joint("root", -1, root_pos)
    b.ellipsoid(root, root_pos, (r * 1.1, r, r * 0.7), axis=FWD, normal=UP)
    abdomen_r = r * draw(rng, 1.2, 1.9)
    abdomen = b.limb("abdomen", root, root_pos + BACK * r * 1.3 + UP * r * 0.2, r * 0.4, r * 0.4)
    end = b.positions[abdomen] + unit(BACK + UP * draw(rng, 0, 0.5)) * abdomen_r
    b.ellipsoid(abdomen, (b.positions[abdomen] + end) / 2, abdomen_r * np.array([0.95, 0.85, 0.75]),
                axis=unit(end - b.positions[abdomen]), normal=UP)
    b.joint("abdomen_end", abdomen, end)
    reach = r * draw(rng, 3.0, 5.0)
    for side, s in SIDES:
        for k, azimuth in enumerate((35, 70, 110, 150)):
            a = s * (azimuth + draw(rng, -10, 10))
            base = root_pos + rotation(UP, a) @ FWD * r * 0.6
            _arched_leg(b, rng, root, base, a, reach * (0.85 if k == 2 else 1.0), r * 0.16,
                        [f"leg_{k + 1}_{n}{side}" for n in ("knee", "ankle", "tip")])
        base = root_pos + FWD * r * 0.9 + LEFT * s * r * 0.3
        palp = unit(FWD + LEFT * s * 0.3 + DOWN * 0.3)
        pts = _curve(base, palp, np.full(2, r * 0.5), DOWN, np.array([0, 30]))
        b.chain([f"palp{side}", f"palp_tip{side}"], root, pts, r * np.array([0.15, 0.15, 0.08]))
    return b, r


def _insect(rng: np.random.Generator) -> tuple[Body, float]:
    b = Body()
    r = draw(rng, 0.05, 0.08)
    root_pos = np.array([0.0, r * draw(rng, 2.0, 3.5), 0.0])
    root = b.joint("root", -1, root_pos)
    b.ellipsoid(root, root_pos, (r * 1.3, r, r * 0.8), axis=FWD, normal=UP)
    head = b.limb("head", root, root_pos + FWD * r * 1.7, r * 0.4, r * 0.5)
    head_pos = b.positions[head]
    b.ellipsoid(head, head_pos, (r * 0.75, r * 0.7, r * 0.65), axis=FWD, normal=UP)
    abdomen = b.limb("abdomen", root, root_pos + BACK * r * 1.5, r * 0.5, r * 0.6)
    ab_len = r * draw(rng, 2.0, 3.5)
    end = b.positions[abdomen] + unit(BACK + DOWN * draw(rng, 0, 0.4)) * ab_len
    b.ellipsoid(abdomen, (b.positions[abdomen] + end) / 2, (ab_len * 0.55, r * draw(rng, 0.8, 1.3), r * 0.9),
                axis=unit(end - b.positions[abdomen]), normal=UP)
    b.joint("abdomen_end", abdomen, (b.positions[abdomen] + end * 2) / 3)
    reach = r * draw(rng, 3.5, 5.5)
    wings = rng.random() < 0.4
    for side, s in SIDES:
        for k, (name, azimuth) in enumerate((("front", 40), ("middle", 90), ("hind", 135))):
            a = s * (azimuth + draw(rng, -10, 10))
            base = root_pos + rotation(UP, a) @ FWD * r * 0.6 + FWD * r * (0.5 - 0.5 * k)
            names = [f"{name}_leg_{n}{side}" for n in ("knee", "ankle", "tip")]
            _arched_leg(b, rng, root, base, a, reach, r * 0.18, names)
        base = head_pos + FWD * r * 0.5 + LEFT * s * r * 0.25 + UP * r * 0.3
        pts = _curve(base, unit(FWD + UP * 0.8 + LEFT * s * 0.5), np.full(2, r * draw(rng, 1.0, 2.0)),
                     LEFT * s, np.r_[0, draw(rng, 0, 40)])
        b.chain([f"antenna{side}", f"antenna_tip{side}"], head, pts, r * np.array([0.12, 0.12, 0.08]))
        if wings:
            wing = b.joint(f"wing{side}", root, root_pos + UP * r * 0.6 + LEFT * s * r * 0.3)
            out = unit(BACK + LEFT * s * draw(rng, 0.3, 1.5) + UP * draw(rng, 0, 1))
            tip = b.positions[wing] + out * r * 3.5
            b.capsule(wing, b.positions[wing], tip, r * 0.4, r * 0.9, mid_radius=r * 1.1, normal=UP,
                      flatten=0.1)
            b.joint(f"wing_tip{side}", wing, tip)
    return b, r


def _centipede(rng: np.random.Generator) -> tuple[Body, float]:
    b = Body()
    count = int(rng.integers(6, 11))
    r = draw(rng, 0.035, 0.05)
    seg = r * draw(rng, 1.6, 2.2)
    wiggle = draw(rng, -12, 12)
    pts = _curve(np.array([0.0, r * 2, seg * count / 2]), BACK, np.full(count - 1, seg), LEFT,
                 np.r_[0.0, np.full(count - 2, wiggle)] + rng.normal(0, 6, count - 1))
    root = b.joint("root", -1, (0.0, r * 2, seg * count / 2))
    segments = [root] + b.chain([f"segment_{k + 2:02d}" for k in range(count - 1)], root, pts,
                                np.full(count, r), normal=UP, flatten=0.7)
    head = b.limb("head", root, b.positions[root] + FWD * seg * 0.8, r, r * 0.9, normal=UP, flatten=0.7)
    reach = r * draw(rng, 2.5, 4.0)
    for side, s in SIDES:
        pts = _curve(b.positions[head] + LEFT * s * r * 0.3, unit(FWD + LEFT * s * 0.5 + UP * 0.3),
                     np.full(2, r * 2), LEFT * s, np.array([0, 25]))
        b.chain([f"antenna{side}", f"antenna_tip{side}"], head, pts, r * np.array([0.3, 0.3, 0.2]))
        for k, joint in enumerate(segments):
            out = LEFT * s
            knee = b.positions[joint] + out * reach * 0.5 + UP * reach * 0.2
            tip = b.positions[joint] + out * reach + BACK * r * 0.5
            tip[1] = 0.0
            names = [f"leg_{k + 1:02d}_knee{side}", f"leg_{k + 1:02d}_tip{side}"]
            b.chain(names, joint, np.array([knee, tip]), r * np.array([0.3, 0.3, 0.15]))
    return b, r


def _octopus(rng: np.random.Generator) -> tuple[Body, float]:
    b = Body()
    r = draw(rng, 0.1, 0.16)
    root_pos = np.array([0.0, r * 1.2, 0.0])
    root = b.joint("root", -1, root_pos)
    mantle_dir = unit(UP + BACK * draw(rng, 0, 0.8))
    mantle = b.limb("mantle", root, root_pos + mantle_dir * r * 0.9, r * 0.5, r * 0.5)
    b.ellipsoid(mantle, root_pos + mantle_dir * r * 0.9, (r * 1.6, r, r * 0.95), axis=mantle_dir, normal=FWD)
    b.joint("mantle_end", mantle, root_pos + mantle_dir * r * 2.1)
    arms = int(rng.choice([5, 6, 8]))
    reach = r * draw(rng, 2.5, 4.5)
    for k in range(arms):
        azimuth = 360.0 * (k + 0.5) / arms + draw(rng, -10, 10)
        out = rotation(UP, azimuth) @ FWD
        curl = draw(rng, -40, 50)
        pts = _curve(root_pos + out * r * 0.5, unit(out + DOWN * draw(rng, 0, 1.0)), np.full(4, reach / 4),
                     UP if curl > 0 else DOWN, np.r_[0.0, np.full(3, abs(curl))])
        b.chain([f"arm_{k + 1}_{j + 1}" for j in range(4)], root, pts, r * np.linspace(0.35, 0.08, 5))
    return b, r


def dress(b: Body, rng: np.random.Generator, kind: str, scale: float) -> None:
    """Insects' eyes, mandibles, wing pairs and wing cases; spiders' fangs and fat abdomens; an
    octopus's web and mantle; a centipede's jaws and tail feelers. `scale`: the body's radius."""
    root = at(b, "root")
    if kind in ("insect", "spider", "centipede") and rng.random() < 0.45:  # mandibles or fangs
        head = at(b, "head") if "head" in b.names else root
        owner = ids(b, "head") or ids(b, "root")
        for _, s in SIDES:
            base = head + FWD * scale * 0.35 + LEFT * s * scale * 0.15 - UP * scale * 0.1
            tip = base + unit(FWD + LEFT * s * 0.4 - UP * 0.3) * scale * draw(rng, 0.3, 0.5)
            b.capsule(owner, base, tip, scale * 0.08, scale * 0.03)
    if kind == "insect":
        head = at(b, "head")
        if rng.random() < 0.5:  # compound eyes
            for _, s in SIDES:
                b.ellipsoid(ids(b, "head"),
                            head + LEFT * s * scale * 0.3 + UP * scale * 0.1 + FWD * scale * 0.1,
                            (scale * 0.22, scale * 0.22, scale * 0.2))
        end = at(b, "abdomen_end")
        abdomen = at(b, "abdomen")
        if "wing.L" in b.names and rng.random() < 0.5:  # hind wings
            for side, s in SIDES:
                start = at(b, f"wing{side}") + BACK * scale * 0.3
                tip = start + unit(BACK + LEFT * s * draw(rng, 0.5, 1.5)) * scale * draw(rng, 1.2, 2.0)
                blade(b, ids(b, f"wing{side}", "root"), start, tip, scale * 0.3, scale * 0.9, UP,
                      thickness=0.06)
        elif "wing.L" not in b.names and rng.random() < 0.5:  # wing cases over the abdomen
            for _, s in SIDES:
                b.ellipsoid(ids(b, "root", "abdomen"),
                            (abdomen + end) / 2 + UP * scale * 0.35 + LEFT * s * scale * 0.3,
                            (float(np.linalg.norm(end - abdomen)) * 0.6, scale * 0.4, scale * 0.3),
                            axis=end - abdomen, normal=UP)
    elif kind == "spider" and rng.random() < 0.4:  # a fat abdomen
        end, abdomen = at(b, "abdomen_end"), at(b, "abdomen")
        b.ellipsoid(ids(b, "abdomen"), (abdomen + end) / 2, (float(np.linalg.norm(end - abdomen)) * 0.65,
                    scale * draw(rng, 1.2, 1.6), scale * 1.1), axis=end - abdomen, normal=UP)
    elif kind == "octopus":
        arms = tuple(k for k, n in enumerate(b.names) if n.startswith("arm_") and n.endswith(("_1", "_2")))
        if rng.random() < 0.5:  # the web between the arms
            reach = max(float(np.linalg.norm(b.positions[k] - root)) for k in arms)
            semi = (scale * 0.25, reach * draw(rng, 0.5, 0.8), reach * draw(rng, 0.5, 0.8))
            b.ellipsoid(ids(b, "root") + arms, root - UP * scale * 0.3, semi, axis=UP, normal=FWD)
        if rng.random() < 0.35:
            top = at(b, "mantle_end")
            b.ellipsoid(ids(b, "mantle"), (root + top * 2) / 3, (float(np.linalg.norm(top - root)) * 0.6,
                        scale * draw(rng, 1.2, 1.6), scale * 1.2), axis=top - root, normal=FWD)
    elif kind == "centipede" and rng.random() < 0.3:  # feelers at the tail
        last = max((k for k, n in enumerate(b.names) if n.startswith("segment_")), default=0)
        p = b.positions[last]
        for _, s in SIDES:
            b.capsule(ids(b, "root", *[n for n in b.names if n.startswith("segment_")]), p,
                      p + unit(BACK + LEFT * s * 0.5) * scale * 2.5, scale * 0.15, scale * 0.06)
