"""The add-on's own predictor on the onnxruntime the extension ships (wheels/lock.json), not the dev one.

The dev environment pins a newer onnxruntime than the one bundled into the extension zips. Here the
locked wheel for this machine (fetched by the build script's own `ensure_wheels`, checked against
its sha256) is unpacked into a temporary folder that shadows the dev runtime in a subprocess, which
runs the pipeline's stages with the shipped model: the sample character's mask, lift, contraction
(`OnnxPredictor`, early stop included) and bone length choice. They must match the same run on the
dev runtime.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import build_extension

from pointskel_blender.core.contract import SHIPPED_MODEL

ROOT = Path(__file__).resolve().parents[2]

# Runs in the subprocess and in this process: the shipped model's contraction of the sample character.
RUN = """
import json, sys
import numpy as np
import onnxruntime
from pointskel_blender.core.contract import SHIPPED_MODEL, choose_bone_length
from pointskel_blender.core.figure import figure_features
from pointskel_blender.core.image import load_image
from pointskel_blender.core.pipeline import contract_stage, lift_stage, mask_stage
from pointskel_blender.core.contract.onnx_predictor import OnnxPredictor
from pointskel_blender.core.settings import PipelineSettings

settings = PipelineSettings(mask_backend="alpha")
shape = lift_stage(mask_stage(load_image(sys.argv[1]), settings), settings)
predictor = OnnxPredictor(SHIPPED_MODEL)
contraction = contract_stage(shape, predictor, settings)
length = choose_bone_length(predictor, shape, figure_features(contraction.points, shape.radius_at))
np.savez(sys.argv[2], points=contraction.points, scores=contraction.joint_scores)
print(json.dumps({"version": onnxruntime.__version__, "module": onnxruntime.__file__, "length": length,
                  "iterations": contraction.iterations, "converged": contraction.converged}))
"""


@pytest.fixture(scope="module")
def shipped_runtime(tmp_path_factory) -> tuple[str, Path]:
    """(locked version, folder holding the locked onnxruntime package for this machine)."""
    lock = build_extension.load_lock()
    platform = build_extension.this_platform()
    wheels = [w for w in lock.for_platform(platform) if w.file.startswith("onnxruntime-")]
    if not wheels:
        pytest.skip(f"wheels/lock.json locks no onnxruntime wheel for {platform}")
    try:
        build_extension.ensure_wheels(lock, [platform], offline=False)
    except build_extension.BuildError as exc:  # no network and no wheel in wheels/ yet
        pytest.skip(f"the locked onnxruntime wheel is not in wheels/ and cannot be fetched: {exc}")
    folder = tmp_path_factory.mktemp("shipped-onnxruntime")
    with zipfile.ZipFile(build_extension.WHEELS / wheels[0].file) as wheel:
        wheel.extractall(folder)
    return wheels[0].file.split("-")[1], folder


def _run(tmp_path: Path, name: str, shadow: Path | None) -> tuple[dict, dict]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (shadow, ROOT) if p is not None)
    out = tmp_path / f"{name}.npz"
    sample = ROOT / "pointskel_blender" / "samples" / "sample_character.png"
    command = [sys.executable, "-c", RUN, str(sample), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), dict(np.load(out))


@pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model to run")
def test_the_shipped_model_runs_the_same_on_the_shipped_onnxruntime(shipped_runtime, tmp_path) -> None:
    version, folder = shipped_runtime
    shipped, shipped_arrays = _run(tmp_path, "shipped", folder)
    dev, dev_arrays = _run(tmp_path, "dev", None)
    assert shipped["version"] == version and Path(shipped["module"]).is_relative_to(folder)
    assert dev["version"] != version  # otherwise this compares a runtime with itself
    assert (shipped["iterations"], shipped["converged"]) == (dev["iterations"], dev["converged"])
    assert shipped["length"] == dev["length"]
    np.testing.assert_allclose(shipped_arrays["points"], dev_arrays["points"], atol=1e-5)
    np.testing.assert_allclose(shipped_arrays["scores"], dev_arrays["scores"], atol=1e-5)
