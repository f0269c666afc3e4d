"""Turn a pipeline result into Blender data: two point clouds, an armature, a weighted image mesh.

All of it goes into one new collection named after the image; nothing the user already has is
renamed, moved or deleted. If anything fails, every data-block made so far is removed and the
selection is put back, so a failed build leaves the file as it was.
"""
from __future__ import annotations

import contextlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import bpy
import numpy as np

from ..core.anatomy.doubt import figure_warning
from ..core.errors import PointSkelError
from ..core.image import LoadedImage
from ..core.settings import BuildOptions
from ..rig import weights
from ..rig.layout import BoneLayout, layout_bones
from ..rig.placement import Placement, joint_positions, place
from ..rig.surface import SurfaceMesh, surface_mesh
from ..version import __version__
from .controls import add_controls, deforming_rig

if TYPE_CHECKING:  # the pipeline imports every stage; building needs only its result's fields
    from ..core.pipeline import PipelineResult

LIFTED_COLOUR = (0.25, 0.55, 0.95, 1.0)
CONTRACTED_COLOUR = (1.0, 0.45, 0.1, 1.0)
JOINT_SCORE_ATTRIBUTE = "joint_score"  # on the contracted cloud: the learned model's per-point joint score
_MIN_BONE = 0.005  # shortest bone, normalized units (Blender deletes zero-length bones)
_HEAT_SIZE = 1.0  # metres: smaller figures are weighted scaled up to this (see `_bone_heat`)


@dataclass
class BuiltRig:
    collection: bpy.types.Collection
    armature: bpy.types.Object
    lifted: bpy.types.Object
    contracted: bpy.types.Object
    mesh: bpy.types.Object | None
    weighting: str  # "automatic", "partly envelope", "envelope", or "" without a mesh
    layout: BoneLayout  # the deform bones, as built
    placement: Placement
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # seconds per stage: armature, mesh, weights, controls
    timings: dict[str, float] = field(default_factory=dict)


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
    source.location, to_points.location = (-400, 0), (-150, 0)
    set_material.location, sink.location = (100, 0), (350, 0)
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


def _bone_layout(result: PipelineResult, placement: Placement) -> BoneLayout:
    joints = result.skeleton.joints
    heads = joint_positions(result.skeleton, placement)
    radii = np.array([j.radius for j in joints]) * placement.scale
    return layout_bones(result.skeleton, heads, radii, min_length=_MIN_BONE * placement.scale)


def _bone_radii(layout: BoneLayout, result: PipelineResult, scale: float) -> np.ndarray:
    """Each bone's thickness in metres: its head joint's radius, at least 0.2 % of the figure."""
    radii = np.array([result.skeleton.joints[int(j)].radius for j in layout.joints]) * scale
    return np.maximum(radii, 0.002 * scale)


def _build_bones(context, armature_obj, layout: BoneLayout, result: PipelineResult, scale: float) -> None:
    """The deform bones, one per `layout` bone."""
    radii = _bone_radii(layout, result, scale)
    context.view_layer.objects.active = armature_obj
    bpy.ops.object.mode_set(mode="EDIT")
    try:
        edit_bones = armature_obj.data.edit_bones
        bones = []
        for k, name in enumerate(layout.names):
            bone = edit_bones.new(name)
            bone.head, bone.tail = layout.heads[k], layout.tails[k]
            bone.align_roll(layout.roll_axes[k])
            bone.head_radius = bone.tail_radius = float(radii[k])
            bone.envelope_distance = 0.5 * bone.head_radius
            if layout.parents[k] >= 0:
                bone.parent = bones[layout.parents[k]]
                bone.use_connect = bool(layout.connected[k])
            bones.append(bone)
    finally:
        bpy.ops.object.mode_set(mode="OBJECT")
    names = [b.name for b in armature_obj.data.bones]
    if sorted(names) != sorted(layout.names):
        raise PointSkelError("Blender changed the bone names (too long or duplicated joint names)")


def _helpers_collection(context, collection, label: str, created: _Created) -> bpy.types.Collection:
    """A sub-collection for the point clouds: never rendered, hidden in the viewport until shown."""
    helpers = created.add(bpy.data.collections.new(f"{label} helpers"))
    helpers.hide_render = True
    collection.children.link(helpers)
    layers = context.view_layer.layer_collection.children
    parent = next((c for c in layers if c.collection == collection), None)
    layer = None if parent is None else next((c for c in parent.children if c.collection == helpers), None)
    if layer is not None:
        layer.hide_viewport = True
    return helpers


def _record_properties(armature_obj, result: PipelineResult, options: BuildOptions) -> None:
    """What made this rig, on the armature: source image, body plan, view, settings, version."""
    skeleton = result.skeleton
    anatomy = skeleton.anatomy
    armature_obj["pointskel_source"] = skeleton.source
    armature_obj["pointskel_body_plan"] = anatomy.body_plan if anatomy else "unknown"
    view = f"{anatomy.view}, facing {anatomy.facing}" if anatomy else "front (assumed)"
    armature_obj["pointskel_view"] = view
    build = {k: v for k, v in asdict(options).items() if k != "location"}
    armature_obj["pointskel_settings"] = json.dumps({"pipeline": skeleton.metadata.get("settings", {}),
                                                     "build": build}, sort_keys=True)
    armature_obj["pointskel_version"] = __version__


def _read_weights(mesh_obj, names: list[str]) -> np.ndarray:
    """(V, B) the mesh's vertex group weights for bones `names` (0 where a vertex is not in a group)."""
    column = {g.index: names.index(g.name) for g in mesh_obj.vertex_groups if g.name in names}
    out = np.zeros((len(mesh_obj.data.vertices), len(names)))
    for vertex in mesh_obj.data.vertices:
        for entry in vertex.groups:
            k = column.get(entry.group)
            if k is not None:
                out[vertex.index, k] = entry.weight
    return out


def _write_weights(mesh_obj, names: list[str], values: np.ndarray) -> None:
    mesh_obj.vertex_groups.clear()
    for k, name in enumerate(names):
        group = mesh_obj.vertex_groups.new(name=name)
        whole = np.flatnonzero(values[:, k] == 1.0)  # most vertices: one call for all of them
        if whole.size:
            group.add(whole.tolist(), 1.0, "REPLACE")
        rows = np.flatnonzero((values[:, k] > 0) & (values[:, k] < 1.0))
        for index, weight in zip(rows.tolist(), values[rows, k].tolist()):
            group.add([index], weight, "REPLACE")


def _bone_heat(context, mesh_obj, armature_obj, size: float) -> None:
    """Blender's automatic weights (for deform bones), parenting the mesh to the armature.

    Bone heat clamps small distances and fails for every bone of a figure a few centimetres big, so
    a figure `size` metres long that is smaller than `_HEAT_SIZE` is weighted scaled up to it.
    """
    view_layer = context.view_layer
    for obj in context.selected_objects:
        obj.select_set(False)
    mesh_obj.select_set(True)
    armature_obj.select_set(True)
    view_layer.objects.active = armature_obj
    boost = max(1.0, _HEAT_SIZE / max(size, 1e-9))
    scales = [tuple(o.scale) for o in (armature_obj, mesh_obj)]
    for obj in (armature_obj, mesh_obj):
        obj.scale = [v * boost for v in obj.scale]
    try:
        bpy.ops.object.parent_set(type="ARMATURE_AUTO")
    except RuntimeError:
        pass  # every bone then counts as failed below, and takes envelope weights
    finally:
        for obj, scale in zip((armature_obj, mesh_obj), scales):
            obj.scale = scale
        view_layer.update()
    mesh_obj.select_set(False)
    mesh_obj.parent = armature_obj
    mesh_obj.matrix_parent_inverse = armature_obj.matrix_world.inverted()
    if not any(m.type == "ARMATURE" and m.object is armature_obj for m in mesh_obj.modifiers):
        mesh_obj.modifiers.new("Armature", "ARMATURE").object = armature_obj


def _weight(context, mesh_obj, armature_obj, layout: BoneLayout, result: PipelineResult, surface: SurfaceMesh,
            placement: Placement, max_influences: int) -> tuple[str, list[str]]:
    """Bone heat kept within each vertex's body part (see `weights`), limited and normalized."""
    _bone_heat(context, mesh_obj, armature_obj, placement.scale)
    skeleton, shape = result.skeleton, result.shape
    heat = _read_weights(mesh_obj, layout.names)
    parts = [skeleton.joints[int(j)].part for j in layout.joints]
    sides = [skeleton.joints[int(j)].side for j in layout.joints]
    regions = weights.bone_regions(layout.parents, layout.connected, parts, sides)
    work = shape.work_scale
    segments = np.stack([placement.to_pixels(layout.heads, shape.frame),
                         placement.to_pixels(layout.tails, shape.frame)], axis=1) * work
    radii = np.array([skeleton.joints[int(j)].radius for j in layout.joints]) * shape.frame.px_per_unit * work
    vertex_px = shape.frame.to_pixels(surface.vertices) * work
    vertex_bone = weights.label_vertices(shape.mask, segments, radii, vertex_px)
    allowed = weights.allowed_bones(vertex_bone, regions)
    co = np.empty(len(mesh_obj.data.vertices) * 3, np.float32)
    mesh_obj.data.vertices.foreach_get("co", co)
    co = co.reshape(-1, 3)
    radii_m = _bone_radii(layout, result, placement.scale)

    def envelope(rows: np.ndarray) -> np.ndarray:
        return weights.envelope_weights(co[rows], layout.heads, layout.tails, radii_m, allowed[rows])

    skinned = weights.skin(heat, allowed, envelope, vertex_bone, regions, max_influences)
    _write_weights(mesh_obj, layout.names, skinned.weights)
    messages = []
    if skinned.failed_bones:
        failed = ", ".join(layout.names[b] for b in skinned.failed_bones)
        messages.append(f"Blender's automatic weights failed for {len(skinned.failed_bones)} bones "
                        f"({failed}); their parts use envelope weights")
    elif skinned.unweighted:
        messages.append(f"automatic weights left {skinned.unweighted} of {len(heat)} vertices unweighted; "
                        "they use envelope weights")
    if skinned.unweighted == len(heat):
        return "envelope", messages
    return ("partly envelope" if messages else "automatic"), messages


@contextlib.contextmanager
def _timed(timings: dict[str, float], stage: str):
    start = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def build_rig(context, result: PipelineResult, name: str, options: BuildOptions,
              texture: bpy.types.Image | Path | None = None) -> BuiltRig:
    """Build the collection for one result; on failure nothing of it remains.

    The steps, in order: the image surface and the placement (everything shown stands on the
    floor); the armature with its deform bones and the helper clouds; controls (added after the
    deform bones exist); the textured mesh; its weights, to deform bones only. `texture` is the image
    for the mesh's material: one already in the file, or a file to load.
    """
    if context.mode != "OBJECT":
        raise PointSkelError("switch to Object Mode first")
    start = time.perf_counter()
    timings: dict[str, float] = {}
    view_layer = context.view_layer
    was_active = view_layer.objects.active
    was_selected = [obj for obj in view_layer.objects if obj.select_get()]
    created = _Created()
    skeleton = result.skeleton
    warnings = [w for w in (figure_warning(skeleton),) if w]
    try:
        with _timed(timings, "mesh"):
            surface = (surface_mesh(result.shape, skeleton.image_size, options.mesh_detail)
                       if options.create_mesh else None)
        with _timed(timings, "armature"):
            joints = np.array([j.position for j in skeleton.joints])
            shown = [joints, result.shape.points, result.contraction.points]
            placement = place(result.shape, skeleton, shown + ([surface.vertices] if surface else []),
                              mode=options.size_mode, size=options.height)
            layout = _bone_layout(result, placement)
            collection = created.add(bpy.data.collections.new(name))
            label = collection.name  # unique, so every object name below is new as well
            context.scene.collection.children.link(collection)

            armature = created.add(bpy.data.armatures.new(f"{label} rig"))
            armature_obj = created.add(bpy.data.objects.new(f"{label} rig", armature))
            armature_obj.show_in_front = True
            armature_obj.location = options.location
            collection.objects.link(armature_obj)
            _record_properties(armature_obj, result, options)
            for obj in was_selected:
                obj.select_set(False)
            _build_bones(context, armature_obj, layout, result, placement.scale)

            helpers = _helpers_collection(context, collection, label, created)
            group = _points_node_group(f"{label} points", created)
            lifted = _point_object(f"{label} lifted", placement.to_blender(result.shape.points), helpers,
                                   created)
            contracted = _point_object(f"{label} contracted", placement.to_blender(result.contraction.points),
                                       helpers, created, result.contraction.joint_scores)
            size = placement.scale  # the figure's longest side in metres (the normalized unit)
            _show_as_points(lifted, group, 0.003 * size, LIFTED_COLOUR, created)
            _show_as_points(contracted, group, 0.005 * size, CONTRACTED_COLOUR, created)
            for cloud in (lifted, contracted):
                cloud.parent = armature_obj  # rig space: they move with the rig
                cloud.hide_render = True

        mesh_obj, weighting = None, ""
        if surface is not None:
            with _timed(timings, "mesh"):
                texture_image = _texture_image(texture, result.image, created)
                material = _image_material(f"{label} image", texture_image, created)
                mesh_obj = _mesh_object(f"{label} mesh", surface, placement, material, collection, created)
                mesh_obj.location = options.location
                view_layer.update()
            with _timed(timings, "weights"):
                weighting, messages = _weight(context, mesh_obj, armature_obj, layout, result, surface,
                                              placement, options.max_influences)
                warnings += messages
        with _timed(timings, "controls"):
            warnings += add_controls(context, armature_obj, mesh_obj, skeleton, options.controls,
                                     rigify_generate=options.rigify_generate, created=created)
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
    return BuiltRig(collection, armature_obj, lifted, contracted, mesh_obj, weighting, layout, placement,
                    warnings, time.perf_counter() - start, timings)
