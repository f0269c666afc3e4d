"""The headless batch job: many images in, one rig file set per image out.

Shared by `scripts/batch.py` (`blender -b --python scripts/batch.py -- ...` or plain Python with
the `bpy` module) and the extension's command line command (`blender -c pointskel ...`). Each
image is built in a clean scene with the same scene builder the operator uses. A bad image is
reported and counted, and the others are still processed; the exit code is non-zero if any failed.
Outputs appear atomically and an existing file is never replaced without `--overwrite`.
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import bpy

from . import controls, preferences, scene_build
from .core.errors import PointSkelError
from .core.files import default_file_mode
from .cli import settings_for
from .core.pipeline import run_pipeline
from .core.preview import render_preview
from .core.settings import (
    BUILD_SETTINGS,
    BuildOptions,
    PipelineSettings,
    add_setting_arguments,
    values_from_args,
)

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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pointskel", description="Image -> armature for many images, headless.")
    parser.add_argument("--input", "-i", nargs="+", action="extend", required=True, metavar="PATH_OR_GLOB",
                        help="image files or glob patterns (quote globs so Blender's shell passes them on)")
    parser.add_argument("--output", "-o", required=True, type=Path, metavar="DIR", help="output folder")
    parser.add_argument("--format", type=_formats, default=_formats(DEFAULT_FORMATS),
                        help=f"comma-separated outputs among {','.join(FORMATS)} (default {DEFAULT_FORMATS})")
    parser.add_argument("--overwrite", action="store_true", help="replace outputs that already exist")
    add_setting_arguments(parser)
    add_setting_arguments(parser, BUILD_SETTINGS.values())
    return parser


def expand_inputs(patterns: Sequence[str]) -> list[tuple[str, Path | None]]:
    """(what the user wrote, file) pairs; a glob that matches nothing gives (pattern, None)."""
    found: list[tuple[str, Path | None]] = []
    for pattern in patterns:
        if glob.has_magic(pattern):
            matches = sorted(glob.glob(os.path.expanduser(pattern), recursive=True))
            found.extend((m, Path(m)) for m in matches if Path(m).is_file())
            if not any(Path(m).is_file() for m in matches):
                found.append((pattern, None))
        else:
            found.append((pattern, Path(pattern).expanduser()))
    return found


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


def _write(fmt: str, path: Path, result, built: scene_build.BuiltRig) -> None:
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


def _publish(staged: Path, target: Path, overwrite: bool, mode: int) -> bool:
    """Move a finished file into place; without `overwrite`, never over an existing file."""
    os.chmod(staged, mode)
    if overwrite:
        os.replace(staged, target)
        return True
    try:
        os.link(staged, target)  # fails if the target appeared meanwhile: no check-then-replace race
    except FileExistsError:
        return False
    except OSError:  # no hard links on this file system
        if target.exists():
            return False
        os.replace(staged, target)
        return True
    staged.unlink()
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
    job.output.mkdir(parents=True, exist_ok=True)
    mode = default_file_mode()
    with tempfile.TemporaryDirectory(prefix=".pointskel-", dir=job.output) as staging:
        for fmt, target in pending.items():
            staged = Path(staging) / target.name
            _write(fmt, staged, result, built)
            if _publish(staged, target, job.overwrite, mode):
                written.append(target.name)
            else:
                kept.append(target.name)
    summary = (f"ok: {len(result.skeleton.joints)} joints, {built.weighting or 'no mesh'}, "
               f"{time.perf_counter() - start:.1f} s -> {', '.join(written) or 'nothing new'}")
    notes = [*built.warnings, *([f"kept existing {', '.join(kept)}"] if kept else [])]
    return summary + "".join(f"; {n}" for n in notes), written


def main(argv: Sequence[str]) -> int:
    """Run the batch; 0 if every image succeeded (or was skipped), 1 if any failed, 2 on bad usage."""
    try:
        args = build_parser().parse_args(list(argv))
        job = _Job(
            settings=settings_for(args, model_dirs=preferences.model_dirs()),
            options=BuildOptions(**values_from_args(args, BUILD_SETTINGS)),
            formats=args.format, output=args.output, overwrite=args.overwrite)
    except PointSkelError as exc:
        print(f"pointskel: error: {exc}", file=sys.stderr, flush=True)
        return EXIT_USAGE
    except SystemExit as exc:  # --help: argparse printed it and wants to exit
        return int(exc.code or 0)

    inputs = expand_inputs(args.input)
    counts = {"ok": 0, "failed": 0, "skipped": 0}
    seen: dict[str, str] = {}
    start = time.perf_counter()
    for number, (label, path) in enumerate(inputs, 1):
        prefix = f"[{number}/{len(inputs)}] {label}:"
        try:
            if path is None:
                raise PointSkelError("no file matches this pattern")
            if path.stem in seen:
                raise PointSkelError(f"its outputs would have the same names as those of {seen[path.stem]}")
            seen[path.stem] = label
            line, _ = _process(path, job)
            counts["skipped" if line.startswith("skipped") else "ok"] += 1
            print(f"{prefix} {line}", flush=True)
        except PointSkelError as exc:
            counts["failed"] += 1
            print(f"{prefix} FAILED: {exc}", flush=True)
        except Exception as exc:  # a bug or a Blender exporter error: report, keep going with the rest
            counts["failed"] += 1
            print(f"{prefix} FAILED (internal error): {exc!r}", flush=True)
            traceback.print_exc()
    print(f"pointskel: {len(inputs)} images: {counts['ok']} done, {counts['failed']} failed, "
          f"{counts['skipped']} skipped in {time.perf_counter() - start:.1f} s", flush=True)
    return EXIT_FAILED if counts["failed"] else EXIT_OK
