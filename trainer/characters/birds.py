"""Birds standing or flying (wings spread, raised, folded or displayed), and their feathers.

`bird` draws the skeleton and plain body; `dress` adds crests and combs, feathered wings with
primaries past the wing tips, a tail fan, a round breast and feathered thighs.
"""
from __future__ import annotations

import numpy as np

from ..bodies import Body, rotation, unit
from ..bodies import bend as _bend
from ..bodies import curve as _curve
from ..parts import (
    Head,
    blade,
    frustum,
    hair,
    ridge,
    wing_feathers,
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
    limb_dir,
    pick,
    reach_ground,
    wider,
)


def bird(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Birds standing or flying, wings spread, raised or folded; long or short necks and beaks."""
    b = Body()
    body_r = draw(rng, 0.07, 0.12)
    body_len = body_r * draw(rng, 2.2, 3.2)
    # waders or perchers
    leg_len = body_r * (draw(rng, 2.5, 5.0) if rng.random() < 0.25 else draw(rng, 0.8, 2.2))
    upright = draw(rng, 0, 60)
    axis = unit(rotation(LEFT, -upright) @ FWD)
    root_pos = np.array([0.0, leg_len + body_r * 0.8, 0.0])
    root = b.joint("root", -1, root_pos)
    chest_pos = root_pos + axis * body_len * 0.35
    chest = b.limb("chest", root, chest_pos, body_r * 0.5, body_r * 0.5)
    b.ellipsoid(root, root_pos + axis * body_len * 0.1,
                (body_len * 0.5, body_r, body_r * draw(rng, 0.85, 1.0)), axis=axis, normal=UP)

    neck_count = int(rng.integers(1, 4))
    neck_len = body_r * draw(rng, 0.6, 3.0)
    neck_dir = unit(axis + UP * draw(rng, 0.8, 2.5))
    neck_pts = _curve(chest_pos, neck_dir, np.full(neck_count, neck_len / neck_count), FWD,
                      np.r_[0.0, np.full(neck_count - 1, draw(rng, 5, 30))])
    r_neck = body_r * draw(rng, 0.3, 0.5)
    neck = b.chain([f"neck_{k + 1:02d}" for k in range(neck_count)], chest, neck_pts,
                   np.linspace(r_neck * 1.3, r_neck, neck_count + 1))[-1]
    head_pos = b.positions[neck]
    head_r = max(r_neck * 1.3, body_r * draw(rng, 0.35, 0.55))
    head = b.joint("head", neck, head_pos)
    b.ellipsoid(head, head_pos + UP * head_r * 0.3, (head_r * 1.1, head_r, head_r), axis=FWD, normal=UP)
    beak_dir = rotation(UP, draw(rng, -40, 40)) @ unit(FWD + DOWN * draw(rng, 0, 0.6))
    beak_len = head_r * draw(rng, 1.2, 3.5)
    b.limb("beak", head, head_pos + UP * head_r * 0.2 + beak_dir * (head_r + beak_len),
           head_r * 0.45, head_r * 0.12, normal=UP, flatten=0.7)

    wing_pose = str(rng.choice(["spread", "raised", "folded", "display"]))
    span = body_len * draw(rng, 1.2, 2.6)
    chord = body_r * draw(rng, 0.6, 1.0)
    planes = {}  # each wing's plane, for its feathers
    for side, s in SIDES:
        sh_pos = chest_pos + LEFT * s * body_r * 0.7 + UP * body_r * 0.3
        sh = b.limb(f"shoulder{side}", chest, sh_pos, body_r * 0.3, body_r * 0.3)
        if wing_pose == "folded":  # lying along the body's side
            dirs = [unit(-axis + LEFT * s * 0.3 + DOWN * 0.3), unit(-axis + LEFT * s * 0.05),
                    unit(-axis + UP * 0.1)]
            normal = LEFT
            fractions = np.array([0.25, 0.35, 0.4]) * body_len * draw(rng, 0.8, 1.1) / span
        else:
            lift = draw(rng, *{"spread": (-15, 20), "raised": (35, 70), "display": (20, 60)}[wing_pose])
            sweep = draw(rng, -10, 25)
            out = rotation(FWD * s, lift) @ rotation(UP, s * sweep) @ (LEFT * s)
            tip_bend = DOWN if lift > 30 else BACK
            dirs = [out, _bend(out, BACK, draw(rng, 0, 25)), _bend(out, tip_bend, draw(rng, 0, 35))]
            normal = unit(rotation(FWD * s, lift) @ (UP if wing_pose != "display" else unit(UP + FWD * 2)))
            fractions = np.array([0.3, 0.3, 0.4])
        pts = sh_pos + np.cumsum([d * f * span for d, f in zip(dirs, fractions)], axis=0)
        b.chain([f"elbow{side}", f"wrist{side}", f"wing_tip{side}"], sh, pts,
                chord * np.array([0.5, 1.0, 1.0, 0.4]), normal=normal, flatten=0.18)
        planes[side] = normal

        hip_pos = root_pos + LEFT * s * body_r * 0.4 - UP * body_r * 0.5
        hip = b.limb(f"hip{side}", root, hip_pos, body_r * 0.3, body_r * 0.3)
        r_leg = max(body_r * 0.12, 0.009)
        dirs = [unit(limb_dir(s, draw(rng, 0, 15), draw(rng, 10, 40))),
                unit(limb_dir(s, 0, -draw(rng, 0, 20))), unit(FWD + DOWN * 0.2)]
        lengths = reach_ground(hip_pos, dirs[:2], np.array([0.45, 0.55]))
        steps = [dirs[0] * lengths[0], dirs[1] * lengths[1], dirs[2] * body_r * 0.8]
        b.chain([f"knee{side}", f"ankle{side}", f"toe{side}"], hip, hip_pos + np.cumsum(steps, axis=0),
                np.array([2.2, 1.0, 1.0, 0.8]) * r_leg)

    tail_dir = unit(BACK - axis * 0.5 + UP * draw(rng, -0.2, 0.4))
    tail_len = np.full(2, body_len * draw(rng, 0.15, 0.35))
    tail_pts = _curve(root_pos - axis * body_len * 0.3, tail_dir, tail_len, UP,
                      np.r_[0.0, draw(rng, -10, 20)])
    b.chain(["tail_01", "tail_02"], root, tail_pts, body_r * np.array([0.35, 0.4, draw(rng, 0.5, 0.9)]),
            normal=UP, flatten=0.2)
    if style is not None:
        skull = Head((head,), head_pos + UP * head_r * 0.3, UP, FWD, (head_r, head_r, head_r * 1.1))
        dress(b, style, skull, body_r=body_r, body_len=body_len, axis=axis, chord=chord, planes=planes)
    return b


def dress(b: Body, rng: np.random.Generator, head: Head, *, body_r: float, body_len: float, axis: np.ndarray,
         chord: float, planes: dict[str, np.ndarray]) -> None:
    """Crests and combs, feathered wings with primaries past the wing tips, a tail fan past the tail
    bones, round bellies and feathered legs."""
    su = head.semi[0]
    if rng.random() < 0.6:  # a rounder skull
        grow = draw(rng, 1.1, 1.35)
        head = wider(b, head, grow, grow, grow)
        su = head.semi[0]
    crest = pick(rng, {"none": 0.65, "mohawk": 0.15, "spiky": 0.12, "comb": 0.08})
    if crest == "comb":
        points = np.array([head.point(0.8, 0, 0.6), head.point(1.0, 0, 0.0), head.point(0.8, 0, -0.6)])
        ridge(b, head.bones, points, head.up, su * draw(rng, 0.5, 0.9), spikes=True)
    elif crest != "none":
        hair(b, head, crest)
    if rng.random() < 0.75:
        for side, _ in SIDES:
            names = [f"shoulder{side}", f"elbow{side}", f"wrist{side}", f"wing_tip{side}"]
            points = np.array([at(b, n) for n in names])
            wing_feathers(b, ids(b, *names[:3]), points, chord * draw(rng, 0.8, 1.2), planes[side],
                          primaries=int(rng.integers(3, 6)), reach=draw(rng, 0.08, 0.3))
    if rng.random() < 0.6:  # a tail fan reaching past the last tail joint
        base, tip = at(b, "tail_01"), at(b, "tail_02")
        d = unit(tip - base)
        display = rng.random() < 0.25  # raised and spread like a turkey's, else flat
        if display:
            d = unit(d + UP * draw(rng, 0.8, 2.0))
        normal = unit(np.cross(d, LEFT))  # spread side to side
        reach = float(np.linalg.norm(tip - base)) * draw(rng, 1.3, 2.2)
        blade(b, ids(b, "root", "tail_01"), base - d * body_r * 0.3, base + d * reach, body_r * 0.5,
              body_r * draw(rng, 1.2, 2.4) * (1.6 if display else 1.0), normal, thickness=0.08)
    root, chest = at(b, "root"), at(b, "chest")
    if rng.random() < 0.35:  # a round breast and belly
        b.ellipsoid(ids(b, "root", "chest"), (root + chest) / 2 - UP * body_r * 0.2 + axis * body_len * 0.1,
                    (body_len * 0.45, body_r * draw(rng, 1.05, 1.3), body_r * draw(rng, 1.05, 1.3)),
                    axis=axis)
    if rng.random() < 0.2:  # feathered thighs
        for side, _ in SIDES:
            hip, knee = at(b, f"hip{side}"), at(b, f"knee{side}")
            frustum(b, ids(b, f"hip{side}"), hip, knee + (knee - hip) * 0.1, body_r * 0.35, body_r * 0.3,
                    bell=1.3)
