"""Bipeds: humanoids from cartoon to realistic proportions, and what they wear.

`biped` draws the skeleton and plain body (optional fingers and tail, varied arm and leg poses);
`dress` adds the unboned parts: heads with hair, hats, animal ears or horns; chests, bellies and
hips; mittens, boots and big feet; a skirt, dress, robe, coat or cape; flared sleeves; a bushy tail.
"""
from __future__ import annotations

import numpy as np

from ..bodies import Body, rotation, unit
from ..bodies import bend as _bend
from ..bodies import curve as _curve
from ..parts import (
    HAT_KINDS,
    Head,
    boot,
    ears,
    frustum,
    hair,
    hat,
    horns,
    mitten,
    muzzle,
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
    tail_chain,
    wider,
)


FINGERS = ("thumb", "index", "middle", "ring", "pinky")


def biped(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Humanoids: cartoon to realistic proportions, optional fingers and tail, varied arm/leg poses."""
    b = Body()
    thick = draw(rng, 0.75, 1.5)
    square = draw(rng, 0.35, 0.6) if rng.random() < 0.15 else 1.0  # robots are boxy
    head_r = draw(rng, 0.065, 0.13)
    leg_len, torso = draw(rng, 0.36, 0.5), draw(rng, 0.24, 0.34)
    shoulder, hip_w = draw(rng, 0.085, 0.15), draw(rng, 0.045, 0.08)
    arm = draw(rng, 0.3, 0.44)
    up = rotation(LEFT, draw(rng, -10, 10)) @ rotation(FWD, draw(rng, -7, 7)) @ UP
    root_pos = np.array([0.0, leg_len, 0.0])
    root = b.joint("root", -1, root_pos)

    spine_count = int(rng.integers(1, 4))
    spine_pts = [root_pos + up * torso * 0.8 * (k + 1) / spine_count for k in range(spine_count)]
    spine_names = [f"spine_{k + 1:02d}" for k in range(spine_count - 1)] + ["chest"]
    r_spine = hip_w * 0.9 * thick
    spine = b.chain(spine_names, root, np.array(spine_pts), np.full(spine_count + 1, r_spine), square=square)
    chest = spine[-1]
    width = shoulder * draw(rng, 0.8, 1.0)
    chest_semi = (torso * 0.42, width, width * draw(rng, 0.5, 0.75))
    b.ellipsoid(chest, root_pos + up * torso * 0.62, chest_semi, axis=up, square=square)
    belly = draw(rng, 1.0, 1.35) if rng.random() < 0.25 else 1.0
    pelvis_w = max(hip_w * 1.5, width * draw(rng, 0.7, 0.95))
    b.ellipsoid(root, root_pos + up * torso * 0.2 + FWD * 0.02 * (belly - 1),
                (torso * 0.26 * belly, pelvis_w * belly ** 0.5, pelvis_w * draw(rng, 0.55, 0.75) * belly),
                axis=up, square=square)

    r_neck = 0.028 * thick
    neck = b.limb("neck", chest, root_pos + up * torso, r_neck)
    head_dir = rotation(LEFT, draw(rng, -20, 15)) @ rotation(FWD, draw(rng, -15, 15)) @ up
    head = b.limb("head", neck, b.positions[neck] + head_dir * draw(rng, 0.03, 0.07), r_neck, r_neck * 0.9)
    face = rotation(head_dir, draw(rng, -45, 45)) @ unit(FWD - np.dot(FWD, head_dir) * head_dir)  # head turn
    semi = (head_r * draw(rng, 1.0, 1.2), head_r, head_r * draw(rng, 0.85, 1.05))
    center = b.positions[head] + head_dir * head_r * 0.9
    b.ellipsoid(head, center, semi, axis=head_dir, normal=face, square=square)
    b.joint("head_end", head, center + head_dir * semi[0] * 0.8)
    if rng.random() < 0.4:  # a nose shows where the head is turned
        b.ellipsoid(head, center + face * semi[2] * 0.9, (head_r * 0.22, head_r * 0.2, head_r * 0.3),
                    axis=head_dir, normal=face)

    mirrored = rng.random() < 0.5
    poses = [(5, 25), (30, 60), (75, 100), (110, 170)]
    shared = (int(rng.integers(len(poses))), draw(rng, -20, 50), draw(rng, 0, 100) * (rng.random() < 0.7))
    fingers = int(rng.choice([0, 0, 0, 3, 4, 5]))
    for side, s in SIDES:
        pose, flex, bend = shared if mirrored else (int(rng.integers(len(poses))), draw(rng, -20, 50),
                                                     draw(rng, 0, 100) * (rng.random() < 0.7))
        abduction = draw(rng, *poses[pose])
        r_arm = 0.03 * thick
        sh_pos = root_pos + up * torso * 0.9 + LEFT * s * shoulder * 0.95
        sh = b.limb(f"shoulder{side}", chest, sh_pos, r_arm * 0.9, r_arm, square=square)
        d1 = limb_dir(s, abduction, flex)
        elbow = b.limb(f"elbow{side}", sh, sh_pos + d1 * arm * 0.46, r_arm * 1.05, r_arm * 0.85, bulge=1.1,
                       square=square)
        inward = np.cross((0.0, 0.0, s), d1) * (1.0 if abduction > 60 else -1.0)  # toward the head / hips
        toward = unit(draw(rng, 0, 1) * FWD + inward + 1e-3 * UP)
        d2 = _bend(d1, toward, bend)
        wrist_pos = b.positions[elbow] + d2 * arm * 0.4
        wrist = b.limb(f"wrist{side}", elbow, wrist_pos, r_arm * 0.85, r_arm * 0.65, bulge=1.1, square=square)
        d3 = _bend(d2, toward, draw(rng, -15, 30))
        palm = unit(np.cross(d3, FWD) if abs(d3[2]) < 0.9 else np.cross(d3, UP))
        palm = rotation(d3, s * draw(rng, 0, 90)) @ palm  # wrist roll: palms down, in, or toward the viewer
        hand_shape = dict(normal=palm, flatten=0.5, square=min(square, 0.8))
        r_hand = r_arm * draw(rng, 0.9, 1.2)
        if not fingers:
            b.limb(f"hand_end{side}", wrist, wrist_pos + d3 * arm * 0.2, r_hand * 0.8, r_hand * 0.7,
                   bulge=1.2, **hand_shape)
            continue
        hand_pos = wrist_pos + d3 * arm * 0.11
        hand = b.limb(f"hand{side}", wrist, hand_pos, r_hand * 0.8, r_hand, **hand_shape)
        across = unit(np.cross(palm, d3))
        finger_len = arm * draw(rng, 0.1, 0.14)
        r_finger = max(r_hand * 0.28, 0.008)
        for k, name in enumerate(FINGERS[:fingers]):
            offset = (k / (fingers - 1) - 0.5) * 1.5 * r_hand
            fan = 50.0 if name == "thumb" else (k / (fingers - 1) - 0.5) * 20
            fdir = rotation(palm, fan * s) @ d3
            base = hand_pos + across * offset - d3 * r_hand * 0.3
            names = [f"{name}_{j}{side}" for j in (1, 2, 3)]
            pts = _curve(base, fdir, np.r_[1e-3, 0.5, 0.45] * finger_len * (0.8 if name == "thumb" else 1.0),
                         -palm * s, np.r_[0.0, draw(rng, 0, 30), draw(rng, 0, 30)])
            b.chain(names, hand, pts, np.full(4, r_finger), normal=palm, flatten=0.8)

    for side, s in SIDES:
        r_leg = 0.05 * thick * draw(rng, 0.9, 1.1)
        hip_pos = root_pos - up * 0.03 + LEFT * s * hip_w
        hip = b.limb(f"hip{side}", root, hip_pos, r_leg * 0.8, r_leg, square=square)
        d1 = limb_dir(s, draw(rng, 0, 22) * (rng.random() < 0.6), draw(rng, -15, 40))
        knee_pos = hip_pos + d1 * leg_len * 0.5
        knee = b.limb(f"knee{side}", hip, knee_pos, r_leg, r_leg * 0.72, bulge=1.05, square=square)
        d2 = _bend(d1, BACK, draw(rng, 0, 70) * (rng.random() < 0.6))
        ankle_pos = knee_pos + d2 * leg_len * 0.47
        ankle = b.limb(f"ankle{side}", knee, ankle_pos, r_leg * 0.72, r_leg * 0.5, bulge=1.15, square=square)
        foot = rotation(UP, s * draw(rng, 0, 20)) @ unit(FWD + 0.25 * DOWN)
        r_foot = r_leg * 0.55
        b.limb(f"toe{side}", ankle, ankle_pos + foot * leg_len * draw(rng, 0.17, 0.25), r_foot, r_foot * 0.9,
               normal=UP, flatten=0.6, square=min(square, 0.7))

    if rng.random() < 0.2:
        back = unit(rotation(LEFT, draw(rng, 20, 60)) @ BACK)
        tail_chain(b, rng, root, root_pos - up * torso * 0.05, back, int(rng.integers(3, 7)),
                   draw(rng, 0.3, 0.6), r_spine * 0.6, curl=draw(rng, 0, 30))
    if style is not None:
        skull = Head((head,), center, head_dir, face, semi)
        dress(b, style, skull, up=up, torso=torso, leg_len=leg_len,
                    chest=(root_pos + up * torso * 0.62, chest_semi),
                    pelvis=(root_pos + up * torso * 0.2, pelvis_w), r_arm=0.03 * thick, r_leg=0.05 * thick,
                    boxy=square < 1)
    return b


def dress(b: Body, rng: np.random.Generator, head: Head, *, up: np.ndarray, torso: float, leg_len: float,
          chest: tuple[np.ndarray, tuple[float, float, float]], pelvis: tuple[np.ndarray, float],
          r_arm: float, r_leg: float, boxy: bool) -> None:
    """Heads with hair, hats, animal ears or horns; chests, bellies and hips; mittens, boots and big
    feet; a skirt, dress, robe, coat or cape; flared sleeves; a bushy tail. Robots (`boxy`) get
    helmets, gloves and boots but no hair or clothes."""
    neck_chest = ids(b, "neck", "chest")
    if rng.random() < 0.4:  # a cartoon head: wider and deeper, its crown where it was
        head = wider(b, head, draw(rng, 1.0, 1.15), draw(rng, 1.15, 1.5), draw(rng, 1.0, 1.25))
    su, ss, _ = head.semi
    animal = not boxy and rng.random() < 0.35
    if animal:
        animal_head(b, rng, head, ear_weights={"pointed": 0.45, "round": 0.3, "long": 0.25})
        if rng.random() < 0.6:
            muzzle(b, head, su * draw(rng, 0.5, 1.0), ss * draw(rng, 0.4, 0.6), drop=draw(rng, 0.2, 0.5))
    elif not boxy and rng.random() < 0.35:
        ears(b, head, "human", su * draw(rng, 0.35, 0.5))
    wears_hat = rng.random() < (0.3 if boxy else 0.13)
    if wears_hat:
        hat(b, head, "helmet" if boxy else pick(rng, {k: 1.0 for k in HAT_KINDS}))
    if not boxy and not animal and rng.random() < 0.6:
        cuts = {"cap": 0.25, "long": 0.2, "ponytail": 0.12, "bun": 0.1, "spiky": 0.13, "afro": 0.1,
                "mohawk": 0.1}
        if wears_hat:
            cuts = {k: cuts[k] for k in ("long", "ponytail")}
        hair(b, head, pick(rng, cuts), bones=neck_chest)
    if not wears_hat and rng.random() < 0.07:
        horns(b, head, "swept" if rng.random() < 0.6 else "curved", su * draw(rng, 0.6, 1.2))

    torso_bones = ids(b, "root", "chest", *[n for n in b.names if n.startswith("spine_")])
    chest_center, (chest_up, chest_w, chest_d) = chest
    pelvis_center, pelvis_w = pelvis
    shoulder_w = abs(at(b, "shoulder.L")[0] - at(b, "shoulder.R")[0]) / 2
    if rng.random() < 0.35:  # a broad chest, shoulders wider than the spine
        b.ellipsoid(torso_bones, chest_center + up * chest_up * 0.15,
                    (chest_up * draw(rng, 0.8, 1.0), max(chest_w, shoulder_w) * draw(rng, 1.0, 1.2),
                     chest_d * draw(rng, 1.0, 1.25)), axis=up)
    if rng.random() < 0.3:  # a round belly, or the egg-shaped body of a cartoon animal
        grow = draw(rng, 1.3, 2.0)
        b.ellipsoid(torso_bones, (chest_center + pelvis_center) / 2 + FWD * chest_d * 0.3,
                    (torso * draw(rng, 0.45, 0.6), pelvis_w * grow, pelvis_w * grow * 0.9), axis=up)
    if rng.random() < 0.2:  # wide hips
        b.ellipsoid(torso_bones + ids(b, "hip.L", "hip.R"), pelvis_center,
                    (torso * 0.22, pelvis_w * draw(rng, 1.2, 1.5), pelvis_w * 0.8), axis=up)

    fingers = "hand.L" in b.names
    gloves = rng.random() < 0.5
    feet = pick(rng, {"boots": 0.3, "big": 0.25, "none": 0.45})
    sleeves = not boxy and rng.random() < 0.15
    for side, s in SIDES:
        wrist, hand_end = (f"wrist{side}", f"hand{side}" if fingers else f"hand_end{side}")
        w, e = at(b, wrist), at(b, hand_end)
        if gloves and not fingers:
            mitten(b, ids(b, wrist), w, e - w, float(np.linalg.norm(e - w)) * draw(rng, 1.1, 1.4),
                   r_arm * draw(rng, 1.8, 2.8))
        elif gloves:
            b.ellipsoid(ids(b, wrist, hand_end), (w + e) / 2 + (e - w) * 0.2,
                        (float(np.linalg.norm(e - w)) * 0.75, r_arm * 1.5, r_arm * 0.8), axis=e - w)
        if sleeves:
            elbow = at(b, f"elbow{side}")
            frustum(b, ids(b, f"elbow{side}"), elbow, w + (w - elbow) * 0.1, r_arm * 1.1,
                    r_arm * draw(rng, 2.0, 3.2), round_start=0.5)
        knee, ankle, toe = (at(b, f"{n}{side}") for n in ("knee", "ankle", "toe"))
        if feet == "boots":
            boot(b, ids(b, f"knee{side}", f"ankle{side}"), knee, ankle, toe, r_leg * 0.72,
                 height=draw(rng, 0.3, 0.8), size=draw(rng, 1.25, 1.6))
        elif feet == "big":
            foot = toe - ankle
            b.ellipsoid(ids(b, f"ankle{side}"), ankle + foot * 0.55,
                        (float(np.linalg.norm(foot)) * draw(rng, 0.75, 1.0), r_leg * draw(rng, 0.8, 1.2),
                         r_leg * 0.55), axis=foot, normal=UP)
    if not boxy:
        _outfit(b, rng, up=up, torso=torso, leg_len=leg_len, chest=chest, pelvis=pelvis, r_arm=r_arm,
                r_leg=r_leg, torso_bones=torso_bones)
    tail = prefixed(b, "tail_")
    if tail and rng.random() < 0.6:
        fur_tail(b, rng, tail, r_leg * 0.5)


def _outfit(b: Body, rng: np.random.Generator, *, up: np.ndarray, torso: float, leg_len: float,
            chest: tuple[np.ndarray, tuple[float, float, float]], pelvis: tuple[np.ndarray, float],
            r_arm: float, r_leg: float, torso_bones: tuple[int, ...]) -> None:
    """Shirt sleeves, and at most one of trousers, a skirt, a robe, a coat or a cape."""
    kind = pick(rng, {"none": 0.3, "trousers": 0.2, "skirt": 0.17, "robe": 0.07, "coat": 0.1, "cape": 0.16})
    if kind not in ("robe", "coat") and rng.random() < 0.3:
        for side, _ in SIDES:
            shoulder, elbow, wrist = (at(b, f"{n}{side}") for n in ("shoulder", "elbow", "wrist"))
            tube(b, ids(b, f"shoulder{side}", f"elbow{side}"), np.array([shoulder, elbow, wrist]),
                 r_arm * np.array([draw(rng, 1.3, 1.6), draw(rng, 1.2, 1.5), draw(rng, 1.1, 1.4)]))
    if kind == "none":
        return
    if kind == "trousers":
        for side, _ in SIDES:
            hip, knee, ankle = (at(b, f"{n}{side}") for n in ("hip", "knee", "ankle"))
            bones = ids(b, f"hip{side}", f"knee{side}")
            b.capsule(bones, hip, knee, r_leg * draw(rng, 1.3, 1.6), r_leg * draw(rng, 1.1, 1.3))
            frustum(b, bones, knee, ankle, r_leg * 1.15, r_leg * draw(rng, 1.0, 1.7), round_start=1.0)
        return
    chest_center, (chest_up, chest_w, chest_d) = chest
    pelvis_center, pelvis_w = pelvis
    legs = ids(b, "hip.L", "hip.R", "knee.L", "knee.R")
    spread = max(abs(at(b, "knee.L")[0]), abs(at(b, "knee.R")[0])) + r_leg
    if kind == "cape":
        top = chest_center + up * chest_up * 0.6 + BACK * chest_d * 1.05
        length = top[1] * draw(rng, 0.45, 0.9)
        width = max(chest_w, abs(at(b, "shoulder.L")[0])) * draw(rng, 0.9, 1.1)
        b.capsule(torso_bones, top, top + unit(DOWN + BACK * draw(rng, 0.0, 0.35)) * length, width,
                  width * draw(rng, 1.3, 2.0), caps=(width * 0.15, width * 0.05), normal=FWD,
                  flatten=draw(rng, 0.06, 0.12))
        return
    if kind == "skirt":
        waist = pelvis_center + up * torso * 0.08
        reach = float(rng.choice([0.35, 0.6, 0.92], p=[0.3, 0.45, 0.25]))  # thighs, knees, ankles
        waist_r = pelvis_w * draw(rng, 1.0, 1.15)
    else:  # a robe to the ankles or a coat to the knees, both from the chest, with sleeves
        waist = chest_center + up * chest_up * 0.5
        reach = draw(rng, 0.85, 0.95) if kind == "robe" else draw(rng, 0.55, 0.75)
        waist_r = chest_w * draw(rng, 1.0, 1.1)
        cuff = draw(rng, 1.6, 3.0) if kind == "robe" else draw(rng, 1.3, 1.6)
        for side, _ in SIDES:
            shoulder, elbow, wrist = (at(b, f"{n}{side}") for n in ("shoulder", "elbow", "wrist"))
            b.capsule(ids(b, f"shoulder{side}"), shoulder, elbow, r_arm * 1.4, r_arm * 1.4)
            frustum(b, ids(b, f"elbow{side}"), elbow, wrist, r_arm * 1.4, r_arm * cuff, round_start=0.5)
    length = waist[1] * reach
    hem_r = max(spread * draw(rng, 1.05, 1.5), waist_r * 1.1)
    frustum(b, torso_bones + legs, waist, waist + DOWN * length, waist_r, hem_r, bell=draw(rng, 0.9, 1.15),
            flatten=draw(rng, 0.7, 0.9))
