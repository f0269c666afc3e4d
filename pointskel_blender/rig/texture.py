"""The image mesh's texture: opaque, so one base colour texture carries it (Blender, glTF, FBX alike).

The mesh's own outline cuts the figure out of the picture (`rig/surface.py` snaps its rim onto the
mask's outline), so the material needs no alpha. An alpha cut in the material made every glTF export
warn ("More than one shader node tex image used for a texture": the exporter counts the colour and
the alpha socket as two textures even when one image feeds both, KhronosGroup/glTF-Blender-IO#2269).
Where the rim's straight edges pass over transparent pixels (a concave bit of the outline between two
rim vertices), those pixels show their own colour, often black or white; so a picture with
transparency is padded the way baked textures are: each transparent pixel takes the colour of the
nearest pixel of the figure. Pure numpy/scipy, no `bpy`.
"""
from __future__ import annotations

import numpy as np
from scipy import ndimage

CUT = 0.5  # alpha under this was cut away by the old material (its alpha rounded), and is padded now
CELLS = 1024  # a bigger picture looks its nearest figure pixels up on a grid of at most this many a side


def has_cut(rgba: np.ndarray) -> bool:
    """Whether a picture (H, W, 4 floats in [0, 1]) has pixels transparent enough to need padding."""
    return bool((rgba[..., 3] < CUT).any())


def padded(rgba: np.ndarray) -> np.ndarray:
    """An opaque copy of `rgba` (H, W, 4 float32, straight alpha): pixels with alpha under `CUT` take
    the colour of the nearest pixel at or over it; every alpha 1. A picture with nothing over `CUT`
    keeps its colours.

    Over `CELLS` pixels a side, the nearest figure pixel is looked up on a grid of cells that many a
    side (a transparent pixel takes the mean figure colour of the nearest cell holding any figure: its
    own cell by the outline, the only place the mesh shows it): on a 4096² picture the exact lookup
    took 4.0-5.8 s here, the grid 1.2-2.1 s (alternating, load 3.8 on 2 cores)."""
    out = np.array(rgba, dtype=np.float32, copy=True)
    clear = out[..., 3] < CUT
    if clear.any() and not clear.all():
        step = -(-max(clear.shape) // CELLS)
        np.copyto(out, _nearest_colours(out, clear, step), where=clear[..., None])
    out[..., 3] = 1.0
    return out


def _nearest_colours(rgba: np.ndarray, clear: np.ndarray, step: int) -> np.ndarray:
    """(H, W, 4): at each pixel, the colour of the nearest pixel that is not `clear`, looked up on cells
    of `step` × `step` pixels (a cell's colour: the mean of its pixels that are not clear)."""
    if step == 1:
        rows, cols = ndimage.distance_transform_edt(clear, return_distances=False, return_indices=True)
        return rgba[rows, cols]
    h, w = clear.shape
    hc, wc = -(-h // step), -(-w // step)
    solid = np.zeros((hc * step, wc * step, 1), np.float32)
    solid[:h, :w, 0] = ~clear
    colour = np.zeros((hc * step, wc * step, 4), np.float32)
    np.multiply(rgba, solid[:h, :w], out=colour[:h, :w])
    counts = solid.reshape(hc, step, wc, step).sum(axis=1).sum(axis=2)
    sums = colour.reshape(hc, step, wc, step, 4).sum(axis=1).sum(axis=2)
    cells = sums / np.maximum(counts, 1.0)[..., None]
    rows, cols = ndimage.distance_transform_edt(counts == 0, return_distances=False, return_indices=True)
    return np.repeat(np.repeat(cells[rows, cols], step, axis=0), step, axis=1)[:h, :w]
