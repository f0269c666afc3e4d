"""Rig build benchmark: image -> rigged, weighted mesh in Blender, per stage, medians.

    .venv/bin/python bench/rig.py [--repeats 5] [--baseline SOURCE_DIR]

Stages: pipeline (image -> skeleton), armature, mesh, weights, controls (what `scene_build.build_rig`
reports in `BuiltRig.timings`) and save (a .blend written to a temporary folder). Inputs at 1024²: the
bundled sample and a drawn stick figure. Blender's own start-up is not counted. `--baseline` points at
another copy of the add-on's source (e.g. `git archive main pointskel_blender | tar -x -C /tmp/main`,
then `--baseline /tmp/main/pointskel_blender`); it is loaded as a second package and its builds
alternate with this tree's, so a busy machine slows both alike, and the ratio of the totals is printed.
A tree whose builds report no per-stage timings shows its whole build as "build".
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import bpy  # noqa: E402
from figures import rgba_on_background, stick_figure  # noqa: E402
from pipeline import square_input  # noqa: E402  (bench/pipeline.py: the sample on a square canvas)

STAGES = ("pipeline", "armature", "mesh", "weights", "controls", "build", "save")
TARGET_S = 1.0


def inputs(folder: Path, size: int) -> dict[str, Path]:
    drawn = folder / f"drawn_{size}.png"
    Image.fromarray(rgba_on_background(stick_figure(size).mask)).save(drawn)
    return {"sample": square_input(size, folder), "drawn": drawn}


def load_tree(alias: str, source: Path):
    """The add-on source folder `source` as package `alias` (its modules import each other relatively)."""
    spec = importlib.util.spec_from_file_location(alias, source / "__init__.py",
                                                  submodule_search_locations=[str(source)])
    package = importlib.util.module_from_spec(spec)
    sys.modules[alias] = package
    spec.loader.exec_module(package)
    # a baseline from before the add-on's regroup has its scene build at the top of the package
    build = "blender.scene_build" if (source / "blender").is_dir() else "scene_build"
    return importlib.import_module(f"{alias}.core.pipeline"), importlib.import_module(f"{alias}.{build}")


def build_once(tree, image: Path, folder: Path) -> dict[str, float]:
    """Seconds per stage of one image -> saved rig with one tree's (pipeline, scene_build)."""
    pipeline, scene_build = tree
    bpy.ops.wm.read_homefile(use_empty=True)
    start = time.perf_counter()
    result = pipeline.run_pipeline(image, pipeline.PipelineSettings())
    times = {"pipeline": time.perf_counter() - start}
    built = scene_build.build_rig(bpy.context, result, image.stem, scene_build.BuildOptions(), texture=image)
    times.update(getattr(built, "timings", None) or {"build": built.seconds})
    start = time.perf_counter()
    bpy.ops.wm.save_as_mainfile(filepath=str(folder / "bench.blend"), copy=True, check_existing=False)
    times["save"] = time.perf_counter() - start
    return times


def row(label: str, medians: dict[str, float]) -> str:
    cells = " ".join(f"{medians[s] * 1000:>8.0f}" if s in medians else f"{'-':>8}" for s in STAGES)
    return f"{label:<24} {cells} {sum(medians.values()) * 1000:>8.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--baseline", type=Path, default=None, help="another pointskel_blender source folder")
    args = parser.parse_args()
    trees = {"this": load_tree("pointskel_this", ROOT / "pointskel_blender")}
    if args.baseline:
        trees = {"baseline": load_tree("pointskel_baseline", args.baseline.resolve()), **trees}
    totals: dict[tuple[str, str], float] = {}
    builds: dict[tuple[str, str], float] = {}  # the scene build alone: armature, mesh, weights, controls
    print(f"{'tree / image':<24} " + " ".join(f"{s:>8}" for s in STAGES) + f" {'total':>8}   (ms, medians)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, path in inputs(folder, args.size).items():
            runs: dict[str, dict[str, list[float]]] = {tree: {} for tree in trees}
            for attempt in range(args.repeats + 1):  # the first is a warm-up
                for tree, modules in trees.items():
                    times = build_once(modules, path, folder)
                    for stage, seconds in times.items():
                        if attempt:
                            runs[tree].setdefault(stage, []).append(seconds)
            for tree in trees:
                medians = {stage: statistics.median(values) for stage, values in runs[tree].items()}
                totals[tree, name] = sum(v for s, v in medians.items() if s != "save")
                builds[tree, name] = sum(v for s, v in medians.items() if s not in ("pipeline", "save"))
                print(row(f"{tree} / {name}", medians), flush=True)
    print(f"\n{args.size}² images, medians of {args.repeats} builds; Blender start-up not included")
    for name in ("sample", "drawn"):
        total = totals["this", name]
        verdict = "meets" if total <= TARGET_S else "MISSES"
        line = f"{name}: image -> rigged weighted mesh {total:.2f} s ({verdict} the {TARGET_S:.1f} s target)"
        if ("baseline", name) in totals:
            line += (f"; ratio to the baseline {total / totals['baseline', name]:.2f} "
                     f"(the scene build alone {builds['this', name] / builds['baseline', name]:.2f})")
        print(line)


if __name__ == "__main__":
    main()
