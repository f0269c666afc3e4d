"""The sidebar panel (View3D > Sidebar > PointSkel): source, settings, Generate, last run's numbers."""
from __future__ import annotations

import bpy

from . import jobs, sources


class Sidebar:
    """Where every PointSkel panel lives: the 3D viewport's sidebar, PointSkel tab."""

    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "PointSkel"


class VIEW3D_PT_pointskel(Sidebar, bpy.types.Panel):
    bl_label = "Image → Skeleton"

    def draw(self, context) -> None:
        layout = self.layout
        settings = context.scene.pointskel
        layout.use_property_split = True
        layout.use_property_decorate = False

        layout.prop(settings, "source", expand=True)
        if settings.source == "FILE":
            layout.prop(settings, "filepath", text="File")
        elif settings.source == "IMAGE":
            layout.template_ID(settings, "image", open="image.open")
        else:
            empty = sources.reference_empty(context)
            if empty is not None:
                layout.label(text=empty.name, icon="IMAGE_REFERENCE")
            else:
                layout.label(text="Select a reference-image empty", icon="INFO")
        layout.operator("pointskel.load_reference", icon="FILE_IMAGE")

        col = layout.column()
        col.prop(settings, "mask_backend")
        col.prop(settings, "points")
        col.prop(settings, "iterations")
        col.prop(settings, "voxel")
        col.prop(settings, "auto_bone_length")
        sub = col.column()
        sub.active = not settings.auto_bone_length  # still editable: it is the fallback without a model
        sub.prop(settings, "bone_length")
        col.prop(settings, "body_plan")
        col.prop(settings, "view")
        col.prop(settings, "naming")
        col.prop(settings, "size_mode")
        sub = col.column()
        sub.active = settings.size_mode != "auto"
        sub.prop(settings, "height")
        col.prop(settings, "create_mesh")
        col.prop(settings, "controls")
        sub = col.column()
        sub.active = settings.controls == "rigify"
        sub.prop(settings, "rigify_generate")

        row = layout.row()
        row.scale_y = 1.4
        row.operator("pointskel.image_to_skeleton", text="Running…" if jobs.busy() else "Generate",
                     icon="ARMATURE_DATA")
        _draw_stats(layout, settings.stats)


class VIEW3D_PT_pointskel_advanced(Sidebar, bpy.types.Panel):
    bl_label = "Advanced"
    bl_parent_id = "VIEW3D_PT_pointskel"
    bl_options = {"DEFAULT_CLOSED"}

    def draw(self, context) -> None:
        layout = self.layout
        layout.use_property_split = True
        settings = context.scene.pointskel
        for name in ("work_size", "seed", "keep_all_objects", "tail_bones", "mesh_detail", "max_influences"):
            layout.prop(settings, name)


def _draw_stats(layout, stats) -> None:
    if not stats.has_run:
        return
    box = layout.box()
    box.label(text=f"Last run: {stats.collection}" + ("  (cached)" if stats.cached else ""), icon="INFO")
    grid = box.grid_flow(columns=2, even_columns=True)
    for label, value in (
        ("Lifted points", f"{stats.lifted_points:,}"),
        ("Contracted points", f"{stats.contracted_points:,}"),
        ("Figure", stats.figure or "—"),
        ("Joints", str(stats.joints)),
        ("Bones", str(stats.bones)),
        ("Bone length",
         f"{stats.bone_length:.3f}" + (" (model)" if stats.bone_length_from == "model" else "")),
        ("Mesh vertices", f"{stats.mesh_vertices:,}" if stats.mesh_vertices else "—"),
        ("Weights", stats.weighting or "—"),
        ("Mask", stats.mask_backend),
        ("Predictor", stats.predictor),
    ):
        grid.label(text=label)
        grid.label(text=value)
    total = sum(stage.seconds for stage in stats.stages)
    grid = box.grid_flow(columns=2, even_columns=True)
    for stage in stats.stages:
        grid.label(text=stage.name)
        grid.label(text=f"{stage.seconds:.2f} s")
    grid.label(text="total")
    grid.label(text=f"{total:.2f} s")


CLASSES = (VIEW3D_PT_pointskel, VIEW3D_PT_pointskel_advanced)
