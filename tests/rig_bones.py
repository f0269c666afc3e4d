"""Deform bones of small labelled figures, as the Blender layer reads them, for the control plans' tests."""
from __future__ import annotations

from pointskel_blender.rig.control_plan import RigBone, Vec


def mirrored(bones: list[RigBone]) -> list[RigBone]:
    """The .L bones plus their .R twins (x negated)."""
    def flip(p: Vec) -> Vec:
        return (-p[0], p[1], p[2])

    out = list(bones)
    for b in bones:
        if b.side == "L":
            parent = b.parent.replace(".L", ".R") if b.parent and b.parent.endswith(".L") else b.parent
            out.append(RigBone(b.name.replace(".L", ".R"), parent, flip(b.head), flip(b.tail), b.part, "R"))
    return out


def biped() -> list[RigBone]:
    """A T-posed figure facing -Y: spine up from the hips, straight arms along X, straight legs down."""
    return mirrored([
        RigBone("spine", None, (0, 0, 1.0), (0, 0, 1.2), "spine"),
        RigBone("spine.001", "spine", (0, 0, 1.2), (0, 0, 1.45), "spine"),
        RigBone("neck", "spine.001", (0, 0, 1.45), (0, 0, 1.55), "neck"),
        RigBone("head", "neck", (0, 0, 1.55), (0, 0, 1.75), "head"),
        RigBone("shoulder.L", "spine.001", (0.02, 0, 1.42), (0.15, 0, 1.42), "arm", "L"),
        RigBone("upper_arm.L", "shoulder.L", (0.15, 0, 1.42), (0.45, 0, 1.42), "arm", "L"),
        RigBone("forearm.L", "upper_arm.L", (0.45, 0, 1.42), (0.72, 0, 1.42), "arm", "L"),
        RigBone("hand.L", "forearm.L", (0.72, 0, 1.42), (0.82, 0, 1.42), "arm", "L"),
        RigBone("thigh.L", "spine", (0.1, 0, 1.0), (0.1, 0, 0.55), "leg", "L"),
        RigBone("shin.L", "thigh.L", (0.1, 0, 0.55), (0.1, 0, 0.08), "leg", "L"),
        RigBone("foot.L", "shin.L", (0.1, 0, 0.08), (0.1, -0.12, 0.0), "leg", "L"),
    ])
