"""Rig build benchmark: image -> rigged, weighted mesh in Blender, per stage, medians.

    .venv/bin/python bench/rig.py [--repeats 5] [--baseline SOURCE_DIR]

Stages: pipeline (image -> skeleton), armature, mesh, weights, controls (what `scene_build.build_rig`
reports in `BuiltRig.timings`) and save (a .blend written to a temporary folder). Inputs at 1024²: the
bundled sample and a drawn stick figure. Blender's own start-up is not counted. `--baseline` points at
another copy of the add-on's source (e.g. `git archive main pointskel_blender | tar -x -C /tmp/main`,
then `--baseline /tmp/main/pointskel_blender`); it is timed in the same process, before this tree, and
the ratio of the totals is printed. A tree whose builds report no per-stage timings shows its whole
build as "build".
"""
from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import bpy  # noqa: E402
from batch import source_addon  # noqa: E402  (scripts/batch.py: enable an add-on from a source folder)
from figures import rgba_on_background, stick_figure  # noqa: E402
from pipeline import square_input  # noqa: E402  (bench/pipeline.py: the sample on a square canvas)

STAGES = ("pipeline", "armature", "mesh", "weights", "controls", "build", "save")
TARGET_S = 1.0


def inputs(folder: Path, size: int) -> dict[str, Path]:
    drawn = folder / f"drawn_{size}.png"
    Image.fromarray(rgba_on_background(stick_figure(size).mask)).save(drawn)
    return {"sample": square_input(size, folder), "drawn": drawn}


def measure(package: str, image: Path, repeats: int, folder: Path) -> dict[str, float]:
    """Median seconds per stage over `repeats` builds (after one warm-up) with the add-on `package`."""
    pipeline = importlib.import_module(f"{package}.core.pipeline")
    scene_build = importlib.import_module(f"{package}.scene_build")
    runs: dict[str, list[float]] = {}
    for attempt in range(repeats + 1):
        bpy.ops.wm.read_homefile(use_empty=True)
        start = time.perf_counter()
        result = pipeline.run_pipeline(image, pipeline.PipelineSettings())
        times = {"pipeline": time.perf_counter() - start}
        built = scene_build.build_rig(bpy.context, result, image.stem, scene_build.BuildOptions(), texture=image)
        stages = getattr(built, "timings", None) or {"build": built.seconds}
        times.update(stages)
        start = time.perf_counter()
        bpy.ops.wm.save_as_mainfile(filepath=str(folder / "bench.blend"), copy=True, check_existing=False)
        times["save"] = time.perf_counter() - start
        if attempt:
            for stage, seconds in times.items():
                runs.setdefault(stage, []).append(seconds)
    return {stage: statistics.median(values) for stage, values in runs.items()}


def row(label: str, medians: dict[str, float]) -> str:
    cells = " ".join(f"{medians[s] * 1000:>8.0f}" if s in medians else f"{'-':>8}" for s in STAGES)
    return f"{label:<24} {cells} {sum(medians.values()) * 1000:>8.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--baseline", type=Path, default=None, help="another pointskel_blender source folder")
    args = parser.parse_args()
    trees = ([("baseline", args.baseline.resolve())] if args.baseline else []) + [("this", ROOT / "pointskel_blender")]
    totals: dict[tuple[str, str], float] = {}
    print(f"{'tree / image':<24} " + " ".join(f"{s:>8}" for s in STAGES) + f" {'total':>8}   (ms, medians)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        images = inputs(folder, args.size)
        for tree, source in trees:
            with source_addon(source) as package:
                for name, path in images.items():
                    medians = measure(package, path, args.repeats, folder)
                    totals[tree, name] = sum(v for s, v in medians.items() if s != "save")
                    print(row(f"{tree} / {name}", medians), flush=True)
    print(f"\n{args.size}² images, medians of {args.repeats} builds; Blender start-up not included")
    for name in ("sample", "drawn"):
        total = totals["this", name]
        verdict = "meets" if total <= TARGET_S else "MISSES"
        line = f"{name}: image -> rigged weighted mesh {total:.2f} s ({verdict} the {TARGET_S:.1f} s target)"
        if ("baseline", name) in totals:
            line += f"; ratio to the baseline {total / totals['baseline', name]:.2f}"
        print(line)


if __name__ == "__main__":
    main()
