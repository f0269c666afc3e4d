"""Quadrupeds: dogs, horses, cats, long bodies, long necks, heavy ones, lizards, and their coats.

`quadruped` draws the skeleton and plain body from one of `KINDS`' proportion ranges; `dress`
adds ears, horns or antlers, manes, muzzles, barrels, deep chests and haunches, hooves or paws,
bushy tails, a lizard's crest or frill.
"""
from __future__ import annotations

import numpy as np

from ..bodies import Body, rotation, unit
from ..bodies import curve as _curve
from ..parts import (
    Head,
    frustum,
    horns,
    ridge,
    ruff,
    tube,
)
from .common import (
    BACK,
    DOWN,
    FWD,
    LEFT,
    SIDES,
    UP,
    animal_head,
    at,
    draw,
    fur_tail,
    ids,
    limb_dir,
    pick,
    prefixed,
    reach_ground,
    tail_chain,
    wider,
)


# (lo, hi) of: body length, leg length, body radius, neck length, neck pitch (degrees), head length,
# tail joints, tail length
_QUADRUPEDS = {
    "dog": ((0.5, 0.75), (0.3, 0.5), (0.08, 0.12), (0.12, 0.25), (30, 60), (0.14, 0.22), (2, 5), (0.2, 0.45)),
    "horse": ((0.7, 0.95), (0.55, 0.75), (0.11, 0.15), (0.3, 0.45), (40, 65), (0.22, 0.32), (2, 4),
              (0.25, 0.4)),
    "cat": ((0.45, 0.6), (0.22, 0.35), (0.06, 0.09), (0.08, 0.14), (25, 50), (0.1, 0.14), (4, 8), (0.4, 0.7)),
    "dachshund": ((0.7, 0.95), (0.12, 0.2), (0.07, 0.1), (0.1, 0.16), (20, 40), (0.14, 0.2), (2, 4),
                  (0.2, 0.35)),
    "giraffe": ((0.5, 0.7), (0.7, 0.9), (0.1, 0.13), (0.6, 0.85), (60, 75), (0.16, 0.22), (2, 3),
                (0.25, 0.4)),
    "heavy": ((0.65, 0.9), (0.3, 0.45), (0.16, 0.22), (0.06, 0.12), (10, 30), (0.18, 0.26), (2, 3),
              (0.15, 0.3)),
    "lizard": ((0.5, 0.8), (0.12, 0.2), (0.06, 0.09), (0.06, 0.12), (0, 15), (0.14, 0.22), (5, 9),
               (0.6, 1.0)),
}


def quadruped(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Four-legged animals: dogs, horses, cats, long bodies, long necks, heavy ones, lizards."""
    kind = str(rng.choice(sorted(_QUADRUPEDS)))
    ranges = _QUADRUPEDS[kind]
    body_len, leg_len, body_r, neck_len, pitch, head_len = (draw(rng, *r) for r in ranges[:6])
    tail_joints, tail_len = int(rng.integers(ranges[6][0], ranges[6][1] + 1)), draw(rng, *ranges[7])
    thick = draw(rng, 0.8, 1.25) * (1.6 if kind == "heavy" else 1.0)
    sprawl = kind == "lizard"
    b = Body()
    height = leg_len + body_r * 0.5
    root_pos = np.array([0.0, height, -body_len / 2])
    root = b.joint("root", -1, root_pos)
    spine_count = int(rng.integers(2, 5))
    arch = draw(rng, -0.03, 0.06)
    t = np.arange(1, spine_count + 1) / spine_count
    rise = draw(rng, -0.05, 0.08)
    pts = root_pos + np.outer(t, [0.0, rise, body_len]) + np.outer(np.sin(np.pi * t), UP * arch)
    names = [f"spine_{k + 1:02d}" for k in range(spine_count - 1)] + ["chest"]
    widen = draw(rng, 0.75, 1.1)
    radii = body_r * np.interp(np.r_[0, t], [0, 0.5, 1], [0.9, 1.0, draw(rng, 0.95, 1.2)])
    spine = b.chain(names, root, pts, radii, normal=LEFT, flatten=widen)
    chest = spine[-1]
    chest_pos = b.positions[chest]
    if kind == "heavy" or rng.random() < 0.3:
        b.ellipsoid(spine[len(spine) // 2], (root_pos + chest_pos) / 2 - UP * body_r * 0.15,
                    (body_len * 0.55, body_r * 1.1 * widen, body_r * 1.15), axis=FWD, normal=UP)

    neck_dir = unit(np.cos(np.radians(pitch)) * FWD + np.sin(np.radians(pitch)) * UP)
    neck_count = int(rng.integers(1, 4))
    r_neck = body_r * draw(rng, 0.45, 0.65)
    neck_pts = _curve(chest_pos, neck_dir, np.full(neck_count, neck_len / neck_count), FWD,
                      np.r_[0.0, np.full(neck_count - 1, draw(rng, 0, 12))])
    neck = b.chain([f"neck_{k + 1:02d}" for k in range(neck_count)], chest, neck_pts,
                   np.linspace(r_neck * 1.2, r_neck * 0.8, neck_count + 1))[-1]
    head_pos = b.positions[neck]
    head_dir = rotation(UP, draw(rng, -35, 35)) @ unit(FWD - np.tan(np.radians(draw(rng, 0, 40))) * UP)
    head_r = max(r_neck * 1.05, head_len * draw(rng, 0.3, 0.45))
    head = b.joint("head", neck, head_pos)
    b.ellipsoid(head, head_pos + head_dir * head_r * 0.3, (head_r * 1.05, head_r, head_r * 0.95),
                axis=head_dir, normal=UP)
    snout_pos = head_pos + head_dir * head_len
    snout_r = head_r * draw(rng, 0.35, 0.6)
    snout = b.limb("snout", head, snout_pos, head_r * 0.85, snout_r, normal=UP, flatten=0.85)
    if kind != "lizard" and rng.random() < 0.7:
        ear_len = head_r * (draw(rng, 1.5, 2.5) if rng.random() < 0.2 else draw(rng, 0.6, 1.1))
        for side, s in SIDES:
            base = head_pos + LEFT * s * head_r * 0.5 + UP * head_r * 0.55 - head_dir * head_r * 0.1
            ear = b.limb(f"ear{side}", head, base, head_r * 0.3, head_r * 0.3)
            tip = base + unit(UP + LEFT * s * draw(rng, 0.1, 0.8) - head_dir * 0.2) * ear_len
            b.limb(f"ear_tip{side}", ear, tip, head_r * 0.32, head_r * 0.08, normal=head_dir, flatten=0.35)
    if kind == "heavy" and rng.random() < 0.5:
        tail_chain(b, rng, snout, snout_pos, unit(head_dir + DOWN), int(rng.integers(3, 6)),
                   draw(rng, 0.3, 0.5), head_r * 0.45, prefix="trunk", curl=draw(rng, 0, 25), tip=0.5)

    r_leg = 0.032 * thick * (0.8 if kind in ("cat", "lizard") else 1.0) * max(1.0, body_r / 0.1)
    for end, parent, top_pos, fractions in (
            ("front", chest, chest_pos + body_r * np.array([0.0, -0.35, -0.2]), np.array([0.45, 0.42, 0.13])),
            ("hind", root, root_pos + body_r * np.array([0.0, -0.3, 0.2]), np.array([0.42, 0.42, 0.16]))):
        names = ("shoulder", "elbow", "wrist", "paw") if end == "front" else ("hip", "knee", "ankle", "paw")
        for side, s in SIDES:
            top = top_pos + LEFT * s * body_r * widen * 0.55
            swing = draw(rng, -25, 25)
            if sprawl:
                dirs = [limb_dir(s, draw(rng, 55, 80), swing), limb_dir(s, draw(rng, 0, 20), swing),
                        FWD + DOWN * 0.2]
            elif end == "front":
                dirs = [limb_dir(s, 0, swing - draw(rng, 0, 15)), limb_dir(s, 0, swing + draw(rng, -10, 20)),
                        unit(FWD + DOWN * 0.5)]
            else:
                dirs = [limb_dir(s, 0, swing + draw(rng, 15, 40)), limb_dir(s, 0, swing - draw(rng, 20, 45)),
                        limb_dir(s, 0, swing + draw(rng, 0, 15))]
            dirs = [unit(d) for d in dirs]
            lengths = reach_ground(top, dirs, fractions)
            pts = top + np.cumsum(np.array([np.zeros(3)] + [d * n for d, n in zip(dirs, lengths)]), axis=0)
            first = b.limb(f"{end}_{names[0]}{side}", parent, pts[0], r_leg * 1.3, r_leg * 1.4)
            b.chain([f"{end}_{n}{side}" for n in names[1:]], first, pts[1:],
                    r_leg * np.array([1.4, 0.85, 0.7, 0.65]))

    if tail_joints:
        tail_dir = unit(rotation(LEFT, draw(rng, -40, 50)) @ BACK)
        tail_chain(b, rng, root, root_pos - FWD * body_r * 0.3, tail_dir, tail_joints, tail_len,
              body_r * (0.6 if sprawl else 0.3), tip=0.15 if sprawl else 0.4, curl=draw(rng, -12, 25))
    if style is not None:
        skull_up = unit(UP - np.dot(UP, head_dir) * head_dir)
        skull = Head((head,), head_pos + head_dir * head_r * 0.3, skull_up, head_dir,
                     (head_r * 0.95, head_r, head_r * 1.05))
        dress(b, style, skull, kind=kind, body_r=body_r, body_len=body_len, widen=widen,
                        r_leg=r_leg)
    return b


def dress(b: Body, rng: np.random.Generator, head: Head, *, kind: str, body_r: float, body_len: float,
              widen: float, r_leg: float) -> None:
    """Ears for those without ear bones, horns or antlers, manes, muzzles; barrels, deep chests and
    haunches; hooves or paws; bushy tails, tufts; a lizard's crest or frill."""
    neck = prefixed(b, "neck_")
    spine = ids(b, "root", *[n for n in b.names if n.startswith("spine_")], "chest")
    if rng.random() < 0.85:  # a real skull, clearly wider than the neck
        grow = draw(rng, 1.15, 1.5)
        head = wider(b, head, grow, grow, grow)
    su = head.semi[0]
    if rng.random() < (0.4 if kind == "giraffe" else 0.75):  # a neck as thick as the animal's
        chain = ids(b, "chest") + neck
        points = np.vstack([np.array(b.positions)[list(chain)], head.center])
        radii = np.linspace(body_r * draw(rng, 0.7, 0.95), su * draw(rng, 0.7, 0.9), len(points))
        tube(b, chain, points, radii, normal=LEFT, flatten=draw(rng, 0.7, 1.0))
    if "ear.L" not in b.names and kind != "lizard" and rng.random() < 0.85:
        animal_head(b, rng, head, ear_weights={"pointed": 0.5, "round": 0.25, "floppy": 0.25})
    if kind in ("horse", "giraffe", "heavy", "dog") and rng.random() < 0.22:
        horns(b, head, pick(rng, {"swept": 1.0, "curved": 1.0, "antlers": 1.0 if kind != "heavy" else 0.0}),
              su * draw(rng, 1.2, 2.5), spread=draw(rng, 15, 40))
    if kind == "horse" and rng.random() < 0.6:
        points = np.array(b.positions)[list(ids(b, "chest") + neck)] + UP * body_r * 0.4
        ridge(b, neck + (b.names.index("chest"),), np.vstack([points, head.point(0.8, 0, -0.6)]), UP,
              body_r * draw(rng, 0.6, 1.0), thickness=0.35)
    elif kind in ("dog", "cat", "heavy") and rng.random() < 0.12:
        ruff(b, head, draw(rng, 1.6, 2.1), bones=neck)
    if kind != "lizard" and rng.random() < 0.4:  # jowls and jaw under the snout
        snout = at(b, "snout")
        b.ellipsoid(ids(b, "head"), (head.center + snout) / 2 - head.up * su * 0.3,
                    (float(np.linalg.norm(snout - head.center)) * 0.55, su * 0.6, su * 0.5),
                    axis=snout - head.center, normal=head.up)

    root, chest = at(b, "root"), at(b, "chest")
    if rng.random() < 0.65:  # a barrel
        b.ellipsoid(spine, (root + chest) / 2 - UP * body_r * draw(rng, 0.1, 0.4),
                    (body_len * draw(rng, 0.5, 0.62), body_r * widen * draw(rng, 1.15, 1.4),
                     body_r * draw(rng, 1.2, 1.5)), axis=chest - root, normal=UP)
    if rng.random() < 0.4:  # a deep chest
        b.ellipsoid(spine + neck[:1], chest - UP * body_r * 0.45, (body_r * 1.1, body_r * widen * 1.1,
                    body_r * draw(rng, 1.1, 1.4)), axis=FWD, normal=UP)
    if rng.random() < 0.4:  # haunches
        b.ellipsoid(spine + ids(b, "hind_hip.L", "hind_hip.R"), root - UP * body_r * 0.2,
                    (body_r * 1.2, body_r * widen * draw(rng, 1.05, 1.3), body_r * 1.2), axis=FWD, normal=UP)
    hooved = kind in ("horse", "giraffe", "heavy")
    feet = rng.random() < 0.7
    for end in ("front", "hind"):
        top = "wrist" if end == "front" else "ankle"
        for side, _ in SIDES:
            if not feet:
                continue
            bones = ids(b, f"{end}_{top}{side}")
            wrist, paw = at(b, f"{end}_{top}{side}"), at(b, f"{end}_paw{side}")
            if hooved:
                frustum(b, bones, paw + UP * r_leg * 2.0, paw - UP * r_leg * 0.2, r_leg * 0.8, r_leg * 1.35,
                        round_start=0.2, square=0.8)
            elif kind == "lizard":
                for k in (-1, 0, 1):
                    toe = paw + unit(paw - wrist + LEFT * 0.6 * k) * r_leg * 2.5
                    b.capsule(bones, paw, toe, r_leg * 0.45, r_leg * 0.3)
            else:
                b.ellipsoid(bones, paw + FWD * r_leg * 0.6, (r_leg * 1.9, r_leg * 1.5, r_leg * 0.9),
                            axis=FWD, normal=UP)
    tail = prefixed(b, "tail_")
    if tail and kind == "lizard":
        if rng.random() < 0.45:
            chain = spine + tail[:-1]
            points = np.array(b.positions)[list(chain)] + UP * body_r * 0.6
            ridge(b, chain, points, UP, body_r * draw(rng, 0.3, 0.6), spikes=True)
        if rng.random() < 0.15:
            ruff(b, head, draw(rng, 1.8, 2.6), bones=neck)
    elif tail and rng.random() < 0.5:
        fur_tail(b, rng, tail, body_r * 0.3)
