"""Controls benchmark: the controls stage of a build, per choice, medians.

    .venv/bin/python bench/controls.py [--repeats 5] [--size 1024]

For the bundled sample and a drawn stick figure at size², the pipeline runs once; then each build
(`scene_build.build_rig`, the add-on loaded from this source tree) reports its controls stage in
`BuiltRig.timings["controls"]`: IK controls, the Rigify metarig without Generate, and with Generate
(Rigify's own work, which the 1 s image-to-rig target leaves out). Target: IK controls <= 100 ms.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import statistics
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import bpy
from figures import rgba_on_background, stick_figure
from pipeline import square_input

# scripts/batch.py by its path: bench/batch.py (the batch throughput bench) has the same module name
_SPEC = importlib.util.spec_from_file_location("pointskel_batch_launcher", ROOT / "scripts" / "batch.py")
_LAUNCHER = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_LAUNCHER)
source_addon = _LAUNCHER.source_addon

CHOICES = (("ik", "ik", True), ("rigify metarig", "rigify", False), ("rigify + Generate", "rigify", True))
TARGET_MS = 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--size", type=int, default=1024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, source_addon() as package:
        folder = Path(tmp)
        drawn = folder / f"drawn_{args.size}.png"
        Image.fromarray(rgba_on_background(stick_figure(args.size).mask)).save(drawn)
        images = {"sample": square_input(args.size, folder), "drawn": drawn}
        pipeline = importlib.import_module(f"{package}.core.pipeline")
        scene_build = importlib.import_module(f"{package}.blender.scene_build")
        print(f"{'image':<8} {'controls':<20} {'ms':>8} {'bones':>6}   "
              f"(median of {args.repeats}, after one warm-up)")
        worst_ik = 0.0
        for label, image in images.items():
            result = pipeline.run_pipeline(image, pipeline.PipelineSettings())
            for name, controls, generate in CHOICES:
                times, bones = [], 0
                for attempt in range(args.repeats + 1):
                    bpy.ops.wm.read_homefile(use_empty=True)
                    options = scene_build.BuildOptions(controls=controls, rigify_generate=generate)
                    built = scene_build.build_rig(bpy.context, result, image.stem, options)
                    bones = len(built.armature.data.bones)
                    if attempt:
                        times.append(built.timings["controls"])
                median = statistics.median(times) * 1000
                if controls == "ik":
                    worst_ik = max(worst_ik, median)
                print(f"{label:<8} {name:<20} {median:>8.1f} {bones:>6}")
        verdict = "meets" if worst_ik <= TARGET_MS else "misses"
        print(f"IK controls: {worst_ik:.1f} ms at most, {verdict} the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()
