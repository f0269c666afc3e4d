"""Pipeline benchmark: per-stage median time and peak memory by image size and point count.

    .venv/bin/python bench/pipeline.py [--repeats 7] [--predictor auto] [--sizes 512 1024 2048]

Prints a table, the time after the mask at 1024² / 4096 points against the 150 ms target, the
fitted exponent of cost in points (1.0 = linear), and scikit-image `skeletonize` of the same
working-resolution mask, timed in the same run. Peak memory is what numpy allocates (tracemalloc);
onnxruntime's own buffers are not included. Medians, because this machine is shared and noisy.
"""
from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline  # noqa: E402

SAMPLE = ROOT / "pointskel_blender" / "samples" / "sample_character.png"
STAGES = ("load", "mask", "lift", "contract", "topology", "anatomy", "skeleton")
AFTER_MASK = ("lift", "contract", "topology", "anatomy", "skeleton")
TARGET_MS = 150.0


def square_input(size: int, folder: Path) -> Path:
    """The bundled sample centred on a transparent size×size canvas."""
    sample = Image.open(SAMPLE).convert("RGBA")
    scale = 0.9 * size / max(sample.size)
    sample = sample.resize((round(sample.width * scale), round(sample.height * scale)), Image.Resampling.LANCZOS)
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


def measure(path: Path, settings: PipelineSettings, repeats: int) -> tuple[dict[str, float], dict[str, float], object]:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--predictor", default="auto", choices=("auto", "geometric", "onnx"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[512, 1024, 2048])
    parser.add_argument("--points", type=int, nargs="+", default=[2048, 8192, 32768])
    args = parser.parse_args()

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
    print(f"\npredictor: {result.predictor}; working resolution {settings.work_size} px; medians of {args.repeats}")
    if (1024, 4096) in after_mask:
        verdict = "meets" if after_mask[(1024, 4096)] <= TARGET_MS else "MISSES"
        print(f"after the mask at 1024² with 4096 points: {after_mask[(1024, 4096)]:.1f} ms "
              f"({verdict} the {TARGET_MS:.0f} ms target)")
    for size in args.sizes:
        pts = sorted(p for s, p in after_mask if s == size)
        if len(pts) >= 2:
            slope = np.polyfit(np.log(pts), np.log([after_mask[(size, p)] for p in pts]), 1)[0]
            print(f"{size}²: time after the mask ~ points^{slope:.2f} over {pts[0]}..{pts[-1]} points")
    print("ratio = PointSkel after-mask time / skimage.morphology.skeletonize on the same working-resolution mask")


if __name__ == "__main__":
    main()
