"""A quadruped sitting up, seen from the side: a cat or a dog on its haunches.

Sitting, a four-legged animal's trunk rises steeply from the haunch on the floor to the chest, the neck
and the head; the front legs come straight down from the chest to paws on the floor under the head; the
hind leg is folded into the haunch, a big round mass low at the back, its paw on the floor by it (the
tree has no branch for it); the tail lies along the floor behind or curls up. The standing readings
fail it: the front paw and the tail on the floor are two feet a leg group apart (a biped striding, a
quadruped whose hind leg is its tail) or, where the tree forks both from one place, a front view's pair.
A rigger wants a quadruped: the spine from the hips in the haunch up to the head, the front legs from
the chest, the hind legs folded from the hips down to the floor, the tail.

The cue (`sitting_side`): an outline taller than long, not mirror-symmetric (a front view), whose trunk,
the tree's way from its head to the tip farthest behind it (the tail, along the floor or curled up), is
thickest low, in the lowest `HAUNCH` of the figure's height, the outline straight under it on the floor
(the haunch, or the hind paw by it), behind the head; and another tip on the floor ahead of the haunch
(`BEHIND`: the haunch sits behind the front legs, not over them as a column on its own foot does), the
foremost, over which the outline's front edge rises straight up a leg's length (`_column`: a leg comes
straight down to its paw), the head nearer it than the haunch is. A person kneeling is thickest at the
torso, high over the hips; a penguin's or an owl's round body is thickest halfway up; a plush figure
sitting upright stands on a foot pointing along the floor, no leg over its toe; a robe's hem on the
floor is its only low tip. The tips on the floor within `GROUP_GAP` of the foremost are the front paws
(near and far), any other (not the tail) a hind paw; where the tree has none, the hind legs are stubs
(`stubby.add_stubs`) from the hips down to the floor. The hips are in the haunch where the legs leave
the way (`_hips`) and stay there (`Layout.sitting`; a standing quadruped's are raised to its back's
height, `trunk.hips_placed`). The reading is the only one (`plan._candidates`).
"""
from __future__ import annotations

import numpy as np

from .body import Body
from .cues import FLOOR, GROUP_GAP, MIRROR_SIDE, head_tip, in_head_region, limbs_on, on_floor, trim_head
from .parts import Layout

HAUNCH = 0.35  # the haunch's centre in this lowest share of the height (drawn sitting cats and dogs: 0.25 to
# 0.28; a penguin's, an owl's or a plush bear's round body, a dress, a kneeling person's torso: 0.4 or more)
LEG = 0.25  # a front leg's straight front edge is read this share of the height up from the floor (drawn
# sitting cats and dogs: their front legs 0.3 to 0.4 of it)
STRAIGHT = 0.5  # ... within this share of the paw's thickness of vertical (drawn sitting cats' and dogs'
# front legs: 0 to 0.16; a kneeling person's shin over its foot 0.3; a plush bunny's foot has no leg over it)
BEHIND = 0.5  # the haunch at least this share of its thickness behind the front paws (drawn sitting cats and
# dogs: 0.75 to 1.2; a column standing on its own foot, a cactus's trunk: 0)
SCORE = 0.9  # the one reading (`plan._candidates`): as sure as an armless front quadruped (0.85)


def sitting_side(body: Body) -> Layout | None:
    """The side quadruped reading of a quadruped sitting up (module docstring); None where the figure
    is not one."""
    if body.height <= body.width or body.mirror >= MIRROR_SIDE[0]:
        return None  # (a mirror-symmetric outline is a front view)
    floor = [leaf for leaf in body.leaves if on_floor(body, leaf)]
    head = head_tip(body, set(floor))
    if head is None:
        return None
    tail = max(body.leaves, key=lambda leaf: abs(float(body.xy[leaf, 0] - body.xy[head, 0])))
    back = float(np.sign(body.xy[tail, 0] - body.xy[head, 0]))
    path = body.path(tail, head)
    k = _hips(body, path, [leaf for leaf in floor if leaf != tail])
    hips = path[k]
    lift = float(body.xy[hips, 1] - body.floor)
    under = float(body.outline(body.pos[hips], np.array([0.0, -1.0]))[1] - body.floor)
    if k == len(path) - 1 or lift >= HAUNCH * body.height or under >= FLOOR:
        return None  # (the outline straight under the haunch: it, or the hind paw by it, on the floor; the
        # tree may end in the haunch, its tail lost to the outline along the floor)
    behind = back * float(body.xy[hips, 0] - body.xy[head, 0])
    if behind <= 0:
        return None
    ahead = [leaf for leaf in floor if leaf != tail
             and back * float(body.xy[hips, 0] - body.xy[leaf, 0]) >= BEHIND * body.rad[hips]]
    if not ahead:
        return None
    front = min(ahead, key=lambda leaf: back * float(body.xy[leaf, 0]))
    if not _column(body, front, -back) or abs(float(body.xy[head, 0] - body.xy[front, 0])) >= behind:
        return None
    # the front paws (near and far) foremost, any other paw on the floor a hind one, by the haunch
    tips = {leaf: "front_leg" if abs(float(body.xy[leaf, 0] - body.xy[front, 0])) < GROUP_GAP else "hind_leg"
            for leaf in floor if leaf != tail}
    spine = trim_head(body, path[k:])
    layout = Layout("quadruped", SCORE, "side", SCORE, "left" if back > 0 else "right", spine, path[k::-1])
    layout.limbs = limbs_on(body, layout, tips)
    for limb in layout.limbs:
        limb.group = limb.part = limb.part or ("ear" if in_head_region(body, layout, limb) else "limb")
    # the hind legs folded in the haunch, where the tree has no branch for them: from the hips to the floor
    layout.feet = [] if "hind_leg" in tips.values() else [(float(body.xy[hips, 0]), "hind_leg")]
    layout.sitting = True
    return layout


def _hips(body: Body, path: list[int], paws: list[int]) -> int:
    """Where on the way from the tail to the head (`path`) the hips are: in the haunch, the way's thickest
    place, or, where the legs' branches leave the way on the tail's side of it still inside the haunch
    (within its thickness of it), the farthest of those forks (the legs hang from the hips, not the tail)."""
    k = int(np.argmax(body.rad[path]))
    on = {j: m for m, j in enumerate(path)}
    forks = [on[next(j for j in body.path(paw, path[-1]) if j in on)] for paw in paws]
    inside = [m for m in forks if m < k
              and np.linalg.norm(body.pos[path[m]] - body.pos[path[k]]) <= body.rad[path[k]]]
    return min(inside, default=k)


def _column(body: Body, paw: int, forward: float) -> bool:
    """Whether the outline's front edge over a paw rises straight up from the floor a leg's length
    (`LEG` of the height; from a paw's thickness up, over its round toe): within `STRAIGHT` of the paw's
    thickness of one vertical line, as the front of a leg coming straight down to it does (a foot pointing
    along the floor, a leg reaching forward to it, slope away; read off the outline, as the tree of a
    chunky figure runs from the haunch's centre to the paw's corner)."""
    heights = body.floor + np.linspace(2.0 * body.rad[paw], LEG * body.height, 8)
    starts = np.column_stack([np.full(len(heights), body.xy[paw, 0]), heights, np.zeros(len(heights))])
    if not (body.shape.radius_at(starts.astype(np.float32)) > 0).all():
        return False  # no leg straight over the paw (a foot reaching forward along the floor)
    edge = body.outlines(starts, np.tile([forward, 0.0], (len(heights), 1)))[:, 0]
    return bool(np.ptp(edge) <= STRAIGHT * 2.0 * body.rad[paw])
