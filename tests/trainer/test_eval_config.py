"""The evaluation's config: every bad value fails before any work, in one line; method specs reach the
pipeline's settings."""

from __future__ import annotations

import pytest

from pointskel_blender.core.errors import PointSkelError
from trainer.eval_config import EvalConfig, method_base, method_settings, needs_model
from trainer.evaluate import build_parser, config_from_args


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"methods": ("learned",)}, "needs a model"),
        ({"methods": ("learned:naming=generic",)}, "needs a model"),
        ({"methods": ("geometric", "rembg")}, "methods must be"),
        ({"methods": ()}, "methods must be"),
        ({"methods": ("geometric", "geometric")}, "methods must be"),
        ({"views": ("top",)}, "unknown view"),
        ({"views": ()}, "at least one view"),
        ({"tolerance": 5.0}, "tolerance"),
        ({"margin": 0.5}, "margin"),
        ({"margin": -0.1}, "margin"),
        ({"limit": 0}, "limit"),
        ({"resolution": 16}, "working resolution"),
        ({"points": 10}, "points"),
        ({"methods": ("geometric:mask_backend=rembg",)}, "is not SETTING=VALUE"),  # the evaluation's own
        ({"methods": ("geometric:model_path=x.onnx",)}, "is not SETTING=VALUE"),
        ({"methods": ("geometric:no_such_setting=1",)}, "is not SETTING=VALUE"),
        ({"methods": ("geometric:tail_bones",)}, "is not SETTING=VALUE"),
        ({"methods": ("geometric:tail_bones=two",)}, "tail_bones takes int values"),
        ({"methods": ("geometric:auto_bone_length=maybe",)}, "auto_bone_length takes bool values"),
        ({"methods": ("geometric:tail_bones=1:tail_bones=2",)}, "sets tail_bones twice"),
        ({"methods": ("geometric:tail_bones=99",)}, "tail bones"),  # the settings table's range
        ({"methods": ("geometric:naming=klingon",)}, "naming"),  # and its choices
    ],
)
def test_a_bad_config_fails_early_in_one_line(kw: dict, message: str) -> None:
    with pytest.raises(PointSkelError, match=message) as caught:
        EvalConfig("data", split=None, **kw)
    assert "\n" not in str(caught.value)


def test_fields_after_the_dataset_are_keywords_only() -> None:
    with pytest.raises(TypeError):
        EvalConfig("data", "test")  # the old 14-positional-argument call


def test_a_method_spec_sets_pipeline_settings_beside_the_fixed_ones() -> None:
    spec = "geometric:tail_bones=2:auto_bone_length=off:body_plan=generic"
    config = EvalConfig("data", methods=("geometric", spec), resolution=200, points=512, voxel=0.03)
    plain, varied = config.settings("geometric"), config.settings(spec)
    assert (varied.tail_bones, varied.auto_bone_length, varied.body_plan) == (2, False, "generic")
    assert (plain.tail_bones, plain.auto_bone_length, plain.body_plan) == (0, True, "auto")
    for settings in (plain, varied):
        assert (settings.mask_backend, settings.work_size, settings.predictor) == ("alpha", 200, "geometric")
        assert (settings.points, settings.voxel, settings.model_path) == (512, 0.03, None)
    assert config.settings("geometric:voxel=0.05").voxel == 0.05  # a spec may also vary the shared ones


def test_a_learned_spec_runs_the_configs_model() -> None:
    config = EvalConfig("data", methods=("learned", "learned:naming=generic"), model="m.onnx")
    varied = config.settings("learned:naming=generic")
    assert (varied.predictor, varied.model_path, varied.naming) == ("onnx", "m.onnx", "generic")
    assert config.settings("skeletonize").model_path is None


def test_method_specs_are_read_by_the_settings_table() -> None:
    assert method_base("skeletonize:naming=generic") == "skeletonize" and method_base("learned") == "learned"
    assert method_settings("learned") == {}
    both = {"step": 0.5, "keep_all_objects": True}
    assert method_settings("learned:step=0.5:keep_all_objects=true") == both
    assert needs_model(["geometric", "learned:tail_bones=3"]) and not needs_model(["geometric"])


def test_the_command_line_builds_the_config_with_its_defaults_and_every_flag() -> None:
    parse = build_parser().parse_args
    assert config_from_args(parse(["--data", "d", "--methods", "geometric,skeletonize"])) == EvalConfig("d")
    flags = ["--split", "all", "--methods", "geometric:tail_bones=2", "--views", "front,30",
             "--resolution", "128", "--margin", "0.1", "--tolerance", "0.1", "--points", "512",
             "--voxel", "0.03", "--seed", "4", "--limit", "3", "--mesh-dir", "m", "--rig-dir", "r"]
    assert config_from_args(parse(["--data", "d", *flags])) == EvalConfig(
        "d", split=None, methods=("geometric:tail_bones=2",), views=("front", "30"), resolution=128,
        margin=0.1, tolerance=0.1, points=512, voxel=0.03, seed=4, limit=3, mesh_dir="m", rig_dir="r",
    )
    learned = parse(["--data", "d", "--model", "x.onnx", "--methods", "learned:naming=generic,geometric"])
    assert config_from_args(learned).model == "x.onnx"
    plain = parse(["--data", "d", "--model", "x.onnx", "--methods", "geometric"])
    assert config_from_args(plain).model is None
