"""The built armature as a Rigify metarig; optionally Generate, and the mesh bound to its `DEF-` bones.

The rig types come from `rig.rigify_plan`; this module only writes them onto pose bones, adds the
bones a rig type needs (toe, heel), and after Generate moves the image mesh over to the generated rig
with the same weights (each vertex group renamed to its bone's `DEF-` twin).
"""
from __future__ import annotations

import addon_utils
import bpy

from ..core.errors import PointSkelError
from ..core.skeleton import Skeleton
from ..rig.control_plan import plan_controls
from ..rig.rigify_plan import MetarigPlan, plan_metarig
from .armature_edit import Tracker, apply_rest_bends, edit_mode, read_bones

DEF_PREFIX = "DEF-"
# Data-blocks Generate creates (the rig, its armature, widgets and their collection, the UI script).
_GENERATED_KINDS = ("objects", "armatures", "meshes", "collections", "texts", "actions")


def ensure_rigify() -> list[str]:
    """Rigify ships with Blender but may be off; rig types exist only while it is enabled."""
    if addon_utils.check("rigify")[1]:
        return []
    if addon_utils.enable("rigify", default_set=True) is None:
        raise PointSkelError("the Rigify add-on could not be enabled (Preferences > Add-ons > Rigify)")
    return ["enabled Blender's Rigify add-on for the Rigify metarig"]


def _apply(context, armature_obj, plan: MetarigPlan) -> None:
    edit_mode(context, armature_obj)
    try:
        edit_bones = armature_obj.data.edit_bones
        for old, new in plan.renames:
            edit_bones[old].name = new
        for extra in plan.extra:
            bone = edit_bones.new(extra.name)
            bone.head, bone.tail = extra.head, extra.tail
            bone.parent = edit_bones[extra.parent]
            bone.use_deform = extra.deform
            bone.align_roll((0.0, -1.0, 0.0))
        for bone in edit_bones:
            if bone.parent is not None:
                bone.use_connect = bone.name in plan.connected
    finally:
        bpy.ops.object.mode_set(mode="OBJECT")
    armature = armature_obj.data
    collections = {}
    for name, row in plan.collections:
        collections[name] = armature.collections.new(name)
        collections[name].rigify_ui_row = row
    for bone, collection in plan.collection_of:
        collections[collection].assign(armature.bones[bone])
    pose_bones = armature_obj.pose.bones
    for item in plan.types:
        pose_bone = pose_bones[item.bone]
        pose_bone.rigify_type = item.rigify_type
        for key, value in item.parameters:
            setattr(pose_bone.rigify_parameters, key, value)
        for kind, collection in item.collection_refs:
            refs = getattr(pose_bone.rigify_parameters, f"{kind}_coll_refs")
            refs.add().set_collection(collections[collection])


def generate_rig(context, metarig, created: Tracker) -> bpy.types.Object:
    """Rigify's Generate on `metarig`; what it makes is handed to `created`, even when it fails."""
    before = {kind: set(getattr(bpy.data, kind)) for kind in _GENERATED_KINDS}
    context.view_layer.objects.active = metarig
    try:
        bpy.ops.pose.rigify_generate()
    except RuntimeError as exc:  # Rigify reports a metarig it cannot rig as an operator error
        message = str(exc).strip().splitlines()[0].removeprefix("Error: ")
        raise PointSkelError(f"Rigify's Generate failed: {message}") from None
    finally:
        for kind in _GENERATED_KINDS:
            for datablock in set(getattr(bpy.data, kind)) - before[kind]:
                created.add(datablock)
    rig = metarig.data.rigify_target_rig
    if rig is None:
        raise PointSkelError("Rigify's Generate made no rig")
    return rig


def bind_to_generated(mesh_obj, metarig, rig) -> list[str]:
    """The mesh deforms with the generated rig: groups renamed to their `DEF-` bones, modifier and parent
    moved over."""
    bones = rig.data.bones
    lost = []
    for group in mesh_obj.vertex_groups:
        if group.name in metarig.data.bones:
            if DEF_PREFIX + group.name in bones:
                group.name = DEF_PREFIX + group.name
            else:
                lost.append(group.name)
    for modifier in mesh_obj.modifiers:
        if modifier.type == "ARMATURE" and modifier.object is metarig:
            modifier.object = rig
    world = mesh_obj.matrix_world.copy()
    mesh_obj.parent = rig
    mesh_obj.matrix_world = world
    if lost:
        return [f"Rigify made no deform bone for {', '.join(lost)}: their weights no longer move the mesh"]
    return []


def make_metarig(context, armature_obj, mesh_obj, skeleton: Skeleton, *, generate: bool,
                 created: Tracker) -> list[str]:
    """Rig types on the armature's bones (after the same rest bend as the IK controls); with
    `generate`, run Rigify's Generate and bind the mesh to the generated rig."""
    warnings = ensure_rigify()
    bones = read_bones(armature_obj, skeleton)
    limbs = plan_controls(bones).limbs
    edit_mode(context, armature_obj)
    try:
        apply_rest_bends(armature_obj, limbs)
    finally:
        bpy.ops.object.mode_set(mode="OBJECT")
    body_plan = skeleton.anatomy.body_plan if skeleton.anatomy is not None else "generic"
    plan = plan_metarig(read_bones(armature_obj, skeleton), body_plan)
    _apply(context, armature_obj, plan)
    if not generate:
        return warnings
    rig = generate_rig(context, armature_obj, created)
    if mesh_obj is not None:
        warnings += bind_to_generated(mesh_obj, armature_obj, rig)
    armature_obj.hide_set(True)
    context.view_layer.objects.active = rig
    rig.select_set(True)
    return warnings
