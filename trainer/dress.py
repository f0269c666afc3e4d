"""Realistic bodies for the procedural templates: which unboned parts a character gets, drawn at random.

Each template (`trainer.characters`) builds its skeleton and plain body from its own generator,
then, unless the character is plain, calls the function here of the same name with a second
generator (`style`) and the few measures of its body that the parts need; joints are looked up by
name. Nothing here adds a joint or moves one: the rig stays the template's, and the plain body is
the realistic one without its parts. Every part is drawn with its own probability, so characters
range from bare to fully dressed; the probabilities and size ranges are what cartoon and game
characters show (big skulls with ears or hair, mittens and boots, a skirt or a cape on some,
bushy tails, barrels and manes on animals, feathered wings and tail fans on birds, shades on lamps).
"""
from __future__ import annotations

import numpy as np

from .bodies import Body, unit
from .parts import (
    DOWN,
    FWD,
    HAT_KINDS,
    Head,
    blade,
    boot,
    ears,
    frustum,
    hair,
    hat,
    horns,
    mitten,
    muzzle,
    ridge,
    ruff,
    tube,
    wing_feathers,
)

UP = np.array([0.0, 1.0, 0.0])
BACK = -FWD
LEFT = np.array([1.0, 0.0, 0.0])
SIDES = ((".L", 1.0), (".R", -1.0))


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    names = list(weights)
    p = np.array([weights[n] for n in names])
    return names[int(rng.choice(len(names), p=p / p.sum()))]


def _ids(b: Body, *names: str) -> tuple[int, ...]:
    """The joints of these names that the body has."""
    return tuple(b.names.index(n) for n in names if n in b.names)


def _at(b: Body, name: str) -> np.ndarray:
    return b.positions[b.names.index(name)]


def _prefixed(b: Body, prefix: str) -> tuple[int, ...]:
    return tuple(k for k, n in enumerate(b.names) if n.startswith(prefix))


def _wider(b: Body, head: Head, up: float, side: float, face: float) -> Head:
    """A bigger skull around `head` (its crown kept in place), added to the body; returns it."""
    su, ss, sf = head.semi
    center = head.center - head.up * su * (up - 1)
    grown = Head(head.bones, center, head.up, head.face, (su * up, ss * side, sf * face))
    b.ellipsoid(head.bones, grown.center, grown.semi, axis=head.up, normal=head.face)
    return grown


def _animal_head(b: Body, rng: np.random.Generator, head: Head, *, ear_weights: dict[str, float]) -> None:
    su = head.semi[0]
    kind = _pick(rng, ear_weights)
    size = su * {"long": _u(rng, 2.2, 3.4), "floppy": _u(rng, 1.1, 1.7)}.get(kind, _u(rng, 0.75, 1.3))
    ears(b, head, kind, size, spread=_u(rng, 20, 50) if kind != "floppy" else _u(rng, 50, 70),
         lean=_u(rng, -10, 20))


# --- bipeds -------------------------------------------------------------------------------------

def biped(b: Body, rng: np.random.Generator, head: Head, *, up: np.ndarray, torso: float, leg_len: float,
          chest: tuple[np.ndarray, tuple[float, float, float]], pelvis: tuple[np.ndarray, float],
          r_arm: float, r_leg: float, boxy: bool) -> None:
    """Heads with hair, hats, animal ears or horns; chests, bellies and hips; mittens, boots and big
    feet; a skirt, dress, robe, coat or cape; flared sleeves; a bushy tail. Robots (`boxy`) get
    helmets, gloves and boots but no hair or clothes."""
    neck_chest = _ids(b, "neck", "chest")
    if rng.random() < 0.4:  # a cartoon head: wider and deeper, its crown where it was
        head = _wider(b, head, _u(rng, 1.0, 1.15), _u(rng, 1.15, 1.5), _u(rng, 1.0, 1.25))
    su, ss, _ = head.semi
    animal = not boxy and rng.random() < 0.35
    if animal:
        _animal_head(b, rng, head, ear_weights={"pointed": 0.45, "round": 0.3, "long": 0.25})
        if rng.random() < 0.6:
            muzzle(b, head, su * _u(rng, 0.5, 1.0), ss * _u(rng, 0.4, 0.6), drop=_u(rng, 0.2, 0.5))
    elif not boxy and rng.random() < 0.35:
        ears(b, head, "human", su * _u(rng, 0.35, 0.5))
    wears_hat = rng.random() < (0.3 if boxy else 0.13)
    if wears_hat:
        hat(b, head, "helmet" if boxy else _pick(rng, {k: 1.0 for k in HAT_KINDS}))
    if not boxy and not animal and rng.random() < 0.6:
        cuts = {"cap": 0.25, "long": 0.2, "ponytail": 0.12, "bun": 0.1, "spiky": 0.13, "afro": 0.1,
                "mohawk": 0.1}
        if wears_hat:
            cuts = {k: cuts[k] for k in ("long", "ponytail")}
        hair(b, head, _pick(rng, cuts), bones=neck_chest)
    if not wears_hat and rng.random() < 0.07:
        horns(b, head, "swept" if rng.random() < 0.6 else "curved", su * _u(rng, 0.6, 1.2))

    torso_bones = _ids(b, "root", "chest", *[n for n in b.names if n.startswith("spine_")])
    chest_center, (chest_up, chest_w, chest_d) = chest
    pelvis_center, pelvis_w = pelvis
    shoulder_w = abs(_at(b, "shoulder.L")[0] - _at(b, "shoulder.R")[0]) / 2
    if rng.random() < 0.35:  # a broad chest, shoulders wider than the spine
        b.ellipsoid(torso_bones, chest_center + up * chest_up * 0.15,
                    (chest_up * _u(rng, 0.8, 1.0), max(chest_w, shoulder_w) * _u(rng, 1.0, 1.2),
                     chest_d * _u(rng, 1.0, 1.25)), axis=up)
    if rng.random() < 0.3:  # a round belly, or the egg-shaped body of a cartoon animal
        grow = _u(rng, 1.3, 2.0)
        b.ellipsoid(torso_bones, (chest_center + pelvis_center) / 2 + FWD * chest_d * 0.3,
                    (torso * _u(rng, 0.45, 0.6), pelvis_w * grow, pelvis_w * grow * 0.9), axis=up)
    if rng.random() < 0.2:  # wide hips
        b.ellipsoid(torso_bones + _ids(b, "hip.L", "hip.R"), pelvis_center,
                    (torso * 0.22, pelvis_w * _u(rng, 1.2, 1.5), pelvis_w * 0.8), axis=up)

    fingers = "hand.L" in b.names
    gloves = rng.random() < 0.5
    feet = _pick(rng, {"boots": 0.3, "big": 0.25, "none": 0.45})
    sleeves = not boxy and rng.random() < 0.15
    for side, s in SIDES:
        wrist, hand_end = (f"wrist{side}", f"hand{side}" if fingers else f"hand_end{side}")
        w, e = _at(b, wrist), _at(b, hand_end)
        if gloves and not fingers:
            mitten(b, _ids(b, wrist), w, e - w, float(np.linalg.norm(e - w)) * _u(rng, 1.1, 1.4),
                   r_arm * _u(rng, 1.8, 2.8))
        elif gloves:
            b.ellipsoid(_ids(b, wrist, hand_end), (w + e) / 2 + (e - w) * 0.2,
                        (float(np.linalg.norm(e - w)) * 0.75, r_arm * 1.5, r_arm * 0.8), axis=e - w)
        if sleeves:
            elbow = _at(b, f"elbow{side}")
            frustum(b, _ids(b, f"elbow{side}"), elbow, w + (w - elbow) * 0.1, r_arm * 1.1,
                    r_arm * _u(rng, 2.0, 3.2), round_start=0.5)
        knee, ankle, toe = (_at(b, f"{n}{side}") for n in ("knee", "ankle", "toe"))
        if feet == "boots":
            boot(b, _ids(b, f"knee{side}", f"ankle{side}"), knee, ankle, toe, r_leg * 0.72,
                 height=_u(rng, 0.3, 0.8), size=_u(rng, 1.25, 1.6))
        elif feet == "big":
            foot = toe - ankle
            b.ellipsoid(_ids(b, f"ankle{side}"), ankle + foot * 0.55,
                        (float(np.linalg.norm(foot)) * _u(rng, 0.75, 1.0), r_leg * _u(rng, 0.8, 1.2),
                         r_leg * 0.55), axis=foot, normal=UP)
    if not boxy:
        _outfit(b, rng, up=up, torso=torso, leg_len=leg_len, chest=chest, pelvis=pelvis, r_arm=r_arm,
                r_leg=r_leg, torso_bones=torso_bones)
    tail = _prefixed(b, "tail_")
    if tail and rng.random() < 0.6:
        _fur_tail(b, rng, tail, r_leg * 0.5)


def _outfit(b: Body, rng: np.random.Generator, *, up: np.ndarray, torso: float, leg_len: float,
            chest: tuple[np.ndarray, tuple[float, float, float]], pelvis: tuple[np.ndarray, float],
            r_arm: float, r_leg: float, torso_bones: tuple[int, ...]) -> None:
    """Shirt sleeves, and at most one of trousers, a skirt, a robe, a coat or a cape."""
    kind = _pick(rng, {"none": 0.3, "trousers": 0.2, "skirt": 0.17, "robe": 0.07, "coat": 0.1, "cape": 0.16})
    if kind not in ("robe", "coat") and rng.random() < 0.3:
        for side, _ in SIDES:
            shoulder, elbow, wrist = (_at(b, f"{n}{side}") for n in ("shoulder", "elbow", "wrist"))
            tube(b, _ids(b, f"shoulder{side}", f"elbow{side}"), np.array([shoulder, elbow, wrist]),
                 r_arm * np.array([_u(rng, 1.3, 1.6), _u(rng, 1.2, 1.5), _u(rng, 1.1, 1.4)]))
    if kind == "none":
        return
    if kind == "trousers":
        for side, _ in SIDES:
            hip, knee, ankle = (_at(b, f"{n}{side}") for n in ("hip", "knee", "ankle"))
            bones = _ids(b, f"hip{side}", f"knee{side}")
            b.capsule(bones, hip, knee, r_leg * _u(rng, 1.3, 1.6), r_leg * _u(rng, 1.1, 1.3))
            frustum(b, bones, knee, ankle, r_leg * 1.15, r_leg * _u(rng, 1.0, 1.7), round_start=1.0)
        return
    chest_center, (chest_up, chest_w, chest_d) = chest
    pelvis_center, pelvis_w = pelvis
    legs = _ids(b, "hip.L", "hip.R", "knee.L", "knee.R")
    spread = max(abs(_at(b, "knee.L")[0]), abs(_at(b, "knee.R")[0])) + r_leg
    if kind == "cape":
        top = chest_center + up * chest_up * 0.6 + BACK * chest_d * 1.05
        length = top[1] * _u(rng, 0.45, 0.9)
        width = max(chest_w, abs(_at(b, "shoulder.L")[0])) * _u(rng, 0.9, 1.1)
        b.capsule(torso_bones, top, top + unit(DOWN + BACK * _u(rng, 0.0, 0.35)) * length, width,
                  width * _u(rng, 1.3, 2.0), caps=(width * 0.15, width * 0.05), normal=FWD,
                  flatten=_u(rng, 0.06, 0.12))
        return
    if kind == "skirt":
        waist = pelvis_center + up * torso * 0.08
        reach = float(rng.choice([0.35, 0.6, 0.92], p=[0.3, 0.45, 0.25]))  # thighs, knees, ankles
        waist_r = pelvis_w * _u(rng, 1.0, 1.15)
    else:  # a robe to the ankles or a coat to the knees, both from the chest, with sleeves
        waist = chest_center + up * chest_up * 0.5
        reach = _u(rng, 0.85, 0.95) if kind == "robe" else _u(rng, 0.55, 0.75)
        waist_r = chest_w * _u(rng, 1.0, 1.1)
        cuff = _u(rng, 1.6, 3.0) if kind == "robe" else _u(rng, 1.3, 1.6)
        for side, _ in SIDES:
            shoulder, elbow, wrist = (_at(b, f"{n}{side}") for n in ("shoulder", "elbow", "wrist"))
            b.capsule(_ids(b, f"shoulder{side}"), shoulder, elbow, r_arm * 1.4, r_arm * 1.4)
            frustum(b, _ids(b, f"elbow{side}"), elbow, wrist, r_arm * 1.4, r_arm * cuff, round_start=0.5)
    length = waist[1] * reach
    hem_r = max(spread * _u(rng, 1.05, 1.5), waist_r * 1.1)
    frustum(b, torso_bones + legs, waist, waist + DOWN * length, waist_r, hem_r, bell=_u(rng, 0.9, 1.15),
            flatten=_u(rng, 0.7, 0.9))


def _fur_tail(b: Body, rng: np.random.Generator, tail: tuple[int, ...], radius: float) -> None:
    """A bushy tail (thickest before the tip) or a tuft at its end, skinned along the tail."""
    chain = (b.parents[tail[0]],) + tail
    points = np.array(b.positions)[list(chain)]
    bones = chain[:-1]
    if rng.random() < 0.55:
        t = np.linspace(0, 1, len(points))
        radii = radius * np.interp(t, [0, 0.7, 1], [0.8, _u(rng, 2.2, 3.5), _u(rng, 1.2, 2.0)])
        tube(b, bones, points, radii)
    else:
        end = points[-1]
        d = unit(end - points[-2])
        size = radius * _u(rng, 1.8, 3.0)
        b.ellipsoid(bones, end - d * size * 0.3, (size * 1.4, size, size), axis=d)


# --- quadrupeds ---------------------------------------------------------------------------------

def quadruped(b: Body, rng: np.random.Generator, head: Head, *, kind: str, body_r: float, body_len: float,
              widen: float, r_leg: float) -> None:
    """Ears for those without ear bones, horns or antlers, manes, muzzles; barrels, deep chests and
    haunches; hooves or paws; bushy tails, tufts; a lizard's crest or frill."""
    neck = _prefixed(b, "neck_")
    spine = _ids(b, "root", *[n for n in b.names if n.startswith("spine_")], "chest")
    if rng.random() < 0.85:  # a real skull, clearly wider than the neck
        grow = _u(rng, 1.15, 1.5)
        head = _wider(b, head, grow, grow, grow)
    su = head.semi[0]
    if rng.random() < (0.4 if kind == "giraffe" else 0.75):  # a neck as thick as the animal's
        chain = _ids(b, "chest") + neck
        points = np.vstack([np.array(b.positions)[list(chain)], head.center])
        tube(b, chain, points, np.linspace(body_r * _u(rng, 0.7, 0.95), su * _u(rng, 0.7, 0.9), len(points)),
             normal=LEFT, flatten=_u(rng, 0.7, 1.0))
    if "ear.L" not in b.names and kind != "lizard" and rng.random() < 0.85:
        _animal_head(b, rng, head, ear_weights={"pointed": 0.5, "round": 0.25, "floppy": 0.25})
    if kind in ("horse", "giraffe", "heavy", "dog") and rng.random() < 0.22:
        horns(b, head, _pick(rng, {"swept": 1.0, "curved": 1.0, "antlers": 1.0 if kind != "heavy" else 0.0}),
              su * _u(rng, 1.2, 2.5), spread=_u(rng, 15, 40))
    if kind == "horse" and rng.random() < 0.6:
        points = np.array(b.positions)[list(_ids(b, "chest") + neck)] + UP * body_r * 0.4
        ridge(b, neck + (b.names.index("chest"),), np.vstack([points, head.point(0.8, 0, -0.6)]), UP,
              body_r * _u(rng, 0.6, 1.0), thickness=0.35)
    elif kind in ("dog", "cat", "heavy") and rng.random() < 0.12:
        ruff(b, head, _u(rng, 1.6, 2.1), bones=neck)
    if kind != "lizard" and rng.random() < 0.4:  # jowls and jaw under the snout
        snout = _at(b, "snout")
        b.ellipsoid(_ids(b, "head"), (head.center + snout) / 2 - head.up * su * 0.3,
                    (float(np.linalg.norm(snout - head.center)) * 0.55, su * 0.6, su * 0.5),
                    axis=snout - head.center, normal=head.up)

    root, chest = _at(b, "root"), _at(b, "chest")
    if rng.random() < 0.65:  # a barrel
        b.ellipsoid(spine, (root + chest) / 2 - UP * body_r * _u(rng, 0.1, 0.4),
                    (body_len * _u(rng, 0.5, 0.62), body_r * widen * _u(rng, 1.15, 1.4),
                     body_r * _u(rng, 1.2, 1.5)), axis=chest - root, normal=UP)
    if rng.random() < 0.4:  # a deep chest
        b.ellipsoid(spine + neck[:1], chest - UP * body_r * 0.45, (body_r * 1.1, body_r * widen * 1.1,
                    body_r * _u(rng, 1.1, 1.4)), axis=FWD, normal=UP)
    if rng.random() < 0.4:  # haunches
        b.ellipsoid(spine + _ids(b, "hind_hip.L", "hind_hip.R"), root - UP * body_r * 0.2,
                    (body_r * 1.2, body_r * widen * _u(rng, 1.05, 1.3), body_r * 1.2), axis=FWD, normal=UP)
    hooved = kind in ("horse", "giraffe", "heavy")
    feet = rng.random() < 0.7
    for end in ("front", "hind"):
        top = "wrist" if end == "front" else "ankle"
        for side, _ in SIDES:
            if not feet:
                continue
            bones = _ids(b, f"{end}_{top}{side}")
            wrist, paw = _at(b, f"{end}_{top}{side}"), _at(b, f"{end}_paw{side}")
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
    tail = _prefixed(b, "tail_")
    if tail and kind == "lizard":
        if rng.random() < 0.45:
            chain = spine + tail[:-1]
            points = np.array(b.positions)[list(chain)] + UP * body_r * 0.6
            ridge(b, chain, points, UP, body_r * _u(rng, 0.3, 0.6), spikes=True)
        if rng.random() < 0.15:
            ruff(b, head, _u(rng, 1.8, 2.6), bones=neck)
    elif tail and rng.random() < 0.5:
        _fur_tail(b, rng, tail, body_r * 0.3)


# --- birds --------------------------------------------------------------------------------------

def bird(b: Body, rng: np.random.Generator, head: Head, *, body_r: float, body_len: float, axis: np.ndarray,
         chord: float, planes: dict[str, np.ndarray]) -> None:
    """Crests and combs, feathered wings with primaries past the wing tips, a tail fan past the tail
    bones, round bellies and feathered legs."""
    su = head.semi[0]
    if rng.random() < 0.6:  # a rounder skull
        grow = _u(rng, 1.1, 1.35)
        head = _wider(b, head, grow, grow, grow)
        su = head.semi[0]
    crest = _pick(rng, {"none": 0.65, "mohawk": 0.15, "spiky": 0.12, "comb": 0.08})
    if crest == "comb":
        points = np.array([head.point(0.8, 0, 0.6), head.point(1.0, 0, 0.0), head.point(0.8, 0, -0.6)])
        ridge(b, head.bones, points, head.up, su * _u(rng, 0.5, 0.9), spikes=True)
    elif crest != "none":
        hair(b, head, crest)
    if rng.random() < 0.75:
        for side, _ in SIDES:
            names = [f"shoulder{side}", f"elbow{side}", f"wrist{side}", f"wing_tip{side}"]
            points = np.array([_at(b, n) for n in names])
            wing_feathers(b, _ids(b, *names[:3]), points, chord * _u(rng, 0.8, 1.2), planes[side],
                          primaries=int(rng.integers(3, 6)), reach=_u(rng, 0.08, 0.3))
    if rng.random() < 0.6:  # a tail fan reaching past the last tail joint
        base, tip = _at(b, "tail_01"), _at(b, "tail_02")
        d = unit(tip - base)
        display = rng.random() < 0.25  # raised and spread like a turkey's, else flat
        if display:
            d = unit(d + UP * _u(rng, 0.8, 2.0))
        normal = unit(np.cross(d, LEFT))  # spread side to side
        reach = float(np.linalg.norm(tip - base)) * _u(rng, 1.3, 2.2)
        blade(b, _ids(b, "root", "tail_01"), base - d * body_r * 0.3, base + d * reach, body_r * 0.5,
              body_r * _u(rng, 1.2, 2.4) * (1.6 if display else 1.0), normal, thickness=0.08)
    root, chest = _at(b, "root"), _at(b, "chest")
    if rng.random() < 0.35:  # a round breast and belly
        b.ellipsoid(_ids(b, "root", "chest"), (root + chest) / 2 - UP * body_r * 0.2 + axis * body_len * 0.1,
                    (body_len * 0.45, body_r * _u(rng, 1.05, 1.3), body_r * _u(rng, 1.05, 1.3)), axis=axis)
    if rng.random() < 0.2:  # feathered thighs
        for side, _ in SIDES:
            hip, knee = _at(b, f"hip{side}"), _at(b, f"knee{side}")
            frustum(b, _ids(b, f"hip{side}"), hip, knee + (knee - hip) * 0.1, body_r * 0.35, body_r * 0.3,
                    bell=1.3)


# --- snakes and fish ----------------------------------------------------------------------------

def snake(b: Body, rng: np.random.Generator, head: Head, *, upright: bool, radius: float) -> None:
    """Now and then a dragon's crest along the back, horns, or a rattle at the tail's end."""
    chain = tuple(k for k, n in enumerate(b.names) if n != "head")
    if not upright and rng.random() < 0.15:
        order = sorted(chain, key=lambda k: -b.positions[k][2])  # head end first
        points = np.array(b.positions)[order] + UP * radius * 0.5
        ridge(b, tuple(order[:-1]), points, UP, radius * _u(rng, 0.8, 1.6), spikes=rng.random() < 0.5)
    if rng.random() < 0.1:
        horns(b, head, "swept", head.semi[2] * _u(rng, 0.8, 1.4), spread=_u(rng, 20, 45))
    if rng.random() < 0.1:
        end = b.names.index("tail_end")
        p, q = b.positions[b.parents[end]], b.positions[end]
        d = unit(q - p)
        for k in range(3):
            b.ellipsoid((b.parents[end],), q + d * radius * (0.5 + 0.8 * k), (radius * 0.5, radius * 0.55,
                        radius * 0.4), axis=d, normal=UP)


def fish(b: Body, rng: np.random.Generator, *, height: float, radii: np.ndarray) -> None:
    """A caudal fin spanning the two tail-fin bones, pelvic, anal and second dorsal fins, a big jaw."""
    spine = _prefixed(b, "spine_") + _ids(b, "tail_base")
    points = np.array(b.positions)[list(spine)]
    tail, upper, lower = _at(b, "tail_base"), _at(b, "tail_fin_upper"), _at(b, "tail_fin_lower")
    if rng.random() < 0.7:
        tips = (upper + lower) / 2
        blade(b, _ids(b, "tail_base"), tail, tips + (tips - tail) * _u(rng, -0.1, 0.2), height * 0.25,
              float(np.linalg.norm(upper - lower)) * _u(rng, 0.7, 1.0), LEFT, thickness=0.06)
    if rng.random() < 0.5:
        for side, s in SIDES:
            base = points[0] - UP * radii[1] * 0.8 + LEFT * s * height * 0.12
            tip = base + unit(DOWN + BACK * 0.9 + LEFT * s * 0.3) * height * _u(rng, 0.3, 0.5)
            blade(b, spine[:2], base, tip, height * 0.3, height * 0.08, unit(LEFT * s + UP * 0.3),
                  thickness=0.15)
    k = (2 * len(spine)) // 3
    if rng.random() < 0.5:  # an anal fin under the tail
        base = points[k] - UP * radii[k + 1] * 0.8
        blade(b, spine[k - 1:k + 1], base, base + unit(DOWN + BACK * 0.8) * height * _u(rng, 0.3, 0.55),
              height * 0.4, height * 0.1, LEFT, thickness=0.12)
    if rng.random() < 0.3:  # a second dorsal fin
        base = points[k] + UP * radii[k + 1] * 0.8
        blade(b, spine[k - 1:k + 1], base, base + unit(UP + BACK * 0.8) * height * _u(rng, 0.25, 0.45),
              height * 0.35, height * 0.08, LEFT, thickness=0.12)
    if rng.random() < 0.3:  # a big head and jaw
        head = _at(b, "head")
        root = _at(b, "root")
        b.ellipsoid(_ids(b, "root"), (root + head) / 2 - UP * height * 0.08,
                    (float(np.linalg.norm(head - root)) * 0.6, height * _u(rng, 0.45, 0.6), height * 0.55),
                    axis=head - root, normal=LEFT)


# --- many legs, plants and objects --------------------------------------------------------------

def many_legs(b: Body, rng: np.random.Generator, kind: str, scale: float) -> None:
    """Insects' eyes, mandibles, wing pairs and wing cases; spiders' fangs and fat abdomens; an
    octopus's web and mantle; a centipede's jaws and tail feelers. `scale`: the body's radius."""
    root = _at(b, "root")
    if kind in ("insect", "spider", "centipede") and rng.random() < 0.45:  # mandibles or fangs
        head = _at(b, "head") if "head" in b.names else root
        owner = _ids(b, "head") or _ids(b, "root")
        for _, s in SIDES:
            base = head + FWD * scale * 0.35 + LEFT * s * scale * 0.15 - UP * scale * 0.1
            tip = base + unit(FWD + LEFT * s * 0.4 - UP * 0.3) * scale * _u(rng, 0.3, 0.5)
            b.capsule(owner, base, tip, scale * 0.08, scale * 0.03)
    if kind == "insect":
        head = _at(b, "head")
        if rng.random() < 0.5:  # compound eyes
            for _, s in SIDES:
                b.ellipsoid(_ids(b, "head"),
                            head + LEFT * s * scale * 0.3 + UP * scale * 0.1 + FWD * scale * 0.1,
                            (scale * 0.22, scale * 0.22, scale * 0.2))
        end = _at(b, "abdomen_end")
        abdomen = _at(b, "abdomen")
        if "wing.L" in b.names and rng.random() < 0.5:  # hind wings
            for side, s in SIDES:
                start = _at(b, f"wing{side}") + BACK * scale * 0.3
                tip = start + unit(BACK + LEFT * s * _u(rng, 0.5, 1.5)) * scale * _u(rng, 1.2, 2.0)
                blade(b, _ids(b, f"wing{side}", "root"), start, tip, scale * 0.3, scale * 0.9, UP,
                      thickness=0.06)
        elif "wing.L" not in b.names and rng.random() < 0.5:  # wing cases over the abdomen
            for _, s in SIDES:
                b.ellipsoid(_ids(b, "root", "abdomen"),
                            (abdomen + end) / 2 + UP * scale * 0.35 + LEFT * s * scale * 0.3,
                            (float(np.linalg.norm(end - abdomen)) * 0.6, scale * 0.4, scale * 0.3),
                            axis=end - abdomen, normal=UP)
    elif kind == "spider" and rng.random() < 0.4:  # a fat abdomen
        end, abdomen = _at(b, "abdomen_end"), _at(b, "abdomen")
        b.ellipsoid(_ids(b, "abdomen"), (abdomen + end) / 2, (float(np.linalg.norm(end - abdomen)) * 0.65,
                    scale * _u(rng, 1.2, 1.6), scale * 1.1), axis=end - abdomen, normal=UP)
    elif kind == "octopus":
        arms = tuple(k for k, n in enumerate(b.names) if n.startswith("arm_") and n.endswith(("_1", "_2")))
        if rng.random() < 0.5:  # the web between the arms
            reach = max(float(np.linalg.norm(b.positions[k] - root)) for k in arms)
            semi = (scale * 0.25, reach * _u(rng, 0.5, 0.8), reach * _u(rng, 0.5, 0.8))
            b.ellipsoid(_ids(b, "root") + arms, root - UP * scale * 0.3, semi, axis=UP, normal=FWD)
        if rng.random() < 0.35:
            top = _at(b, "mantle_end")
            b.ellipsoid(_ids(b, "mantle"), (root + top * 2) / 3, (float(np.linalg.norm(top - root)) * 0.6,
                        scale * _u(rng, 1.2, 1.6), scale * 1.2), axis=top - root, normal=FWD)
    elif kind == "centipede" and rng.random() < 0.3:  # feelers at the tail
        last = max((k for k, n in enumerate(b.names) if n.startswith("segment_")), default=0)
        p = b.positions[last]
        for _, s in SIDES:
            b.capsule(_ids(b, "root", *[n for n in b.names if n.startswith("segment_")]), p,
                      p + unit(BACK + LEFT * s * 0.5) * scale * 2.5, scale * 0.15, scale * 0.06)


def canopy(b: Body, rng: np.random.Generator, height: float) -> None:
    """Foliage clusters around the branch tips and often one crown over them."""
    if rng.random() >= 0.55:
        return
    parents = np.asarray(b.parents)
    leaves = [k for k in range(len(b.names)) if k not in parents and b.names[k].startswith("branch_")]
    branches = tuple(k for k, n in enumerate(b.names) if n.startswith(("branch_", "trunk_")) and k in parents)
    size = height * _u(rng, 0.12, 0.22)
    tips = np.array(b.positions)[leaves]
    for tip in tips:
        b.ellipsoid(branches, tip, (size * _u(rng, 0.8, 1.2), size, size * _u(rng, 0.8, 1.2)))
    if rng.random() < 0.6:
        lo, hi = tips.min(axis=0), tips.max(axis=0)
        semi = np.maximum((hi - lo)[[1, 0, 2]] * 0.45, size)  # along up, across, front to back
        b.ellipsoid(branches, (lo + hi) / 2 + UP * size * 0.3, tuple(semi), axis=UP, normal=FWD)


def cactus(b: Body, rng: np.random.Generator) -> None:
    """A flower pot and flowers on the arm tips."""
    root = _at(b, "root")
    radius = root[1]
    trunk = _prefixed(b, "trunk_")
    if rng.random() < 0.35:
        frustum(b, _ids(b, "root") + trunk[:1], root + UP * radius * 1.5, root - UP * radius * 1.1,
                radius * _u(rng, 1.8, 2.4), radius * 1.4, round_start=0.05, square=_u(rng, 0.5, 1.0))
    if rng.random() < 0.3:
        parents = np.asarray(b.parents)
        for k in [k for k in range(len(b.names)) if k not in parents]:
            b.ellipsoid((b.parents[k],), b.positions[k] + UP * radius * 0.6,
                        (radius * 0.4, radius * 0.6, radius * 0.6))


def lamp(b: Body, rng: np.random.Generator) -> None:
    """A shade (cone, bell, dome or drum) reaching well past the arm's last joint; a heavier base."""
    head, end = _at(b, "head"), _at(b, "shade_end")
    d = unit(end - head)
    length = float(np.linalg.norm(end - head))
    arm = float(np.linalg.norm(_at(b, "elbow") - _at(b, "head")))
    if rng.random() < 0.85:
        kind = _pick(rng, {"cone": 0.35, "bell": 0.25, "dome": 0.25, "drum": 0.15})
        mouth = length * _u(rng, 0.5, 0.9) * (1.3 if kind == "dome" else 1.0)
        top = {"drum": mouth * 0.85, "dome": mouth * 0.15}.get(kind, mouth * _u(rng, 0.2, 0.4))
        frustum(b, _ids(b, "head"), head - d * length * 0.1, head + d * length * _u(rng, 1.3, 1.9), top,
                mouth,
                bell={"bell": 0.8, "dome": 1.4}.get(kind, 1.0), round_start=0.6 if kind == "dome" else 0.2)
    if rng.random() < 0.4:
        root = _at(b, "root")
        b.ellipsoid(_ids(b, "root"), root, (arm * 0.08, arm * _u(rng, 0.45, 0.7), arm * _u(rng, 0.45, 0.7)),
                    axis=UP, normal=FWD, square=_u(rng, 0.3, 1.0))


def chair(b: Body, rng: np.random.Generator) -> None:
    """Seat cushions, an upholstered backrest taller than its bone, a skirt hiding the legs' tops,
    arm panels; a round cushion on a stool."""
    root = _at(b, "root")
    seat_h = root[1]
    stool = "leg_1_top" in b.names
    tops = [n for n in b.names if n.endswith(("_top", "_top.L", "_top.R")) and "leg" in n]
    w = max(abs(_at(b, n)[0]) for n in tops) / 0.8
    d = max(abs(_at(b, n)[2]) for n in tops) / 0.8
    thick = seat_h * 0.06
    if rng.random() < (0.7 if stool else 0.55):
        b.ellipsoid(_ids(b, "root"), root + UP * thick * 1.5, (thick * _u(rng, 1.2, 2.5), w * 1.05, d * 1.05),
                    axis=UP, normal=FWD, square=0.8 if stool else _u(rng, 0.3, 0.6))
    if not stool and rng.random() < 0.5:
        base, top = _at(b, "back_base"), _at(b, "back_top")
        up = unit(top - base)
        past = top + up * float(np.linalg.norm(top - base)) * _u(rng, 0.1, 0.35)  # taller than the bone
        b.capsule(_ids(b, "back_base"), base, past,
                  w * _u(rng, 0.95, 1.15), w * _u(rng, 0.9, 1.15), caps=(thick, thick), normal=FWD,
                  flatten=thick * _u(rng, 1.5, 3.0) / w, square=0.3)
    if rng.random() < 0.15:
        frustum(b, _ids(b, "root", *tops), root, root - UP * seat_h * _u(rng, 0.3, 0.6), w * 1.1, w * 1.15,
                normal=FWD, flatten=d / w, round_start=0.05, square=0.25)
    if "armrest.L" in b.names and rng.random() < 0.5:
        for side, s in SIDES:
            post, rest = _at(b, f"armrest_post{side}"), _at(b, f"armrest{side}")
            b.ellipsoid(_ids(b, f"armrest_post{side}", "root"),
                        (post + rest) / 2 - UP * (post[1] - seat_h) * 0.5,
                        ((post[1] - seat_h) * 0.5, float(np.linalg.norm(rest - post)) * 0.5, thick),
                        axis=UP, normal=LEFT, square=0.3)
