"""Limbs the outline does not show: a biped's arms held against its body, a bird's wings folded on it.

A biped seen from the side with its arms down (a plush or chibi figure's short arms, a person's
arms along the torso) shows no arm in its silhouette, so the medial tree has none. A rig without
arms is no biped's rig, so such a figure gets both arms where an arm held down is, measured along
the torso (neck base to hips): from the shoulders at the chest's top (`SHOULDER`), down the spine's
own line (an arm at the side of the torso lies over its middle seen from the side), to `REACH` of
the torso, near and far of the midplane as every side view's limbs (the far one marked hidden, a
copy behind the near one), each clavicle running out to its socket in depth. Cut as every arm:
shoulder, upper arm, forearm and hand (`cuts.ARM`). The
development set's chunky side views (19 figures, both facings) put the true shoulders 0.07-0.5 of
the torso down (median 0.17), the hands 0.14-1.26 (median 0.45: short arms held at any angle toward
the viewer) and within 0.2 of the torso of the spine's line; against a fifth down to half the
torso, 0.3 radii in front: chunky biped side CD-J2J 2.53 -> 2.14, tip precision 0.83 -> 0.86, hand
tips within the 0.075 tolerance 57 % -> 68 %; ending at 0.35 or 0.45 matched 62 % and 57 %. Those are
chibi and plush proportions (heads 0.26-0.42 of the height); a person's relaxed hands pass the hips, so
the reach grows to the hips as the head's share of the height falls from `CHIBI_HEAD` to `HUMAN_HEAD`
(`_reach`; a person's head is about 1/7.5 of the height). The development set has no side view of a
person with hidden arms; Rigify's human metarig from the side, whose hands the 0.4 reach left at the
belly (tip recall 1.0 -> 0.6), showed it, so for this rule the metarigs are not unseen.

Where the outline flares from the shoulders to a hem at the hips (`HEM` times as wide: a cape, a
dress) the arms hang hidden under it, to the hips (`HEM_REACH`; the development set's caped figure,
both facings: flaring 2.1 times, its hands 0.95 of the torso down, the guess 0.19 -> 0.02 of its size
off; the chunky figures' flare at most 1.67); so do they where the reading found a hem's corner
(`upright.hem`, `Layout.hem`), whatever the flare over the hips read and the head's share: that
caped figure's hips are now read higher, its flare there under `HEM`, and its chibi-sized head (0.26
of its height) had cut its arms to 16 px of the truth's 93 (part accuracy 0.64 -> 0.77, mirrored 0.59 ->
0.68; no other development or dev2 figure changes). Where the spine's head end is no head, thinner than
`HEAD_THICKNESS` of the trunk (a head is thick; the development bipeds' from 0.7), the tree ran the
spine up a raised arm and lost the head into it (two development side views, both facings, arms
raised over the head; `upright.raised_arm` now reads such an arm where a necked head lies under it,
this guards the rest): the arms are not down, and no guess is made (biped side tip precision
0.68 -> 0.75 with the two rules above; their CD-J2J +0.2 and +0.4, the arm joints by the torso
unmatched). Front views are left alone: arms pressed to the sides were rare there and placing them
cost tip precision on the development set.

A bird seen from the side with its wings folded shows no wing either: both wings get the folded
wing's line, from the shoulder (`WING_SHOULDER` of the way from the hips up to the neck's base) back
past the hips toward the tail's root where it has one (the tips lie over the rump; an upright bird's
neck base read off its outline, `upright.bird_neck`, lies over its hips), to where the tail's path
from the hips gets thinner than `RUMP` of the body's thickest (the rump's end: the synthetic truth's
folded wing tips lie by the tail's first joint; the development and dev2 folded side views, both
facings, 10 of them: tips 0.001 to 0.062 of the figure's size off, where the old reach, as far again
past the hips as the shoulder is above them, `WING_REACH`, left dev2's 0.12 to 0.17 off; it stays
where no tail is read), near and far of the midplane, cut as every wing (`cuts.WING`); only where
the neck's base rises from the hips (`RISING`), as a bird's does and the level back of a lizard read
as a bird does not, or the bird stands on stick legs (`sticks.stick_legs`: a plover running holds its
neck level). Development bird side views: dev2 tip recall 0.64 -> 0.69 (mirrored 0.68 -> 0.71), tip
precision 0.64 -> 0.67 (0.66 -> 0.69), part accuracy 0.649 -> 0.655 (0.654 -> 0.660); dev level.

A bird seen from the front with its wings folded (`upright.folded_front`) shows none either: each wing
runs from a shoulder at the neck's base `FRONT_SHOULDER` of the way out to the outline, down its side
to a tip `FRONT_TIP` of the way out, as far under the hips as the neck's base is above them (the
synthetic truth's folded wings from the front: shoulders 0.6 to 0.8 of the half width out, tips 0.8
to 0.95, about twice the hips' drop under the chest; a folded wing reaches back past the hips to the
tail's root, and a bird's body leans forward), on the body (`FRONT_LOW`). Development bird front views:
part accuracy 0.685 -> 0.707 (dev), 0.674 -> 0.696 (mirrored), CD-J2J 3.78 -> 3.65, 3.90 -> 3.77, tip
recall 0.823 -> 0.844 (one folded bird, both facings, part 0.52 -> 0.87). Where the reading found two
wings a side, the folded wings' bulging outline (`upright._corners`), they are placed so too: dev and
dev2 bird front views tip precision 0.73 -> 0.76 (three birds, both facings), part accuracy 0.73 -> 0.74,
CD-J2J 3.87 -> 3.92 (the corners lay nearer the truth's wing joints than the folded line does).
"""
from __future__ import annotations

import numpy as np

from .body import Body
from .cuts import ARM, WING, points_at
from .joints import Joints
from .parts import Layout, near_far
from .sticks import stick_legs

SHOULDER = 0.1  # the shoulders (the chest's top) below the neck's base, a share of the torso (hips to neck)
REACH = 0.4  # the hands' end below the neck's base, a share of the torso (module docstring)
HEM = 1.9  # an outline this many times as wide over the hips as at the shoulders hides the arms: a hem
HEM_REACH = 1.0  # there the hands end at the hips, as a person's relaxed hands do (`_reach`)
CHIBI_HEAD = 0.25  # a head this share of the height or more: a chibi's or plush figure's short arms
HUMAN_HEAD = 0.15  # this share or less: a person's proportions (a head is about 1/7.5 of the height)
HEAD_THICKNESS = 0.5  # a head is at least this share of the trunk's thickest; a thinner end is an arm
RAISED = np.cos(np.radians(35))  # an arm raised over the head rises this near vertical from the hips
SAMPLES = 8
WING_SHOULDER = 0.6  # a folded wing's shoulder: this share of the way from the hips up to the neck's base
WING_REACH = 0.6  # its tip: this share of (the neck's base - the hips) past the hips, backward
RISING = 0.5  # a bird's neck base is above its hips: the rise's upward share (30 degrees) or more
FRONT_SHOULDER = 0.7  # a folded wing from the front: its shoulder this share of the way out to the outline
FRONT_TIP = 0.85  # and its tip this share (the development set's folded birds: 0.6-0.8 and 0.8-0.95)
FRONT_LOW = 0.85  # the tip at most this share of the way down from the shoulder to the outline under it
RUMP = 0.5  # a folded wing's tip: where the tail's path from the hips gets this thin of the body's thickest


def tucked_part(layout: Layout) -> str:
    """The part the outline hides: "arm" for a biped read from the side, with a head, whose tree shows
    no arm; "wing" for such a bird without a wing; else ""."""
    part = {"biped": "arm", "bird": "wing"}.get(layout.plan, "")
    shown = any(m.part == part for m in layout.limbs)
    seen = layout.view == "side" or (part == "wing" and layout.view == "front")
    return part if part and seen and layout.head and not shown else ""


def add_tucked(body: Body, layout: Layout, out: Joints) -> None:
    """Both limbs of the part the outline hides (`tucked_part`): a biped's arms, a bird's wings."""
    if tucked_part(layout) == "arm":
        _add_tucked_arms(body, layout, out)
    elif tucked_part(layout) == "wing" and layout.view == "front":
        _add_front_wings(body, out)
    elif tucked_part(layout) == "wing":
        _add_folded_wings(body, layout, out)


def _add_folded_wings(body: Body, layout: Layout, out: Joints) -> None:
    """Both wings of a side-view bird whose outline shows none (module docstring), from the chest."""
    spine = [k for k in range(len(out)) if out.parts[k] == "spine" and not out.tips[k]]
    top = next((k for k in range(len(out)) if out.parts[k] in ("neck", "head")), None)
    if not spine or top is None:
        return
    hips, base = out.positions[0], out.positions[top]
    rise = base[:2] - hips[:2]
    legs = [m.joints[-1] for m in layout.limbs if m.part == "leg" and m.parent < 0]
    level = rise[1] < RISING * float(np.linalg.norm(rise))
    if float(np.linalg.norm(rise)) <= 1e-9 or (level and not stick_legs(body, legs)):
        return  # a bird's neck rises from its body, or it stands on sticks (a lizard read as one: no wings)
    back = hips - base  # toward the tail's root where it has one (the wing tips lie over the rump)
    tail = next((p for p, part in zip(out.positions, out.parts) if part == "tail"), None)
    if tail is not None and float(np.linalg.norm(tail[:2] - hips[:2])) > 1e-9:
        back = (tail - hips) * float(np.linalg.norm(back[:2]) / np.linalg.norm(tail[:2] - hips[:2]))
    rump = next((j for j in layout.tail if body.rad[j] < RUMP * body.thickest), None)
    tip = hips + WING_REACH * back if rump is None else body.pos[rump].astype(np.float64)
    line = np.array([hips + WING_SHOULDER * (base - hips), tip])
    radius = float(body.shape.radius_at(line[:1].astype(np.float32))[0])
    parent = min(spine, key=lambda k: float(np.linalg.norm(out.positions[k][:2] - line[0, :2])))
    near, far = near_far(layout.facing)
    for side, depth in ((near, 0.5), (far, -0.5)):
        poly = line.copy()
        poly[:, 2] = line[:, 2] + depth * radius
        joint, first = parent, len(out)
        for number, point in enumerate(points_at(poly, [0.0, *WING])):
            joint = out.add(point, joint, "wing", "wing", side=side, number=number)
        out.add(poly[-1], joint, "wing", "wing", side=side, tip=True)
    out.hide(first)  # the far wing, behind the near one


def _add_front_wings(body: Body, out: Joints) -> None:
    """Both wings of a bird seen from the front whose outline shows none: folded on the body's sides
    (module docstring), from a shoulder at the neck's base `FRONT_SHOULDER` of the way out to the
    outline, down to a tip `FRONT_TIP` of the way out, as far under the hips as the neck's base is over
    them (a folded wing reaches back past the hips to the tail's root; the body leans forward), but
    on the body (`FRONT_LOW`: a round body's hips may sit low in it)."""
    top = next((k for k in range(len(out)) if out.parts[k] in ("neck", "head")), None)
    if top is None or out.parents[top] < 0:
        return
    chest, hips = out.positions[out.parents[top]], out.positions[0]
    for side, way in (("L", 1.0), ("R", -1.0)):
        shoulder, tip = chest.copy(), chest.copy()
        edge = body.outlines(chest[None, :2], np.array([[way, 0.0]]))[0, 0]
        shoulder[0] = chest[0] + FRONT_SHOULDER * (edge - chest[0])
        bottom = body.outlines(shoulder[None, :2], np.array([[0.0, -1.0]]))[0, 1]  # the body's under it
        low = bottom + (1.0 - FRONT_LOW) * (shoulder[1] - bottom)
        tip[1] = max(float(hips[1] - (chest[1] - hips[1])), low)
        edge = body.outlines(np.array([[chest[0], tip[1]]]), np.array([[way, 0.0]]))[0, 0]
        tip[0] = chest[0] + FRONT_TIP * (edge - chest[0])
        joint = out.parents[top]
        for number, point in enumerate(points_at(np.array([shoulder, tip]), [0.0, *WING])):
            joint = out.add(point, joint, "wing", "wing", side=side, number=number)
        out.add(tip, joint, "wing", "wing", side=side, tip=True)


def raised_head(body: Body, layout: Layout) -> bool:
    """Whether the spine's head end is no head: a tip thinner than `HEAD_THICKNESS` of the trunk's
    thickest, a raised arm the tree ran the spine up (the head lost into it; module docstring), rising
    over the hips (within `RAISED` of vertical; a long snout held forward, a leaning dinosaur's, is a
    thin head)."""
    head = body.blob(layout.spine[-1])
    rise = body.xy[layout.spine[-1]] - body.xy[layout.spine[0]]
    up = rise[1] >= RAISED * float(np.linalg.norm(rise))
    return bool(up and head < HEAD_THICKNESS * float(body.rad[layout.spine].max()))


def _add_tucked_arms(body: Body, layout: Layout, out: Joints) -> None:
    """Both arms of a biped whose outline shows none (module docstring), hung from the chest."""
    spine = [k for k in range(len(out)) if out.parts[k] == "spine" and not out.tips[k]]
    top = next((k for k in range(len(out)) if out.parts[k] in ("neck", "head")), None)
    if len(spine) < 2 or top is None or raised_head(body, layout):
        return
    torso = np.array([out.positions[k] for k in spine] + [out.positions[top]])[::-1]  # neck base first
    length = float(np.linalg.norm(np.diff(torso[:, :2], axis=0), axis=1).sum())
    if length <= 1e-9:
        return
    reach = HEM_REACH if layout.hem or _hem(body, torso) else _reach(body, layout)
    line = points_at(torso, np.linspace(SHOULDER, reach, SAMPLES))  # on the spine: arms at the sides
    radius = np.asarray(body.shape.radius_at(line.astype(np.float32)), dtype=np.float64)
    parent = min(spine, key=lambda k: float(np.linalg.norm(out.positions[k][:2] - line[0, :2])))
    near, far = near_far(layout.facing)
    for side, depth in ((near, 0.5), (far, -0.5)):
        poly = line.copy()
        poly[:, 2] = line[:, 2] + depth * radius
        shoulder = line[0].copy()  # the clavicle runs out toward the viewer (or away), as a side view's does
        shoulder[2] = line[0, 2] + 0.5 * depth * radius[0]  # from a quarter of the thickness out
        first = len(out)
        joint = out.add(shoulder, parent, "arm", "shoulder", side=side)
        for role, point in zip(("upper_arm", "forearm", "hand"), points_at(poly, [0.0, *ARM])):
            joint = out.add(point, joint, "arm", role, side=side)
        out.add(poly[-1], joint, "arm", "hand", side=side, tip=True)
    out.hide(first)  # the far arm, behind the near one


def _reach(body: Body, layout: Layout) -> float:
    """How far down the torso the hands end, by the head's share of the height: a chibi's short arms
    (`REACH`, heads `CHIBI_HEAD` of the height or more) to a person's, whose relaxed hands pass the hips
    (`HEM_REACH`, heads `HUMAN_HEAD` or less), in between in proportion (module docstring)."""
    head = 2.0 * body.blob(layout.spine[-1]) / max(body.height, 1e-9)
    share = float(np.clip((head - HUMAN_HEAD) / (CHIBI_HEAD - HUMAN_HEAD), 0.0, 1.0))
    return HEM_REACH + share * (REACH - HEM_REACH)


def _hem(body: Body, torso: np.ndarray) -> bool:
    """Whether the outline flares from the shoulders to a hem over the hips `HEM` times as wide (a cape,
    a dress; widest over the torso's lowest fifth): the arms hang hidden under it (module docstring)."""
    def width(at: np.ndarray) -> float:
        return float(body.outline(at, np.array([1.0, 0.0]))[0] - body.outline(at, np.array([-1.0, 0.0]))[0])
    hem = max(width(at) for at in points_at(torso, [0.8, 0.9, 1.0]))
    return hem >= HEM * width(points_at(torso, [SHOULDER])[0])
