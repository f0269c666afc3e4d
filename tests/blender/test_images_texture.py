"""What Blender shows matches what was computed: the image mesh's texture holds the very pixels the
pipeline read, for EXIF-rotated photos (Blender's loader ignores the tag) and GIFs (it cannot read
them), while a plain PNG stays a link to the user's file. Real bpy, real files."""
from __future__ import annotations

from pathlib import Path

import bpy
import figures
import numpy as np
import pytest
from blender_helpers import new_collection, run_operator
from PIL import Image

from pointskel_blender.core.image import load_image

ORIENTATION = 0x0112


def _figure(size: int = 256) -> np.ndarray:
    """A stick figure in a wide frame, so a turn by 90 degrees changes the picture's shape too."""
    mask = np.zeros((size, size * 3 // 2), bool)
    mask[:, size // 4 : size // 4 + size] = figures.stick_figure(size).mask
    return figures.rgba_on_background(mask)


def _texture(collection: bpy.types.Collection) -> bpy.types.Image:
    mesh = next(o for o in collection.all_objects if o.type == "MESH" and o.data.polygons)
    nodes = mesh.data.materials[0].node_tree.nodes
    return next(n.image for n in nodes if n.type == "TEX_IMAGE")


def _pixels(image: bpy.types.Image) -> np.ndarray:
    """Top-down float RGBA, as the core holds it."""
    width, height = image.size
    buffer = np.empty(width * height * image.channels, np.float32)
    image.pixels.foreach_get(buffer)
    return buffer.reshape(height, width, image.channels)[::-1]


def _on_figure(collection: bpy.types.Collection, texture: np.ndarray) -> float:
    """Share of the mesh's faces whose UV centre samples the figure's colour in the texture."""
    mesh = next(o for o in collection.all_objects if o.type == "MESH" and o.data.polygons).data
    uv = np.array([d.uv for d in mesh.uv_layers.active.data])
    height, width = texture.shape[:2]
    hits = []
    for polygon in mesh.polygons:
        u, v = uv[list(polygon.loop_indices)].mean(axis=0)
        x, y = min(int(u * width), width - 1), min(int((1 - v) * height), height - 1)
        hits.append(texture[y, x, 0] > 0.6 and texture[y, x, 1] < 0.4)  # the figure's red
    return float(np.mean(hits))


def _saved(path: Path, rgba: np.ndarray, **options) -> Path:
    Image.fromarray(rgba).convert("RGB").save(path, **options)
    return path


def _textured_as_computed(path: Path) -> bpy.types.Image:
    """Run the operator on `path`; its mesh's texture holds the pixels the pipeline read, and the
    mesh's faces land on the figure's colour in it."""
    computed = load_image(path).rgba
    run_operator(path)
    collection = new_collection()
    image = _texture(collection)
    assert tuple(image.size) == (computed.shape[1], computed.shape[0])
    np.testing.assert_allclose(_pixels(image), computed, atol=1 / 255 + 1e-6)
    assert _on_figure(collection, computed) > 0.9
    return image


@pytest.mark.parametrize("orientation", [6, 3, 8])
def test_an_exif_rotated_photo_is_textured_as_the_pipeline_saw_it(addon, scene, tmp_path, orientation):
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    saved = _saved(tmp_path / f"phone{orientation}.jpg", _figure(), exif=exif, quality=95)
    image = _textured_as_computed(saved)
    assert image.packed_file is not None  # travels with the blend file; the JPEG's raster is not it


def test_a_gif_is_textured_with_its_pixels_not_an_empty_image(addon, scene, tmp_path):
    path = tmp_path / "figure.gif"
    Image.fromarray(_figure()).convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE).save(path)
    image = _textured_as_computed(path)
    assert [i for i in bpy.data.images if tuple(i.size) == (0, 0)] == []  # no unreadable leftover
    # packed as a still image: Blender 4.2 opens a GIF as a movie, which a saved file reopens 0×0
    assert image.source == "FILE" and image.packed_file is not None


def test_a_plain_png_stays_a_link_to_the_users_file(addon, scene, tmp_path):
    path = tmp_path / "plain.png"
    Image.fromarray(_figure()).save(path)
    run_operator(path)
    image = _texture(new_collection())
    assert image.packed_file is None and Path(bpy.path.abspath(image.filepath)) == path
