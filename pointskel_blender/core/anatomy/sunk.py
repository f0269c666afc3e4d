"""A biped's head sunk into its body: a plush bean of a person seen from the front, its round head
bulging from the top of its body with no neck or pinch, so the medial tree has no branch for the head.

Its only tips above the legs are then the arms, a mirrored pair (`cues.mirrored`), and the head's
tip (`cues.head_tip`) is one of them: the spine ran up the torso and out along that arm, hanging at
the side or held out level, the other arm leaving it on the way. A rigger wants the spine up the
body's midline to the head, both arms from the torso's sides and the legs from hips either side of
the midline, mirror-symmetric: the upright reading stops the spine where the other arm leaves it,
both arms hang from there (`upright.upright`), the spine and head bones run from the hips (between the
hip sockets, `trunk.hips_placed`) straight up the midline to the crown (`bones._crowned`) and the arms
leave the torso's top corners level with the neck's base (`bones.hidden_shoulder`). Before, the
upright reading gave up (the arm's hand lies level with the hips or under them) and, with the plan
forced by the part head, ran the spine out along the arm: the arm was lost and the spine's mean,
pulled aside, sided both legs alike (a drawn plush bean failed the rigger's limbs and sides lines in
both facings; the rules alone read a stubby one as a bird from the front, a small-headed one as no
figure). Arms raised in a V frame the head instead (`cues.ear_fork`). The development sets have no
such figure: unchanged.
"""
from __future__ import annotations

from .body import Body
from .cues import MIRROR_SIDE, mirrored


def sunk_head(body: Body, spine: list[int], legs: list[int]
              ) -> tuple[list[int], list[list[int]]] | None:
    """(the spine up to where the other arm leaves it, at least two joints; both arms' paths from
    there, so that both hang from one joint and get their shoulders alike) where the biped's `spine`
    from the hips ends at a hand whose mirror image about the legs' midline is another tip off the
    spine, and the two do not rise from where they part (each at least as far up as out: ears or arms
    raised in a V over a head); None otherwise. Only on an outline that mirrors itself as a front view's
    does (`cues.MIRROR_SIDE`): from the side a hand hanging ahead has no partner however a tip behind
    the legs may mirror it (a held-out person from the side lost its arm to this)."""
    hand = spine[-1]
    if len(spine) < 3 or hand not in body.leaves or not legs or body.mirror < MIRROR_SIDE[0]:
        return None
    middle = float(body.xy[legs, 0].mean())
    on = set(spine)
    for other in body.leaves:
        if other in on or other in legs or not mirrored(body, hand, other, middle):
            continue
        fork = max(spine.index(j) for j in body.path(spine[0], other) if j in on)
        if fork >= len(spine) - 1:
            continue
        ours, theirs = body.xy[hand] - body.xy[spine[fork]], body.xy[other] - body.xy[spine[fork]]
        if min(ours[1], theirs[1]) >= max(abs(ours[0]), abs(theirs[0]), 1e-9):
            return None  # rising in a V: they frame a head
        return spine[: max(fork + 1, 2)], [spine[fork:], body.path(spine[fork], other)]
    return None
