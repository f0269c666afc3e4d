"""Optional Open3D viewer: lifted cloud, contracted cloud and the skeleton in one window.

Open3D is imported only when a window is asked for; the geometry itself is plain numpy so it can be
built and checked anywhere. `python -m pointskel_blender.cli.viewer IMAGE` runs the pipeline and shows it.
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..core.errors import PointSkelError
from .arguments import settings_for
from ..core.pipeline import PipelineResult, run_pipeline
from ..core.settings import add_setting_arguments

_LIFTED = (0.55, 0.65, 0.9)
_CONTRACTED = (1.0, 0.55, 0.0)
_BONES = (1.0, 0.85, 0.0)


@dataclass(frozen=True)
class ViewerGeometry:
    lifted: np.ndarray  # (N, 3)
    lifted_colours: np.ndarray  # (N, 3) in [0, 1]
    contracted: np.ndarray  # (M, 3), drawn beside the lifted cloud
    contracted_colours: np.ndarray
    joints: np.ndarray  # (J, 3), line-set vertices
    bones: np.ndarray  # (B, 2) int, line-set edges (parent, child)
    bone_colours: np.ndarray  # (B, 3)


def build_geometry(result: PipelineResult, *, gap: float = 0.15) -> ViewerGeometry:
    """Lifted cloud on the left; contracted cloud and skeleton beside it, one figure width to the right."""
    lifted = result.shape.points.astype(np.float64)
    shift = np.array([np.ptp(lifted[:, 0]) + gap, 0.0, 0.0])
    depth = lifted[:, 2]
    t = ((depth / max(float(np.abs(depth).max()), 1e-9)) + 1) / 2
    lifted_colours = np.clip(np.outer(0.6 + 0.4 * t, _LIFTED), 0, 1)
    contracted = result.contraction.points.astype(np.float64) + shift
    joints = np.array([j.position for j in result.skeleton.joints], np.float64) + shift
    bones = np.array(list(result.skeleton.bones()), np.int32).reshape(-1, 2)
    return ViewerGeometry(
        lifted=lifted,
        lifted_colours=lifted_colours,
        contracted=contracted,
        contracted_colours=np.tile(_CONTRACTED, (len(contracted), 1)),
        joints=joints,
        bones=bones,
        bone_colours=np.tile(_BONES, (len(bones), 1)),
    )


def _import_open3d() -> Any:
    """Open3D, or a one-line hint: not installed is an ImportError, a missing system library (libusb on
    a fresh Debian) an ImportError or an OSError, depending on how the loader fails."""
    try:
        import open3d
    except (ImportError, OSError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PointSkelError(
            f"the viewer cannot load Open3D ({reason}); pip install open3d, and on Debian or Ubuntu "
            "apt-get install libusb-1.0-0"
        ) from None
    return open3d


def to_open3d(geometry: ViewerGeometry) -> list[Any]:
    o3d = _import_open3d()
    vec3 = o3d.utility.Vector3dVector
    lifted = o3d.geometry.PointCloud(vec3(geometry.lifted))
    lifted.colors = vec3(geometry.lifted_colours)
    contracted = o3d.geometry.PointCloud(vec3(geometry.contracted))
    contracted.colors = vec3(geometry.contracted_colours)
    skeleton = o3d.geometry.LineSet(vec3(geometry.joints), o3d.utility.Vector2iVector(geometry.bones))
    skeleton.colors = vec3(geometry.bone_colours)
    return [lifted, contracted, skeleton]


def show(result: PipelineResult) -> None:
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if sys.platform.startswith("linux") and not has_display:
        raise PointSkelError("the viewer needs a display (no DISPLAY or WAYLAND_DISPLAY is set)")
    o3d = _import_open3d()
    o3d.visualization.draw_geometries(to_open3d(build_geometry(result)),
                                      window_name=f"PointSkel: {result.skeleton.source}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pointskel_blender.cli.viewer", description=__doc__)
    parser.add_argument("image")
    add_setting_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        show(run_pipeline(args.image, settings_for(args)))
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
