"""Mirror pairs: which chains of a tree are left/right copies of each other across a vertical plane.

Topology uses this to simplify both chains of a pair alike (same joints at the same places along
them); naming uses it to give them the same name with `.L`/`.R`. A chain is a polyline from the
joint it hangs from to its end. Two chains match when one, reflected across a vertical plane
x = a, lies on the other: both are resampled at equal arc-length steps, and `a` is the plane that
fits them best (in closed form: the mean of the midpoints of corresponding samples). The plane has
to pass near the joint the two chains hang from (or, for the chains below two mirrored joints,
near the parent pair's plane), and the chains have to lie on opposite sides of it. So the symmetry
axis is estimated locally for each pair, which keeps an off-centre or partly asymmetric figure
pairable. Pairs below a matched pair are searched among their two end joints' children, so a hand
and its fingers pair as a whole.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Sequence

import numpy as np

# Mean distance between a chain and its reflected partner, as a fraction of the figure's size; the
# mirror plane may miss the joint the chains hang from by half as much. Mirror images drawn with
# noise score under 0.02; two legs in a walking stride about 0.05.
MIRROR_TOLERANCE = 0.04
SAMPLES = 16


@dataclass(frozen=True)
class MirrorPair:
    left: int  # chain on the +x side of the plane: image right, the character's left (`.L`)
    right: int  # chain on the -x side (`.R`)
    axis: float  # x of the mirror plane, normalized units


def resample(polyline: np.ndarray, samples: int) -> np.ndarray:
    """(P, 3) polyline -> (samples, 3) points at equal arc-length steps, ends included."""
    return along(polyline, np.linspace(0.0, 1.0, samples))


def along(polyline: np.ndarray, fractions: np.ndarray) -> np.ndarray:
    """Points at the given fractions (0..1) of a polyline's arc length."""
    poly = np.asarray(polyline, dtype=np.float64)
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(poly, axis=0), axis=1))])
    if arc[-1] <= 0.0:
        return np.repeat(poly[:1], len(fractions), axis=0)
    t = np.asarray(fractions, dtype=np.float64) * arc[-1]
    return np.stack([np.interp(t, arc, poly[:, d]) for d in range(poly.shape[1])], axis=1)


def reflect(points: np.ndarray, axis: float) -> np.ndarray:
    out = np.array(points, dtype=np.float64)
    out[..., 0] = 2.0 * axis - out[..., 0]
    return out


def fit(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(mean distance, plane x) between resampled chains a and b reflected across the best plane."""
    axis = float(np.mean(a[:, 0] + b[:, 0]) / 2.0)
    return float(np.linalg.norm(a - reflect(b, axis), axis=1).mean()), axis


def mirror_pairs(
    polylines: Sequence[np.ndarray],
    starts: Sequence[int],
    ends: Sequence[int],
    root: int,
    *,
    size: float,
    tolerance: float = MIRROR_TOLERANCE,
    equal_vertices: bool = False,
) -> list[MirrorPair]:
    """Mirror pairs among chains `i` running from joint `starts[i]` to joint `ends[i]`.

    `polylines[i]` starts at its start joint. `size` is the figure's size (tolerances are fractions
    of it); `equal_vertices` only pairs chains with equally many vertices, so that their joints can
    be named one-to-one. Pairs come out in traversal order from `root`, each chain in one pair at most.
    """
    tol = tolerance * size
    sampled = [resample(p, SAMPLES) for p in polylines]
    children: dict[int, list[int]] = {}
    for i, s in enumerate(starts):
        children.setdefault(s, []).append(i)

    def match(group_a: list[int], group_b: list[int], ref: float, same: bool) -> list[MirrorPair]:
        found = []
        for ia, i in enumerate(group_a):
            for j in group_a[ia + 1 :] if same else group_b:
                if equal_vertices and len(polylines[i]) != len(polylines[j]):
                    continue
                cost, axis = fit(sampled[i], sampled[j])
                off_i = sampled[i][1:, 0].mean() - axis
                off_j = sampled[j][1:, 0].mean() - axis
                apart = min(abs(off_i), abs(off_j)) > tol and off_i * off_j < 0
                if cost <= tol and abs(axis - ref) <= tol / 2 and apart:
                    left, right = (i, j) if off_i > 0 else (j, i)
                    found.append((cost, left, right, axis))
        chosen: list[MirrorPair] = []
        used: set[int] = set()
        for _, left, right, axis in sorted(found):
            if left not in used and right not in used:
                used.update((left, right))
                chosen.append(MirrorPair(left, right, axis))
        return chosen

    pairs: list[MirrorPair] = []
    # Sibling groups hang from one joint on the figure's centre side; cross groups hang from a mirrored pair.
    queue: deque[tuple[int, ...] | tuple[int, int, float]] = deque([(root,)])
    while queue:
        item = queue.popleft()
        if len(item) == 1:
            group = children.get(item[0], [])
            found = match(group, group, float(polylines[group[0]][0][0]), True) if group else []
            paired = {c for p in found for c in (p.left, p.right)}
            queue.extend((ends[c],) for c in group if c not in paired)
        else:
            left_key, right_key, axis = item
            found = match(children.get(left_key, []), children.get(right_key, []), axis, False)
        pairs.extend(found)
        queue.extend((ends[p.left], ends[p.right], p.axis) for p in found)
    return pairs
