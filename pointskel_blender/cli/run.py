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

from ..core.anatomy import figure_summary
from ..core.anatomy.doubt import figure_warning
from ..core.errors import PointSkelError, naming
from ..core.files import check_writable
from ..core.inputs import expand_inputs, plan_outputs
from ..core.mask_crop import crop_warning
from ..core.pipeline import PipelineResult, count_summary, run_pipeline
from ..core.preview import save_preview
from .arguments import collecting, settings_for
from ..core.settings import OVERWRITE, PipelineSettings, add_setting_arguments


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m pointskel_blender",
        description="Image -> skeleton: writes a skeleton JSON and an overlay preview PNG per image.",
    )
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.add_argument("--json", type=Path, help="skeleton JSON path (a folder when several images are given)")
    p.add_argument("--preview", type=Path, help="overlay PNG path (a folder when several images are given)")
    p.add_argument("-o", "--output", type=Path, help="folder for <name>.json and <name>_preview.png")
    add_setting_arguments(p, (OVERWRITE,))
    add_setting_arguments(p)
    # --view is the figure's view (front/side/top, a setting); the Open3D window is --show
    p.add_argument("--show", action="store_true", help="show the clouds and skeleton in an Open3D window")
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
        f"{counts['lifted_points']} points -> {figure_summary(result.skeleton.anatomy)}: "
        f"{counts['joints']} joints, {counts['bones']} bones "
        f"(bone length {result.bone_length:g} from the {result.bone_length_from})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    inputs = expand_inputs([str(p) for p in args.images], collecting)
    several = len(args.images) > 1 or len(inputs) > 1  # what was typed decides: files or folders
    try:
        for folder in ([args.json, args.preview] if several else []) + [args.output]:
            if folder is not None:
                check_writable(folder)
    except PointSkelError as exc:
        hint = "; with several images it must be a folder" if several else ""
        print(f"error: {exc}{hint}", file=sys.stderr)
        return 2
    try:
        settings = settings_for(args)
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    def targets(image: Path) -> list[Path]:
        return [p for p in output_paths(args, image, several) if p is not None]

    plans = plan_outputs(inputs, targets, preview_name)
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
        shown = ", ".join(map(str, existing))
        print(f"{label}: skipped: {shown} exist (--overwrite replaces them)", flush=True)
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
        for warning in (figure_warning(result.skeleton), crop_warning(result.mask.mask)):
            if warning:
                print(f"warning: {label}: {warning}", file=sys.stderr, flush=True)
        if args.show:
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
