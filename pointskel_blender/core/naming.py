"""Joint names a rigger recognizes: `root`, numbered chains, `.L`/`.R` for mirror pairs.

A joint is named after the bone that ends at it (its parent to it). The tree is cut into chains
(paths from the root or a branching joint to a leaf or the next branching joint); each chain gets
a base name and its joints are numbered along it: `arm_1.L`, `arm_2.L`. The rules, in order:

- mirror pairs (see `core.mirror`: chains that hang from one joint, or from two mirrored joints,
  and mirror each other across a vertical plane, with equally many joints) share a base name and
  numbering; the one at image right (the character's left in a front view) gets `.L`;
- the body axis: from the root, the unpaired chain heading most nearly straight up (within 45°,
  and clearly more upright than any other: by 15°, else the axis stops, as between two walking
  legs), then again from where it ends, and so on. Its chains ending at a branch point are `spine`
  (numbered on across them); the last one, ending at a tip, is `neck_1`, ... and `head` when its
  tip is clearly a head (thicker than `head_ratio` × the median of the other tips), else generic;
- likewise straight down from the root: `hips` chains, and `tail` for the last one if it ends at a tip;
- pairs hanging from a joint of the upper axis are `arm`s, from a joint of the lower axis `leg`s;
  the root counts as lower when a spine rises from it and no hips hang below, as upper in the
  opposite case, and otherwise (a root amid the body, or a star) its pairs are `leg`s if they
  head downwards (within 45°), else `arm`s.
  Where the axis has a branching `spine` or `hips` (a body plan), unpaired chains hanging there
  are named the same way (an arm raised on one side only is still an arm, just without a side),
  except that an unpaired chain from the lower axis is a `leg` only if it heads downwards and a
  `tail` otherwise;
- everything else is a generic `limb`.
A base name used by several chains (or pairs) gets a letter: `limb_a_1`, `limb_b_1`, lettered in a
mirror-invariant order (nearest the root first, then top to bottom), so a flipped image gets the
same names on the same limbs. Names contain no `.001`-style suffix (Blender's own duplicate
marker), no left/right words and no other side marker than the final `.L`/`.R`, so Blender's
"flip name" maps every `X.L` to `X.R` and back.
"""
from __future__ import annotations

import string

import numpy as np

from .mirror import MIRROR_TOLERANCE, mirror_pairs
from .topology import BoneTree

HEAD_RATIO = 1.25
_COS45 = float(np.cos(np.pi / 4))
# The body axis goes on through a branch point only along a chain this much more vertical than the rest.
_CLEAR_DEGREES = 15.0


def name_joints(
    tree: BoneTree, *, mirror_tolerance: float = MIRROR_TOLERANCE, head_ratio: float = HEAD_RATIO
) -> list[str]:
    """One unique, flip-safe name per joint of `tree`, in its order; joint 0 is `root`."""
    pos = tree.positions.astype(np.float64)
    rad = tree.radii.astype(np.float64)
    chains = tree.chains()
    names = ["root"] + [""] * (len(tree) - 1)
    if not chains:
        return names
    size = max(float(np.ptp(pos[:, :2], axis=0).max()), 1e-9)
    starts = [c[0] for c in chains]
    ends = [c[-1] for c in chains]
    pairs = mirror_pairs(
        [pos[c] for c in chains], starts, ends, 0, size=size, tolerance=mirror_tolerance, equal_vertices=True
    )
    side = {p.left: "L" for p in pairs} | {p.right: "R" for p in pairs}
    partner = {p.left: p.right for p in pairs} | {p.right: p.left for p in pairs}
    from_joint: dict[int, list[int]] = {}
    for i, s in enumerate(starts):
        from_joint.setdefault(s, []).append(i)

    def heading(i: int) -> np.ndarray:
        d = pos[ends[i], :2] - pos[starts[i], :2]
        return d / max(float(np.linalg.norm(d)), 1e-12)

    def axis(sign: float) -> list[int]:
        """Chains of the body axis straight up (sign 1) or down (-1) from the root."""
        out: list[int] = []
        key = 0
        while True:
            options = [i for i in from_joint.get(key, []) if i not in side and sign * heading(i)[1] >= _COS45]
            tilt = sorted((float(np.degrees(np.arccos(min(sign * heading(i)[1], 1.0)))), i) for i in options)
            if not tilt or (len(tilt) > 1 and tilt[1][0] - tilt[0][0] < _CLEAR_DEGREES):
                return out
            out.append(tilt[0][1])
            key = ends[out[-1]]

    upper, lower = axis(1.0), axis(-1.0)
    base = {i: "spine" for i in upper} | {i: "hips" for i in lower}
    if upper and not tree.children[ends[upper[-1]]]:
        tip = ends[upper[-1]]
        others = [leaf for leaf in tree.leaves.tolist() if leaf != tip]
        if others and rad[tip] >= head_ratio * float(np.median(rad[others])):
            base[upper[-1]] = "head"
        else:
            del base[upper[-1]]
    if lower and not tree.children[ends[lower[-1]]]:
        base[lower[-1]] = "tail"
    upper_joints = {ends[i] for i in upper}
    lower_joints = {ends[i] for i in lower}
    # A spine or hips that branches is a body plan: limbs on it are arms and legs even when unpaired.
    body = any(tree.children[j] for j in upper_joints | lower_joints)
    # A root at the bottom of a spine is the hips; at the top of hips, the chest.
    spine_up = bool(upper) and bool(tree.children[ends[upper[0]]])
    spine_down = bool(lower) and bool(tree.children[ends[lower[0]]])
    if spine_up and not spine_down:
        lower_joints.add(0)
    elif spine_down and not spine_up:
        upper_joints.add(0)
    for i, start in enumerate(starts):
        lead = min(i, partner.get(i, i))
        if i in upper or i in lower or (i not in side and not body):
            continue
        down = heading(lead)[1] <= -_COS45
        if start in upper_joints:
            base[i] = "arm"
        elif start in lower_joints:
            base[i] = "leg" if i in side or down else "tail"
        elif start == 0:  # a root amid the body, or with no body plan
            base[i] = "leg" if down else "arm"

    groups = _lettered(chains, base, partner, pos)
    for i, chain in enumerate(chains):
        label, numbered = groups[i]
        suffix = f".{side[i]}" if i in side else ""
        joints = chain[1:]
        for k, joint in enumerate(joints, start=numbered):
            names[joint] = f"{label}_{k}{suffix}"
        if label == "neck" and base.get(i) == "head":
            names[joints[-1]] = "head"
    return names


def _lettered(
    chains: list[list[int]], base: dict[int, str], partner: dict[int, int], pos: np.ndarray
) -> dict[int, tuple[str, int]]:
    """chain -> (label, first number): letters for shared base names, numbering run on along axes."""
    depth = {0: 0}
    for c in chains:  # chains come parents first, so a chain's start already has its depth
        depth[c[-1]] = depth[c[0]] + 1

    def order(i: int) -> tuple:
        group = [i, partner[i]] if i in partner else [i]
        end = pos[[chains[g][-1] for g in group]]
        height = round(float(end[:, 1].mean()), 6)
        reach = round(float(np.abs(end[:, 0] - pos[0, 0]).mean()), 6)
        return depth[chains[i][0]], -height, reach

    out: dict[int, tuple[str, int]] = {}
    for word in ("spine", "hips"):
        number = 1
        for i, c in enumerate(chains):
            if base.get(i) == word:
                out[i] = (word, number)
                number += len(c) - 1
    for i, c in enumerate(chains):
        if base.get(i) == "head":
            out[i] = ("neck", 1)
    words: dict[str, list[int]] = {}
    leaders = [i for i in range(len(chains)) if i not in out and partner.get(i, i) >= i]
    leaders.sort(key=lambda i: (order(i), i))
    for i in leaders:
        words.setdefault(base.get(i, "limb"), []).append(i)
    for word, group in words.items():
        for n, i in enumerate(group):
            label = word if len(group) == 1 else f"{word}_{_letters(n)}"
            out[i] = (label, 1)
            if i in partner:
                out[partner[i]] = (label, 1)
    return out


def _letters(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa."""
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = string.ascii_lowercase[r] + s
    return s
