"""Every pipeline setting, declared once: type, default, range or choices, help text and command-line flag.

`PipelineSettings` is the table: each field is declared with `setting(...)`, and everything else reads
it through `SETTINGS` (name -> `Setting`): validation (`PipelineSettings.__post_init__`), the shared
argparse builder (`add_setting_arguments` / `settings_from_args`, used by the CLI, the batch job and
the viewer), the Blender sidebar properties (`blender/properties.py` translates each entry into a bpy
property) and the trainer's defaults. A test derives every front end's defaults, ranges and choices from here.

Adding a setting is one change: add a field to `PipelineSettings` with `setting(...)`. It is then
validated, hashed into `key()`, on every command line (when `flags` are given) and in the JSON
metadata. To show it in Blender's sidebar too, also name it in `properties.PIPELINE_OPTIONS` (and
draw it in `blender/panels.py`); its property is built from this entry.

`BuildOptions` (how the result becomes a rig in the scene) is a second table made the same way: a
field with `setting(...)` there is validated, becomes a batch flag and, named in
`properties.BUILD_OPTIONS`, a sidebar property.

For example (a choice, with an old spelling kept as an alias):

    body_plan: str = setting("auto", "Body Plan", "Which body plan the figure is read as",
                             flags=("--body-plan", "--plan"),
                             choices=(Choice("auto", "Auto", "Guess it from the figure"), ...))

No bpy here, and nothing from the core but its errors, so every stage can import the defaults.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Iterable, Mapping

from .errors import PointSkelError

DEFAULT_VOXEL = 0.02  # topology detail: voxel size as a fraction of the figure's size
DEFAULT_BONE_VOXELS = 3.0  # the topology's default split of a straight chain, in voxels
# The bone length without a model's choice: the default split at the default detail.
DEFAULT_BONE_LENGTH = DEFAULT_BONE_VOXELS * DEFAULT_VOXEL


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    help: str


@dataclass(frozen=True)
class Setting:
    """One setting, a row of a table. `flags[0]` is the command-line spelling, the rest are old aliases;
    no flags keeps it off the command line. `when_given` are other settings a value given on the command line
    also sets (a bone length given turns the model's choice off)."""

    name: str
    kind: type
    default: Any
    label: str
    help: str
    flags: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    min_exclusive: bool = False  # the minimum itself is not allowed
    choices: tuple[Choice, ...] = ()
    optional: bool = False  # None is allowed (and is the default)
    when_given: Mapping[str, Any] = field(default_factory=dict)
    default_text: str = ""  # how --help names the default, when not by its value
    flag_help: str = ""  # --help's text when the flag says the opposite of `help` (a True default's flag)

    @property
    def named(self) -> str:
        """How messages name it: its label, and its flag for command-line users."""
        return f"{self.label.lower()} ({self.flags[0]})" if self.flags else self.label.lower()

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def problem(self, value: Any) -> str | None:
        """Why `value` is not allowed, or None."""
        if value is None:
            return None if self.optional else f"{self.named} must be set"
        if self.choices and value not in self.values:
            return f"{self.named} must be one of {', '.join(self.values)}, got {value!r}"
        low, high = self.minimum, self.maximum
        if (low is None or value > low or (value == low and not self.min_exclusive)) and (
            high is None or value <= high
        ):
            return None
        if high is None:
            return f"{self.named} must be at least {_number(low)}, got {value!r}"
        if low is None:
            return f"{self.named} must be at most {_number(high)}, got {value!r}"
        bounds = f"{'(' if self.min_exclusive else '['}{_number(low)}, {_number(high)}]"
        return f"{self.named} must be in {bounds}, got {value!r}"


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() and abs(value) >= 1 else f"{value:g}"


def setting(default: Any, label: str, help: str, *, kind: type | None = None, **spec: Any) -> Any:
    """A field of a settings dataclass whose table entry rides in the field's metadata (`kind` when the
    default is None)."""
    return field(default=default, metadata={"setting": (kind or type(default), label, help, spec)})


MASK_CHOICES = (
    Choice("auto", "Auto", "The image's transparency when it separates an object, else background "
                           "removal when its model is installed (the default one ships), else the "
                           "plain-background threshold"),
    Choice("alpha", "Alpha", "The image's alpha channel"),
    Choice("threshold", "Plain background", "Colour distance from the border colour"),
    Choice("rembg", "Background removal", "A neural background-removal model (see the add-on preferences)"),
)
PREDICTOR_CHOICES = (
    Choice("auto", "Auto", "The learned ONNX model when one is given or shipped, else the geometric one"),
    Choice("geometric", "Geometric", "The distance-transform baseline, no model"),
    Choice("onnx", "Learned", "The learned ONNX offset predictor (the shipped one or --model)"),
)
SIZE_CHOICES = (
    Choice("auto", "Auto", "By body plan: a biped 1.8 m tall, a quadruped 1 m and a fish 0.5 m long, a "
                           "snake 2 m along its body, a bird 0.3 m tall, anything else 0.5 m on its longest "
                           "side"),
    Choice("height", "Height", "The character's height is the Height setting"),
    Choice("image", "Image Scale", "The whole image's longest side is the Height setting, so figures drawn "
                                   "at one scale keep their relative sizes (and match a reference empty of "
                                   "that size)"),
)
DEFAULT_MAX_INFLUENCES = 4  # bones per vertex: what glTF skins carry
BODY_PLAN_CHOICES = (
    Choice("auto", "Auto", "Read it from the figure (legs on the floor, the head, symmetry)"),
    Choice("biped", "Biped", "Humanoids: two legs under an upright spine, arms, a head on top"),
    Choice("quadruped", "Quadruped", "Four-legged animals, from the side or the front"),
    Choice("bird", "Bird", "Two legs, a head off to one side, wings, a tail"),
    Choice("serpent", "Serpent", "Snakes, worms: one long body with a head"),
    Choice("fish", "Fish", "A level body with fins and a tail"),
    Choice("many_legged", "Many-Legged", "Insects, spiders, crabs, from above or the side"),
    Choice("generic", "Generic", "Not a creature: the medial tree's chains, generic names"),
)
VIEW_CHOICES = (
    Choice("auto", "Auto", "Read it from the figure"),
    Choice("front", "Front", "Facing the viewer; image right is the character's left"),
    Choice("side", "Side", "Seen from the side, facing image left or right"),
    Choice("top", "Top", "Seen from above"),
)
NAMING_CHOICES = (
    Choice("rigify", "Rigify", "Rigify's metarig names: spine, upper_arm.L, thigh.R, front_thigh.L, "
                               "tail.001"),
    Choice("mixamo", "Mixamo", "mixamorig:Hips, mixamorig:LeftForeArm, ... (humanoids; others keep "
                               "Rigify's)"),
    Choice("unreal", "Unreal", "Unreal mannequin: pelvis, spine_01, upperarm_l, calf_r (humanoids; others "
                               "keep Rigify's)"),
    Choice("generic", "Generic", "Part names numbered along each chain: arm_1.L, tail_2"),
)
MASK_BACKENDS = tuple(c.value for c in MASK_CHOICES)
PREDICTORS = tuple(c.value for c in PREDICTOR_CHOICES)


@dataclass(frozen=True)
class PipelineSettings:
    """Everything that fixes a run's result; each field is one row of the settings table."""

    mask_backend: str = setting(
        "auto", "Mask", "How the figure is separated from the background",
        flags=("--mask-backend", "--mask"), choices=MASK_CHOICES,
    )
    keep_all_objects: bool = setting(
        False, "Keep All Objects", "Keep every separate shape in the mask, not only the largest",
        flags=("--keep-all-objects", "--keep-all"),
    )
    rembg_model: str = setting(
        "u2netp", "Background Model", "Background-removal model for the rembg/auto mask",
        flags=("--rembg-model",),
    )
    work_size: int = setting(
        512, "Working Resolution", "Longest side of the image the mask is computed at (px)",
        flags=("--work-size",), minimum=64, maximum=4096,
    )
    # Capped where more points stop changing the skeleton (bench/pipeline.py --memory): from 262,144 to
    # 1,000,000 the joints move 0.18 % of the figure (a tenth of a voxel) for 3x the time and 2.4x the memory.
    points: int = setting(
        4096, "Points", "Points sampled on the lifted figure",
        flags=("--points",), minimum=64, maximum=262_144,
    )
    seed: int = setting(0, "Seed", "Seed of the point sampling", flags=("--seed",), minimum=0)
    predictor: str = setting(
        "auto", "Predictor", "The offset predictor that contracts the cloud",
        flags=("--predictor",), choices=PREDICTOR_CHOICES,
    )
    model_path: str | None = setting(
        None, "Model", "Predictor ONNX file instead of the shipped one",
        kind=str, optional=True, flags=("--model",), default_text="the shipped one",
    )
    iterations: int = setting(
        0, "Iterations", "Contraction iterations; 0 uses the predictor's default",
        flags=("--iterations",), minimum=0, maximum=100,
    )
    step: float = setting(
        1.0, "Step", "Fraction of each predicted offset applied per iteration",
        minimum=0.0, maximum=1.0, min_exclusive=True,
    )
    voxel: float = setting(
        DEFAULT_VOXEL, "Detail",
        "Topology voxel size as a fraction of the figure's size; smaller gives more joints",
        flags=("--voxel",), minimum=0.002, maximum=0.2,
    )
    bone_length: float = setting(
        DEFAULT_BONE_LENGTH, "Bone Length",
        "Longest bone of a straight limb or tail, as a fraction of the figure's size; "
        "0 puts joints only at bends",
        flags=("--bone-length",), minimum=0.0, maximum=1.0, when_given={"auto_bone_length": False},
        default_text=f"the model's choice for each image, else {DEFAULT_BONE_LENGTH:g}",
    )
    auto_bone_length: bool = setting(
        True, "Auto Bone Length",
        "Let the learned model choose the bone length for each image (a lamp gets long bones, a snake short "
        "ones); off, or without a model, the Bone Length is used",
    )

    body_plan: str = setting(
        "auto", "Body Plan", "What the figure is read as (core.anatomy); auto reads it from the figure",
        flags=("--body-plan",), choices=BODY_PLAN_CHOICES,
    )
    view: str = setting(
        "auto", "View", "How the figure was drawn: from the front, the side or the top",
        flags=("--view",), choices=VIEW_CHOICES,
    )
    naming: str = setting(
        "rigify", "Naming", "The joints' naming scheme", flags=("--naming",), choices=NAMING_CHOICES,
    )
    tail_bones: int = setting(
        0, "Tail Bones", "Bones of a tail (a snake's whole body); 0 chooses by its length",
        flags=("--tail-bones",), minimum=0, maximum=32,
    )

    def __post_init__(self) -> None:
        check(self)

    def key(self) -> str:
        """A stable digest of every setting, for caches of results."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class BuildOptions:
    """How a result becomes a rig in the scene (the Blender layer's `scene_build`); these never change the
    pipeline's result, so they are a table of their own, outside `PipelineSettings.key()`."""

    size_mode: str = setting(
        "auto", "Size", "How big the character is made in the scene", flags=("--size-mode",),
        choices=SIZE_CHOICES,
    )
    height: float = setting(
        1.8, "Height", "The character's height in metres (Size: height), or the image's longest side (Size: "
                       "image); with auto, used only when the figure's body plan is unknown",
        flags=("--height",), minimum=0.001, maximum=10_000.0,
    )
    create_mesh: bool = setting(
        True, "Create Mesh", "Add a textured mesh of the image, weighted to the armature",
        flags=("--no-mesh",), flag_help="skip the weighted image mesh",
    )
    mesh_detail: int = setting(
        64, "Mesh Detail", "Grid cells along the longest side of the image mesh",
        flags=("--mesh-detail",), minimum=8, maximum=256,
    )
    max_influences: int = setting(
        DEFAULT_MAX_INFLUENCES, "Max Influences",
        "Bones per vertex, normalized (4: what glTF and game engines take; 0 keeps every weight within the "
        "vertex's body part)",
        flags=("--max-influences",), minimum=0, maximum=32,
    )
    controls: str = setting(
        "ik", "Controls", "What an animator gets on top of the deform bones",
        flags=("--controls",),
        choices=(
            Choice("none", "None", "Only the deform bones"),
            Choice("ik", "IK Controls", "Hand and foot IK targets with knee and elbow poles, a root bone "
                                        "on the floor and a torso control; head, spine and tail stay FK"),
            Choice("rigify", "Rigify Metarig", "Rigify rig types on the bones, so Rigify's Generate builds "
                                               "its full control rig"),
        ),
    )
    rigify_generate: bool = setting(
        True, "Generate Rigify Rig", "With Rigify controls: run Rigify's Generate and bind the mesh to "
                                     "the generated rig's DEF- bones with the same weights",
        flags=("--no-rigify-generate",),
        flag_help="with --controls rigify: leave the metarig for Rigify's Generate",
    )
    location: tuple[float, float, float] = (0.0, 0.0, 0.0)  # floor centre (the 3D cursor): not a setting

    def __post_init__(self) -> None:
        check(self)


@functools.cache
def table(cls: type) -> dict[str, Setting]:
    """The table entries of a settings dataclass, by field name (fields not made by `setting` are not in)."""
    entries = {}
    for f in fields(cls):
        if "setting" in f.metadata:
            kind, label, help_text, spec = f.metadata["setting"]
            entries[f.name] = Setting(f.name, kind, f.default, label, help_text, **spec)
    return entries


def check(values: Any) -> None:
    """Raise PointSkelError for the first value out of its table entry's range or choices."""
    for name, entry in table(type(values)).items():
        problem = entry.problem(getattr(values, name))
        if problem is not None:
            raise PointSkelError(problem)


SETTINGS: dict[str, Setting] = table(PipelineSettings)
BUILD_SETTINGS: dict[str, Setting] = table(BuildOptions)

# A permission, not a setting of the result (so not in PipelineSettings or its key): every front end that
# may fetch the background model spells it the same.
ALLOW_DOWNLOAD = Setting("allow_download", bool, False, "Allow Download",
                         "Download a missing background model into the user model folder",
                         flags=("--allow-download",))
# How a run goes, not what it makes (so not in a table or a key), spelled the same by every front end.
OVERWRITE = Setting("overwrite", bool, False, "Overwrite", "Replace outputs that already exist",
                    flags=("--overwrite",))
JOBS = Setting("jobs", int, 1, "Jobs", "Worker processes on this machine (each loads Blender once)",
               flags=("--jobs", "-j"), minimum=1, maximum=256)
SHARD = Setting("shard", str, "1/1", "Shard",
                "Process only part K of N (K/N, 1-based): give each farm machine its own K; the parts never "
                "overlap and together cover every input", flags=("--shard",))


def _help(entry: Setting) -> str:
    return f"{entry.help} (default: {entry.default_text or entry.default})"


def add_setting_arguments(parser: argparse.ArgumentParser, entries: Iterable[Setting] | None = None) -> None:
    """Every setting with flags (default: the pipeline's, plus --allow-download), spelled and defaulted as
    in the table; a flag of a setting whose default is True turns it off."""
    for entry in (*SETTINGS.values(), ALLOW_DOWNLOAD) if entries is None else entries:
        if not entry.flags:
            continue
        if entry.kind is bool:
            action = "store_false" if entry.default else "store_true"
            help_text = entry.flag_help or entry.help
            parser.add_argument(*entry.flags, dest=entry.name, action=action, help=help_text)
            continue
        parser.add_argument(
            *entry.flags, dest=entry.name, type=entry.kind, choices=entry.values or None,
            default=None if entry.when_given else entry.default, help=_help(entry),
        )


def settings_from_args(args: argparse.Namespace) -> PipelineSettings:
    """The settings a parsed command line asks for (raises PointSkelError when one is out of range)."""
    return PipelineSettings(**values_from_args(args, SETTINGS))


def values_from_args(args: argparse.Namespace, entries: Mapping[str, Setting]) -> dict[str, Any]:
    """The fields a parsed command line gives for these table entries (for `cls(**values)`)."""
    values: dict[str, Any] = {}
    for name, entry in entries.items():
        if not entry.flags:
            continue
        value = getattr(args, name)
        if entry.when_given and value is None:
            continue
        values[name] = value
        if entry.when_given:
            values.update(entry.when_given)
    return values

