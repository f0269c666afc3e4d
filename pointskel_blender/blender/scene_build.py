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
from ..core.mask_crop import crop_warning
from ..core.settings import BuildOptions
from ..rig.layout import BoneLayout, bone_radii, layout_bones
from ..rig.placement import Placement, joint_positions, place
from ..rig.surface import surface_mesh
from ..version import __version__
from .controls import add_controls, deforming_rig
from .scene_objects import (CONTRACTED_COLOUR, LIFTED_COLOUR, helpers_collection, image_material, mesh_object,
                            point_cloud, points_node_group, show_as_points, texture_image)
from .skinning import weight_mesh

if TYPE_CHECKING:  # the pipeline imports every stage; building needs only its result's fields
    from ..core.pipeline import PipelineResult

_MIN_BONE = 0.005  # shortest bone, normalized units (Blender deletes zero-length bones)


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


class Created:
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


def _bone_layout(result: PipelineResult, placement: Placement) -> BoneLayout:
    joints = result.skeleton.joints
    heads = joint_positions(result.skeleton, placement)
    radii = np.array([j.radius for j in joints]) * placement.scale
    return layout_bones(result.skeleton, heads, radii, min_length=_MIN_BONE * placement.scale)


def _build_bones(context, armature_obj, layout: BoneLayout, result: PipelineResult, scale: float) -> None:
    """The deform bones, one per `layout` bone."""
    radii = bone_radii(layout, result.skeleton, scale)
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
    created = Created()
    skeleton = result.skeleton
    warnings = [w for w in (figure_warning(skeleton), crop_warning(result.mask.mask)) if w]
    try:
        with _timed(timings, "mesh"):
            surface = (surface_mesh(result.shape, skeleton.image_size, options.mesh_detail)
                       if options.create_mesh else None)
        with _timed(timings, "armature"):
            joints = np.array([j.position for j in skeleton.joints])
            shown = [joints, result.shape.points, result.contraction.points]
            placement = place(result.shape, skeleton, shown + ([surface.vertices] if surface else []),
                              mode=options.size_mode, size=options.height,
                              ground=surface.vertices if surface else None)
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

            helpers = helpers_collection(context, collection, label, created)
            group = points_node_group(f"{label} points", created)
            lifted = point_cloud(f"{label} lifted", placement.to_blender(result.shape.points), helpers,
                                   created)
            contracted = point_cloud(f"{label} contracted", placement.to_blender(result.contraction.points),
                                       helpers, created, result.contraction.joint_scores)
            size = placement.scale  # the figure's longest side in metres (the normalized unit)
            show_as_points(lifted, group, 0.003 * size, LIFTED_COLOUR, created)
            show_as_points(contracted, group, 0.005 * size, CONTRACTED_COLOUR, created)
            for cloud in (lifted, contracted):
                cloud.parent = armature_obj  # rig space: they move with the rig
                cloud.hide_render = True

        mesh_obj, weighting = None, ""
        if surface is not None:
            with _timed(timings, "mesh"):
                image = texture_image(texture, result.image, created)
                material = image_material(f"{label} image", image, created)
                mesh_obj = mesh_object(f"{label} mesh", surface, placement, material, collection, created)
                mesh_obj.location = options.location
                view_layer.update()
            with _timed(timings, "weights"):
                weighting, messages = weight_mesh(context, mesh_obj, armature_obj, layout, result, surface,
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
