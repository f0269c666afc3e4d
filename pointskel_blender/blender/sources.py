"""Where the operator's image comes from: a file, an image in the blend file, or a reference empty.

Each source yields what the pipeline reads, a content digest for the inference cache, a name for
the new collection, and what the image mesh is textured with. Pixels of Blender images are copied
out with `foreach_get` (bottom-up in Blender, flipped to the core's top-down rows).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import bpy
import numpy as np

from ..core.errors import ImageError
from ..core.image import LoadedImage, check_size, image_from_array


@dataclass(frozen=True)
class ImageSource:
    name: str  # for the new collection
    # content hash for the cache; None when the file cannot be read (the pipeline says why)
    digest: str | None
    pipeline_input: LoadedImage | Path
    texture: bpy.types.Image | Path  # an image already in the file, or a file to load for the material


def _stem(name: str) -> str:
    stem, ext = os.path.splitext(name)
    return stem if ext.lower() in bpy.path.extensions_image else name


def _file_digest(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            return "file:" + hashlib.file_digest(f, "blake2b").hexdigest()
    except OSError:
        return None


def from_file(filepath: str) -> ImageSource:
    if not filepath.strip():
        raise ImageError("no image file chosen: pick one in the PointSkel panel")
    path = Path(bpy.path.abspath(filepath))
    return ImageSource(path.stem, _file_digest(path), path, path)


def pixels_of(image: bpy.types.Image) -> LoadedImage:
    """The image's pixels as the core wants them (rows top-down)."""
    width, height = image.size
    if width == 0 or height == 0 or not image.has_data:
        raise ImageError(f"{image.name}: the image has no pixels (is its file missing?)")
    check_size(width, height, image.name)  # before the copy: 16 bytes a pixel, twice
    channels = image.channels
    buffer = np.empty(width * height * channels, dtype=np.float32)
    image.pixels.foreach_get(buffer)
    return image_from_array(buffer.reshape(height, width, channels)[::-1], source=image.name)


def from_image(image: bpy.types.Image | None) -> ImageSource:
    if image is None:
        raise ImageError("no image chosen: pick one in the PointSkel panel")
    loaded = pixels_of(image)
    digest = hashlib.blake2b(loaded.rgba.data)  # the array's own buffer: no copy
    digest.update(repr(loaded.rgba.shape).encode())
    return ImageSource(_stem(image.name), "pixels:" + digest.hexdigest(), loaded, image)


def is_image_empty(obj: bpy.types.Object | None) -> bool:
    return obj is not None and obj.type == "EMPTY" and obj.empty_display_type == "IMAGE"


def reference_empty(context) -> bpy.types.Object | None:
    """The active object if it is an image empty, else the first selected one."""
    if is_image_empty(context.active_object):
        return context.active_object
    return next((obj for obj in context.selected_objects if is_image_empty(obj)), None)


def from_empty(obj: bpy.types.Object | None) -> ImageSource:
    if not is_image_empty(obj):
        raise ImageError("no reference image selected: select an image empty (Add > Image > Reference)")
    if obj.data is None:
        raise ImageError(f"{obj.name}: the image empty shows no image")
    return from_image(obj.data)


def resolve(source: str, filepath: str, image_name: str, empty_name: str) -> ImageSource:
    """The operator's source settings -> an ImageSource (raises ImageError naming what is missing)."""
    if source == "FILE":
        return from_file(filepath)
    if source == "IMAGE":
        return from_image(bpy.data.images.get(image_name) if image_name else None)
    return from_empty(bpy.data.objects.get(empty_name) if empty_name else None)
