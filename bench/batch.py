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


def _timed(command: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(f"batch failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
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
        startup = statistics.median(
            _timed([*base, "--input", str(folder / "none" / "*.png"), "--output", str(folder / "o")], env, (0, 1))
            for _ in range(args.repeats))
        imports = statistics.median(_timed([sys.executable, "-c", "import bpy"], env) for _ in range(args.repeats))
        print(f"cores: {os.cpu_count()} (shared with other work); {args.images} images, format {args.format}, "
              f"median of {args.repeats}")
        print(f"start-up per process: import bpy {imports:.1f} s; batch with no images {startup:.1f} s "
              "(each --jobs worker pays this again)")
        print(f"{'jobs':>4}  {'seconds':>8}  {'images/min':>10}  {'s/image':>8}")
        for jobs in args.jobs:
            times = []
            for repeat in range(args.repeats):
                out = folder / f"out-{jobs}-{repeat}"
                times.append(_timed([*base, "--input", str(inputs / "*.png"), "--output", str(out),
                                     "--jobs", str(jobs)], env))
            seconds = statistics.median(times)
            print(f"{jobs:>4}  {seconds:>8.1f}  {args.images / seconds * 60:>10.1f}  {seconds / args.images:>8.2f}")


if __name__ == "__main__":
    main()
