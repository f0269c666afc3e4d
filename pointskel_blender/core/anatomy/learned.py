"""Learned part labels in the anatomy stage: where the rules cannot tell, the model's part head decides.

A model with a part head (`core.learned_parts`) gives every point of the lifted cloud a probability per
body part, and the figure a probability per body plan. The rules read the tree; they cannot tell some
figures apart (a bird's spread wings from a biped's arms seen from the front, a quadruped seen from the
front from a snake, a centipede from a quadruped). So the stage builds the rules' skeleton and, when the
part head's most likely body plan is another one, that plan's skeleton too (`plan.classify` with the
plan forced, as a user's choice would), and keeps the one whose joints' parts agree better with what the
part head read around them (`agreement`), by more than `MARGIN` (never a plan without limbs that the
head's own points read limbs against, `LIMB_SHARE`, or that the rules see standing on stubby feet, nor
a biped or bird over a figure standing on four legs, nor a biped over a figure the rules see from
above, a view the head never learned, or over a bird they read standing upright by its beak or its
folded wings (`Layout.upright_bird`), nor a figure the rules found no reading of over a prop the head
does not rule out: `_made_up`). Then each limb of a pair the rules tell apart by where it hangs (a
biped's arms and legs, a quadruped's front and hind legs) takes the part of the pair the head prefers by
`SWAP_MARGIN`. In a biped, where the head reads per
point better than the rules read by where a branch hangs, it decides two more things by whole chains
(`HEAD_BRANCH`, `RELABEL`): which branch at the top is the head (an arm raised over it, an ear or a stub
the spine ran into instead) and the part of a limb the rules left unnamed or named tail or ear. Names,
parts and sides always come from one layout, so they stay consistent. A plan the user set is never
overridden. The constants were chosen on the development sets (seed 777, front and side, both facings)
and kept only where the second draw (seed 31337) did not lose.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.spatial import cKDTree

from ..settings import PipelineSettings
from .body import Body
from .bones import build
from .cues import floor_legs
from .frame import cut_tips
from .parts import Layout, Limb, assign_sides
from .plan import GENERIC_SURE, classify

NEAREST = 24  # points of the contracted cloud read around each joint
MARGIN = 0.0  # mean agreement the part head's plan must gain to replace the rules' reading
PLAN_FLOOR = 0.5  # the part head's plan probability below which the rules' reading stands
PROP_SHARE = 0.15  # the prop probability from which the head does not rule a prop out (`_made_up`)
SWAPS = {"biped": ("arm", "leg"), "quadruped": ("front_leg", "hind_leg")}
# a plan without limbs the head's own points contradict: it reads arms, legs or wings on more than this
# share of them (a thin person from the side, arms along the body: 0.17 of its points read legs, the
# plan serpent at 0.51-0.73; snakes on the development sets 0.02 at most, chunky quadrupeds it called
# serpents or fish 0.04-0.15)
LIMBLESS = ("serpent", "fish")
LIMB_PARTS = ("arm", "leg", "front_leg", "hind_leg", "wing")
LIMB_SHARE = 0.05
TWO_LEGGED = ("biped", "bird")  # plans that stand on two legs ...
STANDING = 4  # ... which the head may not give a figure standing on this many legs on the floor
SWAP_MARGIN = 0.2  # how much more the part head must prefer a limb's other part of the pair
HEAD_PARTS = ("head", "neck")  # what the spine's top reads as: the head branch
HEAD_BRANCH = ("biped",)  # plans whose head branch the part head may choose (`_head_branch`)
HEAD_MARGIN = 0.2  # how much better a branch must read as the head than the spine's own top does
STUB = 0.5  # a branch shorter than this many body radii where it forks is the outline's bump, not a head
# plans whose limbs from the trunk the part head may name, and the parts it may name them (a
# quadruped's ears read as tails, a front-view bird's wings as legs: not the head's strength,
# development and second draw both lost)
RELABEL = {"biped": ("arm", "leg", "ear", "tail")}
# the limbs it may name: those the rules left unnamed, or named by less than where they hang (the
# rules' arms and legs stand: arms held by the head it read as ears lost on both draws)
RENAMED = ("limb", "tail", "ear")
RELABEL_MARGIN = 0.3  # how much more the part head must prefer the other part, over the limb's mean


@dataclass(frozen=True, eq=False)
class LearnedParts:
    """What the part head read: per-point part probabilities where the points ended up, and the plan's."""

    points: np.ndarray  # (M, 3) the contracted cloud (the tree's frame), point i of the lifted cloud moved
    probabilities: np.ndarray  # (M, P) each point's part probabilities
    parts: tuple[str, ...]  # the P parts (`core.skeleton.PARTS`)
    plan: np.ndarray  # (Q,) body-plan probabilities
    body_plans: tuple[str, ...]  # the Q plans (`core.skeleton.BODY_PLANS`)

    def __post_init__(self) -> None:
        if self.probabilities.shape != (len(self.points), len(self.parts)) or self.plan.shape != (
            len(self.body_plans),
        ):
            raise ValueError("learned part probabilities do not match their points, parts or plans")

    def around(self, positions: np.ndarray) -> np.ndarray:
        """(J, P) mean part probabilities of the `NEAREST` contracted points around each joint
        (in the image plane)."""
        positions = np.asarray(positions, dtype=np.float64).reshape(-1, 3)
        if len(self.points) == 0 or len(positions) == 0:
            return np.full((len(positions), len(self.parts)), 1.0 / max(len(self.parts), 1))
        k = min(NEAREST, len(self.points))
        index = self._plane.query(positions[:, :2], k=k)[1].reshape(len(positions), k)
        return self.probabilities[index].mean(axis=1)

    @cached_property
    def _plane(self) -> cKDTree:
        """The points' image-plane search tree, built once for every joint and limb the stage asks about."""
        return cKDTree(self.points[:, :2])

    def share(self, parts: tuple[str, ...]) -> float:
        """The share of points whose most likely part is one of `parts`."""
        if len(self.points) == 0:
            return 0.0
        wanted = [p in parts for p in self.parts]
        return float(np.mean(np.asarray(wanted)[np.argmax(self.probabilities, axis=1)]))

    def best_plan(self) -> tuple[str, float]:
        i = int(np.argmax(self.plan))
        return self.body_plans[i], float(self.plan[i])


def agreement(learned: LearnedParts, positions: np.ndarray, parts: tuple[str, ...]) -> float:
    """Mean probability the part head gives each joint's part around it (joints of parts it does not
    know count 0; no joints: 0)."""
    if not parts:
        return 0.0
    around = learned.around(positions)
    column = {p: i for i, p in enumerate(learned.parts)}
    return float(np.mean([around[j, column[p]] if p in column else 0.0 for j, p in enumerate(parts)]))


def reread(
    body: Body, layout: Layout, confidence: float, learned: LearnedParts, settings: PipelineSettings
) -> tuple[Layout, float]:
    """The rules' reading, or the part head's body plan where the head is surer of it than the rules
    are of theirs and its skeleton's parts agree better with the part head (by `MARGIN`; then the
    plan's probability is the confidence), unless it is a plan without limbs that the head's own
    points contradict (`LIMB_SHARE`) or the rules see on stubby feet (`stubby`); then the head branch
    the part head reads (`_head_branch`), the limbs it names (`_relabel`), and each limb of a pair of
    parts the rules tell apart by position alone (`SWAPS`) takes the one the part head prefers. The
    sides are then assigned again: the rules sided each part's limbs as a pair (a side view's near and
    far member), and a limb that changed
    part left its old pair one-sided and may make its new one two of a side (two left arms and a lone
    far leg, which got no near twin: `hidden.lone_limbs`; 6 of the 241 side views of the development
    and dev2 sets, none after)."""
    plan, probability = learned.best_plan()
    # a head less sure of its plan than the rules are of theirs never turns them (a cat the rules read
    # as a quadruped at 0.95 went many-legged on a 0.58 head and a better agreement of its leg labels)
    surer = probability > confidence
    # the head learned whole figures only: a figure the frame cuts keeps the rules' reading (a cat's
    # face filling a photo is a bust, not the quadruped a head retrained on plush animals calls it)
    whole = not cut_tips(body)
    # a sprawled figure from the front (`sprawled`: knees out, flanks level) keeps it too: the head read
    # a lizard's flanks as a biped's arms at 0.95 (second development draw)
    whole = whole and not layout.sprawled
    # and so does one sitting on its haunches (`sitting`: the head read a sitting cat's front paw and its
    # tail on the floor as a biped's feet, surer of it than the rules' 0.9)
    whole = whole and not layout.sitting
    # a plan without limbs the head's own points read limbs against (`LIMB_SHARE`) is not its reading,
    # nor one the rules see standing on feet clear of the floor between them (`stubby`: a crocodile's
    # stubs are too few points for the head to read legs on; it read a drawn one as a snake)
    consistent = plan not in LIMBLESS or (learned.share(LIMB_PARTS) <= LIMB_SHARE and not layout.feet)
    # nor a figure the rules see from above into a biped: the head learned figures turned about the
    # vertical only, never seen from above, and a biped is drawn upright (it read a drawn lizard and a
    # bug from above as bipeds; a chunky dog the rules saw from above it rightly reads as a quadruped)
    upright = not (layout.view == "top" and plan == "biped")
    # nor a bird the rules read standing upright by a bird's own marks (`Layout.upright_bird`: its beak in
    # profile, its wings folded on a plump body on stick legs) into a biped: the head reads an owl's or a
    # penguin's upright body on two legs as a person's (drawn owls and penguins: at 0.83 to 0.99)
    upright = upright and not (layout.upright_bird and plan == "biped")
    turn = plan != layout.plan and probability >= PLAN_FLOOR and surer and whole and consistent and upright
    if turn and plan in TWO_LEGGED:
        # nor a figure standing on `STANDING` legs or more into one that stands on two (it read a drawn
        # short-tailed dog on its four legs as a bird; no development figure on four legs turns so)
        turn = len(floor_legs(body)) < STANDING
    if settings.body_plan == "auto" and turn:
        other, _ = classify(body, plan, settings.view)
        if plan == "generic":  # no figure (`_prop`): no anatomy to agree with
            return other, _prop(confidence)
        mine = agreement(learned, *_parts(body, layout, settings))
        theirs = agreement(learned, *_parts(body, other, settings))
        if theirs > mine + MARGIN and not _made_up(layout, other, learned):
            layout, confidence = other, probability
    if layout.plan in HEAD_BRANCH:
        _head_branch(body, layout, learned)
    _relabel(body, layout, learned)
    _swap_limbs(body, layout, learned)
    assign_sides(body, layout)  # the parts it changed pair up anew: sided by the new pairs
    return layout, confidence


def _made_up(layout: Layout, other: Layout, learned: LearnedParts) -> bool:
    """Whether the head's plan `other` would be a figure made up over a prop: nothing fit the rules
    (`generic`), they found no reading of that plan either (`Layout.shown`: the plan forced, its legs
    the lowest tips), and the head does not rule a prop out, giving it `PROP_SHARE` or more. A tree
    or a lamp whose trunk and crown the head took for a body keeps its chains for trunk, branches and
    members rather than legs on two roots and an arm and a head on its branches; a person from the
    side whose legs the rules could not find keeps the head's biped. (Development sets, both draws:
    props the head read as bipeds at 0.56-0.86 it gave a prop 0.11-0.46, 8 of their 9 views 0.15 or
    more; the characters it rightly turned so, 0.00-0.12.)"""
    share = dict(zip(learned.body_plans, learned.plan.tolist())).get("generic", 0.0)
    return layout.plan == "generic" and not other.shown and share >= PROP_SHARE


def _prop(confidence: float) -> float:
    """The part head reads no figure (a desk lamp, a chair, a tree) surer than the rules read theirs: the
    prop's chains (`props`), as sure as the rules' own "nothing fits" (`plan.classify`: `GENERIC_SURE`
    less what the best plan scored, here the rules' confidence), so every front end says it does not
    look like a figure. The agreement of parts cannot decide it: a prop's chains are `spine` and `limb`
    along arbitrary paths, and the figure reading's legs and head agreed better with a chair's legs and
    back (the second development draw: chairs read as a biped, a quadruped and a bird, lamps as a snake
    and a biped, the head sure of a prop at 0.86-0.99; it reads no character of the development sets
    as one)."""
    return GENERIC_SURE * (1.0 - confidence)


def _parts(body: Body, layout: Layout, settings: PipelineSettings) -> tuple[np.ndarray, tuple[str, ...]]:
    joints = build(body, layout, settings.tail_bones)
    return np.array(joints.positions).reshape(-1, 3), tuple(joints.parts)


def _swap_limbs(body: Body, layout: Layout, learned: LearnedParts) -> None:
    pair = SWAPS.get(layout.plan)
    if pair is None:
        return
    column = [learned.parts.index(p) for p in pair]
    for limb in layout.limbs:
        if limb.part in pair and limb.parent < 0 and len(limb.joints) > 1:
            mean = learned.around(body.pos[limb.joints[1:]]).mean(axis=0)[column]
            other = pair[1 - pair.index(limb.part)]
            # a pair has two of each (a biped's arms and legs, a quadruped's front and hind legs): the
            # head turns no third one (a girl's arms along her dress, hands at the hem, read as legs)
            full = sum(other_limb.part == other and other_limb.parent < 0 for other_limb in layout.limbs) >= 2
            if mean[pair.index(other)] >= mean[pair.index(limb.part)] + SWAP_MARGIN and not full:
                limb.part = other


def _chain(body: Body, learned: LearnedParts, joints: list[int]) -> np.ndarray:
    """(P,) the part head's mean part probabilities over tree joints `joints`."""
    return learned.around(body.pos[joints]).mean(axis=0)


def _head_branch(body: Body, layout: Layout, learned: LearnedParts) -> None:
    """The branch the part head reads as the head becomes the spine's top. The rules run the spine to
    the top by where branches hang and point; an arm raised over the head, a long ear or a tuft can
    take its place, the real head then hanging from the spine as that limb (or the spine stopping at a
    fork below it). A limb from the trunk whose joints read head and neck better than the spine's top
    above its fork does (both readings' mean: the limb as head and the top as the limb's part, against
    the rules'), by `HEAD_MARGIN`, swaps with that top; a limb from the spine's last joint extends the
    spine when it reads head and neck better than its own part. Only the best such limb swaps."""
    spine = layout.spine
    column = {p: i for i, p in enumerate(learned.parts)}
    if len(spine) < 3 or not layout.head or not all(p in column for p in HEAD_PARTS):
        return
    head = [column[p] for p in HEAD_PARTS]
    best, best_gain = -1, HEAD_MARGIN
    for index, limb in enumerate(layout.limbs):
        if limb.parent >= 0 or limb.part not in column or limb.joints[0] not in spine[1:]:
            continue
        if body.arc(limb.joints) < STUB * float(body.rad[limb.joints[0]]):
            continue
        k = spine.index(limb.joints[0])
        if k == len(spine) - 1 and _paired_at(layout, limb):
            continue  # a pair at the spine's top (a plush bear's ears) crowns a head: neither is it
        mine, part = _chain(body, learned, limb.joints[1:]), column[limb.part]
        if k == len(spine) - 1:
            gain = mine[head].sum() - mine[part]
        else:
            top = _chain(body, learned, spine[k + 1:])
            gain = (mine[head].sum() - top[head].sum() + top[part] - mine[part]) / 2
        if gain > best_gain:
            best, best_gain = index, gain
    if best >= 0:
        _swap_top(layout, best)


def _paired_at(layout: Layout, limb: Limb) -> bool:
    """Whether another limb of `limb`'s part leaves the same joint on the other side: a head is single."""
    return bool(limb.side) and any(
        other is not limb and other.part == limb.part and other.side and other.side != limb.side
        and other.joints[0] == limb.joints[0] for other in layout.limbs)


def _swap_top(layout: Layout, index: int) -> None:
    """Limb `index` (from the trunk) becomes the spine's top; the spine's old top above the limb's fork
    becomes that limb, with its part and side (a pair stays a pair; gone when it forked at the spine's
    end), and what hung from each moves with it."""
    limb = layout.limbs[index]
    k = layout.spine.index(limb.joints[0])
    top = layout.spine[k:]
    layout.spine = layout.spine[: k + 1] + limb.joints[1:]
    if layout.neck is not None and not set(layout.neck) <= set(layout.spine):
        layout.neck = None  # read off the old top's outline
    moved = set(top[1:])
    for other in layout.limbs:
        if other.parent == index:
            other.parent = -1
        elif other.parent < 0 and other is not limb and other.joints[0] in moved:
            other.parent = index
    if len(top) > 1:
        limb.joints = top
        return
    del layout.limbs[index]
    for other in layout.limbs:
        if other.parent > index:
            other.parent -= 1


def _tail_at_hips(layout: Layout, limb: Limb) -> bool:
    """A side view's tail the rules read leaving the spine at the hips, beside an arm from higher up: no
    arm (a kneeling figure's thick tail curling up behind read as its far arm; from the front an arm
    hanging along the body may fork off at the hips, and the head's arm there won on development)."""
    hips = layout.spine[0]
    return layout.view == "side" and limb.part == "tail" and limb.joints[0] == hips and any(
        m.part == "arm" and m.parent < 0 and m.joints[0] != hips for m in layout.limbs)


def _relabel(body: Body, layout: Layout, learned: LearnedParts) -> None:
    """Each limb from the trunk the rules left unnamed or named a tail or an ear (`RENAMED`) takes the
    one of the plan's `RELABEL` parts the part head prefers over its joints, by `RELABEL_MARGIN` over
    its own (a biped's arm the rules called a tail, a leg they left a limb); no part takes a third
    limb."""
    allowed = [p for p in RELABEL.get(layout.plan, ()) if p in learned.parts]
    for limb in layout.limbs if allowed else ():
        if limb.parent >= 0 or limb.part not in RENAMED or len(limb.joints) < 2:
            continue
        mean = _chain(body, learned, limb.joints[1:])
        other = max(allowed, key=lambda p: mean[learned.parts.index(p)])
        own = mean[learned.parts.index(limb.part)] if limb.part in learned.parts else 0.0
        full = sum(m.part == other and m.parent < 0 for m in layout.limbs) >= 2
        if other == "arm" and _tail_at_hips(layout, limb):
            continue
        if other != limb.part and mean[learned.parts.index(other)] >= own + RELABEL_MARGIN and not full:
            limb.part = other
