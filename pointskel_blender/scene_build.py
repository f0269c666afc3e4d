"""Turn a pipeline result into Blender data: two point clouds, an armature, a weighted image mesh.

All of it goes into one new collection named after the image; nothing the user already has is
renamed, moved or deleted. If anything fails, every data-block made so far is removed and the
selection is put back, so a failed build leaves the file as it was.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import bpy
import numpy as np

from .controls import add_controls, deforming_rig
from .core.errors import PointSkelError
from .core.image import LoadedImage
from .core.settings import BuildOptions
from .rig_layout import Placement, envelope_weights, layout_bones, placement_for
from .surface import SurfaceMesh, surface_mesh

if TYPE_CHECKING:  # the pipeline imports every stage; building needs only its result's fields
    from .core.pipeline import PipelineResult

# Bones' Z axes point to the character's front (-Y): a fixed axis that X-mirroring keeps, so
# `.L`/`.R` bones get mirrored rolls and pose flipping works.
ROLL_AXIS = (0.0, -1.0, 0.0)
LIFTED_COLOUR = (0.25, 0.55, 0.95, 1.0)
CONTRACTED_COLOUR = (1.0, 0.45, 0.1, 1.0)
JOINT_SCORE_ATTRIBUTE = "joint_score"  # on the contracted cloud: the learned model's per-point joint score


@dataclass
class BuiltRig:
    collection: bpy.types.Collection
    armature: bpy.types.Object
    lifted: bpy.types.Object
    contracted: bpy.types.Object
    mesh: bpy.types.Object | None
    weighting: str  # "automatic", "envelope", or "" without a mesh
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage: controls


class _Created:
    """Every data-block a build makes, so a failure can take all of them back out."""

    def __init__(self) -> None:
        self.ids: list[bpy.types.ID] = []

    def add(self, datablock):
        self.ids.append(datablock)
        return datablock

    def remove_all(self) -> None:
        alive = [d for d in self.ids if d is not None and _is_alive(d)]
        bpy.data.batch_remove(alive)
        self.ids.clear()


def _is_alive(datablock: bpy.types.ID) -> bool:
    try:
        datablock.name  # noqa: B018 - raises ReferenceError once the ID has been freed
    except ReferenceError:
        return False
    return True


def _point_object(
    name: str, points: np.ndarray, collection, created: _Created, joint_scores: np.ndarray | None = None
) -> bpy.types.Object:
    """Vertices only; the learned joint scores, if any, as a `joint_score` point attribute to inspect."""
    mesh = created.add(bpy.data.meshes.new(name))
    mesh.vertices.add(len(points))
    mesh.vertices.foreach_set("co", np.ascontiguousarray(points, dtype=np.float32).ravel())
    if joint_scores is not None:
        attribute = mesh.attributes.new(JOINT_SCORE_ATTRIBUTE, "FLOAT", "POINT")
        attribute.data.foreach_set("value", np.ascontiguousarray(joint_scores, dtype=np.float32))
    mesh.update()
    obj = created.add(bpy.data.objects.new(name, mesh))
    collection.objects.link(obj)
    return obj


def _points_node_group(name: str, created: _Created) -> bpy.types.NodeTree:
    """Geometry Nodes: vertices -> point cloud, so the clouds show as dots in Object Mode too."""
    group = created.add(bpy.data.node_groups.new(name, "GeometryNodeTree"))
    group.is_modifier = True
    iface = group.interface
    iface.new_socket("Geometry", in_out="INPUT", socket_type="NodeSocketGeometry")
    radius = iface.new_socket("Radius", in_out="INPUT", socket_type="NodeSocketFloat")
    radius.default_value, radius.min_value = 0.005, 0.0
    iface.new_socket("Material", in_out="INPUT", socket_type="NodeSocketMaterial")
    iface.new_socket("Geometry", in_out="OUTPUT", socket_type="NodeSocketGeometry")
    nodes, links = group.nodes, group.links
    source, sink = nodes.new("NodeGroupInput"), nodes.new("NodeGroupOutput")
    to_points, set_material = nodes.new("GeometryNodeMeshToPoints"), nodes.new("GeometryNodeSetMaterial")
    source.location, to_points.location, set_material.location, sink.location = (-400, 0), (-150, 0), (100, 0), (350, 0)
    links.new(source.outputs["Geometry"], to_points.inputs["Mesh"])
    links.new(source.outputs["Radius"], to_points.inputs["Radius"])
    links.new(to_points.outputs["Points"], set_material.inputs["Geometry"])
    links.new(source.outputs["Material"], set_material.inputs["Material"])
    links.new(set_material.outputs["Geometry"], sink.inputs["Geometry"])
    return group


def _show_as_points(obj, group, radius: float, colour, created: _Created) -> None:
    material = created.add(bpy.data.materials.new(obj.name))
    material.diffuse_color = colour
    if material.node_tree is None:  # 4.2 creates materials without nodes; 5.0 always has them
        material.use_nodes = True
    material.node_tree.nodes["Principled BSDF"].inputs["Base Color"].default_value = colour
    modifier = obj.modifiers.new("Points", "NODES")
    modifier.node_group = group
    inputs = {s.name: s.identifier for s in group.interface.items_tree if s.item_type == "SOCKET"
              and s.in_out == "INPUT"}
    modifier[inputs["Radius"]] = radius
    modifier[inputs["Material"]] = material
    obj.color = colour


def _texture_image(
    texture: bpy.types.Image | Path | None, pixels: LoadedImage, created: _Created
) -> bpy.types.Image | None:
    """The mesh's texture, showing exactly the pixels the pipeline used (`pixels`).

    An image already in the file is used as it is (the pipeline read its pixels). A file is loaded
    the way Blender reads it when that gives the same picture; otherwise the pipeline's pixels are
    packed into the blend file as PNG: Blender ignores EXIF orientation (every phone photo) and
    cannot read some formats Pillow does (GIF gave a 0×0 texture).
    """
    if not isinstance(texture, Path):
        return texture
    if not texture.is_file():  # gone since the inference (a cached result): the user should know
        raise PointSkelError(f"{texture}: the image file is gone; cannot texture the mesh with it")
    if not pixels.reoriented:
        count = len(bpy.data.images)
        try:
            image = bpy.data.images.load(str(texture), check_existing=True)
        except RuntimeError:
            image = None
        if image is not None:
            new = len(bpy.data.images) > count
            if tuple(image.size) == pixels.size and image.has_data:
                return created.add(image) if new else image
            if new:
                bpy.data.images.remove(image)
    return _packed_image(texture.name, pixels, created)


def _packed_image(name: str, pixels: LoadedImage, created: _Created) -> bpy.types.Image:
    """A new image holding `pixels` (top-down rows, straight alpha), packed into the blend file."""
    image = created.add(bpy.data.images.new(name, pixels.width, pixels.height, alpha=True))
    image.pixels.foreach_set(np.ascontiguousarray(pixels.rgba[::-1]).ravel())
    image.pack()
    return image


def _image_material(name: str, texture: bpy.types.Image | None, created: _Created) -> bpy.types.Material:
    """The reference image as colour, its alpha cut out at 0.5 (4.2+ render method, glTF MASK)."""
    material = created.add(bpy.data.materials.new(name))
    if material.node_tree is None:
        material.use_nodes = True
    material.surface_render_method = "DITHERED"
    nodes, links = material.node_tree.nodes, material.node_tree.links
    shader = nodes["Principled BSDF"]
    shader.inputs["Roughness"].default_value = 0.9
    if texture is None:
        return material
    image_node = nodes.new("ShaderNodeTexImage")
    image_node.image = texture
    image_node.location = (-600, 200)
    cut = nodes.new("ShaderNodeMath")
    cut.operation = "ROUND"
    cut.location = (-300, -100)
    links.new(image_node.outputs["Color"], shader.inputs["Base Color"])
    links.new(image_node.outputs["Alpha"], cut.inputs[0])
    links.new(cut.outputs[0], shader.inputs["Alpha"])
    nodes.active = image_node
    return material


def _mesh_object(name: str, surface: SurfaceMesh, placement: Placement, material, collection,
                 created: _Created) -> bpy.types.Object:
    mesh = created.add(bpy.data.meshes.new(name))
    vertices = placement.to_blender(surface.vertices).astype(np.float32)
    triangles = surface.triangles
    mesh.vertices.add(len(vertices))
    mesh.vertices.foreach_set("co", vertices.ravel())
    mesh.loops.add(triangles.size)
    mesh.loops.foreach_set("vertex_index", triangles.ravel())
    mesh.polygons.add(len(triangles))
    mesh.polygons.foreach_set("loop_start", np.arange(0, triangles.size, 3, dtype=np.int32))
    uv_layer = mesh.uv_layers.new(name="UVMap")
    uv_layer.data.foreach_set("uv", surface.uvs[triangles.ravel()].ravel())
    mesh.update()
    mesh.shade_smooth()
    mesh.materials.append(material)
    obj = created.add(bpy.data.objects.new(name, mesh))
    collection.objects.link(obj)
    return obj


def _build_bones(context, armature_obj, result: PipelineResult, placement: Placement, height: float) -> None:
    joints = result.skeleton.joints
    heads = placement.to_blender(np.array([j.position for j in joints]))
    radii = np.array([j.radius for j in joints]) * placement.scale
    layout = layout_bones(heads, [j.parent for j in joints], radii, min_length=0.005 * height)
    context.view_layer.objects.active = armature_obj
    bpy.ops.object.mode_set(mode="EDIT")
    try:
        edit_bones = armature_obj.data.edit_bones
        bones = []
        for i, joint in enumerate(joints):
            bone = edit_bones.new(joint.name)
            bone.head, bone.tail = layout.heads[i], layout.tails[i]
            bone.align_roll(ROLL_AXIS)
            bone.head_radius = bone.tail_radius = max(float(radii[i]), 0.002 * height)
            bone.envelope_distance = 0.5 * bone.head_radius
            if joint.parent is not None:
                bone.parent = bones[joint.parent]
                bone.use_connect = bool(layout.connected[i])
            bones.append(bone)
    finally:
        bpy.ops.object.mode_set(mode="OBJECT")
    names = [b.name for b in armature_obj.data.bones]
    if sorted(names) != sorted(j.name for j in joints):
        raise PointSkelError("Blender changed the bone names (too long or duplicated joint names)")


def _unweighted(mesh_obj, bone_names: set[str]) -> np.ndarray:
    """Vertices with no positive weight in any bone's group."""
    groups = {g.index for g in mesh_obj.vertex_groups if g.name in bone_names}
    return np.array([not any(e.group in groups and e.weight > 0 for e in v.groups)
                     for v in mesh_obj.data.vertices], dtype=bool)


def _weight(context, mesh_obj, armature_obj) -> tuple[str, list[str]]:
    """Bone-heat weights; where Blender leaves any vertex unweighted, envelope weights instead."""
    bone_names = {b.name for b in armature_obj.data.bones}
    view_layer = context.view_layer
    for obj in context.selected_objects:
        obj.select_set(False)
    mesh_obj.select_set(True)
    armature_obj.select_set(True)
    view_layer.objects.active = armature_obj
    try:
        bpy.ops.object.parent_set(type="ARMATURE_AUTO")
    except RuntimeError:
        pass  # handled below like any other unweighted vertex
    mesh_obj.select_set(False)
    if mesh_obj.parent is not armature_obj:
        mesh_obj.parent = armature_obj
        mesh_obj.matrix_parent_inverse = armature_obj.matrix_world.inverted()
    if not any(m.type == "ARMATURE" and m.object is armature_obj for m in mesh_obj.modifiers):
        mesh_obj.modifiers.new("Armature", "ARMATURE").object = armature_obj
    missing = _unweighted(mesh_obj, bone_names)
    if not missing.any():
        return "automatic", []

    mesh_obj.vertex_groups.clear()
    bones = armature_obj.data.bones
    heads = np.array([b.head_local for b in bones])
    tails = np.array([b.tail_local for b in bones])
    radii = np.array([b.head_radius for b in bones])
    count = len(mesh_obj.data.vertices)
    co = np.empty(count * 3, np.float32)
    mesh_obj.data.vertices.foreach_get("co", co)
    weights = envelope_weights(co.reshape(-1, 3), heads, tails, radii)
    for column, bone in enumerate(bones):
        group = mesh_obj.vertex_groups.new(name=bone.name)
        for index in np.flatnonzero(weights[:, column]):
            group.add([int(index)], float(weights[index, column]), "REPLACE")
    message = (f"automatic weights left {int(missing.sum())} of {count} vertices unweighted; "
               "used envelope weights instead")
    return "envelope", [message]


def build_rig(context, result: PipelineResult, name: str, options: BuildOptions,
              texture: bpy.types.Image | Path | None = None) -> BuiltRig:
    """Build the collection for one result; on failure nothing of it remains.

    `texture` is the image for the mesh's material: one already in the file, or a file to load.
    """
    if context.mode != "OBJECT":
        raise PointSkelError("switch to Object Mode first")
    start = time.perf_counter()
    view_layer = context.view_layer
    was_active = view_layer.objects.active
    was_selected = [obj for obj in view_layer.objects if obj.select_get()]
    created = _Created()
    try:
        placement = placement_for(result.shape, options.height)
        collection = created.add(bpy.data.collections.new(name))
        label = collection.name  # unique, so every object name below is new as well
        context.scene.collection.children.link(collection)

        group = _points_node_group(f"{label} points", created)
        lifted = _point_object(f"{label} lifted", placement.to_blender(result.shape.points), collection, created)
        contracted = _point_object(f"{label} contracted", placement.to_blender(result.contraction.points),
                                   collection, created, result.contraction.joint_scores)
        _show_as_points(lifted, group, 0.003 * options.height, LIFTED_COLOUR, created)
        _show_as_points(contracted, group, 0.005 * options.height, CONTRACTED_COLOUR, created)

        armature = created.add(bpy.data.armatures.new(f"{label} rig"))
        armature_obj = created.add(bpy.data.objects.new(f"{label} rig", armature))
        armature_obj.show_in_front = True
        collection.objects.link(armature_obj)
        for obj in (lifted, contracted, armature_obj):
            obj.location = options.location
        for obj in was_selected:
            obj.select_set(False)
        _build_bones(context, armature_obj, result, placement, options.height)

        mesh_obj, weighting, warnings = None, "", []
        if options.create_mesh:
            surface = surface_mesh(result.shape, result.skeleton.image_size, options.mesh_detail)
            texture_image = _texture_image(texture, result.image, created)
            material = _image_material(f"{label} image", texture_image, created)
            mesh_obj = _mesh_object(f"{label} mesh", surface, placement, material, collection, created)
            mesh_obj.location = options.location
            view_layer.update()
            weighting, warnings = _weight(context, mesh_obj, armature_obj)
        controls_start = time.perf_counter()
        warnings += add_controls(context, armature_obj, mesh_obj, result.skeleton, options.controls,
                                 rigify_generate=options.rigify_generate, created=created)
        timings = {"controls": time.perf_counter() - controls_start}
        deforming_rig(armature_obj).select_set(True)  # Rigify's rig where Generate ran
        view_layer.objects.active = deforming_rig(armature_obj)
    except BaseException:
        if context.mode != "OBJECT":
            bpy.ops.object.mode_set(mode="OBJECT")
        created.remove_all()
        for obj in was_selected:
            obj.select_set(True)
        view_layer.objects.active = was_active
        raise
    return BuiltRig(collection, armature_obj, lifted, contracted, mesh_obj, weighting, warnings,
                    time.perf_counter() - start, timings)
