"""The skeleton: a tree of named joints, and its JSON file format.

Joints are stored parents-first (a joint's parent index is always smaller than its own), so any
consumer can build bones in one pass. Positions live in the normalized 3D frame of the lift
(x right, y up, z toward the viewer; unit = longest side of the object's bounding box); pixels are
input-image pixels (x right, y down, pixel centres at +0.5).
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
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Joint:
    name: str
    parent: int | None
    pixel: tuple[float, float]
    position: tuple[float, float, float]
    radius: float


@dataclass
class Skeleton:
    joints: list[Joint]
    image_size: tuple[int, int]  # (width, height) of the input image, in pixels
    source: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)

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

    def names(self) -> list[str]:
        return [j.name for j in self.joints]

    def index(self, name: str) -> int:
        for i, joint in enumerate(self.joints):
            if joint.name == name:
                return i
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "source": self.source,
            "image_size": list(self.image_size),
            "metadata": self.metadata,
            "joints": [
                {
                    "name": j.name,
                    "parent": j.parent,
                    "pixel": [round(float(v), 3) for v in j.pixel],
                    "position": [round(float(v), 6) for v in j.position],
                    "radius": round(float(j.radius), 6),
                }
                for j in self.joints
            ],
        }

    @classmethod
    def from_dict(cls, data: Any) -> "Skeleton":
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SkeletonError(f"not a PointSkel skeleton (expected format {FORMAT!r})")
        if data.get("version") != FORMAT_VERSION:
            raise SkeletonError(
                f"skeleton format version {data.get('version')!r} is not supported (this is {FORMAT_VERSION})"
            )
        try:
            joints = [
                Joint(
                    name=str(j["name"]),
                    parent=None if j["parent"] is None else int(j["parent"]),
                    pixel=(float(j["pixel"][0]), float(j["pixel"][1])),
                    position=(float(j["position"][0]), float(j["position"][1]), float(j["position"][2])),
                    radius=float(j["radius"]),
                )
                for j in data["joints"]
            ]
            width, height = (int(v) for v in data["image_size"])
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise SkeletonError(f"malformed skeleton joint data: {exc!r}") from None
        return cls(joints, (width, height), str(data.get("source", "")), dict(data.get("metadata", {})))

    def save(self, path: str | os.PathLike) -> None:
        """Write atomically: a crash never leaves a half-written file where a good one was."""
        write_text_atomic(Path(path), json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Skeleton":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SkeletonError(f"{path}: no such file") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SkeletonError(f"{path}: not valid JSON ({exc})") from None
        return cls.from_dict(data)


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
        values = (*joint.pixel, *joint.position, joint.radius)
        if not all(math.isfinite(v) for v in values):
            raise SkeletonError(f"joint {joint.name!r} has a non-finite coordinate")
