"""Step 3 of the topology: spurs pruned and junctions merged on the spanning tree, limbs kept."""
from __future__ import annotations

import numpy as np

from ..silhouette import Silhouette
from .limbs import limb_evidence
from .tree_settings import Thickness, TreeSettings


class PruningGraph:
    """A mutable undirected tree over dense nodes, for pruning and merging."""

    def __init__(self, pos: np.ndarray, rad: np.ndarray, edges: np.ndarray) -> None:
        self.pos = np.array(pos, dtype=np.float64)
        self.rad = np.array(rad, dtype=np.float64)
        self.adj: list[set[int]] = [set() for _ in range(len(self.pos))]
        for u, v in edges.tolist():
            self.adj[u].add(v)
            self.adj[v].add(u)
        self.alive = set(range(len(self.pos)))
        # `_is_limb` verdicts by path and junction disc: pruning rounds ask again about the branches they keep
        self._limbs: dict[tuple, bool] = {}
        self._limb_tips: set[int] = set()  # leaves `_is_limb` found limbs

    def branches(self) -> list[list[int]]:
        """Node paths between nodes of degree other than 2."""
        out = []
        seen: set[tuple[int, int]] = set()
        for key in sorted(n for n in self.alive if len(self.adj[n]) != 2):
            for nb in sorted(self.adj[key]):
                if (key, nb) in seen:
                    continue
                path = [key, nb]
                while len(self.adj[path[-1]]) == 2:
                    a, b = self.adj[path[-1]]
                    path.append(b if a == path[-2] else a)
                seen.add((path[-1], path[-2]))
                out.append(path)
        return out

    def length(self, path: list[int]) -> float:
        return float(np.linalg.norm(np.diff(self.pos[path], axis=0), axis=1).sum())

    def clean(
        self, radius: Thickness, voxel: float, settings: TreeSettings, silhouette: Silhouette | None = None
    ) -> None:
        """Prune spurs and merge junctions until neither changes anything."""
        while self._prune(voxel, settings, silhouette) or self._merge(radius, voxel, settings):
            pass

    def _prune(self, voxel: float, settings: TreeSettings, silhouette: Silhouette | None = None) -> bool:
        """Drop spurs at junctions; True if anything was dropped.

        A spur adds little beyond the junction's own disk: its length plus its tip's radius is less
        than `spur` × the junction's radius (the Y-fork of a square limb end reaches about 1.4 r
        past the fork, a head or a limb much more) and it does not get thicker toward its tip (by
        `widen` × the junction's radius): a spur leaves the ridge of the distance field, so it
        thins, while a branch that thickens follows the ridge into a thicker part, such as a head
        above a noise-made junction in the neck. Twigs shorter than `spur_voxels` × voxel are
        spurs whatever their thickness. With a silhouette, a would-be spur that `_is_limb` stays, and
        so does the highest where the rest would leave only feet on the floor (`_keep_a_body`).
        Where every branch of a junction is to go, the two longest stay (the tree becomes a path).
        """
        by_junction: dict[int, list[tuple[float, list[int]]]] = {}
        for path in self.branches():
            if len(self.adj[path[0]]) == 1 and len(self.adj[path[-1]]) == 1:
                return False  # the whole tree is one path: nothing hangs off anything
            if len(self.adj[path[-1]]) == 1:
                junction, tip = path[0], path[-1]
            elif len(self.adj[path[0]]) == 1:
                junction, tip = path[-1], path[0]
            else:
                continue
            length = self.length(path)
            r_junction, r_tip = self.rad[junction], self.rad[tip]
            thins = r_tip <= (1.0 + settings.widen) * r_junction
            twig = length < settings.spur_voxels * voxel
            if twig or (thins and length + r_tip < settings.spur * r_junction):
                outward = path if path[0] == junction else path[::-1]
                if not twig and silhouette is not None:
                    if self._is_limb(outward, silhouette, voxel, settings):
                        continue
                by_junction.setdefault(junction, []).append((length, path))
        if silhouette is not None:
            self._keep_a_body(by_junction, silhouette, voxel, settings)
        changed = False
        for junction, spurs in by_junction.items():
            spurs.sort(key=lambda item: item[0])
            if len(spurs) == len(self.adj[junction]):
                spurs = spurs[:-2]
            for _, path in spurs:
                self._cut(path[1:] if path[0] == junction else path[:-1])
                changed = True
        return changed

    def _keep_a_body(
        self,
        by_junction: dict[int, list[tuple[float, list[int]]]],
        silhouette: Silhouette,
        voxel: float,
        settings: TreeSettings,
    ) -> None:
        """Where the spurs would leave nothing but feet on the floor and nothing reaching as high as
        they do (two legs as a U from foot to foot: a fat body's junction disc swallows its trunk by
        the thickness rule), the one reaching farthest (its length and tip radius) that reaches
        higher than the rest stays: a figure standing on the floor has a body above its legs."""
        tips = {path[0] if len(self.adj[path[0]]) == 1 else path[-1]: (junction, k)
                for junction, spurs in by_junction.items() for k, (_, path) in enumerate(spurs)}
        rest = [n for n in self.alive if len(self.adj[n]) == 1 and n not in tips]
        floor = silhouette.bottom + settings.floor_voxels * voxel
        if len(rest) < 2 or (self.pos[rest, 1] - self.rad[rest] > floor).any():
            return
        cut = {n for spurs in by_junction.values() for _, path in spurs for n in path[1:-1]} | set(tips)
        kept = np.array(sorted(self.alive - cut))
        above = float((self.pos[kept, 1] + self.rad[kept]).max())
        length = {tip: by_junction[j][k][0] for tip, (j, k) in tips.items()}
        body = [t for t in tips if length[t] >= settings.spur_voxels * voxel
                and self.pos[t, 1] + self.rad[t] > above]
        if body:
            junction, k = tips[max(body, key=lambda t: length[t] + self.rad[t])]
            del by_junction[junction][k]

    def _is_limb(self, path: list[int], silhouette: Silhouette, voxel: float, settings: TreeSettings) -> bool:
        """`limbs.limb_evidence` for the leaf branch `path` (junction first), asked once per disc. A
        tip once shown a limb stays one when its junction merges with another: the merged junction
        sits deeper in the body (a chunky dog's legs and ears meeting in its belly), farther from the
        neck the limb leaves through, but the limb is the same."""
        if path[-1] in self._limb_tips:
            return True
        key = (tuple(path), *self.pos[path[0]].tolist(), float(self.rad[path[0]]))
        if key not in self._limbs:
            self._limbs[key] = limb_evidence(self.pos, self.rad, path, silhouette, voxel, settings)
            if self._limbs[key]:
                self._limb_tips.add(path[-1])
        return self._limbs[key]

    def _cut(self, nodes: list[int]) -> None:
        for n in nodes:
            for nb in self.adj[n]:
                self.adj[nb].discard(n)
            self.adj[n] = set()
            self.alive.discard(n)

    def _merge(self, radius: Thickness, voxel: float, settings: TreeSettings) -> bool:
        """Contract short junction-to-junction branches; True if any were contracted."""
        parent = {}

        def find(n: int) -> int:
            while parent.get(n, n) != n:
                n = parent[n]
            return n

        inner: list[list[int]] = []
        for path in self.branches():
            a, b = path[0], path[-1]
            if len(self.adj[a]) < 3 or len(self.adj[b]) < 3:
                continue
            limit = max(settings.merge * max(self.rad[a], self.rad[b]), settings.spur_voxels * voxel)
            if self.length(path) < limit:
                inner.append(path)
                parent[find(b)] = find(a)
        if not inner:
            return False
        clusters: dict[int, set[int]] = {}
        for path in inner:
            members = clusters.setdefault(find(path[0]), set())
            members.update(path)
        keep = sorted(clusters)
        for k in keep:
            members = clusters[k]
            junctions = [n for n in members if len(self.adj[n]) >= 3]
            outside = {nb for n in members for nb in self.adj[n]} - members
            self._cut(sorted(members - {k}))
            self.adj[k] = set(outside)
            for nb in outside:
                self.adj[nb].add(k)
            self.pos[k] = self.pos[junctions].mean(axis=0)
        self.rad[keep] = radius(self.pos[keep])
        return True

    def grow(self, anchor: int, positions: np.ndarray, radii: np.ndarray) -> None:
        """Append a path of new nodes hanging from `anchor`, in order outwards."""
        first = len(self.pos)
        self.pos = np.vstack([self.pos, positions])
        self.rad = np.concatenate([self.rad, radii])
        chain = [anchor, *range(first, len(self.pos))]
        self.adj += [set() for _ in range(len(positions))]
        for u, v in zip(chain[:-1], chain[1:]):
            self.adj[u].add(v)
            self.adj[v].add(u)
        self.alive.update(chain[1:])

    def compact(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Positions, radii and (E, 2) edges of the live nodes, renumbered from 0."""
        alive = np.array(sorted(self.alive))
        index = np.full(len(self.pos), -1)
        index[alive] = np.arange(len(alive))
        edges = [(index[u], index[v]) for u in alive.tolist() for v in self.adj[u] if u < v]
        return self.pos[alive], self.rad[alive], np.array(edges, dtype=np.int64).reshape(-1, 2)
