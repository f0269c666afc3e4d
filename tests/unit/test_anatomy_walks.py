"""What the anatomy stage works out once and hands out again: the outline searches it stops early, the
tree walks and upright readings it keeps per body. Each must answer as the plain computation does, and
hand every caller its own copy to change."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.anatomy.body import _REACH, _STEP, Body, blocks
from pointskel_blender.core.anatomy.cues import floor_legs, leg_groups
from pointskel_blender.core.anatomy.upright import upright
from pointskel_blender.core.pipeline import PipelineResult


@cache
def _tpose() -> PipelineResult:
    return af.drawn_result(af.humanoid_tpose())


def _body() -> Body:
    result = _tpose()
    return Body(result.tree, result.shape)


def _outlines_every_sample(body: Body, starts: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """`Body.outlines` the plain way: every sample of every ray looked up, the first outside taken."""
    norm = np.linalg.norm(directions, axis=1)
    d = np.where(norm[:, None] > 1e-12, directions / np.maximum(norm, 1e-12)[:, None], 0.0)
    t = np.arange(1, int(_REACH / _STEP) + 1) * _STEP
    pts = starts[:, None, :] + t[None, :, None] * d[:, None, :]
    query = np.zeros((pts.shape[0] * pts.shape[1], 3), np.float32)
    query[:, :2] = pts.reshape(-1, 2)
    inside = (body.shape.radius_at(query) > 0).reshape(pts.shape[:2])
    stop = np.where(inside.all(axis=1), len(t), np.argmin(inside, axis=1))
    out = starts.copy()
    moved = (stop > 0) & (norm > 1e-12)
    out[moved] = pts[np.flatnonzero(moved), stop[moved] - 1]
    return out


def test_outlines_searched_a_block_at_a_time_land_where_every_sample_would():
    body = _body()
    rng = np.random.default_rng(0)
    starts = body.xy[rng.integers(0, len(body.xy), 300)] + rng.normal(0.0, 0.05, (300, 2))
    directions = rng.normal(size=(300, 2))
    directions[:10] = 0.0  # rays without a direction stay where they start
    expected = _outlines_every_sample(body, starts, directions)
    assert np.array_equal(body.outlines(starts, directions), expected)


@pytest.mark.parametrize("count", [0, 1, 15, 16, 17, 100, 250])
def test_blocks_cover_every_step_once_each_twice_the_last(count):
    spans = blocks(count)
    assert [i for start, end in spans for i in range(start, end)] == list(range(count))
    sizes = [end - start for start, end in spans]
    assert all(later == 2 * earlier for earlier, later in zip(sizes[:-2], sizes[1:-1]))


def test_a_walk_asked_again_is_the_same_and_the_callers_own():
    body = _body()
    a, b = body.leaves[0], body.leaves[-1]
    path = body.path(a, b)
    away = body.away(path[0], path[1])
    path.append(-1)
    away.clear()
    assert body.path(a, b) == path[:-1] and body.path(a, b)[-1] == b
    assert body.away(path[0], path[1])[0] == path[1]


def test_an_upright_reading_asked_again_is_equal_and_the_callers_own():
    body = _body()
    legs = leg_groups(body, floor_legs(body))[0]
    first = upright(body, legs, "biped", forced=True)
    second = upright(body, legs, "biped", forced=True)
    assert first == second and first is not second
    first.limbs[0].joints.append(-1)
    first.spine.append(-1)
    first.limbs.pop()
    third = upright(body, legs, "biped", forced=True)
    assert third == second and third.limbs[0].joints[-1] != -1 and third.spine[-1] != -1
