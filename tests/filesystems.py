"""Real file systems that refuse writes, for the reliability tests: a tiny tmpfs (full after a few
kilobytes) and a read-only one. Mounting needs root; without it the tests that use them skip, and
the size-limited writes of RLIMIT_FSIZE (tests/reliability/test_full_disk.py) still run."""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

import pytest


@contextlib.contextmanager
def mounted_tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """`folder` as a fresh tmpfs with mount `options` (e.g. "size=64k" or "ro"); unmounted after."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Use up every byte left, so the next write fails with ENOSPC."""
    with contextlib.suppress(OSError), open(folder / "filler", "wb") as f:
        while True:
            f.write(b"\0" * 4096)
            f.flush()


def leftovers(folder: Path) -> list[str]:
    """Temporary files or staging folders a failed write must not leave."""
    return sorted(p.name for p in folder.rglob("*") if p.name.startswith(".") or "partial" in p.name)
