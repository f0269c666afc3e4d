"""Masks from drawn figures (alpha, plain, gradient + noise backgrounds) and from real photos."""

from __future__ import annotations

from pathlib import Path

import figures
import numpy as np
import pytest
import skimage.data
from PIL import Image
from scipy import ndimage

from pointskel_blender.core.errors import MaskError, ModelError
from pointskel_blender.core.image import LoadedImage, image_from_array, load_image
from pointskel_blender.core.mask import compute_mask
from pointskel_blender.core.model_store import bundled_dir

FIGURE = figures.stick_figure(512).mask
BODY = np.array([0.78, 0.24, 0.16])
PAPER = np.array([0.96, 0.96, 0.94])


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / (a | b).sum())


def _on(mask: np.ndarray, background: np.ndarray, colour: np.ndarray = BODY) -> LoadedImage:
    rgb = background.copy() if background.ndim == 3 else np.broadcast_to(background, mask.shape + (3,)).copy()
    rgb[mask] = colour
    return image_from_array(np.clip(rgb, 0, 1).astype(np.float32))


def _gradient(h: int, w: int) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    return np.stack([0.82 + 0.12 * xx, 0.78 + 0.14 * yy, 0.92 - 0.1 * xx * yy], axis=-1)


def test_alpha_figure() -> None:
    image = image_from_array(figures.rgba_with_alpha(FIGURE))
    result = compute_mask(image, backend="alpha")
    assert result.backend == "alpha" and result.mask.dtype == np.bool_ and result.mask.shape == (512, 512)
    assert _iou(result.mask, FIGURE) > 0.995
    assert result.work_scale == 1.0 and result.objects_found == 1
    assert result.coverage == pytest.approx(FIGURE.mean(), rel=0.01)
    assert compute_mask(image).backend == "alpha"


def test_figure_on_plain_background_at_other_work_sizes() -> None:
    small = figures.stick_figure(256).mask
    result = compute_mask(_on(small, PAPER), backend="threshold", work_size=512)
    assert result.backend == "threshold" and result.mask.shape == (512, 512) and result.work_scale == 2.0
    assert _iou(result.mask, np.kron(small, np.ones((2, 2), bool))) > 0.99  # the drawing at twice the size
    result = compute_mask(_on(FIGURE, PAPER), backend="threshold", work_size=512)
    assert _iou(result.mask, FIGURE) > 0.995
    large = figures.stick_figure(1536).mask
    half_covered = large.reshape(512, 3, 512, 3).mean(axis=(1, 3)) >= 0.5
    result = compute_mask(_on(large, PAPER), backend="threshold", work_size=512)
    assert result.work_scale == pytest.approx(1 / 3)
    assert _iou(result.mask, half_covered) > 0.995  # antialiased edges land where coverage is one half


def test_non_square_image_mask_geometry() -> None:
    mask = np.zeros((300, 451), bool)
    mask[60:240, 100:350] = True  # over half the image wide: the working size is the image's
    result = compute_mask(_on(mask, PAPER), backend="threshold", work_size=512)
    assert result.mask.shape == (340, 512) and result.work_scale == pytest.approx(512 / 451)
    rows, cols = np.nonzero(result.mask)
    # the rectangle [100, 350) × [60, 240) in input pixels, mapped by work = input * scale
    assert cols.min() == pytest.approx(100 * result.work_scale, abs=1.0)
    assert cols.max() + 1 == pytest.approx(350 * result.work_scale, abs=1.0)
    assert rows.min() == pytest.approx(60 * result.work_scale, abs=1.0)


def test_figure_on_gradient_with_noise() -> None:
    rng = np.random.default_rng(7)
    background = _gradient(512, 512) + rng.normal(0, 0.025, (512, 512, 3))
    colour = BODY + rng.normal(0, 0.025, (int(FIGURE.sum()), 3))
    image = _on(FIGURE, background, colour)
    result = compute_mask(image, backend="threshold")
    assert _iou(result.mask, FIGURE) > 0.99
    assert result.objects_found == 1


def test_figure_touching_the_border() -> None:
    shifted = np.zeros_like(FIGURE)
    shifted[90:, 130:] = FIGURE[:-90, :-130]  # feet and the right hand leave the frame
    assert shifted[-1].sum() > 20 and shifted[:, -1].sum() > 0
    result = compute_mask(_on(shifted, _gradient(512, 512)), backend="threshold")
    assert _iou(result.mask, shifted) > 0.99


def test_transparent_background_used_by_threshold_too() -> None:
    result = compute_mask(
        image_from_array(figures.rgba_with_alpha(FIGURE, colour=(250, 220, 40))), backend="threshold"
    )
    assert _iou(result.mask, FIGURE) > 0.99


def test_all_background_is_an_error() -> None:
    with pytest.raises(MaskError, match="no object found with backend threshold.*try backend rembg"):
        compute_mask(_on(np.zeros((256, 256), bool), PAPER), backend="threshold")
    empty = np.zeros((256, 256, 4), np.uint8)
    with pytest.raises(MaskError, match="fully transparent"):
        compute_mask(image_from_array(empty), backend="alpha")


def test_all_foreground_is_an_error() -> None:
    rgba = np.zeros((512, 512, 4), np.uint8)
    rgba[8:-8, 8:-8] = (200, 60, 40, 255)  # opaque nearly to the edge
    with pytest.raises(MaskError, match=r"the alpha mask covers 94% of the image.*not separated"):
        compute_mask(image_from_array(rgba), backend="alpha")
    inside = np.zeros((512, 512), bool)
    inside[11:-11, 11:-11] = True  # a plain frame just wider than the border band
    with pytest.raises(MaskError, match=r"the threshold mask covers 92%"):
        compute_mask(_on(inside, PAPER), backend="threshold")


def test_busy_border_cannot_be_thresholded() -> None:
    with pytest.raises(MaskError, match="border is not a plain background.*rembg"):
        compute_mask(image_from_array(skimage.data.coffee()), backend="threshold")


def test_transparency_that_is_not_a_background() -> None:
    opaque = image_from_array(figures.rgba_on_background(FIGURE))
    assert opaque.has_alpha
    with pytest.raises(MaskError, match="fully opaque.*use backend threshold or rembg"):
        compute_mask(opaque, backend="alpha")
    window = np.full((256, 256, 4), 255, np.uint8)
    window[64:192, 64:192, 3] = 0  # transparent window in an opaque frame
    with pytest.raises(MaskError, match="border is opaque"):
        compute_mask(image_from_array(window), backend="alpha")
    with pytest.raises(MaskError, match="no alpha channel"):
        compute_mask(_on(FIGURE, PAPER), backend="alpha")


def _two_figures() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    big = np.zeros((512, 768), bool)
    big[:, :512] = FIGURE
    small = np.zeros((512, 768), bool)
    small[200:456, 500:756] = figures.stick_figure(256).mask
    assert not (big & small).any()
    return big, small, big | small


def test_multiple_objects_largest_or_all() -> None:
    big, small, both = _two_figures()
    image = _on(both, PAPER)
    largest = compute_mask(image, backend="threshold", work_size=768)
    assert largest.objects_found == 2
    assert _iou(largest.mask, big) > 0.995 and not (largest.mask & small).any()
    everything = compute_mask(image, backend="threshold", work_size=768, keep="all")
    assert everything.objects_found == 2 and _iou(everything.mask, both) > 0.995


def _disc_with_holes() -> tuple[np.ndarray, np.ndarray]:
    """A disc with a large central hole (real shape) and small punctures (noise); returns both truths."""
    yy, xx = np.mgrid[0:512, 0:512]
    r = np.hypot(xx - 256, yy - 256)
    ring = (r < 200) & (r >= 60)
    punctured = ring.copy()
    for k in range(12):
        angle = 2 * np.pi * k / 12
        cx, cy = int(256 + 130 * np.cos(angle)), int(256 + 130 * np.sin(angle))
        punctured[cy - 3 : cy + 3, cx - 3 : cx + 3] = False
    return punctured, ring


@pytest.mark.parametrize("backend", ["alpha", "threshold"])
def test_small_holes_filled_large_hole_kept(backend: str) -> None:
    punctured, ring = _disc_with_holes()
    if backend == "alpha":
        image = image_from_array(figures.rgba_with_alpha(punctured))
    else:
        image = _on(punctured, PAPER)
    result = compute_mask(image, backend=backend)
    assert np.array_equal(result.mask, ring)  # punctures closed, the central hole is still open
    assert not result.mask[256, 256]


def test_specks_dropped() -> None:
    rng = np.random.default_rng(11)
    specked = FIGURE.copy()
    for y, x in rng.integers(0, 508, size=(40, 2)):
        specked[y : y + 3, x : x + 3] = True
    labels, count = ndimage.label(specked, structure=np.ones((3, 3)))
    isolated = (labels > 0) & (labels != labels[FIGURE][0])  # specks not touching the figure
    assert count > 30 and isolated.sum() > 250  # together more than the speck size, apart far less
    result = compute_mask(_on(specked, PAPER), backend="threshold", keep="all")
    assert result.objects_found == 1
    assert not (result.mask & isolated).any()
    assert result.mask[FIGURE].all()


def _small_in_large(scale: int, canvas: int = 2048) -> np.ndarray:
    """The stick figure drawn `scale` times smaller than FIGURE, alone in a `canvas` square."""
    small = FIGURE.reshape(512 // scale, scale, 512 // scale, scale).mean(axis=(1, 3)) >= 0.5
    out = np.zeros((canvas, canvas), bool)
    out[900:900 + small.shape[0], 1000:1000 + small.shape[1]] = small
    return out


@pytest.mark.parametrize("backend", ["alpha", "threshold"])
def test_a_small_figure_alone_in_a_large_canvas_is_the_figure_not_a_speck(backend: str) -> None:
    lone = _small_in_large(4)  # 128 px tall in 2048: 0.04 % of the image, under the speck size
    assert lone.mean() < 0.001
    image = image_from_array(figures.rgba_with_alpha(lone)) if backend == "alpha" else _on(lone, PAPER)
    result = compute_mask(image, backend=backend)
    assert result.objects_found == 1
    drawn = np.argwhere(lone)
    found = np.argwhere(result.mask) / result.work_scale
    assert np.abs(found.min(axis=0) - drawn.min(axis=0)).max() < 4  # where it was drawn, as big
    assert np.abs(found.max(axis=0) - drawn.max(axis=0)).max() < 4


def test_dust_alone_is_still_no_figure() -> None:
    rng = np.random.default_rng(5)
    dust = np.zeros((1024, 1024), bool)
    for y, x in rng.integers(0, 1016, size=(60, 2)):
        dust[y : y + 8, x : x + 8] = True  # 60 specks of 64 px: none outweighs the rest
    with pytest.raises(MaskError, match="no object found with backend threshold"):
        compute_mask(_on(dust, PAPER), backend="threshold")


def test_auto_picks_alpha_then_the_threshold_on_paper_then_rembg_then_threshold(
    tmp_path: Path, u2netp: Path
) -> None:
    with_alpha = image_from_array(figures.rgba_with_alpha(FIGURE))
    assert compute_mask(with_alpha, model_dirs=[bundled_dir()]).backend == "alpha"
    on_paper = _on(FIGURE, PAPER)
    assert compute_mask(on_paper, model_dirs=[bundled_dir()]).backend == "threshold"
    rng = np.random.default_rng(3)
    backdrop = np.clip(PAPER + rng.normal(0.0, 0.04, (512, 512, 3)), 0, 1)  # a photo's grainy backdrop
    picked = compute_mask(_on(FIGURE, backdrop), model_dirs=[bundled_dir()], work_size=320)
    assert (
        picked.backend == "rembg"
        and _iou(
            picked.mask, np.asarray(Image.fromarray(FIGURE).resize((320, 320), Image.Resampling.NEAREST))
        )
        > 0.8
    )
    assert compute_mask(_on(FIGURE, backdrop), model_dirs=[tmp_path]).backend == "threshold"
    black = image_from_array(np.zeros((256, 256, 3), np.uint8))  # plain, but nothing on it to threshold
    assert compute_mask(black, model_dirs=[bundled_dir()]).backend == "rembg"


def test_auto_keeps_an_inked_drawings_pale_limbs_and_the_belly_its_outline_encloses(u2netp: Path) -> None:
    """A cartoon on paper (tests/photo_figures.py): skin-coloured legs and a plush's pale ears and belly,
    each inside a dark outline. rembg's small model hollowed the legs and ears out to their outlines;
    auto thresholds the paper, and a pale region the outline encloses is the figure's, while a hole
    that shows the paper stays open."""
    import photo_figures as pf

    for picture, region in ((pf.cartoon_girl(), (slice(355, 420), slice(210, 222))),  # the left leg
                            (pf.plush_bunny(), (slice(300, 360), slice(215, 265)))):  # the white belly
        result = compute_mask(image_from_array(picture.rgb), model_dirs=[bundled_dir()], work_size=480)
        assert result.backend == "threshold" and result.mask[region].all(), picture.name
        assert not result.mask[:10].any()
    ring = np.zeros((480, 480, 3), np.uint8) + np.array([246, 241, 230], np.uint8)
    yy, xx = np.mgrid[:480, :480]
    r = np.hypot(yy - 240, xx - 240)
    ring[(r > 80) & (r < 160)] = (40, 32, 36)  # a dark ring: the paper shows through its middle
    ring[r <= 80] = (246, 241, 230)
    assert not compute_mask(image_from_array(ring), backend="threshold", work_size=480).mask[240, 240]


def test_rembg_backend_without_its_model(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="u2net.onnx.*not installed.*download it from https://"):
        compute_mask(_on(FIGURE, PAPER), backend="rembg", rembg_model="u2net", model_dirs=[tmp_path])


@pytest.mark.slow
def test_rembg_backend_on_photos(u2netp: Path) -> None:
    result = compute_mask(
        image_from_array(skimage.data.astronaut()), backend="rembg", work_size=256, model_dirs=[bundled_dir()]
    )
    mask = result.mask
    assert result.backend == "rembg" and mask.shape == (256, 256) and result.work_scale == 0.5
    assert mask[30:75, 90:140].mean() > 0.97 and mask[150:225, 50:140].mean() > 0.97  # face, torso
    assert mask[:25, :25].mean() == 0.0 and mask[:25, -25:].mean() == 0.0  # top corners
    cat = compute_mask(image_from_array(skimage.data.chelsea()), backend="rembg", model_dirs=[bundled_dir()])
    h, w = cat.mask.shape
    assert (h, w) == (340, 512)
    assert cat.mask[int(0.3 * h) : int(0.7 * h), int(0.3 * w) : int(0.6 * w)].mean() > 0.98  # the cat's face
    assert cat.mask[int(0.4 * h) : int(0.8 * h), int(0.9 * w) :].mean() < 0.02  # the room to its left


def test_unknown_options() -> None:
    image = _on(FIGURE, PAPER)
    with pytest.raises(MaskError, match="unknown mask backend 'magic'"):
        compute_mask(image, backend="magic")
    with pytest.raises(MaskError, match="unknown keep mode 'biggest'"):
        compute_mask(image, keep="biggest")


SAMPLE = Path(__file__).resolve().parents[2] / "pointskel_blender" / "samples" / "sample_character.png"


def _runs(row: np.ndarray) -> int:
    return int(np.count_nonzero(np.diff(row.astype(np.int8)) == 1) + row[0])


def test_bundled_sample_is_a_good_demo_input() -> None:
    assert SAMPLE.stat().st_size < 400_000
    image = load_image(SAMPLE)
    assert image.size == (768, 1024) and image.has_alpha
    result = compute_mask(image)
    assert result.backend == "alpha" and result.objects_found == 1 and 0.15 < result.coverage < 0.5
    mask = result.mask  # 384 × 512; rows below are final-image heights / 2
    assert _runs(mask[257]) == 3  # paw, body, paw: the arms stand clear of the body
    assert _runs(mask[400]) == 2  # two legs apart
    assert _runs(mask[25]) == 2  # two ear tips
    assert mask[:, int(0.9 * mask.shape[1]) :].any()  # the tail reaches out to the right
    edge = image.rgba[..., 3]
    assert ((edge > 0.05) & (edge < 0.95)).sum() > 2000  # antialiased, not a hard cut-out


@pytest.mark.slow
def test_sample_script_reproduces_the_bundled_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = SAMPLE.parents[2] / "scripts" / "make_sample.py"
    subprocess.run([sys.executable, str(script), str(tmp_path / "fox.png")], check=True, capture_output=True)
    np.testing.assert_array_equal(
        np.asarray(Image.open(tmp_path / "fox.png")), np.asarray(Image.open(SAMPLE))
    )
