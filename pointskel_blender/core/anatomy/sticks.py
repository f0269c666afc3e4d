"""A bird's stick legs: thin along their shanks for the round body they carry. A bird's build
(`upright.bird_build`), a bird folded from the front (`upright.folded_front`) and a bird's hidden
folded wings (`tucked.py`) read it; a biped's, a quadruped's or a lizard's legs are thicker."""
from __future__ import annotations

import numpy as np

from .body import Body

SHANK = 0.17  # legs this thin along their shanks (a share of the body's thickest) are a bird's sticks


def stick_legs(body: Body, legs: list[int]) -> bool:
    """Whether the legs (tips) are a bird's sticks: `SHANK` of the body's thickest or thinner along their
    shanks, 0.3 to 0.9 of the way down from where they leave the body (a leg the tree hangs from a hub
    inside the round body is thick at its top). No legs: none."""
    return bool(legs) and leg_thickness(body, legs, 0.3, 0.9) <= SHANK * body.thickest


def leg_thickness(body: Body, legs: list[int], start: float = 0.1, end: float = 0.6) -> float:
    """The thicker leg's median radius from `start` to `end` of its way down from where it leaves the
    body."""
    thickness = []
    for leg in legs:
        chain = body.path(body.leg_top(leg), leg)
        arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.xy[chain], axis=0), axis=1))])
        middle = [j for j, a in zip(chain, arc) if start * arc[-1] <= a <= end * arc[-1]] or chain
        thickness.append(float(np.median(body.rad[middle])))
    return max(thickness)
