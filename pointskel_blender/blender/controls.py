"""Animator controls on a built armature: IK/FK limbs with poles, a floor root and a torso, or a Rigify
metarig.

The decisions are `rig.control_plan` and `rig.rigify_plan` (no `bpy`); this module reads the deform
bones, asks them, and writes the answer into Blender: bones, constraints, custom shapes kept in a
hidden collection, bone collections. Works on Blender 4.2 LTS and 5.0.
"""
from __future__ import annotations

import bpy
import numpy as np

from ..core.errors import PointSkelError
from ..core.settings import BUILD_SETTINGS
from ..core.skeleton import Skeleton
from ..rig.control_plan import ControlPlan, plan_controls, pole_angle
from .armature_edit import Tracker, apply_rest_bends, edit_mode, read_bones

CONTROLS = BUILD_SETTINGS["controls"].values  # none, ik, rigify
DEFORM, CONTROLS_COLLECTION, MECHANISM = "Deform", "Controls", "Mechanism"
IK_PROPERTY = "ik"  # on each IK target: 1 = IK, 0 = FK (drives the limb's constraints)
IK_CONSTRAINT = "IK"  # the name of every constraint the switch drives (`ik_fk` reads the limbs from them)
_PALETTE = {"L": "THEME04", "R": "THEME01", "": "THEME09"}  # Blender's blue/red/yellow bone colours


# ---------------------------------------------------------------------------------------------- widgets
def _circle(radius: float, plane: str, centre=(0.0, 0.0, 0.0), count: int = 24) -> tuple[np.ndarray, list]:
    angles = np.linspace(0.0, 2.0 * np.pi, count, endpoint=False)
    a, b = radius * np.cos(angles), radius * np.sin(angles)
    zero = np.zeros(count)
    xyz = {"XY": (a, b, zero), "XZ": (a, zero, b), "YZ": (zero, a, b)}[plane]
    verts = np.stack(xyz, axis=1) + np.asarray(centre)
    return verts, [(i, (i + 1) % count) for i in range(count)]


def _merge(*parts) -> tuple[np.ndarray, list]:
    verts, edges, offset = [], [], 0
    for v, e in parts:
        verts.append(v)
        edges += [(a + offset, b + offset) for a, b in e]
        offset += len(v)
    return np.concatenate(verts), edges


def widget_shapes() -> dict[str, tuple[np.ndarray, list]]:
    """Line shapes in bone space (Y along the bone, unit = the bone's length)."""
    arrow = np.array([[0.0, 1.0, 0.0], [0.0, 1.25, 0.0], [-0.08, 1.15, 0.0], [0.08, 1.15, 0.0]])
    arrows = [(arrow @ np.array(r).reshape(3, 3).T, [(0, 1), (1, 2), (1, 3)])
              for r in ((1, 0, 0, 0, 1, 0, 0, 0, 1), (-1, 0, 0, 0, -1, 0, 0, 0, 1),
                        (0, 1, 0, -1, 0, 0, 0, 0, 1), (0, -1, 0, 1, 0, 0, 0, 0, 1))]
    corners = np.array([[x, y, z] for x in (-0.5, 0.5) for y in (0.0, 1.0) for z in (-0.5, 0.5)])
    cube_edges = [(i, j) for i in range(8) for j in range(i + 1, 8) if (i ^ j).bit_count() == 1]
    return {
        "root": _merge(_circle(1.0, "XY", count=48), *arrows),
        "torso": _circle(1.0, "XY", count=32),
        "ik": (corners, cube_edges),
        "pole": _merge(_circle(0.5, "XY"), _circle(0.5, "XZ"), _circle(0.5, "YZ")),
        "fk": _circle(0.5, "XZ", centre=(0.0, 0.5, 0.0)),
    }


def _widgets(rig_collection, label: str, created: Tracker) -> dict[str, bpy.types.Object]:
    """One wire object per shape, in a collection hidden in the viewport and in renders."""
    collection = created.add(bpy.data.collections.new(f"{label} widgets"))
    collection.hide_viewport = collection.hide_render = True
    rig_collection.children.link(collection)
    objects = {}
    for name, (verts, edges) in widget_shapes().items():
        mesh = created.add(bpy.data.meshes.new(f"WGT-{label}-{name}"))
        mesh.from_pydata([tuple(v) for v in verts.tolist()], edges, [])
        obj = created.add(bpy.data.objects.new(mesh.name, mesh))
        collection.objects.link(obj)
        objects[name] = obj
    return objects


# ---------------------------------------------------------------------------------------------- IK rig
def _new_bone(edit_bones, name: str, head, tail, parent=None, roll: float = 0.0):
    bone = edit_bones.new(name)
    bone.head, bone.tail, bone.roll = head, tail, roll
    bone.parent = parent
    bone.use_deform = False
    return bone


def _add_ik_bones(armature_obj, plan: ControlPlan) -> dict[str, float]:
    """Root, torso, targets and poles as edit bones; returns each limb's pole angle (in Edit Mode)."""
    edit_bones = armature_obj.data.edit_bones
    apply_rest_bends(armature_obj, plan.limbs)
    root = _new_bone(edit_bones, plan.root, plan.root_head, plan.root_tail)
    torso = _new_bone(edit_bones, plan.torso, plan.torso_head, plan.torso_tail, root)
    hips = edit_bones[plan.hips]
    hips.use_connect = False
    hips.parent = torso
    angles = {}
    for limb in plan.limbs:
        roll = edit_bones[limb.effector].roll if limb.effector else 0.0
        _new_bone(edit_bones, limb.target, limb.target_head, limb.target_tail, root, roll)
        _new_bone(edit_bones, limb.pole, limb.pole_head, limb.pole_tail, root)
        upper, lower = edit_bones[limb.upper], edit_bones[limb.lower]
        # the chain IK solves: a copy of the two bones, hung where the upper one hangs
        solved = _new_bone(edit_bones, limb.mechanism[0], upper.head.copy(), upper.tail.copy(),
                           upper.parent or root, upper.roll)
        _new_bone(edit_bones, limb.mechanism[1], lower.head.copy(), lower.tail.copy(), solved,
                  lower.roll).use_connect = True
        angles[limb.lower] = pole_angle(np.array(upper.head), np.array(upper.tail), np.array(upper.x_axis),
                                        np.array(lower.tail), np.array(limb.pole_head))
    return angles


def _drive_influence(constraint, armature_obj, bone: str) -> None:
    """The constraint's influence follows the target's `ik` property (no Python expression needed)."""
    driver = constraint.driver_add("influence").driver
    driver.type = "AVERAGE"
    variable = driver.variables.new()
    variable.type = "SINGLE_PROP"
    variable.targets[0].id = armature_obj
    variable.targets[0].data_path = f'pose.bones["{bone}"]["{IK_PROPERTY}"]'


def _follow_ik(pose_bone, kind: str, armature_obj, subtarget: str, switch: str) -> None:
    """`pose_bone` takes `subtarget`'s transform (or rotation) as far as the limb's switch says IK."""
    follow = pose_bone.constraints.new(kind)
    follow.name = IK_CONSTRAINT
    follow.target, follow.subtarget = armature_obj, subtarget
    _drive_influence(follow, armature_obj, switch)


def _constrain(armature_obj, plan: ControlPlan, angles: dict[str, float]) -> None:
    """IK on each limb's mechanism chain (always solved, so FK can snap to it); the deform bones, which
    are the FK controls, follow that chain, and the hand or foot the target's rotation, by the switch."""
    pose_bones = armature_obj.pose.bones
    for limb in plan.limbs:
        target = pose_bones[limb.target]
        target[IK_PROPERTY] = 1.0
        target.id_properties_ui(IK_PROPERTY).update(min=0.0, max=1.0, description="1: IK, 0: FK")
        ik = pose_bones[limb.mechanism[1]].constraints.new("IK")
        ik.target, ik.subtarget = armature_obj, limb.target
        ik.pole_target, ik.pole_subtarget = armature_obj, limb.pole
        ik.pole_angle = angles[limb.lower]
        ik.chain_count = 2
        for bone, solved in zip((limb.upper, limb.lower), limb.mechanism):
            _follow_ik(pose_bones[bone], "COPY_TRANSFORMS", armature_obj, solved, limb.target)
        if limb.effector:
            _follow_ik(pose_bones[limb.effector], "COPY_ROTATION", armature_obj, limb.target, limb.target)


def _organize(armature_obj, plan: ControlPlan, deform: list[str],
              shapes: dict[str, bpy.types.Object]) -> None:
    """Bone collections, colours, custom shapes and the deform flag of every bone."""
    armature = armature_obj.data
    groups = {name: armature.collections.new(name) for name in (DEFORM, CONTROLS_COLLECTION, MECHANISM)}
    groups[MECHANISM].is_visible = False
    shape_of = {plan.root: "root", plan.torso: "torso"}
    shape_of.update({limb.target: "ik" for limb in plan.limbs})
    shape_of.update({limb.pole: "pole" for limb in plan.limbs})
    sides = {name: limb.chain.side for limb in plan.limbs for name in (limb.target, limb.pole)}
    pose_bones = armature_obj.pose.bones
    for name in deform:  # each an FK control too
        bone = armature.bones[name]
        bone.use_deform = True
        groups[DEFORM].assign(bone)
        groups[CONTROLS_COLLECTION].assign(bone)
        pose_bones[name].custom_shape = shapes["fk"]
    for name in (n for limb in plan.limbs for n in limb.mechanism):
        groups[MECHANISM].assign(armature.bones[name])
    for name, shape in shape_of.items():
        bone = armature.bones[name]
        groups[CONTROLS_COLLECTION].assign(bone)
        bone.color.palette = _PALETTE[sides.get(name, "")]
        pose_bones[name].custom_shape = shapes[shape]


def add_ik_controls(context, armature_obj, skeleton: Skeleton, created: Tracker) -> None:
    """IK limbs with poles and a rest bend, a master root at the floor and a torso at the hips."""
    bones = read_bones(armature_obj, skeleton)
    plan = plan_controls(bones)
    deform = [b.name for b in bones]
    edit_mode(context, armature_obj)
    try:
        angles = _add_ik_bones(armature_obj, plan)
    finally:
        bpy.ops.object.mode_set(mode="OBJECT")
    collection = armature_obj.users_collection[0]
    shapes = _widgets(collection, collection.name, created)
    _constrain(armature_obj, plan, angles)
    _organize(armature_obj, plan, deform, shapes)


def add_controls(context, armature_obj, mesh_obj, skeleton: Skeleton, controls: str, *,
                 rigify_generate: bool, created: Tracker) -> list[str]:
    """The chosen controls on a built rig (after its mesh is weighted: Rigify's rig takes over the
    weights); returns warnings for the user."""
    if controls not in CONTROLS:
        raise PointSkelError(f"unknown controls {controls!r} (expected one of {', '.join(CONTROLS)})")
    warnings: list[str] = []
    if controls == "ik":
        add_ik_controls(context, armature_obj, skeleton, created)
    elif controls == "rigify":
        from . import rigify_metarig  # only this choice needs the Rigify add-on

        warnings += rigify_metarig.make_metarig(context, armature_obj, mesh_obj, skeleton,
                                                generate=rigify_generate, created=created)
    return warnings


def deforming_rig(armature_obj):
    """The armature that moves the mesh: Rigify's generated rig where Generate ran, else the armature."""
    generated = getattr(armature_obj.data, "rigify_target_rig", None)  # exists while Rigify is enabled
    return generated if generated is not None else armature_obj


def summary(armature_obj) -> str:
    """What the build's controls are, for the operator's report ("" without controls)."""
    generated = deforming_rig(armature_obj)
    if generated is not armature_obj:
        return f"Rigify rig '{generated.name}'"
    if any(getattr(pose_bone, "rigify_type", "") for pose_bone in armature_obj.pose.bones):
        return "a Rigify metarig (Generate Rig is in its Armature properties)"
    limbs = sum(c.type == "IK" for pose_bone in armature_obj.pose.bones for c in pose_bone.constraints)
    return f"IK controls on {limbs} limbs" if any(not b.use_deform for b in armature_obj.data.bones) else ""
