"""Cutting parts into anatomical bones: where the joints of each part go.

The bone called X spans part X: the spine from the hips to the neck's base, the neck to the head's
base, one head bone from there to the crown (the spine's end carried on to the outline, at most
one of its radii: not up an ear the tree carries on the head's line; a side-view biped's round head
straight up from its centre, `_upright_side_head`; with ears in a V, toward the
middle between their tips, to the outline's top between them; a quadruped's or a bird's seen from
the front points at the viewer, to the snout or beak inside the face: `_snout`), limbs
from their socket out to their tip (where the medial path ends: tips carried on to the outline
matched artists' rigs worse, CD-J2J 6.39 against 6.19 on 20 synthetic characters). Elbows, knees
and other inner joints go to the visible bend (the sharpest turn of the medial path within a
window around the proportional place, if it turns by `BEND_DEGREES` or more), else to proportions:

- human arm from the shoulder socket: upper arm 0.434, forearm 0.377, hand 0.189 of its length
  (the synthetic generator's humans, medians of 60 arms of a training draw; an adult's 30 / 26 /
  19 cm gave 0.41 / 0.35 and a development CD-J2J a hair worse); leg from the hip socket: thigh
  0.47, shin 0.45, foot 0.08 (a front view sees the foot foreshortened to its ankle's height: the
  development truth's front-view ankles at 0.94 of hip to toe for humans, 0.92 for birds; 0.87, a
  side's 10 cm of 96, cost CD-J2J 0.005-0.015 on each of biped, bird, quadruped and chunky biped);
  where the foot turns (a side view) the ankle goes to the turn, the foot splits 0.55 / 0.45
  into foot and toe; a turn that shows there sets the knee by its proportion of the leg down to
  the ankle, not to the toe (`cuts.leg_cuts`);
- quadruped legs (dog/horse skeletons, Rigify's quadruped metarigs): front 0.36 / 0.34 / 0.18 /
  0.12 (humerus, radius, metacarpals, toe), hind 0.33 / 0.34 / 0.21 / 0.12 (femur, tibia,
  metatarsals, toe);
- wings 0.30 / 0.30 / 0.40 (the synthetic birds' shoulder, elbow, wrist and tip, medians of 24
  wings; thirds gave development CD-J2J 5.569 against 5.553) of the first `WING_REACH` (0.85) of
  the path: the flight feathers reach past the wing's tip joint (the development truth's wing tips
  lie at 0.77-0.94 of the path, median 0.83; bird CD-J2J 4.92 -> 4.71, tip recall and precision
  up 0.03 and 0.04), insect legs 0.3 / 0.35 / 0.35
  (the synthetic truth's legs, 0.42 / 0.82, and quadruped legs, 0.45 / 0.87 front and 0.42 / 0.84
  hind to the paw, were tried: each worse on one of the two development sets); a leg shorter than
  `SHORT_LEG` (0.1) outside the body, a centipede's, halves (knee, tip: the truth's centipedes'
  two bones; many-legged CD-J2J 8.82 -> 8.68, 0.1-0.15 alike);
- a human head is about two head radii from chin to crown; a neck reaches from where the arms or
  front legs leave the spine (the shoulders) to the head's base;
- spine: hips + 3 bones for a humanoid (3 in all when short), hips + 4 for a quadruped (Rigify's
  horse), 2 for a bird, 3 for a fish, each joint at the medial tree's joint nearest to even spacing
  (its bends); the neck 1-2 bones, a quadruped's up to 3 (Rigify's horse and wolf); a side view
  quadruped's hips at the back's height (the thighs' heads), not where the hind legs meet below it.
  Tails: `tail_bones` bones, 0 one per `TAIL_BONE` of length (a horse's 5-6) at the tree's joints
  nearest even places; a snake's body and tail: `tail_bones`, 0 a bone per `SNAKE_RADII` of its
  median thickness (radius) at the tree's joints nearest even places, or the tree's joints at
  least `SNAKE_BONE` apart where those are more (the development truth's snakes: a joint every
  1.3-1.6 radii; the tree's joints alone left smooth stretches 2-3 radii long: snake CD-J2J 6.96 ->
  6.39); a many-legged body's: the tree's joints at least `SEGMENT_BONE` apart. A bird's unnamed
  limb (feathers): a bone per `TAIL_BONE`, as a tail (`limbs.APPENDAGE_PLANS`; development bird side
  views' joint ratio 1.30 -> 1.24, CD-J2J level).
  Keeping every tree joint matched the truth's joints a little better (held-out CD-J2J 4.54 against
  4.7-4.8) but is no rig an animator wants (a horse's back of 9 bones).

A limb starts where its medial path leaves the body: the first point farther from the joint it
hangs from than the body is thick there (capped at 45 % of the limb); an arm's shoulder (clavicle)
starts a quarter of that thickness out from the spine, a quadruped's front leg (its shoulder blade
in the chest) `FRONT_SOCKET` (0.3) of it out (development: quadruped CD-J2J 6.29 -> 6.21, chunky
6.46 -> 6.33, part accuracy up; 0.2-0.4 alike, 0 and 0.6-1 worse; the hind legs' hips gained
nothing by it); a quadruped's leg seen from the front under a wide body, whose medial path runs
from the body's middle fork out and down and turns down into the leg while the figure there is
still `HANG_THICKER` (1.15) times the leg's thickness or more, at that turn (its sharpest of
`HANG_DEGREES` (10) or more before `HANG_REACH` (0.6) of the limb): the synthetic truth's front
view shoulders lie over the leg at the turn's height (median 0.66 of the fork's height above the
foot, the turn's 0.66), and the knee follows onto the leg (development chunky quadruped front
views CD-J2J 5.32 -> 5.21, 6 of 9 better, F1 0.533 -> 0.551, part accuracy 0.436 -> 0.447; the
one lean dev quadruped read from the front, whose legs turn 1.7-2.2 leg thicknesses wide, 2.54 ->
2.56; 20 degrees gave 5.27; a straight leg from the foot up to the fork's height or the turn's,
with or without front view proportions, 5.16-5.62 on chunky and 5.31-5.47 on dev, no clear
winner); a lean dog's leg turns where the figure is the leg's own thickness (the drawn dog's and
bear's from the front: 0.8-1.05 of it) and keeps its shoulder inside the chest; a bird's leg
`BIRD_HIP` (0.6) of it: its thigh is hidden in the round body, the knee about where the leg
leaves it (development: the birds' true knees lay at 0.31 of hip to toe in side views, ours at
0.47 of the part outside the body; bird CD-J2J 4.71 -> 4.61, 0.4-0.7 alike; a human's hip gained
nothing by it). A person's arm seen from the front starts where its outline leaves the torso's,
on the arm's own line (`limbs.armpit_socket`), its clavicle level with it from beside the midline
between the two sockets (a mirror-symmetric figure gets a mirror-symmetric rig whatever side the
medial tree forks to), and the neck starts at the sockets' height; an arm whose path joins the trunk
below its middle (drawn along a dress) starts at the shoulders under the neck's base
(`hidden_shoulder`); a side view person's arm whose path leaves the torso low (the armpit, an elbow
at the waist) starts at the shoulder on the torso's line (`side_shoulder`); an arm raised beside the
head it merges into, at the torso's top corner
(`limbs.raised_socket`), not where the tree forks into it by the head. The limb's first joint is a
child of the spine joint whose bone holds the place it hangs from; an ear's of the head (Rigify's),
wherever the medial tree forks into it (a bear's one blob from the front forks into its ears at the
hips).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .body import Body
from .cuts import (ARM, BEND_DEGREES, FOOT_DEGREES, FRONT_LEG, HIND_LEG, INSECT_LEG, LEG, WING, arc_of, bend,
                   cuts, points_at, socket_arc, turning)
from .joints import Joints
from .limbs import add_limb, armpit_socket, limb_letters, limb_poly, raised_socket
from .parts import Layout, Limb
from .trunk import (MIN_BONE, SHOULDER_PARTS, SNAKE_BONE, TAIL_BONE, add_spine, add_tail, hips_placed,
                    snapped, tree_spots)
from .hidden import far_twin, lone_limbs
from .side_shoulder import side_shoulder
from .hind_legs import lay_in_depth
from .stubby import add_stubs
from .tucked import WING_SHOULDER, add_tucked, tucked_part
from .upright import chibi_head

__all__ = ["ARM", "BEND_DEGREES", "FOOT_DEGREES", "FRONT_LEG", "HIND_LEG", "INSECT_LEG", "LEG",
           "MIN_BONE", "SHOULDER_PARTS", "SNAKE_BONE", "TAIL_BONE", "WING", "Joints", "bend", "build",
           "cuts", "snapped", "tree_spots", "turning"]


FAR_END = 0.6  # a lone limb's branch this long against the limb's rest from the fork is the far member's
HIDDEN_TAIL = 0.6  # a front view bird's hidden tail: its tip this share of the hips' thickness under them
FACING_HEADS = ("quadruped", "bird")  # plans whose head points forward: at the viewer of a front view
HEAD_TILT = 30.0  # degrees from upright: a side-view biped's round head bone tilted more stands up
SKULL = 0.65  # a side-view biped's head starts where its path is this many head radii from the head's centre
SKULL_SAMPLES = 64  # places read along the spine's path for where it leaves the head's disc (`_skull_base`)
SNOUT = 1.5  # a head's tip this many head radii from its centre ends a snout, nearer a bump (a nose)
SHOULDER_AHEAD = 0.3  # a side-view bird's wing pivots this share of its chest's thickness ahead of it
SHOULDER_UP = 0.3  # and this share above it (`_wing_shoulders`)


def build(body: Body, layout: Layout, tail_bones: int = 0) -> Joints:
    out = Joints()
    polys = [limb_poly(body, layout, limb) for limb in layout.limbs]
    spine_poly, index = hips_placed(body, layout, polys)
    poly = _crowned(body, layout, spine_poly)
    arc = arc_of(poly)
    total = arc[-1]
    # (joints a re-drawn head's path dropped hang from its base: the crown's one step before)
    trunk_arc = {j: float(arc[min(index[k], len(arc) - 2)]) for k, j in enumerate(layout.spine)}
    trunk_arc[layout.spine[0]] = 0.0
    found: dict[int, tuple[float, np.ndarray]] = {}  # a front view's arms: where they leave the torso
    if layout.plan == "biped" and layout.view == "front":
        for index, limb in enumerate(layout.limbs):
            if limb.part == "arm" and limb.parent < 0 and len(polys[index][0]) >= 2:
                pit = armpit_socket(body, limb, *polys[index])
                raised = raised_socket(body, layout, limb, *polys[index])
                if raised is not None:  # from the torso's top corner, not the head it merges into
                    polys[index] = (raised, arc_of(raised))
                    pit = (float(polys[index][1][1]), raised[1])
                if pit is not None:
                    found[index] = pit
    shoulders = float(np.mean([p[1] for _, p in found.values()])) if found else None
    spine_joints = add_spine(body, layout, out, poly, arc, trunk_arc, tail_bones, shoulders,
                             _skull_base(body, layout, poly, arc))
    _wing_shoulders(body, layout, out, polys, found)
    tail_joints: list[tuple[float, int]] = []
    if len(layout.tail) >= 2:
        tail_joints = add_tail(body, layout, out, tail_bones)
    tail_arc = {}
    if tail_joints:
        tpoly = body.pos[layout.tail]
        tarc = arc_of(tpoly)
        tail_arc = {j: float(tarc[k]) for k, j in enumerate(layout.tail)}
    limb_joints: dict[int, list[tuple[float, int]]] = {}
    letters = limb_letters(body, layout, trunk_arc, tail_arc)
    chest = [j for _, j in spine_joints if out.parts[j] == "spine"]
    sockets: dict[int, int] = {}
    head = next((j for j, (part, tip) in enumerate(zip(out.parts, out.tips))
                 if part == "head" and not tip), -1)
    far_ends = _far_ends(body, layout)
    for index, limb in enumerate(layout.limbs):  # an arm along a dress: its shoulder under the neck
        shoulder = hidden_shoulder(body, layout, out, limb, polys[index][0])
        if shoulder is not None:
            polys[index] = (shoulder, arc_of(shoulder))
            found[index] = (float(polys[index][1][1]), shoulder[1])
        drawn = side_shoulder(body, layout, out, limb, polys[index][0])
        if drawn is not None:  # a side view's arm over the torso: from the shoulder, not the armpit
            found[index] = drawn
    sides = {layout.limbs[i].side for i in found}
    pair = len(found) == 2 and len(sides) == 2
    midline = float(np.mean([p[0] for _, p in found.values()])) if pair else None
    for index, limb in enumerate(layout.limbs):
        if index in far_ends.values():  # the far member's end: its twin's, below
            continue
        start = limb.joints[0]
        poly, limb_arc = polys[index]
        if limb.parent >= 0:
            place = _arc_on(body, layout.limbs[limb.parent], start)
            parent = _holder(limb_joints.get(limb.parent, []), place)
        elif limb.part == "ear" and head >= 0:  # Rigify's ears hang from the head, wherever the tree forks
            parent = head
        elif start in tail_arc and start not in trunk_arc:
            parent = _holder(tail_joints, tail_arc[start])
        elif index in found and chest:  # the nearest spine joint to the socket found
            pit = found[index][1]
            parent = min(chest, key=lambda j: float(np.linalg.norm(out.positions[j][:2] - pit[:2])))
        elif limb.part in SHOULDER_PARTS and chest and len(poly) >= 2:
            # the nearest spine joint to where it leaves the body (a plush arm at the chest, not the hips)
            leaves = socket_arc(poly, limb_arc, float(body.rad[start])) / max(limb_arc[-1], 1e-12)
            socket = points_at(poly, [leaves])[0]
            parent = min(chest, key=lambda j: float(np.linalg.norm(out.positions[j][:2] - socket[:2])))
        else:
            parent = _holder(spine_joints, trunk_arc.get(start, total))
        if parent < 0:
            parent = 0
        sockets[index] = parent
        limb_joints[index] = add_limb(body, layout, out, limb, parent, letters.get(index, ""), poly, limb_arc,
                                      found.get(index), midline)
    for index in lone_limbs(layout):  # the far member of a pair the side view shows one of
        if out.parts[sockets[index]] == "spine":
            twin = far_twin(layout, layout.limbs[index])
            if index in far_ends:
                twin = replace(twin, joints=_forked(twin.joints, layout.limbs[far_ends[index]].joints))
            poly, limb_arc = limb_poly(body, layout, twin)
            pit = found.get(index)  # the near member's socket, on the far side of the midplane
            pit = None if pit is None else (pit[0], np.r_[pit[1][:2], poly[0][2]])
            first = len(out)
            add_limb(body, layout, out, twin, sockets[index], letters.get(index, ""), poly, limb_arc, pit)
            if index not in far_ends:  # drawn exactly behind the near one (a fork's own end shows)
                out.hide(first)
    if tucked_part(layout):
        add_tucked(body, layout, out)
    lay_in_depth(body, layout, out)  # a front view quadruped: the spine runs back to the hips, four legs
    add_stubs(body, layout, out)  # a side view's stubby legs the tree has no branch for
    _snout(body, layout, out)
    _upright_side_head(body, layout, out)
    _hidden_tail(body, layout, out)
    return out


def _wing_shoulders(body: Body, layout: Layout, out: Joints, polys: list[tuple[np.ndarray, np.ndarray]],
                    found: dict[int, tuple[float, np.ndarray]]) -> None:
    """A side-view bird's wings start at its shoulder: seen from the side, a raised or spread wing leaves
    the outline over the back, well behind and above the shoulder joint it pivots on (inside the body,
    at the chest's top). Each wing from the trunk starts there (`tucked.WING_SHOULDER` of the way from the
    hips up to the neck's base, as a folded wing does), its first bone running through the body to where
    its path leaves it (`cuts.socket_arc`), then on along the path (`found`, as a front view's arm).
    Development bird side views: part accuracy 0.611 -> 0.660 (dev), 0.605 -> 0.654 (mirrored), 0.627 ->
    0.648 (dev2); CD-J2J 4.30 -> 4.05, 4.49 -> 4.21, 3.83 -> 3.71; tip recall and precision up 0.01 to
    0.08. Figures misread as side birds lose (dev2: a bird from the front, a snake; dev2 CD-J2J 5.083 ->
    5.085, part 0.560 -> 0.562).
    The shoulder sits at the chest's top front, not on the line from the hips to the neck's base: the
    spine joint nearest that line's `tucked.WING_SHOULDER` point is the chest, and the shoulder lies
    `SHOULDER_AHEAD` of the chest's thickness ahead of it and `SHOULDER_UP` above (the synthetic birds'
    shoulders sit 0.3 body radii over the chest, which lies ahead of our chest joint; the development
    side views put the true shoulders a median 0.3 of our chest's thickness ahead of it and 0.4 above).
    Development bird side views: part accuracy 0.680 -> 0.686 (dev), level (mirrored), 0.716 -> 0.734
    (dev2), 0.603 -> 0.627; CD-J2J 3.96 -> 3.74, 4.20 -> 4.10, 3.63 -> 3.48, 3.51 -> 3.34; tip recall
    one tip up on dev, one down mirrored (a wing's end moving across the tolerance). Folded wings keep
    their line (the same shoulder there: dev part 0.686 -> 0.680)."""
    if not (layout.plan == "bird" and layout.view == "side"):
        return
    top = next((k for k in range(len(out)) if out.parts[k] in ("neck", "head")), None)
    if top is None:
        return
    hips, base = out.positions[0], out.positions[top]
    spine = [k for k in range(len(out)) if out.parts[k] == "spine" and not out.tips[k]]
    at = hips + WING_SHOULDER * (base - hips)
    nearest = min(spine, key=lambda k: float(np.linalg.norm(out.positions[k][:2] - at[:2])))
    chest = np.array(out.positions[nearest], dtype=np.float64)
    r = float(body.shape.radius_at(chest[None].astype(np.float32))[0])
    ahead = 1.0 if layout.facing == "right" else -1.0
    for index, limb in enumerate(layout.limbs):
        poly, limb_arc = polys[index]
        if limb.part != "wing" or limb.parent >= 0 or index in found or len(poly) < 2:
            continue
        shoulder = chest + r * np.array([ahead * SHOULDER_AHEAD, SHOULDER_UP, 0.0])
        shoulder[2] = poly[0][2]  # near or far of the midplane, as the wing's path
        found[index] = (socket_arc(poly, limb_arc, float(body.rad[limb.joints[0]])), shoulder)


def _hidden_tail(body: Body, layout: Layout, out: Joints) -> None:
    """A bird seen from the front: its tail points away from the viewer behind its body, so the outline
    shows none, but a bird's rig has one (Rigify's bird: `spine.002`, a tail). Its bone leaves the rump
    a body's thickness behind the hips and runs on back as far again, sinking as a tail droops (a bird's
    body leans forward): seen from the front, under the hips, its tip `HIDDEN_TAIL` of the hips'
    thickness lower (the development set's front views: true tail tips 0.1 to 1.9 of it under our hips,
    median 0.6). Development bird front views: part accuracy 0.669 -> 0.711 (dev), 0.663 -> 0.694
    (mirrored), 0.546 -> 0.560 (dev2); tip recall 0.71 -> 0.85, 0.71 -> 0.85, 0.56 -> 0.61; CD-J2J 3.68 ->
    3.52, 3.62 -> 3.43, 4.37 -> 4.32 (a chunky quadruped read as a bird from the front, given a tail:
    dev2chunky 3.125 -> 3.127). It is marked hidden: no flesh of the picture is its own to move."""
    if not (layout.plan == "bird" and layout.view == "front") or "tail" in out.parts or not len(out):
        return
    hips = out.positions[0]
    r = float(body.shape.radius_at(hips[None].astype(np.float32))[0])
    base = hips + np.array([0.0, -0.5 * HIDDEN_TAIL * r, -r])
    joint = out.add(base, 0, "tail", "tail", hidden=True)
    out.add(hips + np.array([0.0, -HIDDEN_TAIL * r, -2.0 * r]), joint, "tail", "tail", tip=True, hidden=True)


def _snout(body: Body, layout: Layout, out: Joints) -> None:
    """A quadruped or a bird seen from the front faces the viewer: its head bone runs from the neck's top
    toward the viewer, to the snout (the beak), which the picture shows inside the face, not at the crown
    (the outline has no tip there; Rigify's quadruped and bird heads end at the nose and the beak). A
    quadruped's ears grow from the skull's top around the head's centre, so the snout shows where the
    two ears' lines meet (a V's apex); without a pair of ears, or where their lines meet outside the
    figure, and for a bird (whose ear tufts are feathers at the head's sides: a drawn owl's apex lay
    in its body), at the head's base (the bone seen end-on). In depth the tip lies on the face's front:
    the lifted figure's front surface is its thickness in front of the midplane, the head's thickness
    its widest along the head bone, or the thickness at the tip where more (a blob's snout). Moving the
    head's base to the apex too (the whole bone end-on) gained chunky front views CD-J2J 0.1 and cost
    lean ones 0.1 (dev 5.007 -> 5.016). Development (the
    truth's snout projects onto its head joint): chunky quadruped front views' tip precision 0.86 ->
    1.00, recall 0.78 -> 0.98, CD-J2J 3.10 -> 2.81; bird front views' 0.67 -> 0.79, 0.63 -> 0.71,
    CD-J2J 3.89 -> 3.68 (the beak at the head disc's centre instead: 0.76 and 0.69); lean quadruped
    front views level (one tip); dev2 alike (chunky quadruped front precision 0.87 -> 0.98, recall
    0.81 -> 0.95)."""
    if not (layout.plan in FACING_HEADS and layout.view == "front"):
        return
    head = next((j for j in range(len(out)) if out.parts[j] == "head" and not out.tips[j]), -1)
    end = next((j for j in range(len(out)) if out.parts[j] == "head" and out.tips[j]), -1)
    if head < 0 or end < 0:
        return
    base = out.positions[head]
    tip = base.copy()
    apex = _ears_apex(out) if layout.plan == "quadruped" else None
    if apex is not None:
        tip[:2] = apex
        if float(body.shape.radius_at(tip[None].astype(np.float32))[0]) <= 0:
            tip[:2] = base[:2]
    along = base[None] + np.linspace(0.0, 1.0, 9)[:, None] * (out.positions[end] - base)[None]
    face = np.vstack([along, tip[None]]).astype(np.float32)
    tip[2] = base[2] + float(np.max(body.shape.radius_at(face)))  # the face's front surface, or beyond it

    out.positions[end] = tip


def _upright_side_head(body: Body, layout: Layout, out: Joints) -> None:
    """A biped seen from the side holds its round head upright, and a rigger's head bone runs up from the
    neck to the crown. The medial path in a round head ends at whatever bumps its outline (a nose, a
    bun) or, in a plain disc, anywhere: the head bone ran to the nose of drawn people (74-98 degrees
    from upright) and up to the back of a plush's head (45). A head bone tilted more than `HEAD_TILT`
    whose tip lies within `SNOUT` head radii of the head's centre (the widest disc around the bone's
    middle: `_head_disc`) ends at the crown instead: the outline straight above the centre, at most
    one head radius up (not up an ear on the head's line). A longer head (a T-rex's snout) keeps its
    tip."""
    if not (layout.plan == "biped" and layout.view == "side"):
        return
    head = next((j for j in range(len(out)) if out.parts[j] == "head" and not out.tips[j]), -1)
    end = next((j for j in range(len(out)) if out.parts[j] == "head" and out.tips[j]), -1)
    if head < 0 or end < 0:
        return
    base, tip = out.positions[head], out.positions[end]
    step = tip[:2] - base[:2]
    if np.degrees(np.arctan2(abs(step[0]), step[1])) <= HEAD_TILT:
        return
    centre, radius = _head_disc(body, 0.5 * (base + tip))
    if radius <= 0 or np.linalg.norm(tip[:2] - centre[:2]) > SNOUT * radius:
        return
    crown = body.outline(centre, np.array([0.0, 1.0]))
    crown[1] = min(float(crown[1]), float(centre[1]) + radius)
    crown[2] = tip[2]
    out.positions[end] = crown


def _skull_base(body: Body, layout: Layout, poly: np.ndarray, arc: np.ndarray) -> float | None:
    """Where a side-view biped's neck meets its skull: the arc at which the spine's path, read down from
    the head's centre (the widest disc around the head's base read off the outline, `_head_disc`),
    comes out to `SKULL` of the head's radius from it: the top of the neck, inside the head, above the
    chin. The outline's reading (`upright.side_neck`) puts the head's base at the first of the medial
    tree's joints as thick as a head, and those lie far apart: 0.6 of the head's radius under its
    centre (median, development lean side views), some at the centre or above it (the drawn walker's,
    facing one way; halfway down facing the other): a neck bone reaching into the skull, whose lower
    half bent with the neck. The development truth's head bases lie 0.85-1.05 radii under the centre
    (Rigify's human metarig about 1.0); 0.65, 0.75 and 0.85 scored alike (part accuracy +0.0011 to
    +0.0017), 0.65 keeps the base above the drawn chin. A chibi's or plush figure's head
    (`upright.chibi_head`) starts at its pinch, already the skull's base (chunky truth 1.0, ours
    1.07), and is left there; the head's base only moves down (`trunk.add_spine`). None where no neck
    was read. Development biped side part accuracy 0.666 -> 0.670 (dev), 0.692 -> 0.700 (mirrored);
    dev2 0.672 -> 0.683, 0.630 -> 0.645; chunky unchanged; CD-J2J 3.09 -> 3.08, 3.10 -> 3.08, 3.40
    -> 3.37, 3.49 -> 3.47 (all sets -0.0018, interval -0.0032 to -0.0006)."""
    if not (layout.plan == "biped" and layout.view == "side" and layout.neck is not None) or chibi_head(
            body, layout.spine):
        return None
    centre, radius = _head_disc(body, body.pos[layout.neck[0]])
    if radius <= 0:
        return None
    places = np.linspace(0.0, float(arc[-1]), SKULL_SAMPLES)
    dist = np.linalg.norm(points_at(poly, places / arc[-1])[:, :2] - centre[:2], axis=1)
    k = int(np.argmin(dist))  # the path's place nearest the head's centre, then down out of the disc
    reach = SKULL * radius
    while k > 0 and dist[k] < reach:
        k -= 1
    if k <= 0:
        return None
    share = (dist[k] - reach) / max(float(dist[k] - dist[k + 1]), 1e-12)  # the crossing, between samples
    return float(places[k] + min(share, 1.0) * (places[k + 1] - places[k]))


def _head_disc(body: Body, seed: np.ndarray, steps: int = 3) -> tuple[np.ndarray, float]:
    """(centre, radius) of the widest disc of the figure around `seed`: the widest point within the
    disc at the seed, then within that point's disc, `steps` times (a seed halfway to a round head's
    outline finds the centre in one step; one inside the head does not climb past its own disc into a
    wider body beyond a pinch)."""
    centre = np.asarray(seed, dtype=np.float64).copy()
    radius = float(body.shape.radius_at(centre[None].astype(np.float32))[0])
    grid = np.linspace(-1.0, 1.0, 17)
    offsets = np.stack(np.meshgrid(grid, grid), axis=-1).reshape(-1, 2)
    offsets = offsets[np.linalg.norm(offsets, axis=1) <= 1.0]
    for _ in range(steps):
        if radius <= 0:
            break
        points = np.repeat(centre[None], len(offsets), axis=0)
        points[:, :2] += radius * offsets
        radii = body.shape.radius_at(points.astype(np.float32))
        best = int(np.argmax(radii))
        if float(radii[best]) <= radius:
            break
        centre, radius = points[best], float(radii[best])
    return centre, radius


def _ears_apex(out: Joints) -> np.ndarray | None:
    """Where the lines of a pair of ears (each along its last bone, out to its tip) meet, in the picture,
    below their roots; None without a pair of sided ears, where they run parallel or meet above (ears
    hanging down)."""
    ears = [j for j in range(len(out)) if out.parts[j] == "ear" and out.tips[j]]
    if len(ears) != 2 or {out.sides[j] for j in ears} != {"L", "R"}:
        return None
    roots = [out.positions[out.parents[j]][:2] for j in ears]
    dirs = [out.positions[j][:2] - r for j, r in zip(ears, roots)]
    system = np.array([dirs[0], -dirs[1]]).T
    if abs(float(np.linalg.det(system))) <= 1e-9 * max(float(np.abs(system).max()), 1e-9) ** 2:
        return None
    t = float(np.linalg.solve(system, roots[1] - roots[0])[0])
    apex = roots[0] + t * dirs[0]
    return apex if apex[1] < min(r[1] for r in roots) else None  # a V opening up (lop ears meet above)


def _crowned(body: Body, layout: Layout, spine_poly: np.ndarray) -> np.ndarray:
    """The spine's path run on to the crown, on the outline, so one head bone spans neck to crown.
    Ears in a V (a pair off the head seen from the front) set the head's axis: toward the middle
    between their tips, the crown the outline's top between them (the tree's fork into the ears may
    lie off the midline, even at the hips; a side view's two short tips, an ear and a muzzle, are no
    such pair: the chunky development quadrupeds' head tips went 0.03 -> 0.13 of their size off; nor
    a third tip on the head's line between two: a crest the ray would run up).
    Else on along the path's last step, at most one radius of the head's end: not on up
    an ear the tree carries on the head's line. Development (paired, 40 + 30 characters): CD-J2J
    -0.017 ± 0.012, chunky +0.018 ± 0.006 and its tip precision -0.018 ± 0.008: the synthetic truth's
    head tip lies a median 8 % of the height under the crown between chunky figures' ears.
    Where the outline lies farther than two such radii and no limb's path (an ear's, a horn's) runs
    on along that line, all the way to it: the path stopped at the top of a body its head bulges from
    without a pinch (a drawn penguin's head bone stopped 24 % of the height short of the crown;
    development and dev2 CD-J2J level, paired +0.001 and +0.000).
    A snake's head too reaches its snout: the development truth's snake heads end 1-1.5 radii inside
    the snout's outline, and stopping half a radius on from the tree's end matched them better (snake
    CD-J2J -0.16) but left the head bone 7 % of the height short of the snout on the rigger's checklist,
    whose head line asks for one head bone spanning the head."""
    if not layout.head or len(spine_poly) < 2:
        return spine_poly
    ears = [m for m in layout.limbs if m.part == "ear" and m.parent < 0]
    if layout.view == "front" and len(ears) == 2 and {m.side for m in ears} == {"L", "R"}:
        tips = [body.pos[m.joints[-1]] for m in ears]
        start = spine_poly[-2]
        return np.vstack([spine_poly[:-1], body.outline(start, np.mean(tips, axis=0) - start)[None]])
    if (layout.plan, layout.view) == ("bird", "front") and layout.spine[-1] not in body.leaves:
        up = body.outline(spine_poly[-1], np.array([0.0, 1.0]))  # a head sunk between raised wings
        return np.vstack([spine_poly, up[None]])
    if layout.sunk:  # a biped's head bulging from its body: straight up the midline from the hips
        up = body.outline(spine_poly[0], np.array([0.0, 1.0]), reach=body.height)
        return np.vstack([spine_poly[:1], up[None]])
    step = spine_poly[-1] - spine_poly[-2]
    if layout.plan == "biped" and layout.view == "front" and abs(step[0]) > step[1]:
        return _upright_head(body, spine_poly)
    crown = body.outline(spine_poly[-1], step)
    reach = max(float(body.rad[layout.spine[-1]]), 1e-9)
    step = crown - spine_poly[-1]
    norm = float(np.linalg.norm(step[:2]))
    if norm > reach and (norm <= 2.0 * reach or _on_the_line(body, layout, spine_poly[-1], step)):
        crown = spine_poly[-1] + step * (reach / norm)
    return np.vstack([spine_poly, crown[None]])


def _on_the_line(body: Body, layout: Layout, start: np.ndarray, step: np.ndarray) -> bool:
    """Whether a limb's path (an ear's, a horn's) runs on ahead of `start` within its own thickness of the
    line along `step`: the outline there is that part's tip, not the crown."""
    way = step[:2] / max(float(np.linalg.norm(step[:2])), 1e-12)
    for limb in layout.limbs:
        offsets = body.pos[limb.joints[1:], :2] - start[:2]
        ahead = offsets @ way
        across = np.abs(offsets @ np.array([-way[1], way[0]]))
        if np.any((ahead > 0) & (across <= np.maximum(body.rad[limb.joints[1:]], 0.02 * body.height))):
            return True
    return False


def _upright_head(body: Body, spine_poly: np.ndarray) -> np.ndarray:
    """A front view figure whose spine's path ends running sideways or down (a big round head the
    medial tree crosses to a pigtail or a hair bun: a drawn chibi girl's head bone ran 0.82 -> 0.80 of
    her height): the head is the widest disc near the path's top; the path runs from below its chin to
    the chin, then straight up to the crown on the outline."""
    top = spine_poly[:, 1] >= spine_poly[:, 1].max() - 0.5 * body.height * 0.5
    seed = spine_poly[top][int(np.argmax(body.shape.radius_at(spine_poly[top].astype(np.float32))))]
    r = float(body.shape.radius_at(seed[None].astype(np.float32))[0])
    grid = np.linspace(-r, r, 33)
    points = np.zeros((grid.size ** 2, 3))
    points[:, 0] = seed[0] + np.repeat(grid, grid.size)
    points[:, 1] = seed[1] + np.tile(grid, grid.size)
    points[:, 2] = seed[2]
    radii = body.shape.radius_at(points.astype(np.float32))
    centre = points[int(np.argmax(radii))]
    chin = centre.copy()
    chin[1] -= float(radii.max())
    below = spine_poly[spine_poly[:, 1] < chin[1] - 1e-9]
    if not len(below):
        return spine_poly
    return np.vstack([below, chin[None], body.outline(centre, np.array([0.0, 1.0]))[None]])


def hidden_shoulder(body: Body, layout: Layout, out: Joints, limb: Limb, poly: np.ndarray
                    ) -> np.ndarray | None:
    """A front view person's arm whose path joins the trunk below its middle (an arm drawn along a
    dress or a cape: the silhouette shows only the hand beside the hem, and the medial path runs from
    it straight into the skirt): its path redrawn from the neck's base out to the shoulder (the
    outline there, an arm's thickness in) and on straight to the hand, the socket at the shoulder.
    A drawn chibi girl's sockets had sat at her hem, 0.36 of her height, her shoulders at 0.57. So do
    the arms of a head sunk into its body (`sunk`): the tree forks them off wherever its one fork lies,
    in the belly as often as at the chest, and a plush bean's arms hanging against its body show no
    armpit (`limbs.armpit_socket`): by the fork's height one facing's arms had their shoulders at the
    neck's base, the other's 11 % of the height under it."""
    if not (layout.plan == "biped" and layout.view == "front" and limb.part == "arm" and limb.parent < 0):
        return None
    necks = [p for p, part in zip(out.positions, out.parts) if part == "neck"]
    high = poly[0][1] >= (necks[0][1] + out.positions[0][1]) / 2 if necks else True
    if not necks or len(poly) < 2 or (high and not layout.sunk):
        return None
    base, tip = necks[0], poly[-1]
    side = float(np.sign(tip[0] - base[0]))
    thick = float(np.median(body.rad[limb.joints[len(limb.joints) // 2:]]))
    edge = body.outline(base, np.array([side, 0.0]))
    socket = edge.copy()
    socket[0] -= side * min(thick, 0.5 * abs(edge[0] - base[0]))
    if side == 0 or np.linalg.norm(tip[:2] - socket[:2]) <= 2 * thick:
        return None
    return np.vstack([base, socket, tip])


def _far_ends(body: Body, layout: Layout) -> dict[int, int]:
    """{lone limb: its sub-limb that is the far member's end}: in a side view the two arms (or legs)
    of a pair overlap from the body out and part past their middle (both arms reaching forward, the
    far hand showing beside the near one), so the tree has one limb with an unnamed branch about as
    long as the limb's own rest from the fork (`FAR_END`): the far member is the near one's path to
    the fork, then the branch. Without it the branch hung off the near forearm and the far copy
    ran along the near path: both arms' chains ended at the fork, 2 bones of the truth's 4
    (development: the one such view, biped side within1 0.750 -> 0.792, part 0.511 -> 0.519; its
    CD-J2J 3.03 -> 3.15, the branch's tree joints had sat among the truth's finger joints: dev
    5.181 -> 5.183). A branch of a hand (a thumb) is shorter than `FAR_END` of the rest."""
    out: dict[int, int] = {}
    lone = set(lone_limbs(layout))
    for index, sub in enumerate(layout.limbs):
        main = sub.parent
        if main not in lone or sub.part != "limb" or sub.joints[0] not in layout.limbs[main].joints:
            continue
        if main in out or any(m.parent == index for m in layout.limbs):
            continue
        joints = layout.limbs[main].joints
        fork = joints.index(sub.joints[0])
        whole = float(arc_of(body.pos[joints])[-1])
        rest = whole - float(arc_of(body.pos[joints[: fork + 1]])[-1])
        branch = float(arc_of(body.pos[sub.joints])[-1])
        if whole > 0 and rest >= 0.2 * whole and branch >= FAR_END * rest:
            out[main] = index
    return out


def _forked(path: list[int], branch: list[int]) -> list[int]:
    """The path to the branch's fork, then the branch."""
    return path[: path.index(branch[0]) + 1] + branch[1:]


def _arc_on(body: Body, limb: Limb, joint: int) -> float:
    k = limb.joints.index(joint) if joint in limb.joints else 0
    return float(arc_of(body.pos[limb.joints[: k + 1]])[-1])


def _holder(chain: list[tuple[float, int]], place: float) -> int:
    """The joint whose bone holds `place` (arc along the chain): the last one before it (a limb at
    the shoulders hangs from the chest, not from the neck that starts there)."""
    before = [j for a, j in chain if a < place - 1e-9]
    return before[-1] if before else (chain[0][1] if chain else -1)
