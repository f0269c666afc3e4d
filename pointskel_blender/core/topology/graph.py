"""The topology's entry points: a contracted cloud's cleaned spanning tree (`BoneGraph`) and its
bone trees (`build_tree`), steps 1-5 of the package's overview in order."""
from __future__ import annotations

import numpy as np

from ..settings import DEFAULT_VOXEL
from ..silhouette import Silhouette
from .bone_tree import BoneTree, TopologyError
from .chains import Chains
from .protrusions import restore_protrusions
from .pruning import PruningGraph
from .root import choose_root, csgraph
from .scores import node_scores
from .spanning import spanning_tree
from .tree_settings import DEFAULT_SETTINGS, Thickness, TreeSettings
from .voxels import blob_tree, denoise, voxel_nodes


def build_tree(
    points: np.ndarray,
    thickness: Thickness,
    *,
    voxel: float = DEFAULT_VOXEL,
    settings: TreeSettings = DEFAULT_SETTINGS,
    joint_scores: np.ndarray | None = None,
    silhouette: Silhouette | None = None,
) -> BoneTree:
    """One bone tree from a contracted cloud (N, 3), normalized frame; `voxel` in normalized units.

    `thickness((K, 3)) -> (K,)` is the object's local radius at those positions. A cloud with any
    extent gives at least a root and a child; a single point gives a lone root. `joint_scores`
    (N,) in [0, 1], a learned predictor's belief that a point lies at a joint, moves the joints
    inside chains (from bends and even splits) to the score's peaks within `score_reach`.
    `silhouette`, the figure's outline evidence in the same frame, keeps limbs that pruning by
    thickness alone would drop (step 3).
    """
    graph = BoneGraph(
        points, thickness, voxel=voxel, settings=settings, joint_scores=joint_scores, silhouette=silhouette
    )
    return graph.tree()


class BoneGraph:
    """A contracted cloud's cleaned spanning tree (steps 1-4 above), from which bone trees at any
    split length are cut (step 5). The pipeline needs the unsplit tree before it knows the split
    length (`core.figure`), and this way the voxels, the spanning tree and the pruning run once."""

    def __init__(
        self,
        points: np.ndarray,
        thickness: Thickness,
        *,
        voxel: float = DEFAULT_VOXEL,
        settings: TreeSettings = DEFAULT_SETTINGS,
        joint_scores: np.ndarray | None = None,
        silhouette: Silhouette | None = None,
    ) -> None:
        if not voxel > 0:
            raise ValueError(f"voxel must be positive, got {voxel}")
        pts = np.asarray(points, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[1] != 3:
            raise ValueError(f"points must have shape (N, 3), got {pts.shape}")
        finite = np.isfinite(pts).all(axis=1)
        scores = None if joint_scores is None else np.asarray(joint_scores, dtype=np.float64).reshape(-1)
        if scores is not None and len(scores) != len(finite):
            raise ValueError(f"joint_scores must have one value per point ({len(finite)}), got {len(scores)}")
        if not finite.all():
            pts = pts[finite]
            scores = None if scores is None else scores[finite]
        if len(pts) == 0:
            raise TopologyError(
                "no points to build a skeleton from: the contracted cloud is empty (or all NaN)"
            )

        def radius(positions: np.ndarray) -> np.ndarray:
            r = np.asarray(thickness(np.asarray(positions, dtype=np.float32)), dtype=np.float64)
            r = r.reshape(len(positions))
            return np.clip(np.nan_to_num(r, nan=0.0, posinf=0.0), 0.0, None)

        self.voxel, self.settings, self.silhouette, self._radius = voxel, settings, silhouette, radius
        self._blob: BoneTree | None = None
        nodes, mass = denoise(*voxel_nodes(pts, voxel), voxel, settings)
        if len(nodes) == 1:
            self._blob = blob_tree(pts, radius)
            return
        nodes, edges = spanning_tree(nodes, mass, voxel, settings, silhouette, radius)
        graph = PruningGraph(nodes, radius(nodes), edges)
        graph.clean(radius, voxel, settings, silhouette)
        if silhouette is not None:
            restore_protrusions(graph, silhouette, radius, voxel, settings)
        self._nodes, self._rad, edges = graph.compact()  # pruning always leaves two or more nodes
        graph = csgraph(self._nodes, edges)
        root = choose_root(graph, self._rad, edges, voxel, settings)
        self._chains = Chains(self._nodes, self._rad, graph, root, voxel, settings)
        self._node_scores = (
            None if scores is None else node_scores(self._nodes, pts, scores, settings.score_radius * voxel)
        )

    def tree(self, max_bone_voxels: float | None = None, *, scores: bool = True) -> BoneTree:
        """The bone tree with long bones split every `max_bone_voxels` (default: the settings'; 0 =
        never), its joints moved to the joint scores' peaks unless `scores` is False."""
        if self._blob is not None:
            return self._blob
        split = self.settings.max_bone_voxels if max_bone_voxels is None else max_bone_voxels
        positions, parents = self._chains.joints(split * self.voxel, self._node_scores if scores else None)
        return BoneTree(positions, parents, self._radius(positions))
