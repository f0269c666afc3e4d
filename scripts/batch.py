#!/usr/bin/env python3
"""PointSkel batch job launcher: images in, .blend/.glb/.fbx/.json rigs out, no UI.

    blender -b --python scripts/batch.py -- --input "shots/*.png" --output out/ [--format blend,glb,fbx,json]
    python scripts/batch.py --input img.png --output out/            # a Python with the bpy module

It uses an installed, enabled PointSkel extension if there is one; otherwise it enables the add-on
from the source tree beside this script through an extension repository (a folder in the temporary
directory holding a link to the source, one per source tree, reused by every run and worker), so
the code runs exactly as Blender loads an extension (package `bl_ext.<repo>.pointskel`). The job
itself is `pointskel_blender/cli/batch.py` (`main(argv, worker_command)`), shared with `blender -c pointskel`.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Iterator

SOURCE = Path(__file__).resolve().parent.parent / "pointskel_blender"
EXTENSION_ID = "pointskel"


def installed_addon() -> str | None:
    """The module name of an enabled PointSkel extension, from any repository."""
    import bpy

    return next((name for name in bpy.context.preferences.addons.keys()
                 if name.startswith("bl_ext.") and name.rsplit(".", 1)[-1] == EXTENSION_ID), None)


def repo_folder(source: Path = SOURCE) -> Path:
    """One extension repository folder per user and source tree, reused by every run: concurrent
    runs and `--jobs` workers share it, and a killed run leaves nothing new behind."""
    tag = hashlib.sha1(f"{getattr(os, 'getuid', lambda: '')()}:{source}".encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"pointskel-repo-{tag}"


def _link_source(folder: Path, source: Path) -> bool:
    """Point `folder/pointskel` at `source` (atomically, so concurrent runs agree); False if this
    system cannot make symbolic links."""
    link = folder / EXTENSION_ID
    if link.is_symlink() and Path(os.readlink(link)) == source:
        return True
    folder.mkdir(parents=True, exist_ok=True)
    staged = folder / f".{EXTENSION_ID}-{os.getpid()}"
    try:
        staged.unlink(missing_ok=True)
        os.symlink(source, staged, target_is_directory=True)
    except OSError:  # no symlinks (e.g. Windows without developer mode)
        return False
    os.replace(staged, link)
    return True


@contextlib.contextmanager
def source_addon(source: Path = SOURCE) -> Iterator[str]:
    """Enable the add-on from `source` via an extension repository; the repository is removed from
    Blender's preferences on exit."""
    import addon_utils
    import bpy

    folder = repo_folder(source)
    copied = None
    if not _link_source(folder, source):  # a private copy instead, removed on exit
        folder = copied = Path(tempfile.mkdtemp(prefix="pointskel-copy-"))
        shutil.copytree(source, folder / EXTENSION_ID, ignore=shutil.ignore_patterns("__pycache__"))
    repos = bpy.context.preferences.extensions.repos
    taken = {r.module for r in repos}
    # A stable name keeps the extension's user folder (downloaded models) the same from run to run.
    module_name = next(name for name in (f"pointskel_source{n or ''}" for n in range(100))
                       if name not in taken)
    repo = repos.new(name="PointSkel source", module=module_name, custom_directory=str(folder), source="USER")
    module = f"bl_ext.{repo.module}.{EXTENSION_ID}"
    errors: list[BaseException] = []
    try:
        if addon_utils.enable(module, default_set=True, handle_error=errors.append) is None:
            raise RuntimeError(
                f"cannot enable the PointSkel add-on from {source}: {errors[0] if errors else '?'}"
            )
        yield module
    finally:
        repos.remove(repo)  # disables the add-on it holds
        if copied is not None:
            shutil.rmtree(copied, ignore_errors=True)


def batch_args(argv: list[str]) -> list[str]:
    """Blender passes everything; the job's arguments follow `--`. Plain Python passes only them."""
    return argv[argv.index("--") + 1:] if "--" in argv else argv[1:]


def main(argv: list[str]) -> int:
    try:
        import bpy  # noqa: F401
    except ImportError:
        print("scripts/batch.py needs Blender (blender -b --python ...) or a Python with the bpy module",
              file=sys.stderr)
        return 2
    installed = installed_addon()
    with (contextlib.nullcontext(installed) if installed else source_addon()) as module:
        return importlib.import_module(f"{module}.cli.batch").main(batch_args(argv), worker_command())


def worker_command() -> list[str]:
    """How `--jobs` starts this script again: Blender in the background, or this Python."""
    import bpy

    script = str(Path(__file__).resolve())
    binary = bpy.app.binary_path
    return [binary, "-b", "--python", script, "--"] if binary else [sys.executable, script]


def exit_process(code: int) -> None:
    """Exit with `code`. The bpy 4.2 *module* (not Blender itself) can crash at interpreter exit
    after a glTF export (its static SpaceType destructors free Python classes after Python is
    gone), which would turn the batch's exit code into a segfault; so it leaves without them."""
    import bpy

    if not bpy.app.binary_path and bpy.app.version < (5, 0, 0):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    exit_process(main(sys.argv))
