"""The image mesh exports to glTF cleanly: one opaque base colour texture, no exporter warning, for a
photo (JPEG, opaque) and a picture with transparency (its transparent pixels padded with the figure's
colours, so the rim of the mesh never shows the black of a transparent background). Real bpy, real
exporter, its log read as Blender writes it."""
from __future__ import annotations

import io
import json
import logging
import struct
from pathlib import Path

import bpy
import figures
import numpy as np
import pytest
from blender_helpers import FAST, save_png
from PIL import Image

import photo_figures

FIGURE = (200, 60, 40)  # figures.rgba_with_alpha's colour


def _glb(path: Path) -> tuple[dict, bytes]:
    """The JSON and the binary chunk of a .glb."""
    data = path.read_bytes()
    length, kind = struct.unpack_from("<I4s", data, 12)
    assert kind == b"JSON"
    return json.loads(data[20:20 + length]), data[20 + length + 8:]


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _exported(addon, path: Path, out: Path) -> tuple[dict, bytes, list[str]]:
    """Build `path` as the sidebar does (small settings) and export it as the batch does; the glTF, its
    binary chunk and the exporter's warnings and errors."""
    core, build = addon.core, addon.blender.scene_build
    settings = core.pipeline.PipelineSettings(**{**FAST, "mask_backend": "auto"})
    result = core.pipeline.run_pipeline(path, settings)
    built = build.build_rig(bpy.context, result, path.stem, build.BuildOptions(), texture=path)
    captured = _Captured()
    loggers = [logging.getLogger(name) for name in ("glTFImporter", "glTFImporter_errors")]
    for logger in loggers:
        logger.addHandler(captured)
    try:
        addon.cli.batch._write("glb", out, result, built)
    finally:
        for logger in loggers:
            logger.removeHandler(captured)
    return (*_glb(out), captured.messages)


def _texture(gltf: dict, binary: bytes) -> np.ndarray:
    """(H, W, C) uint8: the one image the mesh's material uses."""
    (material,) = gltf["materials"]
    texture = gltf["textures"][material["pbrMetallicRoughness"]["baseColorTexture"]["index"]]
    view = gltf["bufferViews"][gltf["images"][texture["source"]]["bufferView"]]
    start = view.get("byteOffset", 0)
    return np.array(Image.open(io.BytesIO(binary[start:start + view["byteLength"]])))


@pytest.mark.fresh_blender  # exports glTF: an exporter crash fails this test only
def test_a_photo_exports_one_opaque_texture_without_a_warning(addon, scene, tmp_path):
    path = photo_figures.tpose_man(256).save(tmp_path, ".jpg")
    gltf, binary, log = _exported(addon, path, tmp_path / "photo.glb")
    assert log == []
    (material,) = gltf["materials"]
    assert material.get("alphaMode", "OPAQUE") == "OPAQUE"
    assert _texture(gltf, binary).shape[:2] == (256, 256)


@pytest.mark.fresh_blender
def test_a_picture_with_transparency_exports_padded_with_the_figures_colour_without_a_warning(
        addon, scene, tmp_path):
    mask = figures.stick_figure(256).mask
    path = save_png(tmp_path / "cutout.png", figures.rgba_with_alpha(mask))
    gltf, binary, log = _exported(addon, path, tmp_path / "cutout.glb")
    assert log == []
    (material,) = gltf["materials"]
    assert material.get("alphaMode", "OPAQUE") == "OPAQUE"
    pixels = _texture(gltf, binary)
    assert pixels.shape[:2] == mask.shape
    background = pixels[~mask][:, :3].astype(int)
    assert np.abs(background - FIGURE).max() <= 2  # the figure's colour, not the transparent black
