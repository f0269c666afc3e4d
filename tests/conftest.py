"""Shared test set-up: `tests/` on sys.path so tests can `import figures`; onnxruntime's telemetry off;
numba's compiler off for rembg's unused matting code.

Tests import onnxruntime and rembg directly (and their subprocesses inherit the environment), so the
variables are set here, before any test module is collected.

`import rembg` imports pymatting, whose numba functions with explicit signatures compile when their
module is imported: about 60 s of CPU in a fresh environment (numba caches the machine code in the
installed package afterwards), which made the first rembg parity test take 75 s on a clean clone.
Tests only run rembg without alpha matting, so none of that code ever runs; with the JIT off the
decorators return the plain Python functions and the import takes about a second. The project's own
code has no numba.

Under pytest-xdist (`build.py test` runs one worker per core) each worker gets its share of the cores
for numpy's, scipy's and torch's thread pools, the way the batch job's `--jobs` workers do, so N
workers do not each start one thread per core; a size set in the environment already wins.
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pointskel_blender.cli.workers import worker_environment  # noqa: E402
from pointskel_blender.core.onnx_runtime import disable_telemetry  # noqa: E402

disable_telemetry()
os.environ.setdefault("NUMBA_DISABLE_JIT", "1")
if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    os.environ.update(worker_environment(int(os.environ["PYTEST_XDIST_WORKER_COUNT"])))
