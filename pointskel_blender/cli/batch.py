"""The headless batch job: many images in, one rig file set per image out.

Shared by `scripts/batch.py` (`blender -b --python scripts/batch.py -- ...` or plain Python with
the `bpy` module) and the extension's command line command (`blender -c pointskel ...`). Each
image is built in a clean scene with the same scene builder the operator uses. A bad image is
reported and counted, and the others are still processed; the exit code is non-zero if any failed.
Outputs appear atomically, each checked to be whole first, and an existing file is never replaced
without `--overwrite`, so a run that was stopped resumes where it was by running it again.
`--jobs N` runs N worker processes; `--shard K/N` takes one of N disjoint parts (one per machine).
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import bpy

from ..blender import controls, preferences, scene_build
from .arguments import collecting, settings_for
from ..core.errors import OutputError, PointSkelError, naming
from ..core.files import WRITE_ERRNOS, check_writable, finish, output_error, publish
from ..core.inputs import Planned, expand_inputs, in_shard, parse_shard, plan_outputs
from ..core.pipeline import run_pipeline
from ..core.preview import render_preview
from ..core.settings import (
    BUILD_SETTINGS,
    JOBS,
    OVERWRITE,
    SHARD,
    BuildOptions,
    PipelineSettings,
    add_setting_arguments,
    values_from_args,
)
from .workers import WORKER_FLAG, report_line, run_workers, tasks

FORMATS = ("blend", "glb", "fbx", "json", "png")  # png: the overlay preview, <name>_preview.png
DEFAULT_FORMATS = "blend,glb,json"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(PointSkelError):
    """The command line itself is wrong: nothing was processed."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # raise instead of exiting the whole Blender process
        raise UsageError(f"{self.prog}: {message}")


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"formats must be some of {','.join(FORMATS)}, got {text!r}")
    return chosen


def _shard(text: str) -> tuple[int, int]:
    try:
        return parse_shard(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pointskel", description="Image -> armature for many images, headless.")
    parser.add_argument("--input", "-i", nargs="+", action="extend", required=True, metavar="PATH_OR_GLOB",
                        help="image files or glob patterns (quote globs so Blender's shell passes them on)")
    parser.add_argument("--output", "-o", required=True, type=Path, metavar="DIR", help="output folder")
    parser.add_argument("--format", type=_formats, default=_formats(DEFAULT_FORMATS),
                        help=f"comma-separated outputs among {','.join(FORMATS)} (default {DEFAULT_FORMATS})")
    add_setting_arguments(parser, (OVERWRITE,))
    add_setting_arguments(parser)
    add_setting_arguments(parser, BUILD_SETTINGS.values())
    add_setting_arguments(parser, (JOBS, SHARD))
    parser.add_argument(WORKER_FLAG, action="store_true", help=argparse.SUPPRESS)
    return parser


def output_name(image: Path, fmt: str) -> str:
    """The preview never takes the input's own name, even when the output folder is the input's."""
    return f"{image.stem}_preview.png" if fmt == "png" else f"{image.stem}.{fmt}"


@dataclass(frozen=True)
class _Job:
    settings: PipelineSettings
    options: BuildOptions
    formats: tuple[str, ...]
    output: Path
    overwrite: bool


def _clean_scene() -> None:
    bpy.ops.wm.read_homefile(use_empty=True)


def _select_only(objects) -> None:
    for obj in bpy.context.view_layer.objects:
        obj.select_set(obj in objects)


def _preview_name(image: Path) -> str:
    return output_name(image, "png")


def _write(fmt: str, path: Path, result, built: scene_build.BuiltRig) -> None:
    """Write one format; a Blender exporter's file-system failure becomes one OutputError line."""
    try:
        _export(fmt, path, result, built)
    except RuntimeError as exc:  # an operator's error: its text may hold the exporter's traceback
        reason = next((os.strerror(code) for code in WRITE_ERRNOS if os.strerror(code) in str(exc)), None)
        if reason is None and fmt == "blend":
            # Blender 4.2 reports a save cut short by the file system as its temporary file gone missing
            reason = f"Blender's save failed: {str(exc).strip().splitlines()[-1].removeprefix('Error: ')}"
        if reason is None:
            raise
        print(flush=True)  # Blender's own report of it may end without a newline: start the next line clean
        raise OutputError(f"{path}: cannot write ({reason})") from None


def _export(fmt: str, path: Path, result, built: scene_build.BuiltRig) -> None:
    rig = [o for o in (controls.deforming_rig(built.armature), built.mesh) if o is not None]
    if fmt == "json":
        result.skeleton.save(path)
    elif fmt == "png":
        render_preview(result).save(path, format="PNG")
    elif fmt == "blend":
        for image in bpy.data.images:
            if image.source == "FILE" and image.packed_file is None and image.filepath:
                image.pack()
        bpy.ops.wm.save_as_mainfile(filepath=str(path), copy=True, check_existing=False)
    elif fmt == "glb":
        _select_only(rig)
        bpy.ops.export_scene.gltf(filepath=str(path), export_format="GLB", use_selection=True,
                                  export_skins=True, export_animations=False, export_def_bones=True)
    elif fmt == "fbx":
        _select_only(rig)
        bpy.ops.export_scene.fbx(filepath=str(path), use_selection=True, object_types={"ARMATURE", "MESH"},
                                 add_leaf_bones=False, bake_anim=False, use_armature_deform_only=True)


def _staging_prefix() -> str:
    """Staging folders name their host and process, so a later run can tell a dead run's from a
    live one's (a farm's machines share the output folder)."""
    return f".pointskel-{socket.gethostname()}-{os.getpid()}-"


def remove_stale_staging(output: Path) -> list[str]:
    """Remove staging folders that runs on this host left when they were killed; names removed."""
    host = f".pointskel-{socket.gethostname()}-"
    removed = []
    for entry in output.glob(".pointskel-*") if output.is_dir() else []:
        pid_text = entry.name[len(host):].split("-", 1)[0] if entry.name.startswith(host) else ""
        if entry.is_dir() and pid_text.isdigit() and not _alive(int(pid_text)):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _process(path: Path, job: _Job) -> tuple[str, list[str]]:
    """Run and write one image; returns a one-line summary and the files written."""
    targets = {fmt: job.output / output_name(path, fmt) for fmt in job.formats}
    pending = {fmt: t for fmt, t in targets.items() if job.overwrite or not t.exists()}
    kept = [t.name for fmt, t in targets.items() if fmt not in pending]
    if not pending:
        return f"skipped: {', '.join(kept)} exist (--overwrite replaces them)", []
    start = time.perf_counter()
    result = run_pipeline(path, job.settings, model_dirs=preferences.model_dirs())
    _clean_scene()
    built = scene_build.build_rig(bpy.context, result, path.stem, job.options, texture=path.resolve())
    written: list[str] = []
    with tempfile.TemporaryDirectory(prefix=_staging_prefix(), dir=job.output) as staging:
        for fmt, target in pending.items():
            staged = Path(staging) / target.name
            try:
                _write(fmt, staged, result, built)
                finish(staged, fmt)
                published = publish(staged, target, overwrite=job.overwrite)
            except OSError as exc:
                raise output_error(target, exc) from None
            except OutputError as exc:
                raise OutputError(f"{target}: {naming(staged, exc)}") from None
            (written if published else kept).append(target.name)
    summary = (f"ok: {len(result.skeleton.joints)} joints, {built.weighting or 'no mesh'}, "
               f"{time.perf_counter() - start:.1f} s -> {', '.join(written) or 'nothing new'}")
    notes = [*(f"WARNING: {w}" for w in built.warnings),
             *([f"kept existing {', '.join(kept)}"] if kept else [])]
    return summary + "".join(f"; {n}" for n in notes), written


def _stop_on_sigterm() -> None:
    """A farm manager stops a job with SIGTERM: unwind like Ctrl-C, so staging folders are removed."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _run_one(plan, job: _Job) -> tuple[str, str]:
    """(outcome, text) for one planned image: 'ok', 'skipped' or 'failed'."""
    if plan.problem is not None:
        return ("failed" if plan.fails else "skipped"), ("FAILED: " if plan.fails else "") + plan.problem
    try:
        line, _ = _process(plan.path, job)
        return ("skipped" if line.startswith("skipped") else "ok"), line
    except PointSkelError as exc:
        return "failed", f"FAILED: {naming(plan.path, exc)}"
    except Exception as exc:  # a bug or a Blender exporter error: report, keep going with the rest
        traceback.print_exc()
        return "failed", f"FAILED (internal error): {exc!r}"


def main(argv: Sequence[str], worker_command: Sequence[str] | None = None) -> int:
    """Run the batch; 0 if every image succeeded (or was skipped), 1 if any failed, 2 on bad usage.

    `worker_command` starts this same batch in a new process (what `--jobs` runs, followed by
    the arguments); without it, `--jobs` above 1 is refused."""
    try:
        args = build_parser().parse_args(list(argv))
        job = _Job(
            settings=settings_for(args, model_dirs=preferences.model_dirs()),
            options=BuildOptions(**values_from_args(args, BUILD_SETTINGS)),
            formats=args.format, output=args.output, overwrite=args.overwrite)
        args.shard = _shard(args.shard)
        if JOBS.problem(args.jobs):
            raise UsageError(JOBS.problem(args.jobs))
        if args.jobs > 1 and worker_command is None:
            raise UsageError("--jobs needs the batch started from scripts/batch.py or `blender -c pointskel`")
        check_writable(args.output)  # once, before any image: not one error per image
    except PointSkelError as exc:
        print(f"pointskel: error: {exc}", file=sys.stderr, flush=True)
        return EXIT_USAGE
    except SystemExit as exc:  # --help: argparse printed it and wants to exit
        return int(exc.code or 0)

    start = time.perf_counter()
    _stop_on_sigterm()
    if args.worker:
        return _work(job)
    _sweep(args.output)
    plans = plan_outputs(expand_inputs(args.input, collecting),
                         lambda path: [args.output / output_name(path, fmt) for fmt in args.format],
                         _preview_name)
    plans = [plan for plan in plans if in_shard(plan, args.shard)]
    if args.jobs > 1 and len(plans) > 1:
        items = [(plan.label, _task(plan)) for plan in plans]
        outcome = run_workers([*worker_command, *_without_jobs(argv), WORKER_FLAG], args.jobs, items,
                              lambda line: print(line, flush=True))
        counts, failed = outcome.counts, outcome.failed
        _sweep(args.output)  # a worker that was killed left its staging folder
    else:
        counts, failed = {"ok": 0, "failed": 0, "skipped": 0}, []
        for number, plan in enumerate(plans, 1):
            kind, text = _run_one(plan, job)
            counts[kind] += 1
            if kind == "failed":
                failed.append(plan.label)
            print(f"[{number}/{len(plans)}] {plan.label}: {text}", flush=True)
    print(_summary(len(plans), counts, failed, time.perf_counter() - start, args), flush=True)
    return EXIT_FAILED if counts["failed"] else EXIT_OK


def _sweep(output: Path) -> None:
    removed = remove_stale_staging(output)
    if removed:
        print(f"pointskel: removed {len(removed)} staging folder(s) of killed runs", flush=True)


def _task(plan: Planned) -> dict:
    """A planned image as a worker receives it (the parent has planned the whole run)."""
    return {"label": plan.label, "path": None if plan.path is None else str(plan.path),
            "problem": plan.problem, "fails": plan.fails}


def _work(job: _Job) -> int:
    """A `--jobs` worker: the images the parent hands over on stdin, one report line each."""
    failed = False
    for task in tasks(sys.stdin):
        path = None if task["path"] is None else Path(task["path"])
        plan = Planned(task["label"], path, problem=task["problem"], fails=task["fails"])
        kind, text = _run_one(plan, job)
        failed |= kind == "failed"
        print(report_line(kind, plan.label, text), flush=True)
    return EXIT_FAILED if failed else EXIT_OK


def _without_jobs(argv: Sequence[str]) -> list[str]:
    """The user's arguments for a worker: all but --jobs."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--jobs", "-j"):
            skip = True
        elif not arg.startswith(("--jobs=", "-j")):
            kept.append(arg)
    return kept


def _summary(total: int, counts: dict[str, int], failed: list[str], seconds: float, args) -> str:
    shard = f" (shard {args.shard[0]}/{args.shard[1]})" if args.shard != (1, 1) else ""
    jobs = f" with {args.jobs} jobs" if args.jobs > 1 else ""
    names = f"; failed: {', '.join(failed[:5])}{f' and {len(failed) - 5} more' if len(failed) > 5 else ''}"
    return (f"pointskel: {total} images{shard}: {counts['ok']} done, {counts['failed']} failed, "
            f"{counts['skipped']} skipped in {seconds:.1f} s{jobs}" + (names if failed else ""))
