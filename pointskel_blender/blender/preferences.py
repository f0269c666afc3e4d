"""Add-on preferences: model overrides, the background-removal model, and model downloads.

Downloaded models and caches live in the extension's user folder (never inside the add-on's own
folder, which is read-only once installed); downloading is only offered while Blender's
"Allow Online Access" is on.
"""
from __future__ import annotations

from pathlib import Path

import bpy
from bpy.props import EnumProperty, StringProperty

from ..core import model_store

ADDON_ID = __package__.rpartition(".")[0]  # the add-on (`bl_ext.<repo>.pointskel`), this layer's parent
ONLINE_OFF = "Online access is off (Preferences > System > Network > Allow Online Access)"


def user_dir(*parts: str) -> Path:
    """A folder of the extension's user directory; the CLI's cache when not loaded as an extension."""
    try:
        base = Path(bpy.utils.extension_path_user(ADDON_ID, create=True))
    except ValueError:
        base = model_store.user_model_dir().parent
    folder = base.joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def model_dirs() -> list[Path]:
    """Where background models are searched: downloads first, then the bundled ones.

    The bundled folder is listed too, since the core takes these folders instead of its defaults.
    """
    return [user_dir("models"), model_store.bundled_dir()]


def background_models() -> list[model_store.ModelEntry]:
    return [entry for entry in model_store.load_registry().values() if entry.kind == "background"]


_model_items: list[tuple[str, str, str]] = []  # Blender keeps only pointers to these strings


def _rembg_items(self, context):
    _model_items[:] = [(e.name, e.name, e.description) for e in background_models()]
    return _model_items


def model_state(entry: model_store.ModelEntry) -> str:
    """'available' (bundled or downloaded and verified), 'missing', or the damage found."""
    try:
        found = model_store.find_model(entry.name, model_dirs())
    except model_store.ModelError as exc:
        return str(exc)
    return "available" if found is not None else "missing"


class PointSkelPreferences(bpy.types.AddonPreferences):
    bl_idname = ADDON_ID

    model_path: StringProperty(
        name="Predictor Model",
        subtype="FILE_PATH",
        description="An ONNX offset-predictor model to use instead of the shipped one (empty: shipped)",
    )
    rembg_model: EnumProperty(
        name="Background Model",
        items=_rembg_items,
        description="Model used by the 'Background removal' mask",
    )

    def draw(self, context) -> None:
        layout = self.layout
        layout.prop(self, "model_path")
        layout.prop(self, "rembg_model")
        box = layout.box()
        box.label(text="Background-removal models")
        online = bpy.app.online_access
        for entry in background_models():
            row = box.row()
            row.label(text=f"{entry.name} ({entry.size / 1e6:.0f} MB)")
            state = model_state(entry)
            if state == "available" or entry.bundled:
                row.label(text="bundled" if entry.bundled else "downloaded", icon="CHECKMARK")
                continue
            button = row.row()
            button.enabled = online
            button.operator("pointskel.download_model", text="Download", icon="IMPORT").model = entry.name
            if state != "missing":
                box.label(text=state, icon="ERROR")
        if not online:
            box.label(text=ONLINE_OFF, icon="INFO")
        layout.label(text=f"Downloads and caches: {user_dir()}")


def get(context) -> PointSkelPreferences | None:
    """This add-on's preferences, or None when it is not enabled as an add-on."""
    addon = context.preferences.addons.get(ADDON_ID)
    return addon.preferences if addon is not None else None


CLASSES = (PointSkelPreferences,)
