"""Readings of a figure the picture's frame cuts (`frame.cut_tips`): only what a picture can crop.

A person's upper body (a bust: the spine from the cut up to the head, the tips the picture shows
hung from it as arms), a person cropped at the knees (two cut tips that cross the bottom edge
apart, each through its own stretch of the mask: the legs, read as a biped's) or nothing (every tip
cut, a face close-up: `generic`, with the doubt warning's low confidence). Whole-body readings (a
fish, a quadruped from the side) need the whole outline and are not tried on a cut one: `chelsea`,
a cat's face cut on three edges, read as a fish 0.95 with its cut tips for fins, and as a quadruped
0.46 with them for feet.
"""
from __future__ import annotations

import numpy as np

from .body import Body
from .cues import drop_limbs, head_tip, limbs_on, meet, necked
from .frame import Cut, cut_tips
from .parts import Layout
from .upright import biped

BUST = 0.45  # a bust's reading: a head above the cut (the least a plan must score to beat generic)
BUST_NECK = 0.15  # more where the figure narrows under the head (a neck)
BUST_ARMS = 0.05  # more per limb the picture shows beside the head and the cut (up to two)
LEGS_ALIKE = 0.5  # two stretches of a cut edge this alike in width are a pair of legs (`_pair`)
CROPPED_LEGS = 0.1  # what a biped's reading of legs the frame cuts loses (its feet are not seen)


def cropped(body: Body) -> list[Layout] | None:
    """The readings of a figure the frame cuts (tips on a cut edge), None when it cuts no tip."""
    cut = cut_tips(body)
    if not cut:
        return None
    out = [_bust(body, cut)]
    low = [leaf for leaf, (edge, *_) in cut.items() if edge == "bottom"]
    if len(low) == 2 and _pair(cut[low[0]][1:], cut[low[1]][1:]):
        legs = biped(body, low)
        if legs is not None:
            legs.score -= CROPPED_LEGS
            out.append(legs)
    return [layout for layout in out if layout is not None]


def _pair(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two stretches of a cut edge are a pair of limbs crossing it: apart, and alike (the
    narrower at least `LEGS_ALIKE` as wide as the other; a bust's corner cut off the trunk by a
    sliver of background is not: the astronaut's, 27 px beside 455)."""
    (a0, a1), (b0, b1) = a, b
    apart = a1 <= b0 or b1 <= a0
    return apart and min(a1 - a0, b1 - b0) >= LEGS_ALIKE * max(a1 - a0, b1 - b0)


def _bust(body: Body, cut: dict[int, Cut]) -> Layout | None:
    """A person's upper body: the spine from where the paths to the cut tips part up to the head
    (the tip most like one above that place), the other tips hung from it; the cut tips' branches
    are the body running on off the picture."""
    shown = [leaf for leaf in body.leaves if leaf not in cut]
    if not shown:
        return None
    base = np.array([body.xy[list(cut), 0].mean(), body.floor])
    head = head_tip(body, set(cut), above=base)
    if head is None:
        return None
    root = meet(body, head, list(cut))
    spine = body.path(root, head)
    rise = body.xy[head] - body.xy[root]
    if len(spine) < 2 or rise[1] < 0.3 * float(np.linalg.norm(rise)):
        return None  # a head above the cut
    layout = Layout("biped", 0.0, "front", 0.5, "viewer", spine)
    layout.limbs = limbs_on(body, layout, {leaf: "arm" for leaf in shown if leaf != head})
    drop_limbs(layout, {i for i, limb in enumerate(layout.limbs) if limb.joints[-1] in cut})
    arms = sum(limb.parent < 0 and limb.part == "arm" for limb in layout.limbs)
    neck = necked(body, body.path(next(iter(cut)), head))
    layout.score = BUST + BUST_NECK * neck + BUST_ARMS * min(arms, 2)
    return layout
