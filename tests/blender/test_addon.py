"""Registering the add-on as Blender does, twice over, and what registration provides."""
from __future__ import annotations

import sys
from pathlib import Path

import addon_utils
import bpy
import pytest
from blender_helpers import FAST

ROOT = Path(__file__).resolve().parents[2]


def _registered(addon) -> dict[str, bool]:
    state = {cls.__name__: cls.is_registered for cls in addon.blender.addon.CLASSES}
    state["scene.pointskel"] = hasattr(bpy.types.Scene, "pointskel")
    state["image_to_skeleton"] = hasattr(bpy.types, "POINTSKEL_OT_image_to_skeleton")
    return state


def _raise(exc: BaseException) -> None:
    raise exc


def test_disable_and_enable_twice(addon):
    assert len(addon.blender.addon.CLASSES) >= 8 and all(_registered(addon).values())
    for _ in range(2):
        addon_utils.disable(addon.package)
        assert not any(_registered(addon).values()), _registered(addon)
        assert addon_utils.enable(addon.package, handle_error=_raise) is not None
        assert all(_registered(addon).values()), _registered(addon)
    assert sys.modules[addon.package].__addon_enabled__


def test_loaded_as_an_extension_package(addon):
    assert addon.package.startswith("bl_ext.") and addon.package.endswith(".pointskel")
    assert Path(sys.modules[addon.package].__file__).resolve().parent == ROOT / "pointskel_blender"
    # The preferences are found under the package name, as Blender looks them up.
    preferences = bpy.context.preferences.addons[addon.package].preferences
    assert preferences.bl_rna.identifier == "PointSkelPreferences"


def test_user_folder_is_outside_the_addon(addon):
    folder = addon.blender.preferences.user_dir("models").resolve()
    assert folder.is_dir()
    assert ROOT not in folder.parents
    assert addon.blender.preferences.model_dirs()[0] == addon.blender.preferences.user_dir("models")
    assert (addon.blender.preferences.model_dirs()[1] / "registry.json").is_file()  # the bundled models too


def test_scene_settings_default_to_the_pipeline_defaults(addon, scene):
    settings = addon.blender.properties.pipeline_settings(scene.pointskel)
    assert settings == addon.core.pipeline.PipelineSettings()


def test_cli_command_handler_is_the_batch_entry(addon, capsys):
    assert addon.blender.addon.cli_command(["--help"]) == 0
    assert "--input" in capsys.readouterr().out
    assert addon.blender.addon.cli_command(["--output", "x"]) == 2  # --input is required
    assert "--input" in capsys.readouterr().err


def test_predictor_override_from_preferences(addon, scene, stick_png, tmp_path):
    prefs = bpy.context.preferences.addons[addon.package].preferences
    missing = tmp_path / "my_predictor.onnx"
    prefs.model_path = str(missing)
    try:
        before = len(bpy.data.objects)
        with pytest.raises(RuntimeError, match="my_predictor.onnx"):
            bpy.ops.pointskel.image_to_skeleton(source="FILE", filepath=str(stick_png), **FAST)
        assert len(bpy.data.objects) == before
    finally:
        prefs.model_path = ""


def test_background_models_and_download_gate(addon):
    preferences = addon.blender.preferences
    states = {e.name: preferences.model_state(e) for e in preferences.background_models()}
    assert states["u2netp"] == "available"  # bundled
    assert set(states.values()) <= {"available", "missing"}
    assert bpy.app.online_access is False  # the bpy module starts offline
    assert not bpy.ops.pointskel.download_model.poll()
    with pytest.raises(RuntimeError, match="poll"):
        bpy.ops.pointskel.download_model(model="u2net")


def test_sidebar_properties_take_the_tables_defaults_ranges_and_items(addon):
    """Pipeline and build settings alike: name, tooltip, default, hard range and enum items."""
    rna = addon.blender.properties.PointSkelSettings.bl_rna.properties
    tables = {**addon.core.settings.SETTINGS, **addon.core.settings.BUILD_SETTINGS}
    for name in addon.blender.properties.PIPELINE_OPTIONS + addon.blender.properties.BUILD_OPTIONS:
        entry, prop = tables[name], rna[name]
        assert (prop.name, prop.description) == (entry.label, entry.help), name
        if entry.choices:
            items = [(i.identifier, i.name, i.description) for i in prop.enum_items]
            assert items == [(c.value, c.label, c.help) for c in entry.choices], name
            assert prop.default == entry.default, name
            continue
        assert prop.default == pytest.approx(entry.default), name
        if entry.kind is bool:
            continue
        if entry.minimum is not None:
            assert prop.hard_min == pytest.approx(entry.minimum), name
        if entry.maximum is not None:
            assert prop.hard_max == pytest.approx(entry.maximum), name


def test_the_auto_mask_tooltip_says_background_removal_comes_before_the_threshold(addon):
    rna = addon.blender.properties.PointSkelSettings.bl_rna
    (auto,) = [i for i in rna.properties["mask_backend"].enum_items if i.identifier == "auto"]
    assert auto.description.index("background removal") < auto.description.index("threshold")
