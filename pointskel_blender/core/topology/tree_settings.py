"""The knobs of the topology, most of them multiples of the voxel size or of the local thickness."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..mirror import MIRROR_TOLERANCE
from ..settings import DEFAULT_BONE_VOXELS

Thickness = Callable[[np.ndarray], np.ndarray]  # (K, 3) positions -> (K,) local radius, normalized units


@dataclass(frozen=True)
class TreeSettings:
    """Knobs of `build_tree`. "× voxel" and "× thickness" are multiples of the voxel size / local radius."""

    min_voxel_share: float = 0.1  # nodes with fewer points around them than this × the median are strays
    min_piece_share: float = 0.02  # detached pieces with less than this share of all points are outliers
    link: float = 3.0  # × voxel: the widest gap between nodes of one piece of cloud
    smooth: float = 2.0  # × voxel: radius of the neighbourhood that finds strays and thins bands
    smooth_steps: int = 2  # times each node moves to its neighbourhood's mean
    neighbours: int = 8  # k of the k-nearest-neighbour graph the spanning tree is taken from
    spur: float = 2.5  # × thickness: a thinning leaf branch with length + tip radius under this is a spur
    spur_voxels: float = 2.0  # × voxel: leaf branches shorter than this are spurs whatever the thickness
    widen: float = 0.1  # × thickness: a branch whose tip is this much thicker than its junction is no spur
    # With the silhouette, a would-be spur is a limb when it reaches past its junction's disc by this
    # × its own width (2 × its median radius there) and by `limb_voxels` × voxel, and the outline is
    # concave within `limb_neck` × the junction's radius (+ a voxel) of the junction, on the branch's
    # side, by a convexity defect at least `limb_depth` × that reach deep. On a development set (100
    # synthetic characters and 40 chunky ones, seed 777) a longer minimum reach trades limb tips for
    # fewer extra tips and raises CD-J2J (limb_voxels 2 / 3 / 4 / 5: 5.04 / 5.09 / 5.18 / 5.23).
    limb_reach: float = 0.5
    limb_voxels: float = 2.0
    limb_neck: float = 1.3
    limb_depth: float = 0.4
    # A limb the outline shows and the tree does not reach (`protrusions`) is given back when it reaches
    # past the nodes' discs by this × its own width (at its base and across), with the neck above. On the
    # development sets (40 synthetic characters and 30 chunky ones, seeds 777/778, front and side views)
    # 1.0 / 1.5 / 2.0 gave tip recall 0.653 / 0.652 / 0.654 and 0.767 / 0.760 / 0.752, precision 0.711 /
    # 0.714 / 0.717 and 0.936 / 0.940 / 0.948; without the step 0.645 and 0.734, precision 0.722 and 0.948.
    # Stop 16, with limbs judged past their necks: 2.0 -> 1.5 gave a chunky quadruped's short ears and
    # tails back (tip recall 0.855 -> 0.863 on 30 chunky dev figures and 0.827 -> 0.853 on 40 others,
    # seed 31337; precision -0.004 / -0.001), the 40 synthetic dev figures unchanged (0.697, 0.737 -> 0.735).
    restore_reach: float = 1.5
    floor_voxels: float = 2.0  # × voxel: a node whose disc comes this near the figure's bottom stands on it
    merge: float = 1.0  # × thickness: junctions closer than this (along the tree) become one
    simplify: float = 0.5  # × thickness: Ramer-Douglas-Peucker tolerance of a chain
    simplify_voxels: float = 1.0  # × voxel: the tolerance is at least this
    min_bone: float = 1.0  # × thickness: shortest bone in a chain; a root this near a junction moves onto it
    min_bone_voxels: float = 2.0  # × voxel: ... and at least this long
    max_bone_voxels: float = DEFAULT_BONE_VOXELS  # × voxel: longer bones are split evenly (0 = never)
    # With joint scores (a learned predictor's), a chain's inner joints move to nearby score peaks:
    score_radius: float = 1.5  # × voxel: a node's joint score is the mean over the points this near
    score_reach: float = 1.0  # × voxel: how far along the chain a joint may move to a higher score
    root_thickness: float = 1.0  # root = the node minimizing eccentricity - root_thickness × thickness
    mirror_tolerance: float = MIRROR_TOLERANCE  # fraction of the figure's size (see core.mirror)


DEFAULT_SETTINGS = TreeSettings()
