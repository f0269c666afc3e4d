"""`python -m pointskel_blender IMAGE [IMAGE ...]`: the pipeline from a shell, without Blender.

One bad image prints one error line and does not stop the others; the exit status is non-zero if
any image failed.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from typing import Sequence

from .core import model_store
from .core.anatomy import figure_summary
from .core.errors import PointSkelError
from .core.pipeline import PipelineResult, count_summary, run_pipeline
from .core.preview import save_preview
from .core.settings import PipelineSettings, add_setting_arguments, settings_from_args


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m pointskel_blender",
        description="Image -> skeleton: writes a skeleton JSON and an overlay preview PNG per image.",
    )
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.add_argument("--json", type=Path, help="skeleton JSON path (a folder when several images are given)")
    p.add_argument("--preview", type=Path, help="overlay PNG path (a folder when several images are given)")
    p.add_argument("-o", "--output", type=Path, help="folder for <name>.json and <name>_preview.png")
    add_setting_arguments(p)
    # --view is the figure's view (front/side/top, a setting); the Open3D window is --show
    p.add_argument("--show", action="store_true", help="show the clouds and skeleton in an Open3D window")
    return p


def output_paths(args: argparse.Namespace, image: Path, several: bool) -> tuple[Path | None, Path | None]:
    stem = image.stem
    if args.output is not None:
        return args.output / f"{stem}.json", args.output / f"{stem}_preview.png"
    if several:
        return (
            args.json / f"{stem}.json" if args.json else None,
            args.preview / f"{stem}_preview.png" if args.preview else None,
        )
    return args.json, args.preview


def describe(image: Path, result: PipelineResult) -> str:
    t = {k: v * 1000 for k, v in result.timings.items()}
    counts = count_summary(result)
    stages = " | ".join(f"{k} {v:.0f} ms" for k, v in t.items())
    return (
        f"{image}: mask={result.mask.backend} predictor={result.predictor} "
        f"({result.contraction.iterations} it) | {stages} | total {sum(t.values()):.0f} ms | "
        f"{counts['lifted_points']} points -> {figure_summary(result.skeleton.anatomy)}: "
        f"{counts['joints']} joints, {counts['bones']} bones "
        f"(bone length {result.bone_length:g} from the {result.bone_length_from})"
    )


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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    several = len(args.images) > 1
    for folder in ([args.json, args.preview] if several else []) + [args.output]:
        if folder is not None and folder.is_file():
            print(f"error: {folder} is a file; with several images it must be a folder", file=sys.stderr)
            return 2
    try:
        settings = settings_for(args)
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    failed = 0
    for image in args.images:
        try:
            result = run_pipeline(image, settings)
            json_path, preview_path = output_paths(args, image, several)
            if json_path is not None:
                result.skeleton.save(json_path)
            if preview_path is not None:
                save_preview(result, preview_path)
            written = ", ".join(str(p) for p in (json_path, preview_path) if p is not None)
            print(describe(image, result) + (f" -> {written}" if written else ""), flush=True)
            if args.show:
                from .viewer import show

                show(result)
        except PointSkelError as exc:
            failed += 1
            print(f"error: {image}: {exc}", file=sys.stderr, flush=True)
        except Exception as exc:  # a bug: keep going with the other images, but show where it happened
            failed += 1
            print(f"error: {image}: internal error {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            traceback.print_exc(file=sys.stderr)
    if several:
        print(f"{len(args.images) - failed} of {len(args.images)} images done, {failed} failed", flush=True)
    return 1 if failed else 0
