"""Checkpoints: exact round trips, weights-only loading, and one clear error for every bad file."""

from __future__ import annotations

import os
import pickle
from dataclasses import replace

import pytest
import torch
from tiny_training import TINY_MODEL, run

from trainer.checkpoint import Checkpoint, CheckpointError, load_checkpoint, save_checkpoint
from trainer.model import PointNetOffsetPredictor


class RunsCode:
    """Unpickling this calls a function: what a weights-only load must refuse."""

    def __reduce__(self):
        return (os.getpid, ())


def _checkpoint(config=TINY_MODEL, **changes) -> Checkpoint:
    torch.manual_seed(0)
    model = PointNetOffsetPredictor(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    run(model, torch.rand(2, config.expected_points, 3)).square().mean().backward()
    optimizer.step()
    fields = {
        "train_config": {"lr": 1e-3},
        "optimizer": optimizer.state_dict(),
        "epoch": 3,
        "batch": 2,
        "step": 17,
        "best_metric": 1.25,
        "history": [{"epoch": 1.0, "val_metric": 1.5}],
        "seed": 4,
        "data": {"train": {"dataset": "/data/x", "samples": 8}},
    }
    fields.update(changes)
    return Checkpoint(config, model.state_dict(), **fields)


def _payload(path) -> dict:
    return torch.load(path, weights_only=True)


def test_round_trip_keeps_weights_optimizer_and_progress(tmp_path) -> None:
    original = _checkpoint()
    save_checkpoint(tmp_path / "a.pt", original)
    loaded = load_checkpoint(tmp_path / "a.pt")
    assert loaded.model_config == TINY_MODEL
    assert (loaded.epoch, loaded.batch, loaded.step, loaded.best_metric, loaded.seed) == (3, 2, 17, 1.25, 4)
    assert loaded.history == original.history and loaded.data == original.data
    assert loaded.torch_version == str(torch.__version__)
    cloud = torch.rand(3, 200, 3)
    with torch.no_grad():
        assert torch.equal(run(original.model(), cloud), run(loaded.model(), cloud))
    state = loaded.optimizer["state"]
    assert all(torch.equal(state[k]["exp_avg"], original.optimizer["state"][k]["exp_avg"]) for k in state)


def test_files_hold_only_plain_types(tmp_path) -> None:
    save_checkpoint(tmp_path / "a.pt", _checkpoint())
    payload = _payload(tmp_path / "a.pt")  # weights_only=True: would raise on any other object

    def plain(value) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, (str, int)) and plain(v) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return all(plain(v) for v in value)
        return value is None or type(value) in (str, int, float, bool) or isinstance(value, torch.Tensor)

    assert plain(payload) and payload["format"] == "pointskel-checkpoint"


def test_failed_save_leaves_the_previous_file(tmp_path) -> None:
    path = tmp_path / "last.pt"
    save_checkpoint(path, _checkpoint())
    with pytest.raises((pickle.PicklingError, AttributeError)):  # by Python version and scope
        save_checkpoint(path, _checkpoint(history=[{"bad": lambda: 0}]))  # lambdas cannot be pickled
    assert load_checkpoint(path).step == 17
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last.pt"]


def test_missing_file(tmp_path) -> None:
    with pytest.raises(CheckpointError, match="checkpoint not found"):
        load_checkpoint(tmp_path / "nope.pt")


def test_directory(tmp_path) -> None:
    with pytest.raises(CheckpointError, match="not a file"):
        load_checkpoint(tmp_path)


def test_empty_file(tmp_path) -> None:
    (tmp_path / "a.pt").touch()
    with pytest.raises(CheckpointError, match="empty"):
        load_checkpoint(tmp_path / "a.pt")


@pytest.mark.parametrize("cut", [0.5, 0.95])
def test_truncated_file(tmp_path, cut) -> None:
    save_checkpoint(tmp_path / "a.pt", _checkpoint())
    data = (tmp_path / "a.pt").read_bytes()
    (tmp_path / "b.pt").write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(CheckpointError, match="corrupt or truncated"):
        load_checkpoint(tmp_path / "b.pt")


def test_garbage_file(tmp_path) -> None:
    (tmp_path / "a.pt").write_bytes(b"not a checkpoint at all\n" * 20)
    with pytest.raises(CheckpointError, match="corrupt or truncated"):
        load_checkpoint(tmp_path / "a.pt")


def test_pickled_code_is_refused_not_run(tmp_path) -> None:
    torch.save({"format": "pointskel-checkpoint", "hook": RunsCode()}, tmp_path / "a.pt")
    with pytest.raises(CheckpointError, match="refusing to load.*posix.getpid"):
        load_checkpoint(tmp_path / "a.pt")


def test_other_torch_files_are_not_checkpoints(tmp_path) -> None:
    torch.save(PointNetOffsetPredictor(TINY_MODEL).state_dict(), tmp_path / "weights.pt")
    with pytest.raises(CheckpointError, match="not a PointSkel checkpoint"):
        load_checkpoint(tmp_path / "weights.pt")
    torch.save([1, 2], tmp_path / "list.pt")
    with pytest.raises(CheckpointError, match="not a PointSkel checkpoint.*list"):
        load_checkpoint(tmp_path / "list.pt")


def _resave(tmp_path, **changes):
    save_checkpoint(tmp_path / "a.pt", _checkpoint())
    payload = _payload(tmp_path / "a.pt")
    payload.update(changes)
    torch.save(payload, tmp_path / "b.pt")
    return tmp_path / "b.pt"


def test_other_version(tmp_path) -> None:
    with pytest.raises(CheckpointError, match="version 99 is not supported"):
        load_checkpoint(_resave(tmp_path, version=99))


def test_missing_field(tmp_path) -> None:
    with pytest.raises(CheckpointError, match="'step' is missing or has the wrong type"):
        load_checkpoint(_resave(tmp_path, step="17"))


def test_invalid_model_config(tmp_path) -> None:
    config = {**TINY_MODEL.to_dict(), "neighbours": -2}
    with pytest.raises(CheckpointError, match="model config is invalid.*neighbours"):
        load_checkpoint(_resave(tmp_path, model_config=config))


def test_config_that_does_not_match_the_weights(tmp_path) -> None:
    wider = replace(TINY_MODEL, global_width=48).to_dict()
    with pytest.raises(CheckpointError, match="global_in.weight has shape"):
        load_checkpoint(_resave(tmp_path, model_config=wider))
    plain = replace(TINY_MODEL, neighbours=0).to_dict()
    with pytest.raises(CheckpointError, match="unexpected local.directions"):
        load_checkpoint(_resave(tmp_path, model_config=plain))


def test_missing_weights(tmp_path) -> None:
    state = PointNetOffsetPredictor(TINY_MODEL).state_dict()
    del state["out.bias"]
    with pytest.raises(CheckpointError, match="missing out.bias"):
        load_checkpoint(_resave(tmp_path, state_dict=state))
