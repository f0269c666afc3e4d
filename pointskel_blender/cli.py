"""`python -m pointskel_blender IMAGE [IMAGE ...]`: the pipeline from a shell, without Blender.

One bad image prints one error line and does not stop the others; the exit status is non-zero if
any image failed. Like the batch job, it never writes over an input, writes two outputs to one file,
or replaces an existing file without `--overwrite`.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from typing import Sequence

from .core import model_store
from .core.errors import PointSkelError, naming
from .core.files import check_writable
from .core.inputs import expand_inputs, plan_outputs
from .core.pipeline import (
    DEFAULT_BONE_LENGTH,
    MASK_BACKENDS,
    PREDICTORS,
    PipelineResult,
    PipelineSettings,
    bone_length_settings,
    count_summary,
    run_pipeline,
)
from .core.preview import save_preview


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m pointskel_blender",
        description="Image -> skeleton: writes a skeleton JSON and an overlay preview PNG per image.",
    )
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.add_argument("--json", type=Path, help="skeleton JSON path (a folder when several images are given)")
    p.add_argument("--preview", type=Path, help="overlay PNG path (a folder when several images are given)")
    p.add_argument("-o", "--output", type=Path, help="folder for <name>.json and <name>_preview.png")
    p.add_argument("--overwrite", action="store_true", help="replace outputs that already exist")
    p.add_argument("--mask", choices=MASK_BACKENDS, default="auto", help="background removal (default: auto)")
    p.add_argument("--keep-all", action="store_true", help="keep every object, not just the largest")
    p.add_argument("--rembg-model", default="u2netp", help="background model for --mask rembg/auto")
    p.add_argument("--allow-download", action="store_true",
                   help="download a missing larger background model into the user cache")
    p.add_argument("--predictor", choices=PREDICTORS, default="auto", help="offset predictor (default: auto)")
    p.add_argument("--model", help="predictor ONNX file instead of the shipped one")
    p.add_argument("--points", type=int, default=PipelineSettings.points, help="points in the lifted cloud")
    p.add_argument("--iterations", type=int, help="contraction iterations (default: the predictor's)")
    p.add_argument("--voxel", type=float, default=PipelineSettings.voxel, help="topology detail (normalized units)")
    p.add_argument("--bone-length", type=float, default=None,
                   help="longest bone of a straight chain, fraction of the figure's size (0 = only at bends; "
                        f"default: the model's choice for each image, else {DEFAULT_BONE_LENGTH:g})")
    p.add_argument("--work-size", type=int, default=PipelineSettings.work_size, help="working resolution (px)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--view", action="store_true", help="show the clouds and skeleton in an Open3D window")
    return p


def preview_name(image: Path) -> str:
    return f"{image.stem}_preview.png"


def output_paths(args: argparse.Namespace, image: Path, several: bool) -> tuple[Path | None, Path | None]:
    stem = image.stem
    if args.output is not None:
        return args.output / f"{stem}.json", args.output / preview_name(image)
    if several:
        return (
            args.json / f"{stem}.json" if args.json else None,
            args.preview / preview_name(image) if args.preview else None,
        )
    return args.json, args.preview


def describe(image: Path, result: PipelineResult) -> str:
    t = {k: v * 1000 for k, v in result.timings.items()}
    counts = count_summary(result)
    stages = " | ".join(f"{k} {v:.0f} ms" for k, v in t.items())
    return (
        f"{image}: mask={result.mask.backend} predictor={result.predictor} "
        f"({result.contraction.iterations} it) | {stages} | total {sum(t.values()):.0f} ms | "
        f"{counts['lifted_points']} points -> {counts['joints']} joints, {counts['bones']} bones "
        f"(bone length {result.skeleton.metadata['bone_length']:g} from the "
        f"{result.skeleton.metadata['bone_length_from']})"
    )


def ensure_background_model(settings: PipelineSettings, allow_download: bool) -> None:
    if settings.mask_backend not in ("rembg", "auto") or model_store.find_model(settings.rembg_model):
        return
    if settings.mask_backend == "rembg" or allow_download:
        model_store.download_model(
            settings.rembg_model, model_store.user_model_dir(), allow_network=allow_download,
            progress=_download_progress,
        )


def _download_progress(done: int, total: int | None) -> None:
    end = "\n" if total and done >= total else "\r"
    shown = f"{done / 1e6:.1f}/{total / 1e6:.1f} MB" if total else f"{done / 1e6:.1f} MB"
    print(f"downloading model: {shown}", end=end, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    inputs = expand_inputs([str(p) for p in args.images])
    several = len(args.images) > 1 or len(inputs) > 1  # what was typed decides: files or folders
    try:
        for folder in ([args.json, args.preview] if several else []) + [args.output]:
            if folder is not None:
                check_writable(folder)
        settings = PipelineSettings(
            mask_backend=args.mask, keep_all_objects=args.keep_all, rembg_model=args.rembg_model,
            work_size=args.work_size, points=args.points, seed=args.seed, predictor=args.predictor,
            model_path=args.model, iterations=args.iterations, voxel=args.voxel,
            **bone_length_settings(args.bone_length),
        )
        ensure_background_model(settings, args.allow_download)
    except PointSkelError as exc:
        print(f"error: {exc}" + ("; with several images it must be a folder" if several else ""), file=sys.stderr)
        return 2

    plans = plan_outputs(inputs, lambda image: [p for p in output_paths(args, image, several) if p is not None],
                         preview_name)
    counts = {"done": 0, "failed": 0, "skipped": 0}
    for plan in plans:
        outcome = _run_one(plan.label, plan.path, plan.problem, plan.fails, args, settings, several)
        counts[outcome] += 1
    if several:
        print(f"{counts['done']} of {len(plans)} images done, {counts['failed']} failed, "
              f"{counts['skipped']} skipped", flush=True)
    return 1 if counts["failed"] else 0


def _run_one(label: str, image: Path | None, problem: str | None, fails: bool, args: argparse.Namespace,
             settings: PipelineSettings, several: bool) -> str:
    """Process one planned image; 'done', 'failed' or 'skipped'."""
    if problem is not None:
        print(f"{'error' if fails else 'note'}: {label}: {problem}", file=sys.stderr, flush=True)
        return "failed" if fails else "skipped"
    targets = [p for p in output_paths(args, image, several) if p is not None]
    existing = [p for p in targets if p.is_file() and not args.overwrite]
    if targets and len(existing) == len(targets):
        print(f"{label}: skipped: {', '.join(map(str, existing))} exist (--overwrite replaces them)", flush=True)
        return "skipped"
    try:
        result = run_pipeline(image, settings)
        json_path, preview_path = output_paths(args, image, several)
        written = []
        if json_path is not None and json_path not in existing:
            result.skeleton.save(json_path, overwrite=args.overwrite)
            written.append(json_path)
        if preview_path is not None and preview_path not in existing:
            save_preview(result, preview_path, overwrite=args.overwrite)
            written.append(preview_path)
        kept = f"; kept existing {', '.join(map(str, existing))}" if existing else ""
        print(describe(image, result) + (f" -> {', '.join(map(str, written))}" if written else "") + kept,
              flush=True)
        if args.view:
            from .viewer import show

            show(result)
    except PointSkelError as exc:
        print(f"error: {label}: {naming(image, exc)}", file=sys.stderr, flush=True)
        return "failed"
    except Exception as exc:  # a bug: keep going with the other images, but show where it happened
        print(f"error: {label}: internal error {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        traceback.print_exc(file=sys.stderr)
        return "failed"
    return "done"
