"""The evaluation's cases (`trainer.evaluate`): each character of a split seen by one camera per view.

A case is the silhouette and the ground-truth joints projected by the same camera (`trainer.render`,
fitted to the mesh, no augmentation; a `random` view is seeded by the config's seed, the item and the
view), so a case rebuilt later (the report's examples sheet) is the one the methods ran on.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pointskel_blender.core.image import LoadedImage, image_from_array

from . import DatasetError
from .eval_config import EvalConfig, view_spec
from .render import make_camera, project, render_silhouette
from .rignet import Mesh, Rig, RigNetDataset
from .samples import draw_view
from .synthetic import INFO_FILE

CATEGORIES_FILE = "categories.json"


@dataclass(frozen=True, eq=False)
class Case:
    """One view of one character: the silhouette and the truth seen by the same camera."""

    item: str
    view: str
    yaw: float
    mask: np.ndarray  # (H, W) bool
    joints_px: np.ndarray  # (J, 2) projected true joints, input pixels
    parents: np.ndarray  # (J,) int, -1 for the root

    @property
    def figure_height(self) -> float:
        """The silhouette's bounding-box height in pixels: the unit every distance is divided by."""
        rows = np.flatnonzero(self.mask.any(axis=1))
        return float(rows[-1] - rows[0] + 1)

    @property
    def figure_size(self) -> float:
        """The longest side of the silhouette's bounding box in pixels: the rigger's metrics' unit."""
        cols = np.flatnonzero(self.mask.any(axis=0))
        return max(self.figure_height, float(cols[-1] - cols[0] + 1))

    def image(self) -> LoadedImage:
        """The silhouette as the RGBA image a user would hand the add-on: grey, alpha = mask."""
        rgba = np.zeros(self.mask.shape + (4,), np.float32)
        rgba[..., :3] = 0.5
        rgba[..., 3] = self.mask
        return image_from_array(rgba, source=f"{self.item}_{self.view}.png")


def render_case(
    item: str, mesh: Mesh, rig: Rig, view: str, *, resolution: int, margin: float, rng: np.random.Generator
) -> Case:
    spec = draw_view(view_spec(view), rng, None)
    camera = make_camera(mesh.vertices, spec.yaw, size=resolution, margin=margin)
    mask = render_silhouette(mesh, camera)
    if not mask.any():
        raise DatasetError(f"{item}: the mesh renders to an empty silhouette at {resolution} px")
    return Case(item, view, spec.yaw, mask, project(rig.positions, camera), np.asarray(rig.parents))


def case_rng(config: EvalConfig, index: int, view_index: int) -> np.random.Generator:
    return np.random.default_rng([config.seed, index, view_index])


def view_case(config: EvalConfig, item: str, mesh: Mesh, rig: Rig, index: int, view_index: int) -> Case:
    """View `view_index` of the config's character `item` (position `index` in its split)."""
    return render_case(
        item,
        mesh,
        rig,
        config.views[view_index],
        resolution=config.resolution,
        margin=config.margin,
        rng=case_rng(config, index, view_index),
    )


def dataset(config: EvalConfig) -> RigNetDataset:
    return RigNetDataset(config.data, config.split, mesh_dir=config.mesh_dir, rig_dir=config.rig_dir)


def load_item(config: EvalConfig, item: str) -> tuple[Mesh, Rig]:
    return dataset(config).load(item)


def load_categories(data: str | os.PathLike, path: str | os.PathLike | None = None) -> dict[str, str]:
    """{item: category} from `path`, else the dataset's synthetic.json templates or categories.json.

    A file holds either {"templates": {id: name}} (the synthetic generator's) or {id: name}.
    No file: no per-category breakdown.
    """
    candidates = [Path(path)] if path is not None else [Path(data) / INFO_FILE, Path(data) / CATEGORIES_FILE]
    for file in candidates:
        if not file.is_file():
            if path is not None:
                raise DatasetError(f"{file}: no such categories file")
            continue
        try:
            data_json = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DatasetError(f"{file}: not a readable JSON categories file ({exc})") from None
        table = data_json.get("templates", data_json) if isinstance(data_json, dict) else None
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise DatasetError(f"{file}: expected {{id: category}} or {{'templates': {{id: category}}}}")
        return {str(k): v for k, v in table.items()}
    return {}
