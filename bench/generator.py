"""Generator benchmark: seconds per 100 synthetic characters, and per cached training sample.

    .venv/bin/python bench/generator.py [--count 100] [--repeats 5] [--artist 0 0.3 1] [--samples 24]

Characters: `make_character` (realistic bodies, built and normalized, not written) for ids
0..count-1 of seed 1 (the recipe's), once per `--artist` share, the shares taken in turn within
each repeat so load changes hit them alike; median seconds per 100 characters. Samples: one
`build_sample_cache` (four views, the default settings, one worker) over `--samples` characters,
labels included, in seconds per sample; and, in one process, the median time of a front-view
`make_sample` and of its labels alone (`labels.sample_labels`). Medians, because this machine is
shared and noisy; to compare with another checkout, run this script from both in turn
(`--artist 0` runs on a tree without the option).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trainer.render import make_camera, view_rotation  # noqa: E402
from trainer.samples import View, build_sample_cache, make_sample  # noqa: E402
from trainer.synthetic import generate, make_character  # noqa: E402


def characters_seconds(count: int, share: float) -> float:
    options = {"artist": share} if share else {}
    start = time.perf_counter()
    for index in range(count):
        make_character(1, index, **options)
    return time.perf_counter() - start


def labels_share(count: int) -> tuple[float, float]:
    """Median ms of a front-view sample, and of its labels alone."""
    from trainer.labels import sample_labels
    from trainer.samples import nearest_bone

    samples, labels = [], []
    for index in range(count):
        kind, mesh, rig = make_character(1, index)
        start = time.perf_counter()
        sample = make_sample(mesh, rig, View(0.0), category=kind)
        samples.append(time.perf_counter() - start)
        nearest = nearest_bone(sample.points[:, :2], sample.segments)[2]
        rotation = make_camera(mesh.vertices, 0.0).rotation
        start = time.perf_counter()
        sample_labels(rig.names, rig.parents, rig.positions, kind, nearest, rotation, view_rotation(0.0)[1])
        labels.append(time.perf_counter() - start)
    return 1e3 * statistics.median(samples), 1e3 * statistics.median(labels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--artist", type=float, nargs="+", default=[0.0, 0.3, 1.0])
    parser.add_argument("--samples", type=int, default=24, help="characters in the cache run (0: skip)")
    args = parser.parse_args()
    times: dict[float, list[float]] = {share: [] for share in args.artist}
    for _ in range(args.repeats):
        for share in args.artist:
            times[share].append(characters_seconds(args.count, share))
    for share, values in times.items():
        per_100 = 100 * statistics.median(values) / args.count
        print(f"characters, artist share {share:g}: {per_100:.2f} s per 100 (median of {args.repeats})")
    if args.samples:
        with tempfile.TemporaryDirectory() as folder:
            generate(Path(folder) / "data", args.samples, seed=1, workers=1, progress=False)
            start = time.perf_counter()
            count = build_sample_cache(Path(folder) / "data", None, Path(folder) / "c.npz", workers=1,
                                       progress=False)
            print(f"samples: {1e3 * (time.perf_counter() - start) / count:.1f} ms per sample ({count})")
        if Path(ROOT / "trainer" / "labels.py").is_file():
            sample_ms, labels_ms = labels_share(args.samples)
            print(f"labels: {labels_ms:.2f} ms of a {sample_ms:.1f} ms front-view sample (medians)")


if __name__ == "__main__":
    main()
