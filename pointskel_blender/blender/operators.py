"""Operators: image -> skeleton, load a reference image, download a background model.

`pointskel.image_to_skeleton` splits the expensive inference (cached by image content and pipeline
settings) from the cheap scene build, so a redo that changes only the size or the mesh switch is
instant. Interactively the inference runs on a worker thread with progress and Esc; in background
mode and from `execute` (scripts, redo) it runs synchronously.
"""
from __future__ import annotations

import math
from pathlib import Path

import bpy
from bpy.props import EnumProperty, StringProperty

from . import controls, jobs, preferences, properties, scene_build, sources
from ..core import model_store
from ..core.errors import ImageError, PointSkelError
from ..core.image import check_image_file
from ..core.pipeline import run_pipeline


def _prefs_settings(context, options):
    prefs = preferences.get(context)
    model_path = bpy.path.abspath(prefs.model_path) if prefs is not None and prefs.model_path else None
    rembg = prefs.rembg_model if prefs is not None else properties.PipelineSettings().rembg_model
    return properties.pipeline_settings(options, rembg_model=rembg, model_path=model_path)


class POINTSKEL_OT_image_to_skeleton(properties.RunOptions, jobs.JobOperator, bpy.types.Operator):
    """Build an armature (plus point clouds and a weighted mesh of the image) from a reference image"""

    bl_idname = "pointskel.image_to_skeleton"
    bl_label = "Image to Skeleton"
    bl_options = {"REGISTER", "UNDO"}
    job_label = "PointSkel"

    source: EnumProperty(name="Source", items=properties.SOURCE_ITEMS, default="FILE")
    filepath: StringProperty(name="Image File", subtype="FILE_PATH", options={"SKIP_SAVE"})
    image_name: StringProperty(name="Image", options={"SKIP_SAVE"})
    empty_name: StringProperty(name="Reference Empty", options={"SKIP_SAVE"})

    @classmethod
    def poll(cls, context) -> bool:
        if jobs.busy():
            cls.poll_message_set("PointSkel is already running")
            return False
        if context.mode != "OBJECT":
            cls.poll_message_set("Switch to Object Mode first")
            return False
        return True

    def _fill_from_scene(self, context) -> None:
        """Settings the caller did not pass come from the sidebar (scene.pointskel)."""
        scene_settings = context.scene.pointskel
        properties.copy_options(scene_settings, self, only_unset=True)
        is_set = properties.is_set
        if not is_set(self, "source"):
            self.source = scene_settings.source
        if not is_set(self, "filepath"):
            self.filepath = scene_settings.filepath
        if not is_set(self, "image_name") and scene_settings.image is not None:
            self.image_name = scene_settings.image.name
        if not is_set(self, "empty_name"):
            empty = sources.reference_empty(context)
            self.empty_name = empty.name if empty is not None else ""

    def _prepare(self, context):
        source = sources.resolve(self.source, self.filepath, self.image_name, self.empty_name)
        settings = _prefs_settings(context, self)
        key = (source.digest, settings.key()) if source.digest else None
        return source, settings, key

    def invoke(self, context, event) -> set[str]:
        self._fill_from_scene(context)
        if bpy.app.background:
            return self.execute(context)
        try:
            self._source, settings, self._key = self._prepare(context)
        except PointSkelError as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        cached = jobs.CACHE.get(self._key)
        if cached is not None:
            return self._build(context, self._source, cached, cached=True)
        source, dirs = self._source, preferences.model_dirs()
        job = jobs.BackgroundJob(
            lambda progress: run_pipeline(source.pipeline_input, settings, progress=progress,
                                          model_dirs=dirs))
        return self.start_job(context, job)

    def job_finished(self, context, result) -> set[str]:
        jobs.CACHE.put(self._key, result)
        return self._build(context, self._source, result, cached=False)

    def execute(self, context) -> set[str]:
        self._fill_from_scene(context)
        try:
            source, settings, key = self._prepare(context)
            result = jobs.CACHE.get(key)
            cached = result is not None
            if not cached:
                result = run_pipeline(source.pipeline_input, settings, model_dirs=preferences.model_dirs())
                jobs.CACHE.put(key, result)
        except PointSkelError as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        return self._build(context, source, result, cached=cached)

    def _build(self, context, source, result, *, cached: bool) -> set[str]:
        options = properties.build_options(self, context.scene.cursor.location)
        try:
            built = scene_build.build_rig(context, result, source.name, options, texture=source.texture)
        except PointSkelError as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        for warning in built.warnings:
            self.report({"WARNING"}, warning)
        properties.record_stats(context.scene.pointskel.stats, result, built, cached)
        made = controls.summary(built.armature)
        self.report({"INFO"}, f"PointSkel: {len(built.layout.names)} deform bones "
                              f"in '{built.collection.name}'"
                              + (f", {made}" if made else "") + (" (cached inference)" if cached else ""))
        return {"FINISHED"}

    def draw(self, context) -> None:
        layout = self.layout
        layout.use_property_split = True
        layout.prop(self, "size_mode")
        layout.prop(self, "height")
        layout.prop(self, "create_mesh")
        layout.prop(self, "mesh_detail")
        layout.prop(self, "max_influences")
        layout.prop(self, "controls")
        if self.controls == "rigify":
            layout.prop(self, "rigify_generate")
        layout.separator()
        for name in properties.PIPELINE_OPTIONS:
            layout.prop(self, name)


class POINTSKEL_OT_load_reference(bpy.types.Operator):
    """Load an image as a front-facing reference empty and use it as PointSkel's source"""

    bl_idname = "pointskel.load_reference"
    bl_label = "Load Reference Image"
    bl_options = {"REGISTER", "UNDO"}

    filepath: StringProperty(subtype="FILE_PATH", options={"SKIP_SAVE"})
    filter_image: bpy.props.BoolProperty(default=True, options={"HIDDEN", "SKIP_SAVE"})
    filter_folder: bpy.props.BoolProperty(default=True, options={"HIDDEN", "SKIP_SAVE"})

    @classmethod
    def poll(cls, context) -> bool:
        return context.mode == "OBJECT"

    def invoke(self, context, event) -> set[str]:
        context.window_manager.fileselect_add(self)
        return {"RUNNING_MODAL"}

    def execute(self, context) -> set[str]:
        path = bpy.path.abspath(self.filepath)
        try:
            check_image_file(path)  # Blender's loader takes any file (a text file too) and fails later
            image = bpy.data.images.load(path, check_existing=True)
        except ImageError as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        except RuntimeError:
            self.report({"ERROR"}, f"{self.filepath}: Blender cannot read this image")
            return {"CANCELLED"}
        empty = bpy.data.objects.new(Path(self.filepath).stem or image.name, None)
        empty.empty_display_type = "IMAGE"
        empty.data = image
        empty.empty_display_size = context.scene.pointskel.height
        empty.empty_image_offset = (-0.5, 0.0)  # bottom centre on the cursor, like the rig's feet
        empty.location = context.scene.cursor.location
        empty.rotation_euler = (math.pi / 2, 0.0, 0.0)  # upright, facing -Y (the front view)
        context.collection.objects.link(empty)
        for obj in context.selected_objects:
            obj.select_set(False)
        empty.select_set(True)
        context.view_layer.objects.active = empty
        context.scene.pointskel.source = "EMPTY"
        return {"FINISHED"}


class POINTSKEL_OT_download_model(jobs.JobOperator, bpy.types.Operator):
    """Download a larger background-removal model into the extension's user folder"""

    bl_idname = "pointskel.download_model"
    bl_label = "Download Model"
    bl_options = {"INTERNAL"}
    job_label = "PointSkel download"

    model: StringProperty(name="Model")

    @classmethod
    def poll(cls, context) -> bool:
        if not bpy.app.online_access:
            cls.poll_message_set(preferences.ONLINE_OFF)
            return False
        if jobs.busy():
            cls.poll_message_set("PointSkel is already running")
            return False
        return True

    def _work(self):
        """The download as a job's work, with every Blender value read here on the main thread."""
        name, folder, allowed = self.model, preferences.user_dir("models"), bpy.app.online_access

        def work(progress: jobs.Progress) -> Path:
            return model_store.download_model(name, folder, allow_network=allowed,
                                              progress=lambda done, total: progress("download", done / total))
        return work

    def invoke(self, context, event) -> set[str]:
        if bpy.app.background:
            return self.execute(context)
        return self.start_job(context, jobs.BackgroundJob(self._work()))

    def job_finished(self, context, result) -> set[str]:
        self.report({"INFO"}, f"Downloaded {self.model} to {result}")
        return {"FINISHED"}

    def execute(self, context) -> set[str]:
        try:
            path = self._work()(lambda stage, fraction: None)
        except PointSkelError as exc:
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        return self.job_finished(context, path)


CLASSES = (POINTSKEL_OT_image_to_skeleton, POINTSKEL_OT_load_reference, POINTSKEL_OT_download_model)
