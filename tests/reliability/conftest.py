"""Fixtures of the reliability tests: file systems that refuse writes."""
from __future__ import annotations

from pathlib import Path

import pytest

from filesystems import fill, mounted_tmpfs


@pytest.fixture
def full_disk(tmp_path) -> Path:
    """A folder on a 64 KiB tmpfs with no space left."""
    with mounted_tmpfs(tmp_path / "full", "size=64k") as folder:
        fill(folder)
        yield folder


@pytest.fixture
def read_only(tmp_path) -> Path:
    """A folder no one can write into, root included (a read-only mount)."""
    with mounted_tmpfs(tmp_path / "ro", "ro") as folder:
        yield folder
