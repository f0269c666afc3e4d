"""Whether the image looks like a figure at all: a one-line warning every front end shows.

A cup or noise still gets its rig (the user asked for one), but the CLI, the batch log and Blender's
report say that the anatomy stage doubted it, so nobody ships a 10-bone "rig" of a coffee cup unaware.
"""
from __future__ import annotations

from ..skeleton import Skeleton

# Parts that are limbs, and the body plans (all but snakes and fish) whose figures are expected to have some.
LIMB_PARTS = ("arm", "leg", "front_leg", "hind_leg", "wing", "fin", "limb")
PLANS_WITH_LIMBS = ("biped", "quadruped", "bird", "many_legged", "generic")
# Below this body-plan confidence the image is reported as not looking like a figure: the anatomy
# stage's "nothing fits" (generic) reading scores at most 0.4, while real figures it reads right can
# score a little under 0.5 (the fox sample: 0.49).
MIN_BODY_PLAN_CONFIDENCE = 0.4
# The stage's own generic reading ("nothing fits") is sure of itself at most 0.4, and exactly that where
# no plan scored anything (a desk lamp, an all-black image); a generic plan the user set is sure: 1.0
NOTHING_FITS = 0.5


def figure_warning(skeleton: Skeleton) -> str:
    """A one-line warning when the anatomy stage says the image does not look like a figure, else ""."""
    anatomy = skeleton.anatomy
    if anatomy is None:
        return ""
    reasons = []
    nothing_fits = anatomy.body_plan == "generic" and anatomy.body_plan_confidence < NOTHING_FITS
    if anatomy.body_plan_confidence < MIN_BODY_PLAN_CONFIDENCE or nothing_fits:
        reasons.append(f"its body plan ({anatomy.body_plan}) is only {anatomy.body_plan_confidence:.0%} sure")
    if anatomy.body_plan in PLANS_WITH_LIMBS and not any(j.part in LIMB_PARTS for j in skeleton.joints):
        reasons.append("no limbs were found")
    if not reasons:
        return ""
    return f"the image does not look like a figure ({' and '.join(reasons)}); built anyway"
