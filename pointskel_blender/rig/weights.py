"""Skin weights fit for export: each vertex only on its own body part, at most 4 bones, normalized.

Pure numpy/scipy (no `bpy`). Blender's bone heat gives good weights but lets parts that only touch in
the silhouette pull each other (a tail lying against a leg, an arm against the chest). The mesh is
built from the image, so each vertex can be told which part it belongs to from the image itself: the
bone it is nearest to *inside the silhouette* (geodesic, so a tail pixel touching a leg is still far
from the leg's bone), less that bone's thickness (a chest pixel by the armpit belongs to the thick
chest, not the thin arm). A vertex may then keep weights only of its region's bones and of the bone
its region hangs from (so a shoulder still blends into the chest).

A limb's first bone still owns only the mesh near where the limb leaves the body (`limb_sockets`,
`keep_limbs_off_the_body`): a clavicle lies inside the chest, so bone heat and the labels give it a wide
patch of torso that a shrug would drag along; deeper than the limb's thickness inside the body its
weight goes to the bone the limb hangs from, fading smoothly so the armpit still blends. A thigh starts
at its hip socket, beside the hips' centre line: the pelvis between the socket and that line (down to
the crotch) fades to the hips as well, so turning one leg leaves the middle of the body still.

A part that hangs off the body (a limb, an ear, a tail) owns its own vertices past its socket
(`own_past_the_socket`): the bone it hangs from blends in only by the socket, so turning the part
turns all of it even where bone heat cannot see the part's bones from its mesh.

A head that sits on the body (a plush's, a chibi's) meets it along the labels' stair-stepped border with
no bone shared across it: the weights are feathered across the head's and the neck's seams
(`feather_the_neck`). The body under the neck ends where the head begins: what of it lies in the head
bone's ball is the head's (`heads_over_the_body`), so no face is feathered into the chest. A neck and
head in front of the body (a quadruped seen from the front, whose spine is a point in the picture as
thick as the body) own what lies within their thickness (`front_heads`), and a head seen end-on all of
itself out to its ears (`head_reaches`), none of it shared with its neck (`whole_heads`).

A bone the picture does not show (a hidden joint's, `skeleton.Joint.hidden`) owns no flesh: it is left
out of the bones `shown_bones` lets label and heat the mesh. A front view bird's tail behind its body took
a few belly vertices nearest inside the silhouette (bone heat gave them 0.1-0.3), so posing the tail
dragged the belly. A side view's far copy of a lone limb lies exactly behind its near twin: given the
mesh's back half there, lifting the near limb parted the slab's two faces (a stub foot's by 37 % of the
height) and left a ghost of the near wing on the body. The bone still carries what hangs from it, and an
animator's own mesh for it.

Regions: runs of bones of one body part and side; without parts, runs of connected bones (a side
branch starts a new region). Where a limb in front covers another of its part (a side view's near and
far legs), the covered pixels are the front limb's (`front_limbs`, `label_vertices`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from ..core.settings import DEFAULT_MAX_INFLUENCES

# The geodesic labels are computed on the mask shrunk to about this many pixels along its longest side.
_LABEL_SIDE = 256
# Body parts whose first bone is kept off the body beyond its socket (see `limb_sockets`).
LIMB_PARTS = ("arm", "leg", "front_leg", "hind_leg", "wing", "limb", "fin")
# Parts that hang off the body and own their mesh past their socket (`own_past_the_socket`).
HANGING_PARTS = LIMB_PARTS + ("ear", "tail")
# Parts whose bones label the mesh with their thinner end's radius (`label_radii`): they start inside
# a thicker body.
_THINNER_END_PARTS = LIMB_PARTS + ("neck",)
# How deep inside the body, in limb radii at its socket, a limb's first bone's weight fades out.
_SOCKET_REACH = 2.0
# The body owns what lies past this share of the way from a socket to the line of the bone the limb
# hangs from (the chest's or the hips' centre line).
_MIDLINE_REACH = 0.75
# A head's seam with the body is feathered over this share of the head bone's length (`feather_the_neck`).
_NECK_FEATHER = 0.15
# ... mixing the weights of this many nearest vertices across it (one alone gave ripples).
_FEATHER_NEIGHBOURS = 8
# Parts whose flesh beyond their bones' thickness (a skirt's over a thigh) only partly follows them
# (`drape_over_the_legs`).
DRAPED_PARTS = ("leg",)
# ... past the bones' thickness by this many of their radii, all of it (none at their thickness).
_DRAPE_RAMP = 0.5
# ... at most this share of it, at the end of the limb's first bone (none at its socket).
_DRAPE_FOLLOWS = 0.5
# ... down to the first bone's length times the first of these from its head (by the knee), none at the
# second (down the shin).
_DRAPE_DOWN = (1.2, 1.6)
# ... its seam with the hips' cloth feathered over this many of the leg's first bone's radii.
_DRAPE_FEATHER = 2.0
# Normalized units: a limb this much nearer the viewer than another of its part is in front of it.
_DEPTH_GAP = 0.01


@dataclass(frozen=True)
class Regions:
    of_bone: np.ndarray  # (B,) region index of each bone
    attach: np.ndarray  # (R,) the bone each region hangs from, -1 for the root's region


def bone_regions(parents: np.ndarray, connected: np.ndarray, parts: list[str], sides: list[str]) -> Regions:
    """A bone starts a new region unless it continues its parent's bone (connected, same part and side)."""
    of_bone = np.empty(len(parents), dtype=np.intp)
    attach: list[int] = []
    for b, p in enumerate(parents):  # parents come first
        if p >= 0 and connected[b] and (parts[b], sides[b]) == (parts[p], sides[p]):
            of_bone[b] = of_bone[p]
        else:
            of_bone[b] = len(attach)
            attach.append(int(p))
    return Regions(of_bone, np.array(attach, dtype=np.intp))


def allowed_bones(vertex_bone: np.ndarray, regions: Regions, shown: np.ndarray | None = None) -> np.ndarray:
    """(V, B) bool: the bones of each vertex's region and the bone that region hangs from, of the
    `shown` bones (all by default; see `shown_bones`)."""
    own = regions.of_bone[vertex_bone]  # (V,)
    allowed = regions.of_bone[None, :] == own[:, None]
    hang = regions.attach[own]
    rows = np.flatnonzero(hang >= 0)
    allowed[rows, hang[rows]] = True
    if shown is not None:
        allowed &= np.asarray(shown, dtype=bool)[None, :]  # a vertex's own bone is shown (`label_vertices`)
    return allowed


def whole_heads(allowed: np.ndarray, vertex_bone: np.ndarray, regions: Regions,
                reaches: np.ndarray) -> np.ndarray:
    """`allowed` without the bone a head hangs from (its neck) on the vertices of a head that reaches out
    to its ears (`head_reaches`): bone heat shared a head seen end-on with its neck, a point beside it
    in the picture, and a turned head left half the crown between its ears behind (the seam with the
    neck is blended after, `feather_the_neck`)."""
    out = np.array(allowed, dtype=bool)
    for head in np.flatnonzero(np.asarray(reaches) > 0):
        hang = regions.attach[regions.of_bone[head]]
        rows = np.flatnonzero(vertex_bone == head)
        if hang >= 0 and rows.size:
            out[rows, hang] = False
    return out


def shown_bones(heads: np.ndarray, tails: np.ndarray, radii: np.ndarray, vertices: np.ndarray,
                toward_viewer: np.ndarray) -> np.ndarray:
    """(B,) bool: the bones the picture's mesh shows, all but those wholly behind its back surface.

    A quadruped seen from the front stands on hind legs behind its front legs and its back runs away
    from the viewer (`core.anatomy.hind_legs`): the image mesh is the front of the animal, so bones a
    body's length behind it own none of its vertices (they had owned the front legs' and chest's, which
    a hind leg's pose then dragged a metre back); they still move it through their children.
    """
    toward = np.asarray(toward_viewer, dtype=np.float64)
    back = float((np.asarray(vertices) @ toward).min())
    front_end = np.maximum(np.asarray(heads) @ toward, np.asarray(tails) @ toward)
    return front_end >= back - np.asarray(radii)


def _shrink(mask: np.ndarray, factor: int) -> np.ndarray:
    if factor == 1:
        return mask.copy()
    h, w = mask.shape
    padded = np.zeros((-(-h // factor) * factor, -(-w // factor) * factor), dtype=np.float32)
    padded[:h, :w] = mask
    blocks = padded.reshape(padded.shape[0] // factor, factor, padded.shape[1] // factor, factor)
    return blocks.mean(axis=(1, 3)) >= 0.5


def _pixel_graph(inside: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(from, to, length) of the 8-neighbour edges between inside pixels, both directions."""
    ids = np.full(inside.shape, -1, dtype=np.int64)
    ids[inside] = np.arange(np.count_nonzero(inside))
    sources, targets, lengths = [], [], []
    for dy, dx, length in ((0, 1, 1.0), (1, 0, 1.0), (1, 1, np.sqrt(2.0)), (1, -1, np.sqrt(2.0))):
        h, w = ids.shape
        a = ids[: h - dy, max(0, -dx): w - max(0, dx)]
        b = ids[dy:, max(0, dx): w - max(0, -dx)]
        both = (a >= 0) & (b >= 0)
        sources += [a[both], b[both]]
        targets += [b[both], a[both]]
        lengths += [np.full(2 * both.sum(), length)]
    return np.concatenate(sources), np.concatenate(targets), np.concatenate(lengths)


def front_limbs(regions: Regions, parts: list[str],
                depths: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(front bones, bones behind them) for every body part with one limb in front of another.

    A region is in front of another of the same part when its bones' mean depth is greater by
    `_DEPTH_GAP` (the anatomy puts a side view's near limbs toward the viewer, the far ones away);
    bones without a part are left out (their depths are the medial axis's, not a near and a far side).
    """
    bones_of = [np.flatnonzero(regions.of_bone == r) for r in range(len(regions.attach))]
    depth = [float(np.mean(np.asarray(depths)[bones])) for bones in bones_of]
    part = [parts[bones[0]] for bones in bones_of]
    out = []
    for front, bones in enumerate(bones_of):
        behind = [bones_of[r] for r in range(len(bones_of))
                  if part[front] and part[r] == part[front] and depth[r] < depth[front] - _DEPTH_GAP]
        if behind:
            out.append((bones, np.concatenate(behind)))
    return out


def heat_counterparts(fronts: list[tuple[np.ndarray, np.ndarray]], segments: np.ndarray,
                      count: int) -> np.ndarray:
    """(B,) for each bone of a limb behind another (`front_limbs`), the front limb's bone nearest it in
    the picture (segment midpoints, the same pixels as `segments`); -1 for every other bone.

    The picture gives a side view's near leg all of the shape the two legs share (`label_vertices`), but
    the mesh is as thick as the body there and bone heat gives its back face, beside the far leg's
    bones, to the far leg. Limited to the near leg's bones, the little heat left there was noise (a
    plush's sole 0.8 on its thigh fanned out when the leg bent): the far bone's heat tells where along
    the leg a vertex is, and goes to the near bone there (`skin`)."""
    out = np.full(count, -1, dtype=np.intp)
    middle = np.asarray(segments, dtype=np.float64).mean(axis=1)
    for front, behind in fronts:
        front = np.asarray(front)
        for b in behind:
            out[b] = front[int(np.argmin(np.linalg.norm(middle[front] - middle[b], axis=1)))]
    return out


def front_heads(parts: list[str], depths: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(neck and head bones, body bones behind them) where the neck and head are nearer the viewer than
    the body's bones (`_DEPTH_GAP`; the spine, pelvis and tail), else none.

    A quadruped seen from the front holds its head in front of its body, whose spine runs away from
    the viewer and so is a point in the picture, as wide as the body: less that thickness it was
    nearer every pixel of the face than the head's own bone, and turning the head left the face on
    the body (`label_vertices` gives the head what lies within its thickness of its bones)."""
    depths = np.asarray(depths, dtype=np.float64)
    part = np.asarray(parts, dtype=object)
    front = np.flatnonzero(np.isin(part, ("neck", "head")))
    behind = np.flatnonzero(np.isin(part, ("spine", "pelvis", "tail")))
    if not front.size or not behind.size or depths[front].mean() < depths[behind].mean() + _DEPTH_GAP:
        return []
    return [(front, behind)]


def head_reaches(parents: np.ndarray, parts: list[str], segments: np.ndarray,
                 radii: np.ndarray) -> np.ndarray:
    """(B,) how far a head bone's own mesh reaches in the picture from the head's base: out to where the
    parts hanging from it (ears, horns) leave it, each past its socket by its own thickness (`radii`,
    the same pixels as `segments`); 0 for every other bone.

    A head seen end-on (a quadruped's from the front, `front_heads`) is a point in the picture, and its
    thickness there is the face's middle only: the bear's face to its sides and its crown between the
    ears stayed on the chest and the neck, and a turned head sheared the face and tore the ears off at
    their roots. The ears sit on the head, so what lies between the head bone and them is head."""
    segments = np.asarray(segments, dtype=np.float64)
    out = np.zeros(len(parents))
    for child, parent in enumerate(parents):
        if parent < 0 or parts[parent] != "head" or parts[child] == "head":
            continue
        way = segments[child, 0] - segments[parent, 0]
        out[parent] = max(out[parent], float(np.linalg.norm(way)) + float(radii[child]))
    return out


class _Geodesic:
    """Shortest paths inside the (shrunk) mask from bone seeds: each pixel's nearest bone, less its
    thickness, and that cost."""

    def __init__(self, mask: np.ndarray) -> None:
        factor = max(1, int(np.ceil(max(mask.shape) / _LABEL_SIDE)))
        inside = _shrink(np.asarray(mask, dtype=bool), factor)
        if not inside.any():
            inside = _shrink(np.asarray(mask, dtype=bool), 1)
            factor = 1
        self.factor, self.shape = factor, inside.shape
        self.count = int(np.count_nonzero(inside))
        self.ids = np.full(inside.shape, -1, dtype=np.int64)
        self.ids[inside] = np.arange(self.count)
        # Every pixel's nearest inside pixel, for seeds and vertices that fall just outside the mask.
        _, self.nearest = ndimage.distance_transform_edt(~inside, return_indices=True)
        self.edges = _pixel_graph(inside)

    def node_at(self, xy: np.ndarray) -> np.ndarray:
        h, w = self.shape
        c = np.clip((xy[:, 0] / self.factor).astype(np.intp), 0, w - 1)
        r = np.clip((xy[:, 1] / self.factor).astype(np.intp), 0, h - 1)
        return self.ids[self.nearest[0][r, c], self.nearest[1][r, c]]

    def nearest_bone(self, segments: np.ndarray, radii: np.ndarray, bones: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
        """(labels, costs) per pixel node from the seeds of `bones` only (-1 and inf where none reaches)."""
        count, factor = self.count, self.factor
        seed_nodes, seed_bones, seed_costs = [], [], []
        reach = radii.max() / factor
        for b in bones:
            head, tail = segments[b]
            steps = max(2, int(np.ceil(np.linalg.norm(tail - head) / factor * 2)) + 1)
            nodes = np.unique(self.node_at(head + np.linspace(0.0, 1.0, steps)[:, None] * (tail - head)))
            seed_nodes.append(nodes)
            seed_bones.append(np.full(nodes.size, b))
            seed_costs.append(np.full(nodes.size, reach - radii[b] / factor))
        nodes, owners, costs = (np.concatenate(v) for v in (seed_nodes, seed_bones, seed_costs))
        order = np.lexsort((costs, nodes))  # per node, its cheapest bone first
        first = np.ones(order.size, dtype=bool)
        first[1:] = nodes[order][1:] != nodes[order][:-1]
        nodes, owners, costs = nodes[order][first], owners[order][first], costs[order][first]
        a, b, length = self.edges
        source = count  # a super source joined to every seed by the seed's cost
        graph = coo_matrix((np.concatenate([length, costs + 1e-6]),
                            (np.concatenate([a, np.full(nodes.size, source)]), np.concatenate([b, nodes]))),
                           shape=(count + 1, count + 1)).tocsr()
        distance, predecessors = dijkstra(graph, directed=True, indices=source, return_predecessors=True)
        ancestor = predecessors.astype(np.int64)
        ancestor[ancestor < 0] = np.arange(count + 1)[ancestor < 0]  # the source and unreachable pixels
        # A seed starts its own path only where its own cost is its shortest (the source is its
        # predecessor); a seed of a thin bone reached cheaper from a thick one's (a neck's inside the
        # chest) is the thick bone's, like any pixel there.
        ancestor[ancestor == source] = np.flatnonzero(ancestor == source)
        while True:  # pointer jumping up to each pixel's seed
            jumped = ancestor[ancestor]
            if np.array_equal(jumped, ancestor):
                break
            ancestor = jumped
        bone_of_seed = np.full(count + 1, -1, dtype=np.intp)
        bone_of_seed[nodes] = owners
        return bone_of_seed[ancestor[:count]], distance[:count]


def label_vertices(mask: np.ndarray, segments: np.ndarray, radii: np.ndarray, vertices: np.ndarray,
                   fronts: list[tuple[np.ndarray, np.ndarray]] = (), shown: np.ndarray | None = None,
                   heads: list[tuple[np.ndarray, np.ndarray]] = (), reaches: np.ndarray | None = None
                   ) -> np.ndarray:
    """(V,) index of the bone each vertex belongs to: nearest inside the mask, less the bone's radius.

    `mask` is (h, w) bool; `segments` (B, 2, 2) bone heads and tails, `radii` (B,) and `vertices` (V, 2)
    are in the same pixels as the mask (x right, y down). `fronts` (see `front_limbs`): where a limb in
    front overlaps one behind it the picture shows the front one, so a pixel of the limb behind goes to
    the limb in front unless it is nearer the limb behind by more than the front limb's half width (its
    bones' median radius): only what shows of the limb behind stays its own. Where two legs leave the
    body as one shape (one medial line for both), all of that shape is the front leg's. `heads` (see
    `front_heads`): a pixel of the body behind a neck and head within one of their bones' thickness of
    it is theirs, and a pixel of the body or the neck within a head bone's reach (`reaches`, see
    `head_reaches`) of it is the head's. Only the `shown` bones (all by default; `shown_bones`) label
    anything.
    """
    segments = np.asarray(segments, dtype=np.float64)
    radii = np.asarray(radii, dtype=np.float64)
    seeds = np.arange(len(segments)) if shown is None else np.flatnonzero(shown)
    geodesic = _Geodesic(mask)
    labels, costs = geodesic.nearest_bone(segments, radii, seeds)
    if len(fronts):
        front_labels, front_costs = geodesic.nearest_bone(
            segments, radii, np.concatenate([front for front, _ in fronts]))
        for front, behind in fronts:
            margin = float(np.median(radii[front])) / geodesic.factor
            taken = np.isin(labels, behind) & np.isin(front_labels, front) & (front_costs <= costs + margin)
            labels = np.where(taken, front_labels, labels)
    for front, behind in heads:  # a head in front of the body: what lies within its thickness is its own
        head_labels, head_costs = geodesic.nearest_bone(segments, radii, front)
        taken = np.isin(labels, behind) & (head_costs <= radii.max() / geodesic.factor)
        labels = np.where(taken, head_labels, labels)
        for head in (front if reaches is not None else ()):
            if reaches[head] <= radii[head]:
                continue
            base = segments.copy()
            base[head, 1] = base[head, 0]  # round the head's base, where the ears' sockets are measured from
            _, own = geodesic.nearest_bone(base, radii, np.array([head]))
            within = own - (radii.max() - radii[head]) / geodesic.factor <= reaches[head] / geodesic.factor
            labels = np.where(within & np.isin(labels, np.concatenate([behind, front])), head, labels)
    vertices = np.asarray(vertices, dtype=np.float64)
    out = labels[geodesic.node_at(vertices)]
    if (out < 0).any():  # a pixel island no seed reaches: its nearest bone head
        lost = np.flatnonzero(out < 0)
        centres = segments[seeds].mean(axis=1)
        out[lost] = seeds[np.argmin(np.linalg.norm(vertices[lost, None, :] - centres[None], axis=-1), axis=1)]
    return out


def parts_from_their_sockets(vertex_bone: np.ndarray, vertices: np.ndarray, segments: np.ndarray,
                             regions: Regions, parts: list[str], hanging: tuple[str, ...] = ("ear", "tail")
                             ) -> np.ndarray:
    """`vertex_bone` with each ear and tail starting at its socket: a vertex of the bone it hangs from
    that lies past the socket (ahead of the part's first joint along its first bone) and nearer the
    part's bones than that bone is the part's (its first bone's), and a vertex of the part that lies
    short of the socket is the bone's it hangs from. `vertices` (V, 2) and `segments` (B, 2, 2) in the
    same pixels.

    Nearest less its thickness, a head took the wide root of an ear beside it (a sitting cat's rear ear
    kept only its tip, and turned without its root) and the other ear took a wedge of the face down to
    the eye (turning it dragged the cheek)."""
    out = np.array(vertex_bone, dtype=np.intp)
    v = np.asarray(vertices, dtype=np.float64)
    segments = np.asarray(segments, dtype=np.float64)
    for region, hang in enumerate(regions.attach):
        bones = np.flatnonzero(regions.of_bone == region)
        first = int(bones[0])
        if hang < 0 or parts[first] not in hanging:
            continue
        socket, way = segments[first, 0], segments[first, 1] - segments[first, 0]
        if float(way @ way) <= 0:
            continue
        ahead = (v - socket) @ way > 0
        to_part = np.min([_distances(v, *segments[b]) for b in bones], axis=0)
        mine = np.isin(vertex_bone, bones)
        out[(vertex_bone == hang) & ahead & (to_part < _distances(v, *segments[hang]))] = first
        out[mine & ~ahead] = hang
    return out


def heads_over_the_body(vertex_bone: np.ndarray, vertices: np.ndarray, segments: np.ndarray,
                        regions: Regions, parts: list[str]) -> np.ndarray:
    """`vertex_bone` with a head (a region hanging from a neck) owning the vertices of the body under
    the neck (the region the neck hangs from) that lie in the ball the head bone spans (a skull about
    as wide as it is long). `vertices` (V, 2) and `segments` (B, 2, 2) in the same pixels.

    The body ends where the head begins: a heavy person's head sits on its raised shoulders with no
    neck drawn, and the thick chest, nearest less its thickness (the head's is its chin's, thin),
    claimed the lower sides of the face: a turned head left them behind, and the seam's feathering
    (`feather_the_neck`) gave the chest's weights on to the rest of the face."""
    out = np.array(vertex_bone, dtype=np.intp)
    v = np.asarray(vertices, dtype=np.float64)
    segments = np.asarray(segments, dtype=np.float64)
    for region, neck in enumerate(regions.attach):
        if neck < 0 or parts[neck] != "neck" or regions.attach[regions.of_bone[neck]] < 0:
            continue
        head = int(np.flatnonzero(regions.of_bone == region)[0])
        body = np.flatnonzero(regions.of_bone == regions.of_bone[regions.attach[regions.of_bone[neck]]])
        centre, size = segments[head].mean(axis=0), np.linalg.norm(segments[head, 1] - segments[head, 0])
        out[np.isin(out, body) & (np.linalg.norm(v - centre, axis=1) <= 0.5 * size)] = head
    return out


def _distances(points: np.ndarray, head: np.ndarray, tail: np.ndarray) -> np.ndarray:
    """(N,) each point's distance to the segment head-tail."""
    ab = tail - head
    t = np.clip((points - head) @ ab / max(float(ab @ ab), 1e-18), 0.0, 1.0)
    return np.linalg.norm(points - (head + t[:, None] * ab), axis=1)


def label_radii(head_radii: np.ndarray, tail_radii: np.ndarray, parts: list[str]) -> np.ndarray:
    """The thickness each bone labels the mesh with (`label_vertices`): its head joint's radius, but a
    limb's or neck's bone's thinner end's. A clavicle's head lies inside the chest (a limb's first
    joint, where the tree leaves the body, often does), so its radius is the body's: less that
    thickness, the clavicle claimed the chest's side down to a dress's hem, and a cup's handle half the
    saucer. A neck starts at the chest's top joint, as wide as the shoulders: it claimed the shoulders
    and the chin, and a turned neck dragged the chest's top along and cut the head across its middle."""
    head, tail = np.asarray(head_radii, np.float64), np.asarray(tail_radii, np.float64)
    thinner = np.isin(np.asarray(parts, dtype=object), _THINNER_END_PARTS)
    return np.where(thinner, np.minimum(head, tail), head)


def envelope_weights(vertices: np.ndarray, heads: np.ndarray, tails: np.ndarray, radii: np.ndarray,
                     allowed: np.ndarray | None = None) -> np.ndarray:
    """(V, B) weights from the distance to each bone segment, falling off over twice its radius.

    A vertex beyond every envelope is given wholly to its nearest (allowed) bone, so no vertex is left
    unweighted. Rows are not yet limited or normalized (`finish` does that).
    """
    v = np.asarray(vertices, dtype=np.float64)[:, None, :]
    a, b = np.asarray(heads, np.float64)[None], np.asarray(tails, np.float64)[None]
    ab = b - a
    t = np.clip(np.sum((v - a) * ab, axis=-1) / np.maximum(np.sum(ab * ab, axis=-1), 1e-18), 0.0, 1.0)
    distance = np.linalg.norm(v - (a + t[..., None] * ab), axis=-1)
    if allowed is not None:
        distance = np.where(allowed, distance, np.inf)
    reach = 2.0 * np.maximum(np.asarray(radii, np.float64), 1e-9)[None]
    weights = np.clip(1.0 - distance / reach, 0.0, 1.0) ** 2
    orphans = np.flatnonzero(weights.max(axis=1) <= 0)
    weights[orphans, np.argmin(distance[orphans], axis=1)] = 1.0
    return weights


@dataclass(frozen=True)
class Socket:
    """Where a limb leaves the body: its first bone's weight fades out `reach` deep along `inward`."""

    bone: int  # the limb's first bone
    hang: int  # the bone the limb hangs from, which takes the faded weight
    point: np.ndarray  # (3,) the socket
    inward: np.ndarray  # (3,) unit direction from the socket into the body
    radius: float  # the limb's thickness at the socket
    reach: float
    # (3,) from the socket to the centre line of the bone it hangs from, across the picture (a hip
    # socket beside the hips' line); None where the limb starts on that line or runs to it (a clavicle)
    midline: np.ndarray | None = None
    beyond: int = -1  # the bone starting at the socket after a clavicle (an upper arm), else -1


def limb_sockets(regions: Regions, parents: np.ndarray, parts: list[str], heads: np.ndarray,
                 tails: np.ndarray, radii: np.ndarray, view_axis: np.ndarray | None = None,
                 hanging: tuple[str, ...] = LIMB_PARTS) -> list[Socket]:
    """The socket of every region of the `hanging` parts (limbs) hanging from another bone.

    An arm starts with its clavicle (the contract's `shoulder`), which runs inside the chest to the
    shoulder socket, so an arm's socket is its second bone's head; other limbs (a thigh) start at the
    socket itself. Inward is back along the first bone, toward the body; the reach is the limb's
    thickness at the socket times `_SOCKET_REACH`, but no more than `_MIDLINE_REACH` of the way from the
    socket to the line of the bone it hangs from (a thick shoulder joint by a short clavicle reached
    past the chest's centre line, leaving the clavicle half of it). That way is measured across the
    picture (without the part along `view_axis`, the direction toward the viewer: a side view's near
    and far legs are apart only in depth, where the mesh is the body's own thickness) and counts when
    longer than a quarter of the limb's thickness. A limb without a clavicle (a thigh beside the hips'
    bone) gets it as its `midline`; an ear or a tail (of `hanging`, no limb) shares no pelvis, and none.
    """
    heads, tails = np.asarray(heads, np.float64), np.asarray(tails, np.float64)
    out = []
    for region, hang in enumerate(regions.attach):
        bones = np.flatnonzero(regions.of_bone == region)  # parents come first
        first = int(bones[0])
        if hang < 0 or parts[first] not in hanging:
            continue
        follows = [int(b) for b in bones if parents[b] == first]
        socket = follows[0] if parts[first] == "arm" and follows else first
        along = heads[first] - tails[first]
        length = float(np.linalg.norm(along))
        if length <= 0:
            continue
        radius = float(radii[socket])
        line = _nearest_on(heads[hang], tails[hang], heads[socket]) - heads[socket]
        if view_axis is not None:
            axis = np.asarray(view_axis, np.float64) / np.linalg.norm(view_axis)
            line -= (line @ axis) * axis
        across = float(np.linalg.norm(line))
        reach, midline = _SOCKET_REACH * radius, None
        if across > 0.25 * radius:
            reach = min(reach, _MIDLINE_REACH * across)
            midline = line if socket == first and parts[first] in LIMB_PARTS else None
        out.append(Socket(first, int(hang), heads[socket].copy(), along / length, radius, reach, midline,
                          socket if socket != first else -1))
    return out


def _nearest_on(head: np.ndarray, tail: np.ndarray, point: np.ndarray) -> np.ndarray:
    """The point of the segment head-tail nearest `point`."""
    ab = tail - head
    t = float(np.clip((point - head) @ ab / max(float(ab @ ab), 1e-18), 0.0, 1.0))
    return head + t * ab


def keep_limbs_off_the_body(weights: np.ndarray, vertices: np.ndarray, sockets: list[Socket],
                            max_influences: int = DEFAULT_MAX_INFLUENCES) -> np.ndarray:
    """Move each limb's first-bone weight (and an upper arm's, past its clavicle) of vertices inside the
    body past its socket to the bone it hangs from: all of it `reach` deep, none at the socket, smoothly
    between (row sums are kept).

    Inside is how far a vertex is ahead of the socket along `inward`, or, beside the socket, how far it
    is past the limb's thickness (at most one thickness more than ahead, so the depth stays continuous
    around the socket and the limb's own surface by it keeps its weight). Beside a hip socket (a
    `midline`), how far a vertex is from the socket toward the centre line, as a share of
    `_MIDLINE_REACH` of the way there, also counts, at and above the socket's height and fading out
    two limb thicknesses below it (the crotch; further down is the inner thigh). Rows of `finish`ed
    weights stay finished: the few that gain one influence too many are limited again."""
    out = np.array(weights, dtype=np.float64)
    v = np.asarray(vertices, dtype=np.float64)
    for socket in sockets:
        offset = v - socket.point
        ahead = offset @ socket.inward
        radius = socket.radius
        # Beside the socket too (a plush's back behind its shoulder) is the body, past the limb's thickness.
        inside = np.maximum(ahead, np.minimum(ahead + radius, np.linalg.norm(offset, axis=1) - radius))
        depth = np.clip(inside / max(socket.reach, 1e-12), 0.0, 1.0)
        if socket.midline is not None:
            across = float(socket.midline @ socket.midline)
            toward = np.clip(offset @ socket.midline / (_MIDLINE_REACH * across), 0.0, 1.0)
            depth = np.maximum(depth, toward * np.clip(1.0 + ahead / (3 * radius), 0.0, 1.0))
        fade = depth * depth * (3.0 - 2.0 * depth)  # smoothstep
        for bone in (socket.bone, socket.beyond) if socket.beyond >= 0 else (socket.bone,):
            moved = out[:, bone] * fade
            out[:, bone] -= moved
            out[:, socket.hang] += moved
    if max_influences > 0:
        over = np.flatnonzero(np.count_nonzero(out, axis=1) > max_influences)
        out[over] = finish(out[over], max_influences)
    return out


def own_past_the_socket(weights: np.ndarray, vertices: np.ndarray, vertex_bone: np.ndarray,
                        regions: Regions, sockets: list[Socket]) -> np.ndarray:
    """A part that hangs off the body (a limb, an ear, a tail) owns its own vertices past its socket: the
    bone it hangs from keeps its weight on them at the socket, none `reach` past it along the part's
    first bone (away from the body), smoothly between; that weight goes to the part's own bones in the
    vertex's proportions (all to the vertex's own bone where it has none of them). Row sums are kept.

    Bone heat sees a bone from the mesh around it; a bone off its part's mesh (a side view's lone ear
    lies at the depth of the head's flank, beside a thin ear) is hidden from it, and bone heat gave the
    head 64 % of such an ear's tip: turning the ear left most of it behind. A limb beside the line of
    the bone it hangs from (a thigh by the hips' line: a `midline`) shares the pelvis with it down into
    the crotch (`keep_limbs_off_the_body`), past its socket too, and is left to that."""
    out = np.array(weights, dtype=np.float64)
    v = np.asarray(vertices, dtype=np.float64)
    region_of = regions.of_bone[vertex_bone]
    for socket in sockets:
        if socket.midline is not None:
            continue
        region = regions.of_bone[socket.bone]
        rows = np.flatnonzero(region_of == region)
        if not rows.size:
            continue
        past = -((v[rows] - socket.point) @ socket.inward)
        depth = np.clip(past / max(socket.reach, 1e-12), 0.0, 1.0)
        moved = out[rows, socket.hang] * depth * depth * (3.0 - 2.0 * depth)  # smoothstep
        own = regions.of_bone == region
        mine = out[rows] * own[None, :]
        total = mine.sum(axis=1, keepdims=True)
        alone = np.zeros_like(mine)
        alone[np.arange(rows.size), vertex_bone[rows]] = 1.0
        share = np.where(total > 0, mine / np.where(total > 0, total, 1.0), alone)
        out[rows, socket.hang] -= moved
        out[rows] += moved[:, None] * share
    return out


def drape_over_the_legs(weights: np.ndarray, vertices_px: np.ndarray, vertex_bone: np.ndarray,
                        regions: Regions, sockets: list[Socket], segments: np.ndarray,
                        radii_px: np.ndarray) -> np.ndarray:
    """A skirt's or a dress's cloth over a leg follows the hips, the leg only partly: a vertex of a leg
    (a region of `DRAPED_PARTS` with a socket) that lies in the picture beyond the thickness of every
    bone of the leg (`_DRAPE_RAMP`), down by the knee (`_DRAPE_DOWN`), keeps of the leg's weight only
    its share along the leg's first bone (the thigh), none at the socket and `_DRAPE_FOLLOWS` from its
    end on; the rest goes to the bone the leg hangs from (the hips). Along its seam with the hips' own
    vertices the cloth takes up to half their weights (`_feather`, over `_DRAPE_FEATHER` of the leg's
    radius); theirs stay, so the pelvis's middle stays still when a leg lifts. Row sums are kept.

    The picture cannot tell cloth from flesh, and nearest less its thickness each thigh took the half of
    the skirt on its side of the body, out to the hem: lifting one foot swung that half of the skirt
    with the thigh like a plank (its hem moved more than the foot). A rigger weights a skirt to the hips,
    the thigh under it pulling the hem softly. `vertices_px` (V, 2), `segments` (B, 2, 2) and `radii_px`
    (B,) (the labels' radii, `label_radii`) are in the same pixels."""
    out = np.array(weights, dtype=np.float64)
    px = np.asarray(vertices_px, dtype=np.float64)
    segments = np.asarray(segments, dtype=np.float64)
    radii = np.maximum(np.asarray(radii_px, dtype=np.float64), 1e-9)
    region_of = regions.of_bone[vertex_bone]
    for socket in sockets:
        region = regions.of_bone[socket.bone]
        rows = np.flatnonzero(region_of == region)
        if socket.hang < 0 or not rows.size:
            continue
        bones = np.flatnonzero(regions.of_bone == region)
        beyond = np.min([(_distances(px[rows], *segments[b]) - radii[b]) / radii[b] for b in bones], axis=0)
        head, tail = segments[socket.bone]
        way = tail - head
        along = (px[rows] - head) @ way / max(float(way @ way), 1e-18)
        outside = np.clip(beyond / _DRAPE_RAMP, 0.0, 1.0)
        low, high = _DRAPE_DOWN
        above = np.clip((high - along) / (high - low), 0.0, 1.0)  # a foot's toes are the leg's own
        cloth = _smoothstep(outside) * _smoothstep(above)
        along = np.clip(along, 0.0, 1.0)
        keep = 1.0 - cloth * (1.0 - _DRAPE_FOLLOWS * along)
        moved = out[np.ix_(rows, bones)] * (1.0 - keep)[:, None]
        out[np.ix_(rows, bones)] -= moved
        out[rows, socket.hang] += moved.sum(axis=1)
        draped = np.zeros(len(px), dtype=bool)
        draped[rows[cloth > 0]] = True
        hips = region_of == regions.of_bone[socket.hang]
        out[draped] = _feather(out, px, draped, hips, _DRAPE_FEATHER * float(radii[socket.bone]))[draped]
    return out


def _smoothstep(t: np.ndarray) -> np.ndarray:
    """0 to 1 over t in 0-1 with no kink at either end."""
    return t * t * (3.0 - 2.0 * t)


def feather_the_neck(weights: np.ndarray, vertices_px: np.ndarray, vertex_bone: np.ndarray,
                     regions: Regions, parts: list[str], lengths_px: np.ndarray,
                     max_influences: int = DEFAULT_MAX_INFLUENCES) -> np.ndarray:
    """Blend the weights across the seams of a head (a region hanging from a neck, with what hangs from
    it) with the neck and the body, then of the neck with the body, in the picture: a vertex within
    `_NECK_FEATHER` of the head bone's length of the other side takes up to half the weights of the
    nearest vertices across, half at the seam, none that far from it (smoothly between); rows are
    finished again.

    The labels part the head from the body along a stair-stepped line, and the head and the body share
    no bone: a plush's or a chibi's head sits on its chest (its neck a seam a few vertices wide) and
    touches its shoulders, and a turned neck or head tore it off the body along that line in teeth.
    `vertices_px` (V, 2) and `lengths_px` (B,), the bones' lengths, are in the same pixels."""
    out = np.array(weights, dtype=np.float64)
    px = np.asarray(vertices_px, dtype=np.float64)
    region_of = regions.of_bone[vertex_bone]
    hangs_from = regions.of_bone[np.maximum(regions.attach, 0)]  # each region's parent region
    hangs_from[regions.attach < 0] = -1
    for head in np.flatnonzero([a >= 0 and parts[a] == "neck" for a in regions.attach]):
        band = _NECK_FEATHER * float(lengths_px[np.flatnonzero(regions.of_bone == head)[0]])
        inside = np.isin(region_of, [head, *np.flatnonzero(hangs_from == head)])  # with ears, horns
        neck = region_of == hangs_from[head]
        out = _feather(out, px, inside, ~inside, band)  # the head's seam with the neck and the body
        out = _feather(out, px, neck, ~inside & ~neck, band)  # the neck's with the body
    if max_influences > 0:
        over = np.flatnonzero(np.count_nonzero(out, axis=1) > max_influences)
        out[over] = finish(out[over], max_influences)
    return out


def _feather(weights: np.ndarray, px: np.ndarray, inner: np.ndarray, outer: np.ndarray,
             band: float) -> np.ndarray:
    """Each vertex of `inner` or `outer` within `band` of the other mixed with the nearest vertices of
    the other (within `band`): half and half at their border, smoothly to its own alone at `band`."""
    if band <= 0 or not inner.any() or not outer.any():
        return weights
    out = weights.copy()
    for side, across in ((inner, outer), (outer, inner)):
        rows, others = np.flatnonzero(side), np.flatnonzero(across)
        distance, nearest = cKDTree(px[others]).query(px[rows], k=_FEATHER_NEIGHBOURS,
                                                      distance_upper_bound=band)
        near = np.isfinite(distance[:, 0])
        rows, distance, nearest = rows[near], distance[near], nearest[near]
        found = np.isfinite(distance)
        mixed = np.where(found[..., None], weights[others[np.where(found, nearest, 0)]], 0.0).sum(axis=1)
        mixed /= found.sum(axis=1, keepdims=True)
        t = distance[:, 0] / band
        share = 0.5 * (1.0 - t * t * (3.0 - 2.0 * t))[:, None]  # smoothstep
        out[rows] = (1.0 - share) * weights[rows] + share * mixed
    return out


def finish(weights: np.ndarray, max_influences: int = DEFAULT_MAX_INFLUENCES) -> np.ndarray:
    """Keep each row's `max_influences` largest weights (0 keeps all) and make the row sum to 1."""
    weights = np.array(weights, dtype=np.float64)
    if 0 < max_influences < weights.shape[1]:
        weakest = np.argpartition(weights, -max_influences, axis=1)[:, :-max_influences]
        np.put_along_axis(weights, weakest, 0.0, axis=1)
    total = weights.sum(axis=1, keepdims=True)
    return np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)


@dataclass(frozen=True)
class SkinResult:
    weights: np.ndarray  # (V, B), rows sum to 1
    failed_bones: list[int]  # bones bone heat gave nothing although their region has vertices
    unweighted: int  # vertices bone heat gave no weight at all (they take envelope weights)
    filled: int  # vertices whose weights came from the envelope (also those whose heat was all elsewhere)


def skin(heat: np.ndarray, allowed: np.ndarray, envelope: Callable[[np.ndarray], np.ndarray],
         vertex_bone: np.ndarray, regions: Regions,
         max_influences: int = DEFAULT_MAX_INFLUENCES, counterparts: np.ndarray | None = None) -> SkinResult:
    """Bone heat limited to each vertex's region; the envelope where heat failed or left nothing.

    `counterparts` (see `heat_counterparts`): a bone's heat on a vertex it is not allowed goes to its
    counterpart bone where that one is allowed (a far leg's heat on the near leg's mesh).

    `envelope(rows)` gives those vertices' envelope weights limited to their allowed bones (see
    `envelope_weights`); it is only asked for the vertices that need it. A bone heat gave no weight at
    all while vertices of its region exist has failed (Blender skips bones after a failure): its
    region's vertices take the envelope weights.
    """
    moved = np.array(heat, dtype=np.float64)
    if counterparts is not None:
        for b in np.flatnonzero(np.asarray(counterparts) >= 0):
            moved[:, counterparts[b]] += np.where(allowed[:, b], 0.0, heat[:, b])
    limited = np.where(allowed, moved, 0.0)
    used_regions = np.unique(regions.of_bone[vertex_bone])
    failed = [b for b in range(heat.shape[1])
              if regions.of_bone[b] in used_regions and not (heat[:, b] > 0).any()]
    redo = limited.sum(axis=1) <= 0
    if failed:
        redo |= np.isin(regions.of_bone[vertex_bone], regions.of_bone[failed])
    if redo.any():
        limited[redo] = envelope(np.flatnonzero(redo))
    unweighted = int((heat.sum(axis=1) <= 0).sum())
    return SkinResult(finish(limited, max_influences), failed, unweighted, int(redo.sum()))
