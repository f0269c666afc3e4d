"""Shared test set-up: `tests/` on sys.path so tests can `import figures`; onnxruntime's telemetry off.

Tests import onnxruntime and rembg directly (and their subprocesses inherit the environment), so the
variable is set here, before any test module is collected.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pointskel_blender.core.onnx_runtime import disable_telemetry  # noqa: E402

disable_telemetry()
