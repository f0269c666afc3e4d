"""Silhouette evidence in pruning: whether a branch that thickness alone would call a spur is a limb."""
from __future__ import annotations

import numpy as np

from ..silhouette import Silhouette
from .tree_settings import TreeSettings

_BEYOND = 4.0  # voxels (+ the tip's radius): how far past a branch's tip the outline is looked for


def limb_evidence(
    pos: np.ndarray,
    rad: np.ndarray,
    path: list[int],
    silhouette: Silhouette,
    voxel: float,
    settings: TreeSettings,
) -> bool:
    """Whether the leaf branch `path` (junction first) is a limb by the silhouette's evidence.

    It must protrude: its tip's disc (or the outline past its tip) reaches past the junction's
    disc, or past the neck it leaves the body through (`_beyond_neck`), by `limb_reach` × its own
    width (twice the median radius of its nodes outside that disc; its tip's where a leg standing
    on the floor ends inside it) and by `limb_voxels` voxels; and the outline must turn inward
    beside where it leaves: a concave point within `limb_neck` × the junction's radius (+ a voxel)
    of the junction, within 80 degrees of the branch's direction, inside the outline's convex hull
    by `limb_depth` × the reach past the disc, or half the limb's width (a short thin tail on a
    round rump leaves a shallow neck for its length). A junction's disc touches the outline where
    its branches part, so a limb's neck lies on it; the twig into a square's corner or a bump of a
    ragged outline has none that deep.
    """
    junction, tip = path[0], path[-1]
    centre, r_junction = pos[junction], rad[junction]
    dist = np.linalg.norm(pos[path] - centre, axis=1)
    outside = np.flatnonzero(dist > r_junction)
    if not len(outside):
        # A short thick leg under a wide body contracts into the body's disc: on the floor, the
        # outline past its tip tells whether it is a leg (elsewhere such a stub is the body's own).
        if pos[tip, 1] - rad[tip] - silhouette.bottom > settings.floor_voxels * voxel:
            return False
        outside = np.array([len(path) - 1])
    # The tip node stops short of the outline by about its radius, by more where the samples ran
    # thin (which side of a figure they thin on is chance: a mirrored picture lost its horse's ear):
    # the branch protrudes as far as the figure runs on past the tip, in the tip's direction. The
    # neck it needs stays in proportion to what its nodes reach.
    reach = dist[-1] + rad[tip] - r_junction
    ahead = pos[tip, :2] - pos[path[max(len(path) - 4, 0)], :2]
    beyond = silhouette.run_inside(pos[tip], ahead, _BEYOND * voxel + rad[tip])
    end = pos[tip, :2] + beyond * ahead / max(float(np.linalg.norm(ahead)), 1e-12)
    protrusion = max(reach, float(np.linalg.norm(end - centre[:2])) - r_junction)
    width = 2.0 * float(np.median(rad[np.array(path)[outside]]))
    radius = settings.limb_neck * r_junction + voxel
    need = max(settings.limb_reach * width, settings.limb_voxels * voxel)
    if protrusion < need and _beyond_neck(silhouette, centre[:2], radius, end, width) < need:
        return False
    base = pos[path[outside[0]]]
    depth = min(settings.limb_depth * max(reach, 0.0), 0.5 * width)
    return silhouette.concave_near(centre, radius, base - centre, depth=depth)


def _beyond_neck(
    silhouette: Silhouette, centre: np.ndarray, radius: float, end: np.ndarray, width: float
) -> float:
    """How far the outline point `end` lies past the neck the limb leaves the body through: the
    concave outline points within `radius` of the junction `centre`, ahead of it and within `width`
    of the line from it to `end`, the farthest along that line (0 without one) but half the limb's
    width or more short of its end (nearer, the notch between two paws beside it). A short thick
    leg under a wide body reaches little past the junction's disc, which spans the body, but well
    past its armpit (a hind leg's other side runs on into the rump without a neck)."""
    line = end - centre
    length = float(np.linalg.norm(line))
    if length == 0.0 or not len(silhouette.concave):
        return 0.0
    u = line / length
    offsets = silhouette.concave - centre
    along = offsets @ u
    across = offsets @ np.array([-u[1], u[0]])
    near = (np.linalg.norm(offsets, axis=1) <= radius) & (np.abs(across) <= width) & (along > 0.0)
    near &= along <= length - 0.5 * width  # nearer its end: a notch beside it (between two paws)
    if not near.any():
        return 0.0
    return length - float(along[near].max())
