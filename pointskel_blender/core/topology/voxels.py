"""Step 1 of the topology: voxel nodes of the contracted cloud, strays dropped and bands thinned,
or a blob tree for a cloud too small for the grid."""
from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.spatial import cKDTree

from .bone_tree import BoneTree, TopologyError
from .tree_settings import Thickness, TreeSettings


def voxel_nodes(pts: np.ndarray, voxel: float) -> tuple[np.ndarray, np.ndarray]:
    """Means and point counts of the occupied voxels."""
    cells = ((pts - pts.min(axis=0)) * (1.0 / voxel)).astype(np.int64)  # >= 0, so truncation is floor
    dims = cells.max(axis=0) + 1
    if float(np.prod(dims.astype(np.float64))) >= 2.0**62:
        raise TopologyError(
            f"the cloud spans {np.ptp(pts, axis=0).max():.3g} units, too much for voxel {voxel}: "
            "pass normalized coordinates or a larger voxel"
        )
    keys = (cells[:, 0] * dims[1] + cells[:, 1]) * dims[2] + cells[:, 2]
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    sums = np.stack([np.bincount(inverse, weights=pts[:, d], minlength=len(counts)) for d in range(3)], 1)
    return sums / counts[:, None], counts


def denoise(
    nodes: np.ndarray, mass: np.ndarray, voxel: float, settings: TreeSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Drop stray nodes, then thin the rest: neighbourhoods of radius `smooth` × voxel decide both.

    A node whose neighbourhood holds fewer points than `min_voxel_share` × the median
    neighbourhood is a stray point (a sparse but real limb still has neighbours along it). The
    others move `smooth_steps` times toward the mass-weighted mean of their neighbourhood, but only
    across the neighbourhood's main direction: a band of scatter collapses onto its centre line
    while tips and bends stay where they are. Without this, the spanning tree of a band a few
    voxels wide zigzags across it and grows twigs and parallel tracks that look like limbs.
    """
    n = len(nodes)
    if n < 3:
        return nodes, mass
    pairs = cKDTree(nodes).query_pairs(settings.smooth * voxel, output_type="ndarray")
    rows = np.concatenate([pairs[:, 0], pairs[:, 1], np.arange(n)])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0], np.arange(n)])
    weights = coo_matrix((mass[cols].astype(np.float64), (rows, cols)), shape=(n, n)).tocsr()
    around = np.asarray(weights.sum(axis=1)).reshape(-1)
    keep = around >= settings.min_voxel_share * np.median(around)
    weights = weights[keep][:, keep]
    total = np.asarray(weights.sum(axis=1))
    out = nodes[keep]
    for _ in range(settings.smooth_steps):
        mean = (weights @ out) / total
        second = (weights @ (out[:, :, None] * out[:, None, :]).reshape(-1, 9)) / total
        spread = second.reshape(-1, 3, 3) - mean[:, :, None] * mean[:, None, :]
        main = np.linalg.eigh(spread)[1][:, :, 2]
        move = mean - out
        out = out + move - (move * main).sum(axis=1, keepdims=True) * main
    return out, mass[keep]


def blob_tree(pts: np.ndarray, radius: Thickness) -> BoneTree:
    """A cloud too small for the voxel grid: a root at its centre and a bone to each end of its long axis."""
    centre = pts.mean(axis=0)
    offsets = pts - centre
    if len(pts) < 2 or np.abs(offsets).max() <= 1e-9:
        positions, parents = centre[None], [-1]
    else:
        axis = np.linalg.svd(offsets, full_matrices=False)[2][0]
        if axis[np.argmax(np.abs(axis))] < 0:
            axis = -axis
        along_axis = offsets @ axis
        positions = np.stack([centre, centre + along_axis.max() * axis, centre + along_axis.min() * axis])
        parents = [-1, 0, 0]
    return BoneTree(positions, parents, radius(positions))
