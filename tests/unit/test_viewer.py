"""The Open3D viewer's geometry, built and checked without opening a window."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import figures
from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.cli.viewer import _import_open3d, build_geometry, show, to_open3d

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def result():
    rgba = figures.rgba_with_alpha(figures.stick_figure(192).mask)
    return run_pipeline(image_from_array(rgba, source="stick.png"),
                        PipelineSettings(predictor="geometric", points=2048))


def test_geometry_holds_both_clouds_and_the_skeleton(result):
    g = build_geometry(result)
    np.testing.assert_allclose(g.lifted, result.shape.points)
    assert g.contracted.shape == result.contraction.points.shape
    assert g.contracted[:, 0].min() > g.lifted[:, 0].max()  # beside, not on top of, the lifted cloud
    assert len(g.bones) == len(result.skeleton.joints) - 1
    assert g.bones.max() < len(g.joints)
    assert ((g.lifted_colours >= 0) & (g.lifted_colours <= 1)).all()


def _open3d_or_skip() -> None:
    """Skip, saying why, where Open3D cannot load: importorskip misses the OSError of a missing libusb."""
    try:
        _import_open3d()
    except PointSkelError as exc:
        pytest.skip(f"{exc} (python3 build.py test installs libusb when run as root)")


def test_open3d_objects_match_the_geometry(result):
    _open3d_or_skip()
    lifted, contracted, lines = to_open3d(build_geometry(result))
    assert len(lifted.points) == len(result.shape.points)
    assert len(contracted.points) == len(result.contraction.points)
    assert len(lines.lines) == len(result.skeleton.joints) - 1
    assert lines.has_colors() and lifted.has_colors()


def test_no_display_gives_a_clear_error(result, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    with pytest.raises(PointSkelError, match="display"):
        show(result)


# A machine without libusb: Open3D's import fails with OSError there (ImportError on some loaders). That
# machine cannot exist here, so a stand-in `open3d` package that fails the same way is put first on the path.
_BROKEN_OPEN3D = (
    'raise OSError("libusb-1.0.so.0: cannot open shared object file: No such file or directory")\n'
)


def _without_libusb(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "open3d").mkdir()
    (tmp_path / "open3d" / "__init__.py").write_text(_BROKEN_OPEN3D)
    return dict(os.environ, PYTHONPATH=str(tmp_path), DISPLAY=":0")


def test_the_viewer_test_skips_with_a_reason_where_open3d_cannot_load(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         f"{__file__}::test_open3d_objects_match_the_geometry"],
        cwd=ROOT, env=_without_libusb(tmp_path), capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 skipped" in done.stdout and "libusb-1.0.so.0" in done.stdout
    assert "apt-get install libusb-1.0-0" in done.stdout


def test_show_fails_with_a_one_line_hint_where_open3d_cannot_load(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pointskel_blender", "pointskel_blender/samples/sample_character.png",
         "--show", "--points", "256", "--predictor", "geometric"],
        cwd=ROOT, env=_without_libusb(tmp_path), capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert "cannot load Open3D (libusb-1.0.so.0" in done.stderr
    assert "apt-get install libusb-1.0-0" in done.stderr
