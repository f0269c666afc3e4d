"""Figure features: what the unsplit bone tree of a contracted cloud says about the whole figure.

How long a figure's bones should be depends on what the figure is (a lamp's pole is one bone, a
snake's body many), and the learned model's bone length head decides it by the training figures
most like this one. A spider and a horse seen from the side have similar silhouettes and similar
pooled network features, but their trees differ: eight legs against four, many forks against few.
These four counts and lengths, measured on the tree the topology builds without splitting straight
chains, are what the head reads beside the network's global feature (`trainer.bone_length` fills
its table with them; the add-on computes the same numbers for the image at hand).

The features are measured at a fixed detail (`FIGURE_VOXEL`, the add-on's default), not at the
user's, because the head's table was measured there.
"""

from __future__ import annotations

import numpy as np

from .settings import DEFAULT_VOXEL
from .topology import DEFAULT_SETTINGS, BoneGraph, Thickness

FIGURE_FEATURES = ("ends", "forks", "joints", "length")  # what `figure_features` returns, in order
FIGURE_VOXEL = DEFAULT_VOXEL  # the detail they are measured at, normalized units


def figure_features(points: np.ndarray, thickness: Thickness, graph: BoneGraph | None = None) -> np.ndarray:
    """(4,) float32 for a contracted cloud: joints without children, joints with two or more,
    all joints, and the total bone length (normalized units), of its never-split tree.

    `graph`, the caller's `BoneGraph` of the same cloud, is reused when it was built at
    `FIGURE_VOXEL` with the default settings (the pipeline's usual case), so no second graph is built."""
    if graph is None or graph.voxel != FIGURE_VOXEL or graph.settings != DEFAULT_SETTINGS:
        graph = BoneGraph(points, thickness, voxel=FIGURE_VOXEL)
    tree = graph.tree(0.0, scores=False)
    children = np.bincount(tree.parents[1:], minlength=len(tree))
    bones = tree.bones
    length = np.linalg.norm(tree.positions[bones[:, 1]] - tree.positions[bones[:, 0]], axis=1).sum()
    return np.array([(children == 0).sum(), (children >= 2).sum(), len(tree), length], dtype=np.float32)
