"""Every limb the picture shows, and nothing else: chunky drawn figures through the real pipeline."""
from __future__ import annotations

import numpy as np
import pytest

import limb_figures
from limb_figures import LimbFigure
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.lift import Frame, lift
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline
from pointskel_blender.core.silhouette import Silhouette
from pointskel_blender.core.topology import TreeSettings, build_tree

TIP_TOLERANCE = 0.075  # of the figure's size: a limb tip is found by a leaf this near


def run(figure: LimbFigure, predictor: str = "geometric") -> PipelineResult:
    rgba = np.zeros(figure.mask.shape + (4,), np.float32)
    rgba[..., :3] = 0.5
    rgba[..., 3] = figure.mask
    image = image_from_array(rgba, source=f"{figure.name}.png")
    return run_pipeline(image, PipelineSettings(predictor=predictor))


def leaf_pixels(result: PipelineResult) -> np.ndarray:
    return result.shape.frame.to_pixels(result.tree.positions[result.tree.leaves])


def assert_every_tip_and_no_other(figure: LimbFigure, leaves: np.ndarray) -> None:
    tolerance = TIP_TOLERANCE * figure.size
    for tip in figure.tips:
        nearest = np.linalg.norm(leaves - tip, axis=1).min()
        assert nearest <= tolerance, f"{figure.name}: no leaf near the limb tip at {tip} ({nearest:.0f} px)"
    assert len(leaves) == len(figure.tips), f"{figure.name}: {len(leaves)} leaves, {len(figure.tips)} limbs"


@pytest.mark.parametrize("figure", limb_figures.limb_figures(), ids=lambda f: f.name)
def test_every_limb_of_a_chunky_figure_is_a_chain(figure: LimbFigure) -> None:
    assert_every_tip_and_no_other(figure, leaf_pixels(run(figure)))


@pytest.mark.parametrize(
    "figure", [limb_figures.plush_bear(), limb_figures.side_dog(facing="right")], ids=lambda f: f.name
)
def test_the_shipped_model_keeps_every_limb_too(figure: LimbFigure) -> None:
    result = run(figure, "auto")
    assert result.predictor == "onnx"
    assert_every_tip_and_no_other(figure, leaf_pixels(result))


@pytest.mark.parametrize("figure", limb_figures.limbless_figures(), ids=lambda f: f.name)
def test_corners_and_ragged_outlines_grow_no_limbs(figure: LimbFigure) -> None:
    assert len(leaf_pixels(run(figure))) <= figure.max_leaves


@pytest.mark.parametrize("gap", [0.02, 0.008])
def test_legs_close_together_stay_two_chains(gap: float) -> None:
    figure = limb_figures.side_dog(facing="left", gap=gap)
    assert_every_tip_and_no_other(figure, leaf_pixels(run(figure)))


@pytest.mark.parametrize(
    "figure",
    [limb_figures.fat_panda(), limb_figures.bird()],
    ids=["fat_body_loses_legs", "foot_joins_next_leg"],
)
def test_without_the_silhouette_the_same_cloud_misses_limbs(figure: LimbFigure) -> None:
    """The evidence is what keeps them: the same contracted cloud, pruned by thickness alone, loses a
    fat panda's legs and head; linked across background, a bird's foot joins the other leg."""
    result = run(figure)
    shape, points = result.shape, result.contraction.points
    silhouette = Silhouette.from_mask(shape.mask, shape.frame, shape.work_scale)
    plain = build_tree(points, shape.radius_at)
    seen = build_tree(points, shape.radius_at, silhouette=silhouette)
    frame = shape.frame
    assert_every_tip_and_no_other(figure, frame.to_pixels(seen.positions[seen.leaves]))
    with pytest.raises(AssertionError):
        assert_every_tip_and_no_other(figure, frame.to_pixels(plain.positions[plain.leaves]))


def _silhouette(mask: np.ndarray) -> Silhouette:
    shape = lift(mask, points=0)
    return Silhouette.from_mask(mask, shape.frame, 1.0)


def test_concave_points_sit_at_necks_not_at_corners() -> None:
    square = _silhouette(limb_figures.square().mask)
    assert len(square.concave) == 0
    plus = np.zeros((200, 200), bool)
    plus[90:110, 20:180] = True
    plus[20:180, 90:110] = True
    sil = _silhouette(plus)
    assert len(sil.concave) > 0
    frame = lift(plus, points=0).frame
    corners = frame.to_normalized(np.array([[90.0, 90.0], [110.0, 90.0], [90.0, 110.0], [110.0, 110.0]]))
    nearest = np.linalg.norm(sil.concave[:, None] - corners[None], axis=2).min(axis=1)
    assert nearest.max() < 0.05  # every concave point is one of the four inner corners
    assert sil.concave_near(np.zeros(2), 0.1, np.array([1.0, 0.0]), depth=0.05)
    assert not sil.concave_near(np.zeros(2), 0.1, np.array([1.0, 0.0]), depth=0.5)


def test_a_segment_crosses_a_gap_only_with_background_between_figure_points() -> None:
    bars = np.zeros((100, 100), bool)
    bars[10:90, 20:35] = True
    bars[10:90, 45:60] = True
    sil = _silhouette(bars)
    frame = lift(bars, points=0).frame
    a, b, c, outside = frame.to_normalized(np.array([[27.0, 50.0], [52.0, 50.0], [27.0, 80.0], [80.0, 50.0]]))
    crosses = sil.crosses_gap(np.array([a, a, a]), np.array([b, c, outside]))
    assert crosses.tolist() == [True, False, False]


def test_a_node_just_off_the_figure_belongs_to_the_nearest_part_and_bridges_nothing() -> None:
    """Two legs a few pixels apart under a body: a node in the narrow gap between their feet (the
    smoothed mean of both legs' points can fall there) joins one leg, not both."""
    legs = np.zeros((120, 100), bool)
    legs[10:22, 40:58] = True  # the body
    legs[10:110, 40:47] = True
    legs[10:110, 51:58] = True  # a 4-pixel gap between the legs, their axes 11 pixels apart
    shape = lift(legs, points=0)
    sil = Silhouette.from_mask(legs, shape.frame, 1.0)
    gap_node = shape.frame.to_normalized(np.array([[49.0, 106.0]]))[0]
    assert not sil.inside(gap_node[None])[0]
    # The medial axis in pixels, the second leg's stopping short of the body (as contracted clouds do):
    # linked through the gap node, that leg would hang from the first leg's foot.
    axis = [((43.5, 106.0), (43.5, 16.0)), ((43.5, 16.0), (54.5, 16.0)), ((54.5, 32.0), (54.5, 106.0))]
    line = np.concatenate([np.linspace(a, b, 90) for a, b in axis])
    cloud = shape.frame.to_normalized(np.concatenate([line, np.repeat([[49.0, 106.0]], 6, axis=0)]))
    cloud = np.concatenate([cloud, np.zeros((len(cloud), 1))], axis=1)
    thickness = lift(legs, points=0).radius_at
    tree = build_tree(cloud, thickness, silhouette=sil)
    feet = shape.frame.to_normalized(np.array([[43.5, 106.0], [54.5, 106.0]]))
    leaves = tree.positions[tree.leaves][:, :2]
    assert len(leaves) == 2
    for foot in feet:
        assert np.linalg.norm(leaves - foot, axis=1).min() < TIP_TOLERANCE, "a foot is no longer a limb tip"


MIRRORED = [limb_figures.plush_bear(), limb_figures.fat_panda(), limb_figures.side_dog(facing="left"),
            limb_figures.side_horse(facing="right"), limb_figures.bird(), limb_figures.starfish()]


def _horse() -> LimbFigure:
    from skimage import data

    mask = ~data.horse()
    return LimbFigure("skimage_horse", mask, np.zeros((0, 2)), 7)


@pytest.mark.slow
@pytest.mark.parametrize("figure", [*MIRRORED, _horse()], ids=lambda f: f.name)
def test_a_mirrored_figure_gives_a_mirrored_tree(figure: LimbFigure) -> None:
    """The same limbs, mirrored, with the shipped model: the lift's random samples and the voxel
    grid fall differently on a mirrored picture, and no limb may hang on where they fall."""
    width = figure.mask.shape[1]
    plain = leaf_pixels(run(figure, "auto"))
    mirrored = leaf_pixels(run(LimbFigure(figure.name, figure.mask[:, ::-1].copy(), figure.tips, 0), "auto"))
    mirrored[:, 0] = width - mirrored[:, 0]
    assert len(mirrored) == len(plain), f"{len(plain)} limb tips, {len(mirrored)} mirrored"
    tolerance = TIP_TOLERANCE * figure.size
    for tip in plain:
        assert np.linalg.norm(mirrored - tip, axis=1).min() <= tolerance, f"no mirrored tip near {tip}"


@pytest.mark.slow
def test_the_flipped_horse_keeps_both_front_legs(tmp_path) -> None:
    """scikit-image's horse as the rigger's checklist draws it (brown on white), through rembg and
    through the threshold auto takes for plain white, facing either way: four hooves on the floor. A
    smoothed voxel node in the narrow gap between the front hooves once joined both front legs into
    one U-shaped chain in one facing only."""
    from PIL import Image
    from skimage import data

    horse = ~data.horse()
    rgb = np.where(horse[..., None], np.array([120, 82, 50], np.uint8), np.uint8(255)).astype(np.uint8)
    for name, pixels in (("horse", rgb), ("horse_flipped", rgb[:, ::-1])):
        path = tmp_path / f"{name}.png"
        Image.fromarray(np.ascontiguousarray(pixels)).save(path)
        for backend in ("rembg", "auto"):
            result = run_pipeline(path, PipelineSettings(mask_backend=backend))
            assert result.mask.backend == ("threshold" if backend == "auto" else "rembg")
            leaves = leaf_pixels(result)
            floor = leaves[:, 1] > 0.9 * horse.shape[0]
            tips = leaves.round().tolist()
            assert floor.sum() == 4, f"{name} ({backend}): {floor.sum()} hooves on the floor, tips {tips}"


def _without(points: np.ndarray, frame, figure: LimbFigure, tip: int, reach: float) -> np.ndarray:
    """The contracted cloud less its points within `reach` × the figure's size of one limb tip: a limb
    the contraction pulled into the body it leaves."""
    far = np.linalg.norm(frame.to_pixels(points) - figure.tips[tip], axis=1) > reach * figure.size
    return points[far]


@pytest.mark.parametrize("facing", ["left", "right"])
def test_a_limb_the_cloud_lost_is_given_back_from_the_outline(facing: str) -> None:
    """A chunky dog's ear that the contraction pulled into its head: no point of the cloud is in it,
    the outline shows it, and the tree gets a branch ending in it; every other limb stays one."""
    figure = limb_figures.side_dog(facing=facing, ear=True)
    result = run(figure)
    shape = result.shape
    silhouette = Silhouette.from_mask(shape.mask, shape.frame, shape.work_scale)
    ear = 0  # drawn first
    points = _without(result.contraction.points, shape.frame, figure, ear, 0.12)
    seen = build_tree(points, shape.radius_at, silhouette=silhouette)
    assert_every_tip_and_no_other(figure, shape.frame.to_pixels(seen.positions[seen.leaves]))
    blind = build_tree(points, shape.radius_at, silhouette=silhouette,
                       settings=TreeSettings(restore_reach=np.inf))  # the same tree, nothing given back
    leaves = shape.frame.to_pixels(blind.positions[blind.leaves])
    assert np.linalg.norm(leaves - figure.tips[ear], axis=1).min() > TIP_TOLERANCE * figure.size


@pytest.mark.parametrize("figure", limb_figures.limbless_figures(), ids=lambda f: f.name)
def test_an_outline_far_from_a_short_tree_grows_no_limbs(figure: LimbFigure) -> None:
    """A cloud only at the middle of a ragged blob, a ragged rectangle or a square: all of the outline
    lies beyond the tree's reach, and none of it is a limb (corners and notches have no neck, bumps
    are wider than they reach)."""
    result = run(figure)
    shape = result.shape
    silhouette = Silhouette.from_mask(shape.mask, shape.frame, shape.work_scale)
    points = result.contraction.points
    centre = np.median(points, axis=0)
    core = points[np.linalg.norm(points[:, :2] - centre[:2], axis=1) < 0.1]
    tree = build_tree(core, shape.radius_at, silhouette=silhouette, settings=TreeSettings(restore_reach=0.5))
    assert len(tree.leaves) <= 2  # even laxer than shipped


def test_the_notch_between_two_legs_is_no_limb() -> None:
    """A fat panda's legs part below its body: the notch between them lies beyond every node's disc
    and is deep, but the figure runs on beside it, so no branch goes up into it."""
    figure = limb_figures.fat_panda()
    result = run(figure)
    shape = result.shape
    silhouette = Silhouette.from_mask(shape.mask, shape.frame, shape.work_scale)
    tree = build_tree(result.contraction.points, shape.radius_at, silhouette=silhouette,
                      settings=TreeSettings(restore_reach=0.5))  # laxer than shipped
    assert_every_tip_and_no_other(figure, shape.frame.to_pixels(tree.positions[tree.leaves]))


def test_outline_runs_group_touching_outline_pixels_and_find_their_ends() -> None:
    """A 20 px square's outline: a stretch of its top edge is one run with ends at both ends, two stretches
    apart are two runs, the whole outline one run without ends (a closed loop leaves no body)."""
    mask = np.zeros((40, 40), bool)
    mask[10:30, 10:30] = True
    silhouette = Silhouette.from_mask(mask, Frame(center_px=(20.0, 20.0), px_per_unit=40.0), 1.0)
    outline = silhouette.outline
    assert len(outline) == 4 * 19
    top = np.isclose(outline[:, 1], (20 - 10.5) / 40)  # the top row's pixel centres
    assert top.sum() == 20
    part = top & (outline[:, 0] < 0.0)
    (run, ends), = silhouette.outline_runs(part)
    assert sorted(run) == sorted(np.flatnonzero(part))
    x = outline[run, 0]
    assert np.ptp(outline[ends, 0]) == np.ptp(x) and len(ends) < len(run) / 2  # at both of its ends only
    two = top & (np.abs(outline[:, 0]) > 0.1)
    assert len(silhouette.outline_runs(two)) == 2
    (whole, none), = silhouette.outline_runs(np.ones(len(outline), bool))
    assert len(whole) == len(outline) and len(none) == 0
    assert silhouette.outline_runs(np.zeros(len(outline), bool)) == []
