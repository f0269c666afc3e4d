"""Fixtures shared by the image / mask / model tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pointskel_blender.core.model_store import bundled_dir, model_entry


@pytest.fixture(scope="session")
def u2netp() -> Path:
    """The bundled u2netp model; `python3 build.py setup` fetches it."""
    path = bundled_dir() / model_entry("u2netp").file
    assert path.is_file(), f"{path} is missing: run `python3 build.py setup`"
    return path
