"""Unboned parts: the volumes real characters have that no bone of their rig runs through.

Ears, horns, hair, hats, muzzles and manes around a skull; skirts, capes, sleeves and lamp shades
(`frustum`); mittens, boots at the ends of limbs; fur along tails (`tube`); fins, tail fans and
feathers (`blade`, `wing_feathers`); crests and ridges along a back. Each is made of `Body`
primitives given a tuple of joints, so its vertices are skinned to the nearest of those bones (an
ear to the head, a skirt to the hips and thighs) and the rig stays the artist's: these are exactly
the places where a silhouette's medial axis grows a spur, merges two legs into one line or stops
short of where an artist ends a bone.

Every function is deterministic in its arguments; each family's `dress` (`trainer.characters`)
draws them for the procedural templates and `trainer.rigify_set` places them on the metarigs.
Frame: RigNet's (Y up, facing +Z, left at +X); things that hang (hair, skirts, capes) hang along -Y.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .bodies import Body, bend, curve, rotation, unit

DOWN = np.array([0.0, -1.0, 0.0])
FWD = np.array([0.0, 0.0, 1.0])
EAR_KINDS = ("pointed", "round", "long", "floppy", "human")
HORN_KINDS = ("swept", "curved", "unicorn", "antlers")
HAIR_KINDS = ("cap", "long", "ponytail", "bun", "spiky", "afro", "mohawk")
HAT_KINDS = ("top", "witch", "helmet", "cap")
Bones = tuple[int, ...]


@dataclass(frozen=True, eq=False)
class Head:
    """A skull: an ellipsoid with semi-axes `semi` along `up` (toward the crown), across, and `face`."""

    bones: Bones  # what the head's parts are skinned to
    center: np.ndarray
    up: np.ndarray
    face: np.ndarray  # perpendicular to `up`
    semi: tuple[float, float, float]

    @property
    def side(self) -> np.ndarray:
        """Toward the character's left."""
        return np.cross(self.up, self.face)

    def point(self, up: float, side: float, face: float) -> np.ndarray:
        """The point at these fractions of the semi-axes from the centre."""
        su, ss, sf = self.semi
        return self.center + self.up * su * up + self.side * ss * side + self.face * sf * face

    def surface(self, direction: np.ndarray) -> np.ndarray:
        """Where the ray from the centre along `direction` leaves the skull."""
        d = unit(direction)
        local = np.array([d @ self.up, d @ self.side, d @ self.face]) / np.array(self.semi)
        return self.center + d / float(np.linalg.norm(local))

    def toward(self, up: float, side: float, face: float) -> np.ndarray:
        """A unit direction given in the head's own axes."""
        return unit(self.up * up + self.side * side + self.face * face)


def frustum(b: Body, bones: Bones, start: np.ndarray, end: np.ndarray, radius: float, end_radius: float, *,
            bell: float = 1.0, normal: np.ndarray = FWD, flatten: float = 1.0, round_start: float = 0.35,
            square: float = 1.0) -> None:
    """A cone with a flat end at `end`: a skirt, a sleeve's cuff, a hat's crown, a lamp shade.

    `bell` scales the middle radius (> 1 a bell, < 1 a flared trumpet); `round_start` is the length
    of the rounded start as a fraction of `radius`.
    """
    b.capsule(bones, start, end, radius, end_radius, mid_radius=bell * (radius + end_radius) / 2,
              caps=(radius * round_start, end_radius * 0.04), normal=normal, flatten=flatten, square=square)


def blade(b: Body, bones: Bones, start: np.ndarray, end: np.ndarray, start_width: float, end_width: float,
          normal: np.ndarray, *, thickness: float = 0.1, bulge: float = 1.0) -> None:
    """A flat shape across `normal`, `start_width` wide at `start` and `end_width` at `end`: a fin is
    wide at its base, a tail fan at its end. `thickness` is relative to the widest part."""
    r0, r1 = start_width / 2, end_width / 2
    b.capsule(bones, start, end, r0, r1, mid_radius=bulge * (r0 + r1) / 2, caps=(r0 * 0.5, r1 * 0.5),
              normal=normal, flatten=thickness)


def tube(b: Body, bones: Bones, points: np.ndarray, radii: np.ndarray, **shape) -> None:
    """Round pieces through `points` with `radii` at them: a horn, fur along a tail."""
    for k in range(len(points) - 1):
        b.capsule(bones, points[k], points[k + 1], float(radii[k]), float(radii[k + 1]), **shape)


def ears(b: Body, head: Head, kind: str, size: float, *, spread: float = 35.0, lean: float = 0.0) -> None:
    """A pair of `size`-long ears `spread` degrees from the crown toward each side, leaning back `lean`."""
    for s in (1.0, -1.0):
        d = rotation(head.side, -lean) @ head.toward(math.cos(math.radians(spread)),
                                                     s * math.sin(math.radians(spread)), 0.0)
        base = head.surface(d)
        inside = head.center + (base - head.center) * 0.8
        if kind == "pointed":
            b.capsule(head.bones, inside, base + d * size, size * 0.42, size * 0.1, mid_radius=size * 0.28,
                      caps=(size * 0.15, size * 0.3), normal=head.face, flatten=0.35)
        elif kind == "round":
            b.ellipsoid(head.bones, base + d * size * 0.3, (size * 0.5, size * 0.5, size * 0.15), axis=d,
                        normal=head.face)
        elif kind == "long":
            b.capsule(head.bones, inside, base + d * size * 0.85, size * 0.1, size * 0.13,
                      mid_radius=size * 0.17, caps=(size * 0.1, size * 0.15), normal=head.face, flatten=0.35)
        elif kind == "floppy":
            hang = unit(DOWN + head.side * s * 0.35 - head.face * 0.1)
            b.capsule(head.bones, inside, base + hang * size, size * 0.22, size * 0.26, mid_radius=size * 0.3,
                      caps=(size * 0.2, size * 0.26), normal=unit(head.side * s + head.up * 0.3),
                      flatten=0.35)
        elif kind == "human":
            at = head.surface(head.side * s - head.face * 0.1)
            b.ellipsoid(head.bones, at, (size * 0.5, size * 0.3, size * 0.16), axis=head.up, normal=head.side)
        else:
            raise ValueError(f"unknown ear kind {kind!r}")


def horns(b: Body, head: Head, kind: str, size: float, *, spread: float = 30.0) -> None:
    """Horns `size` long on top of the skull (one for a unicorn; antlers branch)."""
    if kind == "unicorn":
        base = head.surface(head.toward(0.6, 0.0, 0.8))
        d = head.toward(0.75, 0.0, 0.65)
        b.capsule(head.bones, base - d * size * 0.1, base + d * size, size * 0.12, size * 0.02,
                  caps=(size * 0.05, size * 0.04))
        return
    for s in (1.0, -1.0):
        if kind == "swept":  # up, then back like a goat's
            d0 = head.toward(math.cos(math.radians(spread)), s * math.sin(math.radians(spread)), 0.3)
            toward, bends, radii = -head.face, (0.0, 25.0, 30.0), (0.17, 0.13, 0.08, 0.03)
        elif kind == "curved":  # out to the side, then up like a bull's
            d0 = head.toward(0.35, s, 0.1)
            toward, bends, radii = head.up, (0.0, 40.0, 40.0), (0.16, 0.13, 0.08, 0.03)
        elif kind == "antlers":
            d0 = head.toward(1.0, s * 0.9, -0.3)
            toward, bends, radii = head.side * s, (0.0, -15.0, -15.0), (0.07, 0.06, 0.045, 0.025)
        else:
            raise ValueError(f"unknown horn kind {kind!r}")
        base = head.surface(unit(d0 + head.up))
        points = np.vstack([base - d0 * size * 0.1,
                            curve(base, d0, np.full(3, size / 3), toward, np.asarray(bends))])
        tube(b, head.bones, points, size * np.asarray(radii), caps=(size * radii[0], size * 0.03))
        if kind == "antlers":
            for k, p in enumerate(points[1:]):
                tine = bend(head.toward(1.0, s * 0.2, 0.5), head.side * s, -10.0 * k)
                b.capsule(head.bones, p, p + tine * size * 0.4, size * 0.04, size * 0.015)


def hair(b: Body, head: Head, kind: str, *, bones: Bones = ()) -> None:
    """Hair over the skull; `long` hair and a ponytail hang down and are skinned to `bones` as well
    (the neck and chest)."""
    su, ss, sf = head.semi
    hanging = head.bones + tuple(bones)
    if kind == "afro":
        b.ellipsoid(head.bones, head.point(0.35, 0, -0.1), (su * 1.15, ss * 1.45, sf * 1.3), axis=head.up,
                    normal=head.face)
        return
    if kind == "mohawk":
        b.ellipsoid(head.bones, head.point(0.85, 0, -0.15), (sf * 1.0, su * 0.5, ss * 0.14), axis=head.face,
                    normal=head.side)
        return
    b.ellipsoid(head.bones, head.point(0.18, 0, -0.12), (su * 0.93, ss * 1.1, sf * 1.08), axis=head.up,
                normal=head.face)  # the cap every other cut starts from
    if kind == "long":
        top = head.point(0.3, 0, -0.4)
        b.capsule(hanging, top, top + DOWN * su * 2.6, ss * 1.0, ss * 1.2, mid_radius=ss * 1.12,
                  caps=(ss * 0.3, ss * 0.25), normal=head.face, flatten=0.4)
    elif kind == "ponytail":
        top = head.point(0.35, 0, -1.0)
        b.capsule(hanging, top, top + unit(DOWN - head.face * 0.5) * su * 1.8, ss * 0.3, ss * 0.2,
                  mid_radius=ss * 0.4)
    elif kind == "bun":
        b.ellipsoid(head.bones, head.point(0.95, 0, -0.45), (su * 0.42, su * 0.42, su * 0.42))
    elif kind == "spiky":
        for angle in np.linspace(-70, 70, 5):
            d = rotation(head.face, -angle) @ head.toward(1.0, 0.0, -0.25)
            base = head.surface(d)
            b.capsule(head.bones, head.center + (base - head.center) * 0.8, base + d * su * 0.55, su * 0.22,
                      su * 0.05, caps=(su * 0.1, su * 0.08))
    elif kind != "cap":
        raise ValueError(f"unknown hair kind {kind!r}")


def hat(b: Body, head: Head, kind: str) -> None:
    """A hat on the skull: a top hat, a witch's cone, a helmet, a cap with a visor."""
    su, ss, sf = head.semi
    if kind == "helmet":
        b.ellipsoid(head.bones, head.point(0.15, 0, -0.05), (su * 1.0, ss * 1.18, sf * 1.15), axis=head.up,
                    normal=head.face)
        return
    if kind == "cap":
        b.ellipsoid(head.bones, head.point(0.25, 0, -0.05), (su * 0.9, ss * 1.1, sf * 1.08), axis=head.up,
                    normal=head.face)
        b.ellipsoid(head.bones, head.point(0.45, 0, 0.9), (sf * 0.6, ss * 0.8, su * 0.05), axis=head.face,
                    normal=head.up)
        return
    b.ellipsoid(head.bones, head.point(0.6, 0, 0), (su * 0.06, ss * 1.75, sf * 1.6), axis=head.up,
                normal=head.face)  # the brim
    base = head.point(0.4, 0, 0)
    if kind == "top":
        frustum(b, head.bones, base, head.point(1.9, 0, 0), ss * 0.85, ss * 0.9, normal=head.face,
                flatten=sf / ss, round_start=0.1)
    elif kind == "witch":
        tip = base + bend(head.up, -head.face, 20.0) * su * 2.3
        b.capsule(head.bones, base, tip, ss * 0.95, ss * 0.1, caps=(ss * 0.1, ss * 0.2), normal=head.face,
                  flatten=sf / ss)
    else:
        raise ValueError(f"unknown hat kind {kind!r}")


def muzzle(b: Body, head: Head, length: float, radius: float, *, drop: float = 0.3) -> None:
    """A snout `length` long in front of the face, `drop` (fraction of the skull) below its centre."""
    start = head.point(-drop, 0, 0.6)
    b.ellipsoid(head.bones, start + head.face * length * 0.45, (length * 0.6, radius, radius * 0.85),
                axis=head.face, normal=head.up)
    b.ellipsoid(head.bones, start + head.face * length * 0.95, (radius * 0.3, radius * 0.35, radius * 0.3),
                axis=head.face, normal=head.up)  # the nose


def ruff(b: Body, head: Head, size: float, *, bones: Bones = ()) -> None:
    """A lion's mane: a disc of fur `size` times the skull around the face, skinned to head and `bones`."""
    su, ss, sf = head.semi
    b.ellipsoid(head.bones + tuple(bones), head.point(-0.15, 0, -0.45), (su * size, ss * size, sf * 0.7),
                axis=head.up, normal=head.face)


def ridge(b: Body, bones: Bones, points: np.ndarray, up: np.ndarray, height: float, *,
          spikes: bool = False, thickness: float = 0.25) -> None:
    """A crest along `points` (a back, a neck): one flat lobe per segment rising `height` along `up`,
    or a row of cones."""
    for p, q in pairwise(points):
        mid = (p + q) / 2
        along = q - p
        length = float(np.linalg.norm(along))
        if spikes:
            b.capsule(bones, mid, mid + up * height, length * 0.3, length * 0.04,
                      caps=(length * 0.1, height * 0.1))
        else:
            side = np.cross(up, along)
            semi = (length * 0.6, height * 0.6, height * 0.6 * thickness)
            b.ellipsoid(bones, mid + up * height * 0.4, semi, axis=along, normal=side)


def mitten(b: Body, bones: Bones, wrist: np.ndarray, direction: np.ndarray, length: float, width: float, *,
           thumb: bool = True) -> None:
    """A glove or paw `length` long from the wrist along `direction`, with a thumb toward the front."""
    d = unit(direction)
    front = FWD - (FWD @ d) * d
    front = unit(front) if np.linalg.norm(front) > 0.2 else unit(np.cross(d, (1.0, 0.0, 0.0)))
    b.ellipsoid(bones, wrist + d * length * 0.5, (length * 0.55, width, width * 0.75), axis=d, normal=front)
    if thumb:
        b.ellipsoid(bones, wrist + d * length * 0.3 + front * width * 0.7, (length * 0.28, width * 0.35,
                    width * 0.35), axis=unit(d + front))


def boot(b: Body, bones: Bones, knee: np.ndarray, ankle: np.ndarray, toe: np.ndarray, radius: float, *,
         height: float = 0.5, size: float = 1.3) -> None:
    """A boot: a shaft from `height` of the shin down to the ankle and a sole past the toe joint."""
    top = ankle + (knee - ankle) * height
    frustum(b, bones, top, ankle, radius * size * 0.95, radius * size, round_start=0.15)
    foot = toe - ankle
    b.capsule(bones, ankle - foot * 0.15, toe + foot * 0.25, radius * size, radius * size * 0.85,
              mid_radius=radius * size * 1.05, normal=np.array([0.0, 1.0, 0.0]), flatten=0.65, square=0.7)


def wing_feathers(b: Body, bones: Bones, points: np.ndarray, chord: float, normal: np.ndarray, *,
                  primaries: int = 4, reach: float = 0.25) -> None:
    """Feathers behind a wing's bones (`points`: shoulder to tip) and `primaries` fanning past its tip
    by `reach` of the wing's length; `normal` is the wing plane's."""
    span = float(np.linalg.norm(np.diff(points, axis=0), axis=1).sum())
    for k, (p, q) in enumerate(pairwise(points)):
        d = unit(q - p)
        back = unit(np.cross(normal, d))
        if back[2] > 0 or (abs(back[2]) < 1e-6 and back[1] > 0):  # trailing edges point back (or down)
            back = -back
        w0, w1 = chord * (1.3 if k == 0 else 1.0), chord * 0.9
        blade(b, bones, p + back * w0 * 0.35, q + back * w1 * 0.35, w0 * 1.6, w1 * 1.6, normal,
              thickness=0.1)
    wrist, tip = points[-2], points[-1]
    d = unit(tip - wrist)
    back = unit(np.cross(normal, d))
    back = -back if back[2] > 0 else back
    for k in range(primaries):
        f = unit(d + back * (0.15 + 0.35 * k / max(primaries - 1, 1)))  # fanned in the wing's plane
        length = (float(np.linalg.norm(tip - wrist)) + span * reach) * (1.0 - 0.12 * k)
        blade(b, bones, wrist, wrist + f * length, chord * 0.35, chord * 0.4, normal, thickness=0.15)
