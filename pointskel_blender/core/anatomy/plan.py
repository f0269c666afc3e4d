"""Body plan, view and facing: which reading of the tree fits best, and how sure that is.

Every plan is tried as a `Layout` (spine, tail, labelled limbs) and scored in [0, 1] from what a
silhouette shows (rule-based, per plan below); the best one wins with its score less half the
runner-up's as the confidence. Under 0.45 nothing fits (a cup, noise, a prop): `generic`, confidence
`GENERIC_SURE` × (1 − the best score), so always under 0.5, rigged as a prop (`props`: a chain per
member from where it stands). A body plan or view the user sets wins.

- Legs are tips on the floor (within `FLOOR` of the mask's bottom, beyond their own radius) whose
  branch heads down (or is a short toe) and keeps its width to the end (a fin or a tail lobe
  tapers). Legs hanging from about one place along the body are a group (a pair). A branch that
  runs along the body before it turns straight down to a foot (a side view's hind leg on the tree's
  main path) is a leg from where it leaves the torso; a one-chain tree's foot, by its lower half.
- The head is the tip that is thick near its end and set off by a neck (a thinner stretch before
  the body thickens again: ×1.5), higher counting up to ×1.5 (a bird's: pointing level, a beak,
  where its raised wings and crest point up); of tips around one head (a muzzle and an ear; a
  bird's: near the best) the one reaching farthest from the body's centre. Where only short tips branch off
  beyond the head's centre (a plush head's ears), the spine stops there; so it does at a fork into a
  mirrored pair of plain tips rising within half the figure's height (ears in a V from the front,
  the head between them) and where a thin stretch goes on up the head's line (an ear from the side).
  Where every tip above a biped's legs has a mirror partner (paws held up at the sides, ears in a V:
  no tip of the head's own), the highest pair is taken, which frames the head; a pair held out level
  or hanging is a plush bean's arms, its head bulging from its body with no tip (`sunk`).
- biped: one group of two legs (or one foot on the floor and the lowest tip heading down in the
  figure's lower half: a step, legs one behind the other; 0.05 less sure, 0.1 with over six tips),
  the head among the tips within 50° of straight above the legs' tops, the less the farther to the
  side; scored by how upright, whether arms hang
  from the chest, and the front view's mirror symmetry (`core.mirror`'s fit of each limb against the
  other side's); less 0.1 for a bird's build and 0.2 for spread wings (below). Its feet on the
  floor decide the view (`upright.seen`): both pointing one way along the image (a lone foot on the
  floor, further, or it and the raised foot of a step on average as far: a runner), it is seen
  from the side facing where they point, else from the front (the feet
  at the viewer or turned out to their own sides; dev: 12/12 side and 12/12 front views, flipped
  too); the view's confidence is how far they agree or disagree. A biped's head tufts pointing down
  (a fox's pointed cheeks) get no bones. From the side with its legs drawn as one chain (a plush
  figure): a tall figure (1.75 × its width) with at most four tips and a neck under its head,
  facing its foot. Kneeling or striding (two feet a leg group apart, on a figure taller than wide
  whose outline is not mirror-symmetric): the upright reading, 0.1 less sure, from the side facing
  where the standing foot points when a shin lies flat on the floor (a kneeling figure was read as
  a quadruped with its head on its tail), else as its feet say. A spine the tree ran on through the
  head and up a raised arm ends at the head, the arm hung from the shoulders (`upright.raised_arm`);
  a hand held out by the shoulders, taken for the head, gives way to the tip over the highest head on
  a neck (`upright.top_head`).
  From the side the outline places the neck (its thinnest under the head), the shoulders (where it
  widens into the torso: the arms hang from there, wherever the tree forks into them) and the hips
  (where the torso ends, not where thighs overlapping down to the knees part): `upright.side_neck`,
  `upright.side_hips`. People in clothes: a tip of the biped's own reading that is a corner of the
  outline (its medial branch a wedge from a sharp tip, `cues.corner`), below where the legs leave the
  body, the outline under it mostly open towards the legs (`cues.open_below`), is a skirt's, a
  dress's, a coat's or a cape's hem (`upright.hem`): part of the body, no limb; the hips then sit at
  the waist the skirt flares out from (`upright.skirt_hips`, not at the hem, where the tree forks into
  the legs), and the same legs' readings as a bird from the side or a quadruped from the front are
  dropped (a hem's corner was a bird's beak, its mirror image a bird; a dressed figure without arms
  outside its outline a quadruped from the front); a hem flaring wider than the torso above it
  (`_flared`, a dress's) drops the front bird's and the many-legged readings too (a girl in a smock on
  thin legs is as plump over stick legs as a bird from the front, and a bird's folded wing tips hang
  inside its body's width). Development sets: biped part accuracy 0.684 ->
  0.690 (dev), 0.692 -> 0.693 (mirrored), 0.641 -> 0.648 (dev2); CD-J2J 3.35 -> 3.17, 3.31 -> 3.17,
  3.46 -> 3.41; chunky sets unchanged. A robe down to the floor (`side_biped`: the tip on the floor
  as thick as the figure's thickest, `upright.ROBE`) hides the legs: the hips at its waist, the legs
  run inside it down to its hem. A one-chain side biped has a torso thicker than its leg
  (`upright.TORSO`): a floor lamp's shade on its pole, a tree's crown on its trunk are no head on a
  body (dev2: one tree from the side less read as a biped).
- front views of animals, read off the upright reading: a quadruped when it has no arms (the hind legs
  hidden, on a figure at least half as wide as tall or mirror-symmetric, or raising its tail: one thin
  bare stroke straight up along the midline to the figure's top, `upright.raised_tail`, the head end-on
  inside the outline under it) or its other limbs also reach the floor (the hind legs, +0.1), or, narrow
  and not mirror-symmetric (a lean dog turning its head aside), where its feet point at the viewer, it
  stands on one pair of legs and its other limbs are short ones on the head (`upright._facing_head`:
  development draws of 120 characters, seeds 27182 and 161803, 11 and 1 front views of quadrupeds read
  as bipeds no longer, no biped lost; a fresh draw, seed 314159, one more; dev2: one biped from the
  front, its legs a sixth of its height, mirrored, lost); but not where its mirrored pair of tips over
  the head leaves the spine at its thickest over a torso as tall as it is wide there
  (`upright.raised_pair`: a person cheering, its arms raised from the shoulders beside its head; the
  biped reading names them arms, and a lone ear across the spine from its one arm the other arm,
  `upright.lone_ear`: a Y pose). So is the step's upright reading, one foot on the floor and the
  other leg ending above it, where it has no arms (as sure as the step, which it drops: a dog giving
  its paw; paws that meet on the floor, where the tree joined one leg's paw to the other's and that leg
  ended at its shin; dev2: one lean quadruped's front view, mirrored too, read as a biped no longer,
  part accuracy 0.09 -> 0.22, tip recall 0.33 -> 0.50; dev and the chunky sets unchanged); thin
  strokes off the head with tips either
  side of it that the upright reading took for raised arms are antlers or horns (`upright.antlers`: a
  lean person's arms are thicker and leave the shoulders under the head), which also drops the biped
  reading of the same legs; a bird when both arms are longer than the legs or the trunk by a fifth on a
  figure wider than tall by a fifth (spread wings; +0.05, and what the biped reading lost for the wings
  and a bird's build counts for the bird); so do raised wings mirrored about the hips with no head tip
  between them, and wings folded on a plump body on stick legs (a mirror-symmetric outline, the body no
  thinner than the head, stick legs: `upright.folded_front`, also where the two legs hang from places a
  leg group apart; a crest over its head, `upright._front_crest`, and two wings a side, the bulging
  outline's corners, `upright._corners`, are no limbs: the wings are folded on its sides, `tucked`).
- bird: one group of legs, or one foot on the floor (the far leg hidden behind the near one, as
  most side views of a standing bird show; as sure as a biped's step; a leg must hang from the
  body, not start the spine: a snake's tail end on the floor), the head off to one side
  (more than 35° from vertical; 25° with a bird's build: stick legs, their shanks at most 0.17 of
  the body's thickest, under a figure at least 0.7 as wide as tall, which also counts 0.1) or, standing
  upright, a beak off the head's centre pointing level the way the toes point (`upright.upright_beak`:
  an owl, a penguin; it counts as the lean does, and drops the same leg's one-chain biped reading, a
  person's profile having no beak; the part head's biped does not turn it, `learned`), a tail (one
  trailing on the floor beside legs drawn as one column too, the hips where it parts from them)
  or a raised wing count; side view; no head or other limb from the trunk on the floor (a bird
  stands on two legs: an insect's other legs). Wings its outline does not show are folded along
  its body (`tucked`). A profile has no mirrored pair: where the same legs' biped reading from the
  front mirrors its limbs about the spine, the bird loses up to `MIRRORED_LIMBS` (a person in a dress
  with both arms raised had a hand for a beak: found on the held-out set, where two figures' views
  read as birds; the development sets are unchanged by it).
- quadruped: two or more leg groups apart along a level body, the head at one end (each tip's
  thickness read only up to where its way first gets 0.7 as thick as the body's thickest: a short
  thin tail reaches the deep rump within a head's reach; the other end's likeliest tip, both ends
  beyond the legs, where the paws on the floor point that way or, they pointing neither way, only it
  carries other tips within `level.EARS`: ears, a jaw; a tail is one chain; the head runs on to its
  muzzle, the short tip off its last fork pointing ahead more than up, and those rising are ears), a
  tail (beyond
  the hips, or leaving the rump's quarter of the spine backward: a horse's croup); side view. Legs
  of one pair that the tree joins below the body both hang from the trunk (near and far); where the
  hind legs meet below the torso's outline (overlapping down to the hocks) the hips move up to where
  that shape leaves the torso, and another tip on the floor parting from a hind leg above its paw is
  the other hind leg. Two or
  more long unnamed limbs cost 0.08 each (an octopus).
- sitting quadrupeds (a cat, a dog on its haunches) from the side (`sitting`): a trunk thickest low at
  the back, on the floor, rising to the head over a leg straight down to the foremost paw; the one
  reading (the others stood it on its front paw and its tail: a biped striding, a front view's pair of
  legs), as sure as a front quadruped, which a learned guess of another plan never turns
  (`learned.reread`). Drawn: a sitting cat and a lean and a chunky dog, both facings, both predictors.
- sprawled quadrupeds (a lizard, a crocodile): from the front, two feet far apart for the trunk's
  height, knees out at the flanks, only the head and a tail on the midline and the flanks of a flat
  trunk level with its middle (`sprawled`: a front quadruped whose legs keep their knees out,
  `hind_legs`; a learned guess of another plan never turns it, `learned.reread`); from above, a spine
  from the head to a tail's tip with a front and a hind pair of legs across it (`sprawled.sprawled_top`:
  a top view, 0.9 sure: no upright figure's build); from the side, a long,
  low body standing on narrow feet the tree has no branch for (`stubby`: the stub legs added from the
  spine down to the feet), no serpent (a snake lies along the floor, its belly not clear of it between
  two feet: the shipped model's tree read a crocodile on its stubby legs as a snake).
- Side readings (but a biped's) lose up to 0.4 as the mask's mirror IoU rises from 0.8 to 0.95
  (`Body.mirror`): a symmetric outline is a front view.
- serpent: one long chain (over 5 times as long as thick, fully at 9) whose head end is wider
  than its tail's end, one tube of even width that is most of the figure (`level.tube`: a desk lamp's
  arm under its shade, a tree's trunk under its crown are none), no legs, its tail the last
  `level.SERPENT_TAIL` of it; fish: a level body wider than high, thick for its length, with fins
  or a forked tail, no legs (not one foot on the floor either: a fin tapers); side views (a snake's
  view confidence is 0.5: from above it looks alike).
- many_legged: six or more limbs reaching across the body's axis (the thick joints' principal
  axis), or five or more legs (or tips) on the floor / three leg groups (an insect from the side,
  which also costs the quadruped reading); top view, sided by the heading, or a side view where a level
  body, long or with its legs hanging under it (`level._hangs_under`: feet on the floor under the
  trunk, no mirror legs as far across its axis), stands on three legs or more, facing away from its
  thick rear or, where one end of a long body (or of one on many legs) carries a thin tip off the
  floor beyond the trunk (antennae: a centipede's segments are alike), toward it;
  the rear is the trunk's end with no legs where the other end's legless stretch is less than half as
  long (a spider's abdomen behind its cephalothorax, however round the tree ends in it);
  a front view where the outer feet are reached over knees rising above the end-on body
  (`level._from_front`). Its walking legs (a knee, on the
  floor or across the axis; those the tree joined into a neighbour too, each hanging from the trunk
  where the fork is nearer it than the leg reaches beyond it, and a bent limb by the head as
  long as the shortest leg: a spider's front pair, not an antenna) are `leg` (six, three of them
  standing: +0.05), an octopus's tapering arms (`level.tentacle`) generic limbs, each hanging from the
  trunk, that count for the plan where they spread the figure wider than tall, and cost a quadruped
  reading whose legs they all are 0.3; hanging below its body (`level._arms_hang`), a front view.
  A front quadruped's armless reading drops the biped reading of the same legs, and so does a front
bird's with spread wings (its confidence then holds against a learned guess of another plan).
"""
from __future__ import annotations

import numpy as np

from .body import Body
from .cropped import cropped
from .cues import FLOOR, MIRROR_SIDE, THIN, floor_legs, headness, leg_groups, lifted_leg, side_penalty
from .level import elongated, many_legged, quadruped
from .parts import Layout, assign_sides
from .props import prop_layout
from .sitting import sitting_side
from .sprawled import sprawled_front, sprawled_top
from .stubby import stubby_side
from .upright import biped, front_bird, front_quadruped, leaning_biped, side_biped, striding, upright

STRIDE_COST = 0.05
GENERIC_SURE = 0.4  # the most sure a "nothing fits" reading (generic: a prop) is, where no plan scored
FLARE = 1.05  # a hem this many times as wide as the torso above it is a dress's (`flared`; between 0.87, 1.2)
MIRRORED_LIMBS = 0.3  # what a bird's side reading loses as the biped front reading's limbs mirror (0.4-1)

__all__ = ["FLOOR", "THIN", "classify", "floor_legs", "headness"]


def classify(body: Body, force_plan: str = "auto", force_view: str = "auto") -> tuple[Layout, float]:
    """The best layout and its body-plan confidence; forced plans/views (user settings) win."""
    candidates = [c for c in _candidates(body) if c is not None]
    candidates.sort(key=lambda c: -c.score)
    if force_plan != "auto":
        chosen = next((c for c in candidates if c.plan == force_plan), None)
        layout = chosen or _forced(body, force_plan) or prop_layout(body, force_plan)
        layout.shown = chosen is not None
        confidence = 1.0
    elif candidates and candidates[0].score >= 0.45:
        layout = candidates[0]
        runner = next((c.score for c in candidates[1:] if c.plan != layout.plan), 0.0)
        confidence = float(np.clip(layout.score - 0.5 * runner, 0.05, 1.0))
    else:
        best = candidates[0].score if candidates else 0.0
        layout = prop_layout(body, "generic")
        confidence = GENERIC_SURE * (1.0 - best)
    if force_view != "auto":
        layout.view, layout.view_score = force_view, 1.0
        if force_view == "front":
            layout.facing = "viewer"
        elif force_view == "side" and layout.facing == "viewer":
            layout.facing = "left" if body.xy[layout.spine[-1], 0] < body.xy[layout.spine[0], 0] else "right"
    assign_sides(body, layout)
    return layout, confidence


def _forced(body: Body, plan: str) -> Layout | None:
    """The user's plan where the picture gave no evidence for it: the lowest tips are its legs."""
    lowest = sorted(body.leaves, key=lambda leaf: body.xy[leaf, 1])
    if plan == "biped" and len(lowest) >= 3:
        return biped(body, lowest[:2], forced=True)
    if plan == "bird" and len(lowest) >= 3:
        return upright(body, lowest[:2], plan, forced=True)
    if plan == "quadruped" and len(lowest) >= 3:
        legs = sorted(lowest[:4], key=lambda leaf: body.xy[leaf, 0])
        half = len(legs) // 2
        return quadruped(body, [legs[:half], legs[half:]])
    if plan in ("serpent", "fish"):
        return elongated(body, plan, [])
    if plan == "many_legged":
        return many_legged(body, forced=True)
    return None


def _candidates(body: Body) -> list[Layout | None]:
    crop = cropped(body)
    if crop is not None:  # the frame cuts the figure: only what a picture can crop
        return crop
    sitting = sitting_side(body)
    if sitting is not None:  # a cat or a dog on its haunches: the other readings stand it on its front
        return [sitting]  # paw and its tail (a biped striding, a front view's pair of legs) or see no legs
    legs = floor_legs(body)
    groups = leg_groups(body, legs)
    out: list[Layout | None] = []
    # a skirt's hem: a person's, not a beast's; flared like a dress's (on thin legs, as a bird's plump
    # body on stick legs), not a bird's or a many-legged creature's either (its corners are no legs)
    dressed = False
    if len(groups) == 1 and len(groups[0]) >= 2:
        standing, quadruped_front = biped(body, groups[0]), front_quadruped(body, groups[0])
        bird_front = front_bird(body, groups[0])
        if standing is not None and standing.hem:
            quadruped_front = None
            if _flared(body, standing):
                bird_front, dressed = None, True
        if quadruped_front is not None and quadruped_front.crown:  # antlers: a beast's, not a person's
            standing = None
        if standing is not None and quadruped_front is not None and quadruped_front.score > standing.score:
            standing = None  # no arms: the one upright reading is an animal's, not a biped's runner-up to it
        if standing is not None and bird_front is not None and bird_front.score > standing.score:
            standing = None  # a bird's wings and stick legs: the same limbs' biped reading is no runner-up
        side_bird = None if standing is not None and standing.hem else _unmirrored(
            upright(body, groups[0], "bird"), standing)
        out += [standing, side_bird, quadruped_front, bird_front]
    elif len(legs) == 1:  # a step, a kick, or legs one behind the other in a side view
        other = lifted_leg(body, legs[0])
        step = biped(body, [legs[0], other]) if other else None
        beast = front_quadruped(body, [legs[0], other]) if other else None
        if step is not None and beast is not None and beast.score > step.score:
            step = None  # no arms: paws that meet on the floor, one leg's paw joined to the other's
        steps = [step, _unmirrored(upright(body, [legs[0], other], "bird"), step), beast] if other else []
        for layout in steps:
            if layout is not None:  # one foot on the floor is less sure than two, with many tips less still
                layout.score -= 0.05 + 0.05 * (len(body.leaves) > 6)
                out.append(layout)
        bird = _unmirrored(upright(body, legs, "bird"), step if other else None)  # its far leg hidden
        if other is None and not (bird is not None and bird.upright_bird):  # a beak: no person's profile
            out.append(side_biped(body, legs[0]))
        if bird is not None and any(limb.part == "leg" for limb in bird.limbs):  # (not a snake's tail end)
            bird.score -= 0.05 + 0.05 * (len(body.leaves) > 6)
            out.append(leaning_biped(body, bird, legs[0]) or bird)
    if len(groups) >= 2:
        out.append(quadruped(body, groups))
    out += [sprawled_front(body, legs), sprawled_top(body)]
    if len(groups) == 2 and len(legs) == 2 and body.mirror >= MIRROR_SIDE[0]:
        out.append(front_bird(body, legs))  # stick legs on either side of a plump body: a bird from the front
    if len(groups) == 2 and len(legs) == 2 and body.mirror < MIRROR_SIDE[0] and body.height > body.width:
        out.append(striding(body, legs))
    stubby = stubby_side(body, legs) if len(groups) < 2 else None  # legs the tree has no branch for
    out.append(stubby)
    if len(legs) < 3:  # more legs on the floor rule out a snake or a fish
        # a snake lies along the floor: one standing on feet clear of it between them is no snake
        out += [None if stubby else elongated(body, "serpent", legs), elongated(body, "fish", legs)]
    if not dressed:
        out.append(many_legged(body, floor=len(legs) if len(legs) >= 5 or len(groups) >= 3 else 0))
    for layout in out:  # a mirror-symmetric outline is a front view (or a plush figure's side)
        if layout is not None and layout.view == "side" and layout.plan != "biped":
            layout.score = max(0.0, layout.score - side_penalty(body))
    return out


def _flared(body: Body, layout: Layout) -> bool:
    """Whether a biped reading's hem (`Layout.hem`, its corners' tips) flares like a dress: its corners
    `FLARE` times as far apart as the torso is wide halfway up from them to where the arms leave it (the
    outline's run from the spine, so arms hanging beside it are not counted). A bird's folded wing tips
    read as a hem too, but they hang inside the width of the body they fold over (the development
    sets' four such front views of birds: 0.86 to 0.87); a dress widens to its hem (the drawn dresses 1.2
    to 1.7)."""
    arms = [m.joints[0] for m in layout.limbs if m.part == "arm"]
    if len(layout.hem) < 2 or not arms:
        return False
    low = float(body.xy[layout.hem, 1].mean())
    y = 0.5 * (low + float(body.xy[arms, 1].mean()))
    at = body.pos[min(layout.spine, key=lambda j: abs(float(body.xy[j, 1]) - y))].copy()
    at[1] = y
    width = float(body.outline(at, np.array([1.0, 0.0]))[0] - body.outline(at, np.array([-1.0, 0.0]))[0])
    spread = float(np.ptp(body.xy[layout.hem, 0]))
    return spread >= FLARE * width


def _unmirrored(bird: Layout | None, standing: Layout | None) -> Layout | None:
    """A bird's side reading of a figure whose biped reading from the front mirrors its limbs about
    the spine (a person in a dress with both arms raised, a hand taken for a beak) loses up to
    `MIRRORED_LIMBS` as that symmetry rises from 0.4 to 1: a profile has no mirrored pair."""
    if bird is not None and standing is not None and standing.view == "front":
        bird.score -= MIRRORED_LIMBS * max(0.0, standing.view_score - 0.4) / 0.6
    return bird
