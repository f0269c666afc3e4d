"""Which Rigify rig type each bone gets, so the armature is a metarig Rigify's Generate accepts.

Pure numpy, no `bpy` (the Blender layer, `rigify_metarig.py`, copies the answer onto pose bones).
It follows Rigify's own metarigs (basic_human, basic_quadruped, bird, cat) and the inputs its rig
types require:
- chain rigs take a bone and its *connected* children, one connected child per bone; so exactly the
  bones of a planned chain are connected and every other bone is not (a rig's first bone included,
  as basic_human's neck is not connected to the chest);
- `spines.basic_spine` needs 3+ bones, `limbs.arm` exactly 3 (upper arm, forearm, hand),
  `limbs.leg` exactly 4 (thigh, shin, foot, toe) plus a heel: an unconnected, childless child of the
  foot; the paws (`limbs.paw`, `front_paw`, `rear_paw`) 4 or 5. A limb with too few bones gets the
  missing ones (a toe, a hand) appended, with no weights;
- every bone must belong to some rig, or Generate makes no `DEF-` bone for it and its weights are
  lost: what no rule covers becomes `basic.super_copy` (one control and one deform bone each);
- a metarig bone named `root` is kept as Generate's root and never deforms, so such a bone is renamed.
Limbs use one segment per bone (`segments = 1`), so each bone has exactly one `DEF-` bone and the
mesh's weights carry over by name.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .control_plan import LIMB_PARTS, LimbChain, RigBone, derived_name, ik_start, limb_chains

# Limb rig per body plan and part, with the bones it needs and the names of missing ones.
_ARM = ("limbs.arm", ("upper_arm", "forearm", "hand"))
_LEG = ("limbs.leg", ("thigh", "shin", "foot", "toe"))
_PAW = ("limbs.paw", ("thigh", "shin", "foot", "toe"))
_FRONT_PAW = ("limbs.front_paw", ("front_thigh", "front_shin", "front_foot", "front_toe"))
_REAR_PAW = ("limbs.rear_paw", ("thigh", "shin", "foot", "toe"))
LIMB_RIGS = {
    "biped": {"arm": _ARM, "leg": _LEG},
    "quadruped": {"front_leg": _FRONT_PAW, "hind_leg": _REAR_PAW, "arm": _FRONT_PAW, "leg": _REAR_PAW},
    "bird": {"leg": _PAW, "hind_leg": _PAW},
}
CHAIN_RIGS = {"wing": "limbs.simple_tentacle", "fin": "limbs.simple_tentacle",
              "limb": "limbs.simple_tentacle",
              "tail": "spines.basic_tail"}
SINGLE = "basic.super_copy"
RESERVED = "root"
# Generate puts each control in the bone collection of its metarig bone and refuses a metarig whose
# collections have no row in the rig's UI; one collection (one UI row) per body part, sides side by side.
_COLLECTION_TITLES = {"spine": "Torso", "neck": "Torso", "head": "Torso", "tail": "Tail", "arm": "Arm",
                      "leg": "Leg", "front_leg": "Front Leg", "hind_leg": "Hind Leg", "wing": "Wing",
                      "ear": "Ears", "fin": "Fin",
                      "limb": "Limb", "": "Body"}
# Rig types whose FK and tweak controls go to collections of their own (as in Rigify's metarigs), so an
# animator can show IK, FK and tweak controls separately: the rig parameter `<kind>_coll_refs`.
_SECONDARY = {"limbs.arm": ("fk", "tweak"), "limbs.leg": ("fk", "tweak"), "limbs.paw": ("fk", "tweak"),
              "limbs.front_paw": ("fk", "tweak"), "limbs.rear_paw": ("fk", "tweak"),
              "spines.basic_spine": ("fk", "tweak"), "spines.super_head": ("tweak",),
              "spines.basic_tail": ("tweak",), "limbs.simple_tentacle": ("tweak",)}


@dataclass(frozen=True)
class RigifyBone:
    bone: str
    rigify_type: str
    parameters: tuple[tuple[str, Any], ...] = ()
    collection_refs: tuple[tuple[str, str], ...] = ()  # (kind, bone collection): its FK/tweak controls' place


@dataclass(frozen=True)
class ExtraBone:
    """A bone a rig type needs that the skeleton does not have (a toe, a heel); it gets no weights."""

    name: str
    parent: str
    head: tuple[float, float, float]
    tail: tuple[float, float, float]
    connected: bool
    deform: bool


@dataclass(frozen=True)
class MetarigPlan:
    renames: tuple[tuple[str, str], ...]  # (old, new) bone names, applied first
    extra: tuple[ExtraBone, ...]
    types: tuple[RigifyBone, ...]  # bones after renaming; every bone (extras but heels included) is covered
    connected: frozenset[str]  # bones connected to their parent; all others are not
    collections: tuple[tuple[str, int], ...]  # (bone collection, its row in the rig's UI)
    collection_of: tuple[tuple[str, str], ...]  # (bone, its collection); every bone, extras included

    def type_of(self, bone: str) -> str:
        return next((t.rigify_type for t in self.types if t.bone == bone), "")


def _vec(v) -> tuple[float, float, float]:
    return tuple(float(x) for x in v)


def _role_name(role: str, side: str, taken: set[str]) -> str:
    name = f"{role}.{side}" if side else role
    if name in taken:
        return derived_name(name, "extra", taken)
    taken.add(name)
    return name


class _Planner:
    def __init__(self, bones: Sequence[RigBone], body_plan: str) -> None:
        self.taken = {b.name for b in bones}
        self.renames: list[tuple[str, str]] = []
        renamed = []
        for bone in bones:
            name = bone.name
            if name == RESERVED:
                name = derived_name(RESERVED, "bone", self.taken)
                self.renames.append((bone.name, name))
            parent = dict(self.renames).get(bone.parent, bone.parent)
            renamed.append(RigBone(name, parent, bone.head, bone.tail, bone.part, bone.side))
        self.bones = renamed
        self.by_name = {b.name: b for b in renamed}
        self.body_plan = body_plan
        self.types: dict[str, RigifyBone] = {}
        self.extra: list[ExtraBone] = []
        self.connected: set[str] = set()

    def chain(self, bones: Sequence[str], rig_type: str, parameters: tuple = ()) -> None:
        """A chain rig on `bones[0]`; the rest are connected to it, one after another."""
        if len(bones) == 1 and rig_type not in ("spines.super_head",):
            rig_type, parameters = SINGLE, ()
        self.types[bones[0]] = RigifyBone(bones[0], rig_type, parameters)
        self.connected.update(bones[1:])

    def spine(self) -> None:
        for chain in limb_chains(self.bones, ("spine",)):
            count = len(chain.bones)
            if count >= 3:
                pivot = max(1, min(count - 1, round(count / 2)))
                self.chain(chain.bones, "spines.basic_spine", (("pivot_pos", pivot),))
            else:
                self.chain(chain.bones, "basic.copy_chain")

    def head(self) -> None:
        """Neck and head are one `spines.super_head` chain (a head alone is one too)."""
        heads = {c.bones[0]: c for c in limb_chains(self.bones, ("head",))}
        for chain in limb_chains(self.bones, ("neck",)):
            last = self.by_name[chain.bones[-1]]
            head = next((n for n, c in heads.items() if self.by_name[n].parent == last.name), None)
            bones = chain.bones + (heads.pop(head).bones if head else ())
            self.chain(bones, "spines.super_head")
        for chain in heads.values():
            self.chain(chain.bones, "spines.super_head")

    def limbs(self) -> None:
        rigs = LIMB_RIGS.get(self.body_plan, {})
        for chain in limb_chains(self.bones, LIMB_PARTS + ("tail",)):
            if chain.part in rigs and len(chain.bones) >= 2:
                self.limb(chain, *rigs[chain.part])
            elif chain.part in CHAIN_RIGS:
                self.chain(chain.bones, CHAIN_RIGS[chain.part])
            else:  # ears, and arms/legs of body plans Rigify has no limb rig for
                for name in chain.bones:
                    self.types[name] = RigifyBone(name, SINGLE)

    def limb(self, chain: LimbChain, rig_type: str, roles: tuple[str, ...]) -> None:
        """Bones before the IK pair (clavicle, pelvis) get their own control; the rig takes len(roles)."""
        start = ik_start(chain, [self.by_name[n].length for n in chain.bones]) or 0
        for name in chain.bones[:start]:
            self.types[name] = RigifyBone(name, SINGLE)
        rig = list(chain.bones[start:start + len(roles)])
        while len(rig) < len(roles):
            role = roles[len(rig)]
            rig.append(self.extend(rig[-1], role, chain.side, role in ("toe", "front_toe")))
        self.chain(rig, rig_type, (("segments", 1),))
        if rig_type == "limbs.leg":
            self.heel(rig[2], rig[3], chain.side)

    def extend(self, last: str, role: str, side: str, forward: bool) -> str:
        """A bone after `last`: a toe pointing forward, anything else continuing `last`."""
        bone = self.bone_geometry(last)
        head, tail = bone
        along = (tail - head) / max(float(np.linalg.norm(tail - head)), 1e-12)
        direction = np.array([0.0, -1.0, 0.0]) if forward else along
        length = (0.5 if forward else 0.35) * max(float(np.linalg.norm(tail - head)), 1e-3)
        name = _role_name(role, side, self.taken)
        self.extra.append(ExtraBone(name, last, _vec(tail), _vec(tail + direction * length), True, True))
        return name

    def bone_geometry(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name in self.by_name:
            bone = self.by_name[name]
            return np.asarray(bone.head, float), np.asarray(bone.tail, float)
        extra = next(e for e in self.extra if e.name == name)
        return np.asarray(extra.head, float), np.asarray(extra.tail, float)

    def heel(self, foot: str, toe: str, side: str) -> None:
        """Across the back of the foot on the ground, inside to outside (as in basic_human)."""
        foot_head, foot_tail = self.bone_geometry(foot)
        toe_head, toe_tail = self.bone_geometry(toe)
        floor = min(foot_head[2], foot_tail[2], toe_head[2], toe_tail[2])
        width = 0.5 * max(float(np.linalg.norm(foot_tail - foot_head)), 1e-3)
        outward = -1.0 if side == "R" or (not side and foot_head[0] < 0) else 1.0
        back = 0.25 * width  # a little behind the ankle
        centre = np.array([foot_head[0], foot_head[1] + back, floor])
        half = np.array([0.5 * width * outward, 0.0, 0.0])
        name = _role_name("heel", side, self.taken)
        self.extra.append(ExtraBone(name, foot, _vec(centre - half), _vec(centre + half), False, False))

    def rest(self) -> None:
        for bone in self.bones:
            if bone.name not in self.types and bone.name not in self.connected:
                self.types[bone.name] = RigifyBone(bone.name, SINGLE)

    def collections(self) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, str], ...]]:
        """Each bone's collection (its part and side), and each rig's FK/tweak collections next to it;
        one UI row per collection name without its side, so left and right sit side by side."""
        of = {}
        for bone in self.bones:
            title = _COLLECTION_TITLES[bone.part]
            of[bone.name] = f"{title}.{bone.side}" if bone.side and title != "Torso" else title
        for extra in self.extra:
            of[extra.name] = of[extra.parent]
        secondary: dict[str, list[str]] = {name: [] for name in of.values()}
        for bone, item in self.types.items():
            kinds = _SECONDARY.get(item.rigify_type, ())
            refs = tuple((kind, f"{of[bone]} ({'FK' if kind == 'fk' and of[bone] != 'Torso' else 'Tweak'})")
                         for kind in kinds)
            self.types[bone] = replace(item, collection_refs=refs)
            secondary[of[bone]] += [name for _, name in refs if name not in secondary[of[bone]]]
        names = [n for main, extra in secondary.items() for n in (main, *extra)]
        rows: dict[str, int] = {}
        for name in names:
            rows.setdefault(re.sub(r"\.[LR]\b", "", name), len(rows) + 1)
        return tuple((n, rows[re.sub(r"\.[LR]\b", "", n)]) for n in names), tuple(of.items())

    def plan(self) -> MetarigPlan:
        self.spine()
        self.head()
        self.limbs()
        self.rest()
        collections, collection_of = self.collections()
        ordered = [self.types[b.name] for b in self.bones if b.name in self.types]
        ordered += [self.types[e.name] for e in self.extra if e.name in self.types]
        return MetarigPlan(tuple(self.renames), tuple(self.extra), tuple(ordered), frozenset(self.connected),
                           collections, collection_of)


def plan_metarig(bones: Sequence[RigBone], body_plan: str) -> MetarigPlan:
    """Rig types for the bones of a figure of `body_plan` (see the module docstring for the rules)."""
    return _Planner(bones, body_plan).plan()
