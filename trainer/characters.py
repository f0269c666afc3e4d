"""Procedural character templates: each draws proportions and a pose from `rng` and returns a `Body`.

Convention (RigNet's): Y up, the character faces +Z, its left is +X. Joint names are snake_case
and describe the joint's place (`elbow.L`, `tail_03`); paired joints end in `.L` (at +X) or `.R`
(at -X), as Blender and the add-on's naming expect; the parentless joint is always `root`. Every
joint lies inside the body: bones run through their capsules, and joints without a capsule of
their own sit inside a blob around them. Sizes are arbitrary units; the dataset writer
normalizes each character the way RigNet does.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import dress
from .bodies import Body, rotation, unit
from .bodies import bend as _bend
from .bodies import curve as _curve
from .parts import Head

UP, DOWN = np.array([0.0, 1.0, 0.0]), np.array([0.0, -1.0, 0.0])
FWD, BACK = np.array([0.0, 0.0, 1.0]), np.array([0.0, 0.0, -1.0])
LEFT = np.array([1.0, 0.0, 0.0])
SIDES = ((".L", 1.0), (".R", -1.0))
FINGERS = ("thumb", "index", "middle", "ring", "pinky")


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def _tail(b: Body, rng: np.random.Generator, parent: int, start: np.ndarray, direction: np.ndarray,
          joints: int, length: float, radius: float, *, prefix: str = "tail", curl: float | None = None,
          tip: float = 0.25, **shape) -> list[int]:
    """A tapering chain that curls toward up or down."""
    curl = _u(rng, -25, 25) if curl is None else curl
    toward = UP if curl >= 0 else DOWN
    bends = np.r_[0.0, np.full(joints - 1, abs(curl))] + rng.normal(0, 4, joints)
    points = _curve(start, direction, np.full(joints, length / joints), toward, bends)
    radii = radius * np.linspace(1.0, tip, joints + 1)
    return b.chain([f"{prefix}_{k + 1:02d}" for k in range(joints)], parent, points, radii, **shape)


def _limb_dir(side: float, out: float, forward: float) -> np.ndarray:
    """Straight down, swung `forward` degrees toward +Z, then `out` degrees away from the body."""
    return rotation((0.0, 0.0, side), out) @ rotation((-1.0, 0.0, 0.0), forward) @ DOWN


def _reach_ground(top: np.ndarray, dirs: list[np.ndarray], fractions: np.ndarray) -> np.ndarray:
    """Segment lengths (in the given proportions) that bring a leg from `top` down to y = 0."""
    drop = -sum(f * d[1] for f, d in zip(fractions, dirs))
    return fractions * (top[1] / max(drop, 0.2))


# --- bipeds -------------------------------------------------------------------------------------

def biped(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Humanoids: cartoon to realistic proportions, optional fingers and tail, varied arm/leg poses."""
    b = Body()
    thick = _u(rng, 0.75, 1.5)
    square = _u(rng, 0.35, 0.6) if rng.random() < 0.15 else 1.0  # robots are boxy
    head_r = _u(rng, 0.065, 0.13)
    leg_len, torso = _u(rng, 0.36, 0.5), _u(rng, 0.24, 0.34)
    shoulder, hip_w = _u(rng, 0.085, 0.15), _u(rng, 0.045, 0.08)
    arm = _u(rng, 0.3, 0.44)
    up = rotation(LEFT, _u(rng, -10, 10)) @ rotation(FWD, _u(rng, -7, 7)) @ UP
    root_pos = np.array([0.0, leg_len, 0.0])
    root = b.joint("root", -1, root_pos)

    spine_count = int(rng.integers(1, 4))
    spine_pts = [root_pos + up * torso * 0.8 * (k + 1) / spine_count for k in range(spine_count)]
    spine_names = [f"spine_{k + 1:02d}" for k in range(spine_count - 1)] + ["chest"]
    r_spine = hip_w * 0.9 * thick
    spine = b.chain(spine_names, root, np.array(spine_pts), np.full(spine_count + 1, r_spine), square=square)
    chest = spine[-1]
    width = shoulder * _u(rng, 0.8, 1.0)
    chest_semi = (torso * 0.42, width, width * _u(rng, 0.5, 0.75))
    b.ellipsoid(chest, root_pos + up * torso * 0.62, chest_semi, axis=up, square=square)
    belly = _u(rng, 1.0, 1.35) if rng.random() < 0.25 else 1.0
    pelvis_w = max(hip_w * 1.5, width * _u(rng, 0.7, 0.95))
    b.ellipsoid(root, root_pos + up * torso * 0.2 + FWD * 0.02 * (belly - 1),
                (torso * 0.26 * belly, pelvis_w * belly ** 0.5, pelvis_w * _u(rng, 0.55, 0.75) * belly),
                axis=up, square=square)

    r_neck = 0.028 * thick
    neck = b.limb("neck", chest, root_pos + up * torso, r_neck)
    head_dir = rotation(LEFT, _u(rng, -20, 15)) @ rotation(FWD, _u(rng, -15, 15)) @ up
    head = b.limb("head", neck, b.positions[neck] + head_dir * _u(rng, 0.03, 0.07), r_neck, r_neck * 0.9)
    face = rotation(head_dir, _u(rng, -45, 45)) @ unit(FWD - np.dot(FWD, head_dir) * head_dir)  # head turn
    semi = (head_r * _u(rng, 1.0, 1.2), head_r, head_r * _u(rng, 0.85, 1.05))
    center = b.positions[head] + head_dir * head_r * 0.9
    b.ellipsoid(head, center, semi, axis=head_dir, normal=face, square=square)
    b.joint("head_end", head, center + head_dir * semi[0] * 0.8)
    if rng.random() < 0.4:  # a nose shows where the head is turned
        b.ellipsoid(head, center + face * semi[2] * 0.9, (head_r * 0.22, head_r * 0.2, head_r * 0.3),
                    axis=head_dir, normal=face)

    mirrored = rng.random() < 0.5
    poses = [(5, 25), (30, 60), (75, 100), (110, 170)]
    shared = (int(rng.integers(len(poses))), _u(rng, -20, 50), _u(rng, 0, 100) * (rng.random() < 0.7))
    fingers = int(rng.choice([0, 0, 0, 3, 4, 5]))
    for side, s in SIDES:
        pose, flex, bend = shared if mirrored else (int(rng.integers(len(poses))), _u(rng, -20, 50),
                                                     _u(rng, 0, 100) * (rng.random() < 0.7))
        abduction = _u(rng, *poses[pose])
        r_arm = 0.03 * thick
        sh_pos = root_pos + up * torso * 0.9 + LEFT * s * shoulder * 0.95
        sh = b.limb(f"shoulder{side}", chest, sh_pos, r_arm * 0.9, r_arm, square=square)
        d1 = _limb_dir(s, abduction, flex)
        elbow = b.limb(f"elbow{side}", sh, sh_pos + d1 * arm * 0.46, r_arm * 1.05, r_arm * 0.85, bulge=1.1,
                       square=square)
        inward = np.cross((0.0, 0.0, s), d1) * (1.0 if abduction > 60 else -1.0)  # toward the head / hips
        toward = unit(_u(rng, 0, 1) * FWD + inward + 1e-3 * UP)
        d2 = _bend(d1, toward, bend)
        wrist_pos = b.positions[elbow] + d2 * arm * 0.4
        wrist = b.limb(f"wrist{side}", elbow, wrist_pos, r_arm * 0.85, r_arm * 0.65, bulge=1.1, square=square)
        d3 = _bend(d2, toward, _u(rng, -15, 30))
        palm = unit(np.cross(d3, FWD) if abs(d3[2]) < 0.9 else np.cross(d3, UP))
        palm = rotation(d3, s * _u(rng, 0, 90)) @ palm  # wrist roll: palms down, in, or toward the viewer
        hand_shape = dict(normal=palm, flatten=0.5, square=min(square, 0.8))
        r_hand = r_arm * _u(rng, 0.9, 1.2)
        if not fingers:
            b.limb(f"hand_end{side}", wrist, wrist_pos + d3 * arm * 0.2, r_hand * 0.8, r_hand * 0.7,
                   bulge=1.2, **hand_shape)
            continue
        hand_pos = wrist_pos + d3 * arm * 0.11
        hand = b.limb(f"hand{side}", wrist, hand_pos, r_hand * 0.8, r_hand, **hand_shape)
        across = unit(np.cross(palm, d3))
        finger_len = arm * _u(rng, 0.1, 0.14)
        r_finger = max(r_hand * 0.28, 0.008)
        for k, name in enumerate(FINGERS[:fingers]):
            offset = (k / (fingers - 1) - 0.5) * 1.5 * r_hand
            fan = 50.0 if name == "thumb" else (k / (fingers - 1) - 0.5) * 20
            fdir = rotation(palm, fan * s) @ d3
            base = hand_pos + across * offset - d3 * r_hand * 0.3
            names = [f"{name}_{j}{side}" for j in (1, 2, 3)]
            pts = _curve(base, fdir, np.r_[1e-3, 0.5, 0.45] * finger_len * (0.8 if name == "thumb" else 1.0),
                         -palm * s, np.r_[0.0, _u(rng, 0, 30), _u(rng, 0, 30)])
            b.chain(names, hand, pts, np.full(4, r_finger), normal=palm, flatten=0.8)

    for side, s in SIDES:
        r_leg = 0.05 * thick * _u(rng, 0.9, 1.1)
        hip_pos = root_pos - up * 0.03 + LEFT * s * hip_w
        hip = b.limb(f"hip{side}", root, hip_pos, r_leg * 0.8, r_leg, square=square)
        d1 = _limb_dir(s, _u(rng, 0, 22) * (rng.random() < 0.6), _u(rng, -15, 40))
        knee_pos = hip_pos + d1 * leg_len * 0.5
        knee = b.limb(f"knee{side}", hip, knee_pos, r_leg, r_leg * 0.72, bulge=1.05, square=square)
        d2 = _bend(d1, BACK, _u(rng, 0, 70) * (rng.random() < 0.6))
        ankle_pos = knee_pos + d2 * leg_len * 0.47
        ankle = b.limb(f"ankle{side}", knee, ankle_pos, r_leg * 0.72, r_leg * 0.5, bulge=1.15, square=square)
        foot = rotation(UP, s * _u(rng, 0, 20)) @ unit(FWD + 0.25 * DOWN)
        r_foot = r_leg * 0.55
        b.limb(f"toe{side}", ankle, ankle_pos + foot * leg_len * _u(rng, 0.17, 0.25), r_foot, r_foot * 0.9,
               normal=UP, flatten=0.6, square=min(square, 0.7))

    if rng.random() < 0.2:
        back = unit(rotation(LEFT, _u(rng, 20, 60)) @ BACK)
        _tail(b, rng, root, root_pos - up * torso * 0.05, back, int(rng.integers(3, 7)), _u(rng, 0.3, 0.6),
              r_spine * 0.6, curl=_u(rng, 0, 30))
    if style is not None:
        skull = Head((head,), center, head_dir, face, semi)
        dress.biped(b, style, skull, up=up, torso=torso, leg_len=leg_len,
                    chest=(root_pos + up * torso * 0.62, chest_semi),
                    pelvis=(root_pos + up * torso * 0.2, pelvis_w), r_arm=0.03 * thick, r_leg=0.05 * thick,
                    boxy=square < 1)
    return b


# --- quadrupeds ---------------------------------------------------------------------------------

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
    body_len, leg_len, body_r, neck_len, pitch, head_len = (_u(rng, *r) for r in ranges[:6])
    tail_joints, tail_len = int(rng.integers(ranges[6][0], ranges[6][1] + 1)), _u(rng, *ranges[7])
    thick = _u(rng, 0.8, 1.25) * (1.6 if kind == "heavy" else 1.0)
    sprawl = kind == "lizard"
    b = Body()
    height = leg_len + body_r * 0.5
    root_pos = np.array([0.0, height, -body_len / 2])
    root = b.joint("root", -1, root_pos)
    spine_count = int(rng.integers(2, 5))
    arch = _u(rng, -0.03, 0.06)
    t = np.arange(1, spine_count + 1) / spine_count
    rise = _u(rng, -0.05, 0.08)
    pts = root_pos + np.outer(t, [0.0, rise, body_len]) + np.outer(np.sin(np.pi * t), UP * arch)
    names = [f"spine_{k + 1:02d}" for k in range(spine_count - 1)] + ["chest"]
    widen = _u(rng, 0.75, 1.1)
    radii = body_r * np.interp(np.r_[0, t], [0, 0.5, 1], [0.9, 1.0, _u(rng, 0.95, 1.2)])
    spine = b.chain(names, root, pts, radii, normal=LEFT, flatten=widen)
    chest = spine[-1]
    chest_pos = b.positions[chest]
    if kind == "heavy" or rng.random() < 0.3:
        b.ellipsoid(spine[len(spine) // 2], (root_pos + chest_pos) / 2 - UP * body_r * 0.15,
                    (body_len * 0.55, body_r * 1.1 * widen, body_r * 1.15), axis=FWD, normal=UP)

    neck_dir = unit(np.cos(np.radians(pitch)) * FWD + np.sin(np.radians(pitch)) * UP)
    neck_count = int(rng.integers(1, 4))
    r_neck = body_r * _u(rng, 0.45, 0.65)
    neck_pts = _curve(chest_pos, neck_dir, np.full(neck_count, neck_len / neck_count), FWD,
                      np.r_[0.0, np.full(neck_count - 1, _u(rng, 0, 12))])
    neck = b.chain([f"neck_{k + 1:02d}" for k in range(neck_count)], chest, neck_pts,
                   np.linspace(r_neck * 1.2, r_neck * 0.8, neck_count + 1))[-1]
    head_pos = b.positions[neck]
    head_dir = rotation(UP, _u(rng, -35, 35)) @ unit(FWD - np.tan(np.radians(_u(rng, 0, 40))) * UP)
    head_r = max(r_neck * 1.05, head_len * _u(rng, 0.3, 0.45))
    head = b.joint("head", neck, head_pos)
    b.ellipsoid(head, head_pos + head_dir * head_r * 0.3, (head_r * 1.05, head_r, head_r * 0.95),
                axis=head_dir, normal=UP)
    snout_pos = head_pos + head_dir * head_len
    snout_r = head_r * _u(rng, 0.35, 0.6)
    snout = b.limb("snout", head, snout_pos, head_r * 0.85, snout_r, normal=UP, flatten=0.85)
    if kind != "lizard" and rng.random() < 0.7:
        ear_len = head_r * (_u(rng, 1.5, 2.5) if rng.random() < 0.2 else _u(rng, 0.6, 1.1))
        for side, s in SIDES:
            base = head_pos + LEFT * s * head_r * 0.5 + UP * head_r * 0.55 - head_dir * head_r * 0.1
            ear = b.limb(f"ear{side}", head, base, head_r * 0.3, head_r * 0.3)
            tip = base + unit(UP + LEFT * s * _u(rng, 0.1, 0.8) - head_dir * 0.2) * ear_len
            b.limb(f"ear_tip{side}", ear, tip, head_r * 0.32, head_r * 0.08, normal=head_dir, flatten=0.35)
    if kind == "heavy" and rng.random() < 0.5:
        _tail(b, rng, snout, snout_pos, unit(head_dir + DOWN), int(rng.integers(3, 6)), _u(rng, 0.3, 0.5),
              head_r * 0.45, prefix="trunk", curl=_u(rng, 0, 25), tip=0.5)

    r_leg = 0.032 * thick * (0.8 if kind in ("cat", "lizard") else 1.0) * max(1.0, body_r / 0.1)
    for end, parent, top_pos, fractions in (
            ("front", chest, chest_pos + body_r * np.array([0.0, -0.35, -0.2]), np.array([0.45, 0.42, 0.13])),
            ("hind", root, root_pos + body_r * np.array([0.0, -0.3, 0.2]), np.array([0.42, 0.42, 0.16]))):
        names = ("shoulder", "elbow", "wrist", "paw") if end == "front" else ("hip", "knee", "ankle", "paw")
        for side, s in SIDES:
            top = top_pos + LEFT * s * body_r * widen * 0.55
            swing = _u(rng, -25, 25)
            if sprawl:
                dirs = [_limb_dir(s, _u(rng, 55, 80), swing), _limb_dir(s, _u(rng, 0, 20), swing),
                        FWD + DOWN * 0.2]
            elif end == "front":
                dirs = [_limb_dir(s, 0, swing - _u(rng, 0, 15)), _limb_dir(s, 0, swing + _u(rng, -10, 20)),
                        unit(FWD + DOWN * 0.5)]
            else:
                dirs = [_limb_dir(s, 0, swing + _u(rng, 15, 40)), _limb_dir(s, 0, swing - _u(rng, 20, 45)),
                        _limb_dir(s, 0, swing + _u(rng, 0, 15))]
            dirs = [unit(d) for d in dirs]
            lengths = _reach_ground(top, dirs, fractions)
            pts = top + np.cumsum(np.array([np.zeros(3)] + [d * n for d, n in zip(dirs, lengths)]), axis=0)
            first = b.limb(f"{end}_{names[0]}{side}", parent, pts[0], r_leg * 1.3, r_leg * 1.4)
            b.chain([f"{end}_{n}{side}" for n in names[1:]], first, pts[1:],
                    r_leg * np.array([1.4, 0.85, 0.7, 0.65]))

    if tail_joints:
        tail_dir = unit(rotation(LEFT, _u(rng, -40, 50)) @ BACK)
        _tail(b, rng, root, root_pos - FWD * body_r * 0.3, tail_dir, tail_joints, tail_len,
              body_r * (0.6 if sprawl else 0.3), tip=0.15 if sprawl else 0.4, curl=_u(rng, -12, 25))
    if style is not None:
        skull_up = unit(UP - np.dot(UP, head_dir) * head_dir)
        skull = Head((head,), head_pos + head_dir * head_r * 0.3, skull_up, head_dir,
                     (head_r * 0.95, head_r, head_r * 1.05))
        dress.quadruped(b, style, skull, kind=kind, body_r=body_r, body_len=body_len, widen=widen,
                        r_leg=r_leg)
    return b


# --- birds --------------------------------------------------------------------------------------

def bird(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Birds standing or flying, wings spread, raised or folded; long or short necks and beaks."""
    b = Body()
    body_r = _u(rng, 0.07, 0.12)
    body_len = body_r * _u(rng, 2.2, 3.2)
    leg_len = body_r * (_u(rng, 2.5, 5.0) if rng.random() < 0.25 else _u(rng, 0.8, 2.2))  # waders or perchers
    upright = _u(rng, 0, 60)
    axis = unit(rotation(LEFT, -upright) @ FWD)
    root_pos = np.array([0.0, leg_len + body_r * 0.8, 0.0])
    root = b.joint("root", -1, root_pos)
    chest_pos = root_pos + axis * body_len * 0.35
    chest = b.limb("chest", root, chest_pos, body_r * 0.5, body_r * 0.5)
    b.ellipsoid(root, root_pos + axis * body_len * 0.1, (body_len * 0.5, body_r, body_r * _u(rng, 0.85, 1.0)),
                axis=axis, normal=UP)

    neck_count = int(rng.integers(1, 4))
    neck_len = body_r * _u(rng, 0.6, 3.0)
    neck_dir = unit(axis + UP * _u(rng, 0.8, 2.5))
    neck_pts = _curve(chest_pos, neck_dir, np.full(neck_count, neck_len / neck_count), FWD,
                      np.r_[0.0, np.full(neck_count - 1, _u(rng, 5, 30))])
    r_neck = body_r * _u(rng, 0.3, 0.5)
    neck = b.chain([f"neck_{k + 1:02d}" for k in range(neck_count)], chest, neck_pts,
                   np.linspace(r_neck * 1.3, r_neck, neck_count + 1))[-1]
    head_pos = b.positions[neck]
    head_r = max(r_neck * 1.3, body_r * _u(rng, 0.35, 0.55))
    head = b.joint("head", neck, head_pos)
    b.ellipsoid(head, head_pos + UP * head_r * 0.3, (head_r * 1.1, head_r, head_r), axis=FWD, normal=UP)
    beak_dir = rotation(UP, _u(rng, -40, 40)) @ unit(FWD + DOWN * _u(rng, 0, 0.6))
    beak_len = head_r * _u(rng, 1.2, 3.5)
    b.limb("beak", head, head_pos + UP * head_r * 0.2 + beak_dir * (head_r + beak_len),
           head_r * 0.45, head_r * 0.12, normal=UP, flatten=0.7)

    wing_pose = str(rng.choice(["spread", "raised", "folded", "display"]))
    span = body_len * _u(rng, 1.2, 2.6)
    chord = body_r * _u(rng, 0.6, 1.0)
    planes = {}  # each wing's plane, for its feathers
    for side, s in SIDES:
        sh_pos = chest_pos + LEFT * s * body_r * 0.7 + UP * body_r * 0.3
        sh = b.limb(f"shoulder{side}", chest, sh_pos, body_r * 0.3, body_r * 0.3)
        if wing_pose == "folded":  # lying along the body's side
            dirs = [unit(-axis + LEFT * s * 0.3 + DOWN * 0.3), unit(-axis + LEFT * s * 0.05),
                    unit(-axis + UP * 0.1)]
            normal = LEFT
            fractions = np.array([0.25, 0.35, 0.4]) * body_len * _u(rng, 0.8, 1.1) / span
        else:
            lift = _u(rng, *{"spread": (-15, 20), "raised": (35, 70), "display": (20, 60)}[wing_pose])
            sweep = _u(rng, -10, 25)
            out = rotation(FWD * s, lift) @ rotation(UP, s * sweep) @ (LEFT * s)
            tip_bend = DOWN if lift > 30 else BACK
            dirs = [out, _bend(out, BACK, _u(rng, 0, 25)), _bend(out, tip_bend, _u(rng, 0, 35))]
            normal = unit(rotation(FWD * s, lift) @ (UP if wing_pose != "display" else unit(UP + FWD * 2)))
            fractions = np.array([0.3, 0.3, 0.4])
        pts = sh_pos + np.cumsum([d * f * span for d, f in zip(dirs, fractions)], axis=0)
        b.chain([f"elbow{side}", f"wrist{side}", f"wing_tip{side}"], sh, pts,
                chord * np.array([0.5, 1.0, 1.0, 0.4]), normal=normal, flatten=0.18)
        planes[side] = normal

        hip_pos = root_pos + LEFT * s * body_r * 0.4 - UP * body_r * 0.5
        hip = b.limb(f"hip{side}", root, hip_pos, body_r * 0.3, body_r * 0.3)
        r_leg = max(body_r * 0.12, 0.009)
        dirs = [unit(_limb_dir(s, _u(rng, 0, 15), _u(rng, 10, 40))), unit(_limb_dir(s, 0, -_u(rng, 0, 20))),
                unit(FWD + DOWN * 0.2)]
        lengths = _reach_ground(hip_pos, dirs[:2], np.array([0.45, 0.55]))
        steps = [dirs[0] * lengths[0], dirs[1] * lengths[1], dirs[2] * body_r * 0.8]
        b.chain([f"knee{side}", f"ankle{side}", f"toe{side}"], hip, hip_pos + np.cumsum(steps, axis=0),
                np.array([2.2, 1.0, 1.0, 0.8]) * r_leg)

    tail_dir = unit(BACK - axis * 0.5 + UP * _u(rng, -0.2, 0.4))
    tail_len = np.full(2, body_len * _u(rng, 0.15, 0.35))
    tail_pts = _curve(root_pos - axis * body_len * 0.3, tail_dir, tail_len, UP,
                      np.r_[0.0, _u(rng, -10, 20)])
    b.chain(["tail_01", "tail_02"], root, tail_pts, body_r * np.array([0.35, 0.4, _u(rng, 0.5, 0.9)]),
            normal=UP, flatten=0.2)
    if style is not None:
        skull = Head((head,), head_pos + UP * head_r * 0.3, UP, FWD, (head_r, head_r, head_r * 1.1))
        dress.bird(b, style, skull, body_r=body_r, body_len=body_len, axis=axis, chord=chord, planes=planes)
    return b


# --- snakes, eels and fish ----------------------------------------------------------------------

def snake(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Long bodies: snakes lying in curves, raised like a cobra, upright S-curves or coils; fish."""
    if rng.random() < 0.3:
        return _fish(rng, style)
    b = Body()
    count = int(rng.integers(12, 29))
    length = _u(rng, 1.0, 1.8)
    pose = str(rng.choice(["ground", "cobra", "upright", "coil"], p=[0.2, 0.3, 0.35, 0.15]))
    s = np.linspace(0, 1, count + 1)  # 0 at the head
    waves, amp = _u(rng, 1.0, 2.5), _u(rng, 0.08, 0.2)
    phase = _u(rng, 0, 2 * np.pi)
    if pose == "upright":  # an S-curve standing up, its plane turned from the viewer by up to 60 degrees
        sway = amp * np.sin(2 * np.pi * waves * s + phase)
        pts = np.stack([sway, length * (1 - s) * 0.8, 0.1 * np.sin(3 * s)], 1)
        pts = pts @ rotation(UP, _u(rng, -60, 60)).T
    elif pose == "coil":
        angle = s * 2 * np.pi * _u(rng, 1.5, 2.5)
        radius = 0.12 + 0.25 * s
        raised = 0.05 + 0.25 * np.clip(0.2 - s, 0, None)  # the head end lifts off the coil
        pts = np.stack([radius * np.cos(angle), raised, radius * np.sin(angle)], 1)
    else:  # lying in curves; a cobra rears its front part up
        raised = _u(rng, 0.15, 0.35) if pose == "cobra" else 0.04
        up = np.clip(raised - s, 0, None) * length
        pts = np.stack([amp * np.sin(2 * np.pi * waves * s + phase) * np.clip(s / raised, 0, 1),
                        up * (0.9 if pose == "cobra" else 0.5) + 0.03,
                        length * (0.5 - np.maximum(s, raised)) * 0.8 + up * 0.2], 1)
    segment = np.linalg.norm(np.diff(pts, axis=0), axis=1).sum() / count
    r_body = segment * _u(rng, 0.45, 0.8) * np.clip(count / 16, 0.7, 1.3)
    profile = r_body * np.interp(s, [0, 0.06, 0.3, 0.7, 1.0], [0.8, 0.65, 1.0, 0.8, 0.15])
    if pose == "cobra":
        profile = profile * np.interp(s, [0, 0.08, 0.14, 0.22], [1.0, 1.9, 1.6, 1.0])
    root_at_head = rng.random() < 0.5
    if root_at_head:
        root = b.joint("root", -1, pts[1])
        b.limb("head", root, pts[0], profile[1], profile[0])
        b.chain([f"spine_{k:02d}" for k in range(1, count - 2)] + ["tail_01", "tail_end"], root, pts[2:],
                profile[1:], normal=UP, flatten=0.85)
        head_joint = 1  # the head bone starts at the root
    else:
        mid = count // 2
        root = b.joint("root", -1, pts[mid])
        front = [f"spine_{k:02d}" for k in range(1, mid - 1)] + ["neck", "head"]
        b.chain(front, root, pts[mid - 1::-1], profile[mid::-1], normal=UP, flatten=0.85)
        back = [f"tail_{k:02d}" for k in range(1, count - mid)] + ["tail_end"]
        b.chain(back, root, pts[mid + 1:], profile[mid:], normal=UP, flatten=0.85)
        head_joint = b.names.index("head")
    head_dir = unit(pts[0] - pts[1])
    head_r = profile[0] * _u(rng, 1.1, 1.5)
    b.ellipsoid(b.parents[head_joint], pts[0] - head_dir * head_r * 0.3,
                (head_r * 1.5, head_r, head_r * 0.7), axis=head_dir, normal=UP)
    if style is not None:
        skull_up = unit(UP - np.dot(UP, head_dir) * head_dir) if abs(head_dir[1]) < 0.95 else BACK
        skull = Head((b.parents[head_joint],), pts[0] - head_dir * head_r * 0.3, skull_up, head_dir,
                     (head_r * 0.7, head_r, head_r * 1.5))
        dress.snake(b, style, skull, upright=pose == "upright", radius=r_body)
    return b


def _fish(rng: np.random.Generator, style: np.random.Generator | None) -> Body:
    b = Body()
    length = _u(rng, 0.8, 1.2)
    height = length * _u(rng, 0.12, 0.3)
    count = int(rng.integers(4, 8))
    bend = _u(rng, -25, 25)
    root_pos = np.array([0.0, 0.5, length * 0.15])
    root = b.joint("root", -1, root_pos)
    b.limb("head", root, root_pos + FWD * length * 0.3, height * 0.5, height * 0.25, normal=LEFT, flatten=0.6)
    pts = _curve(root_pos, BACK, np.full(count, length * 0.6 / count), LEFT, np.full(count, bend / count))
    radii = height * np.interp(np.linspace(0, 1, count + 1), [0, 0.4, 1], [0.5, 0.42, 0.08])
    spine = b.chain([f"spine_{k + 1:02d}" for k in range(count - 1)] + ["tail_base"], root, pts, radii,
                    normal=LEFT, flatten=0.55)
    tail = b.positions[spine[-1]]
    back = unit(tail - b.positions[spine[-2]])
    fin = height * _u(rng, 0.6, 1.2)
    for name, d in (("tail_fin_upper", UP), ("tail_fin_lower", DOWN)):
        tip = tail + unit(back + d * _u(rng, 0.8, 1.4)) * fin
        b.limb(name, spine[-1], tip, height * 0.08, height * 0.15, normal=LEFT, flatten=0.2)
    dorsal = spine[len(spine) // 3]
    top = b.positions[dorsal] + UP * radii[len(spine) // 3]
    fin_base = b.limb("dorsal_fin", dorsal, top, height * 0.12, height * 0.15, normal=LEFT, flatten=0.25)
    b.limb("dorsal_fin_tip", fin_base, top + unit(UP + BACK * 0.8) * height * _u(rng, 0.3, 0.7),
           height * 0.15, height * 0.04, normal=LEFT, flatten=0.25)
    for side, s in SIDES:
        base = root_pos + LEFT * s * height * 0.25 - UP * height * 0.2
        pec = b.limb(f"pectoral_fin{side}", root, base, height * 0.08, height * 0.1, normal=UP, flatten=0.25)
        tip = base + unit(LEFT * s + BACK * 0.6 + DOWN * _u(rng, 0, 1)) * fin * 0.7
        b.limb(f"pectoral_fin_tip{side}", pec, tip, height * 0.12, height * 0.04, normal=UP, flatten=0.2)
    if style is not None:
        dress.fish(b, style, height=height, radii=radii)
    return b


# --- many legs ----------------------------------------------------------------------------------

def many_legs(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Spiders, insects, centipedes and octopuses."""
    kind = str(rng.choice(["spider", "insect", "centipede", "octopus"]))
    b, size = {"spider": _spider, "insect": _insect, "centipede": _centipede, "octopus": _octopus}[kind](rng)
    if style is not None:
        dress.many_legs(b, style, kind, size)
    return b


def _arched_leg(b: Body, rng: np.random.Generator, parent: int, base: np.ndarray, azimuth: float,
                reach: float, radius: float, names: list[str]) -> None:
    """A leg rising from `base` to a knee, then down to the ground at `azimuth` degrees from +Z."""
    out = rotation(UP, azimuth) @ FWD
    knee = base + out * reach * _u(rng, 0.3, 0.45) + UP * reach * _u(rng, 0.2, 0.5)
    tip = base + out * reach * _u(rng, 0.8, 1.1)
    tip[1] = 0.0
    mid = knee + (tip - knee) * 0.45 + out * reach * 0.1
    b.chain(names, parent, np.array([knee, mid, tip]), radius * np.linspace(1.0, 0.45, 4))


def _spider(rng: np.random.Generator) -> tuple[Body, float]:
    b = Body()
    r = _u(rng, 0.08, 0.13)
    root_pos = np.array([0.0, r * 1.6, 0.0])
    root = b.joint("root", -1, root_pos)
    b.ellipsoid(root, root_pos, (r * 1.1, r, r * 0.7), axis=FWD, normal=UP)
    abdomen_r = r * _u(rng, 1.2, 1.9)
    abdomen = b.limb("abdomen", root, root_pos + BACK * r * 1.3 + UP * r * 0.2, r * 0.4, r * 0.4)
    end = b.positions[abdomen] + unit(BACK + UP * _u(rng, 0, 0.5)) * abdomen_r
    b.ellipsoid(abdomen, (b.positions[abdomen] + end) / 2, abdomen_r * np.array([0.95, 0.85, 0.75]),
                axis=unit(end - b.positions[abdomen]), normal=UP)
    b.joint("abdomen_end", abdomen, end)
    reach = r * _u(rng, 3.0, 5.0)
    for side, s in SIDES:
        for k, azimuth in enumerate((35, 70, 110, 150)):
            a = s * (azimuth + _u(rng, -10, 10))
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
    r = _u(rng, 0.05, 0.08)
    root_pos = np.array([0.0, r * _u(rng, 2.0, 3.5), 0.0])
    root = b.joint("root", -1, root_pos)
    b.ellipsoid(root, root_pos, (r * 1.3, r, r * 0.8), axis=FWD, normal=UP)
    head = b.limb("head", root, root_pos + FWD * r * 1.7, r * 0.4, r * 0.5)
    head_pos = b.positions[head]
    b.ellipsoid(head, head_pos, (r * 0.75, r * 0.7, r * 0.65), axis=FWD, normal=UP)
    abdomen = b.limb("abdomen", root, root_pos + BACK * r * 1.5, r * 0.5, r * 0.6)
    ab_len = r * _u(rng, 2.0, 3.5)
    end = b.positions[abdomen] + unit(BACK + DOWN * _u(rng, 0, 0.4)) * ab_len
    b.ellipsoid(abdomen, (b.positions[abdomen] + end) / 2, (ab_len * 0.55, r * _u(rng, 0.8, 1.3), r * 0.9),
                axis=unit(end - b.positions[abdomen]), normal=UP)
    b.joint("abdomen_end", abdomen, (b.positions[abdomen] + end * 2) / 3)
    reach = r * _u(rng, 3.5, 5.5)
    wings = rng.random() < 0.4
    for side, s in SIDES:
        for k, (name, azimuth) in enumerate((("front", 40), ("middle", 90), ("hind", 135))):
            a = s * (azimuth + _u(rng, -10, 10))
            base = root_pos + rotation(UP, a) @ FWD * r * 0.6 + FWD * r * (0.5 - 0.5 * k)
            names = [f"{name}_leg_{n}{side}" for n in ("knee", "ankle", "tip")]
            _arched_leg(b, rng, root, base, a, reach, r * 0.18, names)
        base = head_pos + FWD * r * 0.5 + LEFT * s * r * 0.25 + UP * r * 0.3
        pts = _curve(base, unit(FWD + UP * 0.8 + LEFT * s * 0.5), np.full(2, r * _u(rng, 1.0, 2.0)), LEFT * s,
                     np.r_[0, _u(rng, 0, 40)])
        b.chain([f"antenna{side}", f"antenna_tip{side}"], head, pts, r * np.array([0.12, 0.12, 0.08]))
        if wings:
            wing = b.joint(f"wing{side}", root, root_pos + UP * r * 0.6 + LEFT * s * r * 0.3)
            tip = b.positions[wing] + unit(BACK + LEFT * s * _u(rng, 0.3, 1.5) + UP * _u(rng, 0, 1)) * r * 3.5
            b.capsule(wing, b.positions[wing], tip, r * 0.4, r * 0.9, mid_radius=r * 1.1, normal=UP,
                      flatten=0.1)
            b.joint(f"wing_tip{side}", wing, tip)
    return b, r


def _centipede(rng: np.random.Generator) -> tuple[Body, float]:
    b = Body()
    count = int(rng.integers(6, 11))
    r = _u(rng, 0.035, 0.05)
    seg = r * _u(rng, 1.6, 2.2)
    wiggle = _u(rng, -12, 12)
    pts = _curve(np.array([0.0, r * 2, seg * count / 2]), BACK, np.full(count - 1, seg), LEFT,
                 np.r_[0.0, np.full(count - 2, wiggle)] + rng.normal(0, 6, count - 1))
    root = b.joint("root", -1, (0.0, r * 2, seg * count / 2))
    segments = [root] + b.chain([f"segment_{k + 2:02d}" for k in range(count - 1)], root, pts,
                                np.full(count, r), normal=UP, flatten=0.7)
    head = b.limb("head", root, b.positions[root] + FWD * seg * 0.8, r, r * 0.9, normal=UP, flatten=0.7)
    reach = r * _u(rng, 2.5, 4.0)
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
    r = _u(rng, 0.1, 0.16)
    root_pos = np.array([0.0, r * 1.2, 0.0])
    root = b.joint("root", -1, root_pos)
    mantle_dir = unit(UP + BACK * _u(rng, 0, 0.8))
    mantle = b.limb("mantle", root, root_pos + mantle_dir * r * 0.9, r * 0.5, r * 0.5)
    b.ellipsoid(mantle, root_pos + mantle_dir * r * 0.9, (r * 1.6, r, r * 0.95), axis=mantle_dir, normal=FWD)
    b.joint("mantle_end", mantle, root_pos + mantle_dir * r * 2.1)
    arms = int(rng.choice([5, 6, 8]))
    reach = r * _u(rng, 2.5, 4.5)
    for k in range(arms):
        azimuth = 360.0 * (k + 0.5) / arms + _u(rng, -10, 10)
        out = rotation(UP, azimuth) @ FWD
        curl = _u(rng, -40, 50)
        pts = _curve(root_pos + out * r * 0.5, unit(out + DOWN * _u(rng, 0, 1.0)), np.full(4, reach / 4),
                     UP if curl > 0 else DOWN, np.r_[0.0, np.full(3, abs(curl))])
        b.chain([f"arm_{k + 1}_{j + 1}" for j in range(4)], root, pts, r * np.linspace(0.35, 0.08, 5))
    return b, r


# --- trees and plants ---------------------------------------------------------------------------

def tree(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Trees with branching crowns (some with foliage or surface roots), and cacti."""
    b = Body()
    if rng.random() < 0.25:
        b = _cactus(rng, b)
        if style is not None:
            dress.cactus(b, style)
        return b
    trunk_count = int(rng.integers(3, 6))
    height = _u(rng, 0.35, 0.6)
    r_trunk = height * _u(rng, 0.06, 0.12)
    root = b.joint("root", -1, (0.0, 0.0, 0.0))
    lean = unit(UP + rotation(UP, _u(rng, 0, 360)) @ FWD * _u(rng, 0, 0.3))
    pts = _curve(np.zeros(3), lean, np.full(trunk_count, height / trunk_count), unit(rng.normal(size=3)),
                 rng.normal(0, 6, trunk_count))
    trunk = b.chain([f"trunk_{k + 1:02d}" for k in range(trunk_count)], root, pts,
                    r_trunk * np.linspace(1.2, 0.7, trunk_count + 1))
    foliage = rng.random() < 0.35
    budget = [60 - len(b.names)]

    def branch(parent: int, direction: np.ndarray, length: float, radius: float, depth: int,
               name: str) -> None:
        joints = int(rng.integers(2, 4))
        if budget[0] < joints:
            return
        budget[0] -= joints
        pts = _curve(b.positions[parent], direction, np.full(joints, length / joints), UP,
                     rng.normal(0, 8, joints) + 5)
        chain = b.chain([f"{name}_{j + 1:02d}" for j in range(joints)], parent, pts,
                        radius * np.linspace(1.0, 0.6, joints + 1))
        if depth < 2:
            children, turn = int(rng.integers(1, 4)), _u(rng, 0, 360)
            for k in range(children):
                out = rotation(UP, turn + 360.0 * k / children + _u(rng, -30, 30)) @ FWD
                child = unit(direction + out * _u(rng, 0.4, 1.0))
                start = chain[-1] if k == 0 else chain[int(rng.integers(len(chain)))]
                branch(start, child, length * _u(rng, 0.5, 0.75), radius * 0.6, depth + 1, f"{name}_{k + 1}")
        elif foliage:
            b.ellipsoid(chain[-2] if len(chain) > 1 else parent, b.positions[chain[-1]],
                        (length * 0.5, length * 0.45, length * 0.45))

    spread = int(rng.integers(2, 5))
    for k in range(spread):
        azimuth = 360.0 * k / spread + _u(rng, -25, 25)
        direction = unit(UP * _u(rng, 0.3, 1.2) + rotation(UP, azimuth) @ FWD)
        parent = trunk[-1] if k < 2 else trunk[int(rng.integers(1, trunk_count))]
        branch(parent, direction, height * _u(rng, 0.5, 0.8), r_trunk * 0.6, 1, f"branch_{k + 1}")
    if rng.random() < 0.3:
        for k in range(int(rng.integers(2, 5))):
            out = rotation(UP, 360.0 * k / 4 + _u(rng, -30, 30)) @ FWD
            pts = np.array([out * height * 0.15 + UP * 0.02, out * height * 0.3])
            b.chain([f"root_{k + 1}_01", f"root_{k + 1}_02"], root, pts, r_trunk * np.array([0.8, 0.5, 0.25]))
    if style is not None and not foliage:
        dress.canopy(b, style, height)
    return b


def _cactus(rng: np.random.Generator, b: Body) -> Body:
    height = _u(rng, 0.5, 0.8)
    r = height * _u(rng, 0.07, 0.12)
    root = b.joint("root", -1, (0.0, r, 0.0))
    count = int(rng.integers(3, 6))
    pts = np.outer(np.arange(1, count + 1) / count, UP * (height - 2 * r)) + UP * r
    trunk = b.chain([f"trunk_{k + 1:02d}" for k in range(count)], root, pts, np.full(count + 1, r))
    for k in range(int(rng.integers(1, 4))):
        side = LEFT if k % 2 == 0 else -LEFT
        side = rotation(UP, _u(rng, -40, 40)) @ side
        parent = trunk[int(rng.integers(0, max(1, count - 2)))]
        start = b.positions[parent]
        out = _u(rng, 1.5, 3.0) * r
        elbow = start + side * out + DOWN * r * 0.3
        top = elbow + UP * _u(rng, 0.15, 0.35) * height
        arm_r = r * _u(rng, 0.55, 0.8)
        b.chain([f"arm_{k + 1}_01", f"arm_{k + 1}_02", f"arm_{k + 1}_03"], parent,
                np.array([start + side * r * 0.8, elbow, top]), np.full(4, arm_r))
    return b


# --- objects ------------------------------------------------------------------------------------

def object_like(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Articulated objects: desk lamps and chairs/stools."""
    lamp = rng.random() < 0.5
    b = _lamp(rng) if lamp else _chair(rng)
    if style is not None:
        (dress.lamp if lamp else dress.chair)(b, style)
    return b


def _lamp(rng: np.random.Generator) -> Body:
    b = Body()
    base_r = _u(rng, 0.1, 0.16)
    root = b.joint("root", -1, (0.0, 0.02, 0.0))
    b.ellipsoid(root, (0.0, 0.02, 0.0), (0.025, base_r, base_r), axis=UP, normal=FWD,
                square=_u(rng, 0.2, 0.5))
    r_arm = _u(rng, 0.012, 0.02)
    square = _u(rng, 0.4, 1.0)
    plane = rotation(UP, 0.0 if rng.random() < 0.5 else _u(rng, 0, 360))  # the arm's plane: often facing us
    tilt = _u(rng, -50, 50)
    lower = plane @ unit(UP + LEFT * np.tan(np.radians(tilt)))
    p1 = np.array([0.0, 0.06, 0.0])
    base = b.limb("arm_base", root, p1, r_arm * 1.5, r_arm * 1.5, square=square)
    p2 = p1 + lower * _u(rng, 0.3, 0.45)
    elbow = b.limb("elbow", base, p2, r_arm, r_arm, square=square)
    upper = _bend(lower, plane @ (LEFT * np.sign(tilt)), _u(rng, 40, 130))
    p3 = p2 + upper * _u(rng, 0.25, 0.4)
    head = b.limb("head", elbow, p3, r_arm, r_arm, square=square)
    shade_dir = _bend(upper, DOWN, _u(rng, 20, 90))
    shade_len = _u(rng, 0.08, 0.15)
    mouth = shade_len * _u(rng, 0.6, 1.0)
    b.limb("shade_end", head, p3 + shade_dir * shade_len, r_arm * 1.5, mouth,
           caps=(r_arm * 1.5, mouth * 0.25), square=_u(rng, 0.6, 1.0))
    return b


def _chair(rng: np.random.Generator) -> Body:
    b = Body()
    seat_h, w, d = _u(rng, 0.35, 0.5), _u(rng, 0.18, 0.25), _u(rng, 0.18, 0.25)
    thick = _u(rng, 0.02, 0.035)
    square = _u(rng, 0.15, 0.4)
    root = b.joint("root", -1, (0.0, seat_h, 0.0))
    b.ellipsoid(root, (0.0, seat_h, 0.0), (thick, w * 1.1, d * 1.1), axis=UP, normal=FWD, square=square)
    r_leg = _u(rng, 0.012, 0.022)
    splay = _u(rng, 0, 0.25)
    stool = rng.random() < 0.25
    corners = ([(np.cos(a) * w * 0.8, np.sin(a) * d * 0.8) for a in np.radians([90, 210, 330])] if stool else
               [(x * w * 0.85, z * d * 0.85) for z in (1, -1) for x in (1, -1)])
    names = ([("leg_1", ""), ("leg_2", ""), ("leg_3", "")] if stool else
             [("front_leg", ".L"), ("front_leg", ".R"), ("back_leg", ".L"), ("back_leg", ".R")])
    for (stem, side), (x, z) in zip(names, corners):
        top = np.array([x, seat_h - thick * 0.5, z])
        leg_top = b.limb(f"{stem}_top{side}", root, top, r_leg, r_leg, square=square)
        foot = np.array([x * (1 + splay), 0.0, z * (1 + splay)])
        b.limb(f"{stem}_foot{side}", leg_top, foot, r_leg, r_leg * _u(rng, 0.6, 1.0), square=square)
    if not stool:
        back = b.limb("back_base", root, (0.0, seat_h + thick, -d * 0.95), thick, thick, square=square)
        tilt = unit(UP + BACK * _u(rng, 0, 0.35))
        top = b.positions[back] + tilt * _u(rng, 0.3, 0.5)
        b.limb("back_top", back, top, w * 0.9, w * 0.9, normal=FWD, flatten=thick / w, square=square,
               caps=(thick, thick))
        if rng.random() < 0.35:
            for side, s in SIDES:
                post = b.limb(f"armrest_post{side}", root, (s * w, seat_h + 0.15, -d * 0.7), r_leg, r_leg,
                              square=square)
                b.limb(f"armrest{side}", post, (s * w, seat_h + 0.15, d * 0.8), r_leg * 1.3, r_leg * 1.3,
                       square=square)
    return b


TEMPLATES: dict[str, Callable[[np.random.Generator], Body]] = {
    "biped": biped, "quadruped": quadruped, "bird": bird, "snake": snake,
    "many_legs": many_legs, "tree": tree, "object": object_like,
}
# how often each template is drawn: mostly characters, as in RigNet
TEMPLATE_WEIGHTS = {"biped": 0.32, "quadruped": 0.2, "bird": 0.1, "snake": 0.08, "many_legs": 0.12,
                    "tree": 0.1, "object": 0.08}
