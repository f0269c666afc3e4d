"""A quadruped's legs where a rigger puts them (`core.anatomy.hind_legs`), on drawn figures through the
real pipeline with the geometric predictor, each also mirrored.

From the front, the medial tree runs the legs from where they fork under the chest, on the trunk's centre
line, diagonally down to the paws; a standing animal's legs are columns under sockets set wide in its
trunk. The spine seen end-on is the trunk's centre: the biggest disc in the outline, not the tree's fork
under the head (a plush pig whose round head overlaps its trunk), and midway between the legs where the
head turns aside."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from scipy import ndimage

import anatomy_figures as af
from pointskel_blender.core.skeleton import Skeleton

FIGURES = (af.pig_front(), af.pig_front_head_turned(), af.bear_front(), af.dog_front())
DRAWN = af.both_facings(*FIGURES)
NAMES = list(DRAWN)


@cache
def skeleton(name: str) -> Skeleton:
    out = af.drawn_result(DRAWN[name]).skeleton
    assert (out.anatomy.body_plan, out.anatomy.view) == ("quadruped", "front")
    return out


def pixel(sk: Skeleton, name: str) -> np.ndarray:
    return np.asarray(next(j for j in sk.joints if j.name == name).pixel, dtype=np.float64)


def figure_height(name: str) -> float:
    rows = np.flatnonzero(DRAWN[name].mask.any(axis=1))
    return float(rows[-1] - rows[0] + 1)


@pytest.mark.parametrize("name", NAMES)
def test_front_view_legs_stand_as_columns_under_their_sockets(name):
    sk, height = skeleton(name), figure_height(name)
    centre = pixel(sk, "spine")[0]
    for side in ("L", "R"):
        for prefix in ("front_", ""):  # the front legs and the hidden hind legs behind them
            socket, paw = pixel(sk, f"{prefix}thigh.{side}"), pixel(sk, f"{prefix}toe_end.{side}")
            # the socket above the paw, not on the trunk's centre line where the tree forks
            assert abs(socket[0] - paw[0]) < 0.03 * height, (prefix, side, socket, paw)
            assert abs(socket[0] - centre) > 0.6 * abs(paw[0] - centre), (prefix, side, socket, centre)
            # the joints down the leg: socket, knee, ankle, toe, each lower than the last
            bones = ("thigh", "shin", "foot", "toe", "toe_end")
            ys = [pixel(sk, f"{prefix}{bone}.{side}")[1] for bone in bones]
            assert ys == sorted(ys), (prefix, side, ys)


@pytest.mark.parametrize("name", NAMES)
def test_front_view_spine_runs_through_the_trunks_biggest_disc(name):
    sk, height = skeleton(name), figure_height(name)
    field = ndimage.distance_transform_edt(DRAWN[name].mask)
    row, col = np.unravel_index(int(np.argmax(field)), field.shape)
    for joint in sk.joints:
        if joint.part == "spine":
            assert abs(joint.pixel[1] - row) < 0.03 * height, (joint.name, joint.pixel, row)
            assert abs(joint.pixel[0] - col) < 0.03 * height, (joint.name, joint.pixel, col)


@pytest.mark.parametrize("name", NAMES)
def test_front_leg_sockets_sit_in_the_trunk_below_the_spine(name):
    sk = skeleton(name)
    spine, paw = pixel(sk, "spine")[1], pixel(sk, "front_toe_end.L")[1]
    for side in ("L", "R"):
        socket = pixel(sk, f"front_thigh.{side}")[1]
        assert spine < socket < spine + 0.5 * (paw - spine), (side, spine, socket, paw)


@pytest.mark.parametrize("figure", [f.name for f in FIGURES])
def test_a_mirrored_front_quadruped_gets_its_legs_mirrored_with_swapped_sides(figure):
    sk, flipped = skeleton(figure), skeleton(f"{figure}_flipped")
    width = DRAWN[figure].mask.shape[1]
    for bone in ("front_thigh", "front_shin", "front_foot", "thigh", "shin", "foot"):
        for side, other in (("L", "R"), ("R", "L")):
            a, b = pixel(sk, f"{bone}.{side}"), pixel(flipped, f"{bone}.{other}")
            assert abs(a[0] - (width - 1 - b[0])) < 3.0 and abs(a[1] - b[1]) < 3.0, (bone, side, a, b)


@pytest.mark.parametrize("name", ["pig_front_head_turned", "pig_front_head_turned_flipped"])
def test_front_view_spine_stands_midway_between_the_legs_where_the_head_turns_aside(name):
    sk, height = skeleton(name), figure_height(name)
    middle = 0.5 * (pixel(sk, "front_toe_end.L")[0] + pixel(sk, "front_toe_end.R")[0])
    assert abs(pixel(sk, "neck")[0] - middle) > 0.03 * height  # the head turned aside
    for joint in sk.joints:
        if joint.part == "spine":
            assert abs(joint.pixel[0] - middle) < 0.01 * height, (joint.name, joint.pixel, middle)
