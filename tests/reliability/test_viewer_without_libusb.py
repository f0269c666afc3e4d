"""Issue 16, item 9, on a machine without libusb, made real here: a private mount namespace (`unshare`)
covers the library file with /dev/null, so the dynamic loader fails on it for the processes started
inside, as on a fresh Debian; the system itself is untouched. Needs root and unshare, else skipped.

Checked there: the viewer test skips saying why, `--show` fails with a one-line hint, and
`build.py` says the viewer tests will skip where it cannot install the library (not root, or no apt-get).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534
UNSHARE, MOUNT, SETPRIV = (shutil.which(tool) for tool in ("unshare", "mount", "setpriv"))


def _libusb_file() -> str | None:
    """The file the loader maps for libusb, read from this process's memory map once it is loaded."""
    name = ctypes.util.find_library("usb-1.0")
    try:
        ctypes.CDLL(name or "libusb-1.0.so.0")
    except OSError:
        return None
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "libusb-1.0" in line}
    return os.path.realpath(min(paths)) if paths else None


def _requirements() -> str | None:
    """Why this machine cannot hide libusb from a process, or None."""
    if not sys.platform.startswith("linux"):
        return "needs Linux mount namespaces"
    if os.geteuid() != 0 or UNSHARE is None or MOUNT is None:
        return "hiding libusb needs root and unshare"
    if _libusb_file() is None:
        return "libusb is missing here already (tests/unit/test_viewer.py covers that machine)"
    return None


pytestmark = pytest.mark.skipif(_requirements() is not None, reason=str(_requirements()))


@functools.cache
def _no_private_mount() -> str | None:
    """Why no private mount namespace can be made here (a container without CAP_SYS_ADMIN), or None."""
    done = subprocess.run([UNSHARE, "--mount", MOUNT, "--bind", "/dev/null", _libusb_file()],
                          capture_output=True, text=True, timeout=60)
    return None if done.returncode == 0 else f"cannot make a private mount here: {done.stderr.strip()}"


def _without_libusb(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `command` where libusb's file reads as empty: the loader refuses it ("file too short")."""
    if _no_private_mount():
        pytest.skip(_no_private_mount())
    script = f'{MOUNT} --bind /dev/null "$0" && exec "$@"'
    return subprocess.run([UNSHARE, "--mount", "/bin/sh", "-c", script, _libusb_file(), *command], cwd=ROOT,
                          env=env or dict(os.environ), capture_output=True, text=True, timeout=300)


def test_open3d_really_cannot_load_there():
    done = _without_libusb([sys.executable, "-c", "import open3d"])
    assert done.returncode != 0 and "libusb-1.0.so.0" in done.stderr


def test_the_viewer_test_skips_with_a_stated_reason():
    done = _without_libusb([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                            "tests/unit/test_viewer.py::test_open3d_objects_match_the_geometry"])
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "1 skipped" in done.stdout and "libusb-1.0.so.0" in done.stdout
    assert "apt-get install libusb-1.0-0" in done.stdout


def test_show_fails_with_a_one_line_hint():
    env = dict(os.environ, DISPLAY=":0")  # past the display check, to the import
    done = _without_libusb([sys.executable, "-m", "pointskel_blender",
                            "pointskel_blender/samples/sample_character.png", "--show", "--points", "256",
                            "--predictor", "geometric"], env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "cannot load Open3D (" in done.stderr and "libusb-1.0.so.0" in done.stderr
    assert "apt-get install libusb-1.0-0" in done.stderr


_ENSURE = f"import sys; sys.path.insert(0, {str(ROOT)!r}); import build; build.ensure_viewer_library()"
_SKIP_NOTE = "libusb-1.0-0 is missing and cannot be installed here"


def test_build_py_says_the_viewer_tests_will_skip_when_not_root():
    python = shutil.which("python3", path="/usr/bin:/bin")  # a system Python, as the README runs it
    if python is None or SETPRIV is None:
        pytest.skip("needs a system python3 that another user can run, and setpriv")
    # `nobody` may not read this checkout (a clone under a private `mktemp -d`, as CI makes): it runs
    # a copy of build.py from a folder it can read (build.py needs nothing beside it for this).
    shared = Path(tempfile.mkdtemp(prefix="pointskel-build-"))
    try:
        shared.chmod(0o755)
        shutil.copy(ROOT / "build.py", shared / "build.py")
        (shared / "build.py").chmod(0o644)
        ensure = _ENSURE.replace(repr(str(ROOT)), repr(str(shared)))
        done = _without_libusb([SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                                python, "-c", ensure])
    finally:
        shutil.rmtree(shared, ignore_errors=True)
    assert done.returncode == 0, done.stderr
    assert _SKIP_NOTE in done.stdout and "viewer tests will be skipped" in done.stdout
    assert "apt-get install" not in done.stdout  # it did not try


def test_build_py_says_the_viewer_tests_will_skip_without_apt_get(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path))  # root, but no apt-get on the path
    done = _without_libusb([sys.executable, "-c", _ENSURE], env)
    assert done.returncode == 0, done.stderr
    assert _SKIP_NOTE in done.stdout and "apt-get install" not in done.stdout
