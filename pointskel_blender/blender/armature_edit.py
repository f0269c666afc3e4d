"""What the IK controls and the Rigify metarig both do to a built armature: read its deform bones for the
`bpy`-free planners, enter Edit Mode, and give straight limbs their rest bend.

Its own module so that `controls` and `rigify_metarig` share it without importing each other.
"""
from __future__ import annotations

from typing import Protocol

import bpy

from ..core.skeleton import Skeleton
from ..rig.control_plan import IKLimb, RigBone


class Tracker(Protocol):
    """What a build uses to take back everything it made (`scene_build.Created`)."""

    def add(self, datablock): ...


def read_bones(armature_obj, skeleton: Skeleton) -> list[RigBone]:
    """The armature's bones in its local space, with the body part and side of their joints."""
    joints = {j.name: j for j in skeleton.joints}
    out = []
    for bone in armature_obj.data.bones:
        joint = joints.get(bone.name)
        out.append(RigBone(bone.name, bone.parent.name if bone.parent else None, tuple(bone.head_local),
                           tuple(bone.tail_local), joint.part if joint else "", joint.side if joint else ""))
    return out


def edit_mode(context, armature_obj) -> None:
    context.view_layer.objects.active = armature_obj
    bpy.ops.object.mode_set(mode="EDIT")


def apply_rest_bends(armature_obj, limbs: tuple[IKLimb, ...]) -> None:
    """Move each IK pair's middle joint to the plan's (slightly bent) place; in Edit Mode."""
    edit_bones = armature_obj.data.edit_bones
    for limb in limbs:
        edit_bones[limb.upper].tail = limb.middle
        edit_bones[limb.lower].head = limb.middle
