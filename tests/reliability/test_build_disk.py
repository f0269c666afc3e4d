"""A newcomer's `python3 build.py ...` on a disk too small for the environments: one line that says how
much space is needed and how much is free, before pip starts, and no half-made environment left behind.
The small disk is a real 1 MiB tmpfs (needs root to mount, else skipped)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from filesystems import mounted_tmpfs

ROOT = Path(__file__).resolve().parents[2]


def test_setup_on_a_small_disk_stops_with_one_line_naming_the_space(tmp_path):
    with mounted_tmpfs(tmp_path / "small", "size=1m") as checkout:
        shutil.copy(ROOT / "build.py", checkout)
        shutil.copytree(ROOT / "requirements", checkout / "requirements")
        done = subprocess.run([sys.executable, str(checkout / "build.py"), "setup"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode != 0
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert "the main environment needs about 4.5 GB free" in lines[0]
        assert "GB is free" in lines[0]
        assert not (checkout / ".venv").exists()
