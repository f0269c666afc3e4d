"""Orthographic silhouettes of meshes and skeletons, in numpy only (no GPU, no GL).

A `Camera` looks at the character from a yaw angle about the up axis and fits the mesh into the
image with a margin. Characters follow RigNet's convention: Y up, facing +Z, the character's left
at +X (`up="z"` reads Blender-style meshes instead: Z up, facing -Y, left at +X). Yaw 0 (`front`)
looks at the character's face, so its left is image right (the `.L` side of ARCHITECTURE.md);
yaw 90 (`side`) looks from the character's left, so it faces image left.

Pixels follow ARCHITECTURE.md: continuous input-image coordinates, x right, y down, pixel (i, j)
centred at (j + 0.5, i + 0.5). A pixel is in the silhouette when its centre lies in (or on the edge
of) a projected triangle, so the rendered area matches the projected area to within the pixel
grid, with no dilation. Projection is orthographic, so every point projects whether or not the body
hides it (a bone behind the torso in a side view still lands inside the silhouette); `view_depth`
tells what is in front (larger = nearer the viewer).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import DatasetError
from .rignet import Mesh

VIEWS = {"front": 0.0, "side": 90.0, "back": 180.0}
# world -> RigNet frame (Y up, facing +Z): identity for "y"; Blender's Z-up, facing -Y for "z"
_UP_AXES = {"y": np.eye(3), "z": np.array([[1.0, 0, 0], [0, 0, 1], [0, -1, 0]])}


@dataclass(frozen=True, eq=False)
class Camera:
    """World -> view rotation, then view (x right, y up) -> input pixels."""

    rotation: np.ndarray  # (3, 3) rows: image right, image up, toward the viewer (world coordinates)
    scale: float  # pixels per world unit
    center: tuple[float, float]  # view-space (x, y) drawn at the image centre
    size: tuple[int, int]  # (width, height) in pixels
    yaw: float  # degrees about the up axis; 0 = front


def view_from_text(text: str, extra: tuple[str, ...] = ()) -> str | float:
    """A view named on a command line: a name in VIEWS (or `extra`) or a yaw in degrees."""
    if text in VIEWS or text in extra:
        return text
    try:
        return float(text)
    except ValueError:
        names = ", ".join((*VIEWS, *extra))
        raise DatasetError(f"unknown view {text!r} (expected {names} or a yaw in degrees)") from None


def view_rotation(yaw: float, up: str = "y") -> np.ndarray:
    if up not in _UP_AXES:
        raise DatasetError(f"unknown up axis {up!r} (expected 'y' or 'z')")
    t = math.radians(yaw)
    yaw_rows = np.array([[math.cos(t), 0.0, -math.sin(t)], [0.0, 1.0, 0.0], [math.sin(t), 0.0, math.cos(t)]])
    return yaw_rows @ _UP_AXES[up]


def make_camera(vertices: np.ndarray, view: str | float = "front", *, up: str = "y",
                size: int | tuple[int, int] = 256, margin: float = 0.08, roll: float = 0.0,
                mirror: bool = False, fill: float = 1.0, shift: tuple[float, float] = (0.0, 0.0)) -> Camera:
    """A camera from `view` ('front', 'side', 'back' or a yaw in degrees) that fits `vertices`.

    `margin` is the empty border on each side, as a fraction of the image's shorter side. Image-space
    augmentations are part of the camera, so silhouettes and projected joints always agree: `roll`
    turns the picture counter-clockwise (degrees), `mirror` flips it left-right (a reflection),
    `fill` (0..1] shrinks the fitted figure, and `shift` ((-1..1, -1..1), x right, y down) moves it
    across the room that leaves.
    """
    if isinstance(view, str):
        if view not in VIEWS:
            raise DatasetError(f"unknown view {view!r} (expected {', '.join(VIEWS)} or a yaw in degrees)")
        yaw = VIEWS[view]
    else:
        yaw = float(view)
    if not 0 < fill <= 1:
        raise DatasetError(f"fill must be in (0, 1], got {fill}")
    width, height = (size, size) if isinstance(size, int) else (int(size[0]), int(size[1]))
    rotation = view_rotation(yaw, up)
    c, s = math.cos(math.radians(roll)), math.sin(math.radians(roll))
    right, upward = c * rotation[0] - s * rotation[1], s * rotation[0] + c * rotation[1]
    rotation = np.stack([-right if mirror else right, upward, rotation[2]])
    xy = np.asarray(vertices, dtype=np.float64) @ rotation[:2].T
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    extent = hi - lo
    pad = margin * min(width, height)
    room = np.array([width - 2 * pad, height - 2 * pad])
    if not np.all(np.isfinite(extent)) or extent.max() <= 0 or room.min() <= 0:
        raise DatasetError(f"cannot fit the mesh into a {width}x{height} image "
                           "(empty mesh or margin too large)")
    scale = fill * float(np.min(room / np.maximum(extent, 1e-12)))
    slack = (room - extent * scale) / 2  # pixels the figure can move each way
    mid = (lo + hi) / 2
    center = (float(mid[0] - shift[0] * slack[0] / scale), float(mid[1] + shift[1] * slack[1] / scale))
    return Camera(rotation, scale, center, (width, height), yaw)


def view_depth(points: np.ndarray, camera: Camera) -> np.ndarray:
    """(N,) distance toward the viewer, world units: larger is in front."""
    return np.asarray(points, dtype=np.float64) @ camera.rotation[2]


def project(points: np.ndarray, camera: Camera) -> np.ndarray:
    """(N, 3) world points -> (N, 2) input-image pixels (x right, y down)."""
    xy = np.asarray(points, dtype=np.float64) @ camera.rotation[:2].T
    width, height = camera.size
    px = width / 2 + (xy[:, 0] - camera.center[0]) * camera.scale
    py = height / 2 - (xy[:, 1] - camera.center[1]) * camera.scale
    return np.stack([px, py], axis=1)


def render_silhouette(mesh: Mesh, camera: Camera) -> np.ndarray:
    """(H, W) bool: pixels whose centre any projected triangle covers."""
    corners = project(mesh.vertices, camera)[mesh.faces]
    width, height = camera.size
    return rasterize(corners, width, height)


def rasterize(triangles: np.ndarray, width: int, height: int) -> np.ndarray:
    """(F, 3, 2) pixel-space triangles -> (height, width) bool coverage of pixel centres.

    Scanline fill, all triangles at once: every (triangle, pixel row) pair gets the span of pixel
    centres between the triangle's long edge (top to bottom vertex) and the short edge on that
    row; spans are summed as +1/-1 steps per row (so overlaps union correctly) and a running sum
    marks the covered pixels. The work grows with the triangles' heights, not their areas.
    """
    t = np.asarray(triangles, dtype=np.float64) - 0.5  # pixel (i, j) centre -> integer (j, i)
    order = np.argsort(t[..., 1], axis=1)
    t = np.take_along_axis(t, order[..., None], axis=1)  # vertices top (smallest y) to bottom
    (x0, y0), (x1, y1), (x2, y2) = t[:, 0].T, t[:, 1].T, t[:, 2].T
    area = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0)
    first_row = np.maximum(np.ceil(y0), 0).astype(np.int64)
    rows = np.minimum(np.floor(y2), height - 1).astype(np.int64) - first_row + 1
    rows = np.where(np.abs(area) > 1e-12, np.maximum(rows, 0), 0)

    def slope(dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
        return dx / np.where(dy > 0, dy, 1.0)

    per_tri = np.stack([x0, y0, x1, y1, slope(x2 - x0, y2 - y0), slope(x1 - x0, y1 - y0),
                        slope(x2 - x1, y2 - y1), y1 == y0], axis=1)
    ax, ay, bx, by, s_long, s_top, s_bottom, flat_top = np.repeat(per_tri, rows, axis=0).T
    row = (np.repeat(first_row, rows) + np.arange(int(rows.sum()))
           - np.repeat(np.cumsum(rows) - rows, rows)).astype(np.float64)
    on_long = ax + (row - ay) * s_long
    lower = (row > by) | (flat_top > 0)  # below the middle vertex, or no top edge to use
    on_short = np.where(lower, bx + (row - by) * s_bottom, ax + (row - ay) * s_top)
    first = np.maximum(np.ceil(np.minimum(on_long, on_short)), 0).astype(np.int64)
    last = np.minimum(np.floor(np.maximum(on_long, on_short)), width - 1).astype(np.int64)
    span = last >= first
    stride = width + 1
    cells = row[span].astype(np.int64) * stride
    steps = (np.bincount(cells + first[span], minlength=height * stride)
             - np.bincount(cells + last[span] + 1, minlength=height * stride))
    return np.cumsum(steps.reshape(height, stride), axis=1)[:, :width] > 0
