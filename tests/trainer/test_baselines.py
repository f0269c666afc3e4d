"""The scikit-image skeleton baseline: right trees on the test figures, in the pipeline's own units."""

from __future__ import annotations

import figures
import numpy as np
import pytest
from scipy import ndimage
from skimage.morphology import skeletonize

from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.lift import lift
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from trainer.baselines import SKELETON_METHODS, run_skeleton_baseline, skeleton_cloud

SETTINGS = PipelineSettings(mask_backend="alpha", work_size=256)


def _image(figure: figures.Figure):
    return image_from_array(figures.rgba_with_alpha(figure.mask), source=figure.name)


@pytest.mark.parametrize("method", SKELETON_METHODS)
@pytest.mark.parametrize("figure", figures.all_figures(256), ids=lambda f: f.name)
def test_figures_give_their_trees(figure: figures.Figure, method: str) -> None:
    tree = run_skeleton_baseline(_image(figure), SETTINGS, method).tree
    assert len(tree.leaves) == figure.leaves
    assert len(tree.junctions) == figure.junctions


def test_cloud_is_the_skeleton_pixels_in_the_lift_frame() -> None:
    mask = figures.stick_figure(200).mask
    shape = lift(mask, 1.0, points=512)
    cloud = skeleton_cloud(shape)
    assert cloud.dtype == np.float32 and np.all(cloud[:, 2] == 0)
    pixels = shape.frame.to_pixels(cloud) - 0.5  # pixel centres back to (col, row)
    np.testing.assert_allclose(pixels, np.round(pixels), atol=1e-3)
    cols, rows = np.round(pixels).astype(int).T
    drawn = np.zeros_like(mask)
    drawn[rows, cols] = True
    assert np.array_equal(drawn, skeletonize(mask))
    # units: the frame spans the mask's bounding box, longest side 1
    assert np.all(np.abs(cloud[:, :2]) <= 0.5)


def test_result_matches_the_pipeline_shape_and_frame() -> None:
    image = _image(figures.plus(256))
    base = run_skeleton_baseline(image, SETTINGS)
    geometric = run_pipeline(
        image, PipelineSettings(mask_backend="alpha", work_size=256, predictor="geometric")
    )
    assert base.predictor == "skeletonize" and base.skeleton.metadata["predictor"] == "skeletonize"
    assert set(base.timings) == set(geometric.timings)
    assert base.shape.frame == geometric.shape.frame
    assert np.array_equal(base.mask.mask, geometric.mask.mask)
    pixels = np.array([j.pixel for j in base.skeleton.joints])
    np.testing.assert_allclose(pixels, base.shape.frame.to_pixels(base.anatomy.positions), atol=1e-3)

    # Same frame, same topology code: the crossing joint lands in the same place for both methods.
    def centre(result):
        return result.tree.positions[result.tree.junctions[0], :2]

    assert np.linalg.norm(centre(base) - centre(geometric)) * base.shape.frame.px_per_unit < 3.0


def test_downscaled_working_mask_maps_back_to_input_pixels() -> None:
    figure = figures.stick_figure(384)
    image = image_from_array(figures.rgba_with_alpha(figure.mask), source="big")
    result = run_skeleton_baseline(image, PipelineSettings(mask_backend="alpha", work_size=128))
    assert result.mask.work_scale == pytest.approx(1 / 3)
    pixels = np.array([j.pixel for j in result.skeleton.joints])
    near = ndimage.distance_transform_edt(~figure.mask)  # input px from the figure
    cols, rows = np.clip(np.floor(pixels), 0, 383).astype(int).T
    assert np.all(near[rows, cols] <= 3.0)
    assert len(result.tree.leaves) == figure.leaves


def test_unknown_method_is_a_clear_error() -> None:
    shape = lift(figures.bar(64).mask, 1.0, points=128)
    with pytest.raises(PointSkelError, match="unknown skeleton method 'thinning'"):
        skeleton_cloud(shape, "thinning")
