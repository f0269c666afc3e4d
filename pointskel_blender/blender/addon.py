"""Blender registration of everything: properties, preferences, operators, panels, CLI command.

Imported only when Blender calls `register()`, so `pointskel_blender` itself stays importable
without `bpy` for the core and the command line tool.
"""
from __future__ import annotations

import bpy

from ..cli import batch
from . import ik_fk, jobs, operators, panels, preferences, properties

CLASSES = (*properties.CLASSES, *preferences.CLASSES, *operators.CLASSES, *ik_fk.CLASSES, *panels.CLASSES)
CLI_COMMAND = "pointskel"

_cli_handle = None


def cli_command(argv: list[str]) -> int:
    """`blender -c pointskel ARGS`: the batch job, same as scripts/batch.py; `--jobs` workers are
    started the same way."""
    binary = bpy.app.binary_path
    return batch.main(argv, worker_command=[binary, "-c", CLI_COMMAND] if binary else None)


def register() -> None:
    global _cli_handle
    done = []
    try:
        for cls in CLASSES:
            bpy.utils.register_class(cls)
            done.append(cls)
        bpy.types.Scene.pointskel = bpy.props.PointerProperty(type=properties.PointSkelSettings)
        _cli_handle = bpy.utils.register_cli_command(CLI_COMMAND, cli_command)
    except Exception:
        if hasattr(bpy.types.Scene, "pointskel"):
            del bpy.types.Scene.pointskel
        for cls in reversed(done):
            bpy.utils.unregister_class(cls)
        raise


def unregister() -> None:
    global _cli_handle
    jobs.stop_all()
    jobs.CACHE.clear()
    if _cli_handle is not None:
        bpy.utils.unregister_cli_command(_cli_handle)
        _cli_handle = None
    del bpy.types.Scene.pointskel
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
