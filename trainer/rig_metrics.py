"""What a rigger checks first: every limb is there, parts are named right, limbs have their bones.

Beside the joint-matching metrics of `trainer.metrics`, in the same 2-D image space:

- limb-tip recall: the share of the truth's tips (joints without children) with a predicted tip
  within `TIP_TOLERANCE` of the figure's size; precision: the share of predicted tips with a true
  tip that near (not one-to-one: a hand's five finger tips are all found by one hand tip);
- part accuracy: for each true joint of a known part, whether the nearest predicted joint carries
  the same part (`core.skeleton.PARTS`); a skeleton without parts scores 0. `part_accuracy` scores a
  labelling on its own, so another labelling of the same skeleton is comparable;
- bones per arm/leg: for each true arm or leg (the joints of one part and side), its bones counted
  from its deepest joint up to the joint it hangs from, against the predicted chain that ends at the
  predicted tip nearest that joint (up to the first joint with two or more children); a limb whose
  tip no predicted tip finds counts as missing: the mean absolute difference is over found limbs,
  the share within one bone over all.

Truth parts come from the joint names of the evaluation sets (`truth_parts`): the synthetic
templates' (`trainer.characters`) and the Rigify metarigs' (`trainer.rigify_set`), read with the
figure's body plan, since a bird's shoulder starts a wing and a cat's `upper_arm` is a front leg.
Joints whose part the names do not tell (fingers, a quadruped metarig's `spine.*` chain that runs
on into the neck and tail, trees and objects) are left out of part accuracy. A centipede's body
joints (`segment_NN`, the chain the legs hang from) are its spine; an octopus's arms (`arm_K_J`)
are generic limbs (`limb`): the part vocabulary's `leg` is a walking leg with knee and foot (an
insect's `leg_NN_knee`, `leg_NN_tip`), its `arm` a shoulder-to-hand arm, and a tentacle is neither.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

TIP_TOLERANCE = 0.075  # fraction of the figure's size
LIMB_PARTS = ("arm", "leg", "front_leg", "hind_leg")
RIG_METRIC_NAMES = ("tip_recall", "visible_tip_recall", "tip_precision", "part_accuracy", "limb_bones_error",
                    "limb_bones_within_1")

# The body plan of each template / metarig name an evaluation set files its items under.
PLANS = {
    "biped": "biped", "human": "biped", "basic_human": "biped", "chunky_biped": "biped",
    "quadruped": "quadruped", "basic_quadruped": "quadruped", "cat": "quadruped", "horse": "quadruped",
    "wolf": "quadruped", "chunky_quadruped": "quadruped",
    "bird": "bird", "snake": "serpent", "shark": "fish", "many_legs": "many_legged",
}

_FINGERS = {"thumb", "index", "middle", "ring", "pinky"}
_HEAD = {"head", "snout", "beak", "jaw", "skull", "muzzle"}
_ARM = {"shoulder", "upper_arm", "elbow", "forearm", "wrist", "hand"}
_LEG = {"hip", "thigh", "knee", "shin", "ankle", "foot", "toe", "heel", "paw", "pelvis"}
_FRONT = {"upper_arm", "forearm", "hand", "forefoot", "f_toe", "f_hoof", "shoulder", "elbow", "wrist"}
_HIND = {"thigh", "shin", "foot", "toe", "r_toe", "r_hoof", "hind_foot", "lower_leg", "hip", "knee", "ankle"}


@dataclass(frozen=True)
class RigScore:
    tip_recall: float
    tip_precision: float
    part_accuracy: float | None  # None: the truth names no part
    limb_bones_error: float | None  # None: no true arm or leg was found
    limb_bones_within_1: float | None  # None: the truth has no arm or leg
    visible_tip_recall: float | None = None  # None: no visibility given, or no true tip shows

    def as_dict(self) -> dict[str, float | None]:
        return asdict(self)


def _stem(name: str) -> tuple[str, str]:
    """A joint name without its side and numbering, lower case, and its side ("L", "R" or "")."""
    n = name.lower()
    side = ""
    match = re.search(r"\.(l|r)(?=$|\.|_end)", n)
    if match:
        side = match.group(1).upper()
        n = n[: match.start()] + n[match.end():]
    n = n.removesuffix("_end")
    n = re.sub(r"(\.\d+|_\d+)+$", "", n)
    n = re.sub(r"\.\d+", "", n)
    return n, side


def truth_part(name: str, plan: str) -> str:
    """The part (`PARTS`) a ground-truth joint name stands for in a figure of body plan `plan`."""
    stem, _ = _stem(name)
    head, _, rest = stem.partition("_")
    words = re.split(r"[_.]", stem)
    if stem in _FINGERS or plan not in PLANS.values():
        return ""
    if stem in ("root", "chest", "hips", "abdomen", "mantle", "segment") or (
        stem == "spine" and "." not in name
    ):
        return "spine"
    if stem == "spine":  # a Rigify metarig's spine.NNN: humans name their neck and head this way too
        index = int(re.search(r"\.(\d+)", name).group(1)) if re.search(r"\.(\d+)", name) else 0
        return "" if plan != "biped" else ("spine" if index <= 3 else "neck" if index <= 5 else "head")
    if stem == "neck" or head == "neck":
        return "neck"
    if stem in _HEAD or head == "trunk":
        return "head"
    if head == "ear":
        return "ear"
    if "fin" in words:
        return "fin"
    if plan == "fish":
        return ""
    if head == "tail":
        return "tail"
    if head == "wing" or (plan == "bird" and stem in ("shoulder", "elbow", "wrist")):
        return "wing"
    if plan == "many_legged":
        return "leg" if "leg" in words else "limb" if head == "arm" else ""
    if head == "front" and rest:
        return "front_leg"
    if head == "hind" and rest:
        return "hind_leg"
    if plan == "quadruped":
        return "front_leg" if stem in _FRONT else "hind_leg" if stem in _HIND else ""
    if stem in _ARM:
        return "arm"
    if stem in _LEG:
        return "leg"
    return ""


def truth_parts(names: Sequence[str], category: str) -> tuple[str, ...]:
    """Each joint's part, for a figure filed under `category` (a template or metarig name)."""
    plan = PLANS.get(category, "")
    return tuple(truth_part(n, plan) for n in names)


def joint_sides(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(_stem(n)[1] for n in names)


def tips(parents: np.ndarray) -> np.ndarray:
    """Indices of the joints of degree one (a root with a single child counts)."""
    parents = np.asarray(parents)
    degree = np.bincount(parents[parents >= 0], minlength=len(parents)) + (parents >= 0)
    return np.flatnonzero(degree == 1)


def visible_tips(mask: np.ndarray, joints_px: np.ndarray, figure_size: float,
                 *, tolerance: float = TIP_TOLERANCE) -> np.ndarray:
    """(J,) bool: which true joints the silhouette `mask` (H, W) shows, as the tip metrics read it.

    A joint shows when the figure's outline (the centres of its pixels with a 4-neighbour off the
    figure or off the image) passes within `tolerance` × `figure_size` of its pixel (x right, y
    down, pixel (i, j) centred at (j + 0.5, i + 0.5)): the distance at which a predicted tip counts.
    A tip drawn over the figure's inside (a hand in front of the torso, a far leg behind the body)
    or far off the silhouette does not; a toe, an ear tip or a hand held out does.
    """
    mask = np.asarray(mask, dtype=bool)
    joints = np.asarray(joints_px, np.float64).reshape(-1, 2)
    outline = mask & ~ndimage.binary_erosion(mask, border_value=0)
    rows, cols = np.nonzero(outline)
    if not len(rows):
        return np.zeros(len(joints), bool)
    dist = cKDTree(np.stack([cols + 0.5, rows + 0.5], axis=1)).query(joints)[0]
    return dist <= tolerance * figure_size


def chain_bones(parents: np.ndarray, tip: int) -> int:
    """Bones from `tip` up to the first joint with two or more children (or the root)."""
    children = np.bincount(parents[parents >= 0], minlength=len(parents))
    count, joint = 0, tip
    while parents[joint] >= 0:
        joint = int(parents[joint])
        count += 1
        if children[joint] >= 2:
            break
    return count


def _limbs(parents: np.ndarray, parts: Sequence[str], sides: Sequence[str]) -> list[tuple[int, int]]:
    """(deepest joint, bones) of each true arm or leg: its joints of one part and side."""
    depth = np.zeros(len(parents), int)
    for j in range(1, len(parents)):
        depth[j] = depth[parents[j]] + 1 if parents[j] >= 0 else 0
    out = []
    for key in sorted({(p, s) for p, s in zip(parts, sides) if p in LIMB_PARTS}):
        members = [j for j in range(len(parts)) if (parts[j], sides[j]) == key]
        deepest = max(members, key=lambda j: depth[j])
        bones, joint = 0, deepest
        while joint >= 0 and (parts[joint], sides[joint]) == key:
            bones += 1
            joint = int(parents[joint])
        out.append((deepest, bones))
    return out


def part_accuracy(
    pred_joints: np.ndarray, pred_parts: Sequence[str], true_joints: np.ndarray, true_parts: Sequence[str]
) -> float | None:
    """The share of true joints of a known part whose nearest predicted joint carries that part (None: the
    truth names no part). A labelling of its own, so two labellings of one skeleton (the anatomy's rules
    against a model's per-point labels) are scored on the same joints."""
    known = [j for j, part in enumerate(true_parts) if part]
    if not known:
        return None
    nearest = cKDTree(np.asarray(pred_joints, np.float64)[:, :2]).query(
        np.asarray(true_joints, np.float64)[known, :2]
    )[1]
    return float(np.mean([pred_parts[k] == true_parts[j] for j, k in zip(known, nearest)]))


def score_rig(
    pred_joints: np.ndarray,
    pred_parents: np.ndarray,
    pred_parts: Sequence[str],
    true_joints: np.ndarray,
    true_parents: np.ndarray,
    true_parts: Sequence[str],
    true_sides: Sequence[str],
    figure_size: float,
    *,
    tolerance: float = TIP_TOLERANCE,
    visible: np.ndarray | None = None,
) -> RigScore:
    """The rigger's metrics of one predicted 2-D skeleton; `tolerance` is a fraction of `figure_size`.
    `visible` (J,) bool, which true joints the picture shows (`visible_tips`), adds the visible tip recall."""
    if figure_size <= 0:
        raise ValueError("figure size must be positive")
    p = np.asarray(pred_joints, np.float64)[:, :2] / figure_size
    t = np.asarray(true_joints, np.float64)[:, :2] / figure_size
    pp, tp = np.asarray(pred_parents), np.asarray(true_parents)
    p_tips, t_tips = tips(pp), tips(tp)
    tip_dist = np.linalg.norm(t[t_tips][:, None] - p[p_tips][None], axis=2)
    found = tip_dist.min(axis=1) <= tolerance if tip_dist.size else np.zeros(len(t_tips), bool)
    recall = float(found.mean()) if tip_dist.size else 0.0
    shown = None if visible is None else np.asarray(visible, bool)[t_tips]
    visible_recall = None if shown is None or not shown.any() else float(found[shown].mean())
    precision = float((tip_dist.min(axis=0) <= tolerance).mean()) if tip_dist.size else 0.0

    limbs = _limbs(tp, true_parts, true_sides)
    errors: list[int] = []
    for deepest, bones in limbs:
        dist = np.linalg.norm(p[p_tips] - t[deepest], axis=1)
        if len(dist) and dist.min() <= tolerance:
            errors.append(abs(chain_bones(pp, int(p_tips[np.argmin(dist)])) - bones))
    return RigScore(
        recall,
        precision,
        part_accuracy(p, pred_parts, t, true_parts),
        float(np.mean(errors)) if errors else None,
        float(np.sum(np.array(errors) <= 1) / len(limbs)) if limbs else None,
        visible_recall,
    )
