"""rig/texture.py: the image mesh's texture is opaque, its transparent pixels padded with the figure's
colours (the mesh's outline cuts the figure out; a material alpha made glTF exports warn)."""
from __future__ import annotations

import numpy as np

from pointskel_blender.rig import texture
from pointskel_blender.rig.texture import has_cut, padded


def _picture() -> np.ndarray:
    """Left half red and opaque, right half transparent black, a blue opaque column at the far right."""
    rgba = np.zeros((4, 8, 4), np.float32)
    rgba[:, :4] = (1.0, 0.0, 0.0, 1.0)
    rgba[:, 7] = (0.0, 0.0, 1.0, 0.6)  # over the cut: kept as it is, made opaque
    return rgba


def test_transparent_pixels_take_the_colour_of_the_nearest_opaque_pixel():
    out = padded(_picture())
    np.testing.assert_array_equal(out[..., 3], 1.0)
    np.testing.assert_array_equal(out[:, :5, :3], np.broadcast_to([1.0, 0.0, 0.0], (4, 5, 3)))
    np.testing.assert_array_equal(out[:, 6:, :3], np.broadcast_to([0.0, 0.0, 1.0], (4, 2, 3)))


def test_a_picture_without_transparency_keeps_its_colours_and_needs_no_padding():
    opaque = _picture()
    opaque[..., 3] = 0.7
    assert not has_cut(opaque) and has_cut(_picture())
    np.testing.assert_array_equal(padded(opaque)[..., :3], opaque[..., :3])


def test_a_wholly_transparent_picture_keeps_its_colours():
    clear = _picture()
    clear[..., 3] = 0.0
    out = padded(clear)
    np.testing.assert_array_equal(out[..., :3], clear[..., :3])
    np.testing.assert_array_equal(out[..., 3], 1.0)


def test_a_big_picture_is_padded_from_a_grid_of_cells(monkeypatch):
    """Over `CELLS` a side: a transparent pixel takes the mean figure colour of the nearest cell holding
    any figure; the figure's own pixels keep theirs."""
    monkeypatch.setattr(texture, "CELLS", 4)  # 8 × 16 pixels: cells of 4 × 4
    rgba = np.zeros((8, 16, 4), np.float32)
    rgba[:, :2] = (1.0, 0.0, 0.0, 1.0)  # red in the first cells' left half
    rgba[:, 2:4, 2] = 1.0  # transparent blue in their right half: no figure colour
    rgba[:, 14:] = (0.0, 1.0, 0.0, 1.0)  # green at the far right
    out = texture.padded(rgba)
    np.testing.assert_array_equal(out[..., 3], 1.0)
    np.testing.assert_array_equal(out[:, :4, :3], np.broadcast_to([1.0, 0.0, 0.0], (8, 4, 3)))
    np.testing.assert_array_equal(out[:, 4:8, :3], np.broadcast_to([1.0, 0.0, 0.0], (8, 4, 3)))
    np.testing.assert_array_equal(out[:, 8:14, :3], np.broadcast_to([0.0, 1.0, 0.0], (8, 6, 3)))
    np.testing.assert_array_equal(out[:, 14:, :3], rgba[:, 14:, :3])
