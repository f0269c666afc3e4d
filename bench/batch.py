"""Batch benchmark: images per minute of the headless batch job at 1, 2, ... worker processes.

    .venv/bin/python bench/batch.py [--images 8] [--jobs 1 2] [--repeats 3] [--format blend,glb,json]

Each run is `scripts/batch.py` in a fresh process on copies of the bundled sample (one output set
per image, default pipeline settings), timed from start to exit, so it includes what a user waits
for: starting Python, importing bpy and enabling the add-on, in the parent and again in every
worker. That start-up is printed on its own (a run with no images). Medians; this machine's cores
are shared with other work, so compare numbers from one run of this script only.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "batch.py"
SAMPLE = ROOT / "pointskel_blender" / "samples" / "sample_character.png"


def _run(command: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and every process it started)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        raise SystemExit(f"batch failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=8)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--format", default="blend,glb,json")
    parser.add_argument("--settings", nargs=argparse.REMAINDER, default=[],
                        help="pipeline options passed on to the batch (e.g. --points 2048)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="pointskel-bench-") as tmp:
        folder = Path(tmp)
        inputs = folder / "in"
        inputs.mkdir()
        for i in range(args.images):
            shutil.copy(SAMPLE, inputs / f"img{i:03d}.png")
        env = dict(os.environ, BLENDER_USER_RESOURCES=str(folder / "blender"))
        base = [sys.executable, str(SCRIPT), "--format", args.format, *args.settings]
        no_images = [*base, "--input", str(folder / "none" / "*.png"), "--output", str(folder / "o")]
        empty = [_run(no_images, env, (0, 1)) for _ in range(args.repeats)]
        startup, startup_cpu = (statistics.median(r[i] for r in empty) for i in (0, 1))
        imports = statistics.median(_run([sys.executable, "-c", "import bpy"], env)[0]
                                    for _ in range(args.repeats))
        print(f"cores: {os.cpu_count()} (shared with other work); {args.images} images, "
              f"format {args.format}, median of {args.repeats}")
        print(f"start-up per process: import bpy {imports:.1f} s; batch with no images {startup:.1f} s, "
              f"{startup_cpu:.1f} CPU s (each --jobs worker pays this again)")
        print(f"{'jobs':>4}  {'seconds':>8}  {'images/min':>10}  {'CPU s':>6}  {'CPU s/image':>11}")
        for jobs in args.jobs:
            command = [*base, "--input", str(inputs / "*.png"), "--jobs", str(jobs), "--output"]
            runs = [_run([*command, str(folder / f"out-{jobs}-{r}")], env) for r in range(args.repeats)]
            seconds, cpu = (statistics.median(r[i] for r in runs) for i in (0, 1))
            print(f"{jobs:>4}  {seconds:>8.1f}  {args.images / seconds * 60:>10.1f}  {cpu:>6.1f}  "
                  f"{cpu / args.images:>11.2f}")


if __name__ == "__main__":
    main()
