"""The settings table: validation from each entry's range and choices, one command line for all front ends."""
from __future__ import annotations

import inspect

import numpy as np
import pytest
from settings_checks import assert_parser_follows_the_table

from pointskel_blender.cli import run, viewer
from pointskel_blender.core import figure, lift, mask, topology
from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.settings import (
    DEFAULT_BONE_LENGTH,
    DEFAULT_VOXEL,
    MASK_BACKENDS,
    SETTINGS,
    PipelineSettings,
    settings_from_args,
)


@pytest.mark.parametrize("parser", [run.build_parser, viewer.build_parser], ids=["cli", "viewer"])
def test_command_lines_spell_and_default_every_setting_as_the_table(parser):
    assert_parser_follows_the_table(parser(), ["image.png"])


def test_the_table_is_the_settings_dataclass():
    assert list(SETTINGS) == list(PipelineSettings.__dataclass_fields__)
    assert {name: entry.default for name, entry in SETTINGS.items()} == vars(PipelineSettings())


RANGED = [name for name, e in SETTINGS.items() if e.minimum is not None or e.maximum is not None]


@pytest.mark.parametrize("name", RANGED)
def test_each_range_is_enforced_at_its_ends(name):
    entry = SETTINGS[name]
    nudge = 1 if entry.kind is int else 1e-9
    if entry.minimum is not None:
        if entry.min_exclusive:
            with pytest.raises(PointSkelError, match=entry.label.lower()):
                PipelineSettings(**{name: entry.kind(entry.minimum)})
        else:
            assert getattr(PipelineSettings(**{name: entry.kind(entry.minimum)}), name) == entry.minimum
        with pytest.raises(PointSkelError, match=entry.label.lower()):
            PipelineSettings(**{name: entry.kind(entry.minimum) - nudge})
    if entry.maximum is not None:
        assert getattr(PipelineSettings(**{name: entry.kind(entry.maximum)}), name) == entry.maximum
        with pytest.raises(PointSkelError, match=entry.label.lower()):
            PipelineSettings(**{name: entry.kind(entry.maximum) + nudge})


@pytest.mark.parametrize("name", [n for n, e in SETTINGS.items() if e.choices])
def test_each_choice_list_is_enforced(name):
    for value in SETTINGS[name].values:
        assert getattr(PipelineSettings(**{name: value}), name) == value
    with pytest.raises(PointSkelError, match=", ".join(SETTINGS[name].values)):
        PipelineSettings(**{name: "nonsense"})


def test_an_out_of_range_value_names_the_flag_to_change():
    with pytest.raises(PointSkelError, match=r"detail \(--voxel\) must be in \[0.002, 0.2\], got 0.5"):
        PipelineSettings(voxel=0.5)


def test_old_flag_spellings_parse_to_the_same_settings():
    parser = run.build_parser()
    old = parser.parse_args(["a.png", "--mask", "alpha", "--keep-all", "--bone-length", "0.1"])
    new = parser.parse_args(["a.png", "--mask-backend", "alpha", "--keep-all-objects", "--bone-length", ".1"])
    assert settings_from_args(old) == settings_from_args(new)
    assert settings_from_args(new) == PipelineSettings(
        mask_backend="alpha", keep_all_objects=True, bone_length=0.1, auto_bone_length=False
    )


def test_the_core_stages_default_to_the_table():
    split = topology.TreeSettings().max_bone_voxels * DEFAULT_VOXEL
    assert split == DEFAULT_BONE_LENGTH == PipelineSettings.bone_length
    assert inspect.signature(topology.BoneGraph).parameters["voxel"].default == PipelineSettings.voxel
    assert inspect.signature(topology.build_tree).parameters["voxel"].default == PipelineSettings.voxel
    assert figure.FIGURE_VOXEL == PipelineSettings.voxel
    lifted = inspect.signature(lift.lift).parameters
    assert lifted["points"].default == PipelineSettings.points
    assert lifted["seed"].default == PipelineSettings.seed
    masked = inspect.signature(mask.compute_mask).parameters
    assert masked["work_size"].default == PipelineSettings.work_size
    assert masked["rembg_model"].default == PipelineSettings.rembg_model


def test_the_mask_stage_rejects_what_the_table_does_not_list():
    image = image_from_array(np.zeros((8, 8, 4), np.uint8), source="blank.png")
    with pytest.raises(PointSkelError, match=", ".join(MASK_BACKENDS)):
        mask.compute_mask(image, backend="magic")
