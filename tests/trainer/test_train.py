"""Training: batches, schedule, loss going down, validation bookkeeping, the CLI, exact resume."""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from tiny_training import TINY_ARGS, TINY_MODEL, TINY_SAMPLES, make_dataset, tiny_config

from trainer.checkpoint import load_checkpoint
from trainer.model import ConfigError, PointNetOffsetPredictor
from trainer.samples import PointAugment, bone_targets, load_sample_cache
from trainer.losses import bone_set_loss, coverage_loss, joint_loss, training_loss
from trainer.train import TrainConfig, learning_rate, main, train
from trainer.validation import (
    bone_coverage,
    bone_distance,
    bone_points,
    skeleton_score,
    summarize,
    validate,
    validation_indices,
)
from trainer.training_data import cache_path, ensure_cache, make_batch

STILL = PointAugment(noise=0.0, contract=0.0)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def cache_dir(dataset, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cache")
    for split in ("train", "val"):
        ensure_cache(dataset, split, TINY_SAMPLES, folder, workers=1, progress=False)
    return folder


@pytest.fixture(scope="module")
def train_cache(dataset, cache_dir):
    return load_sample_cache(cache_path(dataset, "train", TINY_SAMPLES, cache_dir))


def _weights(path: Path) -> dict[str, torch.Tensor]:
    return load_checkpoint(path).state_dict


# --- data --------------------------------------------------------------------------------------


def test_cache_names_follow_dataset_and_settings(dataset, cache_dir) -> None:
    same = cache_path(dataset, "train", TINY_SAMPLES, cache_dir)
    assert same.is_file()  # built by the fixture under exactly this name
    assert cache_path(dataset, "val", TINY_SAMPLES, cache_dir) != same
    assert cache_path(dataset, "train", replace(TINY_SAMPLES, resolution=80), cache_dir) != same
    assert cache_path(dataset, "train", replace(TINY_SAMPLES, seed=1), cache_dir) != same
    rig = dataset / "rig_info" / f"{load_sample_cache(same).items[0]}.txt"
    stat = rig.stat()
    try:
        os.utime(rig, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # an edited character
        assert cache_path(dataset, "train", TINY_SAMPLES, cache_dir) != same
    finally:
        os.utime(rig, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_batches_are_subsets_of_the_cached_clouds_with_their_targets(train_cache) -> None:
    batch = make_batch(train_cache, [0, 3], 128, seed=0, epoch=0, augment=STILL)
    clouds, offsets = batch.points, batch.offsets
    assert clouds.shape == offsets.shape == (2, 128, 3) and batch.geometric is None
    for row, i in enumerate([0, 3]):
        bones = train_cache.sample_segments(i)
        assert np.array_equal(batch.segments[row, : len(bones)], bones)
        assert batch.segment_valid[row].sum() == len(bones)
    for row, i in enumerate([0, 3]):
        cached = {
            tuple(p): tuple(t)
            for p, t in zip(train_cache.points[i].tolist(), train_cache.targets[i].tolist())
        }
        assert len({tuple(p) for p in clouds[row].tolist()}) == 128  # distinct points, no repeats
        for p, o in zip(clouds[row].tolist(), (clouds[row] + offsets[row]).tolist()):
            assert np.allclose(o, cached[tuple(p)], atol=1e-6)


def test_geometric_offsets_in_a_batch_are_the_predictors_at_the_moved_points(train_cache) -> None:
    from pointskel_blender.core.contract.geometric import GeometricPredictor

    batch = make_batch(train_cache, [2, 1], 128, seed=1, epoch=0, augment=PointAugment(), geometric=True)
    for row, i in enumerate([2, 1]):
        expected = GeometricPredictor().predict(batch.points[row], train_cache.shape(i))
        assert np.allclose(batch.geometric[row], expected, atol=1e-6)
    # the solid is the one inference lifts: the same frame as the cached sample's
    assert train_cache.shape(2).frame == train_cache[2].frame


def test_a_sample_draws_the_same_augmentation_in_any_batch(train_cache) -> None:
    alone = make_batch(train_cache, [5], 128, seed=2, epoch=1, augment=PointAugment())
    mixed = make_batch(train_cache, [1, 5, 2], 128, seed=2, epoch=1, augment=PointAugment())
    assert np.array_equal(alone.points[0], mixed.points[1])
    assert np.array_equal(alone.offsets[0], mixed.offsets[1])
    other_epoch = make_batch(train_cache, [5], 128, seed=2, epoch=2, augment=PointAugment())
    assert not np.array_equal(alone.points, other_epoch.points)


# --- optimization ------------------------------------------------------------------------------


def test_schedule_warms_up_then_decays_to_the_floor() -> None:
    config = TrainConfig(lr=1e-2, warmup=0.1, min_lr=0.05)
    lrs = [learning_rate(config, s, 100) for s in range(100)]
    assert lrs[0] == pytest.approx(1e-3) and lrs[9] == pytest.approx(1e-2)
    assert all(a <= b for a, b in itertools.pairwise(lrs[:10]))
    assert all(a >= b for a, b in itertools.pairwise(lrs[10:]))
    assert lrs[-1] == pytest.approx(5e-4)


@pytest.mark.parametrize("loss", ["chamfer", "bones", "smooth_l1", "l2"])
@pytest.mark.parametrize("model_config", [TINY_MODEL, replace(TINY_MODEL, geometric_input=False)],
                         ids=["geometric-input", "points-only"])
def test_a_few_steps_on_a_fixed_batch_lower_the_loss(train_cache, loss, model_config) -> None:
    config = TrainConfig(loss=loss)
    batch = make_batch(train_cache, range(4), 128, seed=0, epoch=0, augment=PointAugment(),
                       geometric=model_config.geometric_input)
    batch = [None if a is None else torch.from_numpy(a) for a in batch]
    torch.manual_seed(0)
    model = PointNetOffsetPredictor(model_config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(30):
        inputs = batch[:2] if model_config.geometric_input else batch[:1]
        value = training_loss(model(*inputs), batch, config)
        optimizer.zero_grad()
        value.backward()
        optimizer.step()
        losses.append(value.item())
    # A model with the geometric input starts at the geometric predictor's answer, already close.
    assert losses[-1] < (0.9 if model_config.geometric_input else 0.7) * losses[0]


def test_validation_of_a_model_that_does_not_move_points(dataset, cache_dir) -> None:
    cache = load_sample_cache(cache_path(dataset, "val", TINY_SAMPLES, cache_dir))
    model = PointNetOffsetPredictor(replace(TINY_MODEL, geometric_input=False))
    torch.nn.init.zeros_(model.out.weight)
    torch.nn.init.zeros_(model.out.bias)
    totals = validate(model, cache, range(len(cache)), TrainConfig(loss="l2"), torch.device("cpu"))
    points = len(cache) * cache.points.shape[1]
    assert totals[0] == points
    lifted = np.linalg.norm(cache.targets - cache.points, axis=2)  # cached targets: nearest bone points
    entry = summarize(totals)
    assert entry["val_loss"] == pytest.approx(((100 * lifted) ** 2).mean(), rel=1e-4)  # l2 of zero offsets
    assert entry["val_distance"] == pytest.approx([100 * lifted.mean()] * (1 + TINY_MODEL.default_iterations))
    # the val metric scores the skeletons the add-on builds from the (unmoved) clouds
    scores = [skeleton_score(cache.points[i], cache, i, 0.02) for i in range(len(cache))]
    assert entry["val_metric"] == pytest.approx(np.mean([s[0] for s in scores]))
    assert entry["val_f1"] == pytest.approx(np.mean([s[1] for s in scores]))
    assert 0 < entry["val_f1"] <= 1
    along = [bone_points(cache.sample_segments(i)) for i in range(len(cache))]
    bare = [np.sqrt(((a[:, None] - c[None]) ** 2).sum(-1)).min(1) for a, c in zip(along, cache.points)]
    assert entry["val_coverage"] == pytest.approx(100 * np.concatenate(bare).mean(), rel=1e-5)


def test_bone_set_loss_is_the_distance_to_the_nearest_bone_of_any_bone() -> None:
    segments = torch.tensor([[[[0.0, 0.0], [1.0, 0.0]], [[0.0, 1.0], [1.0, 1.0]], [[9.0, 9.0], [9.0, 9.0]]]])
    valid = torch.tensor([[True, True, False]])  # the third bone is padding
    points = torch.tensor([[[0.5, 0.4, 0.0], [0.5, 0.6, 0.0], [2.0, 0.0, 0.1]]])
    loss = bone_set_loss(points, torch.zeros_like(points), segments, valid)
    expected = (0.4**2 + 0.4**2 + (1.0**2 + 0.1**2)) / 3 * 100**2
    assert loss.item() == pytest.approx(expected, rel=1e-5)
    # moving every point onto some bone (either one) costs nothing
    onto = torch.tensor([[[0.0, -0.4, 0.0], [0.0, 0.4, 0.0], [-1.0, 0.0, -0.1]]])
    assert bone_set_loss(points, onto, segments, valid).item() == pytest.approx(0.0, abs=1e-6)


def test_coverage_loss_sees_bones_no_point_reaches() -> None:
    along = torch.tensor([[[0.0, 0.0], [1.0, 0.0]]])
    points = torch.tensor([[[0.0, 0.1, 0.0], [0.0, -0.1, 0.0]]])  # both near the first bone point only
    loss = coverage_loss(points, torch.zeros_like(points), along)
    assert loss.item() == pytest.approx((0.1**2 + (1.0**2 + 0.1**2)) / 2 * 100**2, rel=1e-5)
    spread = torch.tensor([[[0.0, -0.1, 0.0], [1.0, 0.1, 0.0]]])  # one point moves to the far end
    assert coverage_loss(points, spread, along).item() == pytest.approx(0.0, abs=1e-6)


def test_untrained_geometric_input_model_validates_as_the_geometric_predictor(dataset, cache_dir) -> None:
    from pointskel_blender.core.contract.geometric import GeometricPredictor

    cache = load_sample_cache(cache_path(dataset, "val", TINY_SAMPLES, cache_dir))
    model = PointNetOffsetPredictor(TINY_MODEL)
    entry = summarize(validate(model, cache, range(len(cache)), TrainConfig(), torch.device("cpu")))
    moved = [p + GeometricPredictor().predict(p, cache.shape(i)) for i, p in enumerate(cache.points)]
    distance = np.concatenate(
        [np.linalg.norm(bone_targets(m, cache.sample_segments(i)) - m, axis=1) for i, m in enumerate(moved)]
    )
    assert entry["val_distance"][1] == pytest.approx(100 * distance.mean(), rel=1e-4)
    # the untrained joint head scores every point alike, which moves no joint: geometric skeletons
    for _ in range(TINY_MODEL.default_iterations - 1):
        moved = [m + GeometricPredictor().predict(m, cache.shape(i)) for i, m in enumerate(moved)]
    scores = [skeleton_score(m, cache, i, 0.02) for i, m in enumerate(moved)]
    assert entry["val_metric"] == pytest.approx(np.mean([s[0] for s in scores]), rel=1e-5)
    assert entry["val_f1"] == pytest.approx(np.mean([s[1] for s in scores]), rel=1e-5)


def test_bone_points_lie_on_the_bones_at_most_a_spacing_apart() -> None:
    segments = np.array([[[0, 0], [0.1, 0]], [[0.1, 0], [0.1, 0.033]], [[0.2, 0.2], [0.2, 0.2]]], np.float32)
    points = bone_points(segments, spacing=0.01)
    assert len(points) == 11 + 5 + 1 and np.all(points[:, 2] == 0)
    assert np.allclose(points[:11, 0], np.linspace(0, 0.1, 11), atol=1e-7)
    assert np.allclose(points[11:16, 1], np.linspace(0, 0.033, 5), atol=1e-7)
    assert np.allclose(points[16], [0.2, 0.2, 0])


def test_a_cloud_collapsed_onto_one_bone_is_on_the_bones_but_does_not_cover_them(train_cache) -> None:
    i = 0
    segments = train_cache.sample_segments(i)
    collapsed = bone_points(segments[:1], spacing=0.001)[None]
    assert bone_distance(collapsed, train_cache, [i]).max() < 1e-6
    count, total = bone_coverage(collapsed, train_cache, [i])
    assert total / count > 0.02
    spread = bone_points(segments, spacing=0.001)[None]
    count, total = bone_coverage(spread, train_cache, [i])
    assert total / count < 1e-3


# --- runs --------------------------------------------------------------------------------------


def test_cli_trains_end_to_end_and_writes_the_run(dataset, tmp_path, capsys) -> None:
    out = tmp_path / "run"
    code = main(
        [
            "--data",
            str(dataset),
            "--out",
            str(out),
            "--epochs",
            "2",
            "--batch-size",
            "4",
            "--lr",
            "3e-3",
            *TINY_ARGS,
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert {p.name for p in out.iterdir()} >= {"best.pt", "last.pt", "history.json", "curves.png", "cache"}
    history = json.loads((out / "history.json").read_text())
    assert [h["epoch"] for h in history] == [0.0, 1.0, 2.0]  # epoch 0: the untrained model
    assert history[0]["train_loss"] is None and history[0]["step"] == 0
    assert all(len(h["val_distance"]) == 1 + TINY_MODEL.default_iterations for h in history)
    last = load_checkpoint(out / "last.pt")
    assert (last.epoch, last.batch) == (2, 0) and last.model_config == TINY_MODEL
    assert last.history == history and last.best_metric == min(h["val_metric"] for h in history)
    assert last.data["train"]["samples"] == 16 and last.data["val"]["split"] == "val"
    assert (out / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    best = load_checkpoint(out / "best.pt")
    assert best.history[-1]["val_metric"] == best.best_metric


def test_resume_after_a_time_budget_stop_continues_exactly(dataset, cache_dir, tmp_path) -> None:
    straight = train(tiny_config(dataset, tmp_path / "a", cache_dir), TINY_MODEL)
    stopped = train(tiny_config(dataset, tmp_path / "b", cache_dir, max_minutes=0.0), TINY_MODEL)
    assert stopped.stopped and len(stopped.history) == 2  # epoch 0 (untrained), then the stop
    first = load_checkpoint(tmp_path / "b" / "last.pt")
    assert (first.epoch, first.batch, first.step) == (0, 1, 1)  # one step, mid-epoch
    assert first.history[1]["epoch"] == 0.25 and "val_metric" in first.history[1]
    resumed = train(tiny_config(dataset, tmp_path / "b", cache_dir), TINY_MODEL, resume=first)
    assert not resumed.stopped
    a, b = _weights(tmp_path / "a" / "last.pt"), _weights(tmp_path / "b" / "last.pt")
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert straight.history[-1]["val_metric"] == resumed.history[-1]["val_metric"]


def test_cli_resume_refuses_changed_run_settings(dataset, cache_dir, tmp_path, capsys) -> None:
    out = tmp_path / "run"
    args = ["--data", str(dataset), "--out", str(out), "--cache", str(cache_dir), "--epochs", "1", *TINY_ARGS]
    assert main(args) == 0
    assert main(["--resume", str(out / "last.pt"), "--out", str(out), "--lr", "0.5", "--quiet"]) == 2
    assert "--lr differs from the run being resumed" in capsys.readouterr().err
    assert main(["--resume", str(out / "last.pt"), "--out", str(out), "--neighbours", "0", "--quiet"]) == 2
    assert (
        main(
            [
                "--resume",
                str(out / "last.pt"),
                "--out",
                str(out),
                "--epochs",
                "2",
                "--quiet",
                "--point-widths",
                "16",
                "32",
            ]
        )
        == 0
    )  # a resumable change, and an unchanged model setting
    assert load_checkpoint(out / "last.pt").epoch == 2


def test_cli_reports_a_bad_dataset_in_one_line(tmp_path, capsys) -> None:
    assert main(["--data", str(tmp_path / "missing"), "--out", str(tmp_path / "run"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "no such dataset folder" in err and "\n" not in err


def test_cache_smaller_than_the_model_input_is_refused(dataset, tmp_path) -> None:
    config = tiny_config(
        dataset, tmp_path / "run", tmp_path / "cache", samples=replace(TINY_SAMPLES, points=64)
    )
    with pytest.raises(ConfigError, match="cannot feed a model trained at 128"):
        train(config, TINY_MODEL)


def test_loader_workers_change_nothing_but_speed(dataset, cache_dir, tmp_path) -> None:
    inline = train(tiny_config(dataset, tmp_path / "a", cache_dir, epochs=1), TINY_MODEL)
    workers = train(tiny_config(dataset, tmp_path / "b", cache_dir, epochs=1, loader_workers=2), TINY_MODEL)
    a, b = inline.model.state_dict(), workers.model.state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_a_cloud_on_the_true_bones_scores_a_good_skeleton(train_cache) -> None:
    """The validation skeleton score rewards the cloud contraction should produce."""
    for i in range(3):
        on_bones = bone_points(train_cache.sample_segments(i), spacing=0.002)
        lifted = skeleton_score(train_cache.points[i], train_cache, i, 0.02)
        ideal = skeleton_score(on_bones, train_cache, i, 0.02)
        assert ideal[0] < lifted[0] and ideal[0] < 4.0 and ideal[1] > 0.4


def test_joint_head_only_training_keeps_the_geometric_offsets_and_learns_joints(train_cache) -> None:
    """offset_weight 0: the offsets stay exactly the geometric input's; only the joint scores learn."""
    batch = make_batch(train_cache, range(4), 128, seed=0, epoch=0, augment=PointAugment(), geometric=True)
    batch = [torch.from_numpy(a) for a in batch]
    assert batch[6].shape == (4, 128) and 0 <= batch[6].min() and batch[6].max() <= 1
    torch.manual_seed(0)
    model = PointNetOffsetPredictor(TINY_MODEL)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    config = TrainConfig(offset_weight=0.0)
    losses = []
    for _ in range(30):
        out = model(*batch[:2])
        value = training_loss(out, batch, config)
        assert value.item() == pytest.approx(config.joint_weight * joint_loss(out[..., 3], batch[6]).item())
        optimizer.zero_grad()
        value.backward()
        optimizer.step()
        losses.append(value.item())
    assert losses[-1] < 0.95 * losses[0]
    with torch.no_grad():
        assert torch.equal(model(*batch[:2])[..., :3], batch[1])


def test_validation_samples_are_spread_over_the_split() -> None:
    assert validation_indices(10, None) == list(range(10))
    assert validation_indices(10, 50) == list(range(10))
    assert validation_indices(601, 3) == [0, 300, 600]
    assert len(validation_indices(600, 200)) == 200
