"""Separating the object from its background, at working resolution.

Three ways to get a first mask (`alpha` from the image's own transparency, `threshold` against a
plain background estimated from the image border, `rembg` with a U²-Net-family model), then one
shared clean-up so every backend hands the lift the same kind of mask: one solid object (or all of
them), small holes filled, specks dropped.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from . import background, model_store
from .errors import MaskError
from .image import LoadedImage, resize_to_working, working_alpha
from .settings import MASK_BACKENDS, SETTINGS, PipelineSettings

KEEP = ("largest", "all")

SPECK_FRACTION = 0.001  # components under 0.1% of the image are noise, not objects ...
LONE_FIGURE = 64  # ... unless none is bigger and one of at least this many working pixels ...
LONE_SHARE = 2.0  # ... outweighs all the others together this many times: a small figure alone
HOLE_FRACTION = 0.01  # enclosed holes under 1% of the object are noise; bigger ones (arms on hips) are shape
LINE_ART = 0.5  # an object covering under half the area its outline encloses is drawn in lines: fill it all
ALL_FOREGROUND = 0.9  # a mask over 90% of the frame means the background was not separated
MIN_TRANSPARENT = 0.01  # transparency must cover at least 1% of the image to count as a background
BORDER_BAND = 0.02  # the threshold backend learns the background from this fraction of each side
NOISE_SIGMAS = 5.0  # a pixel is foreground beyond this many noise deviations from the background
MIN_CONTRAST = 0.08  # ... and at least this far in RGB (0-1), so faint shadows and JPEG haze stay out
FAINT_CONTRAST = 0.03  # a region the figure encloses needs only this (a white belly inside an outline)
NOISE_FLOOR = 1.0 / 255.0  # a synthetic flat background has no noise; 8-bit steps are the floor
MIN_PLAIN_BORDER = 0.5  # at least half the border band must fit the background model ...
MAX_NOISE = 0.06  # ... with a spread (robust sigma, 0-1 units) no larger than this: paper, not a room
FIGURE_SHARE = 0.5  # a figure spanning less of the working image is masked again on a finer grid ...
FINEST = 4  # ... at most this many times the working size, and never past the largest working size
AUTO_MAX_NOISE = 0.02  # auto thresholds a border this plain (paper, a flat fill); a photo's gets rembg

_EIGHT = np.ones((3, 3), bool)


@dataclass(frozen=True)
class MaskResult:
    mask: np.ndarray  # (h, w) bool, working resolution
    backend: str  # backend actually used: "alpha" | "threshold" | "rembg"
    work_scale: float  # working px per input px
    objects_found: int  # separate objects (above speck size) before `keep` chose among them
    coverage: float  # fraction of the working image inside the mask


def _transparency_problem(alpha: np.ndarray) -> str | None:
    """Why this alpha channel does not describe a background, or None if it does."""
    transparent = alpha < 0.5
    fraction = float(transparent.mean())
    if fraction >= 1.0:
        return "it is fully transparent"
    if fraction < MIN_TRANSPARENT:
        return "it is (almost) fully opaque"
    ring = np.concatenate([transparent[0], transparent[-1], transparent[1:-1, 0], transparent[1:-1, -1]])
    if ring.mean() < 0.5:
        return "the image border is opaque, so the transparent parts are holes, not a background"
    return None


@dataclass(frozen=True)
class _Background:
    """A smooth background fitted robustly to the image's border band."""

    coef: np.ndarray  # (6, 3) quadratic in (u, v) per channel
    sigma: np.ndarray  # (3,) the inliers' robust spread per channel
    plain: float  # the share of the border band that fits it
    noise: float  # the largest spread

    def is_plain(self, max_noise: float = 0.06) -> bool:
        return self.plain >= MIN_PLAIN_BORDER and self.noise <= max_noise


def _fit_background(rgb: np.ndarray) -> _Background:
    """A quadratic per channel absorbs gradients and vignetting; reweighting drops border pixels that
    belong to an object touching the edge; the inliers' spread sets the noise level."""
    h, w = rgb.shape[:2]
    band = max(2, round(BORDER_BAND * min(h, w)))
    border = np.zeros((h, w), bool)
    border[:band] = border[-band:] = True
    border[:, :band] = border[:, -band:] = True
    ys, xs = np.nonzero(border)
    u = (((xs + 0.5) / w * 2.0 - 1.0).astype(np.float32)).astype(np.float64)
    v = (((ys + 0.5) / h * 2.0 - 1.0).astype(np.float32)).astype(np.float64)
    design = np.stack([np.ones_like(u), u, v, u * u, u * v, v * v], axis=1)
    values = rgb[ys, xs].astype(np.float64)
    coef = np.zeros((design.shape[1], 3))
    coef[0] = np.median(values, axis=0)  # a constant start is not dragged by an object on the edge
    inliers = np.ones(len(values), bool)
    for iteration in range(8):
        residual = values - design @ coef
        sigma = np.maximum(1.4826 * np.median(np.abs(residual[inliers]), axis=0), NOISE_FLOOR)
        updated = (((residual / sigma) ** 2).sum(axis=1)) < 4.5**2
        if updated.sum() < 4 * design.shape[1] or (iteration and np.array_equal(updated, inliers)):
            break
        inliers = updated
        coef = np.linalg.lstsq(design[inliers], values[inliers], rcond=None)[0]
    return _Background(coef, sigma, float(inliers.mean()), float(sigma.max()))


def _threshold_mask(
    rgb: np.ndarray, source: str, fit: _Background | None = None, within: tuple[slice, slice] | None = None,
) -> np.ndarray:
    """Foreground = far from a smooth background fitted robustly to the border band (`_fit_background`).

    A region the figure encloses is the figure's too when its colour is off the background's by more
    than `FAINT_CONTRAST` (a white belly inside an inked outline), not only past `MIN_CONTRAST`; holes
    showing the background itself (arms on hips) stay open. `within`: the rows and columns where the
    figure was found already (with a margin of background); the rest is background.
    """
    full = rgb.shape[:2]
    rows, cols = within or (slice(0, full[0]), slice(0, full[1]))
    rgb = rgb[rows, cols]
    h, w = rgb.shape[:2]
    fit = fit or _fit_background(rgb)
    coef, sigma = fit.coef, fit.sigma
    if not fit.is_plain(MAX_NOISE):
        raise MaskError(
            f"{source}: the image border is not a plain background ({fit.plain:.0%} of it fits one "
            f"smooth colour, ±{fit.noise:.0%} noise), so backend threshold cannot separate the object; "
            "use backend rembg or a plain background"
        )
    u_all = ((np.arange(full[1]) + 0.5) / full[1] * 2.0 - 1.0).astype(np.float32)[cols]
    v_all = ((np.arange(full[0]) + 0.5) / full[0] * 2.0 - 1.0).astype(np.float32)[rows]
    # The quadratic evaluated separably: (c0 + c1 u + c3 u²) + v (c2 + c4 u) + c5 v², per channel.
    coef32 = coef.astype(np.float32)
    across = coef32[0] + np.outer(u_all, coef32[1]) + np.outer(u_all * u_all, coef32[3])  # (w, 3)
    slope = coef32[2] + np.outer(u_all, coef32[4])  # (w, 3)
    z2 = np.zeros((h, w), np.float32)
    d2 = np.zeros((h, w), np.float32)
    for c in range(3):
        diff = (
            rgb[..., c]
            - across[:, c]
            - np.outer(v_all, slope[:, c])
            - (coef32[5, c] * v_all * v_all)[:, None]
        )
        diff *= diff
        d2 += diff
        z2 += diff * np.float32(1.0 / sigma[c] ** 2)
    raw = (z2 > NOISE_SIGMAS**2) & (d2 > MIN_CONTRAST**2)
    raw |= _coloured_holes(raw, np.sqrt(d2), np.sqrt(z2))
    # Edge pixels mix object and background linearly, so distance / nearby object distance is their
    # coverage; keeping those at least half covered puts the edge where alpha >= 0.5 would.
    distance = np.sqrt(d2)
    nearby = ndimage.maximum_filter(np.where(raw, distance, 0.0), size=5)
    interior = ndimage.minimum_filter(raw.view(np.uint8), size=5).view(bool)
    out = np.zeros(full, bool)
    out[rows, cols] = raw & (interior | (distance >= 0.5 * nearby))
    return out


def _coloured_holes(raw: np.ndarray, distance: np.ndarray, sigmas: np.ndarray) -> np.ndarray:
    """The regions `raw` encloses (not reaching the image border) whose median colour is off the
    background by `FAINT_CONTRAST` and `NOISE_SIGMAS` noise deviations."""
    gaps, count = ndimage.label(~raw)
    if count == 0:
        return np.zeros_like(raw)
    index = np.arange(1, count + 1)
    off = (np.asarray(ndimage.median(distance, gaps, index)) > FAINT_CONTRAST) & (
        np.asarray(ndimage.median(sigmas, gaps, index)) > NOISE_SIGMAS)
    fill = np.concatenate([[False], off])
    fill[np.concatenate([gaps[0], gaps[-1], gaps[:, 0], gaps[:, -1]])] = False
    return fill[gaps]


def _clean(mask: np.ndarray, keep: str) -> tuple[np.ndarray, int]:
    """Drop specks, keep the largest object (or all), fill small holes; returns (mask, objects found).

    A figure drawn small in a large canvas can be under the speck size itself; where no component
    reaches it, one that outweighs all the others together (`LONE_SHARE`) is the figure, not noise
    (dust or a speckled scan has many specks of like size, and stays an error).

    Line art (ink strokes on paper, or a transparent PNG of the strokes alone) leaves only its lines,
    which cover a small share of what they enclose: then every enclosed region is the body (the price:
    a hole that shows the paper, such as between an arm on the hip and the waist, closes too).
    """
    labels, count = ndimage.label(mask, structure=_EIGHT)
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    sizes[0] = 0
    objects = np.flatnonzero(sizes >= max(4.0, SPECK_FRACTION * mask.size))
    if len(objects) == 0:
        largest = int(np.argmax(sizes))
        if sizes[largest] < LONE_FIGURE or sizes[largest] < LONE_SHARE * (sizes.sum() - sizes[largest]):
            return np.zeros_like(mask), 0
        objects = np.array([largest])
    chosen = objects if keep == "all" else objects[[int(np.argmax(sizes[objects]))]]
    lookup = np.zeros(count + 1, bool)
    lookup[chosen] = True
    kept = lookup[labels]
    # Holes: background components (4-connected, the dual of 8) that do not reach the image border.
    gaps, gap_count = ndimage.label(~kept)
    gap_sizes = np.bincount(gaps.ravel(), minlength=gap_count + 1)
    enclosed = np.ones(gap_count + 1, bool)
    enclosed[0] = False
    enclosed[np.concatenate([gaps[0], gaps[-1], gaps[:, 0], gaps[:, -1]])] = False
    area = int(kept.sum())
    lines = area < LINE_ART * (area + int(gap_sizes[enclosed].sum()))
    kept |= (enclosed if lines else enclosed & (gap_sizes < HOLE_FRACTION * area))[gaps]
    return kept, len(objects)


def _finer_size(mask: np.ndarray, work_size: int) -> int | None:
    """The working size at which the figure in `mask` (at `work_size`) spans `FIGURE_SHARE` of it, when
    it spans less now (a small figure in a wide margin), capped at `FINEST` times and at the largest
    working size a person may set (its memory is what they agreed to); else None.

    The working size is the image's, but what the skeleton needs is pixels across the figure: a figure
    in a wide margin would otherwise lose thin limbs and the detail that tells a plan or a view.
    """
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    span = max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1
    finest = min(FINEST * work_size, SETTINGS["work_size"].maximum)
    if span >= FIGURE_SHARE * work_size or finest <= work_size:
        return None
    return min(finest, math.ceil(max(mask.shape) * FIGURE_SHARE * work_size / span))


def _finer_mask(
    image: LoadedImage, backend: str, size: int, found: np.ndarray, fit: _Background | None,
) -> tuple[np.ndarray, float]:
    """The alpha or threshold backend's raw mask with the longest side `size`, and its scale; the
    threshold looks only around the figure `found` on the coarser grid, with `fit` its background."""
    if backend == "alpha":
        alpha, scale = working_alpha(image, size)
        return alpha >= 0.5, scale
    rgba, scale = resize_to_working(image, size, over=1.0)  # transparency reads as white
    ratio = size / max(found.shape)
    rows, cols = np.flatnonzero(found.any(axis=1)), np.flatnonzero(found.any(axis=0))
    pad = 2 + 8 * ratio  # 8 coarse pixels: the coarse edge is that far off at most, and the filters' reach
    within = tuple(slice(max(0, int(index[0] * ratio - pad)), int((index[-1] + 1) * ratio + pad))
                   for index in (rows, cols))
    return _threshold_mask(rgba[..., :3], image.source, fit, within), scale


_NO_OBJECT_HINT = {
    "alpha": "the visible part is only specks; check the image's transparency",
    "threshold": "the object may be too close to the background colour; try backend rembg",
    "rembg": "the model saw no subject; try backend threshold or a larger model such as u2net",
}
_ALL_FOREGROUND_HINT = {
    "alpha": "make the background transparent, or try backend rembg",
    "threshold": "leave a margin of plain background around the object, or try backend rembg",
    "rembg": "leave a margin around the object, or try backend threshold",
}


def _choose_backend(alpha: np.ndarray | None, rembg_model: str, dirs: list[str | os.PathLike] | None) -> str:
    if alpha is not None and _transparency_problem(alpha) is None:
        return "alpha"
    if model_store.find_model(rembg_model, dirs) is not None:
        return "rembg"
    return "threshold"


def compute_mask(
    image: LoadedImage,
    *,
    backend: str = "auto",
    work_size: int = PipelineSettings.work_size,
    keep: str = "largest",
    rembg_model: str = PipelineSettings.rembg_model,
    model_dirs: Iterable[str | os.PathLike] | None = None,
) -> MaskResult:
    """The object's mask at working resolution (longest side `work_size`, or finer where the figure
    spans less than `FIGURE_SHARE` of it: `_finer_size`).

    `auto` takes the image's transparency when it separates an object, else the plain-background
    threshold when the border is as plain as paper or a flat fill (`AUTO_MAX_NOISE`: a drawing's own
    edges, where rembg's small model hollows out pale fills such as skin-coloured legs or a plush's
    ears), else rembg when its model file is installed, else the threshold. `model_dirs` are searched
    in order for the rembg model (default: the user model folder, then the bundled one). rembg sees the
    working image composited over white, so its result is that of `BackgroundRemover` on those pixels.
    """
    if backend not in MASK_BACKENDS:
        raise MaskError(f"unknown mask backend {backend!r}; choose one of {', '.join(MASK_BACKENDS)}")
    if keep not in KEEP:
        raise MaskError(f"unknown keep mode {keep!r}; choose one of {', '.join(KEEP)}")
    if image.has_alpha and float(image.rgba[..., 3].max()) < 0.5:
        # Every backend would find nothing (transparency composites to white); say why, not which backend.
        raise MaskError(f"{image.source}: the image is fully transparent (no pixel is even half opaque)")
    dirs = list(model_dirs) if model_dirs is not None else None
    wants_alpha = image.has_alpha and backend in ("auto", "alpha")
    alpha, work_scale = working_alpha(image, work_size) if wants_alpha else (None, 0.0)
    auto = backend == "auto"
    fit: _Background | None = None
    if auto:
        backend = _choose_backend(alpha, rembg_model, dirs)
    if backend == "alpha":
        problem = "it has no alpha channel" if alpha is None else _transparency_problem(alpha)
        if problem is not None:
            raise MaskError(
                f"{image.source}: cannot use its transparency as the mask ({problem}); "
                "use backend threshold or rembg"
            )
        raw = alpha >= 0.5
    else:
        rgba, work_scale = resize_to_working(image, work_size, over=1.0)  # transparency reads as white
        rgb = rgba[..., :3]
        fit = _fit_background(rgb) if backend == "threshold" or auto else None
        paper = None
        if auto and backend == "rembg" and fit.is_plain(AUTO_MAX_NOISE):
            # Paper or a flat fill: its edges exactly, where rembg hollows pale fills; unless the
            # threshold finds nothing there (an all-black image), which rembg may still read.
            paper = _threshold_mask(rgb, image.source, fit)
            if _clean(paper, keep)[1] and paper.mean() <= ALL_FOREGROUND:
                backend = "threshold"
        if backend == "threshold":
            raw = paper if paper is not None else _threshold_mask(rgb, image.source, fit)
        else:
            raw = background.remover_for(rembg_model, dirs).predict(rgb) >= 0.5
    mask, objects = _clean(raw, keep)
    finer = _finer_size(mask, work_size) if backend != "rembg" else None  # rembg sees 320 px anyway
    if finer is not None:
        raw, work_scale = _finer_mask(image, backend, finer, mask, fit)
        mask, objects = _clean(raw, keep)
    coverage = float(mask.mean())
    if objects == 0:
        raise MaskError(f"{image.source}: no object found with backend {backend}; {_NO_OBJECT_HINT[backend]}")
    if coverage > ALL_FOREGROUND:
        raise MaskError(
            f"{image.source}: the {backend} mask covers {coverage:.0%} of the image, so the object was "
            f"not separated from the background; {_ALL_FOREGROUND_HINT[backend]}"
        )
    return MaskResult(
        mask=mask, backend=backend, work_scale=work_scale, objects_found=objects, coverage=coverage
    )
