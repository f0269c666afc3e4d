"""Placement in Blender without Blender: facing -Y, the mirror line on X = 0, the floor, the size."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

import anatomy_figures
import figures
from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.lift import lift
from pointskel_blender.core.skeleton import Anatomy, Joint, Skeleton
from pointskel_blender.rig.placement import AUTO_SIZES, joint_positions, mirror_line, place, rotation_for


def _skeleton(shape, pixels, anatomy=None, size=(256, 256)) -> Skeleton:
    """A chain of joints at `pixels` (input px), in the lifted shape's frame."""
    positions = shape.frame.to_normalized(np.asarray(pixels, float))
    joints = [Joint(f"j{i}", None if i == 0 else i - 1, tuple(px), (float(p[0]), float(p[1]), 0.0), 0.02)
              for i, (px, p) in enumerate(zip(pixels, positions))]
    return Skeleton(joints, size, anatomy=anatomy)


@pytest.mark.parametrize("facing", ["left", "right"])
def test_side_views_turn_the_head_to_minus_y_and_the_near_side_to_its_own_side(facing):
    rotation = rotation_for(Anatomy("quadruped", 0.9, "side", 0.9, facing))
    head_in_image = np.array([-1.0 if facing == "left" else 1.0, 0.0, 0.0])
    assert rotation @ head_in_image == pytest.approx([0, -1, 0])
    assert rotation @ np.array([0.0, 1.0, 0.0]) == pytest.approx([0, 0, 1])  # up stays up
    near = rotation @ np.array([0.0, 0.0, 1.0])  # toward the viewer: the left side of a figure facing left
    assert near == pytest.approx([1, 0, 0] if facing == "left" else [-1, 0, 0])
    assert np.linalg.det(rotation) == pytest.approx(1.0)


def test_front_views_put_image_right_at_plus_x_and_the_viewer_at_minus_y():
    for anatomy in (None, Anatomy("biped", 0.9, "front", 0.9, "viewer")):
        rotation = rotation_for(anatomy)
        assert rotation @ np.array([1.0, 0, 0]) == pytest.approx([1, 0, 0])  # image right: its left
        assert rotation @ np.array([0, 0, 1.0]) == pytest.approx([0, -1, 0])  # toward the viewer = its front
    top = rotation_for(Anatomy("serpent", 0.9, "top", 0.9, "viewer"))
    assert top @ np.array([0, 1.0, 0]) == pytest.approx([0, -1, 0])  # head at image top -> -Y, lying flat
    assert np.linalg.det(top) == pytest.approx(1.0)


def test_the_mirror_line_of_a_shifted_figure_with_a_tail_is_its_body_axis():
    """Like the fox sample: symmetric but for a tail on one side, drawn off the image centre."""
    figure = figures.stick_figure(256, offset_x=-20.0)
    mask = figure.mask.copy()
    mask[150:162, 108:200] = True  # a tail sticking out to image right
    column, overlap = mirror_line(mask)
    assert column == pytest.approx(128 - 20, abs=1.0)
    assert overlap > 0.7
    lonely = np.zeros((64, 64), bool)
    lonely[10:20, 5:60] = True
    lonely[20:60, 5:12] = True  # an L: no mirror line
    assert mirror_line(lonely)[1] < 0.7


def test_a_symmetric_front_view_is_centred_on_its_axis_and_stands_on_the_floor():
    figure = figures.stick_figure(256, offset_x=-20.0)
    mask = figure.mask.copy()
    mask[150:162, 108:200] = True
    shape = lift(mask, 1.0, points=512)
    skeleton = _skeleton(shape, [[108.0, 143.0], [108.0, 70.0]])
    placement = place(shape, skeleton, [shape.points], mode="height", size=1.7)
    assert placement.symmetric
    spine = placement.to_blender(np.array([j.position for j in skeleton.joints]))
    assert spine[:, 0] == pytest.approx([0, 0], abs=0.01 * 1.7)  # within 1 % of the height
    cloud = placement.to_blender(shape.points)
    assert cloud[:, 2].min() >= -1e-9
    rows = np.flatnonzero(mask.any(axis=1))
    assert (rows[-1] + 1 - rows[0]) * placement.scale / shape.frame.px_per_unit == pytest.approx(1.7)
    # Round trip to pixels, for the weights' labels.
    pixels = np.array([j.pixel for j in skeleton.joints])
    assert placement.to_pixels(spine, shape.frame) == pytest.approx(pixels)


def test_nothing_shown_goes_below_the_floor():
    shape = lift(figures.stick_figure(256).mask, 1.0, points=256)
    skeleton = _skeleton(shape, [[128.0, 143.0], [128.0, 70.0]])
    low = np.array([[0.0, -0.7, 0.0]])  # e.g. an image-mesh vertex below the mask's bounding box
    placement = place(shape, skeleton, [shape.points, low], mode="height", size=1.0)
    assert placement.to_blender(low)[0, 2] == pytest.approx(0.0)
    assert placement.to_blender(shape.points)[:, 2].min() > 0


def test_side_views_stand_on_the_floor_facing_minus_y_with_the_midplane_on_x0():
    mask = anatomy_figures.dog(256).mask
    shape = lift(mask, 1.0, points=512)
    anatomy = Anatomy("quadruped", 0.9, "side", 0.9, "left")
    skeleton = _skeleton(shape, [[169.0, 115.0], [90.0, 112.0], [56.0, 67.0]], anatomy)  # hips, chest, head
    placement = place(shape, skeleton, [shape.points], mode="auto")
    joints = placement.to_blender(np.array([j.position for j in skeleton.joints]))
    assert joints[2, 1] < joints[1, 1] < joints[0, 1]  # head, chest, hips from -Y to +Y
    assert joints[:, 0] == pytest.approx([0, 0, 0])
    cloud = placement.to_blender(shape.points)
    assert 0.0 <= cloud[:, 2].min() < 0.01  # the feet's lowest samples, just above the mask's bottom row
    cols = np.flatnonzero(mask.any(axis=0))
    length = (cols[-1] + 1 - cols[0]) / shape.frame.px_per_unit * placement.scale
    assert length == pytest.approx(AUTO_SIZES["quadruped"][1])  # nose to tail along Y


def test_sizes_by_body_plan_height_and_image_scale():
    mask = np.zeros((200, 400), bool)
    mask[80:100, 20:380] = True  # a long, low figure
    shape = lift(mask, 1.0, points=256)
    pixels = [[30.0, 90.0], [200.0, 90.0], [370.0, 90.0]]
    snake = _skeleton(shape, pixels, Anatomy("serpent", 0.9, "side", 0.9, "left"), size=(400, 200))
    placement = place(shape, snake, [shape.points], mode="auto")
    assert 340 / shape.frame.px_per_unit * placement.scale == pytest.approx(2.0)  # its length, not its height
    cup = _skeleton(shape, pixels, Anatomy("generic", 0.2, "front", 0.5, "viewer"), size=(400, 200))
    cup_placement = place(shape, cup, [shape.points], mode="auto")
    assert cup_placement.scale == pytest.approx(0.5, rel=0.02)  # its longest side
    no_anatomy = _skeleton(shape, pixels, None, size=(400, 200))
    tall = place(shape, no_anatomy, [shape.points], mode="auto", size=1.8)
    assert 20 / shape.frame.px_per_unit * tall.scale == pytest.approx(1.8)  # as before anatomy: the height
    image = place(shape, snake, [shape.points], mode="image", size=4.0)
    assert 400 / shape.frame.px_per_unit * image.scale == pytest.approx(4.0)  # the image's longest side
    with pytest.raises(PointSkelError):
        place(shape, snake, [], mode="tall")
    with pytest.raises(PointSkelError):
        place(shape, snake, [], mode="height", size=0.0)


def test_a_figure_without_a_mirror_line_keeps_its_bounding_box_centre():
    mask = ndimage.binary_dilation(figures.l_shape(128).mask, iterations=2)
    shape = lift(mask, 1.0, points=256)
    skeleton = _skeleton(shape, [[38.0, 20.0], [38.0, 96.0]])
    placement = place(shape, skeleton, [], mode="height", size=1.0)
    assert not placement.symmetric
    cols = np.flatnonzero(mask.any(axis=0))
    ends = placement.to_blender(np.array([[*shape.frame.to_normalized(np.array([[c, 64.0]]))[0], 0.0]
                                          for c in (cols[0], cols[-1] + 1)]))
    assert ends[0, 0] == pytest.approx(-ends[1, 0])


def test_the_body_axis_of_a_symmetric_figure_lies_exactly_on_x0():
    mask = figures.stick_figure(256).mask
    shape = lift(mask, 1.0, points=256)
    pixels = np.array([[131.0, 143.0], [127.0, 100.0], [160.0, 110.0]])  # hips a little off; an arm joint
    positions = shape.frame.to_normalized(pixels)
    joints = [Joint("spine", None, tuple(pixels[0]), (*positions[0], 0.0), 0.05, "spine"),
              Joint("spine.001", 0, tuple(pixels[1]), (*positions[1], 0.0), 0.05, "spine"),
              Joint("upper_arm.L", 1, tuple(pixels[2]), (*positions[2], 0.0), 0.02, "arm", "L")]
    skeleton = Skeleton(joints, (256, 256), anatomy=Anatomy("biped", 0.9, "front", 0.9, "viewer"))
    placement = place(shape, skeleton, [shape.points], mode="auto")
    placed = joint_positions(skeleton, placement)
    assert placed[:2, 0].tolist() == [0.0, 0.0]
    assert placed[2] == pytest.approx(placement.to_blender(np.array([joints[2].position]))[0])  # limbs stay
    lopsided = np.zeros((64, 64), bool)
    lopsided[10:20, 5:60] = True
    lopsided[20:60, 5:12] = True
    shape = lift(lopsided, 1.0, points=256)
    unsure = place(shape, skeleton, [], mode="height", size=1.0)
    assert not unsure.symmetric
    assert joint_positions(skeleton, unsure)[:2, 0].tolist() != [0.0, 0.0]


def test_a_symmetric_props_chain_far_off_the_mirror_plane_is_no_body_axis_and_stays():
    """A table from the front: its chain runs along the top to a corner and down that leg; snapped to
    X = 0, the leg's bone stood in the empty middle of the table."""
    mask = figures.stick_figure(256).mask
    shape = lift(mask, 1.0, points=256)
    pixels = np.array([[128.0, 60.0], [200.0, 60.0], [200.0, 230.0]])  # centre of the top, corner, floor
    positions = shape.frame.to_normalized(pixels)
    joints = [Joint("spine", None, tuple(pixels[0]), (*positions[0], 0.0), 0.05, "spine"),
              Joint("spine.001", 0, tuple(pixels[1]), (*positions[1], 0.0), 0.05, "spine"),
              Joint("spine_end", 1, tuple(pixels[2]), (*positions[2], 0.0), 0.05, "spine")]
    skeleton = Skeleton(joints, (256, 256), anatomy=Anatomy("generic", 0.2, "front", 0.3, "viewer"))
    placement = place(shape, skeleton, [shape.points], mode="auto")
    assert placement.symmetric
    placed = joint_positions(skeleton, placement)
    unsnapped = placement.to_blender(np.array([j.position for j in joints]))
    assert placed[0, 0] == 0.0  # the top's centre on the plane
    assert placed[1:] == pytest.approx(unsnapped[1:])  # the corner and the leg where the picture has them


def test_a_figure_seen_from_above_lies_with_its_image_mesh_on_the_floor():
    """From above the floor is under the back's depth, where the lifted cloud's random samples may reach
    deeper than the image mesh's coarse grid (by about a millimetre on a drawn lizard at the pipeline's
    seed): the mesh, not a helper cloud, is what lies on the floor."""
    from pointskel_blender.rig.surface import surface_mesh

    mask = anatomy_figures.lizard_top(400).mask
    shape = lift(mask, 1.0, points=4096)
    anatomy = Anatomy("quadruped", 0.9, "top", 0.9, "viewer")
    skeleton = _skeleton(shape, [[200.0, 250.0], [200.0, 120.0]], anatomy, size=mask.shape[::-1])
    mesh = surface_mesh(shape, skeleton.image_size).vertices
    deeper = mesh[[np.argmin(mesh[:, 2])]] - [0.0, 0.0, 0.004]  # a cloud sample under the mesh's back
    shown = [shape.points, mesh, deeper]
    placement = place(shape, skeleton, shown, mode="auto", ground=mesh)
    assert placement.to_blender(mesh)[:, 2].min() == pytest.approx(0.0, abs=1e-9)
    floating = place(shape, skeleton, shown, mode="auto")  # the floor under the deepest sample
    assert floating.to_blender(mesh)[:, 2].min() == pytest.approx(0.004 * floating.scale)
