"""rembg-compatible background removal: parity with real rembg, real photos, bad model files.

rembg is only ever given an explicit local model (`u2net_custom` / `dis_custom` sessions): without a
session it would download 176 MB.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
import skimage.data
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

from pointskel_blender.core.background import U2NET, BackgroundRemover, Preprocess, remover_for
from pointskel_blender.core.errors import ModelError
from pointskel_blender.core.model_store import bundled_dir, load_registry


def _tiny_model(path: Path, size: int) -> Path:
    """A real ONNX graph with rembg's interface: NCHW image in, a soft mask first among two outputs."""
    weight = numpy_helper.from_array(np.array([0.9, -0.6, 1.3], np.float32).reshape(1, 3, 1, 1), "w")
    bias = numpy_helper.from_array(np.array([0.1], np.float32), "b")
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["input", "w", "b"], ["logit"]),
            helper.make_node("Sigmoid", ["logit"], ["mask"]),
            helper.make_node("Neg", ["logit"], ["side"]),
        ],
        "tiny",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, size, size])],
        [
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, [1, 1, size, size]),
            helper.make_tensor_value_info("side", TensorProto.FLOAT, [1, 1, size, size]),
        ],
        initializer=[weight, bias],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return path


def _rembg_mask(session, rgb: np.ndarray) -> np.ndarray:
    import rembg

    return np.asarray(rembg.remove(Image.fromarray(rgb), session=session, only_mask=True), np.float64)


def _levels_apart(ours: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    return np.abs(ours.astype(np.float64) * 255.0 - theirs)


@pytest.mark.slow
@pytest.mark.parametrize("photo, gain", [("chelsea", 1.0), ("astronaut", 1.0), ("astronaut", 0.6)])
def test_matches_real_rembg_on_photos(u2netp: Path, photo: str, gain: float) -> None:
    import rembg

    rgb = (getattr(skimage.data, photo)() * gain).astype(np.uint8)  # a dim copy: rembg scales by its max
    session = rembg.new_session("u2net_custom", model_path=str(u2netp))
    theirs = _rembg_mask(session, rgb)
    ours = BackgroundRemover(u2netp).predict(rgb)
    assert ours.shape == rgb.shape[:2] and ours.dtype == np.float32
    apart = _levels_apart(ours, theirs)
    assert apart.max() <= 1.0 + 1e-3  # at most one 8-bit level, anywhere
    assert (apart > 0.5).mean() < 1e-3
    assert 0.2 < (theirs > 127).mean() < 0.9  # a real subject, not an empty or full mask


@pytest.mark.slow
def test_isnet_preprocessing_matches_rembg_dis_session(tmp_path: Path) -> None:
    import rembg

    model = _tiny_model(tmp_path / "tiny-isnet.onnx", 1024)
    spec = Preprocess.from_spec(load_registry()["isnet-general-use"].preprocess)
    rgb = skimage.data.coffee()
    session = rembg.new_session("dis_custom", model_path=str(model))
    apart = _levels_apart(BackgroundRemover(model, spec).predict(rgb), _rembg_mask(session, rgb))
    assert apart.max() <= 1.0 + 1e-3 and (apart > 0.5).mean() < 1e-3
    # the same graph at 320 with the u2net constants is what rembg's u2net sessions see
    small = _tiny_model(tmp_path / "tiny-u2net.onnx", 320)
    session = rembg.new_session("u2net_custom", model_path=str(small))
    apart = _levels_apart(BackgroundRemover(small, U2NET).predict(rgb), _rembg_mask(session, rgb))
    assert apart.max() <= 1.0 + 1e-3 and (apart > 0.5).mean() < 1e-3


def test_astronaut_mask_covers_the_person(u2netp: Path) -> None:
    soft = BackgroundRemover(u2netp).predict(skimage.data.astronaut())  # 512 × 512
    mask = soft >= 0.5
    assert mask[60:150, 180:280].mean() > 0.97  # face
    assert mask[300:450, 100:280].mean() > 0.97  # torso in the suit
    assert mask[:50, :50].mean() < 0.02 and mask[:50, -50:].mean() < 0.02  # top corners: flag, backdrop
    assert mask[150:250, 400:470].mean() < 0.05  # the shuttle model behind her


def test_float_input_equals_8bit_input(u2netp: Path) -> None:
    rgb = skimage.data.chelsea()
    remover = BackgroundRemover(u2netp)
    np.testing.assert_array_equal(remover.predict(rgb.astype(np.float32) / 255.0), remover.predict(rgb))
    with pytest.raises(ModelError, match=r"\(H, W, 3\)"):
        remover.predict(rgb[..., 0])


def test_session_is_created_once_per_file(u2netp: Path) -> None:
    first, second = BackgroundRemover(u2netp), BackgroundRemover(u2netp)
    assert first._session is second._session


def test_wrong_preprocessing_for_the_model_is_refused(tmp_path: Path) -> None:
    model = _tiny_model(tmp_path / "tiny-isnet.onnx", 1024)
    with pytest.raises(ModelError, match="preprocessing says 3×320×320; wrong model"):
        BackgroundRemover(model, U2NET)


@pytest.mark.parametrize("content", ["truncated", "text", "random"])
def test_broken_model_files_raise_model_error(tmp_path: Path, u2netp: Path, content: str) -> None:
    path = tmp_path / "broken.onnx"
    if content == "truncated":
        path.write_bytes(u2netp.read_bytes()[:300_000])
    elif content == "text":
        path.write_text("this is not a model\n")
    else:
        path.write_bytes(np.random.default_rng(0).bytes(50_000))
    with pytest.raises(ModelError, match="not a usable ONNX model"):
        BackgroundRemover(path)
    with pytest.raises(ModelError, match="does not exist"):
        BackgroundRemover(tmp_path / "absent.onnx")


def test_non_image_model_is_refused(tmp_path: Path) -> None:
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])],
        "flat",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 10])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, tmp_path / "flat.onnx")
    with pytest.raises(ModelError, match="not a background-removal model"):
        BackgroundRemover(tmp_path / "flat.onnx")


def test_remover_for_registry_names(tmp_path: Path, u2netp: Path) -> None:
    remover = remover_for("u2netp", [bundled_dir()])
    assert remover.model_path == u2netp and remover.preprocess == U2NET
    with pytest.raises(
        ModelError,
        match=r"u2net \(u2net.onnx\) is not installed .*download it from "
        r"https://github.com/danielgatis/rembg/releases/download/v0.0.0/u2net.onnx",
    ):
        remover_for("u2net", [tmp_path])
    with pytest.raises(ModelError, match="unknown model"):
        remover_for("birefnet", [tmp_path])
