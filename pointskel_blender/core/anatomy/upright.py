"""Upright readings: a biped from the front or the side (its feet decide), a bird from the side, and
the front views of animals (a quadruped, a bird with spread wings) read off the upright reading
(`plan.py` has the rules)."""
from __future__ import annotations

import numpy as np

from .body import Body
from .cues import (FLOOR, HEAD_REACH, MIRROR_SIDE, UPRIGHT, along, corner, drop_limbs, ear_end, ear_fork,
                   footprint, head_tip, hips_on, in_head_region, into_body, limbs_on, meet, necked,
                   on_floor, open_below, symmetry, tip_direction, trailing_tail, trim_head)
from .parts import Layout, Limb, direction
from .profile import upper_body
from .sticks import SHANK, leg_thickness, stick_legs
from .sunk import sunk_head
from .tucked import CHIBI_HEAD, HEAD_THICKNESS, raised_head

BIRD_UPRIGHT = np.cos(np.radians(25))  # with a bird's build (`bird_build`), its head this far off vertical
BIRD_WIDE = 0.7  # a bird standing: at least this much as wide as tall (a standing biped is narrower)
BIRD_BUILD = 0.1  # what a bird's build adds to the bird reading and takes from the biped's
PLUMP = 0.7  # a folded bird's body from the front: its lower half this thick of its trunk's thickest
WINGSPAN = 0.2  # what spread wings (`wingspan`) take from the biped reading
TOE = 0.08  # a foot: the last stretch of a leg (normalized units, the figure's bounding box side is 1)
SIDE_TOES = 0.35  # both feet point at least this far along the image's x (a share of each): a side view
SHIN = 0.15  # a foot and its shin: the last stretch of a leg read for a kneeling leg's flat shin
KNEELING = np.cos(np.radians(45))  # a shin along the floor: its direction's share along the image's x
SOLE_TOE = 0.75  # as far as a lone foot on the floor must point along the image's x for a side view
HEM_OPEN = 0.5  # a hem's underside: at least this share of the outline under its corner is empty
TORSO = 1.1  # a one-chain side figure's torso at least this thick of its leg (`side_biped`; a pole: 1)
ROBE = 0.9  # a tip on the floor this thick of the figure's thickest is a long skirt's or a robe's hem
FOOTPRINT = 0.15  # a footprint reaching this much farther one way than the other faces it (`footprint`)
FOOT = 0.2  # a turned foot under a one-chain side figure (`side_biped`): what it adds to the biped reading
NECK_STEP = 0.01  # `_sampled_neck` reads the outline's thickness this often (normalized units)
ROUND = 1.5  # a head over a neck (`_sampled_neck`) at most this many of its diameters long
WING_LONG = 0.15  # a side-view bird's limb this long (normalized units) may be a wing; shorter: a feather
WING_RAISED = 0.3  # a side-view bird's long limb pointing up more than this (its direction's y) is a wing
TAIL_UP = np.cos(np.radians(25))  # a raised tail from the front rises this near vertical (`raised_tail`)
ANTLER_THIN = 0.12  # antlers and horns from the front: strokes this thin of the trunk (`antlers`)
TAIL_THIN = 0.25  # a raised tail's stalk at most this thick of the trunk's thickest (`raised_tail`)
BEAK = 0.2  # a beak's median radius at most this share of the body's thickest (`beak_limb`)
HEAD_BODY = 0.7  # a bird's head is thinner than this share of its body's thickest (`beak`, `bird_neck`)
SKULL = 0.92  # behind a bird's round skull the path narrows under this share of its thickest (`bird_neck`)
HEAD_MIN = 0.3  # and at least this share as thick (`bird_neck`: the beak tapers thinner)
# an upright bird's beak tip within this many head radii of the head's centre (`upright_beak`; the drawn
# owl's and penguin's 1.3 and 1.9: a long bill)
BEAK_REACH = 3.0
CREST = 5.0  # a crest's feathers reach at most this many skull radii from where they leave it (`crest`)
SHOULDERS = 0.95  # raised arms leave the spine at least this share of its thickest (`raised_pair`)
HEAD_SHARE = 0.25  # a narrow front quadruped's non-legs leave the spine's top share (`_facing_head`)
HEAD_LIMB = 0.5  # ... and are at most this share of its legs' length (`_facing_head`)
BUMP = 0.4  # a third arm this short of the shorter of the two longest is a bump of the outline (`_bumps`)
NECK = 0.85  # a neck: the path under a head narrows under this share of the head's thickness (`raised_arm`)
# an arm: a branch at least this thick (radius, normalized) somewhere past its fork; a thinner one is a spur
# of the outline's pixels, no limb (development sets: biped arms 0.007 and more; the spurs beside a lean
# quadruped's neck from the front, read as its one arm, 0.003-0.004)
SPUR = 0.005


def upright(body: Body, legs: list[int], plan: str, forced: bool = False) -> Layout | None:
    """The upright reading of `plan` ("biped" or "bird") standing on the lowest two of `legs`. The
    front views' quadruped and bird readings each start from the same forced biped reading and change
    it, so a reading is made once per body, legs, plan and forcing (and the legs' tops it reads,
    `Body.leg_tops`), and every caller gets its own copy."""
    legs = sorted(legs, key=lambda leg: body.xy[leg, 1])[:2]
    key = (tuple(legs), plan, forced, tuple(sorted(body.leg_tops.items())))
    if key not in body.readings:
        body.readings[key] = _upright(body, legs, plan, forced)
    reading = body.readings[key]
    return None if reading is None else reading.copy()


def _upright(body: Body, legs: list[int], plan: str, forced: bool) -> Layout | None:
    tops = body.xy[[body.leg_top(leg) for leg in legs]].mean(axis=0)
    head = head_tip(body, set(legs), tops if plan == "biped" else None, level=plan == "bird")
    if head is None:
        return None
    if plan == "bird":
        head = bird_head(body, head, set(legs), float(tops[0]))
    elif plan == "biped":
        head = top_head(body, head, legs)
    hips = meet(body, head, legs)
    spine = into_body(body, trim_head(body, body.path(hips, head), upright=plan == "biped"))
    ears: list[int] = []
    if plan == "biped":
        spine, ears = ear_fork(body, spine, legs)
    raised = raised_arm(body, spine) if plan == "biped" else None
    if raised is not None:
        spine, arm = raised
    sunk = sunk_head(body, spine, legs) if plan == "biped" and not (forced or ears or raised) else None
    if sunk is not None:
        spine, arms = sunk
    if len(spine) < 2:
        return None
    hips = spine[0]
    rise = body.xy[spine[-1]] - body.xy[hips]
    upright = float(rise[1] / max(np.linalg.norm(rise), 1e-12))
    built = bird_build(body, legs)
    # a bird's head is off to one side, or its beak shows its profile (an owl, a penguin standing upright)
    beaked = plan == "bird" and upright_beak(body, spine, head, legs)
    if not forced and ((plan == "biped" and upright < 0.3)
                       or (plan == "bird" and upright > (BIRD_UPRIGHT if built else UPRIGHT) and not beaked)):
        return None  # a biped's head is above its hips; a bird's is off to one side
    layout = Layout(plan, 0.0, "front" if plan == "biped" else "side", 0.0, "viewer", spine, sunk=bool(sunk),
                    upright_bird=beaked)
    tips = {leg: "leg" for leg in legs} | {ear: "ear" for ear in ears} | ({arm[-1]: "arm"} if raised else {})
    tips |= {path[-1]: "arm" for path in arms} if sunk else {}
    # (a tip on the floor is a leg, but for a tail trailing beside legs drawn as one column: `trailing_tail`)
    behind = [leaf for leaf in body.leaves if leaf not in tips and leaf not in spine
              and not body.between(hips, leaf, spine[1])
              and (body.xy[leaf, 1] - body.floor >= FLOOR or trailing_tail(body, leaf, legs))]
    if plan == "bird" and behind:
        tail_tip = max(behind, key=lambda leaf: _rump_reach(body, hips, leaf))
        layout.tail = body.path(hips, tail_tip)
        rump = _rump(body, layout.tail, legs)
        if rump:  # the tail parts from the legs' column below the hips: the hips are there, over the legs
            spine = layout.spine = layout.tail[rump::-1] + spine[1:]
            layout.tail, hips = layout.tail[rump:], spine[0]
    layout.limbs = limbs_on(body, layout, tips)
    # the raised arm hangs from the neck, past the head; a sunk head's arms both from where they part
    paths = {path[-1]: path for path in ([arm] if raised else []) + (arms if sunk else [])}
    for limb in layout.limbs:
        if limb.parent < 0 and limb.joints[-1] in paths:
            limb.joints = paths[limb.joints[-1]]
    if plan == "bird" and not forced and _standing_others(body, layout):
        return None  # a bird stands on its two legs: more limbs on the floor are an insect's
    fan = False  # a side-view bird's tail fan raised from its rump: as much a bird's as a wing
    beak = beak_limb(body, layout, head) if plan == "bird" else None
    free = [m for m in layout.limbs if m.parent < 0 and not m.part and not in_head_region(body, layout, m)]
    high = [m for m in free if body.xy[m.joints[0], 1] > body.xy[hips, 1] + 0.3 * np.linalg.norm(rise)]
    # with no limb from the chest, one leaving the spine above the hips is an arm lying over the torso
    # (its fork low) and one leaving at the hips themselves a tail: a plush body's limbs all leave one
    # centre, the hips, and stay arms
    above = [m for m in free if m.joints[0] != hips]
    for limb in layout.limbs:
        if limb is beak:
            continue
        if plan == "bird" and limb.parent >= 0 and _far_wing(body, layout, limb):
            continue
        if plan == "bird" and limb.parent >= 0 and layout.limbs[limb.parent].part == "wing":
            limb.part = "feather"  # a flight feather's tip past the wing's hand: part of the wing, no bone
            continue
        if limb.part or limb.parent >= 0:
            limb.part = limb.part or "limb"
            continue
        d = direction(body, limb)
        if in_head_region(body, layout, limb):
            limb.part = "ear" if plan == "biped" else "limb"
            if plan == "biped" and d[1] < 0:  # a pointed cheek or jaw tuft hangs from the head: no bone
                limb.part = "cheek"
        elif plan == "biped" and not forced and hem(body, limb.joints[-1], tops):
            limb.part = "hem"  # a skirt's or a cape's corner is part of the body: no bone
        elif plan == "biped":
            # arms hang from the chest, or (none there) reach out from a plush body's one centre
            arm = limb in high or (not high and d[1] > -UPRIGHT and (limb in above or not above))
            limb.part = "arm" if arm else ("leg" if d[1] < -UPRIGHT else "tail")
        elif limb.joints[0] in layout.tail[1:]:
            # a tail fan raised from the rump, read long and raised as a wing is: a wing pivots at the
            # shoulder, ahead of the hips; the tail's bones carry the fan, and the folded wings the
            # outline hides are added (`tucked.py`); the fan counts for the reading as a wing does
            # (`fan`: without it a dev2 wader's tail was read as a lifted leg, CD-J2J 3.1 -> 5.5).
            # Development bird side views: tip recall 0.80 -> 0.82 (dev), 0.80 -> 0.81 (mirrored),
            # 0.62 -> 0.64 (dev2), 0.66 -> 0.68; part level.
            limb.part, fan = "feather", True
        else:
            # a long limb leaving the trunk ahead of the hips is a wing held out back, level or lower
            # (`WING_RAISED` reads the raised ones wherever they leave): a bird's other long limbs,
            # its tail and legs, leave at or behind the hips. Development bird side views: part
            # accuracy 0.660 -> 0.675 (dev; one wing held level, read as an unnamed limb), tip
            # precision 0.661 -> 0.679; mirrored level (read raised there); dev2 0.710 -> 0.716,
            # tip precision 0.805 -> 0.848, mirrored 0.726 -> 0.769.
            long = body.arc(limb.joints) > WING_LONG
            ahead = limb.joints[0] in layout.spine[1:]
            limb.part = "wing" if long and (d[1] > WING_RAISED or ahead) else "limb"
    if beak is not None:  # the head bone runs on to the beak's tip
        layout.spine = spine + beak.joints[1:]
        drop_limbs(layout, {layout.limbs.index(beak)})
    if plan == "bird":
        layout.neck = bird_neck(body, layout.spine)
        crest(body, layout)
    if plan == "biped" and not forced:
        _bumps(body, layout)
    layout.hem = [m.joints[-1] for m in layout.limbs if m.part == "hem"]
    boneless = ("cheek", "hem", "feather", "bump")
    drop_limbs(layout, {i for i, m in enumerate(layout.limbs) if m.part in boneless})
    if plan == "biped":
        layout.facing = "viewer"
        layout.view_score = symmetry(body, layout.limbs, float(body.xy[spine, 0].mean()))
        # (an arm cut off a spine run up it, `raised_arm`, makes the reading no surer than it was)
        arms = sum(m.part == "arm" for m in layout.limbs) - (raised is not None)
        layout.score = float(np.clip(0.45 + 0.35 * min(1.0, (upright - 0.3) / (UPRIGHT - 0.3))
                                     + 0.1 * min(arms, 2) / 2 + 0.1 * layout.view_score
                                     - BIRD_BUILD * (built or folded_front(body, layout, legs))
                                     - WINGSPAN * wingspan(body, layout), 0, 1))
    else:
        # an upright bird faces where its beak points, a leaning one where its head leans
        ahead = body.xy[head, 0] - body.xy[spine[-1], 0] if beaked else rise[0]
        layout.facing = "left" if ahead < 0 else "right"
        sideways = float(np.sqrt(max(0.0, 1 - upright * upright)))
        extras = 0.15 * bool(layout.tail) + 0.15 * (fan or any(m.part == "wing" for m in layout.limbs))
        extras += BIRD_BUILD * built
        profile = 1.0 if beaked else min(1.0, sideways / 0.57)  # a beak shows a profile as a lean head does
        layout.score = float(np.clip(0.3 + 0.4 * profile + extras, 0, 1))
        layout.view_score = layout.score
    return layout


def _bumps(body: Body, layout: Layout) -> None:
    """A biped reading's arms beyond two: the two longest are its arms, and another under `BUMP` of the
    shorter one's length is a bump of the outline (a collar's or a shoulder's corner, a lock of hair over
    the shoulder): no bone. A person has two arms; a third as long as they are stays one (a drawn god's
    arms, a held prop's the reading cannot tell from an arm)."""
    arms = [m for m in layout.limbs if m.part == "arm" and m.parent < 0]
    arms.sort(key=lambda m: -body.arc(m.joints))
    for limb in arms[2:]:
        if body.arc(limb.joints) < BUMP * body.arc(arms[1].joints):
            limb.part = "bump"


def raised_pair(body: Body, layout: Layout) -> list[Limb]:
    """The two ears (`cues.ear_fork`) of an armless upright reading from the front that are arms
    raised from the shoulders: they leave the body where it is thickest (`SHOULDERS` of the spine's
    thickest or more: arms raised beside a big head join it and the shoulders into one broad top, the
    torso's corners; a beast's or a plush animal's ears leave a head narrower than its body) above a
    torso at least as tall as it is wide there (the spine at least that thickness's diameter long: a
    beast seen end-on is one round blob whose ears and legs leave one place). None where the reading
    has arms of its own (a plush animal's ears over its arms)."""
    spine, r = layout.spine, body.rad[layout.spine]
    ears = [m for m in layout.limbs if m.parent < 0 and m.part == "ear" and m.joints[0] == spine[-1]]
    if len(ears) != 2 or layout.view != "front" or any(m.part == "arm" for m in layout.limbs):
        return []
    return ears if r[-1] >= SHOULDERS * float(r.max()) and body.arc(spine) >= 2.0 * r[-1] else []


def lone_ear(body: Body, layout: Layout) -> list[Limb]:
    """The one ear of a biped reading from the front with one arm, on the other side of the spine: the
    other arm, raised past the head (a Y pose: the tree forks it off the head it lies along, so it
    read as an ear); ears come in pairs from the front, arms too. Empty where there is no such ear."""
    arms = [m for m in layout.limbs if m.parent < 0 and m.part == "arm"]
    ears = [m for m in layout.limbs if m.parent < 0 and m.part == "ear"]
    if layout.view != "front" or len(arms) != 1 or len(ears) != 1:
        return []
    mid = float(body.xy[layout.spine[0], 0])
    return ears if (body.xy[arms[0].joints[-1], 0] - mid) * (body.xy[ears[0].joints[-1], 0] - mid) < 0 else []


def hem(body: Body, tip: int, tops: np.ndarray) -> bool:
    """A corner of a skirt's, a dress's, a coat's or a cape's hem: a corner of the outline
    (`cues.corner`) below where the legs leave the body (`tops`: a skirt hangs from the hips over the
    thighs), the outline under it mostly open towards the legs (`cues.open_below`, `HEM_OPEN`: only
    the legs come out from under a hem; a plush arm's tip hangs beside its belly)."""
    low = body.xy[tip, 1] < tops[1]
    return bool(low and corner(body, tip) and open_below(body, tip, float(tops[0])) >= HEM_OPEN)


def top_head(body: Body, head: int, legs: list[int]) -> int:
    """A biped's head tip where `cues.head_tip` chose a hand's: a hand held out ahead or up by the
    shoulders reads as thick near its tip as a crown (the torso within its reach), and a head leaning
    far off the line above the feet loses to it; but only the head sits on a neck over the shoulders.
    The tip whose way up from the hips passes the highest head over a neck on a torso (`necked_head`)
    replaces `head` where that head is higher than the one `head`'s way passes by more than its
    radius, or (`head`'s way passing none) its crown (centre and radius) is higher than `head`: a
    hand raised above the head stays, `raised_arm` reads it. Development biped side part accuracy
    0.46 -> 0.58 and 0.50 -> 0.73 (one figure, both facings), 0.43 -> 0.52 (a hare's hand held up
    before its face; its long ear over the head is then taken for a raised arm, `raised_arm`), dev2
    0.39 -> 0.70 and 0.39 -> 0.74 (a figure leaning back, its arms held out ahead), 0.48 -> 0.74 and
    0.52 -> 0.70; no view worse."""
    def centre(leaf: int) -> int | None:
        path = body.path(meet(body, leaf, legs), leaf)
        found = necked_head(body, path) if len(path) >= 4 else None
        return None if found is None else path[found[0]]

    heads = {leaf: c for leaf in body.leaves if leaf not in legs and (c := centre(leaf)) is not None}
    if not heads:
        return head
    reach = body.distances(0)
    best = max(heads, key=lambda leaf: (float(body.xy[heads[leaf], 1]), float(reach[leaf]), -leaf))
    mine = centre(head)
    top = heads[best]
    if mine is None:  # the head's crown above the tip taken for it: no hand raised over the head
        return best if body.xy[top, 1] + body.rad[top] > body.xy[head, 1] else head
    return best if body.xy[top, 1] > body.xy[mine, 1] + body.rad[top] else head


def raised_arm(body: Body, spine: list[int]) -> tuple[list[int], list[int]] | None:
    """A biped's arm raised past its head where the medial tree has no tip of the head's own: the path
    up from the hips runs through the head (a thick blob over a neck) and on out along the arm to its
    hand, an end thinner than a head (`tucked.HEAD_THICKNESS` of the trunk's thickest, or under `NECK`
    of the head's own thickness: a plush figure's thick arm by its big head). Walking down from
    that end, the first stretch as thick as a head is the head, its thickest joint the centre, until
    the path narrows under `NECK` of it (the neck) before thickening again into the torso. Returns the
    spine up to the head's centre and the arm: from the torso's top (where the path under the neck is
    as much thicker again: the shoulders), then its path beyond the head's disc (the arm passes the
    head in front of or behind it, though the tree have but its tip there); None where the end is a
    head or no necked head lies under it.
    Development side views (both facings): two views whose spine ran up a raised arm, biped side part
    accuracy 0.43 -> 0.71 and 0.48 -> 0.76, and one whose big hair made the head thicker than the torso
    (its arm reaching out at the head's height); it also reads two front views' raised arms. An end
    thinner than the head alone, one tip beyond its disc: dev2 biped part accuracy 0.709 -> 0.712 and
    0.675 -> 0.686 (mirrored: a chunky arm raised past a big head, 0.40 -> 0.60), dev unchanged."""
    found = necked_head(body, spine) if len(spine) >= 5 else None
    if found is None:
        return None
    head, _, shoulders = found
    thin = max(HEAD_THICKNESS * float(body.rad[spine].max()), NECK * body.rad[spine[head]])
    if body.blob(spine[-1]) >= thin:
        return None
    centre, radius = body.xy[spine[head]], body.rad[spine[head]]
    beyond = [j for j in spine[head + 1 :] if np.linalg.norm(body.xy[j] - centre) > radius]
    if not beyond:
        return None
    return spine[: head + 1], [spine[shoulders]] + beyond


def necked_head(body: Body, spine: list[int]) -> tuple[int, int, int] | None:
    """(head's centre, neck, shoulders): indices along a spine read down from its end. The first
    stretch as thick as a head (`tucked.HEAD_THICKNESS` of the trunk's thickest) is the head, its
    thickest joint the centre, until the path narrows under `NECK` of it; on down to the path's thinnest
    (a chin, then the neck); the shoulders (the torso's top) where the path under the neck is as much
    thicker again. None without a neck or without a torso under it (the head is the torso)."""
    return _necked_radii(body.rad[spine])


def _necked_radii(r: np.ndarray) -> tuple[int, int, int] | None:
    """`necked_head` on the radii along a path read down from its end."""
    k = len(r) - 1
    while k > 0 and r[k] < HEAD_THICKNESS * float(r.max()):
        k -= 1
    head = k
    while k > 0 and r[k - 1] >= NECK * r[head]:
        k -= 1
        head = k if r[k] > r[head] else head
    neck = k - 1
    while neck > 1 and r[neck - 1] <= r[neck]:
        neck -= 1
    if neck < 1 or float(r[:neck].max()) <= r[neck] / NECK:
        return None
    shoulders = neck
    while shoulders > 1 and r[shoulders] < r[neck] / NECK:
        shoulders -= 1
    return head, neck, shoulders


def chibi_head(body: Body, spine: list[int]) -> bool:
    """Whether the head at the spine's end is a chibi's or plush figure's (`tucked.CHIBI_HEAD` of the
    height or more): it sits on its body with no neck between (`side_neck`)."""
    return 2.0 * body.blob(spine[-1]) >= CHIBI_HEAD * body.height


def side_neck(body: Body, layout: Layout) -> None:
    """A side view biped's neck and shoulders read off its outline (`necked_head`), where the medial
    tree's forks and the head's proportions misplace them.

    The arms hang from the shoulders at the torso's top, wherever the tree forks into them lower down:
    seen from the side an arm lies over the torso from the shoulder to where its outline leaves the
    torso's, so the tree merges it into the trunk's axis down to there (a neck then ran from that fork
    over the whole chest). Each arm's path runs from the shoulders down the trunk to that fork and out.
    Development biped side part accuracy 0.550 -> 0.569 (dev), 0.577 -> 0.588 (mirrored), 0.549 ->
    0.559 (dev2); CD-J2J 3.51 -> 3.49, 3.53 -> 3.45, 3.58 -> 3.55.

    The head starts where the neck widens into it (the chin: as much thicker again than the neck's
    thinnest as the shoulders are) and the neck at its thinnest; a chibi's or plush figure's head
    (`tucked.CHIBI_HEAD` of the height or more) sits on its body with no neck between: it starts at
    the pinch, and the neck reaches halfway to the shoulders (`Layout.neck`; two head radii down from
    the crown had put a plush head's base a third of the head too high). Development biped side part
    accuracy 0.569 -> 0.599 (dev), 0.588 -> 0.625 (mirrored), 0.559 -> 0.562 (dev2); chunky 0.666 ->
    0.713, 0.638 -> 0.644, 0.569 -> 0.580 (dev2chunky); CD-J2J thin 3.49 -> 3.46, 3.45 -> 3.50, 3.55
    -> 3.59, chunky 2.10 -> 2.03, 2.18 -> 2.13, 2.09 -> 1.96."""
    found = necked_head(body, layout.spine) if layout.view == "side" and layout.head else None
    if found is None:
        return
    head, neck, shoulders = found
    spine, r = layout.spine, body.rad[layout.spine]
    if chibi_head(body, spine):
        layout.neck = (spine[neck], spine[(neck + shoulders) // 2])
    else:
        chin = neck
        while chin < head and r[chin] < r[neck] / NECK:
            chin += 1
        layout.neck = (spine[chin], spine[neck])
    for limb in layout.limbs:
        if limb.part == "arm" and limb.parent < 0 and limb.joints[0] in spine[:shoulders]:
            limb.joints = body.path(spine[shoulders], limb.joints[-1])


def beak(body: Body, head: int, legs: set[int], legs_x: float) -> int:
    """A side-view bird's head tip: of the tips forking off the head's path within the head (within
    `HEAD_REACH` of the head tip found, where the figure is thinner than `HEAD_BODY` of its thickest: a
    wing forks off the body), the one reaching farthest forward (away from the legs along the image's
    x): the beak leads a bird's profile; a crest or a comb rises over its skull and may reach farther
    from the body's centre, which `cues.head_tip` prefers."""
    forward = 1.0 if body.xy[head, 0] >= legs_x else -1.0
    near = body.distances(head)
    path = body.path(head, 0)

    def fork(leaf: int) -> int:
        return min(path, key=lambda j: float(body.distances(leaf)[j]))

    around = [leaf for leaf in body.leaves if leaf not in legs and near[fork(leaf)] <= HEAD_REACH
              and body.rad[fork(leaf)] <= HEAD_BODY * body.thickest]
    return max(around + [head], key=lambda leaf: (forward * float(body.xy[leaf, 0]), -leaf))


def upright_beak(body: Body, spine: list[int], head: int, legs: list[int]) -> bool:
    """Whether a side-view bird standing upright (an owl, a penguin: its head straight above its hips,
    where a leaning bird's is off to one side) shows its profile by its beak: the head tip `head`
    (`bird_head`'s) leaves the head's centre, where `cues.trim_head` stopped the spine (not a neck:
    under `NECK` of a joint beyond it, as where a hand held out at a person's chin leaves), within
    `BEAK_REACH` head radii of it, thin as a beak is (`beak_limb`'s `BEAK`), pointing nearer level than
    up or down and the way the toes point (`toes`; a person's ponytail or bun points back)."""
    end = spine[-1]
    way = body.path(end, head)
    if len(spine) < 2 or len(way) < 2 or set(way[1:]) & set(spine):
        return False  # the tip the spine's end, on the spine, or its way back down the neck: no beak
    beyond = [j for n in body.adj[end] if n != spine[-2] for j in body.away(end, n)]
    if body.rad[end] < NECK * float(body.rad[beyond].max(initial=0.0)):
        return False  # a neck under a head beyond: a hand held out at a person's chin, no beak
    reach = body.xy[head] - body.xy[end]
    thin = float(np.median(body.rad[way[1:]])) <= BEAK * body.thickest
    short = float(np.linalg.norm(reach)) <= BEAK_REACH * body.rad[end]
    level = abs(float(reach[1])) <= abs(float(reach[0]))
    return thin and short and level and toes(body, set(legs)) * float(reach[0]) > 0


def beak_limb(body: Body, layout: Layout, head: int) -> Limb | None:
    """The beak of a side-view bird where the spine stops short of it: `cues.trim_head` ends a spine
    at the head's centre where only short tips leave it (a biped's ears, a beast's horns), and a beak
    is as short, so the beak `bird_head` chose hung from the skull as an unnamed limb and the head bone
    pointed at the crown or a crest (an animator's head control aimed off the bill, and the beak a
    bone of its own). The limb from the spine's end to `head`, thin as a beak is (its median radius
    `BEAK` of the body's thickest or less: the synthetic birds' beaks taper from 0.45 to 0.12 of a
    head 0.35 to 0.55 of the body's radius; the development set's beaks read 0.03 to 0.08; a snout
    read as a bird's is thicker): `upright` runs the spine on along it. Development bird side views
    (with the wing rule in `upright`): part accuracy 0.675 -> 0.680 (dev), 0.664 -> 0.675
    (mirrored), tip precision 0.679 -> 0.713, 0.717 -> 0.743, CD-J2J 4.02 -> 3.96 (dev); dev2 level,
    mirrored part 0.597 -> 0.603, tip precision 0.769 -> 0.805 (CD-J2J mirrored dev 4.18 -> 4.20). None
    where there is no such limb."""
    end = layout.spine[-1]
    for limb in layout.limbs:
        if limb.parent < 0 and limb.joints[0] == end and limb.joints[-1] == head and not limb.part:
            thin = float(np.median(body.rad[limb.joints[1:]])) <= BEAK * body.thickest
            return limb if thin else None
    return None


def bird_neck(body: Body, spine: list[int]) -> tuple[int, int] | None:
    """(head's base, neck's base) on a side-view bird's spine (`Layout.neck`), read back from its tip
    (the beak, `beak`): the head is the thickest stretch behind the beak (at least `HEAD_MIN` of the
    body's thickest: not the beak's own taper) before the path narrows under `SKULL` of it (the neck) or
    gets `HEAD_BODY` of the body's thickest (no neck shows): its base at that thickest point, the skull's
    centre, where the neck joins it (the head bone runs on to the beak's tip); the neck's base where the
    path behind the neck's thinnest gets thicker again by 1 / `NECK` (the body). None where the spine
    never gets a head's thickness. The default (two head radii from the tip) left a long beak's head
    bone on the beak alone. With `beak`: development bird side part accuracy 0.595 -> 0.611 (dev), 0.501
    -> 0.561 (mirrored), 0.499 -> 0.502 (dev2); CD-J2J 4.41 -> 4.36, 4.44 -> 4.55 (a shark read as a
    bird and one bird worse), 4.71 -> 4.49."""
    r = body.rad[spine[::-1]]
    found = _skull(r, body.thickest)
    if found is None:
        return None
    head = found[0]
    thin = next((k for k in range(head + 1, len(r)) if r[k] >= HEAD_BODY * body.thickest), len(r) - 1)
    thin = head + 1 + int(np.argmin(r[head + 1 : thin + 1])) if thin > head else head
    base = next((k for k in range(thin, len(r)) if r[k] >= r[thin] / NECK), len(r) - 1)
    if base >= len(r) - 1:
        return None
    return spine[::-1][head], spine[::-1][base]


def _skull(r: np.ndarray, thickest: float) -> tuple[int, int | None] | None:
    """(the skull's thickest, where the path first narrows behind it under `SKULL` of that or None):
    indices along radii `r` read from a bird's beak back (`bird_neck`), the skull at least `HEAD_MIN` of
    the body's `thickest`, read up to where the path gets `HEAD_BODY` of it; None without a skull."""
    head, neck = -1, None
    for k, radius in enumerate(r):
        if radius >= HEAD_BODY * thickest:
            break
        if head >= 0 and radius < SKULL * r[head]:
            neck = k
            break
        if radius >= HEAD_MIN * thickest and (head < 0 or radius > r[head]):
            head = k
    return None if head < 0 else (head, neck)


def bird_head(body: Body, head: int, legs: set[int], legs_x: float) -> int:
    """A side-view bird's head tip, `cues.head_tip`'s choice (`head`) checked against what a bird's
    profile shows: its toes point ahead (`toes`: the head is on that side of the legs; a raised wing's or
    a tail fan's tip behind them is none), its head is set off by a neck (`necked_tip`), and the head
    bone runs to the beak (`beak`). `head_tip` reads a tip's thickness within `HEAD_REACH` of it: a long
    beak reads thin there, a wing's broad end or a tail fan thick (the development set's second draw: 6
    of 12 bird side views had their head on a wing or the tail, facing the wrong way). Development bird
    side views: part accuracy 0.611 -> 0.611 (dev), 0.555 -> 0.605 (mirrored), 0.501 -> 0.627 (dev2);
    CD-J2J 4.30 -> 4.30, 4.51 -> 4.49, 4.50 -> 3.83; tip precision 0.588 -> 0.599 (mirrored), 0.597 ->
    0.665 (dev2). A shark read as a bird in dev is read as a biped from the side (dev CD-J2J 4.834 ->
    4.837, part 0.649 -> 0.647)."""
    forward = toes(body, legs)

    def ahead(leaf: int) -> bool:
        return forward == 0 or forward * float(body.xy[leaf, 0] - legs_x) > 0

    behind = legs | {leaf for leaf in body.leaves if not ahead(leaf)}
    if not ahead(head):
        head = head_tip(body, behind, level=True) or head
    return beak(body, necked_tip(body, head, behind), legs, legs_x)


def toes(body: Body, legs: set[int]) -> float:
    """Where a side-view bird faces by its feet on the floor: +1 (image right) or -1 where each one's
    last stretch (`TOE`) points that way along the image, on average by `SIDE_TOES` of its direction or
    more (a bird's toes point ahead; one foot may be foreshortened, its toes turned toward the viewer:
    a drawn crested bird's feet pointed 0.80 and 0.24 ahead, and, undecided, its tail fan, broader at
    its end, was taken for a head over a neck), else 0."""
    ahead = [along(tip_direction(body, leg, 0, TOE)) for leg in legs if on_floor(body, leg)]
    if ahead and all(a > 0 for a in ahead) and np.mean(ahead) >= SIDE_TOES:
        return 1.0
    return -1.0 if ahead and all(a < 0 for a in ahead) and np.mean(ahead) <= -SIDE_TOES else 0.0


def necked_tip(body: Body, head: int, exclude: set[int]) -> int:
    """A side-view bird's head tip where `head` is no head: a tip (not in `exclude`) whose path back to
    the body passes a skull (`_skull`) and then a neck (thinner, then thicker than the skull again: the
    body), as a bird's beak does and a raised wing's tip, widening into the body, does not (it reads
    thicker near its end than a long beak does); of several such tips the one with the thickest skull.
    `head` where it is one itself or no tip is."""
    def skull(leaf: int) -> float:
        r = body.rad[body.path(leaf, 0)]
        found = _skull(r, body.thickest)
        if found is None or found[1] is None or float(r[found[1]:].max()) <= r[found[0]]:
            return 0.0
        return float(r[found[0]])
    if skull(head) > 0:
        return head
    necked = {leaf: skull(leaf) for leaf in body.leaves if leaf not in exclude}
    best = max(necked, key=lambda leaf: (necked[leaf], -leaf), default=head)
    return best if necked.get(best, 0.0) > 0 else head


def crest(body: Body, layout: Layout) -> None:
    """A side-view bird's short limbs that leave its skull (forking off the spine within the skull's
    radius of its centre, `bird_neck`'s head base; at most `CREST` skull radii long: a wing raised from
    the back next to the head is longer; or any stub within the disc it leaves) and rise from there, no
    farther forward than the beak, are a
    crest's or a comb's feathers: part of the head, no bone (the head bone runs to the beak; Rigify's
    bird has no crest). A tip reaching farther forward is a beak `beak` missed: it stays. Development
    bird side views: tip precision 0.608 -> 0.622 (dev), 0.568 -> 0.588 (mirrored), 0.593 -> 0.597
    (dev2); CD-J2J 4.36 -> 4.30, 4.55 -> 4.49, 4.49 -> 4.47; part accuracy level."""
    if layout.neck is None:
        return
    skull, end = layout.neck[0], layout.spine[-1]
    forward = 1.0 if body.xy[end, 0] >= body.xy[layout.spine[0], 0] else -1.0
    for limb in layout.limbs:
        start, tip = body.xy[limb.joints[0]], body.xy[limb.joints[-1]]
        near = float(np.linalg.norm(start - body.xy[skull])) <= body.rad[skull]
        short = body.arc(limb.joints) <= CREST * body.rad[skull]
        # (a stub within the disc it leaves is the round crown's tip: an owl's big head is no skull here)
        stub = body.arc(limb.joints) <= body.rad[limb.joints[0]]
        rising = tip[1] > start[1] and forward * tip[0] <= forward * body.xy[end, 0]
        if limb.parent < 0 and limb.part != "leg" and (near and short or stub) and rising:
            limb.part = "feather"


def _rump(body: Body, tail: list[int], legs: list[int]) -> int:
    """Where a side-view bird's tail path (from the hips) parts from the way down to its legs, as an index
    along it: 0 where it leaves the hips themselves; more where the tree runs the tail down the legs'
    column first (a tail trailing on the floor beside legs drawn as one, `cues.trailing_tail`), which
    would hang the legs from the tail."""
    ways = [body.path(tail[0], leg) for leg in legs]
    k = 0
    while k + 1 < len(tail) and all(k + 1 < len(way) and way[k + 1] == tail[k + 1] for way in ways):
        k += 1
    return k


def _rump_reach(body: Body, hips: int, leaf: int) -> float:
    """How far a leaf behind a side-view bird's hips reaches back as a tail does: its reach along the
    image's x less its rise above the hips (a tail leaves the rump level or drooping; a wing's or a
    flight feather's tip behind the hips, raised over the back, is no tail)."""
    reach = body.xy[leaf] - body.xy[hips]
    return abs(float(reach[0])) - max(0.0, float(reach[1]))


def _far_wing(body: Body, layout: Layout, limb: Limb) -> bool:
    """A long branch (`WING_LONG`) of a side-view bird's wing is the far wing, the two overlapping from
    the shoulder out: it becomes a wing from the trunk, the near wing's path to the fork, then the branch
    (as `parts.hanging` splits two legs the tree joins at a knee). Shorter branches are feather tips."""
    parent = layout.limbs[limb.parent]
    if parent.part != "wing" or parent.parent >= 0 or body.arc(limb.joints) <= WING_LONG:
        return False
    limb.joints = parent.joints[: parent.joints.index(limb.joints[0])] + limb.joints
    limb.parent, limb.part = -1, "wing"
    return True


def _standing_others(body: Body, layout: Layout) -> bool:
    """Whether the head or a limb from the trunk other than the legs stands on the floor (a bird has
    two legs; its tail may touch, and toes branch off a leg): an insect's other legs."""
    ends = [layout.spine[-1]] + [m.joints[-1] for m in layout.limbs if m.parent < 0 and m.part != "leg"]
    return any(on_floor(body, end) for end in ends)


def bird_build(body: Body, legs: list[int]) -> bool:
    """A bird's build: stick legs (`sticks.stick_legs`) under a figure at least `BIRD_WIDE` as wide as
    tall (a bird's body, tail and neck held level or its wings; a standing biped with thin legs is
    narrow)."""
    return body.width >= BIRD_WIDE * body.height and stick_legs(body, legs)


def biped(body: Body, legs: list[int], forced: bool = False) -> Layout | None:
    """The upright reading of a biped, seen from the front or the side (`seen`)."""
    layout = upright(body, legs, "biped", forced)
    if layout is not None:
        seen(body, layout, sorted(legs, key=lambda leg: body.xy[leg, 1])[:2])
        for limb in raised_pair(body, layout) + lone_ear(body, layout):
            limb.part = "arm"
        side_neck(body, layout)
        side_hips(body, layout)
        skirt_hips(body, layout)
    return layout


def waist(body: Body, path: list[int]) -> int:
    """Where a skirt flares out from (`path` from its hem or the floor up to the head): from the
    skirt's thickest in the path's lower half (by arc; the tree's fork at the hem is thin, the hem's
    edge near) up while it narrows, within that half (dev biped CD-J2J within 0.02 of the lowest
    joint as thin as the half's thinnest, a dress from the front's hips 0.07 of its height nearer
    its waist)."""
    arc = body.distances(path[0])[path]
    lower = [k for k in range(len(path) - 2) if arc[k] <= 0.5 * arc[-1]] or [0]
    k = max(lower, key=lambda k: body.rad[path[k]])
    while k + 1 <= lower[-1] and body.rad[path[k + 1]] <= body.rad[path[k]]:
        k += 1  # up the skirt while it narrows
    return k


def skirt_hips(body: Body, layout: Layout) -> None:
    """A biped in a skirt, a dress or a coat (corners of a hem on its reading, `cues.corner`): the hips
    at the waist, where the skirt flares out from (the thinnest of the spine's lower half), not at the
    hem, where the tree forks into the legs and the skirt's corners; the legs hang from there."""
    spine = layout.spine
    if not layout.hem or len(spine) < 4:
        return
    k = waist(body, spine)
    if k <= 0:
        return
    layout.spine = spine[k:]
    for limb in layout.limbs:
        if limb.parent < 0 and limb.joints[0] in spine[:k]:
            limb.joints = body.path(spine[k], limb.joints[-1])


def side_hips(body: Body, layout: Layout) -> None:
    """A side view biped's hips where its torso ends (`cues.hips_on`: from the trunk's thickest in the
    lower half of the spine down to the last joint still three quarters as thick), not where the tree
    forks into the legs: seen from the side the thighs overlap from the hips down, so the outline (and
    the tree) parts them only at the knees of a stride or a raised leg, and the spine ran on down the
    thighs. Limbs hanging from the stretch cut off hang from the hips, along it (both legs share their
    thighs' path). Development biped side part accuracy 0.599 -> 0.648 (dev), 0.625 -> 0.657
    (mirrored), 0.562 -> 0.564 (dev2); CD-J2J 3.46 -> 3.26, 3.50 -> 3.24, 3.59 -> 3.56 (hips at 0.45
    of the height gave 0.629, 0.652, 0.581: a standing person's proportion, not a kneeling one's)."""
    spine = layout.spine
    if layout.view != "side" or len(spine) < 4 or layout.hem:  # a skirt is widest at its hem: `skirt_hips`
        return
    k = spine.index(hips_on(body, spine))
    if k <= 0 or k >= len(spine) - 2:
        return
    layout.spine = spine[k:]
    if layout.neck is not None and not set(layout.neck) <= set(layout.spine):
        layout.neck = None
    for limb in layout.limbs:
        if limb.parent < 0 and limb.joints[0] in spine[:k]:
            limb.joints = body.path(spine[k], limb.joints[-1])


def seen(body: Body, layout: Layout, legs: list[int]) -> None:
    """Front or side for an upright biped, from its feet on the floor: seen from the side, both point
    one way along the image (each `SIDE_TOES` of its direction or more; a lone foot on the floor, the
    other leg raised, `SOLE_TOE`, on an outline that is not mirror-symmetric: `Body.mirror` under
    `MIRROR_SIDE`, or the two feet of a step on average `SIDE_TOES`: a runner's foot pushing off
    points down more than ahead, the raised one ahead), and the figure faces where they point; from the
    front, the feet point at the viewer (down in the image) or turn out, each to its own side. A raised
    foot's direction alone says nothing (a leg kicked back, a cape's hem read as a leg). The view's confidence
    grows with how far the feet agree (side) or disagree (front; at least the limbs' mirror symmetry)."""
    ahead = {leg: along(tip_direction(body, leg, layout.spine[0], TOE)) for leg in legs}
    standing = [leg for leg in legs if on_floor(body, leg)]
    if len(standing) >= 2:
        a, b = (ahead[leg] for leg in standing[:2])
        agree, bar, way = min(abs(a), abs(b)) * (1.0 if a * b > 0 else -1.0), SIDE_TOES, a
    elif standing and body.mirror < MIRROR_SIDE[0]:
        way = ahead[standing[0]]
        agree, bar = abs(way), SOLE_TOE
        raised = [leg for leg in legs if leg not in standing]
        step = 0.5 * (way + ahead[raised[0]]) if len(raised) == 1 else 0.0
        if abs(step) - SIDE_TOES > agree - SOLE_TOE:  # a step: both feet, on average, point one way
            agree, bar, way = abs(step), SIDE_TOES, step
    else:
        return
    if agree >= bar:
        layout.view, layout.facing = "side", "left" if way < 0 else "right"
        layout.view_score = float(np.clip(0.5 + (agree - bar), 0.5, 0.95))
    else:
        layout.view_score = float(np.clip(max(layout.view_score, 0.5 - agree), 0, 0.95))


def side_biped(body: Body, leg: int) -> Layout | None:
    """A biped from the side whose legs the tree draws as one (a plush or chibi figure: one chain
    from a foot on the floor up to the head): a tall figure (1.75 times as tall as wide) with at most
    four tips and a neck under its head (a tree's or a lamp's pole has none) and a torso thicker than
    its leg (`TORSO`; a floor lamp's shade sits on a pole as thick at the floor as higher up); the hips
    where the leg leaves the torso, the spine up to the head (an ear above it a limb), facing where the
    foot points: where the toes reach past the ankle along the floor (`cues.footprint`; the tree may end
    two feet overlapping on the floor at a heel), else where the leg's tip points. A robe to the floor
    (its hem as thick as the path's thickest, the leg leaving the torso inside the hem's disc: the tree
    may end a joint inside it) hides the legs; its neck is read above its waist (the hem is no torso for
    the head to be measured against)."""
    if body.height < 1.75 * body.width or len(body.leaves) > 4:
        return None
    # the head tops the ankle: a side view's toe points ahead, under a hand held out ahead of the body
    ankle = next((j for j in body.branch(leg)[::-1] if body.xy[j, 1] - body.floor >= FLOOR), leg)
    head = head_tip(body, {leg}, body.xy[ankle])
    if head is None:
        return None
    path = body.path(leg, head)
    hips = hips_on(body, path)
    ankle = next((k for k in range(len(path)) if body.xy[path[k], 1] - body.floor >= FLOOR), 0)
    if 0 < path.index(hips) < ankle < len(path) - 2:  # a foot's corner on the floor is no torso
        hips = hips_on(body, path[ankle:])
    # (where the leg leaves the torso inside the hem's own disc, no leg shows under it)
    hem = body.distances(leg)[hips] <= body.rad[leg]
    robe = hem and body.rad[leg] >= ROBE * float(body.rad[path].max())
    upper = path[waist(body, path):] if robe else path  # a robe's hem is no torso: the neck is above it
    if not (necked(body, upper) or _sampled_neck(body, upper)):
        return None
    if robe:  # a long skirt or a robe stands on the floor, the legs hidden in it down to its hem
        hips = path[waist(body, path)]
    elif _torso(body, path) < TORSO:
        return None  # a pole as thick from the floor up as at its middle: a floor lamp, a tree's trunk
    spine = ear_end(body, trim_head(body, body.path(hips, head)))
    if len(spine) < 2 or hips == leg:
        return None
    rise = body.xy[spine[-1]] - body.xy[hips]
    if rise[1] < UPRIGHT * float(np.linalg.norm(rise)):
        return None
    layout = Layout("biped", 0.0, "side", 0.0, "viewer", spine)
    layout.limbs = limbs_on(body, layout, {leg: "leg"})
    foot = body.xy[leg, 0] - body.xy[body.path(leg, hips)[min(2, len(body.path(leg, hips)) - 1)], 0]
    way = footprint(body, float(body.xy[path[ankle], 0]))
    if abs(way) >= FOOTPRINT:  # the toes' side of the ankle, where the tree may have ended at a heel
        foot = way
    layout.facing = "left" if foot < 0 else "right"
    for limb in layout.limbs:
        if not limb.part:
            head = limb.parent < 0 and in_head_region(body, layout, limb)
            # on the head: an ear rises from it, a nose or a muzzle points ahead (no bone); no arm
            limb.part = ("ear" if direction(body, limb)[1] > 0 else "nose") if head else (
                "arm" if limb.parent < 0 else "tail" if _rear(body, hips, limb, foot) else "limb")
    drop_limbs(layout, {i for i, m in enumerate(layout.limbs) if m.part == "nose"})
    _crown(body, layout)
    side_neck(body, layout)
    # a foot turning along the floor (`SOLE_TOE`) is no snake's tail end held upright: a person's profile
    sole = abs(along(tip_direction(body, leg, hips, TOE))) >= SOLE_TOE
    layout.score = float(np.clip(0.55 + 0.2 * (body.height / body.width - 1.5), 0, 0.75)) + FOOT * sole
    layout.view_score = layout.score
    return layout


def _crown(body: Body, layout: Layout) -> None:
    """A side view's head whose outline the tree ends in a stub rising from the spine's end within its
    disc (an owl's round crown over a beak the spine was trimmed back from): the spine runs on up to
    the crown, the head's top, and the stub is no ear (it had an ear bone with no flesh of its own)."""
    end = layout.spine[-1]
    stubs = [i for i, m in enumerate(layout.limbs) if m.part == "ear" and m.parent < 0 and m.joints[0] == end
             and np.linalg.norm(body.xy[m.joints[-1]] - body.xy[end]) <= body.rad[end]]
    if len(stubs) == 1:
        layout.spine = layout.spine + layout.limbs[stubs[0]].joints[1:]
        drop_limbs(layout, set(stubs))


def _rear(body: Body, hips: int, limb: Limb, foot: float) -> bool:
    """Whether a side view's limb off the leg leaves it at the hips (within their disc) and hangs down
    behind them, away from where the foot points (`foot`, along x), past halfway to the floor: a tail
    (a perching bird's, read as a biped, hangs from where the legs leave the body; a hand or a coat's
    corner behind the hips ends higher)."""
    root, tip = limb.joints[0], limb.joints[-1]
    low = body.xy[tip, 1] < 0.5 * (body.xy[hips, 1] + body.floor)
    behind = foot * (body.xy[tip, 0] - body.xy[hips, 0]) < 0
    return bool(low and behind and body.distances(hips)[root] <= body.rad[hips])


def leaning_biped(body: Body, bird: Layout | None, leg: int) -> Layout | None:
    """A biped from the side leaning forward over its legs, the two one behind the other in one thick
    column (a dinosaur, a kangaroo): the bird's side reading of the figure (the head forward, off the
    vertical), standing on a leg no bird stands on (thicker along its shank, the lower half of its way
    down, than two of a bird's sticks side by side, `sticks.SHANK`; the development and dev2 birds' side
    views at most 0.23 of the body's thickest, their one-legged bipeds' from 0.4; higher up, a duck's leg
    the tree hung from the middle of its level body runs inside the body) and showing no wing. What
    leaves the trunk behind the hips, away from the head, is its tail (a bird's reading looks for a tail
    only behind where the legs leave the body; a thick column leaves it under the rump); what leaves it
    ahead is an arm. A wing the bird's reading took only for leaving the trunk ahead of the hips, not raised
    (`WING_RAISED`), is such an arm: a T-rex's arm is as long as a folded wing held out."""
    if bird is None or any(m.part == "wing" and direction(body, m)[1] > WING_RAISED for m in bird.limbs):
        return None
    if leg_thickness(body, [leg], 0.5, 0.9) <= 2 * SHANK * body.thickest:
        return None
    layout = Layout("biped", bird.score, "side", bird.view_score, bird.facing, bird.spine, bird.tail,
                    bird.limbs, neck=bird.neck)
    ahead = -1.0 if layout.facing == "left" else 1.0
    hips = body.xy[layout.spine[0], 0]
    for limb in layout.limbs:
        if limb.parent < 0 and limb.part in ("limb", "wing"):
            limb.part = "tail" if ahead * (body.xy[limb.joints[-1], 0] - hips) < 0 else "arm"
    return layout


def _sampled_neck(body: Body, path: list[int]) -> bool:
    """Whether a head sits over a neck on a torso along `path` (`necked_head`), read off the outline's
    thickness sampled every `NECK_STEP` along the path, not only at the tree's joints: a chunky torso
    is thicker than the head (`cues.necked` takes its top for the head), and the tree may join the
    shoulders to the head's centre by one edge, across a short neck."""
    points = body.pos[path].astype(np.float64)
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points[:, :2], axis=0), axis=1))])
    at = np.linspace(0.0, arc[-1], max(int(arc[-1] / NECK_STEP), 2) + 1)
    samples = np.stack([np.interp(at, arc, points[:, d]) for d in range(points.shape[1])], axis=1)
    r = np.asarray(body.shape.radius_at(samples.astype(np.float32)), np.float64)
    found = _necked_radii(r)
    if found is None:
        return False
    head, neck, _ = found  # a head is round: from the neck to the crown about its own diameter
    return at[-1] - at[neck] <= ROUND * 2.0 * r[head]


def _torso(body: Body, path: list[int]) -> float:
    """How much thicker a one-chain figure is at its torso (its thickest 15-60 % of the way up `path`
    from the foot) than along its leg (the median 5-25 % of the way)."""
    arc = body.distances(path[0])[path]
    f = arc / max(float(arc[-1]), 1e-12)
    torso = [j for j, a in zip(path, f) if 0.15 <= a <= 0.6]
    leg = [j for j, a in zip(path, f) if 0.05 <= a <= 0.25]
    if not torso or not leg:
        return 0.0
    return float(body.rad[torso].max() / max(float(np.median(body.rad[leg])), 1e-12))


def front_quadruped(body: Body, legs: list[int]) -> Layout | None:
    """A quadruped seen from the front: an upright reading whose other limbs reach the floor too (the
    legs behind), or that has no arms at all (the hind legs hidden behind the front ones; a spur of the
    outline thinner than `SPUR` is none) and is at
    least half as wide as tall or mirror-symmetric (`Body.mirror` ≥ 0.8: a narrow dog from the front;
    a biped from the side, its arms in front of its body, is neither) or raises its tail over its back
    (`raised_tail`). The pair the body meets is the front legs."""
    layout = upright(body, legs, "biped", forced=True)
    if layout is None or raised_pair(body, layout):
        return None  # (arms raised from the shoulders: a person cheering)
    tail = raised_tail(body, layout, legs)
    if tail is not None:  # the head seen end-on tops the trunk; the tail rises behind it
        layout.spine, stalk = tail
        layout.limbs = [m for m in layout.limbs if m.joints[-1] != stalk[-1]]
    crowned = antlers(body, layout)
    if crowned is not None:
        layout.spine, layout.limbs = crowned
        layout.crown = [m.joints[-1] for m in layout.limbs if m.part == "limb"]
    reach = [m for m in layout.limbs if m.parent < 0 and m.part in ("arm", "leg", "tail")
             and body.xy[m.joints[-1], 1] - body.rad[m.joints[-1]] - body.floor < 1.5 * FLOOR]
    arms = [m for m in layout.limbs if m.part == "arm" and m not in reach
            and body.rad[m.joints[1:]].max(initial=0.0) >= SPUR]
    hind = [m for m in reach if m.part != "leg"]
    narrow = body.width < 0.5 * body.height and body.mirror < MIRROR_SIDE[0] and tail is None
    if arms or (hind and len(hind) < 2) or (not hind and narrow and not _facing_head(body, layout, legs)):
        return None  # armless, narrow, asymmetric: a biped from the side, its arms in front of its body
    layout.plan = "quadruped"
    for limb in layout.limbs:
        if limb.part == "leg":
            limb.part = limb.group = "front_leg"
        elif limb in hind:
            limb.part = limb.group = "hind_leg"
        elif limb.part in ("arm", "tail"):
            limb.part = "limb"
    if tail is not None:
        layout.limbs.append(Limb("tail", tail[1]))
    layout.score = float(np.clip(layout.score + (0.1 if hind else 0.05) - 0.1 * (len(body.leaves) > 6), 0, 1))
    return layout


def _facing_head(body: Body, layout: Layout, legs: list[int]) -> bool:
    """An armless narrow figure whose outline is not mirror-symmetric is a quadruped from the front all
    the same (a thin dog or deer turning its head aside) where its feet point at the viewer (`seen`: a
    biped from the side, its arms in front of its body, has its feet pointing one way), it stands on
    one pair of legs (a third limb reaching the floor is a hand), and every other limb is a head's:
    it leaves the spine's top `HEAD_SHARE` of the way from the hips up to its end and is at most
    `HEAD_LIMB` of the shorter leg's length (ears, horns: a person's arms folded on the chest leave
    the spine lower, arms raised over the head are about as long as the legs)."""
    probe = Layout("biped", 0.0, "front", 0.0, "viewer", layout.spine)
    seen(body, probe, legs)
    hips, top = body.xy[layout.spine[0], 1], body.xy[layout.spine[-1], 1]
    low = top - HEAD_SHARE * (top - hips)
    pair = [m for m in layout.limbs if m.parent < 0 and m.part == "leg"]
    others = [m for m in layout.limbs if m.parent < 0 and m.part != "leg"]
    if probe.view != "front" or len(pair) != 2:
        return False
    reach = HEAD_LIMB * min(body.arc(m.joints) for m in pair)
    return all(body.xy[m.joints[0], 1] >= low and body.arc(m.joints) <= reach for m in others)


def antlers(body: Body, layout: Layout) -> tuple[list[int], list[Limb]] | None:
    """Antlers or horns on a head seen from the front, which the upright reading took for raised arms:
    strokes (`ANTLER_THIN` of the trunk's thickest or thinner: a biped's arms, even a lean one's
    raised past its head, are thicker) leaving the spine at or above the head (the spine's last joint
    twice that thick; arms leave the shoulders under it), a tip of them on either
    side of the head (a pair), every arm of the reading among them. The spine then ends at the head
    and they hang from it, unnamed limbs; None where there are no such strokes."""
    spine = layout.spine
    trunk = float(body.rad[spine].max())
    k = max((k for k, j in enumerate(spine) if body.rad[j] >= 2 * ANTLER_THIN * trunk), default=0)
    arms = [m for m in layout.limbs if m.parent < 0 and m.part == "arm"]
    above = set(spine[k:])
    if k == 0 or not arms or any(_stroke_from(body, spine, m) not in above for m in arms):
        return None
    head = Layout("biped", 0.0, "front", 0.0, "viewer", spine[: k + 1])
    limbs = limbs_on(body, head, {m.joints[-1]: m.part for m in layout.limbs if m.part})
    crown = [m for m in limbs if m.parent < 0 and m.joints[0] == spine[k] and m.part != "leg"]
    held = [m for m in limbs if m in crown or (m.parent >= 0 and limbs[m.parent] in crown)]
    strokes = [j for m in held for j in m.joints[1:]]
    x = body.xy[[m.joints[-1] for m in held], 0] - body.xy[spine[k], 0]
    if not crown or float(np.median(body.rad[strokes])) > ANTLER_THIN * trunk or x.min() >= 0 or x.max() <= 0:
        return None
    for m in held:
        m.part = "limb"
    return spine[: k + 1], limbs


def _stroke_from(body: Body, spine: list[int], arm: Limb) -> int:
    """Where an arm's stroke leaves the spine in the tree: its first joint, or, for an arm `raised_arm`
    hung from the shoulders (its first step no edge of the tree: the stroke runs on from the head, up
    past it), the spine's joint its stroke's own start is reached from."""
    start = arm.joints[1] if len(arm.joints) > 1 else arm.joints[0]
    if start in body.adj[arm.joints[0]]:
        return arm.joints[0]
    return next(j for j in body.path(start, spine[0]) if j in spine)


def raised_tail(body: Body, layout: Layout, legs: list[int]) -> tuple[list[int], list[int]] | None:
    """A tail raised over the back of an upright reading seen from the front (its feet point at the
    viewer or turn out: `seen`): one bare chain (no branch: a tail is one stroke) rising above the
    trunk, no thicker than `TAIL_THIN` of it (a neck, an arm is half as thick or more), whose tip tops
    the figure. Either the spine ran up from the hips past the head (seen end-on inside the outline)
    and out along it to a tip thinner than `HEAD_THICKNESS` of the trunk (`tucked.raised_head`): the
    spine then ends at its last joint that thick; or `raised_arm` took it for an arm raised past the
    head. (The spine, the tail's joints from where it leaves the trunk); None if there is no such tail."""
    spine = layout.spine
    probe = Layout("biped", 0.0, "front", 0.0, "viewer", spine)
    seen(body, probe, legs)
    if len(spine) < 3 or probe.view != "front":
        return None
    trunk = float(body.rad[spine].max())
    stalk: list[int] = []
    if raised_head(body, layout):
        k = max((k for k, j in enumerate(spine) if body.rad[j] >= HEAD_THICKNESS * trunk), default=0)
        spine, stalk = spine[: k + 1], spine[k:]
    else:
        up = [m.joints for m in layout.limbs if m.parent < 0 and m.part == "arm"
              and body.xy[m.joints[-1], 1] > body.xy[spine[-1], 1]]
        stalk = up[0] if len(up) == 1 else []
    if len(spine) < 2 or len(stalk) < 3 or any(body.degree[j] != 2 for j in stalk[1:-1]):
        return None
    rise = body.xy[stalk[-1]] - body.xy[stalk[0]]
    middle = float(np.mean(body.xy[legs, 0]))
    top = max(body.xy[leaf, 1] for leaf in body.leaves)
    if (body.xy[stalk[-1], 1] < top or rise[1] < TAIL_UP * np.linalg.norm(rise)
            or np.abs(body.xy[stalk, 0] - middle).max() > trunk):
        return None  # a tail tops the figure, straight up along the midline between the legs (an arm: aside)
    return (spine, stalk) if float(np.median(body.rad[stalk[1:]])) <= TAIL_THIN * trunk else None


def front_bird(body: Body, legs: list[int]) -> Layout | None:
    """A bird seen from the front, wings spread: an upright reading whose two arms are each longer than
    its legs or its trunk (hips to the head's tip) by a fifth, on a figure wider than tall by a fifth (a
    T-posed human's arm span is about its height, each arm a little shorter than its legs and its
    trunk; a long-legged bird's wings outreach its short trunk); or raised wings mirrored about the
    hips with no head between them (`_headless`, on a figure of any width); or wings folded on a plump
    body on stick legs (`folded_front`; the biped reading loses a bird's build for it)."""
    legs = sorted(legs, key=lambda leg: body.xy[leg, 1])[:2]
    layout = upright(body, legs, "biped", forced=True)
    folded = False
    if layout is not None and not wingspan(body, layout):
        headless = _headless(body, layout, legs)
        folded = headless is None and folded_front(body, layout, legs)
        layout = headless or (layout if folded else None)
    if layout is None or _standing_others(body, layout):
        return None
    spread = wingspan(body, layout)
    layout.plan, layout.upright_bird = "bird", folded
    for limb in layout.limbs:
        limb.part = "wing" if limb.part == "arm" else limb.part
    if folded:
        _corners(body, layout)
        _front_crest(body, layout)
    # what the biped reading lost for a bird's build and wings, the bird's gains
    doubt = BIRD_BUILD * (bird_build(body, legs) or not spread) + WINGSPAN * spread
    layout.score = float(np.clip(layout.score + 0.05 + 2 * doubt, 0, 1))
    return layout


def _corners(body: Body, layout: Layout) -> None:
    """A folded bird's wings from the front where its reading found more than one on a side: the folded
    wings' outline, bulging at the shoulders and at the tips, forks the tree into its corners, no limbs
    of their own (a flipper held out is one limb a side). They are dropped: the wings folded on the body
    are placed as the outline shows none (`tucked`)."""
    hips = float(body.xy[layout.spine[0], 0])
    sides = [float(np.sign(body.xy[m.joints[-1], 0] - hips)) for m in layout.limbs if m.part == "wing"]
    if max(sides.count(-1.0), sides.count(1.0), 0) > 1:
        drop_limbs(layout, {i for i, m in enumerate(layout.limbs) if m.part == "wing"})


def _front_crest(body: Body, layout: Layout) -> None:
    """A folded bird's limbs over its head from the front, but a pair of ear tufts (an owl's): a crest's
    feathers, part of the head, no bones (the upright reading took one for an arm raised past the head,
    `raised_arm`, the others for ears or unnamed limbs; a folded wing hangs at the body's side). Where
    that leaves no wing shown, both are folded on the body (`tucked`)."""
    top = float(body.xy[layout.spine[-1], 1])
    over = {i for i, m in enumerate(layout.limbs)
            if m.parent < 0 and m.part != "leg" and body.xy[m.joints[-1], 1] > top}
    if not (len(over) == 2 and all(layout.limbs[i].part == "ear" for i in over)):
        drop_limbs(layout, over)


def folded_front(body: Body, layout: Layout, legs: list[int]) -> bool:
    """A bird from the front, its wings folded on its body: a mirror-symmetric outline (`Body.mirror`
    at least `MIRROR_SIDE`'s low end) of a plump body on stick legs (their shanks, 0.3 to 0.9 of the
    way down, `sticks.SHANK` of the body's thickest or thinner: the development sets' birds from the
    front 0.09 to 0.16, their bipeds 0.18 or more, quadrupeds 0.24 or more, `sticks.leg_thickness`),
    the body, not the head, being that thick (the upright reading's spine at least `PLUMP` as thick
    along its lower half as anywhere: a chibi's head is its thickest)."""
    spine = layout.spine
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.xy[spine], axis=0), axis=1))])
    torso = max(float(body.rad[j]) for j, a in zip(spine, arc) if a <= 0.5 * arc[-1])
    plump = torso >= PLUMP * float(body.rad[spine].max())
    return body.mirror >= MIRROR_SIDE[0] and plump and stick_legs(body, legs)


def _headless(body: Body, layout: Layout, legs: list[int]) -> Layout | None:
    """Spread wings from the front with no head tip between them (the head inside the outline where
    the wings leave the body): the upright reading ran its spine out along one wing, and its one arm,
    leaving the spine within its first quarter, mirrors it (as `cues.ear_fork` mirrors ears, about
    the hips). The spine stops where that arm leaves it; both are arms (`front_bird` makes them wings).
    The head sunk between the wings is still there (a rigger wants its neck and head bones): the head
    bone runs straight up to the outline (`bones._crowned`). Development bird front views: part
    accuracy 0.707 -> 0.720 (dev), 0.696 -> 0.706 (mirrored; two birds, each +0.08 to +0.12), CD-J2J
    3.63 -> 3.58, 3.75 -> 3.70; dev2 has no such bird."""
    arms = [m for m in layout.limbs if m.part == "arm" and m.parent < 0]
    base = arms[0].joints[0] if len(arms) == 1 else -1
    if base not in layout.spine or body.distances(layout.spine[0])[base] > 0.25 * body.arc(layout.spine):
        return None
    a, b = layout.spine[-1], arms[0].joints[-1]
    xa, xb = body.xy[[a, b], 0] - body.xy[layout.spine[0], 0]
    spread = abs(xa - xb)
    if xa * xb >= 0 or abs(xa + xb) > spread / 3 or abs(body.xy[a, 1] - body.xy[b, 1]) > spread / 3:
        return None
    spine = layout.spine[: max(layout.spine.index(base) + 1, 2)]
    out = Layout("biped", layout.score, "front", 0.0, "viewer", spine)  # the head between the wings
    out.limbs = limbs_on(body, out, {leg: "leg" for leg in legs} | {a: "arm", b: "arm"})
    for limb in out.limbs:
        limb.part = limb.part or "limb"
    out.view_score = symmetry(body, out.limbs, float(body.xy[spine[0], 0]))  # about the hips, as the wings
    return out


def wingspan(body: Body, layout: Layout) -> bool:
    """Spread wings on an upright reading (`front_bird`): two arms each longer than the legs or the
    trunk (hips to the head's tip) by a fifth, on a figure wider than tall by a fifth."""
    arms = [body.arc(m.joints) for m in layout.limbs if m.part == "arm"]
    legs = [body.arc(m.joints) for m in layout.limbs if m.part == "leg"]
    if body.width < 1.2 * body.height or len(arms) != 2 or not legs:
        return False
    return min(arms) >= 1.2 * min(max(legs), body.arc(layout.spine))


def striding(body: Body, legs: list[int]) -> Layout | None:
    """A biped kneeling or striding, its two feet a leg group apart (read as a quadruped's pairs
    otherwise, the head chosen on a tail): the upright reading, 0.1 less sure. Kneeling (a shin lies
    flat on the floor, more along the image than down), it is seen from the side, facing where its
    standing foot points; else its feet decide the view (`seen`: a front view's wide stance, the feet
    turned out). Both floor tips flat and pointing opposite ways (a kangaroo's long foot and its tail on
    the floor), the upper body decides (`profile.upper_body`: head profile, arms). `plan.py` tries it
    on tall figures with an asymmetric outline only (a quadruped's or an insect's wide body is not)."""
    layout = upright(body, legs, "biped")
    if layout is None:
        return None
    # the foot standing on the floor (the steeper at its end; a kneeling leg's shin lies flat) points ahead
    shins = sorted((tip_direction(body, leg, layout.spine[0], SHIN) for leg in legs), key=lambda d: d[1])
    if abs(along(shins[-1])) > KNEELING:
        ahead = shins[0][0]
        if abs(along(shins[0])) > KNEELING and shins[0][0] * shins[-1][0] < 0:
            ahead = upper_body(body, layout) or ahead  # both flat, opposite ways: a long foot and a tail
        layout.view, layout.facing = "side", "left" if ahead < 0 else "right"
        layout.view_score = layout.score - 0.1
    else:
        seen(body, layout, legs)
    side_neck(body, layout)
    layout.score -= 0.1
    return layout
