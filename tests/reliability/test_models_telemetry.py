"""No silent network: onnxruntime is always started with `ORT_DISABLE_TELEMETRY=1` already set.

Each entry point runs in a fresh interpreter whose environment lacks the variable; an audit hook
records the variable's value at the moment onnxruntime is first imported.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = "ORT_DISABLE_TELEMETRY"
HOOK = f"""
import json, os, sys
seen = []
def _hook(event, args):
    if event == "import" and args[0] == "onnxruntime" and not seen:
        seen.append(os.environ.get({VARIABLE!r}))
sys.addaudithook(_hook)
sys.path.insert(0, {str(ROOT)!r})
"""
REPORT = "\nprint(json.dumps(seen))\n"

ENTRY_POINTS = {
    "learned predictor (CLI, batch, add-on)": (
        "from pointskel_blender.core.contract import make_predictor\nmake_predictor('onnx')"
    ),
    "background removal model": (
        "from pointskel_blender.core.background import BackgroundRemover\n"
        "BackgroundRemover('pointskel_blender/models/u2netp.onnx')"
    ),
    "trainer (torch.onnx and the export's checks)": "import trainer.export\nimport onnxruntime",
    "pipeline CLI run": (
        "from pointskel_blender.cli.run import main\n"
        "main(['pointskel_blender/samples/sample_character.png', '--points', '256'])"
    ),
}


@pytest.mark.parametrize("code", ENTRY_POINTS.values(), ids=ENTRY_POINTS.keys())
def test_onnxruntime_is_imported_with_telemetry_disabled(code):
    if "u2netp" in code and not (ROOT / "pointskel_blender/models/u2netp.onnx").is_file():
        pytest.skip("u2netp.onnx is fetched by build.py setup")
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    done = subprocess.run(
        [sys.executable, "-c", HOOK + code + REPORT], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == ["1"]


def test_no_module_imports_onnxruntime_or_rembg_past_the_guard():
    """Project code reaches onnxruntime only through core.onnx_runtime; tests are covered by conftest."""
    direct = re.compile(r"^\s*(import (onnxruntime|rembg)\b|from (onnxruntime|rembg)\b)", re.M)
    allowed = {ROOT / "pointskel_blender/core/onnx_runtime.py"}
    folders = ("pointskel_blender", "trainer", "scripts", "bench")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
        if path not in allowed and direct.search(path.read_text(encoding="utf-8"))
    ]
    offenders += [p.name for p in ROOT.glob("*.py") if direct.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
    conftest = (ROOT / "tests/conftest.py").read_text(encoding="utf-8")
    assert "disable_telemetry()" in conftest
