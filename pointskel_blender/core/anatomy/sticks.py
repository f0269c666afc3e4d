"""A bird's stick legs: thin along their shanks for the round body they carry. A bird's build
(`upright.bird_build`), a bird folded from the front (`upright.folded_front`) and a bird's hidden
folded wings (`tucked.py`) read it; a biped's, a quadruped's or a lizard's legs are thicker."""
from __future__ import annotations

import numpy as np

from .body import Body

SAMPLES = 16  # points along a leg's way where the outline's thickness is read (`leg_thickness`)
SHANK = 0.17  # legs this thin along their shanks (a share of the body's thickest) are a bird's sticks


def stick_legs(body: Body, legs: list[int]) -> bool:
    """Whether the legs (tips) are a bird's sticks: `SHANK` of the body's thickest or thinner along their
    shanks, 0.3 to 0.9 of the way down from where they leave the body (a leg the tree hangs from a hub
    inside the round body is thick at its top). No legs: none."""
    return bool(legs) and leg_thickness(body, legs, 0.3, 0.9) <= SHANK * body.thickest


def leg_thickness(body: Body, legs: list[int], start: float = 0.1, end: float = 0.6) -> float:
    """The thicker leg's median thickness from `start` to `end` of its way down from where it leaves the
    body, read off the outline at `SAMPLES` points along the way: the tree's few joints on a short leg
    (one at a hub inside the body) misread it, where the outline does not. One standing group of legs
    on the development sets, 0.3 to 0.9 of the way, as a share of the body's thickest: bird front views
    0.09 to 0.16 (one 0.22), biped front views 0.18 or more, quadrupeds' 0.24 or more; by the joints'
    radii, birds up to 0.26 (three read as bipeds), bipeds 0.18, quadrupeds 0.25."""
    thickness = []
    for leg in legs:
        chain = body.path(body.leg_top(leg), leg)
        arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(body.xy[chain], axis=0), axis=1))])
        way = np.linspace(start, end, SAMPLES) * arc[-1]
        points = np.stack([np.interp(way, arc, body.pos[chain, k]) for k in range(3)], axis=1)
        thickness.append(float(np.median(body.shape.radius_at(points.astype(np.float32)))))
    return max(thickness)
