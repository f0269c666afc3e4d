"""Skin weights without Blender: part labels inside the silhouette, regions, limits, the fallback."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from pointskel_blender.rig.weights import (
    Regions,
    allowed_bones,
    bone_regions,
    envelope_weights,
    finish,
    front_limbs,
    heat_counterparts,
    keep_limbs_off_the_body,
    label_radii,
    label_vertices,
    limb_sockets,
    shown_bones,
    skin,
)


def _tail_against_leg() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A body with a leg hanging down and a tail hanging right beside it, touching it along its length."""
    img = Image.new("L", (200, 200), 0)
    d = ImageDraw.Draw(img)
    d.rectangle([40, 40, 160, 80], fill=255)  # body
    d.rectangle([110, 80, 126, 180], fill=255)  # leg, x 110..126
    d.rectangle([127, 80, 135, 170], fill=255)  # tail, touching the leg's right edge
    mask = np.asarray(img) > 0
    segments = np.array([[[45, 60], [155, 60]], [[118, 70], [118, 178]], [[131, 78], [131, 168]]], float)
    radii = np.array([20.0, 8.0, 4.5])
    return mask, segments, radii


def test_a_tail_touching_a_leg_is_labelled_tail_and_the_leg_leg():
    mask, segments, radii = _tail_against_leg()
    tail = np.array([[x + 0.5, y + 0.5] for x in range(127, 136) for y in range(90, 170)])
    leg = np.array([[x + 0.5, y + 0.5] for x in range(110, 127) for y in range(90, 180)])
    assert (label_vertices(mask, segments, radii, tail) == 2).all()
    assert (label_vertices(mask, segments, radii, leg) == 1).all()


def test_the_chest_by_the_armpit_belongs_to_the_thick_chest_not_the_thin_arm():
    img = Image.new("L", (200, 200), 0)
    d = ImageDraw.Draw(img)
    d.ellipse([60, 40, 140, 180], fill=255)  # a fat body, half-width 40
    d.line([(100, 80), (185, 80)], fill=255, width=14)  # an arm from the body's centre
    mask = np.asarray(img) > 0
    segments = np.array([[[100, 60], [100, 160]], [[138, 80], [180, 80]]], float)
    armpit = np.array([[132.0, 92.0], [128.0, 86.0]])  # in the body, nearer the arm's line than the spine's
    assert (label_vertices(mask, segments, np.array([40.0, 7.0]), armpit) == 0).all()
    assert label_vertices(mask, segments, np.array([40.0, 7.0]), np.array([[170.0, 80.0]]))[0] == 1


def test_vertices_off_the_mask_take_the_nearest_inside_label_and_islands_the_nearest_bone():
    mask, segments, radii = _tail_against_leg()
    mask = mask.copy()
    mask[185:195, 5:15] = True  # an island no bone reaches
    labels = label_vertices(mask, segments, radii, np.array([[137.5, 120.0], [10.0, 190.0]]))
    assert labels.tolist() == [2, 1]


def test_regions_follow_parts_and_side_branches():
    # spine -> spine.001 -> neck ; spine.001 -> upper_arm.L -> forearm.L ; spine -> tail (unconnected)
    parents = np.array([-1, 0, 1, 1, 3, 0])
    connected = np.array([False, True, True, False, True, False])
    parts = ["spine", "spine", "neck", "arm", "arm", "tail"]
    sides = ["", "", "", "L", "L", ""]
    regions = bone_regions(parents, connected, parts, sides)
    assert regions.of_bone.tolist() == [0, 0, 1, 2, 2, 3]
    assert regions.attach.tolist() == [-1, 1, 1, 0]
    without_parts = bone_regions(parents, connected, [""] * 6, [""] * 6)
    assert without_parts.of_bone.tolist() == [0, 0, 0, 1, 1, 2]  # side branches start regions
    allowed = allowed_bones(np.array([4, 0, 5]), regions)
    assert allowed.tolist() == [
        [False, True, False, True, True, False],  # the forearm's vertex: the arm and the chest it hangs from
        [True, True, False, False, False, False],  # the hips' vertex: the spine only, never the arm or tail
        [True, False, False, False, False, True],  # the tail's vertex: the tail and the hips
    ]


def test_finish_keeps_four_normalized_weights_or_all_of_them():
    rng = np.random.default_rng(1)
    weights = rng.uniform(0, 1, (50, 9))
    limited = finish(weights)
    assert ((limited > 0).sum(axis=1) == 4).all()
    assert limited.sum(axis=1) == pytest.approx(np.ones(50))
    # The four kept are each row's largest.
    strongest = np.sort(np.argsort(weights, axis=1)[:, -4:], axis=1)
    assert (strongest == np.sort(np.argsort(limited, axis=1)[:, -4:], axis=1)).all()
    everything = finish(weights, max_influences=0)
    assert ((everything > 0).sum(axis=1) == 9).all() and everything.sum(axis=1) == pytest.approx(np.ones(50))


def test_envelope_weights_cover_every_vertex_within_the_allowed_bones():
    heads = np.array([[0, 0, 0], [0, 0, 1], [0, 0, 2], [1, 0, 1], [-1, 0, 1]], float)
    tails = np.array([[0, 0, 1], [0, 0, 2], [0, 0, 3], [2, 0, 1], [-2, 0, 1]], float)
    rng = np.random.default_rng(0)
    vertices = rng.uniform(-5, 5, (500, 3))  # many far outside every envelope
    weights = finish(envelope_weights(vertices, heads, tails, np.full(5, 0.3)), 3)
    assert np.allclose(weights.sum(axis=1), 1.0) and ((weights > 0).sum(axis=1) <= 3).all()
    far_left = np.array([[-40.0, 0.0, 1.0]])
    assert envelope_weights(far_left, heads, tails, np.full(5, 0.3))[0].tolist() == [0, 0, 0, 0, 1]
    only_spine = np.array([[True, True, True, False, False]])
    assert envelope_weights(far_left, heads, tails, np.full(5, 0.3), only_spine)[0, 3:].tolist() == [0, 0]


def test_skin_limits_heat_to_the_region_and_falls_back_where_heat_failed():
    regions = Regions(of_bone=np.array([0, 0, 1, 2]), attach=np.array([-1, 1, 0]))
    vertex_bone = np.array([0, 1, 2, 3, 3])
    allowed = allowed_bones(vertex_bone, regions)
    heat = np.array([
        [0.6, 0.2, 0.3, 0.0],  # a spine vertex with an arm weight leaking in: dropped
        [0.0, 0.9, 0.0, 0.0],
        [0.0, 0.4, 0.6, 0.0],  # the arm's vertex keeps the chest it hangs from
        [0.0, 0.0, 0.0, 0.0],  # bone 3 got nothing at all from heat: failed
        [0.5, 0.0, 0.0, 0.0],
    ])
    asked = []

    def envelope(rows):
        asked.extend(rows.tolist())
        return np.where(allowed[rows], 1.0, 0.0)

    result = skin(heat, allowed, envelope, vertex_bone, regions)
    assert asked == [3, 4]  # only the vertices that need it
    assert result.weights[0].tolist() == pytest.approx([0.75, 0.25, 0, 0])
    assert result.weights[2].tolist() == pytest.approx([0, 0.4, 0.6, 0])
    assert result.failed_bones == [3] and result.filled == 2 and result.unweighted == 1
    assert np.allclose(result.weights[3:], [[0.5, 0, 0, 0.5]] * 2)  # the envelope of the tail and the hips
    assert result.weights.sum(axis=1) == pytest.approx(np.ones(5))


def _overlapping_legs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A body with a near and a far leg, drawn 16 px wide: the far leg 6 px behind the near one where
    they leave the body, parting below. Bones: body 0, near leg 1 (upper) and 2, far leg 3 and 4."""
    img = Image.new("L", (200, 200), 0)
    d = ImageDraw.Draw(img)
    d.rectangle([40, 40, 160, 80], fill=255)  # body
    near = [(90, 80), (88, 130), (70, 185)]
    far = [(96, 80), (98, 130), (120, 185)]
    for line in (near, far):
        d.line(line, fill=255, width=16, joint="curve")
    mask = np.asarray(img) > 0
    segments = np.array([[[45, 60], [155, 60]], [near[0], near[1]], [near[1], near[2]],
                         [far[0], far[1]], [far[1], far[2]]], float)
    return mask, segments, np.array([20.0, 8.0, 8.0, 9.0, 8.0])


def _leg_regions():
    parts = ["spine", "front_leg", "front_leg", "front_leg", "front_leg"]
    sides = ["", "L", "L", "R", "R"]
    return bone_regions(np.array([-1, 0, 1, 0, 3]), np.array([False, False, True, False, True]), parts,
                        sides), parts


def test_the_near_leg_of_a_pair_is_in_front_of_the_far_one_and_nothing_else_is():
    regions, parts = _leg_regions()
    (front, behind), = front_limbs(regions, parts, np.array([0.0, 0.05, 0.05, -0.05, -0.05]))
    assert front.tolist() == [1, 2] and behind.tolist() == [3, 4]
    assert front_limbs(regions, parts, np.zeros(5)) == []  # a front view: side by side
    assert front_limbs(regions, [""] * 5, np.array([0.0, 0.05, 0.05, -0.05, -0.05])) == []


def test_the_far_leg_s_heat_on_the_near_leg_s_mesh_goes_to_the_near_bone_beside_it():
    _, segments, _ = _overlapping_legs()
    regions, parts = _leg_regions()
    fronts = front_limbs(regions, parts, np.array([0.0, 0.05, 0.05, -0.05, -0.05]))
    counterparts = heat_counterparts(fronts, segments, 5)
    assert counterparts.tolist() == [-1, -1, -1, 1, 2]  # upper to upper, lower to lower
    vertex_bone = np.array([2, 2, 4])  # the shared shape's back face is the near leg's; the far foot shows
    allowed = allowed_bones(vertex_bone, regions)
    heat = np.array([
        [0.0, 0.1, 0.0, 0.0, 0.9],  # by the far foot's bone: its heat was 0.9, the near thigh's noise 0.1
        [0.1, 0.0, 0.1, 0.0, 0.8],
        [0.0, 0.0, 0.0, 0.2, 0.8],  # the far foot's own pixel keeps its own heat
    ])
    def envelope(rows):
        return np.where(allowed[rows], 1.0, 0.0)
    plain = skin(heat, allowed, envelope, vertex_bone, regions)
    assert plain.weights[0, 1] == pytest.approx(1.0)  # before: all on the near thigh
    moved = skin(heat, allowed, envelope, vertex_bone, regions, counterparts=counterparts)
    assert moved.weights[0].tolist() == pytest.approx([0, 0.1, 0.9, 0, 0])
    assert moved.weights[1].tolist() == pytest.approx([0.1, 0, 0.9, 0, 0])
    assert moved.weights[2].tolist() == pytest.approx(plain.weights[2].tolist())


def test_where_legs_overlap_the_pixels_are_the_near_leg_s_and_the_far_leg_keeps_what_shows():
    mask, segments, radii = _overlapping_legs()
    regions, parts = _leg_regions()
    fronts = front_limbs(regions, parts, np.array([0.0, 0.05, 0.05, -0.05, -0.05]))
    overlap = np.array([[x + 0.5, y + 0.5] for x in range(92, 97) for y in range(84, 126)])
    far_apart = np.array([[x + 0.5, y + 0.5] for x in range(108, 118) for y in range(160, 178)])
    assert (label_vertices(mask, segments, radii, overlap) >= 3).any()  # by distance alone: some far
    assert (label_vertices(mask, segments, radii, overlap, fronts) <= 2).all()  # the near leg's (or body)
    assert (label_vertices(mask, segments, radii, far_apart, fronts) == 4).all()


def _torso_with_limbs():
    """Chest 0 (up the centre line), clavicle 1 from the chest's middle out to the shoulder socket at
    x = 0.2, upper arm 2 on out, thigh 3 from a hip socket down, head 4 on top; radii 0.05."""
    heads = np.array([[0, 0, 0], [0, 0, 0.9], [0.2, 0, 0.9], [0.1, 0, 0], [0, 0, 1.0]], float)
    tails = np.array([[0, 0, 1.0], [0.2, 0, 0.9], [0.5, 0, 0.9], [0.1, 0, -0.5], [0, 0, 1.3]], float)
    parents = np.array([-1, 0, 1, 0, 0])
    connected = np.array([False, False, True, False, True])
    parts = ["spine", "arm", "arm", "leg", "head"]
    sides = ["", "L", "L", "L", ""]
    regions = bone_regions(parents, connected, parts, sides)
    return regions, parents, parts, heads, tails, np.full(5, 0.05)


def test_an_arm_socket_is_where_the_clavicle_meets_the_upper_arm_and_a_thigh_socket_its_head():
    regions, parents, parts, heads, tails, radii = _torso_with_limbs()
    sockets = {s.bone: s for s in limb_sockets(regions, parents, parts, heads, tails, radii)}
    assert set(sockets) == {1, 3}  # the head is no limb
    assert np.allclose(sockets[1].point, [0.2, 0, 0.9]) and np.allclose(sockets[1].inward, [-1, 0, 0])
    assert np.allclose(sockets[3].point, [0.1, 0, 0]) and np.allclose(sockets[3].inward, [0, 0, 1])
    assert sockets[1].hang == sockets[3].hang == 0 and sockets[1].reach == pytest.approx(0.1)


def test_a_clavicle_keeps_no_weight_on_the_chest_middle_and_fades_smoothly_to_the_socket():
    regions, parents, parts, heads, tails, radii = _torso_with_limbs()
    sockets = limb_sockets(regions, parents, parts, heads, tails, radii)
    xs = np.linspace(0.0, 0.4, 41)  # from the centre line out along the arm
    vertices = np.stack([xs, np.zeros_like(xs), np.full_like(xs, 0.9)], axis=1)
    weights = np.zeros((41, 5))
    weights[:, 1] = 0.8  # bone heat gave the clavicle most of the chest, as it does
    weights[:, 0] = 0.2
    out = keep_limbs_off_the_body(weights, vertices, sockets)
    assert np.allclose(out.sum(axis=1), 1.0)
    assert np.allclose(out[xs <= 0.1, 1], 0.0) and np.allclose(out[xs <= 0.1, 0], 1.0)  # reach deep: chest
    assert np.allclose(out[xs >= 0.2, 1], 0.8)  # at and past the socket: untouched
    fade = out[(xs > 0.1) & (xs < 0.2), 1]
    assert np.all(np.diff(fade) > 0) and np.abs(np.diff(out[:, 1])).max() < 0.2  # no step at the armpit


def test_a_thigh_keeps_its_leg_and_gives_the_belly_above_its_socket_to_the_hips():
    regions, parents, parts, heads, tails, radii = _torso_with_limbs()
    sockets = limb_sockets(regions, parents, parts, heads, tails, radii)
    vertices = np.array([[0.1, 0, -0.3], [0.1, 0, 0.0], [0.1, 0, 0.3]])
    weights = np.zeros((3, 5))
    weights[:, 3] = 1.0
    out = keep_limbs_off_the_body(weights, vertices, sockets)
    assert np.allclose(out[:2, 3], 1.0) and np.allclose(out[2, [0, 3]], [1.0, 0.0])


def test_beside_a_shoulder_socket_the_limb_surface_keeps_the_clavicle_and_the_body_past_it_shares():
    """Behind a plush's shoulder (off the socket across the clavicle) is its back: past the arm's
    thickness the clavicle's weight starts going to the chest; on the arm's surface it stays."""
    regions, parents, parts, heads, tails, radii = _torso_with_limbs()
    sockets = limb_sockets(regions, parents, parts, heads, tails, radii)
    ys = np.linspace(0.0, 0.3, 31)
    vertices = np.stack([np.full_like(ys, 0.2), ys, np.full_like(ys, 0.9)], axis=1)
    weights = np.zeros((31, 5))
    weights[:, 1] = 1.0
    out = keep_limbs_off_the_body(weights, vertices, sockets)
    assert np.allclose(out[ys <= 0.05, 1], 1.0)  # within the arm's radius of the socket
    assert out[-1, 1] == pytest.approx(0.5) and np.allclose(out.sum(axis=1), 1.0)
    assert np.all(np.diff(out[:, 1]) <= 1e-12) and np.abs(np.diff(out[:, 1])).max() < 0.2


def test_a_vertex_the_chest_would_give_a_fifth_influence_keeps_four_summing_to_one():
    regions, parents, parts, heads, tails, radii = _torso_with_limbs()
    clavicle = [s for s in limb_sockets(regions, parents, parts, heads, tails, radii) if s.bone == 1]
    weights = np.array([[0.0, 0.4, 0.3, 0.2, 0.1]])  # four influences, none on the chest (bone 0)
    out = keep_limbs_off_the_body(weights, np.array([[0.15, 0.0, 0.9]]), clavicle, max_influences=4)
    assert np.count_nonzero(out) == 4 and out[0, 0] > 0 and out.sum() == pytest.approx(1.0)
    assert np.count_nonzero(keep_limbs_off_the_body(weights, np.array([[0.15, 0.0, 0.9]]), clavicle, 0)) == 5


def test_beside_a_hip_socket_the_pelvis_to_the_centre_line_goes_to_the_hips_and_the_inner_thigh_stays():
    """A thigh starts at its socket beside the hips' line: between them, at and above the socket's height
    (the pelvis) and down to the crotch, its weight fades to the hips; lower down the inner thigh
    keeps it. Seen from the side (the socket off the line only toward the viewer) nothing changes."""
    regions, parents, parts, heads, tails, radii = _torso_with_limbs()
    toward_viewer = np.array([0, -1.0, 0])  # a front view
    front = {s.bone: s for s in limb_sockets(regions, parents, parts, heads, tails, radii, toward_viewer)}
    assert np.allclose(front[3].midline, [-0.1, 0, 0]) and front[1].midline is None  # a clavicle runs inward
    xs = np.linspace(0.0, 0.1, 11)  # from the centre line out to the socket, at its height and below
    rows = [np.stack([xs, np.zeros_like(xs), np.full_like(xs, z)], axis=1) for z in (0.0, -0.05, -0.3)]
    weights = np.zeros((11, 5))
    weights[:, 3] = 1.0
    pelvis, crotch, inner = (keep_limbs_off_the_body(weights, v, list(front.values())) for v in rows)
    assert np.allclose(pelvis[xs <= 0.025, 3], 0.0) and np.allclose(pelvis[xs <= 0.025, 0], 1.0)
    assert pelvis[-1, 3] == pytest.approx(1.0) and np.all(np.diff(pelvis[:, 3]) >= 0)
    assert 0.0 < crotch[0, 3] < 1.0 and np.allclose(inner[:, 3], 1.0)
    side = limb_sockets(regions, parents, parts, heads, tails, radii, np.array([1.0, 0, 0]))
    assert all(s.midline is None for s in side)


def test_a_thick_shoulder_by_a_short_clavicle_keeps_neither_clavicle_nor_upper_arm_on_the_chest_middle():
    """A shoulder joint as thick as the chest (a T-posed figure's socket radius 0.2 by a 0.2 clavicle)
    once reached past the centre line, so the clavicle kept a third of the chest's middle; the body owns
    what lies past three quarters of the way to the chest's line, and the upper arm's weight there too."""
    regions, parents, parts, heads, tails, radii = _torso_with_limbs()
    radii = radii.copy()
    radii[2] = 0.2  # the upper arm's head: the socket
    (clavicle,) = [s for s in limb_sockets(regions, parents, parts, heads, tails, radii) if s.bone == 1]
    assert clavicle.reach == pytest.approx(0.75 * 0.2) and clavicle.beyond == 2 and clavicle.radius == 0.2
    xs = np.linspace(0.0, 0.05, 6)  # the chest's middle
    vertices = np.stack([xs, np.zeros_like(xs), np.full_like(xs, 0.9)], axis=1)
    weights = np.zeros((6, 5))
    weights[:, [0, 1, 2]] = [0.5, 0.4, 0.1]
    out = keep_limbs_off_the_body(weights, vertices, [clavicle])
    assert np.allclose(out[:, [1, 2]], 0.0) and np.allclose(out[:, 0], 1.0)


def test_a_clavicle_labels_the_mesh_with_the_arm_thickness_and_leaves_the_chest_side_to_the_chest():
    """A clavicle's head joint lies inside the chest, its radius the chest's: with it, the clavicle took
    the chest's side pixels (down to a dress's hem); with its thinner end's, the chest keeps them."""
    mask = np.zeros((200, 200), bool)
    mask[40:160, 60:140] = True  # the chest
    mask[50:62, 140:190] = True  # the arm, out to the right
    segments = np.array([[[100, 40], [100, 160]], [[100, 56], [140, 56]], [[140, 56], [190, 56]]], float)
    parts = ["spine", "arm", "arm"]
    heads = np.array([20.0, 40.0, 6.0])  # the clavicle's head radius is the body's, past the spine's
    tails = np.array([20.0, 6.0, 6.0])
    radii = label_radii(heads, tails, parts)
    assert np.allclose(radii, [20.0, 6.0, 6.0])
    side = np.array([[130.5, 100.5], [120.5, 90.5]])  # the chest's side, under the shoulder
    assert (label_vertices(mask, segments, heads, side) == 1).all()  # the head's radius: the clavicle's
    assert (label_vertices(mask, segments, radii, side) == 0).all()


def test_bones_wholly_behind_the_mesh_are_not_shown_and_own_no_vertex():
    """A front view's mesh is the animal's front (depth 0.34-0.5 toward the viewer); its chest bone lies in
    it, a side view's far leg inside a thick body is still shown, the hind leg a body's length behind is
    not; a vertex may take weight from its region's shown bones only."""
    toward = np.array([0.0, -1.0, 0.0])  # the rig faces -Y: the viewer looks from -Y
    mesh = np.array([[0.0, -0.5, 0.0], [0.0, -0.34, 0.5], [0.1, -0.4, 0.2]])
    heads = np.array([[0.0, -0.42, 0.5], [0.0, -0.30, 0.3], [0.0, 0.5, 0.5]])
    tails = np.array([[0.0, -0.24, 0.5], [0.0, -0.30, 0.0], [0.0, 0.5, 0.0]])
    shown = shown_bones(heads, tails, np.array([0.05, 0.05, 0.05]), mesh, toward)
    assert shown.tolist() == [True, True, False]
    regions = bone_regions(np.array([-1, 0, 1]), np.array([False, False, True]), ["spine", "leg", "leg"],
                           ["", "L", "L"])  # one leg region: bone 1 in the picture, bone 2 behind it
    assert allowed_bones(np.array([1]), regions)[0].tolist() == [True, True, True]
    assert allowed_bones(np.array([1]), regions, shown)[0].tolist() == [True, True, False]
