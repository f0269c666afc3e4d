"""The skeleton: a tree of named joints, and its JSON file format.

Joints are stored parents-first (a joint's parent index is always smaller than its own), so any
consumer can build bones in one pass. Positions live in the normalized 3D frame of the lift
(x right, y up, z toward the viewer; unit = longest side of the object's bounding box); pixels are
input-image pixels (x right, y down, pixel centres at +0.5).

Bones, the way Blender and Rigify have them: a joint with children is the head of the bone named
after it, and that bone runs to its tail child (`Skeleton.tail_child`: the child of the same part
and side, else the first child). A joint without children is a tip: the end of its parent's bone,
with no bone of its own. Each joint carries its body part (`PARTS`) and side ("L", "R" or ""), and
whether the picture shows it (`Joint.hidden`: a bird's tail behind its body seen from the front, a
side view's far leg behind the near one); files without it read as shown.
The figure as a whole carries its `Anatomy`: body plan, view and the way it faces in the image.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .errors import SkeletonError
from .files import write_text_atomic

FORMAT = "pointskel-skeleton"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)  # version 1 files have no parts, sides or anatomy

# Body parts a joint can belong to; "" is unknown (a version 1 file, or no anatomy stage).
PARTS = ("", "spine", "neck", "head", "arm", "leg", "front_leg", "hind_leg", "tail", "wing", "ear",
         "fin", "limb")
SIDES = ("", "L", "R")
BODY_PLANS = ("biped", "quadruped", "bird", "serpent", "fish", "many_legged", "generic")
VIEWS = ("front", "side", "top")
# Where the figure's front points in the image: at the viewer (front views), or image left/right.
FACINGS = ("viewer", "left", "right")


@dataclass(frozen=True)
class Anatomy:
    """What the figure is and how it was drawn; confidences in [0, 1]."""

    body_plan: str = "generic"
    body_plan_confidence: float = 0.0
    view: str = "front"
    view_confidence: float = 0.0
    facing: str = "viewer"
    naming: str = "generic"  # the naming scheme of the joints (core.anatomy.naming's SCHEMES)

    def __post_init__(self) -> None:
        for value, allowed, what in ((self.body_plan, BODY_PLANS, "body plan"), (self.view, VIEWS, "view"),
                                     (self.facing, FACINGS, "facing")):
            if value not in allowed:
                raise SkeletonError(f"unknown {what} {value!r} (expected one of {', '.join(allowed)})")
        for value in (self.body_plan_confidence, self.view_confidence):
            if not 0.0 <= value <= 1.0:
                raise SkeletonError(f"a confidence must be in [0, 1], got {value}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "body_plan": self.body_plan,
            "body_plan_confidence": round(float(self.body_plan_confidence), 4),
            "view": self.view,
            "view_confidence": round(float(self.view_confidence), 4),
            "facing": self.facing,
            "naming": self.naming,
        }

    @classmethod
    def from_dict(cls, data: Any) -> "Anatomy":
        if not isinstance(data, dict):
            raise SkeletonError("malformed skeleton anatomy: expected an object")
        try:
            return cls(str(data["body_plan"]), float(data["body_plan_confidence"]), str(data["view"]),
                       float(data["view_confidence"]), str(data["facing"]),
                       str(data.get("naming", "generic")))
        except (KeyError, TypeError, ValueError) as exc:
            raise SkeletonError(f"malformed skeleton anatomy: {exc!r}") from None


@dataclass(frozen=True)
class Joint:
    name: str
    parent: int | None
    pixel: tuple[float, float]
    position: tuple[float, float, float]
    radius: float
    part: str = ""
    side: str = ""
    # The picture does not show it: the anatomy added it behind what is drawn (a front view bird's tail,
    # a side view's far limb). Its bone owns no mesh of the picture (`rig.weights`).
    hidden: bool = False


@dataclass
class Skeleton:
    joints: list[Joint]
    image_size: tuple[int, int]  # (width, height) of the input image, in pixels
    source: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    anatomy: Anatomy | None = None  # None: no anatomy stage ran (or a version 1 file)

    def __post_init__(self) -> None:
        validate(self)

    @property
    def root(self) -> int:
        return next(i for i, j in enumerate(self.joints) if j.parent is None)

    def children(self, index: int) -> list[int]:
        return [i for i, j in enumerate(self.joints) if j.parent == index]

    def bones(self) -> Iterator[tuple[int, int]]:
        """(parent, child) index pairs, parents first."""
        for i, joint in enumerate(self.joints):
            if joint.parent is not None:
                yield joint.parent, i

    def tail_child(self, index: int) -> int | None:
        """The child the bone of joint `index` runs to (same part and side first); None for a tip."""
        kids = self.children(index)
        joint = self.joints[index]
        same = [k for k in kids if self.joints[k].part == joint.part and self.joints[k].side == joint.side]
        return (same or kids or [None])[0]

    def names(self) -> list[str]:
        return [j.name for j in self.joints]

    def index(self, name: str) -> int:
        for i, joint in enumerate(self.joints):
            if joint.name == name:
                return i
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "source": self.source,
            "image_size": list(self.image_size),
            "metadata": self.metadata,
        }
        if self.anatomy is not None:
            out["anatomy"] = self.anatomy.to_dict()
        out["joints"] = [
            {
                "name": j.name,
                "parent": j.parent,
                "pixel": [round(float(v), 3) for v in j.pixel],
                "position": [round(float(v), 6) for v in j.position],
                "radius": round(float(j.radius), 6),
                "part": j.part,
                "side": j.side,
                "hidden": j.hidden,
            }
            for j in self.joints
        ]
        return out

    @classmethod
    def from_dict(cls, data: Any) -> "Skeleton":
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SkeletonError(f"not a PointSkel skeleton (expected format {FORMAT!r})")
        if data.get("version") not in READABLE_VERSIONS:
            raise SkeletonError(
                f"skeleton format version {data.get('version')!r} is not supported (this reads "
                f"{', '.join(map(str, READABLE_VERSIONS))})"
            )
        try:
            joints = [
                Joint(
                    name=str(j["name"]),
                    parent=None if j["parent"] is None else int(j["parent"]),
                    pixel=(float(j["pixel"][0]), float(j["pixel"][1])),
                    position=(float(j["position"][0]), float(j["position"][1]), float(j["position"][2])),
                    radius=float(j["radius"]),
                    part=str(j.get("part", "")),
                    side=str(j.get("side", "")),
                    hidden=_flag(j.get("hidden", False)),
                )
                for j in data["joints"]
            ]
            width, height = (int(v) for v in data["image_size"])
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise SkeletonError(f"malformed skeleton joint data: {exc!r}") from None
        anatomy = None if data.get("anatomy") is None else Anatomy.from_dict(data["anatomy"])
        return cls(joints, (width, height), str(data.get("source", "")), dict(data.get("metadata", {})),
                   anatomy)

    def save(self, path: str | os.PathLike, *, overwrite: bool = True) -> None:
        """Write atomically: a crash never leaves a half-written file where a good one was."""
        text = json.dumps(self.to_dict(), indent=2) + "\n"
        write_text_atomic(Path(path), text, "json", overwrite=overwrite)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Skeleton":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SkeletonError(f"{path}: no such file") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SkeletonError(f"{path}: not valid JSON ({exc})") from None
        return cls.from_dict(data)


def _flag(value: Any) -> bool:
    """A JSON boolean (a file written before joints had the flag reads as False)."""
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def validate(skeleton: Skeleton) -> None:
    joints = skeleton.joints
    if not joints:
        raise SkeletonError("a skeleton needs at least one joint")
    roots = [i for i, j in enumerate(joints) if j.parent is None]
    if len(roots) != 1:
        raise SkeletonError(f"a skeleton needs exactly one root joint, found {len(roots)}")
    names = [j.name for j in joints]
    if len(set(names)) != len(names) or not all(names):
        raise SkeletonError("joint names must be unique and non-empty")
    for i, joint in enumerate(joints):
        if joint.parent is not None and not 0 <= joint.parent < i:
            raise SkeletonError(f"joint {joint.name!r}: parent {joint.parent} must come before it")
        if joint.part not in PARTS or joint.side not in SIDES:
            raise SkeletonError(f"joint {joint.name!r}: unknown part {joint.part!r} or side {joint.side!r}")
        values = (*joint.pixel, *joint.position, joint.radius)
        if not all(math.isfinite(v) for v in values):
            raise SkeletonError(f"joint {joint.name!r} has a non-finite coordinate")
