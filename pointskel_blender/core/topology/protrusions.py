"""Step 3b of the topology: limbs the outline shows and no branch reaches, given back to the tree.

The contraction can pull a small limb into the body it leaves (a chunky dog's ears, seen from the
side, end in the head's blob; a bird's beak in its head), and pruning can drop a branch the cloud
had; the outline still shows the limb. Every outline point lies about one radius from the medial
node nearest it (that radius is the distance to the outline); where the outline runs farther out
than that, by `limb_voxels` voxels or more, something sticks out of the tree's reach. Each run of
such outline points is one candidate, its tip the point farthest out. It becomes a branch only on
the evidence `limbs.limb_evidence` asks of a kept branch, and more strictly, since no cloud vouches
for it: it reaches past the nodes' discs by `restore_reach` × its own width, both where it leaves
the body (the outline run's ends apart) and across (the figure's thickness on the way, and
background on both sides halfway out), straight through the figure, and the outline turns inward
beside where it leaves (a concave point `limb_depth` × that reach deep). An ear, a tail, a beak or a
leg does; a square's corner reaches 0.4 of the body's radius, a limb the tree ends short of one
radius, a belly or a shoulder beside a thin tree is wider than it reaches, and the notch between
two legs has the figure on both sides. The new branch ends where the limb's medial axis
would (its half width short of the outline tip), nodes a voxel apart, from the node whose disc came
nearest (from the one behind it where that is a leaf: carrying a head's tip on into its beak lost the
head, and the anatomy's reading of a bird with it).
"""
from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from ..silhouette import Silhouette
from .tree_settings import Thickness, TreeSettings

_NODES = 24  # the nearest nodes each outline point is measured against


def restore_protrusions(
    graph, silhouette: Silhouette, radius: Thickness, voxel: float, settings: TreeSettings
) -> int:
    """Add a branch to `graph` (a `pruning.PruningGraph`) for each limb of the outline it does not
    reach; the number added."""
    outline = silhouette.outline
    alive = np.array(sorted(graph.alive))
    if len(alive) < 2 or not len(outline):
        return 0
    pos, rad = graph.pos[alive], graph.rad[alive]
    # How far each outline point lies beyond the union of the nodes' discs, and the node whose disc
    # comes nearest (not the nearest node: a thin arm's node is nearer the torso's side than the
    # spine's node whose disc reaches it).
    least = settings.limb_voxels * voxel
    nodes = cKDTree(pos[:, :2])
    dist, nearest = nodes.query(outline)
    excess = dist - rad[nearest]
    far = np.flatnonzero(excess >= least)  # only these can lie beyond every disc
    if len(far):
        dist, near = nodes.query(outline[far], k=min(_NODES, len(pos)))
        beyond = dist - rad[near]
        best = np.argmin(beyond, axis=1)
        excess[far] = beyond[np.arange(len(far)), best]
        nearest[far] = near[np.arange(len(far)), best]
    runs = silhouette.outline_runs(excess >= least)
    candidates = []
    for run, ends in runs:
        if len(ends) < 2:
            continue  # the outline all round, far from the tree: no limb leaving a body
        k = run[int(np.argmax(excess[run]))]
        base = float(np.max(np.linalg.norm(outline[ends][:, None] - outline[ends][None], axis=2)))
        candidates.append((float(excess[k]), k, base))
    added: list[np.ndarray] = []
    for reach, k, base in sorted(candidates, reverse=True):
        if reach < settings.restore_reach * base:
            continue  # wider where it leaves the body than it is long: a shoulder, a belly, no limb
        tip = outline[k]
        if added:
            new = np.vstack(added)
            if (np.linalg.norm(new[:, :2] - tip, axis=1) - radius(new)).min() < least:
                continue  # a branch given back just now reaches it
        node = int(alive[nearest[k]])
        path = _branch(graph, node, tip, reach, silhouette, radius, voxel, settings)
        if path is not None:
            added.append(path)
    return len(added)


def _branch(
    graph,
    node: int,
    tip: np.ndarray,
    reach: float,
    silhouette: Silhouette,
    radius: Thickness,
    voxel: float,
    settings: TreeSettings,
) -> np.ndarray | None:
    """The nodes of the branch from `node` to the outline point `tip`, if the evidence holds; grown."""
    centre, r_node = graph.pos[node], float(graph.rad[node])
    offset = tip - centre[:2]
    length = float(np.linalg.norm(offset))
    if length <= r_node:
        return None
    u = offset / length
    t = np.arange(r_node, length, 0.5 * voxel)
    samples = np.zeros((len(t), 3))
    samples[:, :2] = centre[:2] + t[:, None] * u
    samples[:, 2] = centre[2]
    if not len(t) or not silhouette.inside(samples).all():
        return None  # it bends away, or reaches across background: no straight limb there
    width = 2.0 * float(radius(samples).max())
    if reach < max(settings.restore_reach * width, settings.limb_voxels * voxel):
        return None
    side = np.array([-u[1], u[0]])
    middle = tip - u * (0.5 * reach)
    room = width + voxel
    if max(silhouette.run_inside(middle, side, room), silhouette.run_inside(middle, -side, room)) >= room:
        return None  # the figure runs on beside it: a notch between legs, a belly, not a limb of its own
    if not silhouette.concave_near(centre, settings.limb_neck * r_node + voxel, u,
                                   depth=settings.limb_depth * reach):
        return None
    # A leaf's own tip stays a tip (a head's beside its beak or ear): the branch hangs from the node behind.
    anchor = next(iter(graph.adj[node])) if len(graph.adj[node]) == 1 else node
    start = graph.pos[anchor]
    end = tip - u * min(0.5 * width, 0.5 * reach)
    span = float(np.linalg.norm(end - start[:2]))
    steps = max(1, int(np.ceil(span / voxel)))
    f = np.arange(1, steps + 1)[:, None] / steps
    nodes = np.zeros((steps, 3))
    nodes[:, :2] = start[:2] + f * (end - start[:2])
    nodes[:, 2] = start[2]
    graph.grow(anchor, nodes, radius(nodes))
    return nodes
