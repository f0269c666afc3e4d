"""Step 4 of the topology: the root, the tree's most central node."""
from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import dijkstra

from .tree_settings import TreeSettings


def csgraph(pos: np.ndarray, edges: np.ndarray) -> csr_matrix:
    w = np.linalg.norm(pos[edges[:, 0]] - pos[edges[:, 1]], axis=1) + 1e-12
    return coo_matrix((w, (edges[:, 0], edges[:, 1])), shape=(len(pos), len(pos))).tocsr()


def choose_root(
    graph: csr_matrix, rad: np.ndarray, edges: np.ndarray, voxel: float, settings: TreeSettings
) -> int:
    """The most central node (smallest eccentricity, thickness worth `root_thickness` × itself).

    A tree's eccentricity is the larger distance to the two ends of its longest path, so three
    shortest-path runs give it for every node. A root within a minimum bone length of a junction
    moves onto the junction, so that no stub bone appears between them.
    """
    end_a = int(np.argmax(dijkstra(graph, directed=False, indices=0)))
    from_a = dijkstra(graph, directed=False, indices=end_a)
    from_b = dijkstra(graph, directed=False, indices=int(np.argmax(from_a)))
    score = np.maximum(from_a, from_b) - settings.root_thickness * rad
    root = int(np.argmin(score))
    degree = np.bincount(edges.reshape(-1), minlength=len(rad))
    junctions = np.flatnonzero(degree >= 3)
    if junctions.size and degree[root] < 3:
        dist = dijkstra(graph, directed=False, indices=root)[junctions]
        limit = np.maximum(settings.min_bone * rad[junctions], settings.min_bone_voxels * voxel)
        near = np.flatnonzero(dist < limit)
        if near.size:
            root = int(junctions[near[np.argmin(dist[near])]])
    return root
