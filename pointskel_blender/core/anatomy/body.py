"""The bone tree as the anatomy stage reads it: an undirected tree with the silhouette around it.

Topology hands over a rooted tree whose root is merely its most central node; anatomy needs paths
between any two joints (head to hips, a leg to the spine), arc lengths along them, how thick the
figure is at each joint and where a direction leaves the outline (the crown of a head).
"""
from __future__ import annotations

from functools import cached_property
from typing import Any, Callable

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from ..lift import LiftedShape
from ..topology import BoneTree

# Farthest a tip is extended to the outline, and the step of that search (normalized units).
_REACH, _STEP = 0.4, 0.004


class Body:
    """Undirected view of a `BoneTree` plus the figure's outline (normalized frame, unit = bbox side)."""

    def __init__(self, tree: BoneTree, shape: LiftedShape) -> None:
        self.tree = tree
        self.shape = shape
        self.pos = tree.positions.astype(np.float64)
        self.xy = self.pos[:, :2]
        self.rad = tree.radii.astype(np.float64)
        self.adj: list[list[int]] = [[] for _ in range(len(tree))]
        for child, parent in enumerate(tree.parents.tolist()):
            if parent >= 0:
                self.adj[child].append(parent)
                self.adj[parent].append(child)
        self.degree = np.array([len(a) for a in self.adj])
        self.leaves = [i for i in range(len(tree)) if self.degree[i] == 1]
        rows = np.flatnonzero(shape.mask.any(axis=1))
        cols = np.flatnonzero(shape.mask.any(axis=0))
        unit = shape.work_px_per_unit
        self.height = (rows[-1] - rows[0] + 1) / unit if rows.size else 1.0
        self.width = (cols[-1] - cols[0] + 1) / unit if cols.size else 1.0
        self.floor = -self.height / 2  # the frame is centred on the mask's bounding box
        self.memo: dict[tuple[int, float], float] = {}  # per-tip scores (cues.headness)
        self.leg_tops: dict[int, int] = {}  # where each leg on the floor leaves the body (cues.floor_legs)
        self.readings: dict[tuple, Any] = {}  # upright readings made (`upright.upright`)
        # walks along the tree by what they were asked (`path`, `away`, `branch`, `arc`): the readings
        # ask the same ones again and again (the bundled sample about 480 times, 100 of them distinct)
        self._walks: dict[tuple, Any] = {}

    @cached_property
    def _shortest(self) -> tuple[np.ndarray, np.ndarray]:
        """All-pairs arc lengths along the tree and predecessors (~100 joints: a few 10k entries)."""
        n = len(self.adj)
        child = np.arange(1, n)
        parent = self.tree.parents[1:]
        length = np.linalg.norm(self.pos[child] - self.pos[parent], axis=1) + 1e-12
        rows, cols = np.concatenate([child, parent]), np.concatenate([parent, child])
        graph = csr_matrix((np.concatenate([length, length]), (rows, cols)), shape=(n, n))
        return shortest_path(graph, directed=False, return_predecessors=True)

    def _walk(self, key: tuple, walk: Callable[[], Any]) -> Any:
        """`walk()`, made once per key."""
        found = self._walks.get(key)
        if found is None:
            found = self._walks[key] = walk()
        return found

    def path(self, a: int, b: int) -> list[int]:
        """Joints from a to b along the tree, both included."""
        return list(self._walk(("path", a, b), lambda: self._path(a, b)))

    def _path(self, a: int, b: int) -> tuple[int, ...]:
        prev = self._shortest[1][a]
        out = [b]
        while out[-1] != a:
            out.append(int(prev[out[-1]]))
        return tuple(out[::-1])

    def distances(self, a: int) -> np.ndarray:
        """Arc length along the tree from joint a to every joint."""
        return self._shortest[0][a]

    def between(self, a: int, b: int, j: int) -> bool:
        """Whether joint j lies on the tree path from a to b."""
        dist = self._shortest[0]
        return bool(abs(dist[a, j] + dist[j, b] - dist[a, b]) < 1e-9)

    def away(self, root: int, first: int) -> list[int]:
        """The joints of the subtree reached from `root` through its neighbour `first`."""
        return list(self._walk(("away", root, first), lambda: self._away(root, first)))

    def _away(self, root: int, first: int) -> tuple[int, ...]:
        dist = self._shortest[0]
        through = np.abs(dist[root] - (dist[root, first] + dist[first])) < 1e-9
        through[first] = False
        return (first, *np.flatnonzero(through).tolist())

    def leg_top(self, leg: int) -> int:
        """Where a leg on the floor leaves the body: its branch's start, or (a leg on the tree's main
        path) where `cues.floor_legs` found it leaves the torso."""
        return self.leg_tops.get(leg, self.branch(leg)[0])

    def branch(self, leaf: int) -> list[int]:
        """The leaf's own chain: from the first joint of degree other than 2 out to the leaf."""
        return list(self._walk(("branch", leaf), lambda: self._branch(leaf)))

    def _branch(self, leaf: int) -> tuple[int, ...]:
        out = [leaf]
        prev = -1
        while True:
            nxt = [j for j in self.adj[out[-1]] if j != prev]
            if not nxt or (len(out) > 1 and self.degree[out[-1]] != 2):
                break
            prev = out[-1]
            out.append(nxt[0])
        return tuple(out[::-1])

    def arc(self, joints: list[int]) -> float:
        """The length of a path of joints."""
        if len(joints) < 2:
            return 0.0
        return self._walk(("arc", *joints), lambda: float(np.linalg.norm(np.diff(self.pos[joints], axis=0),
                                                                          axis=1).sum()))

    def blob(self, leaf: int, reach: float = 0.1) -> float:
        """Thickest the figure gets near a tip: a head's or a paw's radius, not its stalk's."""
        chain = self.branch(leaf)[::-1]
        arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(self.pos[chain], axis=0), axis=1))])
        near = [j for j, a in zip(chain, arc) if a <= max(reach, 2.5 * self.rad[leaf])]
        return float(self.rad[near].max())

    @cached_property
    def mirror(self) -> float:
        """Intersection over union of the mask and its left-right mirror about its bounding box's
        centre: near 1 for a figure seen from the front (or a plush one from the side), low for a
        bird's or a quadruped's side view, whose head and tail point opposite ways."""
        mask = self.shape.mask
        cols = np.flatnonzero(mask.any(axis=0))
        if not cols.size:
            return 0.0
        box = mask[:, cols[0] : cols[-1] + 1]
        flipped = box[:, ::-1]
        return float(np.count_nonzero(box & flipped) / max(np.count_nonzero(box | flipped), 1))

    @cached_property
    def thickest(self) -> float:
        return float(self.rad.max())

    def outline(self, start: np.ndarray, direction: np.ndarray, reach: float = _REACH) -> np.ndarray:
        """Where a ray from `start` (inside) along `direction` (x, y) meets the outline, `reach` at most;
        z kept."""
        out = np.array(start, dtype=np.float64)
        out[:2] = self.outlines(out[None, :2], np.asarray(direction, dtype=np.float64)[None, :2], reach)[0]
        return out

    def outlines(self, starts: np.ndarray, directions: np.ndarray, reach: float = _REACH) -> np.ndarray:
        """(N, 2): `outline` for N rays at once; a ray without a direction stays at its start. The rays'
        samples are looked up a block at a time (`blocks`) for the rays still inside: most leave the
        figure within a limb's width, a fraction of the reach."""
        starts = np.asarray(starts, dtype=np.float64)[:, :2]
        d = np.asarray(directions, dtype=np.float64)[:, :2]
        norm = np.linalg.norm(d, axis=1)
        d = np.where(norm[:, None] > 1e-12, d / np.maximum(norm, 1e-12)[:, None], 0.0)
        t = np.arange(1, int(reach / _STEP) + 1) * _STEP
        stop = np.full(len(starts), len(t))  # the first sample outside, past the last if none
        inside = np.arange(len(starts))  # the rays whose samples so far all lie inside
        for first, end in blocks(len(t)):
            if not inside.size:
                break
            pts = starts[inside, None, :] + t[None, first:end, None] * d[inside, None, :]  # (M, K, 2)
            query = np.zeros((pts.shape[0] * pts.shape[1], 3), np.float32)
            query[:, :2] = pts.reshape(-1, 2)
            within = (np.asarray(self.shape.radius_at(query)) > 0).reshape(pts.shape[:2])
            left = ~within.all(axis=1)
            stop[inside[left]] = first + np.argmin(within[left], axis=1)
            inside = inside[~left]
        out = starts.copy()
        moved = np.flatnonzero((stop > 0) & (norm > 1e-12))
        out[moved] = starts[moved] + t[stop[moved] - 1, None] * d[moved]
        return out


def blocks(count: int, first: int = 16) -> list[tuple[int, int]]:
    """[start, end) blocks covering `count` steps of a search, each twice as long as the one before:
    a search that ends early costs a lookup or two, one that runs to the end about as much as one
    lookup of all the steps at once."""
    out, start, size = [], 0, first
    while start < count:
        out.append((start, min(start + size, count)))
        start, size = start + size, 2 * size
    return out
