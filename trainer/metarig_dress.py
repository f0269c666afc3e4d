"""Realistic bodies for the Rigify metarigs: the volumes an artist's character has beyond its counted bones.

The ground truth of a metarig (`trainer.rigify_set`) leaves out the face, the hair, the fingers,
paws, claws and feathers and the deform helpers. Those bones are still the artist's drawing of the
body, so they place its unboned parts here (the same `trainer.parts` primitives the procedural
characters get), each skinned to the nearest counted bone above it:

- fingers, toes, claws become capsules along their bones (palms flattened), so hands and paws have
  their real shape; feathers, manes and small fins become flat blades along theirs;
- helpers (breast, chest, abdomen, belly, pelvis, hip, clavicles) become volumes as thick as a
  third of their length: chests, bellies and hips; a horse's skull helpers become its long head;
- where a metarig has a full face (human, cat, wolf), the face bones outline a cranium and a muzzle
  (ellipsoids around them) and two ears (blades through each ear's loop of bones); beaks, jaws and
  nostrils elsewhere get capsules along their bones;
- a few parts no bone describes are added from the metarig's proportions: hair on the humans (and a
  dress on `basic_human`), shoes, ears and a muzzle on `basic_quadruped`, barrels, hooves, bushy
  tails, a bird's tail fan, a shark's triangular fins and the membrane of its forked tail.

Every part is deterministic: the metarig set is one fixed evaluation, not a random draw.
"""
from __future__ import annotations

import numpy as np

from .bodies import Body, unit
from .metarig import GroundTruth, MetarigBone
from .parts import DOWN, FWD, Head, blade, boot, ears, frustum, hair, mitten, muzzle, tube, wing_feathers

UP = np.array([0.0, 1.0, 0.0])
LEFT = np.array([1.0, 0.0, 0.0])
HELPERS = ("breast", "Breast", "chest", "abdomen", "belly", "pelvis", "hip")
CRANIUM = ("forehead", "temple", "brow", "lid", "eye", "cheek", "jaw")
MUZZLE = ("nose", "lip", "chin", "teeth", "tongue")
HELPER_THICKNESS = 0.35  # radius of a helper's volume, fraction of its length (a long skull: less)
SKULL_THICKNESS = (0.22, 0.14)
DIGIT = {"Fingers": 0.28, "Paws": 0.34, "Claws": 0.2}  # finger, toe and claw radii, fraction of length


def dress_metarig(name: str, b: Body, truth: GroundTruth, bones: list[MetarigBone]) -> None:
    """Add the unboned parts of metarig `name` to its plain body `b` (joints = `truth`)."""
    size = float(np.ptp(truth.positions, axis=0).max())
    owner = _owners(truth, bones)
    full_face = any(bone.name.startswith("lip") for bone in bones)
    for bone in bones:
        if bone.name in truth.names or bone.name not in owner:
            continue
        _detail(b, bone, owner[bone.name], full_face)
    if full_face:
        _face(b, truth, bones, owner)
    _EXTRAS.get(name, lambda *_: None)(b, truth, size)


def _owners(truth: GroundTruth, bones: list[MetarigBone]) -> dict[str, tuple[int, ...]]:
    """For each bone left out of the truth: its nearest counted ancestor joint and that joint's parent."""
    by_name = {bone.name: bone for bone in bones}
    index = {n: k for k, n in enumerate(truth.names)}
    out = {}
    for bone in bones:
        if bone.name in index:
            continue
        parent = bone.parent
        while parent is not None and parent not in index:
            parent = by_name[parent].parent
        if parent is not None:
            k = index[parent]
            out[bone.name] = (k,) + ((int(truth.parents[k]),) if truth.parents[k] >= 0 else ())
    return out


def _detail(b: Body, bone: MetarigBone, skin: tuple[int, ...], full_face: bool) -> None:
    length = float(np.linalg.norm(bone.tail - bone.head))
    if length < 1e-6:
        return
    d = unit(bone.tail - bone.head)
    groups = {c.split(".")[0].split(" ")[0] for c in bone.collections}
    if groups & set(DIGIT):
        r = length * DIGIT[next(iter(groups & set(DIGIT)))]
        palm = "palm" in bone.name
        b.capsule(skin, bone.head, bone.tail, r * (1.3 if palm else 1.0), r * (1.3 if palm else 0.8),
                  normal=UP, flatten=0.6 if palm else 1.0)
    elif "Feathers" in groups:
        width = length * (1.1 if bone.name.startswith("t_") else 0.6)
        blade(b, skin, bone.head, bone.tail + d * length * 0.1, width * 0.6, width, _flat_normal(d),
              thickness=0.08)
    elif "Hair" in groups:  # a mane: one lobe per bone, in the body's plane of symmetry
        blade(b, skin, bone.head - d * length * 0.3, bone.tail, length * 1.8, length * 1.2, LEFT,
              thickness=0.1)
    elif "Fins" in groups:
        blade(b, skin, bone.head - d * length * 0.2, bone.tail, length * 1.0, length * 0.2,
              LEFT if abs(bone.head[0]) < 1e-3 else _flat_normal(d), thickness=0.12)
    elif "Face" in groups:
        if full_face:
            return  # outlined by `_face`
        if bone.name.startswith("ear"):
            blade(b, skin, bone.head - d * length * 0.2, bone.tail + d * length * 0.2, length * 0.8,
                  length * 0.35, FWD, thickness=0.25)
        elif bone.name.startswith("beak"):
            b.capsule(skin, bone.head, bone.tail, length * 0.45, length * 0.2,
                      caps=(length * 0.3, length * 0.3))
        elif not bone.name.startswith(("tongue", "eye")):  # jaws, nostrils, a skull
            b.capsule(skin, bone.head, bone.tail, length * 0.3, length * 0.3)
    elif bone.name.startswith("skull"):  # from the poll to the nose: thinning toward the muzzle
        b.capsule(skin, bone.head, bone.tail, length * SKULL_THICKNESS[0], length * SKULL_THICKNESS[1])
    elif bone.name.startswith(HELPERS):
        r = length * HELPER_THICKNESS
        b.capsule(skin, bone.head, bone.tail, r, r)
    elif bone.name.startswith("shoulder"):  # clavicles
        b.capsule(skin, bone.head, bone.tail, length * 0.2, length * 0.2)


def _flat_normal(d: np.ndarray) -> np.ndarray:
    """The normal of a flat part spread sideways along `d` (a wing's or tail's feather)."""
    n = np.cross(d, LEFT)
    return unit(n) if np.linalg.norm(n) > 0.3 else UP


def _points(bones: list[MetarigBone], prefixes: tuple[str, ...], side: str = "") -> np.ndarray:
    picked = [bone for bone in bones if "Face" in bone.collections and bone.name.startswith(prefixes)
              and (not side or bone.name.endswith(side) or f"{side}." in bone.name)]
    return np.array([p for bone in picked for p in (bone.head, bone.tail)])


def _face(b: Body, truth: GroundTruth, bones: list[MetarigBone], owner: dict[str, tuple[int, ...]]) -> None:
    """Cranium and muzzle around the face bones, ears through their loops, skinned to the head."""
    skin = owner[next(bone.name for bone in bones if bone.name.startswith("nose"))]
    start = truth.positions[skin[0]]
    cranium, snout = _points(bones, CRANIUM), _points(bones, MUZZLE)
    ahead = snout.mean(axis=0) - start
    ahead = unit(ahead - ahead[1] * UP)  # where the face looks, level
    depth = np.max((cranium - start) @ ahead)
    behind = cranium - np.outer((cranium - start) @ ahead + depth * 0.4, ahead)  # the back of the skull
    for points, grow in ((np.vstack([cranium, behind, start]), 1.1), (snout, 1.15)):
        lo, hi = points.min(axis=0), points.max(axis=0)
        semi = np.maximum((hi - lo) / 2 * grow, 1e-3)
        b.ellipsoid(skin, (lo + hi) / 2, (semi[1], semi[0], semi[2]), axis=UP, normal=FWD)
    center = (cranium.min(axis=0) + cranium.max(axis=0)) / 2
    for side in (".L", ".R"):
        loop = _points(bones, ("ear",), side)
        order = np.argsort(np.linalg.norm(loop - center, axis=1))
        base, tip = loop[order[:2]].mean(axis=0), loop[order[-1]]
        d = unit(tip - base)
        across = loop - base - np.outer((loop - base) @ d, d)
        width = float(np.ptp(across @ np.linalg.svd(across)[2][0]))
        axes = np.linalg.svd(loop - loop.mean(axis=0))[2]
        length = float(np.linalg.norm(tip - base))
        if length > 1.35 * width:  # a pointed animal ear (a human ear is about as wide as long)
            blade(b, skin, base - d * length * 0.3, tip, width * 1.1, width * 0.25, axes[-1], thickness=0.2)
        else:  # a round one, lying in the loop's plane
            extent = np.ptp((loop - loop.mean(axis=0)) @ axes.T, axis=0) / 2
            semi = (extent[0] * 1.1, extent[1] * 1.1, max(extent[2], extent[1] * 0.3))
            b.ellipsoid(skin, loop.mean(axis=0), semi, axis=axes[0], normal=axes[2])


# --- parts no bone describes ---------------------------------------------------------------------


def _joint(truth: GroundTruth, name: str) -> int:
    return truth.names.index(name)


def _at(truth: GroundTruth, name: str) -> np.ndarray:
    return truth.positions[_joint(truth, name)]


def _head_of(truth: GroundTruth, *, level: bool = False) -> Head:
    """A skull around the head bone (the bone ending at the joint of kind `head`): along it for an
    upright head, or `level` (crown up, face forward) for an animal's, whose head bone rises from
    the back of the skull to the forehead."""
    end = truth.kinds.index("head")
    start = int(truth.parents[end])
    p, q = truth.positions[start], truth.positions[end]
    length = float(np.linalg.norm(q - p))
    if level:
        return Head((start,), (p + q) / 2, UP, FWD, (length * 0.5, length * 0.45, length * 0.55))
    up = unit(q - p)
    face = unit(FWD - (FWD @ up) * up)
    return Head((start,), p + up * length * 0.5, up, face, (length * 0.55, length * 0.42, length * 0.5))


def _torso(truth: GroundTruth) -> np.ndarray:
    return truth.positions[[k for k, kind in enumerate(truth.kinds) if kind == "torso"]]


def _barrel(b: Body, truth: GroundTruth, size: float, *, width: float, depth: float, drop: float) -> None:
    """A quadruped's ribcage and belly around its torso chain."""
    torso = _torso(truth)
    skin = tuple(k for k, kind in enumerate(truth.kinds) if kind == "torso")
    lo, hi = torso[np.argmin(torso[:, 2])], torso[np.argmax(torso[:, 2])]
    b.ellipsoid(skin, (lo + hi) / 2 - UP * size * drop, (float(np.linalg.norm(hi - lo)) * 0.55, size * width,
                size * depth), axis=hi - lo, normal=UP)


def _bushy_tail(b: Body, truth: GroundTruth, size: float, thickness: float) -> None:
    tail = [k for k, kind in enumerate(truth.kinds) if kind == "tail"]
    points = truth.positions[[int(truth.parents[tail[0]])] + tail]
    t = np.linspace(0, 1, len(points))
    tube(b, tuple(int(truth.parents[k]) for k in tail), points, size * thickness * np.interp(t, [0, 0.7, 1],
         [0.5, 1.0, 0.7]))


def _shoes(b: Body, truth: GroundTruth, size: float) -> None:
    for side in (".L", ".R"):
        skin = tuple(_joint(truth, f"{n}{side}") for n in ("shin", "foot", "toe"))
        boot(b, skin, _at(truth, f"shin{side}"), _at(truth, f"foot{side}"), _at(truth, f"toe{side}_end"),
             size * 0.022, height=0.12, size=1.3)


def _human(b: Body, truth: GroundTruth, size: float) -> None:
    hair(b, _head_of(truth), "cap")
    _shoes(b, truth, size)


def _basic_human(b: Body, truth: GroundTruth, size: float) -> None:
    head = _head_of(truth)
    neck = tuple(k for k, kind in enumerate(truth.kinds) if kind == "neck")
    b.ellipsoid(head.bones, head.center, (head.semi[0], head.semi[1], head.semi[2]), axis=head.up,
                normal=head.face)
    hair(b, head, "long", bones=neck)
    ears(b, head, "human", head.semi[0] * 0.4)
    for side in (".L", ".R"):
        hand, end = _at(truth, f"hand{side}"), _at(truth, f"hand{side}_end")
        mitten(b, (_joint(truth, f"hand{side}"),), hand, end - hand, float(np.linalg.norm(end - hand)) * 2.2,
               size * 0.022)
    hips = _at(truth, "spine")
    legs = tuple(_joint(truth, n) for n in ("spine", "thigh.L", "thigh.R", "shin.L", "shin.R"))
    knee = _at(truth, "shin.L")
    frustum(b, legs, hips + UP * size * 0.03, np.array([hips[0], knee[1], hips[2]]), size * 0.085,
            abs(knee[0]) + size * 0.09, bell=1.05, flatten=0.8)
    _shoes(b, truth, size)


def _basic_quadruped(b: Body, truth: GroundTruth, size: float) -> None:
    skull = _head_of(truth, level=True)
    su = skull.semi[0]
    b.ellipsoid(skull.bones, skull.center, skull.semi, axis=skull.up, normal=skull.face)
    ears(b, skull, "pointed", su * 0.9, spread=30.0, lean=10.0)
    muzzle(b, skull, su * 1.5, su * 0.5, drop=0.3)
    _barrel(b, truth, size, width=0.1, depth=0.12, drop=0.03)
    _paws(b, truth, size, ("front_toe", "toe"))
    _bushy_tail(b, truth, size, 0.07)


def _paws(b: Body, truth: GroundTruth, size: float, stems: tuple[str, ...]) -> None:
    for stem in stems:
        for side in (".L", ".R"):
            k = _joint(truth, f"{stem}{side}")
            p, q = truth.positions[k], truth.positions[_joint(truth, f"{stem}{side}_end")]
            semi = (float(np.linalg.norm(q - p)) * 0.7, size * 0.025, size * 0.018)
            b.ellipsoid((k, int(truth.parents[k])), (p + q) / 2, semi, axis=q - p, normal=UP)


def _cat(b: Body, truth: GroundTruth, size: float) -> None:
    _barrel(b, truth, size, width=0.055, depth=0.07, drop=0.02)


def _wolf(b: Body, truth: GroundTruth, size: float) -> None:
    _barrel(b, truth, size, width=0.075, depth=0.1, drop=0.03)
    _bushy_tail(b, truth, size, 0.075)


def _horse(b: Body, truth: GroundTruth, size: float) -> None:
    _barrel(b, truth, size, width=0.085, depth=0.1, drop=0.04)
    for stem in ("f_hoof", "r_hoof"):
        for side in (".L", ".R"):
            k = _joint(truth, f"{stem}{side}")
            p, q = truth.positions[k], truth.positions[_joint(truth, f"{stem}{side}_end")]
            frustum(b, (k, int(truth.parents[k])), p + UP * size * 0.01, q + DOWN * size * 0.002,
                    size * 0.022, size * 0.03, round_start=0.2, square=0.8)
    tail = [k for k, kind in enumerate(truth.kinds) if kind == "tail"]
    points = truth.positions[[int(truth.parents[tail[0]])] + tail]
    points = np.vstack([points, points[-1] + (points[-1] - points[-2]) * 0.8 + DOWN * size * 0.12])
    tube(b, tuple(int(truth.parents[k]) for k in tail), points, size * np.linspace(0.02, 0.05, len(points)),
         normal=LEFT, flatten=0.5)


def _bird(b: Body, truth: GroundTruth, size: float) -> None:
    """A feathered membrane behind each wing's bones and a tail fan past the tail's."""
    for side in (".L", ".R"):
        names = [f"Wing{side}", f"Wing.001{side}", f"Wing.002{side}", f"Wing.002{side}_end"]
        points = np.array([_at(truth, n) for n in names])
        wing_feathers(b, tuple(_joint(truth, n) for n in names[:3]), points, size * 0.06, UP, primaries=3,
                      reach=0.05)
    start, end = _at(truth, "spine.001"), _at(truth, "spine_end")
    d = unit(end - start)
    blade(b, (_joint(truth, "spine.001"), _joint(truth, "spine")), start, end + d * size * 0.12, size * 0.04,
          size * 0.16, _flat_normal(d), thickness=0.06)


def _shark(b: Body, truth: GroundTruth, size: float) -> None:
    """Triangular fins along the fin chains and a forked tail's membrane."""
    by_chain: dict[int, list[int]] = {}
    for k, kind in enumerate(truth.kinds):
        if kind == "fin":
            by_chain.setdefault(int(truth.chains[k]), []).append(k)
    tips = []
    for chain in by_chain.values():
        base = truth.positions[int(truth.parents[chain[0]])]
        tip = truth.positions[chain[-1]]
        length = float(np.linalg.norm(tip - base))
        d = unit(tip - base)
        median = abs(base[0]) + abs(tip[0]) < 1e-3
        normal = LEFT if median else unit(np.cross(d, FWD))
        skin = tuple(int(truth.parents[k]) for k in chain)
        blade(b, skin, base - d * length * 0.1, tip, length * 0.7, length * 0.08, normal, thickness=0.1)
        if median and base[2] < _torso(truth)[:, 2].min():
            tips.append((tip, skin))
    if len(tips) == 2:  # the forked tail: a membrane between its two lobes
        (upper, skin), (lower, _) = sorted(tips, key=lambda t: -t[0][1])
        root = truth.positions[skin[0]]
        mid = (upper + lower) / 2
        blade(b, skin, root, mid, size * 0.04, float(np.linalg.norm(upper - lower)) * 0.8, LEFT,
              thickness=0.08)


_EXTRAS = {
    "human": _human,
    "basic_human": _basic_human,
    "basic_quadruped": _basic_quadruped,
    "cat": _cat,
    "wolf": _wolf,
    "horse": _horse,
    "bird": _bird,
    "shark": _shark,
}
