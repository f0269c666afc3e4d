"""The benchmark scripts still run end to end (tiny sizes; nothing here is timed or compared)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _run(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_pipeline_benchmark_prints_its_table_and_the_target_line() -> None:
    out = _run("bench/pipeline.py", "--repeats", "1", "--sizes", "512", "--points", "2048", "4096")
    assert "after the mask at" in out or "after mask" in out
    assert "skeletonize" in out and "points^" in out


def test_trainer_benchmark_prints_inference_and_training_numbers() -> None:
    out = _run("bench/trainer.py", "--steps", "2", "--warmup", "1", "--sizes", "2048", "--repeats", "1")
    assert "onnx/torch" in out and "samples/s" in out


def test_rig_benchmark_prints_each_stage_and_the_target_line() -> None:
    pytest.importorskip("bpy")
    out = _run("bench/rig.py", "--repeats", "1", "--size", "256")
    assert "armature" in out and "weights" in out and "image -> rigged weighted mesh" in out


def test_batch_benchmark_prints_images_per_minute_per_job_count() -> None:
    out = _run("bench/batch.py", "--images", "2", "--repeats", "1", "--format", "json",
               "--settings", "--points", "1024", "--work-size", "128")
    assert "import bpy" in out and "images/min" in out and "CPU s/image" in out
    assert [line.split()[0] for line in out.splitlines()[-2:]] == ["1", "2"]


def test_controls_benchmark_prints_each_choice_and_the_target_line() -> None:
    out = _run("bench/controls.py", "--repeats", "1", "--size", "256")
    assert "rigify + Generate" in out and "IK controls:" in out and "target" in out


def test_pipeline_memory_benchmark_prints_peak_memory_per_setting() -> None:
    out = _run("bench/pipeline.py", "--memory", "--quick")
    assert "peak MiB" in out and "largest peak" in out and "MiB target" in out
