"""What the IK controls of a rig are: limb chains, the two bones each IK solves, poles, rest bends.

Pure numpy, no `bpy`: the Blender layer (`controls.py`) reads the deform bones, asks this module what
to add, and only copies the answer into Blender. Coordinates are the rig's local space as placed:
the character faces -Y, its left is +X, Z up, the floor at Z = 0 (see ANATOMY contract). Body parts
and sides come from the skeleton's joints (a bone is named after the joint at its head).

Riggers' conventions this follows: hands and feet get non-deforming IK targets that sit where the
hand/foot bone is, knees point forward and elbows back (quadruped front legs: the elbow, back; hind
legs: the knee, forward), a chain that is straight at rest gets a slight bend toward its pole so the
solver bends it the right way, and head, neck, spine and tail stay FK. Arms and legs are both: IK solves
a hidden mechanism copy of the limb's two bones (`MCH-` names, as Rigify's), and the deform bones, which
an animator rotates as FK controls, follow it by the limb's IK/FK switch; `snap_pole` is where the pole
goes so that IK takes over an FK pose without a pop.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..core.errors import PointSkelError

Vec = tuple[float, float, float]
# Parts whose chains get IK in the "ik" controls (wings, ears, fins stay FK like the spine).
IK_PARTS = ("arm", "leg", "front_leg", "hind_leg", "limb")
LIMB_PARTS = IK_PARTS + ("wing", "fin", "ear")
FORWARD = np.array([0.0, -1.0, 0.0])
# Where the middle joint of a limb points, in the rig's frame: knees forward, elbows back.
POLE_DIRECTION = {"arm": -FORWARD, "front_leg": -FORWARD, "leg": FORWARD, "hind_leg": FORWARD,
                  "limb": FORWARD}
# Names of the first bone of the IK pair in the schemes of core.anatomy (rigify, mixamo, unreal).
UPPER_NAMES = ("upper_arm", "thigh", "front_thigh", "leftarm", "rightarm", "leftupleg", "rightupleg",
               "upperarm")
# An unlabelled limb longer than this is a tentacle or a mislabelled tail, posed FK like a tail.
MAX_GENERIC_IK_BONES = 4
CONNECTED = 0.01  # an IK pair's lower bone starts within this share of its reach of the upper's end, or no IK
REST_BEND = 0.03  # the middle joint of a straight IK pair sits this fraction of its length off the line
# A middle joint off the pole's plane by less than this fraction of the pair's length is the drawing's
# wobble (a front view's knee a few pixels outward), taken out so IK bends the limb toward its pole.
WOBBLE = 0.08
POLE_DISTANCE = 0.8  # the pole sits this fraction of the pair's length in front of / behind the middle joint
_SIDE = re.compile(r"^(?P<stem>.*?)(?P<suffix>[._](?:L|R|l|r)(?:\.\d+)?)?$")


@dataclass(frozen=True)
class RigBone:
    """A deform bone as the Blender layer read it, with its joint's body part and side."""

    name: str
    parent: str | None
    head: Vec
    tail: Vec
    part: str = ""
    side: str = ""

    @property
    def length(self) -> float:
        return float(np.linalg.norm(np.subtract(self.tail, self.head)))


@dataclass(frozen=True)
class LimbChain:
    """Bones of one limb from where it leaves the body to its tip, each the next one's parent."""

    part: str
    side: str
    bones: tuple[str, ...]


@dataclass(frozen=True)
class IKLimb:
    """One IK set-up: the constraint sits on `lower` (chain count 2) and aims its tail at `target`."""

    chain: LimbChain
    upper: str
    lower: str
    effector: str | None  # the hand/foot after `lower`: it copies the target's rotation; None at a tip
    target: str
    target_head: Vec  # the target is a copy of the effector, or a short bone at the limb's tip
    target_tail: Vec
    pole: str
    pole_head: Vec
    pole_tail: Vec
    middle: Vec  # where the joint between `upper` and `lower` goes (the rest bend, if any, applied)
    mechanism: tuple[str, str]  # the IK-solved copies of `upper` and `lower`, which the deform bones follow


@dataclass(frozen=True)
class ControlPlan:
    root: str
    root_head: Vec  # the master bone at the floor, under the figure
    root_tail: Vec
    torso: str  # the COG control at the hips
    torso_head: Vec
    torso_tail: Vec
    hips: str  # the deform bone the torso carries (the skeleton's root bone)
    limbs: tuple[IKLimb, ...]


def derived_name(name: str, role: str, taken: set[str]) -> str:
    """`hand.L` + `ik` -> `hand_ik.L` (before the side suffix, so Blender's flip names still pair)."""
    match = _SIDE.match(name)
    stem, suffix = match.group("stem"), match.group("suffix") or ""
    candidate = f"{stem}_{role}{suffix}"
    count = 1
    while candidate in taken:
        count += 1
        candidate = f"{stem}_{role}{count}{suffix}"
    taken.add(candidate)
    return candidate


def _children(bones: Sequence[RigBone]) -> dict[str | None, list[RigBone]]:
    out: dict[str | None, list[RigBone]] = {}
    for bone in bones:
        out.setdefault(bone.parent, []).append(bone)
    return out


def limb_chains(bones: Sequence[RigBone], parts: Sequence[str] = LIMB_PARTS) -> list[LimbChain]:
    """Chains of bones of one limb part and side, each starting where its parent is another part.

    The chain goes on to the child of the same part and side whose head is nearest the bone's tail
    (the skeleton's tail child), so a branch (a finger, a dewclaw) does not end the limb.
    """
    by_name = {b.name: b for b in bones}
    kids = _children(bones)
    chains = []
    for bone in bones:
        if bone.part not in parts:
            continue
        parent = by_name.get(bone.parent) if bone.parent else None
        if parent is not None and (parent.part, parent.side) == (bone.part, bone.side):
            continue
        names = [bone.name]
        current = bone
        while True:
            same = [k for k in kids.get(current.name, []) if (k.part, k.side) == (bone.part, bone.side)]
            if not same:
                break
            current = min(same, key=lambda k: float(np.linalg.norm(np.subtract(k.head, current.tail))))
            names.append(current.name)
        chains.append(LimbChain(bone.part, bone.side, tuple(names)))
    return chains


def _stem(name: str) -> str:
    stem = _SIDE.match(name).group("stem").lower()
    return stem.split(":")[-1]


def ik_start(chain: LimbChain, lengths: Sequence[float]) -> int | None:
    """Index of the upper bone of the chain's IK pair (upper arm, thigh), None below two bones.

    By name where the anatomy stage named the bones; otherwise a short first bone (clavicle,
    pelvis) is skipped and the pair is the longer of the first two pairs that leave a bone after
    them (upper arm + forearm rather than forearm + hand).
    """
    count = len(chain.bones)
    if count < 2:
        return None
    for index, name in enumerate(chain.bones[:-1]):
        if _stem(name) in UPPER_NAMES:
            return index
    if count == 2:
        return 0
    if count == 3:
        return 1 if lengths[0] < 0.6 * lengths[1] else 0
    return int(np.argmax([lengths[0] + lengths[1], lengths[1] + lengths[2]]))


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-12 else np.zeros(3)


def _off_line(start: np.ndarray, middle: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The middle joint's offset from the line start-end, perpendicular to it: how the limb bends."""
    axis = _unit(end - start)
    return middle - start - np.dot(middle - start, axis) * axis


def pole_direction(part: str, start: np.ndarray, middle: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Unit direction from the line start-end toward where the middle joint should point.

    The anatomical direction (knees forward, elbows back), made perpendicular to the limb; a limb
    lying along that direction uses its own bend instead, and failing that points up.
    """
    axis = _unit(end - start)
    bend = _off_line(start, middle, end)
    wanted = POLE_DIRECTION.get(part, FORWARD)
    perpendicular = wanted - np.dot(wanted, axis) * axis
    if np.linalg.norm(perpendicular) < 0.3:
        perpendicular = bend if np.linalg.norm(bend) > 1e-9 else np.array([0.0, 0.0, 1.0])
        perpendicular = perpendicular - np.dot(perpendicular, axis) * axis
    return _unit(perpendicular)


def bend_direction(start: np.ndarray, middle: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Unit direction from the line start-end to the middle joint: the plane IK bends the limb in. After
    `rest_bend` it is the anatomical direction, or leans off it where the picture bends the limb more."""
    return _unit(_off_line(start, middle, end))


def wobble(start: np.ndarray, middle: np.ndarray, end: np.ndarray, direction: np.ndarray) -> float:
    """How far the middle joint lies off the plane of `direction`, as a share of the pair's reach."""
    reach = float(np.linalg.norm(middle - start) + np.linalg.norm(end - middle))
    offset = _off_line(start, middle, end)
    across = offset - float(np.dot(offset, direction)) * direction
    return float(np.linalg.norm(across)) / max(reach, 1e-12)


def rest_bend(start: np.ndarray, middle: np.ndarray, end: np.ndarray, direction: np.ndarray,
              drawn: float | None = None) -> np.ndarray:
    """The middle joint moved toward `direction` until it sits REST_BEND of the pair's length off
    the line start-end; a joint already bent that way (or further) stays where it is.

    A slight bend across that (under WOBBLE of the length) is taken out: IK bends a limb in the plane
    of its rest bend, so a knee drawn a little outward with the small bend forward added would swing
    out sideways, not forward. A larger one is the drawn pose (an elbow bent in the picture) and stays.
    `drawn`: that share where the caller decides it for a mirrored pair together (`plan_controls`).
    """
    reach = float(np.linalg.norm(middle - start) + np.linalg.norm(end - middle))
    offset = _off_line(start, middle, end)
    along = float(np.dot(offset, direction))
    across = offset - along * direction
    if (wobble(start, middle, end, direction) if drawn is None else drawn) < WOBBLE:
        middle = middle - across
    wanted = REST_BEND * reach
    if along >= wanted:
        return middle
    return middle + (wanted - along) * direction


def pole_angle(upper_head: np.ndarray, upper_tail: np.ndarray, upper_x_axis: np.ndarray,
               lower_tail: np.ndarray, pole: np.ndarray) -> float:
    """Blender's IK `pole_angle` that keeps the rest pose when the pole sits where the plan put it.

    The angle, about the upper bone's axis, from its X axis to the pole projected onto the plane of
    the chain (Blender measures the pole from the bone's X axis).
    """
    axis = upper_tail - upper_head
    normal = np.cross(lower_tail - upper_head, pole - upper_head)
    projected = np.cross(normal, axis)
    x = _unit(np.asarray(upper_x_axis, dtype=np.float64))
    projected = _unit(projected)
    angle = float(np.arccos(np.clip(np.dot(x, projected), -1.0, 1.0)))
    if np.dot(np.cross(x, projected), axis) > 0:
        angle = -angle
    return angle


def _ik_pair(chain: LimbChain, by_name: dict[str, RigBone]) -> tuple[int, np.ndarray] | None:
    """(index of the upper bone, its head, the middle joint and the end) of a chain's IK pair."""
    bones = [by_name[n] for n in chain.bones]
    start = ik_start(chain, [b.length for b in bones])
    if start is None or (chain.part == "limb" and len(bones) > MAX_GENERIC_IK_BONES):
        return None
    upper, lower = bones[start], bones[start + 1]
    points = np.array([upper.head, upper.tail, lower.tail], dtype=np.float64)
    reach = np.linalg.norm(points[1] - points[0]) + np.linalg.norm(points[2] - points[1])
    if reach <= 0 or np.linalg.norm(np.subtract(lower.head, upper.tail)) > CONNECTED * reach:
        return None  # (a pair that does not meet at a joint: a prop's stub off a leg's top; no IK bends it)
    return start, points


def _drawn_bends(chains: list[LimbChain], by_name: dict[str, RigBone]) -> dict[int, float]:
    """{chain: `wobble` of its pair} for the two chains of a mirrored pair (`.L` and `.R` of one
    name): their mean, so both keep the drawn bend or both lose it. Decided apart, a mirror-symmetric
    figure's arms a hair either side of `WOBBLE` got unmirrored elbows and rolls."""
    pairs: dict[tuple[str, str], list[int]] = {}
    for k, chain in enumerate(chains):
        match = _SIDE.match(chain.bones[0])
        if chain.side in ("L", "R") and match and match.group("suffix"):
            pairs.setdefault((chain.part, match.group("stem")), []).append(k)
    out: dict[int, float] = {}
    for members in pairs.values():
        found = [(k, _ik_pair(chains[k], by_name)) for k in members]
        if len(members) != 2 or any(pair is None for _, pair in found):
            continue
        shares = [wobble(*pts, pole_direction(chains[k].part, *pts)) for k, (_, pts) in found]
        out.update({k: float(np.mean(shares)) for k in members})
    return out


def _ik_limb(chain: LimbChain, by_name: dict[str, RigBone], taken: set[str],
             drawn: float | None = None) -> IKLimb | None:
    pair = _ik_pair(chain, by_name)
    if pair is None:
        return None
    start, (a, m, e) = pair
    bones = [by_name[n] for n in chain.bones]
    upper, lower = bones[start], bones[start + 1]
    effector = bones[start + 2] if start + 2 < len(bones) else None
    reach = float(np.linalg.norm(m - a) + np.linalg.norm(e - m))
    middle = rest_bend(a, m, e, pole_direction(chain.part, a, m, e), drawn)
    direction = bend_direction(a, middle, e)  # the pole where the limb bends, as Rigify puts it
    pole_head = middle + POLE_DISTANCE * reach * direction
    pole_tail = pole_head + 0.1 * reach * direction
    if effector is not None:
        target_head, target_tail = effector.head, effector.tail
        target = derived_name(effector.name, "ik", taken)
    else:
        target_head, target_tail = tuple(e), tuple(e + 0.25 * np.linalg.norm(e - m) * _unit(e - m))
        target = derived_name(lower.name, "ik", taken)
    return IKLimb(chain, upper.name, lower.name, None if effector is None else effector.name, target,
                  tuple(map(float, target_head)), tuple(map(float, target_tail)),
                  derived_name(upper.name, "pole", taken), tuple(map(float, pole_head)),
                  tuple(map(float, pole_tail)), tuple(map(float, middle)),
                  (_free(f"MCH-{upper.name}", taken), _free(f"MCH-{lower.name}", taken)))


def _limb_frame(start: np.ndarray, middle: np.ndarray, end: np.ndarray) -> np.ndarray | None:
    """(3, 3) rows: along the limb (start to end), toward its bend, and their cross product; None for a
    limb straight to within 0.1 % of its reach, whose bend picks no side."""
    axis = _unit(end - start)
    bend = _off_line(start, middle, end)
    reach = float(np.linalg.norm(middle - start) + np.linalg.norm(end - middle))
    if reach <= 0 or np.linalg.norm(bend) < 1e-3 * reach:
        return None
    bend = _unit(bend)
    return np.stack([axis, bend, np.cross(axis, bend)])


def snap_pole(rest: Sequence[Sequence[float]], posed: Sequence[Sequence[float]]) -> np.ndarray | None:
    """Where a limb's pole goes so that IK bends the limb as it is posed now (IK taking over FK).

    `rest` is the limb's start, middle joint, end and pole at rest, `posed` its start, middle and end
    now. The pole keeps its place relative to the limb's plane and bend (the rest pose is what the IK
    constraint's pole angle was set for), so the solver, whose two bones of fixed length reach the
    target in one plane, puts the middle joint where it is. None when either pose is straight: any
    plane holds it, so the pole stays where it is.
    """
    start0, middle0, end0, pole0 = (np.asarray(p, dtype=np.float64) for p in rest)
    start, middle, end = (np.asarray(p, dtype=np.float64) for p in posed)
    frame0, frame = _limb_frame(start0, middle0, end0), _limb_frame(start, middle, end)
    if frame0 is None or frame is None:
        return None
    return middle + (frame0 @ (pole0 - middle0)) @ frame


def turned_pole(start: np.ndarray, end: np.ndarray, wanted: np.ndarray, got: np.ndarray,
                pole: np.ndarray) -> np.ndarray:
    """`pole` turned about the line start-end by the angle from where IK put the middle joint (`got`)
    to where it should be (`wanted`). Blender's solver measures the pole from the upper bone's X axis,
    which a new pose twists a little, so `snap_pole` leaves the joint off by up to a few millimetres;
    a turn or two of this puts it in place."""
    start, end, wanted, got, pole = (np.asarray(p, dtype=np.float64) for p in (start, end, wanted, got, pole))
    axis = _unit(end - start)
    w = wanted - start - np.dot(wanted - start, axis) * axis
    g = got - start - np.dot(got - start, axis) * axis
    angle = float(np.arctan2(np.dot(np.cross(g, w), axis), np.dot(g, w)))
    v = pole - start
    turned = (v * np.cos(angle) + np.cross(axis, v) * np.sin(angle)
              + axis * np.dot(axis, v) * (1.0 - np.cos(angle)))  # Rodrigues' rotation
    return start + turned


def _free(name: str, taken: set[str]) -> str:
    """`name` itself when no deform bone has it (a skeleton may call its first joint `root`)."""
    if name not in taken:
        taken.add(name)
        return name
    return derived_name(name, "ctrl", taken)


def plan_controls(bones: Sequence[RigBone]) -> ControlPlan:
    """The master root at the floor under the figure, the torso at the hips, IK on every limb."""
    if not bones:
        raise PointSkelError("the armature has no bones to add controls to")
    names = {b.name for b in bones}
    hips = next(b for b in bones if b.parent is None or b.parent not in names)
    points = np.array([p for b in bones for p in (b.head, b.tail)], dtype=np.float64)
    spread = float(np.ptp(points[:, :2], axis=0).max())
    size = max(spread, 0.25 * float(np.ptp(points[:, 2])), 1e-3)
    root_tail = (0.0, 0.6 * size, 0.0)  # lies on the floor, its Y axis the character's back, Z up
    hips_head = np.asarray(hips.head, dtype=np.float64)
    torso_tail = hips_head + np.array([0.0, 0.3 * size, 0.0])
    by_name = {b.name: b for b in bones}
    taken = set(names)
    root_name, torso_name = _free("root", taken), _free("torso", taken)
    chains = limb_chains(bones, IK_PARTS)
    drawn = _drawn_bends(chains, by_name)
    limbs = [_ik_limb(chain, by_name, taken, drawn.get(k)) for k, chain in enumerate(chains)]
    return ControlPlan(root_name, (0.0, 0.0, 0.0), root_tail, torso_name, tuple(hips_head), tuple(torso_tail),
                       hips.name,
                       tuple(limb for limb in limbs if limb is not None))
