"""The settings an artist edits in the sidebar (`scene.pointskel`) and the last run's numbers.

The pipeline and build settings are declared once in `RunOptions` and shared by the scene settings
and the operator (whose redo panel shows them), so the two can never drift apart.
"""
from __future__ import annotations

import bpy
from bpy.props import (
    BoolProperty,
    CollectionProperty,
    EnumProperty,
    FloatProperty,
    IntProperty,
    PointerProperty,
    StringProperty,
)

from .core.pipeline import DEFAULT_BONE_LENGTH, PipelineSettings
from .scene_build import BuildOptions

SOURCE_ITEMS = [
    ("FILE", "File", "An image file on disk"),
    ("IMAGE", "Image", "An image already in this blend file"),
    ("EMPTY", "Reference", "The active (or selected) reference-image empty"),
]

MASK_ITEMS = [
    ("auto", "Auto", "Alpha channel if the image has one, else the plain-background threshold"),
    ("alpha", "Alpha", "The image's alpha channel"),
    ("threshold", "Plain background", "Colour distance from the border colour"),
    ("rembg", "Background removal", "A neural background-removal model (see the add-on preferences)"),
]

_DEFAULTS = PipelineSettings()
_BUILD_DEFAULTS = BuildOptions()


class RunOptions:
    """Pipeline and scene-build settings (a mixin: annotations only, no Blender base)."""

    mask_backend: EnumProperty(name="Mask", items=MASK_ITEMS, default=_DEFAULTS.mask_backend,
                               description="How the figure is separated from the background")
    keep_all_objects: BoolProperty(name="Keep All Objects", default=_DEFAULTS.keep_all_objects,
                                   description="Keep every separate shape in the mask, not only the largest")
    points: IntProperty(name="Points", default=_DEFAULTS.points, min=64, soft_min=512, max=1_000_000,
                        soft_max=32768, description="Points sampled on the lifted figure")
    iterations: IntProperty(name="Iterations", default=0, min=0, max=100,
                            description="Contraction iterations; 0 uses the predictor's default")
    voxel: FloatProperty(name="Detail", default=_DEFAULTS.voxel, min=0.002, max=0.2, step=0.1, precision=3,
                         description="Topology voxel size as a fraction of the figure's size; smaller "
                                     "gives more joints")
    auto_bone_length: BoolProperty(name="Auto Bone Length", default=True,
                                   description="Let the learned model choose the bone length for each image "
                                               "(a lamp gets long bones, a snake short ones); off, or without a "
                                               "model, the Bone Length below is used")
    bone_length: FloatProperty(name="Bone Length", default=DEFAULT_BONE_LENGTH, min=0.0, max=1.0, step=0.5,
                               precision=3, description="Longest bone of a straight limb or tail, as a fraction "
                                                        "of the figure's size; 0 puts joints only at bends")
    work_size: IntProperty(name="Working Resolution", default=_DEFAULTS.work_size, min=64, max=4096,
                           subtype="PIXEL", description="Longest side of the image the mask is computed at")
    seed: IntProperty(name="Seed", default=_DEFAULTS.seed, min=0, description="Seed of the point sampling")
    height: FloatProperty(name="Height", default=_BUILD_DEFAULTS.height, min=0.001, soft_min=0.1, soft_max=10.0,
                          subtype="DISTANCE", unit="LENGTH", description="Height of the character in the scene")
    create_mesh: BoolProperty(name="Create Mesh", default=_BUILD_DEFAULTS.create_mesh,
                              description="Add a textured mesh of the image, weighted to the armature")
    mesh_detail: IntProperty(name="Mesh Detail", default=_BUILD_DEFAULTS.mesh_detail, min=8, max=256,
                             description="Grid cells along the longest side of the image mesh")


PIPELINE_OPTIONS = ("mask_backend", "keep_all_objects", "points", "iterations", "voxel", "auto_bone_length",
                    "bone_length",
                    "work_size", "seed")
BUILD_OPTIONS = ("height", "create_mesh", "mesh_detail")


def is_set(operator, name: str) -> bool:
    """Set by the caller or by the run being redone; values Blender remembers from an earlier run
    (its "ghost" values) do not count, so the sidebar's settings win over them."""
    return operator.properties.is_property_set(name, ghost=False)


def copy_options(source, target, *, only_unset: bool = False) -> None:
    """Copy every `RunOptions` value; with `only_unset`, leave values the caller set on `target`."""
    for name in PIPELINE_OPTIONS + BUILD_OPTIONS:
        if only_unset and is_set(target, name):
            continue
        setattr(target, name, getattr(source, name))


def pipeline_settings(options, *, rembg_model: str = _DEFAULTS.rembg_model,
                      model_path: str | None = None) -> PipelineSettings:
    """The core's settings for these options (raises PointSkelError when one is out of range)."""
    return PipelineSettings(
        mask_backend=options.mask_backend,
        keep_all_objects=options.keep_all_objects,
        rembg_model=rembg_model,
        work_size=options.work_size,
        points=options.points,
        seed=options.seed,
        predictor="onnx" if model_path else _DEFAULTS.predictor,
        model_path=model_path or None,
        iterations=options.iterations or None,
        voxel=round(options.voxel, 6),  # Blender stores float32: 0.02 must stay 0.02 for cache keys
        bone_length=round(options.bone_length, 6),
        auto_bone_length=options.auto_bone_length,
    )


def build_options(options, location) -> BuildOptions:
    return BuildOptions(height=options.height, create_mesh=options.create_mesh,
                        mesh_detail=options.mesh_detail, location=tuple(location))


class PointSkelStageTime(bpy.types.PropertyGroup):
    seconds: FloatProperty(name="Seconds", precision=3)


class PointSkelStats(bpy.types.PropertyGroup):
    """What the last run produced, for the panel."""

    has_run: BoolProperty()
    collection: StringProperty(name="Collection")
    mask_backend: StringProperty(name="Mask")
    predictor: StringProperty(name="Predictor")
    weighting: StringProperty(name="Weights")
    cached: BoolProperty(name="Cached", description="The inference came from the cache")
    lifted_points: IntProperty(name="Lifted Points")
    contracted_points: IntProperty(name="Contracted Points")
    joints: IntProperty(name="Joints")
    bones: IntProperty(name="Bones")
    bone_length: FloatProperty(name="Bone Length", precision=3)
    bone_length_from: StringProperty(name="Bone Length From", description="'model' (its choice) or 'settings'")
    mesh_vertices: IntProperty(name="Mesh Vertices")
    stages: CollectionProperty(type=PointSkelStageTime)


def record_stats(stats: PointSkelStats, result, built, cached: bool) -> None:
    """Store a run's numbers for the panel.

    A plain function, not a method: a PropertyGroup with methods crashes bpy 4.2 at interpreter exit.
    """
    stats.has_run = True
    stats.collection = built.collection.name
    stats.mask_backend = result.mask.backend
    stats.predictor = result.predictor
    stats.weighting = built.weighting
    stats.cached = cached
    stats.lifted_points = len(result.shape.points)
    stats.contracted_points = len(result.contraction.points)
    stats.joints = len(result.skeleton.joints)
    stats.bones = sum(b.use_deform for b in built.armature.data.bones)  # the skeleton's, not the controls
    stats.bone_length = result.skeleton.metadata["bone_length"]
    stats.bone_length_from = result.skeleton.metadata["bone_length_from"]
    stats.mesh_vertices = len(built.mesh.data.vertices) if built.mesh else 0
    stats.stages.clear()
    for stage, seconds in (*result.timings.items(), ("build", built.seconds)):
        item = stats.stages.add()
        item.name, item.seconds = stage, seconds


class PointSkelSettings(RunOptions, bpy.types.PropertyGroup):
    """`scene.pointskel`: where the image comes from, the settings, and the last run."""

    source: EnumProperty(name="Source", items=SOURCE_ITEMS, default="FILE",
                         description="Where the reference image comes from")
    filepath: StringProperty(name="Image File", subtype="FILE_PATH",
                             description="Reference image of the character, front view")
    image: PointerProperty(name="Image", type=bpy.types.Image, description="Reference image in this file")
    stats: PointerProperty(type=PointSkelStats)


CLASSES = (PointSkelStageTime, PointSkelStats, PointSkelSettings)
