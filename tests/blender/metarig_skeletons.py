"""Skeletons with body parts made from Rigify's own metarigs, and armatures built from them per the contract.

Until the anatomy stage labels real images, these are the labelled skeletons the control tests use:
Rigify's basic_human, basic_quadruped and bird metarigs, their bones renamed to the contract's names
(`spine` at the hips, `neck`, `head`, `tail.001`, `wing.L.001` ...) and Rigify-only helper bones
(breast, pelvis, heel, feather, face bones) left out. Each kept bone's head is a joint; a bone with
no kept child ends in a tip joint (`hand_end.L`). Positions go into the lift frame of a front view
(x = X, y = Z, z = -Y), so `armature_from_skeleton` maps them back the way the contract says.
"""
from __future__ import annotations

import importlib

import addon_utils
import bpy
import numpy as np

from pointskel_blender.core.skeleton import Anatomy, Joint, Skeleton

SIDES = (".L", ".R")


def _sided(table: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str, str]]:
    """{metarig base name: (our base name, part)} for both sides -> {metarig name: (name, part, side)}."""
    out = {}
    for source, (name, part) in table.items():
        if source.endswith(".X"):
            for side in "LR":
                out[source[:-2] + "." + side] = (name.replace(".X", "." + side), part, side)
        else:
            out[source] = (name, part, "")
    return out


METARIGS = {
    "human": ("Basic.basic_human", "biped", _sided({
        "spine": ("spine", "spine"), "spine.001": ("spine.001", "spine"), "spine.002": ("spine.002", "spine"),
        "spine.003": ("spine.003", "spine"), "spine.004": ("neck", "neck"), "spine.005": ("neck.001", "neck"),
        "spine.006": ("head", "head"),
        "shoulder.X": ("shoulder.X", "arm"), "upper_arm.X": ("upper_arm.X", "arm"),
        "forearm.X": ("forearm.X", "arm"), "hand.X": ("hand.X", "arm"),
        "thigh.X": ("thigh.X", "leg"), "shin.X": ("shin.X", "leg"), "foot.X": ("foot.X", "leg"),
        "toe.X": ("toe.X", "leg"),
    })),
    "quadruped": ("Basic.basic_quadruped", "quadruped", _sided({
        "spine.004": ("spine", "spine"), "spine.005": ("spine.001", "spine"),
        "spine.006": ("spine.002", "spine"), "spine.007": ("spine.003", "spine"),
        "spine.008": ("spine.004", "spine"),
        "spine.009": ("neck", "neck"), "spine.010": ("neck.001", "neck"), "spine.011": ("head", "head"),
        "spine.003": ("tail", "tail"), "spine.002": ("tail.001", "tail"), "spine.001": ("tail.002", "tail"),
        "spine": ("tail.003", "tail"),
        "shoulder.X": ("shoulder.X", "front_leg"), "front_thigh.X": ("front_thigh.X", "front_leg"),
        "front_shin.X": ("front_shin.X", "front_leg"), "front_foot.X": ("front_foot.X", "front_leg"),
        "front_toe.X": ("front_toe.X", "front_leg"),
        "thigh.X": ("thigh.X", "hind_leg"), "shin.X": ("shin.X", "hind_leg"),
        "foot.X": ("foot.X", "hind_leg"),
        "toe.X": ("toe.X", "hind_leg"),
    })),
    "bird": ("Animals.bird", "bird", _sided({
        "spine.003": ("spine", "spine"), "spine.004": ("spine.001", "spine"),
        "spine.005": ("spine.002", "spine"),
        "spine.006": ("spine.003", "spine"),
        "neck.001": ("neck", "neck"), "neck.002": ("neck.001", "neck"), "head": ("head", "head"),
        "spine.002": ("tail", "tail"), "spine.001": ("tail.001", "tail"), "spine": ("tail.002", "tail"),
        "Wing.X": ("wing.X", "wing"), "Wing.001.X": ("wing.X.001", "wing"),
        "Wing.002.X": ("wing.X.002", "wing"),
        "thigh.X": ("thigh.X", "leg"), "shin.X": ("shin.X", "leg"), "foot.X": ("foot.X", "leg"),
        "toe.X": ("toe.X", "leg"),
    })),
}


def _tip_name(name: str) -> str:
    for side in SIDES:
        if side in name:
            stem, rest = name.split(side, 1)
            return f"{stem}_end{side}{rest}"
    return f"{name}_end"


def _to_lift(p) -> tuple[float, float, float]:
    return float(p[0]), float(p[2]), float(-p[1])


def _to_blender(p) -> tuple[float, float, float]:
    return float(p[0]), float(-p[2]), float(p[1])


def metarig_skeleton(kind: str) -> Skeleton:
    """The labelled skeleton of one of Rigify's metarigs (`human`, `quadruped`, `bird`)."""
    module, body_plan, table = METARIGS[kind]
    addon_utils.enable("rigify", default_set=True)
    armature = bpy.data.armatures.new(f"metarig {kind}")
    obj = bpy.data.objects.new(armature.name, armature)
    bpy.context.scene.collection.objects.link(obj)
    bpy.context.view_layer.objects.active = obj
    importlib.import_module(f"rigify.metarigs.{module}").create(obj)
    bones = {b.name: (b.parent.name if b.parent else None, tuple(b.head_local), tuple(b.tail_local))
             for b in armature.bones}
    bpy.data.objects.remove(obj)
    bpy.data.armatures.remove(armature)

    def kept_parent(name):
        parent = bones[name][0]
        while parent is not None and parent not in table:
            parent = bones[parent][0]
        return parent

    joints: list[Joint] = []
    index: dict[str, int] = {}

    def visit(source: str, parent: int | None) -> None:
        name, part, side = table[source]
        index[source] = len(joints)
        joints.append(Joint(name, parent, (0.0, 0.0), _to_lift(bones[source][1]), 0.02, part, side))
        kids = [k for k in table if k in bones and kept_parent(k) == source]
        tail = np.asarray(bones[source][2])
        # the child at this bone's tail first: the contract's bone runs to the first child of its own part
        kids.sort(key=lambda k: (table[k][1] != part, float(np.linalg.norm(np.asarray(bones[k][1]) - tail))))
        if not kids:
            joints.append(Joint(_tip_name(name), index[source], (0.0, 0.0), _to_lift(bones[source][2]), 0.02,
                                part, side))
        for kid in kids:
            visit(kid, index[source])

    root = next(k for k in table if kept_parent(k) is None)
    visit(root, None)
    return Skeleton(joints, (512, 512), f"rigify:{module}", {},
                    Anatomy(body_plan, 1.0, "front", 1.0, "viewer", "rigify"))


def armature_from_skeleton(skeleton: Skeleton, name: str = "rig") -> bpy.types.Object:
    """Bones as the contract has them: joint -> its tail child, tips make no bone; in a new collection."""
    collection = bpy.data.collections.new(name)
    bpy.context.scene.collection.children.link(collection)
    armature = bpy.data.armatures.new(name)
    obj = bpy.data.objects.new(name, armature)
    collection.objects.link(obj)
    bpy.context.view_layer.objects.active = obj
    bpy.ops.object.mode_set(mode="EDIT")
    made = {}
    for i, joint in enumerate(skeleton.joints):
        tail = skeleton.tail_child(i)
        if tail is None:
            continue
        bone = armature.edit_bones.new(joint.name)
        bone.head, bone.tail = _to_blender(joint.position), _to_blender(skeleton.joints[tail].position)
        bone.align_roll((0.0, -1.0, 0.0))
        if joint.parent is not None:
            bone.parent = made[joint.parent]
            bone.use_connect = (bone.head - bone.parent.tail).length < 1e-6
        made[i] = bone
    bpy.ops.object.mode_set(mode="OBJECT")
    return obj


def weighted_mesh(armature_obj) -> bpy.types.Object:
    """A small triangle at the middle of each deform bone, wholly weighted to that bone (as bone heat
    would, near the bone), parented and bound with an Armature modifier like the scene builder's."""
    verts, faces, groups = [], [], []
    for bone in armature_obj.data.bones:
        middle = np.array((bone.head_local + bone.tail_local) / 2)
        size = 0.1 * bone.length
        base = len(verts)
        verts += [tuple(middle + np.array(d)) for d in ((size, 0, 0), (0, size, 0), (0, 0, size))]
        faces.append((base, base + 1, base + 2))
        groups.append((bone.name, [base, base + 1, base + 2]))
    mesh = bpy.data.meshes.new(f"{armature_obj.name} mesh")
    mesh.from_pydata(verts, [], faces)
    obj = bpy.data.objects.new(mesh.name, mesh)
    armature_obj.users_collection[0].objects.link(obj)
    for name, indices in groups:
        obj.vertex_groups.new(name=name).add(indices, 1.0, "REPLACE")
    obj.parent = armature_obj
    obj.modifiers.new("Armature", "ARMATURE").object = armature_obj
    return obj
