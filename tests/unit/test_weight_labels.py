"""The body part each mesh vertex belongs to (`rig.weights.label_vertices`): the bone nearest inside the
silhouette less its thickness, whichever bone's seeds the shortest path passes."""
from __future__ import annotations

import numpy as np

from pointskel_blender.rig.weights import (bone_regions, feather_the_neck, front_heads, head_reaches,
                                           heads_over_the_body, label_radii, label_vertices,
                                           parts_from_their_sockets, whole_heads)


def test_a_thin_bone_inside_a_thick_one_does_not_label_the_thick_ones_flesh():
    # A wide chest (bone 0, up to (150, 100), radius 40) and a thin neck (bone 1) from its end up
    # (radius 5). Pixels beside the neck's base are nearer the chest, less its thickness, by 10-20 px,
    # but their shortest paths from the chest's end run up the neck's line first: the neck's seeds
    # there once passed the neck's label on along the chest's paths.
    mask = np.zeros((300, 300), dtype=bool)
    mask[40:200, 40:260] = True
    segments = np.array([[[100.0, 170.0], [150.0, 100.0]], [[150.0, 100.0], [150.0, 45.0]]])
    radii = np.array([40.0, 5.0])
    beside = np.array([[170.0, 65.0], [160.0, 70.0], [180.0, 60.0]])
    top = np.array([[150.0, 48.0]])
    labels = label_vertices(mask, segments, radii, np.concatenate([beside, top]))
    assert labels.tolist() == [0, 0, 0, 1]  # beside the neck's base the chest's; the neck's top its own


def test_a_neck_labels_with_its_thinner_end():
    heads, tails = np.array([0.12, 0.02, 0.12]), np.array([0.02, 0.005, 0.13])
    radii = label_radii(heads, tails, ["neck", "head", "spine"])
    assert radii.tolist() == [0.02, 0.02, 0.12]


def test_the_heads_seam_with_the_body_is_feathered_and_far_from_it_nothing_changes():
    # A chest (bone 0), a neck (bone 1) and a head (bone 2, 100 px long) as vertices up a line, 1 px
    # apart: the chest's below y 50, the head's above; the neck's label band is empty (a plush's).
    regions = bone_regions(np.array([-1, 0, 1]), np.array([False, True, True]), ["spine", "neck", "head"],
                           ["", "", ""])
    y = np.arange(100.0)
    px = np.stack([np.zeros_like(y), y], axis=1)
    vertex_bone = np.where(y < 50, 0, 2)
    weights = np.zeros((100, 3))
    weights[y < 50, 0] = 1.0
    weights[y >= 50, 1:] = [0.2, 0.8]
    out = feather_the_neck(weights, px, vertex_bone, regions, ["spine", "neck", "head"],
                           np.array([50.0, 10.0, 100.0]))
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    moved = out[:, 1:].sum(axis=1)  # what a turned neck moves
    assert np.all(np.diff(moved) >= -1e-12)  # up the line, smoothly more
    assert np.abs(np.diff(moved)).max() < 0.25  # no step from all to nothing at the seam (was 1)
    assert moved[0] == 0.0 and moved[-1] == 1.0  # far from it, as before


def test_a_head_in_front_of_the_body_owns_what_lies_within_its_thickness():
    # A front view of a quadruped: the spine (bones 0, 1) runs away from the viewer, a point at (150, 150)
    # as thick as the body (radius 100); the neck and head (bones 2, 3, radius 20) hang in front of it.
    parts = ["spine", "spine", "neck", "head"]
    heads = front_heads(parts, np.array([-0.5, -0.2, 0.0, 0.0]))
    assert [(f.tolist(), b.tolist()) for f, b in heads] == [([2, 3], [0, 1])]
    assert front_heads(parts, np.zeros(4)) == []  # a biped from the front: side by side
    mask = np.zeros((300, 300), dtype=bool)
    mask[40:260, 40:260] = True
    segments = np.array([[[150.0, 151.0], [150.0, 150.0]], [[150.0, 150.0], [150.0, 149.0]],
                         [[150.0, 100.0], [150.0, 130.0]], [[150.0, 130.0], [150.0, 190.0]]])
    radii = np.array([100.0, 100.0, 20.0, 20.0])
    vertices = np.array([[160.0, 170.0], [220.0, 170.0]])  # on the face; on the body's side
    assert (label_vertices(mask, segments, radii, vertices) < 2).all()  # the body's, less its radius
    face, side = label_vertices(mask, segments, radii, vertices, heads=heads)
    assert face == 3 and side < 2


def test_a_hidden_bone_left_out_of_the_shown_bones_labels_no_flesh():
    # A side view's near wing (bones 1, 2), its hidden copy exactly behind it (3, 4) and a tail hidden
    # behind the body (bone 5, a front view bird's): nearest inside the silhouette the tail took belly
    # vertices; left out of the shown bones (as `blender.skinning` leaves hidden joints' bones) neither
    # it nor the copy labels any vertex, and the near wing keeps its own.
    wing = [[[50.0, 0.0], [80.0, -30.0]], [[80.0, -30.0], [100.0, -60.0]]]
    segments = np.array([[[0.0, 0.0], [50.0, 0.0]]] + wing + wing + [[[0.0, 0.0], [0.0, 10.0]]])
    hidden = np.array([False, False, False, True, True, True])
    mask = np.zeros((100, 160), dtype=bool)
    mask[0:100, 0:160] = True
    shifted = segments + [5.0, 70.0]
    vertices = np.array([[7.0, 82.0], [5.0, 78.0], [30.0, 70.0], [90.0, 42.0]])  # tail, spine, wing
    before = label_vertices(mask, shifted, np.full(6, 3.0), vertices)
    assert 5 in before.tolist()  # nearest, the tail took the belly
    after = label_vertices(mask, shifted, np.full(6, 3.0), vertices, shown=~hidden)
    assert not set(after.tolist()) & {3, 4, 5} and after[3] in (1, 2)


def test_a_head_seen_end_on_owns_out_to_its_ears_and_not_its_neck():
    # A bear from the front: the spine (0, 1) a point as thick as the body; the neck (2) and the head (3)
    # end-on, short in the picture, their thickness 20 px; two ears (4, 5) leave the head 60 px up and
    # 50 px to each side of its base. The crown between them and the face's sides were the neck's and
    # the chest's; they are the head's, out to the ears (plus an ear's thickness), and no farther.
    parents = np.array([-1, 0, 1, 2, 3, 3])
    parts = ["spine", "spine", "neck", "head", "ear", "ear"]
    heads = front_heads(parts, np.array([-0.5, -0.2, 0.0, 0.0, 0.0, 0.0]))
    mask = np.zeros((300, 300), dtype=bool)
    mask[40:260, 40:260] = True
    segments = np.array([[[150.0, 151.0], [150.0, 150.0]], [[150.0, 150.0], [150.0, 149.0]],
                         [[150.0, 155.0], [150.0, 150.0]], [[150.0, 150.0], [150.0, 170.0]],
                         [[100.0, 90.0], [80.0, 45.0]], [[200.0, 90.0], [220.0, 45.0]]])
    radii = np.array([100.0, 100.0, 20.0, 20.0, 10.0, 10.0])
    reaches = head_reaches(parents, parts, segments, radii)
    assert reaches[3] == np.hypot(50.0, 60.0) + 10.0 and np.delete(reaches, 3).tolist() == [0] * 5
    vertices = np.array([[150.0, 100.0], [200.0, 140.0], [150.0, 250.0], [252.0, 150.0]])  # crown, cheek,
    before = label_vertices(mask, segments, radii, vertices, heads=heads)  # belly, the body's far side
    assert before[0] != 3 and before[1] != 3
    after = label_vertices(mask, segments, radii, vertices, heads=heads, reaches=reaches)
    assert after[:2].tolist() == [3, 3] and after[2] < 2 and after[3] < 2
    regions = bone_regions(parents, np.array([False, False, False, True, False, False]), parts,
                           [""] * 4 + ["L", "R"])
    allowed = np.ones((4, 6), dtype=bool)
    kept = whole_heads(allowed, after, regions, reaches)
    assert not kept[:2, 2].any() and kept[2:, 2].all()  # the head's vertices share nothing with the neck


def test_an_ear_starts_at_its_socket_past_the_head_and_short_of_it_is_the_head():
    # A head (bone 0, up the y axis to its crown at y 100) and an ear of two bones (1, 2) leaving it at
    # (30, 90) up and out. Past the socket (ahead along the ear's first bone), what is nearer the ear than
    # the head's line is the ear's; the ear's label short of its socket (the face below) is the head's.
    parents = np.array([-1, 0, 1])
    parts = ["head", "ear", "ear"]
    regions = bone_regions(parents, np.array([False, False, True]), parts, ["", "L", "L"])
    segments = np.array([[[0.0, 0.0], [0.0, 100.0]], [[30.0, 90.0], [40.0, 120.0]],
                         [[40.0, 120.0], [45.0, 150.0]]])
    vertices = np.array([[34.0, 100.0], [5.0, 101.0], [25.0, 60.0], [44.0, 140.0]])
    labels = np.array([0, 0, 1, 2])  # the ear's root taken by the head; the face by the ear
    out = parts_from_their_sockets(labels, vertices, segments, regions, parts)
    assert out.tolist() == [1, 0, 0, 2]  # the root the ear's, the head's own top and the face the head's


def test_the_body_under_the_neck_ends_where_the_head_begins():
    # A heavy person from the front, its round head (bone 3, from its chin at y 100 up to its crown at
    # y 30) on raised shoulders with no neck drawn: the thick chest (bones 0, 1) up to the neck (bone 2)
    # at y 120 labelled the face's lower sides. What of the chest lies in the ball the head bone spans
    # is the head's; the shoulders beside it and under the chin stay the chest's, an arm (bone 4) its own.
    parts = ["spine", "spine", "neck", "head", "arm"]
    regions = bone_regions(np.array([-1, 0, 1, 2, 1]), np.array([False, True, True, True, False]), parts,
                           ["", "", "", "", "L"])
    segments = np.array([[[100.0, 250.0], [100.0, 180.0]], [[100.0, 180.0], [100.0, 120.0]],
                         [[100.0, 120.0], [100.0, 100.0]], [[100.0, 100.0], [100.0, 30.0]],
                         [[130.0, 125.0], [170.0, 150.0]]])
    vertices = np.array([[78.0, 88.0], [122.0, 88.0], [100.0, 98.0], [140.0, 100.0], [70.0, 110.0],
                         [100.0, 50.0], [128.0, 72.0]])
    labels = np.array([1, 1, 1, 1, 1, 3, 4])
    out = heads_over_the_body(labels, vertices, segments, regions, parts)
    assert out.tolist() == [3, 3, 3, 1, 1, 3, 4]
