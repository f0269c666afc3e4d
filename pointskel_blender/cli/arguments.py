"""What every command line (`cli`, `batch`, `viewer`) does with its parsed arguments before a run.

Its own module so that the front ends share it without importing one another.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..core import model_store
from ..core.settings import PipelineSettings, settings_from_args


def settings_for(args: argparse.Namespace, *, model_dirs: Sequence[Path] | None = None) -> PipelineSettings:
    """The settings a parsed command line asks for, after fetching the background model they need when
    --allow-download permits (into the first of `model_dirs`, default the user model folder)."""
    settings = settings_from_args(args)
    folder = model_dirs[0] if model_dirs else model_store.user_model_dir()
    model_store.ensure_background_model(
        settings.mask_backend, settings.rembg_model, folder,
        allow_download=args.allow_download, search_dirs=model_dirs, progress=_download_progress,
    )
    return settings


def _download_progress(done: int, total: int | None) -> None:
    end = "\n" if total and done >= total else "\r"
    shown = f"{done / 1e6:.1f}/{total / 1e6:.1f} MB" if total else f"{done / 1e6:.1f} MB"
    print(f"downloading model: {shown}", end=end, file=sys.stderr, flush=True)


def collecting(folders: int, files: int) -> None:
    """Progress while a recursive glob is expanded (a big tree takes a while; silence looks like a hang)."""
    print(f"pointskel: collecting inputs: {folders} folders scanned, {files} files match so far",
          file=sys.stderr, flush=True)
