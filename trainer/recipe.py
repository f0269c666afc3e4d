"""The shipped model's recipe, end to end: data, training, export, evaluation.

    python -m trainer.recipe --out runs/shipped            # everything, about 30 minutes on 2 CPU cores
    python -m trainer.recipe --out runs/shipped --install  # and copy the model into the add-on

With the defaults this reproduces the model and the tables of MODEL_CARD.md (`--install` copies the
model to `pointskel_blender/models/pointskel_offset.onnx`, where it becomes the `auto` predictor):

1. a synthetic training set (`trainer.synthetic`: 1,500 characters, seed 1, realistic bodies);
2. training (`trainer.train`: 1,024-point clouds, 6 epochs in a 20-minute budget on the CPU): the
   joint head only (`--offset-weight 0`), so the offsets stay the geometric predictor's and the
   network learns where along the medial axis the joints are (validated on 200 val clouds);
3. the bone length head (`trainer.bone_length`): 1,000 training clouds contracted by the trained
   network, their skeletons built at 6 split lengths and scored, and remembered by a
   nearest-neighbour head on the network's global feature and the contracted cloud's unsplit tree
   (`core.figure`) that chooses the length per figure (k and the tree's weight by
   leave-one-character-out cross-validation; reported on 200 validation clouds);
4. export of that checkpoint (`trainer.export`, verified against torch);
5. evaluation of the learned, geometric and skeletonize methods (`trainer.evaluate`) on figures the
   model never saw: a held-out synthetic set (200 characters, seed 12345) and Blender's eight
   Rigify metarigs given bodies (`trainer.rigify_set`, needs the `bpy` module), front and side,
   the metarigs again from eight yaws, and an evaluation-only set of chunky figures
   (`trainer.synthetic --chunky`: 60 plush, chibi and bear-like characters, seed 4242).

A step whose output already exists is skipped, so an interrupted recipe continues where it stopped
(delete a step's folder to redo it). Every step is one of the modules' own command lines, printed
before it runs, so any of them can be rerun alone with other settings.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pointskel_blender.core.contract import SHIPPED_MODEL

from . import bone_length, evaluate, export, rigify_set, synthetic, train
from .training_data import SampleSettings, cache_path

CHUNKY_COUNT, CHUNKY_SEED = 60, 4242  # the evaluation-only chunky set (`trainer.characters.chunky`)
# The metarigs once more from eight yaws: two views of eight characters turn on a handful of choices.
EIGHT_VIEWS = "0,45,90,135,180,225,270,315"


def _step(title: str, done: Path, module: Callable[[list[str]], int], argv: list[str], timings: dict) -> None:
    if done.exists():
        print(f"== {title}: {done} exists, skipped", flush=True)
        return
    print(f"== {title}: python -m {module.__module__} {' '.join(argv)}", flush=True)
    start = time.perf_counter()
    code = module(argv)
    timings[title] = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"recipe step '{title}' failed (exit {code})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.recipe", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="folder for data, run, model and results")
    parser.add_argument("--count", type=int, default=1500, help="training characters (default 1500)")
    parser.add_argument("--minutes", type=float, default=20.0, help="training budget (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="of the training set (default 1)")
    parser.add_argument("--eval-count", type=int, default=200, help="held-out characters (default 200)")
    parser.add_argument("--eval-seed", type=int, default=12345, help="of the held-out set (default 12345)")
    parser.add_argument("--install", action="store_true", help=f"copy the model to {SHIPPED_MODEL}")
    args = parser.parse_args(argv)
    out: Path = args.out
    data, heldout, metarigs, chunky = out / "data", out / "heldout", out / "metarigs", out / "chunky"
    run, model = out / "run", out / "pointskel_offset.onnx"
    timings: dict[str, float] = {}

    _step("training set", data / "train_final.txt", synthetic.main,
          ["--out", str(data), "--count", str(args.count), "--seed", str(args.seed)], timings)
    _step("training", run / "best.pt", train.main,
          ["--data", str(data), "--out", str(run), "--expected-points", "1024", "--epochs", "6",
           "--offset-weight", "0", "--joint-weight", "1", "--lr", "3e-3", "--val-samples", "200",
           "--max-minutes", str(args.minutes)], timings)
    caches = [cache_path(data, split, SampleSettings(), run / "cache") for split in ("train", "val")]
    _step("bone length head", run / "bone_length.pt", bone_length.main,
          [str(run / "best.pt"), "--cache", str(caches[0]), "--val-cache", str(caches[1]),
           "--out", str(run / "bone_length.pt")], timings)
    _step("export", model, export.main, [str(run / "bone_length.pt"), str(model)], timings)
    _step("held-out set", heldout / "train_final.txt", synthetic.main,
          ["--out", str(heldout), "--count", str(args.eval_count), "--seed", str(args.eval_seed)], timings)
    _step("metarig set", metarigs / "test_final.txt", rigify_set.main, ["--out", str(metarigs)], timings)
    _step("chunky set", chunky / "train_final.txt", synthetic.main,
          ["--out", str(chunky), "--count", str(CHUNKY_COUNT), "--seed", str(CHUNKY_SEED), "--chunky"],
          timings)
    evaluations = (
        ("held-out synthetic", heldout, "all", [], "heldout"),
        ("Rigify metarigs", metarigs, "test", [], "metarigs"),
        ("Rigify metarigs from eight views", metarigs, "test", ["--views", EIGHT_VIEWS], "metarigs_8views"),
        ("chunky figures", chunky, "all", [], "chunky"),
    )
    for name, dataset, split, views, folder in evaluations:
        results = out / "results" / folder
        _step(f"evaluation on {name}", results / "results.md", evaluate.main,
              ["--data", str(dataset), "--split", split, "--model", str(model), *views,
               "--methods", "learned,geometric,skeletonize", "--out", str(results)], timings)

    for title, seconds in timings.items():
        print(f"{title}: {seconds / 60:.1f} min")
    print(f"total: {sum(timings.values()) / 60:.1f} min (steps run now); results in {out / 'results'}")
    if args.install:
        SHIPPED_MODEL.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(model, SHIPPED_MODEL)
        print(f"installed {model} -> {SHIPPED_MODEL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
