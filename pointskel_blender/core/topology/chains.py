"""Step 5 of the topology: the tree's chains simplified into bones, mirror pairs alike, parents first."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order

from ..mirror import along, mirror_pairs, reflect, resample
from .scores import snap_to_peaks
from .simplify import arc_lengths, simplify_chain, split_long
from .tree_settings import TreeSettings


@dataclass(frozen=True)
class _Line:
    """A polyline simplified as one: a chain, or the mean of a mirror pair of chains."""

    poly: np.ndarray  # (P, 3) the polyline the joints are chosen on
    kept: list[int]  # its Ramer-Douglas-Peucker vertices, ends included, before long bones are split
    members: tuple[int, ...]  # (chain,), or (left, right) for a mirror pair's mean


class Chains:
    """The chains of a tree (paths from the root outwards, between nodes without exactly one child),
    their mirror pairs and simplification: what every split length and set of joint scores shares,
    worked out once per tree (the pipeline cuts two bone trees from one: unsplit, then split)."""

    def __init__(
        self,
        pos: np.ndarray,
        rad: np.ndarray,
        graph: csr_matrix,
        root: int,
        voxel: float,
        settings: TreeSettings,
    ) -> None:
        self.pos, self.root, self.voxel, self.settings = pos, root, voxel, settings
        order, pred = breadth_first_order(graph, root, directed=False)
        below: list[list[int]] = [[] for _ in range(len(pos))]
        for v in order[1:].tolist():
            below[pred[v]].append(v)
        chains: list[list[int]] = []
        queue = deque([root])
        while queue:
            key = queue.popleft()
            for first in below[key]:
                path = [key, first]
                while len(below[path[-1]]) == 1:
                    path.append(below[path[-1]][0])
                chains.append(path)
                queue.append(path[-1])
        self.chains = chains
        polylines = [pos[c] for c in chains]
        size = max(float(np.ptp(pos[:, :2], axis=0).max()), voxel)
        pairs = mirror_pairs(
            polylines,
            [c[0] for c in chains],
            [c[-1] for c in chains],
            root,
            size=size,
            tolerance=settings.mirror_tolerance,
        )

        def tolerances(radii: np.ndarray) -> np.ndarray:
            """Per-vertex RDP tolerance: a thick torso may wobble more than a thin limb beside it."""
            return np.maximum(settings.simplify * radii, settings.simplify_voxels * voxel)

        def min_bone(*paths: list[int]) -> float:
            r = float(np.median(rad[np.concatenate(paths)]))
            return max(settings.min_bone * r, settings.min_bone_voxels * voxel)

        self._lines: list[_Line] = []
        paired: set[int] = set()
        for p in pairs:
            left, right = chains[p.left], chains[p.right]
            a, b = polylines[p.left], polylines[p.right]
            samples = max(len(a), len(b))
            mean = (resample(a, samples) + reflect(resample(b, samples), p.axis)) / 2.0
            radii = (_values_along(a, rad[left], samples) + _values_along(b, rad[right], samples)) / 2
            kept = simplify_chain(mean, tolerances(radii), min_bone(left, right))
            self._lines.append(_Line(mean, kept, (p.left, p.right)))
            paired.update((p.left, p.right))
        for i, poly in enumerate(polylines):
            if i not in paired:
                kept = simplify_chain(poly, tolerances(rad[chains[i]]), min_bone(chains[i]))
                self._lines.append(_Line(poly, kept, (i,)))
        self._polylines = polylines
        self._order = self._assembly_order()

    def _assembly_order(self) -> list[int]:
        """Chains in the order their joints are written: breadth first from the root, each joint's
        chains clockwise from straight up (a deterministic, readable order)."""
        starts: dict[int, list[int]] = {}
        for i, c in enumerate(self.chains):
            starts.setdefault(c[0], []).append(i)
        out: list[int] = []
        queue = deque([self.root])
        while queue:
            key = queue.popleft()
            mine = starts.get(key, [])
            direction = [self.pos[self.chains[i][-1]] - self.pos[key] for i in mine]
            clockwise = np.argsort([np.arctan2(d[0], d[1]) % (2 * np.pi) for d in direction], kind="stable")
            for i in [mine[k] for k in clockwise]:
                out.append(i)
                queue.append(self.chains[i][-1])
        return out

    def joints(self, max_bone: float, scores: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Joint positions and parents, parents first: bones longer than `max_bone` (normalized units;
        0 = never) split evenly, inner joints moved to the peaks of the nodes' joint `scores`."""
        reach = self.settings.score_reach * self.voxel

        def chain_scores(i: int, samples: int | None = None) -> np.ndarray:
            chain = self.chains[i]
            if samples is None:
                return scores[chain]
            return _values_along(self.pos[chain], scores[chain], samples)

        joints: dict[int, np.ndarray] = {}  # chain -> its joints after the start
        for line in self._lines:
            kept = np.array(split_long(line.poly, line.kept, max_bone) if max_bone > 0 else line.kept)
            if len(line.members) == 1:
                (i,) = line.members
                if scores is not None:
                    kept = snap_to_peaks(arc_lengths(line.poly), chain_scores(i), kept, reach)
                joints[i] = line.poly[kept[1:]]
                continue
            left, right = line.members
            samples = len(line.poly)
            if scores is not None:
                peak = (chain_scores(left, samples) + chain_scores(right, samples)) / 2
                kept = snap_to_peaks(arc_lengths(line.poly), peak, kept, reach)
            fractions = kept / (samples - 1)
            joints[left] = along(self._polylines[left], fractions[1:])
            joints[right] = along(self._polylines[right], fractions[1:])

        positions = [self.pos[self.root]]
        parents = [-1]
        joint_of = {self.root: 0}
        for i in self._order:
            parent = joint_of[self.chains[i][0]]
            for p in joints[i]:
                positions.append(p)
                parents.append(parent)
                parent = len(positions) - 1
            joint_of[self.chains[i][-1]] = parent
        return np.array(positions), np.array(parents)


def _values_along(poly: np.ndarray, values: np.ndarray, samples: int) -> np.ndarray:
    """Per-vertex values at `samples` equal arc-length steps of a polyline (matching `mirror.resample`)."""
    arc = arc_lengths(poly)
    if arc[-1] <= 0.0:
        return np.full(samples, float(values[0]))
    return np.interp(np.linspace(0.0, arc[-1], samples), arc, values)
