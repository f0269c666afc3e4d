"""PointSkel: one reference image in, a rig an animator can use out.

This package is both the Blender extension and a plain Python library. Importing it never imports
`bpy`: `register()`/`unregister()` load the Blender layer only when Blender calls them, so the core
(`pointskel_blender.core`) and the CLI (`python -m pointskel_blender`) run without Blender.
"""
from __future__ import annotations

from .version import __version__

__all__ = ["__version__", "register", "unregister"]


def register() -> None:
    from .blender import addon

    addon.register()


def unregister() -> None:
    from .blender import addon

    addon.unregister()
