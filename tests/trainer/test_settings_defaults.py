"""The trainer measures and trains at the add-on's defaults, read from the settings table."""
from __future__ import annotations

from pointskel_blender.core.settings import DEFAULT_BONE_LENGTH, PipelineSettings
from trainer import bone_length, evaluate, train
from trainer.training_data import SampleSettings


def test_trainer_defaults_are_the_tables():
    defaults = PipelineSettings()
    assert train.TrainConfig.__dataclass_fields__["voxel"].default == defaults.voxel
    config = evaluate.EvalConfig("data")
    assert (config.points, config.voxel, config.seed) == (defaults.points, defaults.voxel, defaults.seed)
    args = evaluate.build_parser().parse_args(["--data", "d"])
    assert (args.points, args.voxel, args.seed) == (defaults.points, defaults.voxel, defaults.seed)
    assert SampleSettings().points == defaults.points
    assert bone_length.VOXEL == defaults.voxel
    default_candidate = bone_length.CANDIDATES[bone_length.DEFAULT_CANDIDATE]
    assert default_candidate == DEFAULT_BONE_LENGTH == defaults.bone_length
