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


def has_cut(rgba: np.ndarray) -> bool:
    """Whether a picture (H, W, 4 floats in [0, 1]) has pixels transparent enough to need padding."""
    return bool((rgba[..., 3] < CUT).any())


def padded(rgba: np.ndarray) -> np.ndarray:
    """An opaque copy of `rgba` (H, W, 4 float32, straight alpha): pixels with alpha under `CUT` take
    the colour of the nearest pixel at or over it; every alpha 1. A picture with nothing over `CUT`
    keeps its colours."""
    out = np.array(rgba, dtype=np.float32, copy=True)
    clear = out[..., 3] < CUT
    if clear.any() and not clear.all():
        rows, cols = ndimage.distance_transform_edt(clear, return_distances=False, return_indices=True)
        out[..., :3] = out[rows, cols, :3]
    out[..., 3] = 1.0
    return out
