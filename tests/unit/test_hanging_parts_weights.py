"""rig/weights.own_past_the_socket: a part hanging off the body (an ear, a tail, a limb) owns its own
vertices past its socket; the bone it hangs from keeps its share only by the socket."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from pointskel_blender.rig.weights import HANGING_PARTS, bone_regions, limb_sockets, own_past_the_socket

# A head bone (0) up the Z axis and an ear of two bones (1, 2) going on up from its top.
HEADS = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.5]])
TAILS = np.array([[0.0, 0.0, 1.0], [0.0, 0.0, 1.5], [0.0, 0.0, 2.0]])
PARENTS = np.array([-1, 0, 1])
PARTS = ["head", "ear", "ear"]


def _setup():
    regions = bone_regions(PARENTS, np.array([False, True, True]), PARTS, ["", "L", "L"])
    sockets = limb_sockets(regions, PARENTS, PARTS, HEADS, TAILS, np.full(3, 0.1), hanging=HANGING_PARTS)
    return regions, sockets


def test_an_ears_socket_is_where_it_leaves_the_head_and_reaches_two_radii():
    _, (socket,) = _setup()
    assert (socket.bone, socket.hang) == (1, 0)
    np.testing.assert_allclose(socket.point, [0.0, 0.0, 1.0])
    assert socket.reach == 0.2


def test_the_head_keeps_its_share_at_the_socket_and_none_past_its_reach():
    regions, sockets = _setup()
    vertices = np.array([[0.05, 0.0, 1.0], [0.05, 0.0, 1.1], [0.05, 0.0, 1.25], [0.05, 0.0, 1.9],
                         [0.05, 0.0, 0.9]])
    vertex_bone = np.array([1, 1, 1, 2, 0])
    weights = np.array([[0.6, 0.4, 0.0], [0.6, 0.4, 0.0], [0.64, 0.36, 0.0], [0.64, 0.12, 0.24],
                        [0.7, 0.3, 0.0]])
    out = own_past_the_socket(weights, vertices, vertex_bone, regions, sockets)
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    np.testing.assert_allclose(out[0], weights[0])  # at the socket: the blend into the head stays
    assert 0 < out[1, 0] < weights[1, 0]  # fading
    assert out[2, 0] == 0 and out[3, 0] == 0  # past two radii: the ear's alone
    np.testing.assert_allclose(out[3, 1:], [1 / 3, 2 / 3])  # in the ear's own proportions
    np.testing.assert_allclose(out[4], weights[4])  # the head's own vertex is left alone


def test_a_vertex_with_none_of_its_parts_weight_gets_its_own_bone():
    regions, sockets = _setup()
    out = own_past_the_socket(np.array([[1.0, 0.0, 0.0]]), np.array([[0.0, 0.0, 1.8]]), np.array([2]),
                              regions, sockets)
    np.testing.assert_allclose(out, [[0.0, 0.0, 1.0]])


def test_a_thigh_beside_the_hips_line_is_left_to_share_the_crotch():
    """A socket with a midline (a hip beside the hips' line) keeps the hips' weight past it."""
    regions, (socket,) = _setup()
    beside = replace(socket, midline=np.array([-0.3, 0.0, 0.0]))
    weights = np.array([[0.64, 0.12, 0.24]])
    out = own_past_the_socket(weights, np.array([[0.05, 0.0, 1.9]]), np.array([2]), regions, [beside])
    np.testing.assert_allclose(out, weights)


def test_an_ear_beside_the_heads_line_gets_no_midline_and_owns_its_tip():
    """An ear off the head bone's line (a cat's, at the head's top corner) is no thigh by the hips."""
    heads, tails = HEADS.copy(), TAILS.copy()
    heads[1:, 0] += 0.3
    tails[1:, 0] += 0.3
    regions = bone_regions(PARENTS, np.array([False, True, True]), PARTS, ["", "L", "L"])
    (socket,) = limb_sockets(regions, PARENTS, PARTS, heads, tails, np.full(3, 0.1), hanging=HANGING_PARTS)
    assert socket.midline is None
    out = own_past_the_socket(np.array([[0.56, 0.1, 0.34]]), np.array([[0.3, 0.0, 1.9]]), np.array([2]),
                              regions, [socket])
    assert out[0, 0] == 0
