"""Blender tests: the add-on enabled from the source tree the way Blender loads an extension.

A temporary extension repository links to `pointskel_blender/` (the same loader scripts/batch.py
uses), so the add-on runs as `bl_ext.<repo>.pointskel` with relative imports and a real extension
user folder. Blender's user resources point at a temporary folder so nothing of the developer's own
Blender set-up is read or written.
"""
from __future__ import annotations

import atexit
import importlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import pytest

_resources = None
if "bpy" not in sys.modules:
    _resources = tempfile.mkdtemp(prefix="pointskel-blender-user-")
    atexit.register(shutil.rmtree, _resources, True)
    os.environ["BLENDER_USER_RESOURCES"] = _resources

bpy = pytest.importorskip("bpy")

import figures  # noqa: E402  (tests/ is on sys.path via the root conftest)
from blender_helpers import save_png  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "pointskel_blender" / "samples" / "sample_character.png"


def _launcher():
    spec = importlib.util.spec_from_file_location("pointskel_batch_launcher", ROOT / "scripts" / "batch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LAUNCHER = _launcher()


class Addon:
    """The enabled add-on's modules, by their `bl_ext` names."""

    def __init__(self, package: str) -> None:
        self.package = package

    def __getattr__(self, name: str):
        return importlib.import_module(f"{self.package}.{name}")


_exit_status = 0


def pytest_sessionfinish(session, exitstatus) -> None:
    global _exit_status
    _exit_status = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config) -> None:
    """bpy 4.2 as a module segfaults at process exit after a glTF export; leave with pytest's status."""
    if bpy.app.version < (5, 0, 0):
        if _resources is not None:  # leaving without atexit handlers: remove the user folder here
            shutil.rmtree(_resources, ignore_errors=True)
        LAUNCHER.exit_process(_exit_status)


FRESH = "POINTSKEL_TEST_IN_A_FRESH_BLENDER"  # the node id of the test a child process runs


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "fresh_blender: run the test in a new Blender process of its own")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem) -> bool | None:
    """A `fresh_blender` test runs in a new process (a Blender with only that test in it).

    Blender's glTF exporter once segfaulted in CI (bpy 4.2, `evaluated_depsgraph_get` in `gather_tree`,
    after 32 other tests in one process; KhronosGroup/glTF-Blender-IO#2751 is a crash of that kind after
    earlier exports and scene reloads). In a child, such a crash fails that test, not the whole run; a
    child killed by a signal is run once more, with a warning that says so; a failed check never is.
    The batch job keeps its images apart the same way with --jobs 2 or more."""
    nodeid = pyfuncitem.nodeid
    if pyfuncitem.get_closest_marker("fresh_blender") is None or os.environ.get(FRESH) == nodeid:
        return None
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", nodeid]
    env = dict(os.environ, **{FRESH: nodeid})
    for attempt in (1, 2):
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        if done.returncode >= 0:
            break
        warnings.warn(f"{nodeid}: Blender crashed ({signal.Signals(-done.returncode).name}) on try {attempt}",
                      stacklevel=1)
    assert done.returncode == 0, f"in a fresh Blender:\n{done.stdout[-4000:]}{done.stderr[-2000:]}"
    return True


@pytest.fixture(scope="session")
def addon():
    with LAUNCHER.source_addon() as package:
        yield Addon(package)


@pytest.fixture
def scene(addon):
    """An empty scene, the add-on's inference cache cleared."""
    bpy.ops.wm.read_homefile(use_empty=True)
    addon.blender.jobs.CACHE.clear()
    return bpy.context.scene


@pytest.fixture(scope="session")
def stick_png(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("images")
    return save_png(folder / "stick.png", figures.rgba_on_background(figures.stick_figure(256).mask))


@pytest.fixture(scope="session")
def sample_png(tmp_path_factory) -> Path:
    """The bundled sample character; a drawn figure on transparency until the sample ships."""
    if SAMPLE.exists():
        return SAMPLE
    folder = tmp_path_factory.mktemp("sample")
    return save_png(folder / "sample_character.png", figures.rgba_with_alpha(figures.stick_figure(320).mask))


@pytest.fixture(scope="module")
def checklist():
    """scripts/rig_checklist.py as a module, for its lines on rigs built in the test process."""
    spec = importlib.util.spec_from_file_location("rig_checklist", ROOT / "scripts" / "rig_checklist.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
