"""The settings an artist edits in the sidebar (`scene.pointskel`) and the last run's numbers.

The pipeline and build settings are declared once in `RunOptions` and shared by the scene settings
and the operator (whose redo panel shows them), so the two can never drift apart. The pipeline
and build settings' properties are translated from the core's tables (`core.settings`): a setting named
in `PIPELINE_OPTIONS` or `BUILD_OPTIONS` gets its default, range, enum items, name and tooltip there.
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

from ..core.anatomy import figure_summary
from ..core.settings import BUILD_SETTINGS, SETTINGS, BuildOptions, PipelineSettings, Setting

SOURCE_ITEMS = [
    ("FILE", "File", "An image file on disk"),
    ("IMAGE", "Image", "An image already in this blend file"),
    ("EMPTY", "Reference", "The active (or selected) reference-image empty"),
]

# Blender-only presentation of the table's settings (soft ranges, steps, units); the defaults, hard
# ranges, enum items, names and tooltips all come from `core.settings.SETTINGS`.
_UI = {
    "points": {"soft_min": 512, "soft_max": 32768},
    "voxel": {"step": 0.1, "precision": 3},
    "bone_length": {"step": 0.5, "precision": 3},
    "work_size": {"subtype": "PIXEL"},
    "height": {"soft_min": 0.1, "soft_max": 10.0, "subtype": "DISTANCE", "unit": "LENGTH"},
}
PIPELINE_OPTIONS = ("mask_backend", "keep_all_objects", "points", "iterations", "voxel", "auto_bone_length",
                    "bone_length", "work_size", "seed", "body_plan", "view", "naming", "tail_bones")
BUILD_OPTIONS = ("size_mode", "height", "create_mesh", "mesh_detail", "max_influences", "controls",
                 "rigify_generate")
_SIDEBAR = {**{n: SETTINGS[n] for n in PIPELINE_OPTIONS}, **{n: BUILD_SETTINGS[n] for n in BUILD_OPTIONS}}


def setting_property(entry: Setting):
    """The bpy property of one table entry."""
    common = {"name": entry.label, "description": entry.help, "default": entry.default,
              **_UI.get(entry.name, {})}
    if entry.choices:
        return EnumProperty(items=[(c.value, c.label, c.help) for c in entry.choices], **common)
    if entry.kind is bool:
        return BoolProperty(**common)
    limits = {key: v for key, v in (("min", entry.minimum), ("max", entry.maximum)) if v is not None}
    return (IntProperty if entry.kind is int else FloatProperty)(**common, **limits)


class RunOptions:
    """Pipeline and scene-build settings (a mixin: annotations only, no Blender base)."""

    # Made from the tables; Blender reads a class's properties from its annotations.
    __annotations__ = {name: setting_property(entry) for name, entry in _SIDEBAR.items()}


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


def pipeline_settings(options, *, rembg_model: str = PipelineSettings.rembg_model,
                      model_path: str | None = None) -> PipelineSettings:
    """The core's settings for these options (raises PointSkelError when one is out of range)."""
    values = {name: getattr(options, name) for name in PIPELINE_OPTIONS}
    for name, value in values.items():
        if SETTINGS[name].kind is float:
            values[name] = round(value, 6)  # Blender stores float32: 0.02 must stay 0.02 for cache keys
    return PipelineSettings(
        **values,
        rembg_model=rembg_model,
        predictor="onnx" if model_path else PipelineSettings.predictor,
        model_path=model_path or None,
    )


def build_options(options, location) -> BuildOptions:
    return BuildOptions(**{name: getattr(options, name) for name in BUILD_OPTIONS}, location=tuple(location))


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
    bone_length_from: StringProperty(name="Bone Length From",
                                     description="'model' (its choice) or 'settings'")
    mesh_vertices: IntProperty(name="Mesh Vertices")
    figure: StringProperty(name="Figure", description="Body plan (confidence), view and facing read")
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
    stats.bone_length = result.bone_length
    stats.bone_length_from = result.bone_length_from
    stats.mesh_vertices = len(built.mesh.data.vertices) if built.mesh else 0
    stats.figure = figure_summary(result.skeleton.anatomy)
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
