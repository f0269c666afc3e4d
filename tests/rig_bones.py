"""Deform bones of small labelled figures, as the Blender layer reads them, for the control plans' tests."""
from __future__ import annotations

from pointskel_blender.core.control_plan import RigBone


def mirrored(bones: list[RigBone]) -> list[RigBone]:
    """The .L bones plus their .R twins (x negated)."""
    out = list(bones)
    for b in bones:
        if b.side == "L":
            flip = lambda p: (-p[0], p[1], p[2])  # noqa: E731
            parent = b.parent.replace(".L", ".R") if b.parent and b.parent.endswith(".L") else b.parent
            out.append(RigBone(b.name.replace(".L", ".R"), parent, flip(b.head), flip(b.tail), b.part, "R"))
    return out


def biped(arm_names=("shoulder.L", "upper_arm.L", "forearm.L", "hand.L"), straight: bool = True) -> list[RigBone]:
    """A T-posed figure facing -Y: spine up from the hips, straight arms along X, straight legs down."""
    elbow_y = 0.0 if straight else 0.05
    shoulder, upper, forearm, hand = arm_names
    return mirrored([
        RigBone("spine", None, (0, 0, 1.0), (0, 0, 1.2), "spine"),
        RigBone("spine.001", "spine", (0, 0, 1.2), (0, 0, 1.45), "spine"),
        RigBone("neck", "spine.001", (0, 0, 1.45), (0, 0, 1.55), "neck"),
        RigBone("head", "neck", (0, 0, 1.55), (0, 0, 1.75), "head"),
        RigBone(shoulder, "spine.001", (0.02, 0, 1.42), (0.15, 0, 1.42), "arm", "L"),
        RigBone(upper, shoulder, (0.15, 0, 1.42), (0.45, elbow_y, 1.42), "arm", "L"),
        RigBone(forearm, upper, (0.45, elbow_y, 1.42), (0.72, 0, 1.42), "arm", "L"),
        RigBone(hand, forearm, (0.72, 0, 1.42), (0.82, 0, 1.42), "arm", "L"),
        RigBone("thigh.L", "spine", (0.1, 0, 1.0), (0.1, 0, 0.55), "leg", "L"),
        RigBone("shin.L", "thigh.L", (0.1, 0, 0.55), (0.1, 0, 0.08), "leg", "L"),
        RigBone("foot.L", "shin.L", (0.1, 0, 0.08), (0.1, -0.12, 0.0), "leg", "L"),
    ])
