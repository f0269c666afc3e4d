"""The objects a build shows besides the armature: the helper point clouds (drawn as dots by a Geometry
Nodes modifier, in a sub-collection hidden in renders and, until shown, in the viewport) and the image
mesh with its textured, opaque material.

Every data-block made is handed to the build's tracker, so a failed build takes it back out.
"""
from __future__ import annotations

from pathlib import Path

import bpy
import numpy as np

from ..core.errors import PointSkelError
from ..core.image import LoadedImage
from ..rig.placement import Placement
from ..rig.surface import SurfaceMesh
from ..rig.texture import has_cut, padded
from .armature_edit import Tracker

LIFTED_COLOUR = (0.25, 0.55, 0.95, 1.0)
CONTRACTED_COLOUR = (1.0, 0.45, 0.1, 1.0)
JOINT_SCORE_ATTRIBUTE = "joint_score"  # on the contracted cloud: the learned model's per-point joint score


def point_cloud(
    name: str, points: np.ndarray, collection, created: Tracker, joint_scores: np.ndarray | None = None
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


def points_node_group(name: str, created: Tracker) -> bpy.types.NodeTree:
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


def show_as_points(obj, group, radius: float, colour, created: Tracker) -> None:
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


def texture_image(
    texture: bpy.types.Image | Path | None, pixels: LoadedImage, created: Tracker
) -> bpy.types.Image | None:
    """The mesh's texture, showing exactly the pixels the pipeline used (`pixels`), opaque.

    A picture with transparency gets a packed copy padded with the figure's colours (`rig/texture.py`:
    the mesh's outline cuts the figure out, the material has no alpha). Else an image already in the
    file is used as it is (the pipeline read its pixels), and a file is loaded the way Blender reads
    it when that gives the same picture; otherwise the pipeline's pixels are packed into the blend
    file as PNG: Blender ignores EXIF orientation (every phone photo) and cannot read some formats
    Pillow does as still images (GIF gave a 0×0 texture: Blender 5 cannot read it, 4.2 opens it as a
    movie).
    """
    if isinstance(texture, Path) and not texture.is_file():  # gone since the inference (a cached result)
        raise PointSkelError(f"{texture}: the image file is gone; cannot texture the mesh with it")
    if texture is not None and has_cut(pixels.rgba):
        return _packed_image(f"{Path(texture.name).stem} (padded)", padded(pixels.rgba), created)
    if not isinstance(texture, Path):
        return texture
    if not pixels.reoriented:
        count = len(bpy.data.images)
        try:
            image = bpy.data.images.load(str(texture), check_existing=True)
        except RuntimeError:
            image = None
        if image is not None:
            new = len(bpy.data.images) > count
            # a still image only: Blender 4.2 opens a GIF as a movie, which a saved file reopens 0×0
            if image.source == "FILE" and tuple(image.size) == pixels.size and image.has_data:
                return created.add(image) if new else image
            if new:
                bpy.data.images.remove(image)
    return _packed_image(texture.name, pixels.rgba, created)


def _packed_image(name: str, rgba: np.ndarray, created: Tracker) -> bpy.types.Image:
    """A new image holding `rgba` (top-down rows, straight alpha), packed into the blend file."""
    height, width = rgba.shape[:2]
    image = created.add(bpy.data.images.new(name, width, height, alpha=True))
    image.pixels.foreach_set(np.ascontiguousarray(rgba[::-1], dtype=np.float32).ravel())
    image.pack()
    return image


def image_material(name: str, texture: bpy.types.Image | None, created: Tracker) -> bpy.types.Material:
    """The reference image as colour, opaque: the mesh's outline cuts the figure out (`rig/texture.py`),
    so a glTF export carries one base colour texture and no alpha mode, without a warning."""
    material = created.add(bpy.data.materials.new(name))
    if material.node_tree is None:
        material.use_nodes = True
    nodes, links = material.node_tree.nodes, material.node_tree.links
    shader = nodes["Principled BSDF"]
    shader.inputs["Roughness"].default_value = 0.9
    if texture is None:
        return material
    image_node = nodes.new("ShaderNodeTexImage")
    image_node.image = texture
    image_node.location = (-600, 200)
    links.new(image_node.outputs["Color"], shader.inputs["Base Color"])
    nodes.active = image_node
    return material


def mesh_object(name: str, surface: SurfaceMesh, placement: Placement, material, collection,
                 created: Tracker) -> bpy.types.Object:
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


def helpers_collection(context, collection, label: str, created: Tracker) -> bpy.types.Collection:
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
