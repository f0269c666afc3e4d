"""Contact sheets: silhouettes of a dataset's characters with their projected skeletons on top.

    python -m trainer.sheet DATASET --out sheet.png [--count 24] [--views front side] [--size 192]

A quick look at whether a dataset (synthetic or RigNet's) is what training will see.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

import cv2
import numpy as np

from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.files import atomic_path

from .render import make_camera, project, render_silhouette, view_from_text
from .rignet import Mesh, Rig, RigNetDataset
from .synthetic import INFO_FILE

_SHIFT = 4  # cv2 sub-pixel bits


def overlay(mask: np.ndarray, joints_px: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8: grey silhouette, bones as lines, joints as dots (root in red)."""
    image = np.full(mask.shape + (3,), 250, np.uint8)
    image[mask] = (185, 190, 200)
    pts = np.round((joints_px - 0.5) * (1 << _SHIFT)).astype(np.int32)  # cv2 pixel centres are integers
    for child, parent in enumerate(parents.tolist()):
        if parent >= 0:
            cv2.line(image, tuple(pts[parent]), tuple(pts[child]), (40, 90, 200), 1, cv2.LINE_AA, _SHIFT)
    for k, p in enumerate(pts):
        colour = (200, 40, 40) if k == 0 else (20, 20, 20)
        cv2.circle(image, tuple(p), 3 << (_SHIFT - 1), colour, -1, cv2.LINE_AA, _SHIFT)  # radius 1.5 px
    return image


def tile(mesh: Mesh, rig: Rig, view: str | float, size: int) -> np.ndarray:
    camera = make_camera(mesh.vertices, view, size=size)
    return overlay(render_silhouette(mesh, camera), project(rig.positions, camera), rig.parents)


def contact_sheet(items: Sequence[tuple[str, Mesh, Rig]], views: Sequence[str | float], size: int,
                  columns: int) -> np.ndarray:
    """One tile per (item, view), labelled with the id and joint count, `columns` tiles a row."""
    tiles = []
    for name, mesh, rig in items:
        for view in views:
            t = tile(mesh, rig, view, size)
            label = f"{name} {len(rig.names)}j"
            cv2.putText(t, label, (4, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.35, (60, 60, 60), 1, cv2.LINE_AA)
            tiles.append(t)
    rows = -(-len(tiles) // columns)
    sheet = np.full((rows * size, columns * size, 3), 255, np.uint8)
    for k, t in enumerate(tiles):
        r, c = divmod(k, columns)
        sheet[r * size:(r + 1) * size, c * size:(c + 1) * size] = t
        sheet[r * size:(r + 1) * size, c * size] = 220
        sheet[r * size, c * size:(c + 1) * size] = 220
    return sheet


def _templates(root: Path) -> dict[str, str]:
    """Template name of each id, for datasets written by `trainer.synthetic`."""
    try:
        return dict(json.loads((root / INFO_FILE).read_text(encoding="utf-8"))["templates"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.sheet", description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", help="RigNet-format dataset folder")
    parser.add_argument("--out", required=True, help="PNG to write")
    parser.add_argument("--split", default=None, help="train, val or test (default: every mesh)")
    parser.add_argument("--count", type=int, default=24)
    parser.add_argument("--views", nargs="+", default=["front"], help="front, side, back or yaw degrees")
    parser.add_argument("--size", type=int, default=192, help="tile size in pixels")
    parser.add_argument("--columns", type=int, default=8)
    args = parser.parse_args(argv)
    try:
        views = [view_from_text(v) for v in args.views]
        dataset = RigNetDataset(args.dataset, args.split)
        kinds = _templates(dataset.root)
        items = [(f"{item} {kinds.get(item, '')}".strip(), *dataset.load(item))
                 for item in dataset.ids[:args.count]]
        sheet = contact_sheet(items, views, args.size, args.columns)
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with atomic_path(args.out) as tmp:  # the temporary name keeps the .png suffix cv2 goes by
        if not cv2.imwrite(str(tmp), sheet[..., ::-1]):
            print(f"error: cannot write {args.out}", file=sys.stderr)
            return 2
    print(f"wrote {args.out} ({len(items)} characters x {len(views)} views)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
