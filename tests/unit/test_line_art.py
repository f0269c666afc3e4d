"""Line art: a figure drawn only as an ink outline (on paper, or as a PNG whose strokes alone are
opaque) is the same figure as its filled silhouette, and reads as one."""

from __future__ import annotations

import anatomy_figures as af
import numpy as np
import pytest
from scipy import ndimage

from pointskel_blender.core.image import LoadedImage, image_from_array
from pointskel_blender.core.mask import compute_mask
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline

DRAWN = af.both_facings(af.walker_side(512), af.humanoid_apose(512), af.dog(512))
INK = 3  # px: a cartoon's line at this size


def _ink(mask: np.ndarray) -> np.ndarray:
    """The outline alone, `INK` px wide and centred on the silhouette's edge."""
    out = (INK + 1) // 2
    return ndimage.binary_dilation(mask, iterations=out) & ~ndimage.binary_erosion(mask, iterations=INK - out)


def _drawn(lines: np.ndarray, on: str) -> LoadedImage:
    if on == "alpha":
        return image_from_array(af.rgba(lines, colour=(20, 20, 25)))
    rgb = np.full(lines.shape + (3,), 250, np.uint8)  # paper
    rgb[lines] = (20, 20, 25)
    return image_from_array(rgb)


@pytest.mark.parametrize("on", ["paper", "alpha"])
@pytest.mark.parametrize("name", sorted(DRAWN))
def test_an_outline_masks_as_the_silhouette_it_encloses(name: str, on: str) -> None:
    figure = DRAWN[name].mask
    mask = compute_mask(_drawn(_ink(figure), on), backend="threshold" if on == "paper" else "alpha",
                        work_size=512).mask
    inside = ndimage.binary_erosion(figure, iterations=INK)
    assert mask[inside].mean() > 0.99, name  # the body, not only its lines
    assert not mask[~ndimage.binary_dilation(figure, iterations=INK)].any(), name


@pytest.mark.parametrize("name", sorted(DRAWN))
def test_line_art_reads_as_the_filled_figure(name: str) -> None:
    character = DRAWN[name]
    image = _drawn(_ink(character.mask), "paper")
    anatomy = run_pipeline(image, PipelineSettings(predictor="geometric")).anatomy
    assert (anatomy.anatomy.body_plan, anatomy.anatomy.view, anatomy.anatomy.facing) == (
        character.body_plan, character.view, character.facing), name
    assert set(character.limbs) <= set(anatomy.parts), name


def test_a_ring_of_ink_read_as_it_is_still_gets_a_skeleton(monkeypatch: pytest.MonkeyPatch) -> None:
    # With the fill off, a snake drawn as ink on paper (`scripts/consistency.py`'s line art) is a ring
    # whose thickness is nothing along the path's top: the head got no length and the neck's bone count
    # divided by it (ZeroDivisionError, no result).
    import sys
    from pathlib import Path

    import pointskel_blender.core.mask as mask_module

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import consistency

    monkeypatch.setattr(mask_module, "LINE_ART", 0.0)
    result = run_pipeline(consistency.variants("snake")["h"], PipelineSettings())
    assert len(result.skeleton.joints) >= 2
