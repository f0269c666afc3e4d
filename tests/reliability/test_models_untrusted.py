"""Untrusted model files are bounded: a crafted ONNX model or trainer checkpoint is refused with one
line before it can size an allocation or a loop, and damaged weights never pass as a skeleton.

The crafted files are the shipped model with its metadata or weights changed, and real checkpoints
written with torch.save, as an attacker (or a flipped bit on disk) would produce them.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest

from pointskel_blender.core.contract import model_format, onnx_predictor
from pointskel_blender.core.errors import ModelError
from pointskel_blender.core.image import load_image
from pointskel_blender.core.mask import compute_mask
from pointskel_blender.core.lift import lift
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "pointskel_blender/models/pointskel_offset.onnx"
SAMPLE = ROOT / "pointskel_blender/samples/sample_character.png"


def _crafted(tmp_path: Path, **changes: str) -> Path:
    model = onnx.load(str(SHIPPED))
    props = {p.key: p.value for p in model.metadata_props}
    props.update(changes)
    del model.metadata_props[:]
    onnx.helper.set_model_props(model, props)
    path = tmp_path / "crafted.onnx"
    onnx.save(model, str(path))
    return path


def _refused(path: Path, match: str) -> str:
    with pytest.raises(ModelError, match=match) as caught:
        onnx_predictor.OnnxPredictor(path)
    message = str(caught.value)
    assert str(path) in message and "\n" not in message
    return message


@pytest.mark.parametrize(
    "key, value, match",
    [
        ("pointskel.expected_points", "1000000000", "expected_points must be an integer from 1 to 16,384"),
        ("pointskel.expected_points", "1e9", "expected_points must be an integer"),
        ("pointskel.default_iterations", "2000000000", "default_iterations must be an integer from 1 to 100"),
        ("pointskel.bone_lengths", ",".join(["0.05"] * 5000), "expected 2 to 64"),
        ("pointskel.description", "x" * 1_000_000, "description has 1,000,000 characters"),
        ("pointskel.config", json.dumps({"pad": "x" * 1_000_000}), "config has"),
        ("pointskel.config", "[" * 50_000 + "]" * 50_000, "config has"),
        ("pointskel.config", "[" * 30_000 + "]" * 30_000, "config is not a JSON object"),
        ("pointskel.expected_points", "0", "expected_points must be an integer from 1"),
        ("pointskel.default_iterations", "-4", "default_iterations must be an integer from 1"),
        ("pointskel.bone_lengths", "0.05,nan", "expected 2 to 64 comma-separated numbers in"),
        ("pointskel.bone_lengths", "0.05,1e308", "expected 2 to 64 comma-separated numbers in"),
        ("pointskel.format", "other", "not a PointSkel offset predictor"),
        ("pointskel.format_version", "99", "model format version '99' is not supported"),
        ("pointskel.normalization", "unit-sphere", "model expects the 'unit-sphere' frame"),
        ("pointskel.inputs", "points,geometric,figure,extra", "pointskel.inputs is"),
        ("pointskel.outputs", "offsets," * 5000, "pointskel.outputs is"),
        ("pointskel.figure_features", "ends,forks,joints,length,secret", "pointskel.figure_features is"),
        ("pointskel.parts", ",".join(["spine"] * 10_000), "pointskel.parts is"),
        ("pointskel.body_plans", "biped,robot", "pointskel.body_plans is"),
    ],
    ids=["huge-points", "float-points", "huge-iterations", "many-lengths", "huge-description", "huge-config",
         "deep-config-long", "deep-config", "zero-points", "negative-iterations", "nan-length", "huge-length",
         "format", "version", "normalization", "inputs", "outputs", "figure-features", "parts", "body-plans"],
)
def test_out_of_range_metadata_is_refused_when_the_model_opens(tmp_path, key, value, match):
    _refused(_crafted(tmp_path, **{key: value}), match)


def test_a_config_that_contradicts_the_metadata_is_refused(tmp_path):
    model = onnx.load(str(SHIPPED))
    config = json.loads({p.key: p.value for p in model.metadata_props}["pointskel.config"])
    path = _crafted(tmp_path, **{"pointskel.config": json.dumps({**config, "default_iterations": 10**9})})
    _refused(path, "config says default_iterations 1000000000 but the model's metadata says 4")


def test_an_oversized_model_file_is_refused_before_onnxruntime_reads_it(tmp_path):
    path = tmp_path / "huge.onnx"
    with path.open("wb") as f:  # sparse: nothing is written to disk
        f.truncate(onnx_predictor.MAX_MODEL_BYTES + 1)
    _refused(path, "larger than the 512 MB")


def _bit_flipped(tmp_path: Path) -> Path:
    """The shipped model with the top exponent bit flipped in the first weights of every weight matrix."""
    model = onnx.load(str(SHIPPED))
    for tensor in model.graph.initializer:
        if tensor.data_type == onnx.TensorProto.FLOAT and len(tensor.raw_data) >= 256:
            words = np.frombuffer(tensor.raw_data, dtype=np.uint32).copy()
            words[:4] ^= np.uint32(1 << 30)
            tensor.raw_data = words.tobytes()
    path = tmp_path / "flipped.onnx"
    onnx.save(model, str(path))
    return path


def test_bit_flipped_weights_are_refused_not_turned_into_a_skeleton(tmp_path):
    settings = PipelineSettings(points=2048, predictor="onnx", model_path=str(_bit_flipped(tmp_path)))
    with pytest.raises(ModelError, match=r"non-finite offsets .* its weights are damaged") as caught:
        run_pipeline(SAMPLE, settings)
    assert "\n" not in str(caught.value)


def test_large_clouds_run_in_bounded_chunks_with_the_same_answer(monkeypatch):
    """Groups go through onnxruntime RUN_POINTS at a time; chunking changes no number."""
    mask = compute_mask(load_image(SAMPLE), backend="alpha")
    shape = lift(mask.mask, mask.work_scale, points=6000, seed=0)
    predictor = onnx_predictor.OnnxPredictor(SHIPPED)
    chunked = predictor.predict_all(shape.points, shape)
    monkeypatch.setattr(onnx_predictor, "RUN_POINTS", 10**9)  # one call for all groups, as before
    whole = predictor.predict_all(shape.points, shape)
    monkeypatch.setattr(onnx_predictor, "RUN_POINTS", 1)  # one group per call
    single = predictor.predict_all(shape.points, shape)
    np.testing.assert_allclose(chunked.offsets, whole.offsets, atol=1e-6)
    np.testing.assert_allclose(single.offsets, whole.offsets, atol=1e-6)
    np.testing.assert_allclose(single.joint_scores, whole.joint_scores, atol=1e-6)


# Trainer checkpoints -------------------------------------------------------------------------------

def _craft(path: Path, config: dict) -> None:
    """A checkpoint written with torch.save whose model config asks for a huge model (no weights)."""
    import torch

    from trainer.checkpoint import FORMAT, VERSION

    torch.save({"format": FORMAT, "version": VERSION, "model_config": config, "state_dict": {},
                "train_config": {}, "optimizer": None, "epoch": 0, "batch": 0, "step": 0, "best_metric": None,
                "history": [], "seed": 0, "data": {}, "torch_version": str(torch.__version__)}, path)


_EXPORT = """
import sys
sys.path.insert(0, {root!r})
from trainer.export import main
code = main([{path!r}, {out!r}])
# VmHWM: this process's own peak (ru_maxrss would include the pytest process that started it)
print(next(int(x.split()[1]) // 1024 for x in open("/proc/self/status") if x.startswith("VmHWM:")))
sys.exit(code)
"""


@pytest.mark.parametrize(
    "config, match",
    [
        ({"global_width": 60_000}, "global_width must be an integer from 1 to 4,096"),
        ({"point_widths": [4096] * 8, "head_widths": [4096] * 8, "global_width": 4096, "local_width": 4096},
         "more than 64,000,000"),
        ({"length_references": 10**9, "bone_lengths": [0.0, 0.1]}, "length_references must be an integer"),
        ({"expected_points": 10**9}, "expected_points must be an integer from 1 to 16,384"),
    ],
    ids=["huge-width", "too-many-weights", "huge-table", "huge-group"],
)
@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak memory from /proc")
def test_a_tiny_checkpoint_cannot_make_the_export_allocate(tmp_path, config, match):
    path, out = tmp_path / "crafted.pt", tmp_path / "out.onnx"
    _craft(path, config)
    assert path.stat().st_size < 4096
    done = subprocess.run(
        [sys.executable, "-c", _EXPORT.format(root=str(ROOT), path=str(path), out=str(out))],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 2
    assert match in done.stderr and done.stderr.count("\n") == 1
    peak_mib = int(done.stdout.split()[-1])
    assert peak_mib < 1024  # the interpreter with torch; the crafted configs asked for 1 to 14 GB
    assert not out.exists()


def test_a_checkpoint_with_non_finite_weights_is_refused(tmp_path):
    torch = pytest.importorskip("torch")
    from trainer.checkpoint import CheckpointError, Checkpoint, load_checkpoint, save_checkpoint
    from trainer.model import ModelConfig, PointNetOffsetPredictor

    config = ModelConfig(point_widths=(8,), local_width=8, neighbours=4, anchors=16, global_width=8,
                         head_widths=(8,), expected_points=32)
    state = PointNetOffsetPredictor(config).state_dict()
    name = next(iter(state))
    state[name].view(-1)[0] = float("nan")
    save_checkpoint(tmp_path / "nan.pt", Checkpoint(config, state))
    with pytest.raises(CheckpointError, match=f"{name} holds NaN or infinite values"):
        load_checkpoint(tmp_path / "nan.pt")
    assert torch.isnan(state[name]).any()




def test_a_model_that_throws_points_away_is_refused(tmp_path):
    """Finite but absurd offsets (a flipped exponent that stays finite) would size the topology's grid."""
    from onnx import TensorProto, helper

    scale = helper.make_tensor("w", TensorProto.FLOAT, [3], [1e6, 1e6, 1e6])
    arg = ["batch", "n", 3]
    graph = helper.make_graph(
        [helper.make_node("Mul", ["points", "w"], ["offsets"])], "huge",
        [helper.make_tensor_value_info("points", TensorProto.FLOAT, arg)],
        [helper.make_tensor_value_info("offsets", TensorProto.FLOAT, arg)], [scale],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    model_format.write_metadata(model, expected_points=64, default_iterations=2, config={}, description="x")
    onnx.save(model, str(tmp_path / "huge.onnx"))
    settings = PipelineSettings(points=256, predictor="onnx", model_path=str(tmp_path / "huge.onnx"))
    with pytest.raises(ModelError, match="moved points by up to .* its weights are damaged"):
        run_pipeline(SAMPLE, settings)
