"""The part head: labels from the truth rigs, training on frozen features, and its reading reaching
the anatomy stage through the exported model and the pipeline."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from tiny_training import TINY_MODEL, TINY_SAMPLES, make_dataset

from anatomy_figures import humanoid_tpose, rgba
from pointskel_blender.core.contract import SHIPPED_MODEL, make_predictor
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.learned_parts import read_parts
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from trainer.bone_length import CANDIDATES
from pointskel_blender.core.contract.geometric import GeometricPredictor
from pointskel_blender.core.errors import PointSkelError
from trainer.checkpoint import load_checkpoint
from trainer.export import export_model, sample_shape
from trainer.model import ConfigError, ModelConfig, PointNetOffsetPredictor, run_grouped
from trainer.onnx_weights import model_from_onnx
from trainer.part_head import (load_base, main, network_description, part_weights, train_part_head,
                                with_part_head, without_part_head)
from trainer.part_labels import (IGNORE, PART_CLASSES, PLAN_CLASSES, bone_classes, cache_labels, plan_class,
                                 point_parts)
from trainer.samples import load_sample_cache
from trainer.training_data import ensure_cache

NAMES = ("hips", "spine", "neck", "head", "head_end", "upper_arm.L", "forearm.L", "hand.L", "hand_end.L",
         "index.L")
PARENTS = np.array([-1, 0, 1, 2, 3, 1, 5, 6, 7, 7])


def test_a_bone_belongs_to_the_joint_it_starts_at_and_a_point_to_its_nearest_bone() -> None:
    classes = bone_classes(NAMES, PARENTS, "biped")
    by_child = dict(zip(NAMES[1:], (PART_CLASSES[c] if c != IGNORE else "" for c in classes)))
    assert by_child["neck"] == "spine" and by_child["head"] == "neck" and by_child["head_end"] == "head"
    assert by_child["forearm.L"] == "arm" and by_child["hand_end.L"] == "arm"
    assert by_child["index.L"] == "arm"  # a finger's own part is unknown: the hand it starts at tells
    # a tree's or an object's joints tell no part: nothing to learn there
    assert (bone_classes(NAMES, PARENTS, "tree") == IGNORE).all()
    segments = np.array([[[0, 0], [0, 1]], [[0, 1], [1, 1]]], dtype=np.float32)
    points = np.array([[0.05, 0.3, 0.2], [0.6, 1.02, -0.1], [0.0, 0.98, 0.0]], dtype=np.float32)
    assert point_parts(points, segments, np.array([2, 3], np.int8)).tolist() == [2, 3, 2]


@pytest.fixture(scope="module")
def data_and_caches(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    data = make_dataset(tmp_path_factory.mktemp("data"), count=10)
    folder = tmp_path_factory.mktemp("cache")
    return data, {s: ensure_cache(data, s, TINY_SAMPLES, folder, workers=1, progress=False)
                  for s in ("train", "val")}


def test_cache_labels_cover_every_cached_bone_and_sample(data_and_caches) -> None:
    data, caches = data_and_caches
    cache = load_sample_cache(caches["train"])
    labels = cache_labels(cache, data)
    assert labels.bones.shape == (len(cache.segments),) and labels.plans.shape == (len(cache),)
    assert (labels.bones != IGNORE).any() and set(labels.plans.tolist()) <= set(range(len(PLAN_CLASSES)))


def test_the_head_learns_on_frozen_features_and_changes_no_other_output(data_and_caches) -> None:
    data, caches = data_and_caches
    train = load_sample_cache(caches["train"])
    torch.manual_seed(0)
    base = PointNetOffsetPredictor(TINY_MODEL).eval()
    labelled = (train, cache_labels(train, data))
    model, history = train_part_head(base, [labelled], [labelled], minutes=5, epochs=6, batch_size=4, lr=1e-2,
                                     val_samples=8, progress=False)
    before = base.state_dict()
    for name, weight in model.state_dict().items():
        if not name.startswith("parts."):
            assert torch.equal(weight, before[name]), name
    assert history[-1]["part_accuracy"] > history[0]["part_accuracy"] + 0.1  # it learned (on its own clouds)
    cloud = torch.rand(2, TINY_MODEL.expected_points, 3) - 0.5
    hint = -cloud
    parts, plans = model.parts_and_plan(cloud, hint)
    assert parts.shape == (2, TINY_MODEL.expected_points, len(PART_CLASSES)) and plans.shape == (2, 7)
    assert torch.equal(model.run(cloud, hint)[0], base.run(cloud, hint)[0])


def test_part_config_is_checked() -> None:
    with pytest.raises(ConfigError, match="parts"):
        ModelConfig(parts=("arm", "wheel"), body_plans=PLAN_CLASSES)
    with pytest.raises(ConfigError, match="together"):
        ModelConfig(parts=PART_CLASSES)
    config = replace(TINY_MODEL, parts=PART_CLASSES, body_plans=PLAN_CLASSES)
    assert ModelConfig.from_dict(config.to_dict()) == config


def test_the_shipped_model_comes_back_from_its_onnx_file_exactly() -> None:
    """What lets a part head train on the shipped network's features: its weights, read back."""
    model = model_from_onnx(SHIPPED_MODEL)
    predictor = make_predictor("onnx", SHIPPED_MODEL)
    shape = sample_shape()
    found = predictor.predict_all(shape.points, shape)
    geometric = torch.tensor(GeometricPredictor().predict(shape.points, shape))[None]
    wanted = run_grouped(model, torch.tensor(shape.points)[None], geometric, seed=predictor.seed).points[0]
    assert np.abs(wanted[:, 3].sigmoid().numpy() - found.joint_scores).max() < 1e-5
    assert np.abs(wanted[:, :3].numpy() - found.offsets).max() < 1e-5


def _shipped_network_without_head() -> PointNetOffsetPredictor:
    """The shipped network as the stop-11 file had it: every weight but the part head's."""
    return without_part_head(model_from_onnx(SHIPPED_MODEL))


def _forced_head(plan: str, part_weights: dict[str, float]) -> PointNetOffsetPredictor:
    """The shipped network with a part head that says `plan` and `part_weights` whatever it sees."""
    model = with_part_head(_shipped_network_without_head())
    with torch.no_grad():
        for layer in (model.parts.out, model.parts.plan[2]):
            layer.weight.zero_()
        model.parts.out.bias.copy_(torch.tensor([np.log(part_weights.get(p, 1e-4)) for p in PART_CLASSES]))
        model.parts.plan[2].bias.copy_(torch.tensor([8.0 if p == plan else 0.0 for p in PLAN_CLASSES]))
    return model.eval()


@pytest.mark.slow
def test_learned_labels_reach_the_anatomy_stage_and_change_what_rules_alone_read(tmp_path) -> None:
    """A drawn T-pose the rules read as a biped; a part head sure it is a quadruped's legs and
    spine must turn it into a quadruped. A format-1 model (no part head, as the stop-11 file) still
    loads and gets the rules' reading."""
    figure = humanoid_tpose()
    image = image_from_array(rgba(figure.mask), source="tpose.png")
    old = tmp_path / "format1.onnx"
    export_model(_shipped_network_without_head(), old, description="no part head")
    assert make_predictor("onnx", old).metadata["pointskel.format_version"] == "1"
    rules = run_pipeline(image, PipelineSettings(predictor="onnx", model_path=str(old)))
    assert read_parts(make_predictor("onnx", old), rules.shape, rules.contraction.points) is None
    assert rules.anatomy.anatomy.body_plan == "biped"
    path = tmp_path / "quadruped_head.onnx"
    export_model(_forced_head("quadruped", {"front_leg": 0.4, "hind_leg": 0.4, "spine": 0.2}), path,
                 description="always a quadruped")
    predictor = make_predictor("onnx", path)
    learned = read_parts(predictor, rules.shape, rules.contraction.points)
    assert learned.best_plan()[0] == "quadruped" and learned.probabilities.shape[0] == len(rules.shape.points)
    result = run_pipeline(image, PipelineSettings(predictor="onnx", model_path=str(path)))
    assert result.anatomy.anatomy.body_plan == "quadruped"
    assert {"front_leg", "hind_leg"} <= set(result.anatomy.parts)
    assert len(result.tree) == len(rules.tree)  # the frozen network: the same tree, only the reading differs
    forced = run_pipeline(image, PipelineSettings(predictor="onnx", model_path=str(path), body_plan="biped"))
    assert forced.anatomy.anatomy.body_plan == "biped"  # a plan the user set is never overridden


def test_the_shipped_model_has_a_part_head_on_the_stop_11_network() -> None:
    predictor = make_predictor("onnx", SHIPPED_MODEL)
    assert predictor.parts == PART_CLASSES and predictor.body_plans == PLAN_CLASSES
    assert predictor.metadata["pointskel.format_version"] == "2"
    with pytest.raises(PointSkelError, match="already has a part head"):
        with_part_head(model_from_onnx(SHIPPED_MODEL))


def test_artists_figures_are_labelled_as_the_biped_and_quadruped_they_are() -> None:
    """The training data's artists' figures (`trainer.characters.artist`) file their own template names."""
    names = ("root", "spine_01", "chest", "neck_01", "head", "front_shoulder.L", "front_elbow.L",
             "hind_hip.L", "hind_knee.L", "tail_01")
    parents = np.array([-1, 0, 1, 2, 3, 2, 5, 0, 7, 0])
    classes = bone_classes(names, parents, "artist_quadruped")
    by_child = dict(zip(names[1:], (PART_CLASSES[c] for c in classes)))
    assert by_child["front_elbow.L"] == "front_leg" and by_child["hind_knee.L"] == "hind_leg"
    assert PLAN_CLASSES[plan_class("artist_quadruped")] == "quadruped"
    assert PLAN_CLASSES[plan_class("artist_biped")] == "biped"
    assert PLAN_CLASSES[plan_class("tree")] == "generic"


def test_a_snake_templates_fish_is_a_fish_whose_tail_stays_a_tail() -> None:
    """The plan the head learns lets the anatomy stage try its fish layout; the parts stay the scored ones."""
    names = ("root", "spine_01", "head", "tail_01", "tail_02", "pectoral_fin.L")
    parents = np.array([-1, 0, 1, 0, 3, 1])
    assert PLAN_CLASSES[plan_class("snake", names)] == "fish"
    assert PLAN_CLASSES[plan_class("snake", names[:5])] == "serpent"
    parts = [PART_CLASSES[c] for c in bone_classes(names, parents, "snake")]
    assert parts[names.index("tail_02") - 1] == "tail" and parts[names.index("pectoral_fin.L") - 1] == "spine"


def test_rare_parts_weigh_more_when_balanced() -> None:
    spine, ear, arm = (PART_CLASSES.index(p) for p in ("spine", "ear", "arm"))
    parts = torch.tensor([[spine] * 8 + [ear] * 2, [spine] * 6 + [IGNORE] * 4])
    assert part_weights(parts, 0.0) is None
    weights = part_weights(parts, 0.5)
    assert weights.shape == (len(PART_CLASSES),) and weights[ear] > weights[spine] > 0
    assert weights[arm] == weights.max()  # never seen: the most weight
    # the points' mean weight stays 1, so the loss keeps its scale
    assert float((weights[spine] * 14 + weights[ear] * 2) / 16) == pytest.approx(1.0)


def test_a_base_with_a_part_head_gets_a_fresh_one_on_the_same_network(tmp_path) -> None:
    """The shipped file carries a head: a new head trains on its network, whose weights stay the file's."""
    shipped = model_from_onnx(SHIPPED_MODEL)
    base = load_base(SHIPPED_MODEL)
    assert not base.config.parts
    network = {k: v for k, v in shipped.state_dict().items() if not k.startswith("parts.")}
    assert network.keys() == base.state_dict().keys()
    assert all(torch.equal(v, network[k]) for k, v in base.state_dict().items())
    fresh = with_part_head(base, seed=1)
    assert not torch.equal(fresh.parts.out.weight, shipped.parts.out.weight)
    # the new head's model describes the network, not the head it replaced
    said = network_description(SHIPPED_MODEL)
    assert said.startswith("PointSkel offset predictor") and "part head" not in said


def test_cli_trains_a_head_on_an_exported_model(data_and_caches, tmp_path, capsys) -> None:
    data, caches = data_and_caches
    torch.manual_seed(0)
    config = replace(TINY_MODEL, bone_lengths=CANDIDATES, length_references=3, length_neighbours=2)
    base = PointNetOffsetPredictor(config).eval()
    base.length.fill(np.random.default_rng(0).normal(size=(3, config.global_width)),
                     np.eye(3, len(CANDIDATES)))
    export_model(base, tmp_path / "base.onnx", description="base")
    out = tmp_path / "parts.pt"
    argv = [str(tmp_path / "base.onnx"), "--data", str(data), "--caches", str(caches["train"].parent),
            "--out", str(out), "--minutes", "1", "--epochs", "1", "--batch-size", "4", "--val-samples", "4"]
    assert main(argv) == 0
    assert "validation point accuracy" in capsys.readouterr().out
    export_model(load_checkpoint(out).model(), tmp_path / "parts.onnx", description="with parts")
    assert make_predictor("onnx", tmp_path / "parts.onnx").parts == PART_CLASSES
    # again on the file with its head, from two datasets (here the same one twice), balanced
    again = tmp_path / "again.pt"
    argv = [str(tmp_path / "parts.onnx"), "--data", str(data), "--caches", str(caches["train"].parent),
            "--data", str(data), "--caches", str(caches["train"].parent), "--out", str(again),
            "--minutes", "1", "--epochs", "1", "--batch-size", "4", "--val-samples", "4", "--balance", "0.5"]
    assert main(argv) == 0
    checkpoint = load_checkpoint(again)
    assert {"part_accuracy_0", "part_accuracy_1"} <= set(checkpoint.history[-1])
    first = load_checkpoint(out).model().state_dict()
    for name, weight in checkpoint.model().state_dict().items():
        if not name.startswith("parts."):
            assert torch.equal(weight, first[name]), name
    with pytest.raises(SystemExit):
        main(argv[:3] + argv[5:])  # a --data without its --caches
