"""A quadruped seen from the front: its body runs away from the viewer, its hind legs stand behind.

From the front a dog shows its chest, its front legs and its head; the hips and the hind legs stand
behind the chest and the front legs, hidden by them (or peeping out between them), so the medial tree
runs its spine up the chest from where the front legs meet to the head. An animator rigging that dog
wants a four-legged rig as Rigify's quadruped metarig: the spine from the hips, at the back, forward
to the chest, then the neck up to the head, the front legs at the chest and the hind legs at the hips.
So a front view quadruped's spine is laid out in depth, level (a standing animal's back) at the height
of the trunk's centre seen end-on: the biggest disc in the outline on the vertical line midway between
the front legs' paws (where the head turns aside, the neck leaves the trunk off its centre), below the
neck's base (`_trunk_centre`; the tree's thickest spine joint before, which sat up to 0.14 of the
figure's height too high where the tree forks into the legs under a chunky figure's head), from the hips
`TRUNK` of the figure's height behind the front legs (z < 0, away from the viewer: +Y in Blender)
forward to the chest under the neck's base; the neck and head stay where the picture shows them. Limbs
the spine held (the front legs, anything else on the chest) hang from its last joint, the chest.

The front legs stand as columns under their sockets (`_stand`): the tree runs them from where they fork
under the chest diagonally down to the paws, but a standing animal's leg is its stretch of the outline
as thin as the leg (up to `ENTRY` times the leg's own thickness, read up from the paw), and above that it
runs straight up inside the trunk to a socket above the leg's lowest third, `SOCKET` of the way down
from the trunk's centre to the floor (the development sets' synthetic truth: 0.16 to 0.24 on 11 chunky
quadrupeds, 0.06 to 0.23 on 4 thin ones). Development front views, part accuracy and CD-J2J: chunky
0.548 -> 0.619 and 2.81 -> 2.30 (mirrored 0.555 -> 0.619, 2.81 -> 2.29; second draw 0.465 -> 0.549,
3.26 -> 2.56), thin 0.367 -> 0.372 and 4.69 -> 4.62 (mirrored 0.257 unchanged, 4.71 -> 4.72; second
draw 0.252 -> 0.267, 4.58 -> 4.63: a tail hanging between the legs lost the diagonal legs that passed
near it). The spine on the neck's line instead of midway: chunky CD-J2J 2.37, 2.36, 2.70.
The shoulder sits at the socket also where the tree forks into the legs below it (a deep chest, legs
close together: the legs kept the fork as their shoulders, 0.30 of the figure's height against the
truth's 0.415 on a lean dog), and a standing leg's joints sit at its own heights, not cut by length
along the path (`_column`): the elbow `ELBOW` and the wrist `WRIST` of the shoulder's height above the
paw (the development sets' truth, 34 front legs: elbow 0.5, 0.49 to 0.8 on lean dogs; wrist 0.04 to
0.1; the cut by length put the wrist at 0.30), the paw on the floor pointing at the viewer. Development
front views: chunky CD-J2J 2.48 -> 1.85, F1 0.654 -> 0.693 (mirrored alike; second draw 2.30 -> 1.71,
0.683 -> 0.727), part accuracy level; thin CD-J2J 3.34 -> 3.23 (mirrored 3.34 -> 3.36; second draw
4.88 -> 4.87), part accuracy 0.501 -> 0.490 on two dogs whose front and hind joints share pixels (level
mirrored and on the second draw), F1 0.498 -> 0.485 on the second draw (the toe and its tip, pointing
at the viewer, share a pixel, as the hind legs' do).
A front view shows each front leg in front of its hind leg: the synthetic truth projects both pairs'
joints onto the same pixels, so the part metric scores at most half of the legs' joints right there.

The hind legs: where the reading found none, each front leg gets its hidden partner behind it, at the
same image x, its foot on the same floor (under a raised front paw, the lowest front paw's: a dog giving
its paw stands on both hind legs), from a hip socket at the hips' depth and height, cut as every hind
leg (thigh, shin, foot, toe; the sides the front leg's; the socket level with the hips: halfway down to
the front leg's socket or at its height, development thin quadruped front views' part accuracy 0.334 and
0.297 against 0.361, chunky ones' alike, their CD-J2J 3.05 and 3.04 against 3.10; with the legs standing
as columns, at the front socket's height again lost thin front views' part accuracy, 0.307 against
0.377). A hind leg has its own joints (`_column`), not the front leg's line cut again (its stifle and
hock ran through the front leg's elbow and wrist, and which of the two a picture's joint belonged to was
a coin toss): the stifle `STIFLE` and the hock `HOCK` of the hip's height above the paw, between what
the development sets' synthetic truth measures (lean dogs, 12 legs: stifle 0.66, hock 0.17 of the hip's
height, medians; chunky ones, 22 legs: 0.5 and 0.1, there a copy of the front leg), the toe on the floor
and its tip pointing at the viewer. Development thin front views' part accuracy 0.480 -> 0.501 (mirrored
0.410 -> 0.426; second draw 0.322 -> 0.356, mirrored 0.334 -> 0.368), CD-J2J 3.45 -> 3.34; chunky part
accuracy unchanged, CD-J2J 2.30 -> 2.48 (second draw 2.10 -> 2.30: the chunky truth's hind joints are
the front ones', which the old cut came nearer). Hind legs the picture shows (between the front legs)
move back to the hips' depth and hang from the hips.

A sprawled quadruped (`Layout.sprawled`: a lizard) keeps its knees out (`_sprawl`): each leg, front and
hind, from a socket beside the spine (`SPRAWL_SOCKET` of the way out to the knee, at the socket's height
or the knee's, the hind one at the trunk's centre) out to the knee where its path from the trunk's
middle turns down (`sprawled.knee`), down to the floor, the foot and the toe pointing at the viewer
under the ankle; a hidden hind leg runs through its front leg's joints below the socket. Against
columns under the sockets (a dog's legs), on the 10 sprawled front views of four synthetic draws (dev,
dev2 and two fresh ones, both facings where mirrored): part accuracy 0.461 -> 0.497, CD-J2J 4.14 ->
3.12, tip precision 0.62 -> 0.78, recall 0.63 -> 0.77 (dev2's lizard, both facings, loses part accuracy:
0.63 -> 0.52).

`TRUNK`: shoulders to hips, as a share of the figure's height seen from the front. The development
sets' quadrupeds (the synthetic truth in 3D) measure 1.2 (6 thin, long-bodied dogs to short ones: 0.64
to 1.88, relative spread 40 %) and 0.9 (11 chunky: 0.68 to 1.26, 19 %); against the figure's width or
its shoulders' height the spread was a little tighter on chunky figures (17-18 %) and much looser on thin
ones (47-54 %). A dog's trunk
about as long as it stands tall (ears included) is the rule; it sets only the depth, which the picture
cannot show (the 2-D scores do not see it).
"""
from __future__ import annotations

import numpy as np

from .body import Body
from .cues import FLOOR
from .cuts import points_at
from .joints import Joints
from .limbs import SEGMENTS
from .parts import Layout
from .sprawled import ground, knee

TRUNK = 1.0  # the hips this share of the figure's height behind the chest (module docstring)
SOCKET = 0.2  # the legs' sockets this share of the way down from the trunk's centre to the floor
TRUNK_SAMPLES = 64  # heights read for the trunk's centre on the neck's vertical line
ENTRY = 1.5  # a leg enters the trunk where its path gets this many times as thick as the leg
STIFLE = 0.6  # a hidden hind leg's stifle this share of its hip's height above the paw (module docstring)
HOCK = 0.15  # its hock this share
ELBOW = 0.5  # a standing front leg's elbow this share of its socket's height above the paw (`_stand`)
WRIST = 0.08  # its wrist this share (development truth: elbow 0.5, wrist 0.04 to 0.1 on 34 front legs)
PAW = 0.15  # a paw this share of its socket's height long, pointing at the viewer (a dog's paw)
SPRAWL_SOCKET = 0.2  # a sprawled leg's socket this share of the way out from the spine to its knee


def in_depth(layout: Layout) -> bool:
    """Whether the reading is a quadruped seen from the front (its body runs away from the viewer)."""
    return layout.plan == "quadruped" and layout.view == "front"


def lay_in_depth(body: Body, layout: Layout, out: Joints) -> None:
    """The spine from the hips behind forward to the chest, and four legs (module docstring)."""
    if not in_depth(layout):
        return
    spine = [k for k in range(len(out)) if out.parts[k] == "spine" and not out.tips[k]]
    neck = next((k for k in range(len(out)) if out.parts[k] in ("neck", "head") and out.parents[k] in spine),
                None)
    if len(spine) < 2 or neck is None:
        return
    level = out.positions[neck].copy()
    paws = [k for k in range(len(out)) if out.parts[k] == "front_leg" and out.tips[k]]
    if len(paws) == 2:  # the trunk seen end-on stands midway between its legs (a head may turn aside)
        level[0] = float(np.mean([out.positions[k][0] for k in paws]))
    level[1] = _trunk_centre(body, level)
    depth = TRUNK * body.height
    chest, hips = spine[-1], spine[0]
    for n, k in enumerate(spine):  # evenly from the hips (behind) forward to the chest
        point = level.copy()
        point[2] = level[2] - depth * (1.0 - n / len(spine))
        out.positions[k] = point
    held = set(spine)
    hind = [k for k in range(len(out)) if out.parts[k] == "hind_leg"]
    for k in range(len(out)):
        if out.parents[k] in held and k not in held and k != neck:
            out.parents[k] = hips if out.parts[k] == "hind_leg" else chest
    for k in hind:  # the hind legs the picture shows: back at the hips' depth
        out.positions[k] = out.positions[k].copy()
        out.positions[k][2] = out.positions[hips][2]
    socket = level[1] - SOCKET * (level[1] - body.floor)
    legs = _legs(out, "front_leg")
    for leg in legs if not layout.sprawled else []:
        _stand(body, out, leg, socket)
    paths = {(m.part, m.side): body.path(layout.spine[0], m.joints[-1]) for m in layout.limbs
             if m.part in ("front_leg", "hind_leg") and m.parent < 0}
    for leg in (legs + _legs(out, "hind_leg")) if layout.sprawled else []:  # shoulders, then hips higher
        path = paths.get((out.parts[leg[0]], out.sides[leg[0]]))
        if path is not None:
            _sprawl(body, out, leg, path, socket if out.parts[leg[0]] == "front_leg" else level[1], level[0])
    if not hind:
        floor = min((out.positions[k][1] for leg in legs for k in leg), default=None)
        for leg in legs:
            _add_hind_leg(out, leg, hips, layout.sprawled, floor)


def _trunk_centre(body: Body, neck: np.ndarray) -> float:
    """The height of the trunk's centre seen end-on: the biggest disc in the outline on the vertical line
    through `neck` (the neck's base, moved midway between the legs), below it (development front views:
    the truth's spine within 0.01 of the figure's height of it on 26 of 28 chunky quadrupeds, where the
    tree's thickest spine joint was up to 0.14 higher, at the fork under the head)."""
    line = np.repeat(neck[None, :], TRUNK_SAMPLES, axis=0).astype(np.float32)
    line[:, 1] = np.linspace(body.floor, float(neck[1]), TRUNK_SAMPLES)
    return float(line[int(np.argmax(body.shape.radius_at(line))), 1])


def _legs(out: Joints, part: str) -> list[list[int]]:
    """Each leg's joints of a part (front or hind legs), socket to tip (one chain per side and letter)."""
    legs: dict[tuple[str, str], list[int]] = {}
    for k in range(len(out)):
        if out.parts[k] == part:
            legs.setdefault((out.sides[k], out.letters[k]), []).append(k)
    return list(legs.values())


def _stand(body: Body, out: Joints, leg: list[int], socket: float) -> None:
    """A front leg standing under its socket: the tree runs a front view's legs from where they fork
    under the chest, on the trunk's centre line, down to the paws; the leg is the stretch of its path as
    thin as the leg (`ENTRY` times the leg's own thickness at most, read up from the paw), and above that
    it runs straight up inside the trunk to its socket at the height `socket`, also where the tree forks
    below that height (a lean dog's legs part under its chest: their shoulders sat at the fork, 0.30 of
    the figure's height against the truth's 0.415). Its elbow, wrist and paw at the leg's own heights
    (`_column`: `ELBOW`, `WRIST`)."""
    path = np.array([out.positions[k] for k in leg])
    if len(leg) != len(SEGMENTS["front_leg"][0]) + 1:
        return
    samples = points_at(path, np.linspace(1.0, 0.0, 41))  # from the paw up
    radii = np.asarray(body.shape.radius_at(samples.astype(np.float32)), dtype=np.float64)
    own = float(np.median(radii[2:14]))  # the leg's thickness over its lowest third, the paw's end left out
    thick = np.nonzero((radii > ENTRY * own) | (samples[:, 1] >= socket))[0]
    entry = int(thick[0]) if len(thick) else len(samples) - 1
    column = samples[: max(entry, 2)][::-1]  # the leg's own stretch, top to paw
    top = column[0].copy()  # above the leg's lowest third, where a standing leg's column is
    top[0], top[1] = float(np.median(samples[2:14, 0])), max(socket, float(top[1]))
    for k, point in zip(leg, _column(top, np.vstack([top, column]), ELBOW, WRIST)):
        out.positions[k] = point


def _sprawl(body: Body, out: Joints, leg: list[int], path: list[int], socket: float, spine: float) -> None:
    """A sprawled leg (`sprawled`: a lizard's) keeps its knee out at the side: the socket at the height
    `socket` (or its knee's, where higher), `SPRAWL_SOCKET` of the way out from the spine's x (`spine`)
    to the knee (a column under it, as `_stand` puts a dog's leg, drew the lizard's legs straight down
    from its flanks), the knee where the leg's path from the trunk's middle (`path`) bends
    (`sprawled.knee`), the ankle where it reaches the floor, the foot and the toe pointing at the viewer
    under it (toes spread along the floor are the foot's, no leg). Each joint keeps its depth."""
    k = knee(body, path)
    if len(leg) != 5 or k is None:  # socket, knee, ankle, toe's base, tip: every quadruped leg's
        return
    xy = body.xy[path]
    ankle, bend = xy[ground(body, path)], xy[k]
    top = np.array([spine + SPRAWL_SOCKET * (bend[0] - spine), max(socket, float(bend[1]))])
    floor = np.array([ankle[0], min(float(ankle[1]), float(xy[-1, 1]))])
    for joint, point in zip(leg, [top, bend, ankle, (ankle + floor) / 2, floor]):
        out.positions[joint] = out.positions[joint].copy()
        out.positions[joint][:2] = point


def _add_hind_leg(out: Joints, leg: list[int], hips: int, sprawled: bool = False,
                  floor: float | None = None) -> None:
    """The hidden hind leg behind a front leg, at the hips' depth: from a socket beside the hips, at the
    leg's image x and the hips' height, to its own stifle, hock and paw (`_column`) under the front
    paw, or on the floor the lowest front paw shows (`floor`) where this one is raised over it by more
    than `cues.FLOOR` (a dog giving its paw lifts no hind paw); behind a sprawled leg, through the
    front leg's own joints below its socket (its knee out)."""
    front = np.array([out.positions[k] for k in leg])
    top = out.positions[hips]
    socket = np.array([front[0, 0], top[1], top[2]])
    below = front[1:] if sprawled else front[front[:, 1] < socket[1] - 1e-9]
    if not len(below):
        return
    roles, fractions = SEGMENTS["hind_leg"]
    side, letter = out.sides[leg[0]], out.letters[leg[0]]
    if sprawled:
        poly = np.vstack([socket, below])
        poly[:, 2] = top[2]
        points = poly if len(poly) == len(roles) + 1 else points_at(poly, [0.0, *fractions, 1.0])
    else:
        paw = front[np.argmin(front[:, 1])].copy()
        if floor is not None and paw[1] > floor + FLOOR:  # the front paw raised: the hind one stands
            paw[1] = floor
            front = np.vstack([front, paw])
        points = _column(socket, front, STIFLE, HOCK)
    joint = hips
    for role, point in zip(roles, points):
        joint = out.add(point, joint, "hind_leg", role, side=side, letter=letter)
    out.add(points[-1], joint, "hind_leg", roles[-1], side=side, letter=letter, tip=True)


def _column(socket: np.ndarray, line: np.ndarray, knee: float, ankle: float) -> np.ndarray:
    """A standing leg's five joints (socket, knee, ankle, toe, tip) at its own heights, not cut by length
    along the tree's path: the knee (a front leg's elbow, a hind leg's stifle) `knee` and the ankle (the
    wrist, the hock) `ankle` of the socket's height above the paw, the toe on the floor under them;
    each at `line`'s image x at its height, all at the socket's depth but the tip, a paw's length (`PAW`
    of the socket's height) nearer the viewer: a front view's paws point at the viewer."""
    line = line[np.argsort(line[:, 1])]  # paw up
    floor = float(line[0, 1])
    rise = float(socket[1]) - floor
    heights = floor + rise * np.array([1.0, knee, ankle, 0.0])
    points = np.column_stack([np.interp(heights, line[:, 1], line[:, 0]), heights, np.full(4, socket[2])])
    points[0, 0] = socket[0]
    tip = points[-1].copy()
    tip[2] += PAW * rise
    return np.vstack([points, tip])
