"""Limb tips the picture shows, judged by the silhouette (`core.topology.limbs.limb_evidence`): drawn
figures, thin and chunky, seen from the front and the side, with the branch the contraction leaves
in each limb placed by hand where it ends on such figures (issue #13, item 1: "judge a branch by
silhouette evidence: its length beyond the body's outline, its own width, the contour's convexity
around it ... still no spurs from corners and outline noise")."""
from __future__ import annotations

import numpy as np
import pytest

from limb_figures import LimbFigure, _Drawing
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.lift import lift
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.settings import DEFAULT_VOXEL
from pointskel_blender.core.silhouette import Silhouette
from pointskel_blender.core.topology import TreeSettings, build_tree
from pointskel_blender.core.topology.limbs import limb_evidence
from pointskel_blender.core.topology.tree_settings import DEFAULT_SETTINGS

SIZE = 320
TIP_TOLERANCE = 0.075  # of the figure's size: a limb tip is found by a leaf this near


def is_limb(drawing: _Drawing, junction: tuple[float, float], tip: tuple[float, float], *,
            mirror: bool = False) -> bool:
    """The evidence for a leaf branch running straight from `junction` to `tip` (fractions of the
    canvas, y down), nodes a voxel apart, each with the figure's thickness there; `mirror`: the
    picture and the branch flipped left to right."""
    figure = drawing.figure("drawn", mirror=mirror)
    shape = lift(figure.mask, points=0)
    silhouette = Silhouette.from_mask(shape.mask, shape.frame, shape.work_scale)
    ends = np.array([junction, tip], dtype=np.float64) * SIZE
    if mirror:
        ends[:, 0] = SIZE - ends[:, 0]
    a, b = shape.frame.to_normalized(ends)
    steps = max(2, int(np.ceil(np.linalg.norm(b - a) / DEFAULT_VOXEL)) + 1)
    pos = np.zeros((steps, 3))
    pos[:, :2] = a + np.linspace(0.0, 1.0, steps)[:, None] * (b - a)
    rad = np.asarray(shape.radius_at(pos.astype(np.float32)), dtype=np.float64)
    return limb_evidence(pos, rad, list(range(steps)), silhouette, DEFAULT_VOXEL, DEFAULT_SETTINGS)


def chunky_side_biped() -> _Drawing:
    """A plush figure from the side: a fat body on one thick leg whose foot runs forward along the
    floor (the toe a third of the leg's length past it)."""
    d = _Drawing(SIZE)
    d.ellipse((0.5, 0.45), (0.2, 0.25))
    d.limb([(0.5, 0.6), (0.5, 0.82)], 0.09)
    d.ellipse((0.58, 0.865), (0.12, 0.045))
    return d


def chunky_side_quadruped() -> _Drawing:
    """A fat animal from the side: a long round body, a head, short thick legs standing under it and
    a short thin tail on its round rump."""
    d = _Drawing(SIZE)
    d.ellipse((0.5, 0.5), (0.32, 0.17))
    d.disc((0.2, 0.36), 0.11)
    for x in (0.32, 0.68):
        d.limb([(x, 0.6), (x, 0.76)], 0.06)
    d.limb([(0.8, 0.47), (0.88, 0.43)], 0.022, 0.018)
    return d


def chunky_front_bear() -> _Drawing:
    """A round bear from the front: a big body over two short thick legs apart, each foot turning
    outward along the floor."""
    d = _Drawing(SIZE)
    d.ellipse((0.5, 0.42), (0.26, 0.3))
    for s in (-1, 1):
        d.limb([(0.5 + s * 0.14, 0.6), (0.5 + s * 0.14, 0.8)], 0.09)
        d.ellipse((0.5 + s * 0.22, 0.865), (0.12, 0.045))
    return d


@pytest.mark.parametrize("mirror", [False, True], ids=["facing_right", "facing_left"])
def test_a_toe_on_the_floor_inside_the_legs_disc_is_a_limb(mirror: bool) -> None:
    """The contracted toe ends inside the disc of the thick leg it leaves (every node of its branch
    within the junction's radius); the outline runs on past its tip along the floor, a foot's
    length, and turns inward above it: a limb, not a spur."""
    assert is_limb(chunky_side_biped(), (0.5, 0.8), (0.56, 0.85), mirror=mirror)


@pytest.mark.parametrize("mirror", [False, True], ids=["facing_left", "facing_right"])
def test_a_short_thin_tail_on_a_round_rump_is_a_limb(mirror: bool) -> None:
    """The tail reaches far past the rump's disc for its thin width and leaves the rump through a
    neck (the rules that let a shallower neck or a stub in a leg's disc count must not lose it)."""
    assert is_limb(chunky_side_quadruped(), (0.72, 0.5), (0.87, 0.44), mirror=mirror)


@pytest.mark.parametrize("mirror", [False, True], ids=["facing_left", "facing_right"])
def test_a_short_thick_hind_leg_reaches_past_its_armpit(mirror: bool) -> None:
    """A hind leg under a fat rump: the branch ends a little past the body's disc, which spans the
    body, and the leg reaches well past the crotch it leaves through."""
    assert is_limb(chunky_side_quadruped(), (0.66, 0.5), (0.68, 0.7), mirror=mirror)


@pytest.mark.parametrize("side", [-1, 1], ids=["right_foot", "left_foot"])
def test_a_round_bears_feet_seen_from_the_front_are_limbs(side: int) -> None:
    """Each foot turns outward from its thick leg along the floor, its contracted branch inside the
    leg's disc: both feet stay, mirror images of each other."""
    assert is_limb(chunky_front_bear(), (0.5 + side * 0.14, 0.8), (0.5 + side * 0.2, 0.85))


def test_a_thin_dogs_tail_stays_a_limb() -> None:
    d = _Drawing(SIZE)
    d.ellipse((0.53, 0.45), (0.25, 0.12))
    d.limb([(0.76, 0.4), (0.9, 0.24)], 0.03, 0.022)
    assert is_limb(d, (0.7, 0.44), (0.89, 0.26))


@pytest.mark.parametrize("corner", [(0.8, 0.2), (0.8, 0.8), (0.2, 0.8)], ids=["top", "floor", "floor_left"])
def test_a_twig_into_a_square_corner_is_no_limb(corner: tuple[float, float]) -> None:
    """Corners, on the floor too, have no neck: the outline never turns inward beside them."""
    d = _Drawing(SIZE)
    d.polygon([(0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.8)])
    centre = np.array([0.5, 0.5])
    tip = centre + 0.85 * (np.array(corner) - centre)
    assert not is_limb(d, (0.5, 0.5), (float(tip[0]), float(tip[1])))


def test_a_bump_of_a_ragged_floor_line_is_no_limb() -> None:
    """A wide body whose bottom edge wobbles a few pixels: a twig into one of its bumps is outline
    noise, not a foot."""
    d = _Drawing(SIZE)
    x = np.linspace(0.15, 0.85, 60)
    floor = 0.75 + 0.008 * np.sin(x * 90.0)
    d.polygon([(0.15, 0.3), (0.85, 0.3), *zip(x[::-1], floor[::-1])])
    assert not is_limb(d, (0.5, 0.55), (0.52, 0.72))


def short_eared_dog(facing: str) -> LimbFigure:
    """A dog from the side, head toward `facing`, whose ear is a short stub on top of its head: it
    reaches past the head's outline about two and a half times its own width (a chunky animal's
    ear); four legs, a snout and a tail."""
    d = _Drawing(SIZE)
    d.limb([(0.23, 0.24), (0.235, 0.14)], 0.02, 0.016)  # the ear, drawn first
    d.ellipse((0.53, 0.45), (0.25, 0.12))
    d.limb([(0.32, 0.4), (0.22, 0.29)], 0.065, tip=False)  # neck
    d.disc((0.2, 0.27), 0.085)  # head
    d.limb([(0.2, 0.29), (0.07, 0.33)], 0.045, 0.04)  # snout
    for x in (0.33, 0.68):
        for k in (0, 1):
            top = x + k * 0.117
            d.limb([(top, 0.5), (top - 0.01, 0.87)], 0.036, 0.032)
    d.limb([(0.76, 0.4), (0.9, 0.24)], 0.03, 0.022)  # tail
    return d.figure(f"short_eared_dog_{facing}", mirror=facing == "right")


@pytest.mark.parametrize("facing", ["left", "right"])
def test_a_short_ear_the_cloud_lost_is_given_back(facing: str) -> None:
    """The contraction pulled the ear into the head (its points are gone); the outline still shows
    it, one and a half times as long past the head's discs as it is wide, or more: it is given back
    as a branch, and every other limb stays one. Asked for twice its width (the setting before),
    it stayed lost."""
    figure = short_eared_dog(facing)
    rgba = np.zeros(figure.mask.shape + (4,), np.float32)
    rgba[..., :3] = 0.5
    rgba[..., 3] = figure.mask
    result = run_pipeline(image_from_array(rgba, source=f"{figure.name}.png"),
                          PipelineSettings(predictor="geometric"))
    shape, points = result.shape, result.contraction.points
    ear = figure.tips[0]
    points = points[np.linalg.norm(shape.frame.to_pixels(points) - ear, axis=1) > 0.12 * figure.size]
    silhouette = Silhouette.from_mask(shape.mask, shape.frame, shape.work_scale)
    tolerance = TIP_TOLERANCE * figure.size
    tree = build_tree(points, shape.radius_at, silhouette=silhouette)
    leaves = shape.frame.to_pixels(tree.positions[tree.leaves])
    assert len(leaves) == len(figure.tips)
    assert (np.linalg.norm(leaves[:, None] - figure.tips[None], axis=2).min(axis=0) <= tolerance).all()
    strict = build_tree(points, shape.radius_at, silhouette=silhouette,
                        settings=TreeSettings(restore_reach=2.0))
    leaves = shape.frame.to_pixels(strict.positions[strict.leaves])
    assert np.linalg.norm(leaves - ear, axis=1).min() > tolerance
