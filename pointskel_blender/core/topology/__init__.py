"""Topology: a contracted cloud becomes one clean bone tree with a central root.

The contracted cloud is a noisy set of thin curves with uneven density, blobs at junctions, short
spurs at corners and a few stray points. The steps, in order:

1. voxel nodes (`voxels`): points averaged per voxel; nodes with almost nothing around them are
   strays, and the rest are pulled across (never along) their local direction, which thins bands
   of scatter;
2. a Euclidean minimum spanning tree (`spanning`) over a k-nearest-neighbour graph of the nodes;
   pieces with a tiny share of the points are strays, the others are joined by their closest pairs
   into one tree; where two feet meet on the floor, the loop the legs close is broken at the
   floor contact (`floor`), not wherever the longest link fell, so each leg ends in its own foot;
3. spurs pruned (`pruning`: leaf branches that thin out and barely reach past the junction's own
   radius, and noise twigs) and junctions merged (branch points within about a thickness of each
   other); with the figure's silhouette (`core.silhouette`, read in `limbs`), a branch that reaches
   well past its junction's disc, for its own width, and leaves the body through a neck of the
   outline is a limb and stays, however thick the body (a plush bear's ears, a panda's short legs);
   where pruning would leave only feet on the floor, the highest spur stays (a fat body's trunk);
   then a limb the outline shows and no branch reaches (the contraction pulled a chunky dog's ears
   into its head) is given back as a branch on the same evidence, more strictly (`protrusions`);
4. the root chosen (`root`): the most central node of the tree, thickness counting too;
5. chains (`chains`: paths between the root, junctions and leaves) simplified into bones with
   Ramer-Douglas-Peucker and a minimum bone length, long bones split evenly (`simplify`); with
   joint scores from a learned predictor (`scores`), each inner joint then moves along its chain
   to the highest score nearby, since where an elbow sits on a straight arm is not in the
   geometry. Mirror pairs of chains (`core.mirror`) are simplified as one, so that both get their
   joints at the same places.

Lengths are in normalized units; `TreeSettings` gives most of them as multiples of the voxel size
or of the local thickness (the `thickness` callable, in the pipeline `LiftedShape.radius_at`).

`graph.BoneGraph` runs steps 1-4 once and cuts bone trees at any split length from them;
`build_tree` is one such tree. The result is a `BoneTree`; the knobs are `TreeSettings`.
"""
from __future__ import annotations

from .bone_tree import BoneTree, TopologyError
from .graph import BoneGraph, build_tree
from .tree_settings import DEFAULT_SETTINGS, Thickness, TreeSettings

__all__ = [
    "DEFAULT_SETTINGS",
    "BoneGraph",
    "BoneTree",
    "Thickness",
    "TopologyError",
    "TreeSettings",
    "build_tree",
]
