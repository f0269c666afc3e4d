"""The topology's result, a bone tree (joints parents-first), and its error."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import PointSkelError, SkeletonError


class TopologyError(PointSkelError):
    """No bone tree can be built from the given points."""


@dataclass(frozen=True, eq=False)
class BoneTree:
    """Joints parents-first (a parent's index is smaller than its children's), root at index 0."""

    positions: np.ndarray  # (J, 3) float32, normalized frame
    parents: np.ndarray  # (J,) int64, -1 for the root
    radii: np.ndarray  # (J,) float32, local thickness, normalized units

    def __post_init__(self) -> None:
        positions = np.array(self.positions, dtype=np.float32).reshape(-1, 3)
        parents = np.array(self.parents, dtype=np.int64).reshape(-1)
        radii = np.array(self.radii, dtype=np.float32).reshape(-1)
        if not len(positions) == len(parents) == len(radii) or len(parents) == 0:
            raise SkeletonError("a bone tree needs one or more joints, each with position, parent and radius")
        if parents[0] != -1 or np.any(parents[1:] < 0) or np.any(parents[1:] >= np.arange(1, len(parents))):
            raise SkeletonError("a bone tree needs its root first and every parent before its children")
        for name, value in (("positions", positions), ("parents", parents), ("radii", radii)):
            value.setflags(write=False)
            object.__setattr__(self, name, value)

    def __len__(self) -> int:
        return len(self.parents)

    @property
    def children(self) -> list[list[int]]:
        out: list[list[int]] = [[] for _ in range(len(self))]
        for child, parent in enumerate(self.parents[1:].tolist(), start=1):
            out[parent].append(child)
        return out

    @property
    def degrees(self) -> np.ndarray:
        """Undirected degree: children plus one for the parent."""
        return np.bincount(self.parents[1:], minlength=len(self)) + (self.parents >= 0)

    @property
    def leaves(self) -> np.ndarray:
        """Limb tips (degree 1); the root counts only when it is itself a tip."""
        return np.flatnonzero(self.degrees == 1)

    @property
    def junctions(self) -> np.ndarray:
        """Branch points: degree 3 or more."""
        return np.flatnonzero(self.degrees >= 3)

    @property
    def bones(self) -> np.ndarray:
        """(J - 1, 2) (parent, child) index pairs, parents first."""
        return np.stack([self.parents[1:], np.arange(1, len(self))], axis=1)

    def chains(self) -> list[list[int]]:
        """Joint paths [start, ..., end] from the root or a branching joint to a leaf or branching joint."""
        children = self.children
        out = []
        for key in range(len(self)):
            if key != 0 and len(children[key]) == 1:
                continue
            for child in children[key]:
                path = [key, child]
                while len(children[path[-1]]) == 1:
                    path.append(children[path[-1]][0])
                out.append(path)
        return out

