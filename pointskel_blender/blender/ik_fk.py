"""Switching a limb between IK and FK without a pop: the snap operator and the sidebar's IK/FK panel.

A limb is read back from the constraints `controls` made (named `IK`, driven by the target's `ik`
switch), so the snap works on any rig PointSkel built, saved and reopened, with nothing stored beside
it. FK to IK turns the limb's deform bones (its FK controls) to where its IK chain holds it; IK to FK
puts the target on the FK hand or foot and the pole where it makes IK bend the limb the same way
(`rig.control_plan.snap_pole`).
"""
from __future__ import annotations

from dataclasses import dataclass

import bpy
from bpy.props import EnumProperty
from mathutils import Matrix, Vector

from ..rig.control_plan import snap_pole, turned_pole
from .controls import IK_CONSTRAINT, IK_PROPERTY
from .panels import Sidebar

_POLE_TURNS = 4  # at most (measured: the middle joint then lands within 0.02 mm of its FK place)


@dataclass(frozen=True)
class Limb:
    target: str  # carries the switch
    pole: str
    upper: str  # the deform bones, which are the FK controls
    lower: str
    effector: str | None  # the hand or foot, which copies the target's rotation in IK
    mechanism: tuple[str, str]  # the chain IK solves

    @property
    def bones(self) -> tuple[str, ...]:
        return tuple(n for n in (self.target, self.pole, self.upper, self.lower, self.effector) if n)


def limbs(armature_obj) -> list[Limb]:
    """Every IK/FK limb of a PointSkel rig, from its constraints."""
    followers: dict[str, list[str]] = {}  # a bone the switch makes others follow -> those others
    for pose_bone in armature_obj.pose.bones:
        for constraint in pose_bone.constraints:
            if (constraint.name == IK_CONSTRAINT and constraint.type in ("COPY_TRANSFORMS", "COPY_ROTATION")
                    and constraint.target == armature_obj):
                followers.setdefault(constraint.subtarget, []).append(pose_bone.name)
    found = []
    for pose_bone in armature_obj.pose.bones:
        for ik in pose_bone.constraints:
            if (ik.type != "IK" or ik.target != armature_obj or not ik.pole_subtarget
                    or pose_bone.parent is None):
                continue
            mechanism = (pose_bone.parent.name, pose_bone.name)
            upper, lower = followers.get(mechanism[0]), followers.get(mechanism[1])
            if upper and lower and IK_PROPERTY in armature_obj.pose.bones[ik.subtarget]:
                effector = next(iter(followers.get(ik.subtarget, [])), None)
                found.append(Limb(ik.subtarget, ik.pole_subtarget, upper[0], lower[0], effector, mechanism))
    return found


def limb_of(armature_obj, bone: str) -> Limb | None:
    """The limb whose target, pole or deform bones include `bone`."""
    return next((limb for limb in limbs(armature_obj) if bone in limb.bones), None)


def _fk_pose(context, armature_obj, limb: Limb) -> dict[str, Matrix]:
    """The limb's deform bones as FK holds them (armature space), whatever the switch is now."""
    pose_bones = armature_obj.pose.bones
    target = pose_bones[limb.target]
    switch = target[IK_PROPERTY]
    set_switch(context, armature_obj, limb, 0.0)
    names = (limb.upper, limb.lower, limb.effector)
    matrices = {name: pose_bones[name].matrix.copy() for name in names if name}
    set_switch(context, armature_obj, limb, switch)
    return matrices


def set_switch(context, armature_obj, limb: Limb, value: float) -> None:
    """The limb's switch (1: IK, 0: FK), evaluated: a property set from Python re-runs no driver until
    its object is tagged, as the sidebar's slider does."""
    armature_obj.pose.bones[limb.target][IK_PROPERTY] = value
    armature_obj.update_tag()
    context.view_layer.update()


def snap_fk_to_ik(context, armature_obj, limb: Limb) -> None:
    """Turn the FK bones to the IK pose (the mechanism chain is solved whatever the switch)."""
    pose_bones = armature_obj.pose.bones
    for bone, solved in zip((limb.upper, limb.lower), limb.mechanism):
        pose_bones[bone].matrix = pose_bones[solved].matrix.copy()
        context.view_layer.update()  # the next bone's parent has moved
    if limb.effector:
        effector = pose_bones[limb.effector]
        location, _, scale = effector.matrix.decompose()
        rotation = pose_bones[limb.target].matrix.to_quaternion()
        effector.matrix = Matrix.LocRotScale(location, rotation, scale)
        context.view_layer.update()


def snap_ik_to_fk(context, armature_obj, limb: Limb) -> None:
    """Put the IK target on the FK hand or foot (or the limb's tip) and the pole where IK bends the limb
    as FK does."""
    fk = _fk_pose(context, armature_obj, limb)
    pose_bones, bones = armature_obj.pose.bones, armature_obj.data.bones
    upper, lower = fk[limb.upper], fk[limb.lower]
    tip = lower @ Vector((0.0, bones[limb.lower].length, 0.0))
    target = pose_bones[limb.target]
    if limb.effector:
        target.matrix = fk[limb.effector]  # the target is a copy of the effector
    else:
        matrix = target.matrix.copy()
        matrix.translation = tip
        target.matrix = matrix
    rest = [bones[limb.upper].head_local, bones[limb.lower].head_local, bones[limb.lower].tail_local,
            bones[limb.pole].head_local]
    start, middle = upper.translation, lower.translation
    place = snap_pole(rest, [start, middle, tip])
    context.view_layer.update()
    if place is None:
        return
    pole = pose_bones[limb.pole]
    solved = pose_bones[limb.mechanism[1]]  # its head is where IK puts the middle joint
    reach = bones[limb.upper].length + bones[limb.lower].length
    for _ in range(_POLE_TURNS):
        matrix = pole.matrix.copy()
        matrix.translation = Vector(place)
        pole.matrix = matrix
        context.view_layer.update()
        if (solved.head - middle).length < 1e-6 * reach:
            break
        place = turned_pole(start, tip, middle, solved.head, place)


class POINTSKEL_OT_snap_ik_fk(bpy.types.Operator):
    """Match the active limb's FK bones to its IK pose, or its IK target and pole to its FK pose, so that
    switching between IK and FK does not move it"""

    bl_idname = "pointskel.snap_ik_fk"
    bl_label = "Snap IK/FK"
    bl_options = {"REGISTER", "UNDO"}

    direction: EnumProperty(
        name="Direction",
        items=(("FK_TO_IK", "FK to IK", "Turn the FK bones to where IK holds the limb"),
               ("IK_TO_FK", "IK to FK", "Move the IK target and pole to where the FK bones hold the limb")),
        default="FK_TO_IK",
    )

    @classmethod
    def poll(cls, context) -> bool:
        obj = context.active_object
        return obj is not None and obj.type == "ARMATURE" and context.active_pose_bone is not None

    def execute(self, context):
        obj = context.active_object
        limb = limb_of(obj, context.active_pose_bone.name)
        if limb is None:
            self.report({"ERROR"}, f"'{context.active_pose_bone.name}' is no part of an IK/FK limb: select a "
                                   "limb's bone, IK target or pole")
            return {"CANCELLED"}
        (snap_fk_to_ik if self.direction == "FK_TO_IK" else snap_ik_to_fk)(context, obj, limb)
        to_ik = self.direction == "FK_TO_IK"
        self.report({"INFO"}, f"{limb.upper}: " + ("FK bones matched to IK" if to_ik else
                                                   "IK target and pole matched to FK"))
        return {"FINISHED"}


class VIEW3D_PT_pointskel_ik_fk(Sidebar, bpy.types.Panel):
    """The active limb's IK/FK switch and the snaps, in Pose Mode."""

    bl_label = "IK/FK"
    bl_context = "posemode"

    @classmethod
    def poll(cls, context) -> bool:
        return POINTSKEL_OT_snap_ik_fk.poll(context)

    def draw(self, context) -> None:
        layout = self.layout
        obj = context.active_object
        limb = limb_of(obj, context.active_pose_bone.name)
        if limb is None:
            layout.label(text="Select a bone of an arm or a leg", icon="INFO")
            return
        layout.prop(obj.pose.bones[limb.target], f'["{IK_PROPERTY}"]', text=f"IK ({limb.upper})", slider=True)
        row = layout.row(align=True)
        row.operator(POINTSKEL_OT_snap_ik_fk.bl_idname, text="FK → IK").direction = "FK_TO_IK"
        row.operator(POINTSKEL_OT_snap_ik_fk.bl_idname, text="IK → FK").direction = "IK_TO_FK"


CLASSES = (POINTSKEL_OT_snap_ik_fk, VIEW3D_PT_pointskel_ik_fk)
