"""The Open3D viewer's geometry, built and checked without opening a window."""
from __future__ import annotations

import numpy as np
import pytest

import figures
from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.viewer import build_geometry, show, to_open3d


@pytest.fixture(scope="module")
def result():
    rgba = figures.rgba_with_alpha(figures.stick_figure(192).mask)
    return run_pipeline(image_from_array(rgba, source="stick.png"), PipelineSettings(predictor="geometric", points=2048))


def test_geometry_holds_both_clouds_and_the_skeleton(result):
    g = build_geometry(result)
    np.testing.assert_allclose(g.lifted, result.shape.points)
    assert g.contracted.shape == result.contraction.points.shape
    assert g.contracted[:, 0].min() > g.lifted[:, 0].max()  # beside, not on top of, the lifted cloud
    assert len(g.bones) == len(result.skeleton.joints) - 1
    assert g.bones.max() < len(g.joints)
    assert ((g.lifted_colours >= 0) & (g.lifted_colours <= 1)).all()


def test_open3d_objects_match_the_geometry(result):
    pytest.importorskip("open3d")
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
