"""core/mask_crop.py: a figure cut by the picture's frame (a bust, a close-up) is told apart from a whole
figure, edge by edge, and the user is told in one line."""
from __future__ import annotations

import numpy as np

from pointskel_blender.core.mask_crop import crop_warning, cut_edges


def _figure() -> np.ndarray:
    mask = np.zeros((100, 80), bool)
    mask[10:90, 30:50] = True  # a body with a margin all round
    mask[85:90, 20:60] = True  # feet on the floor
    return mask


def test_a_whole_figure_runs_off_no_edge():
    assert cut_edges(_figure()) == [] and crop_warning(_figure()) == ""


def test_a_bust_runs_off_the_bottom_and_a_close_up_off_several_edges():
    bust = _figure()[:60]
    bust[40:, 10:70] = True  # the shoulders and chest down to the frame
    assert cut_edges(bust) == ["bottom"]
    assert crop_warning(bust).startswith("the figure runs off the image's bottom edge: ")
    face = np.ones((50, 50), bool)
    face[:, 40:] = False
    assert cut_edges(face) == ["top", "bottom", "left"]
    assert "image's top, bottom and left edges:" in crop_warning(face)


def test_a_foot_touching_the_edge_is_no_cut():
    touching = _figure()[:88]  # the feet's last rows cut: 40 of 80 columns on the bottom edge
    touching[-1, 20:60] = False
    touching[-1, 32:44] = True  # 12 of 80 columns: a toe on the edge
    assert cut_edges(touching) == []
