"""A small figure in a wide margin (a sprite on a big canvas) reads as the same figure filling its image:
the mask is computed finely enough across the figure, not across the canvas."""

from __future__ import annotations

import anatomy_figures as af
import numpy as np
import pytest

from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.mask import _finer_size, compute_mask
from pointskel_blender.core.settings import SETTINGS
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline

DRAWN = af.both_facings(af.dog(800), af.horse(800))
CANVAS = 1024


def _small(mask: np.ndarray, on: str, small: int) -> np.ndarray:
    """The figure's canvas shrunk (anti-aliased) to `small` px, off-centre on a `CANVAS`-px image."""
    f = mask.shape[0] // small
    cover = mask.reshape(small, f, small, f).mean(axis=(1, 3))
    alpha = np.zeros((CANVAS, CANVAS), np.float32)
    alpha[300: 300 + small, 600: 600 + small] = cover
    if on == "alpha":
        out = np.zeros((CANVAS, CANVAS, 4), np.float32)
        out[..., :3] = (0.35, 0.47, 0.78)
        out[..., 3] = alpha
        return out
    return (alpha[..., None] * np.array([0.35, 0.47, 0.78], np.float32) + (1 - alpha[..., None]) * 0.97)


@pytest.mark.parametrize("name", sorted(DRAWN))
def test_a_small_figure_on_a_big_canvas_reads_as_the_figure(name: str) -> None:
    character = DRAWN[name]
    image = image_from_array(_small(character.mask, "alpha", 100))  # the figure 8% of the image
    anatomy = run_pipeline(image, PipelineSettings(predictor="geometric")).anatomy
    assert (anatomy.anatomy.body_plan, anatomy.anatomy.view, anatomy.anatomy.facing) == (
        character.body_plan, character.view, character.facing), name
    assert set(character.limbs) <= set(anatomy.parts), name


@pytest.mark.parametrize("on", ["alpha", "paper"])
def test_the_mask_of_a_small_figure_is_as_fine_across_it_as_a_figure_filling_the_image(on: str) -> None:
    figure = DRAWN["dog"].mask
    backend = "alpha" if on == "alpha" else "threshold"
    small = compute_mask(image_from_array(_small(figure, on, 160)), backend=backend, work_size=512)
    full = compute_mask(image_from_array(af.rgba(figure)), backend="alpha", work_size=512)
    across = [np.ptp(np.flatnonzero(m.mask.any(axis=0))) + 1 for m in (small, full)]
    assert across[0] >= 0.5 * across[1]  # at least half the pixels across the figure, not a fifth
    assert small.work_scale * CANVAS == pytest.approx(small.mask.shape[1])  # work = input * work_scale


def test_the_finer_grid_never_passes_the_largest_working_size() -> None:
    """However small the figure, the grid stays within what a person may ask for (its memory)."""
    largest = SETTINGS["work_size"].maximum
    for work_size in (512, largest // 2, largest):
        speck = np.zeros((work_size, work_size), bool)
        speck[10:14, 10:14] = True  # a figure 4 px across
        finer = _finer_size(speck, work_size)
        assert finer is None if work_size == largest else work_size < finer <= min(4 * work_size, largest)


def test_a_figure_under_the_speck_size_still_gets_its_skeleton() -> None:
    """A 40-px sprite on the 1024-px canvas (the dog covers 0.03 % of it, under the size of a speck)."""
    character = DRAWN["dog"]
    image = image_from_array(_small(character.mask, "alpha", 40))
    assert (image.rgba[..., 3] >= 0.5).mean() < 0.001
    anatomy = run_pipeline(image, PipelineSettings(predictor="geometric")).anatomy
    assert anatomy.anatomy.body_plan == "quadruped"
    assert len(anatomy.positions) >= 8
