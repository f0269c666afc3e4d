"""A closed, UV-mapped surface of the silhouette, for the textured "image mesh" the rig deforms.

Same solid as the lift (front z = +d, back z = -d, d = distance to the outline) on a coarse grid:
each grid cell whose centre lies inside the silhouette becomes a fan of four triangles around a
centre vertex on each side. Corners on the outline of the cell set are shared by front and back and
snapped onto the true outline (depth 0), which stitches the two sides into one closed mesh; the
centre vertices always have depth > 0, so front and back never collapse into duplicate faces.
Pure numpy, no `bpy`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from ..core.errors import PointSkelError
from ..core.lift import LiftedShape

_SNAP_STEPS = 3


@dataclass(frozen=True)
class SurfaceMesh:
    vertices: np.ndarray  # (V, 3) float64, normalized frame
    triangles: np.ndarray  # (F, 3) int32, counter-clockwise seen from outside
    uvs: np.ndarray  # (V, 2) float32, image UVs (0, 0) bottom-left


class _Field:
    """Bilinear samples of a per-pixel grid (values at pixel centres), clamped at the borders."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = np.asarray(values, dtype=np.float64)

    def __call__(self, xy: np.ndarray) -> np.ndarray:
        h, w = self.values.shape
        u = np.clip(xy[:, 0] - 0.5, 0.0, w - 1.0)
        v = np.clip(xy[:, 1] - 0.5, 0.0, h - 1.0)
        j, i = np.minimum(u.astype(np.intp), max(w - 2, 0)), np.minimum(v.astype(np.intp), max(h - 2, 0))
        fu, fv = u - j, v - i
        j1, i1 = np.minimum(j + 1, w - 1), np.minimum(i + 1, h - 1)
        f = self.values
        top = f[i, j] + fu * (f[i, j1] - f[i, j])
        bottom = f[i1, j] + fu * (f[i1, j1] - f[i1, j])
        return top + fv * (bottom - top)

    def gradient(self, xy: np.ndarray) -> np.ndarray:
        dx, dy = np.array([0.5, 0.0]), np.array([0.0, 0.5])
        return np.stack([self(xy + dx) - self(xy - dx), self(xy + dy) - self(xy - dy)], axis=-1)


def _signed_field(shape: LiftedShape) -> _Field:
    """Distance to the outline, > 0 inside: the lift's field inside, the background's EDT outside."""
    outside = ndimage.distance_transform_edt(~shape.mask) - 0.5
    return _Field(np.where(shape.mask, shape.distance, -outside))


def _snap_to_outline(field: _Field, xy: np.ndarray, limit: float) -> np.ndarray:
    """Newton steps along the signed distance field onto its zero level, moving at most `limit` px."""
    start = xy.copy()
    for _ in range(_SNAP_STEPS):
        value, grad = field(xy), field.gradient(xy)
        norm2 = np.maximum(np.sum(grad * grad, axis=-1), 1e-12)
        xy = xy - (value / norm2)[:, None] * grad
        move = xy - start
        length = np.linalg.norm(move, axis=-1, keepdims=True)
        xy = start + move * np.minimum(1.0, limit / np.maximum(length, 1e-12))
    return xy


def surface_mesh(shape: LiftedShape, image_size: tuple[int, int], cells: int = 64) -> SurfaceMesh:
    """Mesh the silhouette with about `cells` grid cells along its longest side."""
    if cells < 4:
        raise PointSkelError(f"the mesh needs at least 4 cells along the figure, got {cells}")
    rows = np.flatnonzero(shape.mask.any(axis=1))
    cols = np.flatnonzero(shape.mask.any(axis=0))
    if rows.size == 0:
        raise PointSkelError("the mask is empty: there is no surface to mesh")
    r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    step = max(r1 - r0, c1 - c0) / cells
    nx, ny = int(np.ceil((c1 - c0) / step)) + 2, int(np.ceil((r1 - r0) / step)) + 2
    x0, y0 = (c0 + c1) / 2 - nx * step / 2, (r0 + r1) / 2 - ny * step / 2

    # Cells (ny, nx) and corners (ny + 1, nx + 1) in working pixels, y down.
    cy, cx = np.mgrid[0:ny, 0:nx]
    centres = np.stack([x0 + (cx + 0.5) * step, y0 + (cy + 0.5) * step], axis=-1).reshape(-1, 2)
    signed = _signed_field(shape)
    depth_at = _Field(shape.distance)
    border = np.array([shape.mask.shape[1], shape.mask.shape[0]], dtype=np.float64)
    in_image = ((centres >= 0) & (centres <= border)).all(axis=1)  # the field is only clamped beyond it
    inside = ((signed(centres) > 0) & in_image).reshape(ny, nx)
    if not inside.any():
        raise PointSkelError("the silhouette is too thin to mesh at this detail; raise the mesh detail")

    padded = np.pad(inside, 1)
    around = np.stack([padded[:-1, :-1], padded[:-1, 1:], padded[1:, :-1], padded[1:, 1:]])
    used = around.any(axis=0)  # (ny + 1, nx + 1)
    rim = used & ~around.all(axis=0)

    gy, gx = np.mgrid[0 : ny + 1, 0 : nx + 1]
    corner_xy = np.stack([x0 + gx * step, y0 + gy * step], axis=-1).astype(np.float64)
    # A figure cut by the image border (a cropped photo) ends there: the field beyond the border is
    # only clamped, so the snap alone would leave the rim up to a cell outside (the figure sank).
    corner_xy[rim] = np.clip(_snap_to_outline(signed, corner_xy[rim], step), 0.0, border)

    wppu = shape.work_px_per_unit
    inner = used & ~rim
    corner_depth = np.zeros(used.shape)
    corner_depth[inner] = np.maximum(depth_at(corner_xy[inner]), 0.0) / wppu

    # Edges between two included cells whose both ends are on the rim (one-cell-thin parts) would
    # be shared by four triangles; a vertex at their middle on each side keeps the mesh manifold.
    pinched_h = padded[:-1, 1:-1] & padded[1:, 1:-1] & rim[:, :-1] & rim[:, 1:]  # (ny + 1, nx)
    pinched_v = padded[1:-1, :-1] & padded[1:-1, 1:] & rim[:-1, :] & rim[1:, :]  # (ny, nx + 1)
    mid_xy = np.concatenate([(corner_xy[:, :-1] + corner_xy[:, 1:])[pinched_h] / 2,
                             (corner_xy[:-1, :] + corner_xy[1:, :])[pinched_v] / 2])

    # Vertex numbering: front corners (all used), back corners (inner only), front and back centres,
    # front and back edge middles.
    n_front, n_inner = np.count_nonzero(used), np.count_nonzero(inner)
    front_id = np.full(used.shape, -1, np.int64)
    front_id[used] = np.arange(n_front)
    back_id = front_id.copy()
    back_id[inner] = n_front + np.arange(n_inner)
    cell_index = np.flatnonzero(inside.ravel())
    n_cells, n_mid = cell_index.size, len(mid_xy)
    centre_front = n_front + n_inner + np.arange(n_cells)
    centre_back = centre_front + n_cells
    mid_front = centre_back[-1] + 1 + np.arange(n_mid)
    mid_back = mid_front + n_mid
    mid_h, mid_v = np.full(pinched_h.shape, -1, np.int64), np.full(pinched_v.shape, -1, np.int64)
    mid_h[pinched_h] = np.arange(np.count_nonzero(pinched_h))
    mid_v[pinched_v] = np.count_nonzero(pinched_h) + np.arange(np.count_nonzero(pinched_v))

    # At least a quarter pixel thick, so front and back never coincide away from the rim.
    centre_depth = np.maximum(depth_at(centres[cell_index]), 0.25) / wppu
    mid_depth = np.maximum(depth_at(mid_xy), 0.25) / wppu if n_mid else np.zeros(0)
    xy = np.concatenate([corner_xy[used], corner_xy[inner], centres[cell_index], centres[cell_index],
                         mid_xy, mid_xy])
    depth = np.concatenate([corner_depth[used], -corner_depth[inner], centre_depth, -centre_depth,
                            mid_depth, -mid_depth])
    pixels = xy / shape.work_scale
    vertices = np.column_stack([shape.frame.to_normalized(pixels), depth])
    width, height = image_size
    uvs = np.column_stack([pixels[:, 0] / width, 1.0 - pixels[:, 1] / height]).astype(np.float32)

    # Corners of each cell going counter-clockwise as seen by the viewer (+z): on screen (y down)
    # that is top-left, bottom-left, bottom-right, top-right; side k runs from corner k to k + 1.
    iy, ix = np.divmod(cell_index, nx)
    ring = [(iy, ix), (iy + 1, ix), (iy + 1, ix + 1), (iy, ix + 1)]
    sides = np.stack([mid_v[iy, ix], mid_h[iy + 1, ix], mid_v[iy, ix + 1], mid_h[iy, ix]], axis=1).ravel()
    split = sides >= 0
    triangles = []
    for ids, centre, mids, flip in ((front_id, centre_front, mid_front, False),
                                    (back_id, centre_back, mid_back, True)):
        corners = np.stack([ids[r, c] for r, c in ring], axis=1)
        a, b = corners.ravel(), corners[:, [1, 2, 3, 0]].ravel()
        c = np.repeat(centre, 4)
        m = mids[sides[split]]
        fans = [np.stack([c[~split], a[~split], b[~split]], axis=1),
                np.stack([c[split], a[split], m], axis=1), np.stack([c[split], m, b[split]], axis=1)]
        fan = np.concatenate(fans)
        triangles.append(fan[:, ::-1] if flip else fan)
    return SurfaceMesh(vertices, np.concatenate(triangles).astype(np.int32), uvs)
