"""Contact sheets: one labelled tile per character and view, bones drawn over the silhouette."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from trainer.sheet import main, overlay
from trainer.synthetic import generate


def test_overlay_draws_bones_on_the_silhouette() -> None:
    mask = np.zeros((40, 40), dtype=bool)
    mask[10:30, 18:22] = True
    image = overlay(mask, np.array([[20.0, 12.0], [20.0, 28.0]]), np.array([-1, 0]))
    assert image.shape == (40, 40, 3)
    bone = image[15:25, 20]  # pixel centre x = 20.5 lies on the drawn line
    assert np.all(bone[:, 2] > bone[:, 0])  # bones are blue over the grey silhouette
    assert tuple(image[0, 0]) == (250, 250, 250)


def test_sheet_cli(tmp_path: Path) -> None:
    generate(tmp_path / "data", 3, seed=1, workers=1, progress=False)
    out = tmp_path / "sheet.png"
    assert main([str(tmp_path / "data"), "--out", str(out), "--views", "front", "30", "--size", "64",
                 "--columns", "4"]) == 0
    assert Image.open(out).size == (4 * 64, 2 * 64)
    assert main([str(tmp_path / "data"), "--out", str(out), "--views", "top"]) == 2
