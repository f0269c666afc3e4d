"""Articulated objects: desk lamps and chairs or stools, with their shades and cushions.

`object_like` draws either; `dress_lamp` adds a shade and a heavier base, `dress_chair` seat
cushions, an upholstered backrest, a skirt and arm panels.
"""
from __future__ import annotations

import numpy as np

from ..bodies import Body, rotation, unit
from ..bodies import bend as _bend
from ..parts import (
    frustum,
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
    pick,
)


def object_like(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Articulated objects: desk lamps and chairs/stools."""
    lamp = rng.random() < 0.5
    b = _lamp(rng) if lamp else _chair(rng)
    if style is not None:
        (dress_lamp if lamp else dress_chair)(b, style)
    return b


def _lamp(rng: np.random.Generator) -> Body:
    b = Body()
    base_r = draw(rng, 0.1, 0.16)
    root = b.joint("root", -1, (0.0, 0.02, 0.0))
    b.ellipsoid(root, (0.0, 0.02, 0.0), (0.025, base_r, base_r), axis=UP, normal=FWD,
                square=draw(rng, 0.2, 0.5))
    r_arm = draw(rng, 0.012, 0.02)
    square = draw(rng, 0.4, 1.0)
    plane = rotation(UP, 0.0 if rng.random() < 0.5 else draw(rng, 0, 360))  # the arm's plane: often facing us
    tilt = draw(rng, -50, 50)
    lower = plane @ unit(UP + LEFT * np.tan(np.radians(tilt)))
    p1 = np.array([0.0, 0.06, 0.0])
    base = b.limb("arm_base", root, p1, r_arm * 1.5, r_arm * 1.5, square=square)
    p2 = p1 + lower * draw(rng, 0.3, 0.45)
    elbow = b.limb("elbow", base, p2, r_arm, r_arm, square=square)
    upper = _bend(lower, plane @ (LEFT * np.sign(tilt)), draw(rng, 40, 130))
    p3 = p2 + upper * draw(rng, 0.25, 0.4)
    head = b.limb("head", elbow, p3, r_arm, r_arm, square=square)
    shade_dir = _bend(upper, DOWN, draw(rng, 20, 90))
    shade_len = draw(rng, 0.08, 0.15)
    mouth = shade_len * draw(rng, 0.6, 1.0)
    b.limb("shade_end", head, p3 + shade_dir * shade_len, r_arm * 1.5, mouth,
           caps=(r_arm * 1.5, mouth * 0.25), square=draw(rng, 0.6, 1.0))
    return b


def _chair(rng: np.random.Generator) -> Body:
    b = Body()
    seat_h, w, d = draw(rng, 0.35, 0.5), draw(rng, 0.18, 0.25), draw(rng, 0.18, 0.25)
    thick = draw(rng, 0.02, 0.035)
    square = draw(rng, 0.15, 0.4)
    root = b.joint("root", -1, (0.0, seat_h, 0.0))
    b.ellipsoid(root, (0.0, seat_h, 0.0), (thick, w * 1.1, d * 1.1), axis=UP, normal=FWD, square=square)
    r_leg = draw(rng, 0.012, 0.022)
    splay = draw(rng, 0, 0.25)
    stool = rng.random() < 0.25
    corners = ([(np.cos(a) * w * 0.8, np.sin(a) * d * 0.8) for a in np.radians([90, 210, 330])] if stool else
               [(x * w * 0.85, z * d * 0.85) for z in (1, -1) for x in (1, -1)])
    names = ([("leg_1", ""), ("leg_2", ""), ("leg_3", "")] if stool else
             [("front_leg", ".L"), ("front_leg", ".R"), ("back_leg", ".L"), ("back_leg", ".R")])
    for (stem, side), (x, z) in zip(names, corners):
        top = np.array([x, seat_h - thick * 0.5, z])
        leg_top = b.limb(f"{stem}_top{side}", root, top, r_leg, r_leg, square=square)
        foot = np.array([x * (1 + splay), 0.0, z * (1 + splay)])
        b.limb(f"{stem}_foot{side}", leg_top, foot, r_leg, r_leg * draw(rng, 0.6, 1.0), square=square)
    if not stool:
        back = b.limb("back_base", root, (0.0, seat_h + thick, -d * 0.95), thick, thick, square=square)
        tilt = unit(UP + BACK * draw(rng, 0, 0.35))
        top = b.positions[back] + tilt * draw(rng, 0.3, 0.5)
        b.limb("back_top", back, top, w * 0.9, w * 0.9, normal=FWD, flatten=thick / w, square=square,
               caps=(thick, thick))
        if rng.random() < 0.35:
            for side, s in SIDES:
                post = b.limb(f"armrest_post{side}", root, (s * w, seat_h + 0.15, -d * 0.7), r_leg, r_leg,
                              square=square)
                b.limb(f"armrest{side}", post, (s * w, seat_h + 0.15, d * 0.8), r_leg * 1.3, r_leg * 1.3,
                       square=square)
    return b


def dress_lamp(b: Body, rng: np.random.Generator) -> None:
    """A shade (cone, bell, dome or drum) reaching well past the arm's last joint; a heavier base."""
    head, end = at(b, "head"), at(b, "shade_end")
    d = unit(end - head)
    length = float(np.linalg.norm(end - head))
    arm = float(np.linalg.norm(at(b, "elbow") - at(b, "head")))
    if rng.random() < 0.85:
        kind = pick(rng, {"cone": 0.35, "bell": 0.25, "dome": 0.25, "drum": 0.15})
        mouth = length * draw(rng, 0.5, 0.9) * (1.3 if kind == "dome" else 1.0)
        top = {"drum": mouth * 0.85, "dome": mouth * 0.15}.get(kind, mouth * draw(rng, 0.2, 0.4))
        frustum(b, ids(b, "head"), head - d * length * 0.1, head + d * length * draw(rng, 1.3, 1.9), top,
                mouth,
                bell={"bell": 0.8, "dome": 1.4}.get(kind, 1.0), round_start=0.6 if kind == "dome" else 0.2)
    if rng.random() < 0.4:
        root = at(b, "root")
        b.ellipsoid(ids(b, "root"), root,
                    (arm * 0.08, arm * draw(rng, 0.45, 0.7), arm * draw(rng, 0.45, 0.7)),
                    axis=UP, normal=FWD, square=draw(rng, 0.3, 1.0))


def dress_chair(b: Body, rng: np.random.Generator) -> None:
    """Seat cushions, an upholstered backrest taller than its bone, a skirt hiding the legs' tops,
    arm panels; a round cushion on a stool."""
    root = at(b, "root")
    seat_h = root[1]
    stool = "leg_1_top" in b.names
    tops = [n for n in b.names if n.endswith(("_top", "_top.L", "_top.R")) and "leg" in n]
    w = max(abs(at(b, n)[0]) for n in tops) / 0.8
    d = max(abs(at(b, n)[2]) for n in tops) / 0.8
    thick = seat_h * 0.06
    if rng.random() < (0.7 if stool else 0.55):
        b.ellipsoid(ids(b, "root"), root + UP * thick * 1.5,
                    (thick * draw(rng, 1.2, 2.5), w * 1.05, d * 1.05),
                    axis=UP, normal=FWD, square=0.8 if stool else draw(rng, 0.3, 0.6))
    if not stool and rng.random() < 0.5:
        base, top = at(b, "back_base"), at(b, "back_top")
        up = unit(top - base)
        past = top + up * float(np.linalg.norm(top - base)) * draw(rng, 0.1, 0.35)  # taller than the bone
        b.capsule(ids(b, "back_base"), base, past,
                  w * draw(rng, 0.95, 1.15), w * draw(rng, 0.9, 1.15), caps=(thick, thick), normal=FWD,
                  flatten=thick * draw(rng, 1.5, 3.0) / w, square=0.3)
    if rng.random() < 0.15:
        frustum(b, ids(b, "root", *tops), root, root - UP * seat_h * draw(rng, 0.3, 0.6), w * 1.1, w * 1.15,
                normal=FWD, flatten=d / w, round_start=0.05, square=0.25)
    if "armrest.L" in b.names and rng.random() < 0.5:
        for side, s in SIDES:
            post, rest = at(b, f"armrest_post{side}"), at(b, f"armrest{side}")
            b.ellipsoid(ids(b, f"armrest_post{side}", "root"),
                        (post + rest) / 2 - UP * (post[1] - seat_h) * 0.5,
                        ((post[1] - seat_h) * 0.5, float(np.linalg.norm(rest - post)) * 0.5, thick),
                        axis=UP, normal=LEFT, square=0.3)
