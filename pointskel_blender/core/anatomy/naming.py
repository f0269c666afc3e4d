"""Naming schemes: the joints' anatomical roles written the way a rigger or an engine knows them.

- `rigify` (default): Rigify's metarig names: `spine`, `spine.001`, ..., `neck`, `head`,
  `shoulder.L`, `upper_arm.L`, `forearm.L`, `hand.L`, `thigh.L`, `shin.L`, `foot.L`, `toe.L`,
  quadrupeds' `front_thigh.L` ..., `tail`, `tail.001`, `wing.L.001`, `ear.L`; several limbs of one
  part and side get a letter (`limb_a.L`, `leg_b.R`); a tip (a joint without a bone) is its
  bone's name with `_end` before the side (`hand_end.L`, `head_end`).
- `mixamo` and `unreal` (humanoids; other body plans keep Rigify's): `mixamorig:Hips`,
  `mixamorig:LeftForeArm`, ...; `pelvis`, `spine_01`, `upperarm_l`, `calf_l`, `ball_l`, ...
- `generic`: the part's name numbered along its chain (`arm_1.L`, `arm_2.L`, `tail_1`), tips
  `arm_end.L`.
Every scheme is flip-safe: the left and right names differ only in the side marker.
"""
from __future__ import annotations

from .bones import Joints

SCHEMES = ("rigify", "mixamo", "unreal", "generic")
HUMANOID_SCHEMES = ("mixamo", "unreal")

_MIXAMO = {"shoulder": "Shoulder", "upper_arm": "Arm", "forearm": "ForeArm", "hand": "Hand", "thigh": "UpLeg",
           "shin": "Leg", "foot": "Foot", "toe": "ToeBase"}
_UNREAL = {"shoulder": "clavicle", "upper_arm": "upperarm", "forearm": "lowerarm", "hand": "hand",
           "thigh": "thigh", "shin": "calf", "foot": "foot", "toe": "ball"}


def scheme_for(scheme: str, body_plan: str) -> str:
    """The scheme actually used: the humanoid engine schemes fall back to Rigify's on other plans."""
    return "rigify" if scheme in HUMANOID_SCHEMES and body_plan != "biped" else scheme


def names(joints: Joints, scheme: str) -> list[str]:
    """One unique name per joint, in order."""
    if scheme == "generic":
        out = _generic(joints)
    else:
        write = {"rigify": _rigify, "mixamo": _mixamo, "unreal": _unreal}[scheme]
        out = [write(joints, i) for i in range(len(joints))]
    seen: dict[str, int] = {}
    for i, name in enumerate(out):  # a safety net: the roles and letters already make names unique
        if name in seen:
            seen[name] += 1
            out[i] = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
    return out


def _base(joints: Joints, i: int) -> str:
    role, letter = joints.roles[i], joints.letters[i]
    return f"{role}_{letter}" if letter else role


def _rigify(joints: Joints, i: int) -> str:
    name = _base(joints, i) + ("_end" if joints.tips[i] else "")
    if joints.sides[i]:
        name += f".{joints.sides[i]}"
    if joints.numbers[i] > 0 and not joints.tips[i]:
        name += f".{joints.numbers[i]:03d}"
    return name


def _camel(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in text.split("_"))


def _mixamo(joints: Joints, i: int) -> str:
    role, n, tip = joints.roles[i], joints.numbers[i], joints.tips[i]
    side = {"L": "Left", "R": "Right"}.get(joints.sides[i], "")
    if role == "spine":
        name = "Hips" if n == 0 else ("Spine" if n == 1 else f"Spine{n - 1}")
        name = "Spine_End" if tip else name
    elif role == "neck":
        name = "Neck" if n == 0 else f"Neck{n}"
    elif role == "head":
        name = "HeadTop_End" if tip else "Head"
    elif role in _MIXAMO:
        name = side + _MIXAMO[role] + ("_End" if tip else "")
    else:
        name = side + _camel(_base(joints, i)) + ("_End" if tip else (str(n) if n else ""))
    return f"mixamorig:{name}"


def _unreal(joints: Joints, i: int) -> str:
    role, n, tip = joints.roles[i], joints.numbers[i], joints.tips[i]
    side = f"_{joints.sides[i].lower()}" if joints.sides[i] else ""
    if role == "spine":
        name = "spine_end" if tip else ("pelvis" if n == 0 else f"spine_{n:02d}")
    elif role == "neck":
        name = f"neck_{n + 1:02d}"
    elif role == "head":
        name = "head_end" if tip else "head"
    elif role in _UNREAL:
        name = _UNREAL[role] + ("_end" if tip else "")
    else:
        name = _base(joints, i) + ("_end" if tip else f"_{n + 1:02d}")
    return name + side


def _generic(joints: Joints) -> list[str]:
    """Part names numbered along each chain: a chain restarts where the part, side or letter changes."""
    out = []
    count: dict[tuple[str, str, str], int] = {}
    for i in range(len(joints)):
        part = joints.parts[i] or "limb"
        key = (part, joints.sides[i], joints.letters[i])
        stem = f"{part}_{joints.letters[i]}" if joints.letters[i] else part
        side = f".{joints.sides[i]}" if joints.sides[i] else ""
        if joints.tips[i]:
            out.append(f"{stem}_end{side}")
            continue
        count[key] = count.get(key, 0) + 1
        out.append(f"{stem}_{count[key]}{side}")
    return out
