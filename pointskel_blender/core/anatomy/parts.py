"""Parts: the trunk (spine from the hips to the head, tail from the hips back) and the limbs on it.

A body plan (`plan.py`) decides which tree joints form the spine and the tail and which tips are
legs; everything else hangs from them. Each hanging subtree becomes a limb along its longest path
(from the joint it hangs from out to its farthest tip), and its other tips become limbs hanging
from that limb (fingers, a crest), recursively. Limbs are labelled by where they hang and where
they point, and sided (`assign_sides`): in a front view by which side of the spine they reach to
(image right is the character's left), in a side view near/far by a rule that survives a flip,
in a top view by which side of the heading they lie.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, replace

import numpy as np

from .body import Body


@dataclass
class Limb:
    part: str
    joints: list[int]  # tree joints from the one it hangs from (on the trunk or its parent limb) to its tip
    parent: int = -1  # index of the limb it hangs from; -1: the trunk
    side: str = ""
    group: str = ""  # limbs of one group are paired and lettered together (e.g. the front legs)


@dataclass
class Layout:
    """One reading of the tree as a body plan, with how well it fits (score in [0, 1])."""

    plan: str
    score: float
    view: str
    view_score: float
    facing: str
    spine: list[int]  # hips ... head end (or the trunk's far end)
    tail: list[int] = field(default_factory=list)  # hips ... tail tip
    limbs: list[Limb] = field(default_factory=list)
    head: bool = True  # the spine's far end is a head
    # a side view's neck read off the outline (`upright.side_neck`): the spine joints where the head
    # starts and where the neck does; None: by the head's proportions and the arms' forks (`trunk.py`)
    neck: tuple[int, int] | None = None
    hem: list[int] = field(default_factory=list)  # tips at a skirt's or a cape's corners (`cues.corner`)
    sunk: bool = False  # a biped's head with no tip of its own, bulging from its body (`sunk`)
    crown: list[int] = field(default_factory=list)  # antler tips from the front (`upright.antlers`)
    sprawled: bool = False  # legs leaving the trunk sideways, knees out (`sprawled`, `hind_legs`)
    feet: list[tuple[float, str]] = field(default_factory=list)  # stub legs' feet: x, part (`stubby`)
    # a bird standing upright, read by a bird's own marks: its beak in profile (`upright.upright_beak`) or,
    # from the front, its wings folded on a plump body on stick legs (`upright.folded_front`)
    upright_bird: bool = False
    sitting: bool = False  # a quadruped on its haunches: its spine rises from the hips in it (`sitting`)
    # the picture shows this reading (a plan's candidate); False: made up for a plan set without evidence
    # (`plan._forced`: the lowest tips as legs)
    shown: bool = True

    def copy(self) -> Layout:
        """A copy to change in place: its lists and limbs its own (`copy.deepcopy` costs as much as a
        sixth of the reading it copies, `upright.upright`)."""
        lists = {f.name: list(v) for f in fields(self) if isinstance(v := getattr(self, f.name), list)}
        lists["limbs"] = [replace(limb, joints=copy.copy(limb.joints)) for limb in self.limbs]
        return replace(self, **lists)


def hanging(body: Body, trunk: list[int], tips: dict[int, str] | None = None,
            kept: set[int] | None = None) -> list[Limb]:
    """Limbs hanging from `trunk` (joints), labelled "" unless their tip is in `tips` (tip -> part);
    `kept`: the joints that may carry limbs (a prop's, less its stand and corners: `props.members`),
    a subtree holding the trunk; None: all."""
    tips = tips or {}
    on = set(trunk)
    out: list[Limb] = []
    # without `kept` the tree's own subtrees and leaves, not filtered joint by joint (every reading asks)
    kept_leaf = (lambda j: len(body.adj[j]) == 1) if kept is None else (
        lambda j: sum(k in kept for k in body.adj[j]) == 1)

    def grow(start: int, first: int, parent: int, taken: set[int]) -> None:
        sub = body.away(start, first)
        sub = sub if kept is None else [j for j in sub if j in kept]
        sub_set = set(sub)
        leaves = [j for j in sub if kept_leaf(j)]
        if not leaves:
            return
        dist = body.distances(start)
        known = [leaf for leaf in leaves if leaf in tips]
        tip = known[0] if known else max(leaves, key=lambda j: dist[j])
        path = body.path(start, tip)
        index = len(out)
        out.append(Limb(tips.get(tip, ""), path, parent))
        done = taken | set(path)
        for j in path[1:]:
            for k in body.adj[j]:
                if k in sub_set and k not in done:
                    grow(j, k, index, done)
                    done = done | set(body.away(j, k))

    for t in trunk:
        for n in body.adj[t]:
            if n not in on and (kept is None or n in kept):
                grow(t, n, -1, on)
    for limb in out:  # a pair fused below the body (two legs the tree joins at a knee): both from the trunk
        parent = out[limb.parent] if limb.parent >= 0 else None
        if parent and parent.parent < 0 and limb.part and limb.part == parent.part:
            from_trunk(limb, parent)
    return out


def from_trunk(limb: Limb, parent: Limb) -> None:
    """Hang a limb the tree forked off another one from the trunk instead, along that one's path up to
    the fork: posing the other limb no longer moves it."""
    limb.joints = parent.joints[: parent.joints.index(limb.joints[0])] + limb.joints
    limb.parent = -1


def direction(body: Body, limb: Limb) -> np.ndarray:
    """Unit (x, y) from where a limb hangs to its tip."""
    d = body.xy[limb.joints[-1]] - body.xy[limb.joints[0]]
    return d / max(float(np.linalg.norm(d)), 1e-12)


def assign_sides(body: Body, layout: Layout) -> None:
    """Sides .L/.R for the paired parts (see the module docstring); unpaired trunk parts stay ""."""
    sided = {"arm", "leg", "front_leg", "hind_leg", "wing", "ear", "fin", "limb"}
    spine_xy = body.xy[layout.spine]
    heading = spine_xy[-1] - spine_xy[0]
    heading = heading / max(float(np.linalg.norm(heading)), 1e-12)
    for limb in layout.limbs:
        if limb.part not in sided or limb.parent >= 0:
            continue
        base = body.xy[limb.joints[0]]
        reach = body.xy[limb.joints[1:]].mean(axis=0) - base
        if layout.view == "front":
            # Image right is the character's left; limbs straight down the midline stay unsided.
            off = float(body.xy[limb.joints[-1], 0] - spine_xy[:, 0].mean())
            if abs(off) > 0.25 * body.rad[limb.joints[0]] or abs(reach[0]) > 1e-3:
                limb.side = "L" if (off if abs(off) > 1e-3 else reach[0]) > 0 else "R"
        elif layout.view == "top":
            left = np.array([-heading[1], heading[0]])  # seen from above: the heading's left
            limb.side = "L" if float(reach @ left) > 0 else "R"
    if layout.view == "side":
        _side_view_sides(body, layout)
    for limb in layout.limbs:  # limbs on a limb take its side
        if limb.parent >= 0:
            limb.side = layout.limbs[limb.parent].side


def near_far(facing: str) -> tuple[str, str]:
    """(near, far) sides of a side view: a figure facing left shows its left side to the viewer."""
    return ("L", "R") if facing == "left" else ("R", "L")


def _side_view_sides(body: Body, layout: Layout) -> None:
    """Side views: in each group (front legs, hind legs, wings, ...) the limb whose tip is farthest
    forward (toward the facing) is the near one; the figure shows its left side when facing left.
    The next is far, and so on alternating; a flipped image gives the other letters on the same limbs."""
    near, far = near_far(layout.facing)
    forward = -1.0 if layout.facing == "left" else 1.0
    groups: dict[str, list[Limb]] = {}
    for limb in layout.limbs:
        # a fin along the back or belly (dorsal, anal) is on the midline, unsided
        midline = limb.part == "fin" and abs(float(direction(body, limb)[1])) > 0.7
        if limb.parent < 0 and limb.part not in ("tail",) and not midline:
            groups.setdefault(limb.group or limb.part, []).append(limb)
    for members in groups.values():
        tips = {id(m): body.xy[m.joints[-1]] for m in members}
        members.sort(key=lambda m: (-forward * float(tips[id(m)][0]), -float(tips[id(m)][1])))
        for k, limb in enumerate(members):
            limb.side = near if k % 2 == 0 else far
