"""rembg-compatible background removal, run on onnxruntime alone.

rembg itself drags in pymatting → numba → llvmlite, far too heavy for a Blender extension, so this
module reproduces what `rembg.remove(img, session=new_session("u2net_custom", model_path=...),
only_mask=True)` computes (rembg 2.0.69: `BaseSession.normalize`, `U2netSession.predict`, no
post-processing by default) with the same ONNX files:

1. resize the RGB image to the network size with Lanczos (aspect ratio not kept);
2. divide by the image's own maximum (not by 255), then subtract mean / divide by std per channel;
3. take the first output's first channel, min-max normalize it, truncate to 8 bits;
4. resize that 8-bit mask back to the image size with Lanczos.

Models differ only in step 1-2 constants (`Preprocess`, from the registry): the U²-Net family uses
320×320 and ImageNet statistics, IS-Net 1024×1024 with mean 0.5 and std 1.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from . import model_store
from .errors import ModelError
from .onnx_runtime import import_onnxruntime

THREADS = max(1, min(8, os.cpu_count() or 1))  # u2net at 320² stops scaling well beyond this


@dataclass(frozen=True)
class Preprocess:
    size: tuple[int, int]  # network input (width, height)
    mean: tuple[float, float, float]
    std: tuple[float, float, float]

    @staticmethod
    def from_spec(spec: Mapping[str, Any]) -> Preprocess:
        try:
            size = tuple(int(v) for v in spec["size"])
            mean = tuple(float(v) for v in spec["mean"])
            std = tuple(float(v) for v in spec["std"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"malformed preprocessing spec {dict(spec)!r} ({exc!r})") from None
        if len(size) != 2 or len(mean) != 3 or len(std) != 3 or min(size) < 1 or min(std) <= 0:
            raise ModelError(f"malformed preprocessing spec {dict(spec)!r}")
        return Preprocess(size, mean, std)  # type: ignore[arg-type]


U2NET = Preprocess(size=(320, 320), mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225))


@functools.lru_cache(maxsize=4)
def _session(path: str, size: int, mtime_ns: int) -> Any:
    """One onnxruntime session per model file version (size and mtime key out replaced files)."""
    try:
        ort = import_onnxruntime()
    except ImportError as exc:
        raise ModelError(f"onnxruntime is not available ({exc}); reinstall the add-on") from None
    options = ort.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        return ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own pybind exception types for bad files
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"model file {path} is not a usable ONNX model ({first_line[:200]})") from None


class BackgroundRemover:
    """A soft foreground mask from a rembg ONNX model, identical to rembg's `only_mask=True` output."""

    def __init__(self, model_path: str | os.PathLike, preprocess: Preprocess = U2NET) -> None:
        path = Path(model_path)
        if not path.is_file():
            raise ModelError(f"model file {path} does not exist")
        stat = path.stat()
        self.model_path = path
        self.preprocess = preprocess
        self._session = _session(str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        inputs = self._session.get_inputs()
        if len(inputs) != 1 or len(inputs[0].shape) != 4:
            raise ModelError(
                f"model file {path} is not a background-removal model (expects one NCHW image input)"
            )
        channels, height, width = inputs[0].shape[1:]
        if (isinstance(channels, int) and channels != 3) or (
            isinstance(width, int) and isinstance(height, int) and (width, height) != preprocess.size
        ):
            raise ModelError(
                f"model file {path} takes input {inputs[0].shape}, but its preprocessing says "
                f"3×{preprocess.size[1]}×{preprocess.size[0]}; wrong model for this entry"
            )
        self._input = inputs[0].name
        self._output = self._session.get_outputs()[0].name

    def _network_input(self, rgb: Image.Image) -> np.ndarray:
        p = self.preprocess
        pixels = np.asarray(rgb.resize(p.size, Image.Resampling.LANCZOS), dtype=np.float64)
        pixels = pixels / max(float(pixels.max()), 1e-6)
        pixels = (pixels - np.asarray(p.mean)) / np.asarray(p.std)
        return pixels.transpose(2, 0, 1)[None].astype(np.float32)

    def predict(self, rgb: np.ndarray) -> np.ndarray:
        """(H, W) float32 foreground probability in [0, 1] (in 1/255 steps, as rembg's 8-bit mask).

        `rgb` is (H, W, 3) uint8, or float in [0, 1] (rounded to 8 bits first, as rembg sees files).
        """
        data = np.asarray(rgb)
        if data.ndim != 3 or data.shape[2] != 3:
            raise ModelError(f"background removal needs an (H, W, 3) RGB array, got shape {data.shape}")
        if data.dtype != np.uint8:
            data = np.round(np.clip(data.astype(np.float32), 0.0, 1.0) * 255.0).astype(np.uint8)
        image = Image.fromarray(data)
        try:
            raw = self._session.run([self._output], {self._input: self._network_input(image)})[0]
        except (
            Exception
        ) as exc:  # shape or type mismatch inside the graph: the file is not this kind of model
            raise ModelError(
                f"model file {self.model_path} failed to run ({str(exc).strip()[:200]})"
            ) from None
        pred = np.asarray(raw)[:, 0, :, :]
        lo, hi = pred.min(), pred.max()
        pred = np.squeeze((pred - lo) / (hi - lo)) if hi > lo else np.zeros(pred.shape[1:], np.float32)
        small = Image.fromarray((pred * 255).astype(np.uint8))
        mask = small.resize(image.size, Image.Resampling.LANCZOS)
        return np.asarray(mask, dtype=np.float32) * np.float32(1.0 / 255.0)


def remover_for(
    name: str,
    search_dirs: Iterable[str | os.PathLike] | None = None,
    *,
    registry: model_store.Registry | None = None,
) -> BackgroundRemover:
    """The remover for a registry model, or a ModelError that says where to get the file."""
    entry = model_store.model_entry(name, registry)
    if entry.kind != "background":
        raise ModelError(f"model {name} is a {entry.kind} model, not a background-removal model")
    dirs = [Path(d) for d in search_dirs] if search_dirs is not None else model_store.default_search_dirs()
    path = model_store.find_model(name, dirs, registry=registry)
    if path is None:
        where = ", ".join(str(d) for d in dirs) or "no folders"
        fix = f"download it from {entry.url} into {dirs[0]}" if entry.url and dirs else "reinstall the add-on"
        raise ModelError(f"model {name} ({entry.file}) is not installed (looked in {where}); {fix}")
    spec = Preprocess.from_spec(entry.preprocess) if entry.preprocess else U2NET
    return BackgroundRemover(path, spec)
