"""A Rigify metarig as the metarig set reads it from Blender: its bones, and the joints that count.

Shared by `rigify_set` (which reads and writes them) and `metarig_dress` (which dresses a body
around them), so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class MetarigBone:
    name: str
    parent: str | None
    head: np.ndarray  # (3,) RigNet frame (Y up, facing +Z), metres
    tail: np.ndarray
    connected: bool
    collections: tuple[str, ...]
    rig_type: str  # rigify type set on this bone ('' when it continues its parent's rig or has none)


@dataclass(frozen=True, eq=False)
class GroundTruth:
    """The joints that count, parents first, with what body part the bone ending at each one is."""

    names: tuple[str, ...]
    positions: np.ndarray  # (J, 3) RigNet frame
    parents: np.ndarray  # (J,) int, -1 for the root
    kinds: tuple[str, ...]  # torso | neck | head | tail | limb | wing | fin | connector (the root: its bone)
    chains: np.ndarray  # (J,) int: joints of one rigify chain share an id
