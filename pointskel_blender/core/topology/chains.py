"""Step 5 of the topology: the tree's chains simplified into bones, mirror pairs alike, parents first."""
from __future__ import annotations

from collections import deque

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order

from ..mirror import along, mirror_pairs, reflect, resample
from .scores import snap_to_peaks
from .simplify import arc_lengths, simplify_chain
from .tree_settings import TreeSettings


def chain_joints(
    pos: np.ndarray,
    rad: np.ndarray,
    graph: csr_matrix,
    root: int,
    voxel: float,
    settings: TreeSettings,
    scores: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Joint positions and parents: every chain simplified, mirror pairs alike, parents first."""
    order, pred = breadth_first_order(graph, root, directed=False)
    below: list[list[int]] = [[] for _ in range(len(pos))]
    for v in order[1:].tolist():
        below[pred[v]].append(v)
    chains = []  # dense node paths from the root outwards, between nodes without exactly one child
    queue = deque([root])
    while queue:
        key = queue.popleft()
        for first in below[key]:
            path = [key, first]
            while len(below[path[-1]]) == 1:
                path.append(below[path[-1]][0])
            chains.append(path)
            queue.append(path[-1])
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

    def simplify(poly: np.ndarray, radii: np.ndarray, length: float, peak: np.ndarray | None) -> np.ndarray:
        """Vertex indices of a chain's joints (ends included), moved to nearby peaks of `peak` scores."""
        kept = simplify_chain(poly, tolerances(radii), length, settings.max_bone_voxels * voxel)
        if peak is None:
            return kept
        return snap_to_peaks(arc_lengths(poly), peak, kept, settings.score_reach * voxel)

    def chain_scores(chain: list[int], samples: int | None = None) -> np.ndarray | None:
        if scores is None:
            return None
        return scores[chain] if samples is None else _values_along(pos[chain], scores[chain], samples)

    joints: dict[int, np.ndarray] = {}  # chain -> its joints after the start
    for p in pairs:
        left, right = chains[p.left], chains[p.right]
        a, b = polylines[p.left], polylines[p.right]
        samples = max(len(a), len(b))
        mean = (resample(a, samples) + reflect(resample(b, samples), p.axis)) / 2.0
        radii = (_values_along(a, rad[left], samples) + _values_along(b, rad[right], samples)) / 2
        peak = None if scores is None else (chain_scores(left, samples) + chain_scores(right, samples)) / 2
        kept = simplify(mean, radii, min_bone(left, right), peak)
        fractions = kept / (samples - 1)
        joints[p.left], joints[p.right] = along(a, fractions[1:]), along(b, fractions[1:])
    for i, poly in enumerate(polylines):
        if i not in joints:
            joints[i] = poly[simplify(poly, rad[chains[i]], min_bone(chains[i]), chain_scores(chains[i]))[1:]]

    starts: dict[int, list[int]] = {}
    for i, c in enumerate(chains):
        starts.setdefault(c[0], []).append(i)
    positions = [pos[root]]
    parents = [-1]
    joint_of = {root: 0}
    queue = deque([root])
    while queue:
        key = queue.popleft()
        out = starts.get(key, [])
        direction = [pos[chains[i][-1]] - pos[key] for i in out]
        # Deterministic, readable order: clockwise from straight up.
        clockwise = np.argsort([np.arctan2(d[0], d[1]) % (2 * np.pi) for d in direction], kind="stable")
        for i in [out[k] for k in clockwise]:
            parent = joint_of[key]
            for p in joints[i]:
                positions.append(p)
                parents.append(parent)
                parent = len(positions) - 1
            joint_of[chains[i][-1]] = parent
            queue.append(chains[i][-1])
    return np.array(positions), np.array(parents)


def _values_along(poly: np.ndarray, values: np.ndarray, samples: int) -> np.ndarray:
    """Per-vertex values at `samples` equal arc-length steps of a polyline (matching `mirror.resample`)."""
    arc = arc_lengths(poly)
    if arc[-1] <= 0.0:
        return np.full(samples, float(values[0]))
    return np.interp(np.linspace(0.0, arc[-1], samples), arc, values)

