"""The whole core pipeline on drawn figures, saved as real image files."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

import figures
from pointskel_blender.core.errors import PointSkelError, SkeletonError
from pointskel_blender.core.pipeline import Cancelled, PipelineSettings, run_pipeline
from pointskel_blender.core.contract.geometric import GeometricPredictor
from pointskel_blender.core.skeleton import Skeleton

GEOMETRIC = PipelineSettings(predictor="geometric", points=4096)


def save_rgba(tmp_path, name: str, mask: np.ndarray) -> str:
    path = tmp_path / f"{name}.png"
    Image.fromarray(figures.rgba_with_alpha(mask)).save(path)
    return str(path)


@pytest.mark.parametrize("figure", figures.all_figures(256), ids=lambda f: f.name)
def test_figure_topology_and_joints_inside(tmp_path, figure):
    result = run_pipeline(save_rgba(tmp_path, figure.name, figure.mask), GEOMETRIC)
    skeleton = result.skeleton
    assert (len(result.tree.leaves), len(result.tree.junctions)) == (figure.leaves, figure.junctions)
    inside = ndimage.binary_dilation(figure.mask, iterations=3)  # tips may sit a pixel or two out
    for joint in skeleton.joints:
        x, y = joint.pixel
        assert inside[int(y), int(x)], f"{joint.name} at {joint.pixel} is outside the figure"
    assert skeleton.root == 0 and skeleton.joints[0].part == "spine"
    assert set(result.timings) == {"load", "mask", "lift", "contract", "topology", "anatomy", "skeleton"}


@pytest.mark.parametrize("figure", [figures.plus(), figures.star(5), figures.star(3)], ids=lambda f: f.name)
def test_root_is_central_for_radial_figures(tmp_path, figure):
    skeleton = run_pipeline(save_rgba(tmp_path, figure.name, figure.mask), GEOMETRIC).skeleton
    x, y = skeleton.joints[skeleton.root].pixel
    assert np.hypot(x - 128, y - 128) < 0.06 * 256


def test_stick_figure_root_at_the_hips_and_limbs_paired(tmp_path):
    figure = figures.stick_figure(256)
    skeleton = run_pipeline(save_rgba(tmp_path, "stick", figure.mask), GEOMETRIC).skeleton
    x, y = skeleton.joints[skeleton.root].pixel
    # the hips: on the midline, between the torso's lower part (it ends at 0.56) and the thighs
    assert abs(x - 128) < 8 and 0.45 * 256 < y < 0.65 * 256
    names = skeleton.names()
    lefts = [n for n in names if n.endswith(".L")]
    assert len(lefts) >= 4 and all(n[:-2] + ".R" in names for n in lefts)


def test_mirrored_image_gives_mirrored_names(tmp_path):
    # Off-centre, so the flip moves every joint.
    mask = figures.stick_figure(256, offset_x=25).mask
    a = run_pipeline(save_rgba(tmp_path, "a", mask), GEOMETRIC).skeleton
    b = run_pipeline(save_rgba(tmp_path, "b", mask[:, ::-1]), GEOMETRIC).skeleton
    width = a.image_size[0]
    sided = [j for j in a.joints if j.name.endswith((".L", ".R"))]
    assert len(sided) >= 8, "arms and legs should pair"
    for joint in sided:
        flipped = joint.name[:-2] + (".R" if joint.name.endswith(".L") else ".L")
        partner = b.joints[b.index(flipped)]
        assert partner.pixel[0] == pytest.approx(width - joint.pixel[0], abs=4)
        assert partner.pixel[1] == pytest.approx(joint.pixel[1], abs=4)


@pytest.mark.parametrize("work_size", [128, 256, 512, 1024])
def test_pixel_mapping_holds_at_any_working_resolution(tmp_path, work_size):
    """Plus-sign arm tips, at 600 px input: the skeleton's pixels are input pixels at every work size."""
    figure = figures.plus(600)
    path = save_rgba(tmp_path, "plus", figure.mask)
    result = run_pipeline(path, PipelineSettings(predictor="geometric", work_size=work_size))
    skeleton = result.skeleton
    leaves = [j for j in skeleton.joints if len(skeleton.children(skeleton.index(j.name))) == 0]
    tips = np.array([j.pixel for j in leaves])
    expected = np.array([[0.15, 0.5], [0.85, 0.5], [0.5, 0.15], [0.5, 0.85]]) * 600
    # each expected arm end has a tip within 4% of the image (the medial axis stops short of round caps)
    for point in expected:
        assert np.min(np.linalg.norm(tips - point, axis=1)) < 0.04 * 600
    # and the lifted cloud maps back onto the figure in input pixels
    px = result.shape.frame.to_pixels(result.shape.points)
    inside = ndimage.binary_dilation(figure.mask, iterations=2)[px[:, 1].astype(int), px[:, 0].astype(int)]
    assert inside.mean() > 0.995


def test_json_round_trip(tmp_path):
    skeleton = run_pipeline(save_rgba(tmp_path, "star", figures.star(4).mask), GEOMETRIC).skeleton
    path = tmp_path / "out" / "star.json"
    skeleton.save(path)
    loaded = Skeleton.load(path)
    assert loaded.names() == skeleton.names()
    assert [j.parent for j in loaded.joints] == [j.parent for j in skeleton.joints]
    np.testing.assert_allclose([j.pixel for j in loaded.joints], [j.pixel for j in skeleton.joints],
                               atol=1e-3)
    np.testing.assert_allclose([j.position for j in loaded.joints], [j.position for j in skeleton.joints],
                               atol=1e-6)
    assert loaded.image_size == (256, 256)
    assert loaded.metadata["frame"]["normalization"] == "bbox-longest-side/v1"


def test_settings_are_checked_and_keyed():
    with pytest.raises(PointSkelError, match="predictor"):
        PipelineSettings(predictor="magic")
    with pytest.raises(PointSkelError, match="points"):
        PipelineSettings(points=3)
    assert PipelineSettings().key() == PipelineSettings().key()
    assert PipelineSettings(voxel=0.03).key() != PipelineSettings().key()
    with pytest.raises(PointSkelError, match="bone length"):
        PipelineSettings(bone_length=-0.1)
    assert PipelineSettings(bone_length=0.1).key() != PipelineSettings().key()
    assert PipelineSettings(auto_bone_length=False).key() != PipelineSettings().key()


def test_bone_length_sets_how_often_a_straight_limb_is_split(tmp_path):
    """A straight bar has no bend: its joints come only from the bone length (0 = none inside it)."""
    path = save_rgba(tmp_path, "bar", figures.bar(vertical=True).mask)
    counts = {
        length: len(
            run_pipeline(path, PipelineSettings(predictor="geometric", bone_length=length)).skeleton.joints
        )
        for length in (0.0, 0.2, 0.1, 0.06)
    }
    # not a figure: the root in the middle, the two ends and one joint so that the lower half has a bone
    assert counts[0.0] <= 4
    assert counts[0.0] < counts[0.2] < counts[0.1] < counts[0.06]


def test_the_chosen_bone_length_is_a_field_of_the_result_and_stays_in_the_metadata(tmp_path):
    path = save_rgba(tmp_path, "bar", figures.bar(vertical=True).mask)
    result = run_pipeline(path, PipelineSettings(predictor="geometric", bone_length=0.1))
    assert (result.bone_length, result.bone_length_from) == (0.1, "settings")  # no model, no choice
    metadata = result.skeleton.metadata
    assert metadata["bone_length"] == result.bone_length
    assert metadata["bone_length_from"] == result.bone_length_from


def test_zero_iterations_means_the_predictors_default(tmp_path):
    """0 is "the predictor's default" in every front end (the sidebar's spin box, the command lines)."""
    path = save_rgba(tmp_path, "plus", figures.plus().mask)
    default = run_pipeline(path, PipelineSettings(predictor="geometric", points=1024, iterations=0))
    iterations = GeometricPredictor.default_iterations
    spelled = run_pipeline(path, PipelineSettings(predictor="geometric", points=1024, iterations=iterations))
    one = run_pipeline(path, PipelineSettings(predictor="geometric", points=1024, iterations=1))
    assert default.contraction.iterations == spelled.contraction.iterations > 0
    np.testing.assert_array_equal(default.contraction.points, spelled.contraction.points)
    assert not np.array_equal(default.contraction.points, one.contraction.points)


def test_progress_reaches_one_and_a_raising_callback_cancels(tmp_path):
    path = save_rgba(tmp_path, "bar", figures.bar().mask)
    seen: list[tuple[str, float]] = []
    run_pipeline(path, GEOMETRIC, progress=lambda stage, f: seen.append((stage, f)))
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert {s for s, _ in seen} >= {"mask", "lift", "contract", "topology"}

    def cancel(stage: str, fraction: float) -> None:
        if stage == "contract":
            raise Cancelled("cancelled")

    with pytest.raises(Cancelled):
        run_pipeline(path, GEOMETRIC, progress=cancel)


def test_malformed_skeleton_files_are_refused(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(SkeletonError, match="not valid JSON"):
        Skeleton.load(bad)
    bad.write_text('{"format": "something-else"}')
    with pytest.raises(SkeletonError, match="not a PointSkel skeleton"):
        Skeleton.load(bad)
    bad.write_text('{"format": "pointskel-skeleton", "version": 1, "image_size": [4, 4], "joints": '
                   '[{"name": "a", "parent": null, "pixel": [0, 0], "position": [0, 0, 0], "radius": 1},'
                   ' {"name": "b", "parent": null, "pixel": [0, 0], "position": [0, 0, 0], "radius": 1}]}')
    with pytest.raises(SkeletonError, match="exactly one root"):
        Skeleton.load(bad)
