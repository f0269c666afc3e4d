"""The image mesh's weights in Blender: bone heat (Blender's automatic weights) kept within each
vertex's body part, each limb, ear and tail owning its mesh past its socket and each limb's first bone
off the body past it, a bone the picture does not show owning none, at most N normalized influences,
envelopes where bone heat failed.

The decisions are `rig.weights` (no `bpy`); this module runs bone heat, reads and writes vertex groups.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import bpy
import numpy as np

from ..rig import weights
from ..rig.layout import BoneLayout, bone_radii
from ..rig.placement import Placement
from ..rig.surface import SurfaceMesh

if TYPE_CHECKING:
    from ..core.pipeline import PipelineResult

_HEAT_SIZE = 1.0  # metres: smaller figures are weighted scaled up to this (see `_bone_heat`)


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
    """Each bone's vertex group with `values[:, k]`; a weight a rounding error over 1 (a normalized row's
    lone 1.0000000000000002) is whole, not left out (that left a chunky figure's vertex unweighted)."""
    mesh_obj.vertex_groups.clear()
    for k, name in enumerate(names):
        group = mesh_obj.vertex_groups.new(name=name)
        whole = np.flatnonzero(values[:, k] >= 1.0)  # most vertices: one call for all of them
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


def weight_mesh(context, mesh_obj, armature_obj, layout: BoneLayout, result: PipelineResult,
                surface: SurfaceMesh, placement: Placement, max_influences: int) -> tuple[str, list[str]]:
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
    ends = [(int(j), skeleton.tail_child(int(j))) for j in layout.joints]
    head_radii = np.array([skeleton.joints[j].radius for j, _ in ends])
    tail_radii = np.array([skeleton.joints[j if t is None else t].radius for j, t in ends])
    radii = weights.label_radii(head_radii, tail_radii, parts) * shape.frame.px_per_unit * work
    vertex_px = shape.frame.to_pixels(surface.vertices) * work
    depths = np.array([skeleton.joints[int(j)].position[2] for j in layout.joints])
    fronts = weights.front_limbs(regions, parts, depths)
    co = np.empty(len(mesh_obj.data.vertices) * 3, np.float32)
    mesh_obj.data.vertices.foreach_get("co", co)
    co = co.reshape(-1, 3)
    radii_m = bone_radii(layout, result.skeleton, placement.scale)
    toward_viewer = placement.rotation[:, 2]  # the normalized frame's z in the rig's frame
    hidden = np.array([skeleton.joints[int(j)].hidden for j in layout.joints], dtype=bool)
    # a bone the picture does not show owns no flesh (`rig.weights`, module docstring)
    shown = weights.shown_bones(layout.heads, layout.tails, radii_m, co, toward_viewer) & ~hidden
    heads = weights.front_heads(parts, depths)
    reaches = weights.head_reaches(layout.parents, parts, segments, radii) if heads else np.zeros(len(parts))
    vertex_bone = weights.label_vertices(shape.mask, segments, radii, vertex_px, fronts, shown, heads,
                                         reaches)
    vertex_bone = weights.parts_from_their_sockets(vertex_bone, vertex_px, segments, regions, parts)
    vertex_bone = weights.heads_over_the_body(vertex_bone, vertex_px, segments, regions, parts)
    allowed = weights.whole_heads(weights.allowed_bones(vertex_bone, regions, shown), vertex_bone, regions,
                                  reaches)

    def envelope(rows: np.ndarray) -> np.ndarray:
        return weights.envelope_weights(co[rows], layout.heads, layout.tails, radii_m, allowed[rows])

    counterparts = weights.heat_counterparts(fronts, segments, len(layout.names))
    skinned = weights.skin(heat, allowed, envelope, vertex_bone, regions, max_influences, counterparts)
    sockets = weights.limb_sockets(regions, layout.parents, parts, layout.heads, layout.tails, radii_m,
                                   toward_viewer, weights.HANGING_PARTS)
    owned = weights.own_past_the_socket(skinned.weights, co, vertex_bone, regions, sockets)
    limbs = [s for s in sockets if parts[s.bone] in weights.LIMB_PARTS]
    kept = weights.keep_limbs_off_the_body(owned, co, limbs, max_influences)
    legs = [s for s in limbs if parts[s.bone] in weights.DRAPED_PARTS]
    kept = weights.drape_over_the_legs(kept, vertex_px, vertex_bone, regions, legs, segments, radii)
    lengths = np.maximum(np.linalg.norm(segments[:, 1] - segments[:, 0], axis=1), 2 * reaches)  # end-on heads
    final = weights.feather_the_neck(kept, vertex_px, vertex_bone, regions, parts, lengths, max_influences)
    _write_weights(mesh_obj, layout.names, final)
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
