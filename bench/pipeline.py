"""Pipeline benchmark: per-stage median time and peak memory by image size and point count.

    .venv/bin/python bench/pipeline.py [--repeats 7] [--predictor auto] [--sizes 512 1024 2048]
    .venv/bin/python bench/pipeline.py --memory [--quick]
    .venv/bin/python bench/pipeline.py --against /path/to/other/checkout [--repeats 41]

Prints a table, the time after the mask at 1024² / 4096 points against the 150 ms target, the
fitted exponent of cost in points (1.0 = linear), and scikit-image `skeletonize` of the same
working-resolution mask, timed in the same run. Peak memory is what numpy allocates (tracemalloc);
onnxruntime's own buffers are not included. Medians, because this machine is shared and noisy.

`--memory` runs each setting (image size, points, working size) once in a fresh process with the
preview, and prints the process's peak resident memory (everything: Pillow, onnxruntime, numpy)
against the 2 GB target, and how far the skeleton moves from the one of the next smaller setting
(mean nearest-joint distance x 100, in figure units): where that stops shrinking, a larger setting
stops improving the result.

`--against` times the time after the mask at 1024² / 4096 points for this checkout's code and another
checkout's (the same sample, model and settings) in two processes that run one pipeline each in turn,
so a shared machine's drifting load falls on both alike: per-stage medians of each, the load average,
and the median ratio of the two totals of each pair of runs (what a noisy machine still shows).
"""
from __future__ import annotations

import argparse
import contextlib
import math
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
# `--code PATH` (what `--against` passes its timing processes): run another checkout's pipeline code.
CODE = Path(sys.argv[sys.argv.index("--code") + 1]).resolve() if "--code" in sys.argv else ROOT
sys.path.insert(0, str(CODE))

from pointskel_blender.core.image import MAX_PIXELS  # noqa: E402
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline  # noqa: E402
from pointskel_blender.core.settings import SETTINGS  # noqa: E402

SAMPLE = ROOT / "pointskel_blender" / "samples" / "sample_character.png"
STAGES = ("load", "mask", "lift", "contract", "topology", "anatomy", "skeleton")
AFTER_MASK = ("lift", "contract", "topology", "anatomy", "skeleton")
TARGET_MS = 150.0


def square_input(size: int, folder: Path) -> Path:
    """The bundled sample centred on a transparent size×size canvas."""
    sample = Image.open(SAMPLE).convert("RGBA")
    scale = 0.9 * size / max(sample.size)
    sample = sample.resize((round(sample.width * scale), round(sample.height * scale)),
                           Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    canvas.paste(sample, ((size - sample.width) // 2, (size - sample.height) // 2), sample)
    path = folder / f"bench_{size}.png"
    canvas.save(path)
    return path


class PeakMemory:
    """Peak traced allocation per stage, in MiB."""

    def __init__(self) -> None:
        self.peaks: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, stage: str):
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        yield
        self.peaks[stage] = (tracemalloc.get_traced_memory()[1] - base) / 2**20


def measure(
    path: Path, settings: PipelineSettings, repeats: int
) -> tuple[dict[str, float], dict[str, float], object]:
    run_pipeline(path, settings)  # warm-up: sessions, caches, page faults
    times = {s: [] for s in STAGES}
    result = None
    for _ in range(repeats):
        result = run_pipeline(path, settings)
        for stage in STAGES:
            times[stage].append(result.timings.get(stage, 0.0) * 1000)
    memory = PeakMemory()
    tracemalloc.start()
    try:
        run_pipeline(path, settings, instrument=memory)
    finally:
        tracemalloc.stop()
    return {s: statistics.median(v) for s, v in times.items()}, memory.peaks, result


def time_skeletonize(mask: np.ndarray, repeats: int) -> float:
    from skimage.morphology import skeletonize

    skeletonize(mask)
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        skeletonize(mask)
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


TARGET_MIB = 2048
# Sweeps of (image side, points, working size): each knob up from the defaults alone, then all at once.
# The largest accepted: a square image at the pixel limit, and the table's maximum points and working size.
MAX_SIDE = math.isqrt(MAX_PIXELS)
MAX_POINTS, MAX_WORK = int(SETTINGS["points"].maximum), int(SETTINGS["work_size"].maximum)
MEMORY_SWEEPS = {
    "points": [(1024, p, 512) for p in (4096, 16384, 65536, MAX_POINTS)],
    "working size": [(4096, 4096, w) for w in (512, 1024, 2048, MAX_WORK)],
    "image size": [(s, 4096, 512) for s in (1024, 4096, MAX_SIDE)],
    "largest accepted": [(MAX_SIDE, MAX_POINTS, MAX_WORK)],
}
QUICK_SWEEPS = {"points": [(512, 2048, 256), (512, 4096, 256)], "image size": [(1024, 4096, 256)]}


def peak_rss_mib() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: a child started by fork and exec
    inherits its parent's ru_maxrss, so that one would report the bench's own peak too."""
    import resource

    status = Path("/proc/self/status")
    if status.exists():
        line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    return kib / 1024


def one_run(image: str, points: int, work_size: int, predictor: str) -> None:
    """A single pipeline run and preview (in its own process): peak RSS and the joints, as JSON."""
    import json

    from pointskel_blender.core.preview import render_preview

    result = run_pipeline(image, PipelineSettings(points=points, work_size=work_size, predictor=predictor))
    render_preview(result)
    peak = peak_rss_mib()
    joints = [list(j.position) for j in result.skeleton.joints]
    print(json.dumps({"peak_mib": peak, "joints": joints, "seconds": sum(result.timings.values())}))


def joint_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Symmetric mean nearest-joint distance (CD-J2J), x 100 in figure units."""
    d = np.linalg.norm(a[:, None, :2] - b[None, :, :2], axis=2)
    return 50.0 * (d.min(axis=1).mean() + d.min(axis=0).mean())


def memory_table(sweeps: dict[str, list[tuple[int, int, int]]], predictor: str) -> None:
    import json
    import subprocess

    print(f"{'image':>6} {'points':>8} {'work':>5} {'peak MiB':>9} {'seconds':>8} {'joints':>6} "
          f"{'moved':>6}   (target <= {TARGET_MIB} MiB; moved: CD-J2J x100 to the row above)")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, settings in sweeps.items():
            print(f"-- {name}")
            previous = None
            for size, points, work in settings:
                path = square_input(size, Path(tmp))
                done = subprocess.run(
                    [sys.executable, __file__, "--one", str(path), str(points), str(work),
                     "--predictor", predictor],
                    capture_output=True, text=True, check=True,
                )
                row = json.loads(done.stdout.strip().splitlines()[-1])
                joints = np.array(row["joints"])
                moved = f"{joint_distance(joints, previous):6.2f}" if previous is not None else f"{'-':>6}"
                previous = joints
                worst = max(worst, row["peak_mib"])
                print(f"{size:>5}² {points:>8} {work:>5} {row['peak_mib']:>9.0f} {row['seconds']:>8.1f} "
                      f"{len(joints):>6} {moved}", flush=True)
    verdict = "meets" if worst <= TARGET_MIB else "MISSES"
    print(f"\nlargest peak {worst:.0f} MiB ({verdict} the {TARGET_MIB} MiB target); "
          "whole process, preview included")


def worker(predictor: str) -> None:
    """One pipeline run at 1024² / 4096 points per line read from stdin, its stage times as a JSON line:
    `--against` keeps one such process per checkout and asks them in turn."""
    import json

    with tempfile.TemporaryDirectory() as tmp:
        path = square_input(1024, Path(tmp))
        settings = PipelineSettings(points=4096, predictor=predictor)
        run_pipeline(path, settings)  # warm-up: sessions, caches, page faults
        print("ready", flush=True)
        for _ in sys.stdin:
            timings = run_pipeline(path, settings).timings
            print(json.dumps({s: timings.get(s, 0.0) * 1000 for s in AFTER_MASK}), flush=True)


def against(other: Path, repeats: int, predictor: str) -> None:
    """This checkout's and `other`'s time after the mask, one run of each in turn (the order swapped
    every pair), so that the load of a shared machine falls on both alike; the ratio per pair."""
    import json
    import os
    import subprocess

    workers = {}
    for label, code in (("this", ROOT), ("other", other)):
        command = [sys.executable, __file__, "--worker", "--code", str(code), "--predictor", predictor]
        workers[label] = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    runs: dict[str, list[dict[str, float]]] = {"this": [], "other": []}
    loads = []
    try:
        for process in workers.values():
            assert process.stdout.readline().strip() == "ready"
        for index in range(repeats):
            loads.append(os.getloadavg()[0])
            for label in ("this", "other")[:: -1 if index % 2 else 1]:
                workers[label].stdin.write("run\n")
                workers[label].stdin.flush()
                runs[label].append(json.loads(workers[label].stdout.readline()))
    finally:
        for process in workers.values():
            process.stdin.close()
            process.wait()
    totals = {label: [sum(m.values()) for m in found] for label, found in runs.items()}
    ratios = [a / b for a, b in zip(totals["this"], totals["other"])]
    print(f"this checkout: {ROOT}\nother: {other}\n{repeats} runs of each in turn, 1024² / 4096 points, "
          f"load average {min(loads):.2f}-{max(loads):.2f} (median {statistics.median(loads):.2f})")
    print(f"{'code':>6} " + " ".join(f"{s:>9}" for s in AFTER_MASK) + f" {'after mask':>10} {'10th pct':>8} "
          f"{'min':>8}   (medians; the fastest runs are the least disturbed by the load)")
    for label in ("this", "other"):
        stages = [statistics.median(m[s] for m in runs[label]) for s in AFTER_MASK]
        print(f"{label:>6} " + " ".join(f"{v:>7.1f}ms" for v in stages)
              + f" {statistics.median(totals[label]):>8.1f}ms {_tenth(totals[label]):>6.1f}ms "
              f"{min(totals[label]):>6.1f}ms")
    quartiles = statistics.quantiles(ratios, n=4)
    print(f"ratio this/other of each pair's time after the mask: median {statistics.median(ratios):.3f} "
          f"(quartiles {quartiles[0]:.3f}-{quartiles[2]:.3f}); of the 10th percentiles "
          f"{_tenth(totals['this']) / _tenth(totals['other']):.3f}")


def _tenth(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--memory", action="store_true", help="peak memory and result change per setting")
    parser.add_argument("--quick", action="store_true", help="with --memory: three small settings only")
    parser.add_argument("--one", nargs=3, metavar=("IMAGE", "POINTS", "WORK"), help=argparse.SUPPRESS)
    parser.add_argument("--against", type=Path, help="another checkout to time alternately against")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--predictor", default="auto", choices=("auto", "geometric", "onnx"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[512, 1024, 2048])
    parser.add_argument("--points", type=int, nargs="+", default=[2048, 8192, 32768])
    args = parser.parse_args()
    if args.worker:
        worker(args.predictor)
        return
    if args.against:
        against(args.against.resolve(), args.repeats, args.predictor)
        return
    if args.one:
        one_run(args.one[0], int(args.one[1]), int(args.one[2]), args.predictor)
        return
    if args.memory:
        memory_table(QUICK_SWEEPS if args.quick else MEMORY_SWEEPS, args.predictor)
        return

    print(f"{'image':>6} {'points':>6} " + " ".join(f"{s:>9}" for s in STAGES)
          + f" {'after mask':>10} {'skeletonize':>11} {'ratio':>6}   peak MiB (" + "/".join(STAGES) + ")")
    after_mask: dict[tuple[int, int], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = square_input(size, Path(tmp))
            for points in sorted(set(args.points) | ({4096} if size == 1024 else set())):
                settings = PipelineSettings(points=points, predictor=args.predictor)
                medians, peaks, result = measure(path, settings, args.repeats)
                after = sum(medians[s] for s in AFTER_MASK)
                after_mask[(size, points)] = after
                skel = time_skeletonize(result.mask.mask, args.repeats)
                print(f"{size:>5}² {points:>6} " + " ".join(f"{medians[s]:>7.1f}ms" for s in STAGES)
                      + f" {after:>8.1f}ms {skel:>9.1f}ms {after / skel:>6.2f}   "
                      + "/".join(f"{peaks.get(s, 0):.1f}" for s in STAGES), flush=True)
    print(f"\npredictor: {result.predictor}; working resolution {settings.work_size} px; "
          f"medians of {args.repeats}")
    if (1024, 4096) in after_mask:
        verdict = "meets" if after_mask[(1024, 4096)] <= TARGET_MS else "MISSES"
        print(f"after the mask at 1024² with 4096 points: {after_mask[(1024, 4096)]:.1f} ms "
              f"({verdict} the {TARGET_MS:.0f} ms target)")
    for size in args.sizes:
        pts = sorted(p for s, p in after_mask if s == size)
        if len(pts) >= 2:
            slope = np.polyfit(np.log(pts), np.log([after_mask[(size, p)] for p in pts]), 1)[0]
            print(f"{size}²: time after the mask ~ points^{slope:.2f} over {pts[0]}..{pts[-1]} points")
    print("ratio = PointSkel after-mask time / skimage.morphology.skeletonize "
          "on the same working-resolution mask")


if __name__ == "__main__":
    main()
