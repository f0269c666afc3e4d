"""Step 2 of the topology: the nodes' minimum spanning tree, pieces joined, never across background."""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree
from scipy.spatial import cKDTree

from ..silhouette import Silhouette
from .floor import part_feet
from .tree_settings import Thickness, TreeSettings

Gaps = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (E,) node index pairs -> (E,) background between


def spanning_tree(
    nodes: np.ndarray,
    mass: np.ndarray,
    voxel: float,
    settings: TreeSettings,
    silhouette: Silhouette | None = None,
    radius: Thickness | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Nodes of the kept pieces and the (E, 2) edges of their minimum spanning tree.

    With a silhouette, neighbours with background between them are not linked: two legs (or a
    foot and the next leg) that come within a few voxels in the contracted cloud stay two chains
    where the picture shows them apart. Only links longer than both ends' thickness are looked at
    (`radius`): a shorter one lies inside an end's disc, which is inside the figure. A node off the
    figure (the smoothed mean of two legs' points can fall in a narrow gap between them) is judged
    from the nearest node on the figure: it belongs to that node's leg and bridges nothing. Judged
    by nothing, it joined both legs into one U-shaped chain, or not, by where the random samples
    and the voxel grid fell: a mirrored picture lost a front leg its original kept. (The nearest
    figure pixel is no anchor: a thin leg's contracted line can run in a one-pixel gap beside it,
    and its nodes would be shared out between the two legs.) Where two feet meet on the floor, the
    loop they close is broken there (`floor.part_feet`), which can drop the nodes of the contact.
    """
    link = settings.link * voxel

    def gaps(nodes: np.ndarray) -> Gaps | None:
        if silhouette is None:
            return None
        r = radius(nodes) if radius is not None else np.zeros(len(nodes))
        on = _anchored(nodes, silhouette.inside(nodes), link)

        def crosses(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            out = np.zeros(len(a), bool)
            check = np.flatnonzero(np.linalg.norm(nodes[a] - nodes[b], axis=1) > np.maximum(r[a], r[b]))
            out[check] = silhouette.crosses_gap(on[a[check]], on[b[check]])
            return out

        return crosses

    def knn_edges(nodes: np.ndarray, crosses: Gaps | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a, b, w = _knn_edges(nodes, settings.neighbours, link)
        if crosses is None:
            return a, b, w
        keep = ~crosses(a, b)
        return a[keep], b[keep], w[keep]

    crosses = gaps(nodes)
    a, b, w = knn_edges(nodes, crosses)
    pieces, labels = _components(len(nodes), a, b)
    if pieces > 1:
        share = np.bincount(labels, weights=mass) / mass.sum()
        keep = (share >= settings.min_piece_share) | (share == share.max())
        if not keep.all():
            kept = keep[labels]
            nodes, mass = nodes[kept], mass[kept]
            crosses = gaps(nodes)
            a, b, w = knn_edges(nodes, crosses)
            pieces, labels = _components(len(nodes), a, b)
        if pieces > 1:
            ja, jb, jw = _joins(nodes, labels, a, b, crosses)
            a, b, w = np.concatenate([a, ja]), np.concatenate([b, jb]), np.concatenate([w, jw])
    # A tiny offset keeps zero-length edges (coincident nodes) from reading as missing ones.
    graph = coo_matrix((w + 1e-12, (a, b)), shape=(len(nodes), len(nodes))).tocsr()
    tree = minimum_spanning_tree(graph).tocoo()
    edges = np.stack([tree.row, tree.col], axis=1).astype(np.int64)
    if silhouette is not None and radius is not None:
        near = settings.floor_voxels * voxel
        edges, stay = part_feet(nodes, edges, (a, b, w), radius(nodes), silhouette, near)
        if not stay.all():
            index = np.cumsum(stay) - 1
            nodes, edges = nodes[stay], index[edges]
    return nodes, edges


def _anchored(nodes: np.ndarray, inside: np.ndarray, reach: float) -> np.ndarray:
    """(N, 2) where each node is judged from: itself on the figure; off it, the nearest node on the
    figure within `reach` (itself where there is none)."""
    out = np.array(nodes[:, :2])
    off, on = np.flatnonzero(~inside), np.flatnonzero(inside)
    if len(off) and len(on):
        dist, nearest = cKDTree(nodes[on, :2]).query(nodes[off, :2], distance_upper_bound=reach)
        found = np.isfinite(dist)
        out[off[found]] = nodes[on[nearest[found]], :2]
    return out


def _knn_edges(nodes: np.ndarray, k: int, link: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    k = min(k + 1, len(nodes))
    dist, idx = cKDTree(nodes).query(nodes, k=k)
    a = np.repeat(np.arange(len(nodes)), k - 1)
    b, w = idx[:, 1:].reshape(-1), dist[:, 1:].reshape(-1)
    near = w <= link
    return a[near], b[near], w[near]


def _components(n: int, a: np.ndarray, b: np.ndarray) -> tuple[int, np.ndarray]:
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    return connected_components(graph, directed=False)


_GAP_CHECK_NEIGHBOURS = 32  # beyond this many neighbours, pieces join across background too


def _joins(
    nodes: np.ndarray, labels: np.ndarray, a: np.ndarray, b: np.ndarray, crosses: Gaps | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges joining detached pieces by closest pairs (Borůvka rounds) until they form one component.

    Pairs that `crosses` (background between them) are passed over while a piece has another
    among its nearest `_GAP_CHECK_NEIGHBOURS`: a leg whose contracted line stops short of the body
    joins the body, not the next foot.
    """
    tree = cKDTree(nodes)
    ja: list[np.ndarray] = []
    jb: list[np.ndarray] = []
    jw: list[np.ndarray] = []
    pieces = labels.max() + 1
    k = min(8, len(nodes))
    while pieces > 1:
        dist, idx = tree.query(nodes, k=k)
        other = labels[idx] != labels[:, None]
        if crosses is not None and k <= _GAP_CHECK_NEIGHBOURS and k < len(nodes):
            rows, cols = np.nonzero(other)
            gap = crosses(rows, idx[rows, cols])
            other[rows[gap], cols[gap]] = False
        has = other.any(axis=1)
        if len(np.unique(labels[has])) < pieces and k < len(nodes):
            k = min(2 * k, len(nodes))
            continue
        first = np.argmax(other, axis=1)
        rows = np.flatnonzero(has)
        cand_b = idx[rows, first[rows]]
        cand_w = dist[rows, first[rows]]
        order = np.lexsort((cand_w, labels[rows]))
        _, best = np.unique(labels[rows][order], return_index=True)
        pick = order[best]
        ja.append(rows[pick])
        jb.append(cand_b[pick])
        jw.append(cand_w[pick])
        pieces, labels = _components(len(nodes), np.concatenate([a, *ja]), np.concatenate([b, *jb]))
    return np.concatenate(ja), np.concatenate(jb), np.concatenate(jw)
