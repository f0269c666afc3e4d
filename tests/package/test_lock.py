"""The wheel lock guards what ships: a missing or altered wheel stops an offline build instead of shipping."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import build_extension as bx

NAME = "somedist-1.0-cp311-cp311-win_amd64.whl"


def lock_of(data: bytes) -> bx.Lock:
    wheel = bx.LockedWheel(NAME, "windows-x64", hashlib.sha256(data).hexdigest(), len(data))
    return bx.Lock("3.11", ("somedist==1.0",), {"windows-x64": ("win_amd64",)}, (wheel,))


@pytest.fixture
def wheels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(bx, "WHEELS", tmp_path)
    return tmp_path


def test_offline_build_accepts_the_locked_bytes(wheels: Path) -> None:
    (wheels / NAME).write_bytes(b"locked bytes")
    bx.ensure_wheels(lock_of(b"locked bytes"), ["windows-x64"], offline=True)


def test_offline_build_names_the_missing_wheel(wheels: Path) -> None:
    with pytest.raises(bx.BuildError, match=f"--offline.*{NAME}"):
        bx.ensure_wheels(lock_of(b"locked bytes"), ["windows-x64"], offline=True)


def test_offline_build_refuses_a_wheel_whose_sha256_differs(wheels: Path) -> None:
    (wheels / NAME).write_bytes(b"other bytes")
    with pytest.raises(bx.BuildError, match="corrupt"):
        bx.ensure_wheels(lock_of(b"locked bytes"), ["windows-x64"], offline=True)
