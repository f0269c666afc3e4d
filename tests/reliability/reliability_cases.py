"""Helpers of the reliability tests (kept out of conftest.py so tests can import them)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

import figures

FAST = ["--predictor", "geometric", "--points", "1024", "--work-size", "128"]


def save_figure(path: Path, mask: np.ndarray | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(figures.rgba_with_alpha(figures.bar().mask if mask is None else mask)).save(path)
    return path
