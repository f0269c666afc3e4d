"""The shipped model's recipe, end to end: data, training, export, evaluation.

    python -m trainer.recipe --out runs/shipped            # everything, about 30 minutes on 2 CPU cores
    python -m trainer.recipe --out runs/shipped --install  # and copy the model into the add-on
    python -m trainer.recipe --out runs/parts --part-head  # with the part head (about 3 minutes more)
    python -m trainer.recipe --out runs/parts --base MODEL.onnx  # only a part head on an existing model

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
4. with `--part-head` (not the shipped model: MODEL_CARD, "The part head"), the part head
   (`trainer.part_head`): per-point body parts and the figure's body plan, on the frozen features of
   that network, so every other output stays the same, from the training set and a second draw of
   800 characters, 70 % of them artists' figures (`trainer.synthetic --artist 0.7`, seed 2718): the
   network reads each cloud once (at most `--part-minutes`), the head learns 20 epochs over what it
   read, rarer parts weighted up (`--balance 0.5`); with `--base MODEL.onnx` (a head it has is
   replaced; the rules' evaluations below read MODEL, so give a head-less file for the rules alone)
   steps 2 and 3 are skipped and the head is trained on that model's features instead;
5. export of that checkpoint (`trainer.export`, verified against torch), with a part head also of
   the network without it (`base.onnx`, whose anatomy stage reads parts by its rules alone);
6. evaluation of the learned, geometric and skeletonize methods (`trainer.evaluate`) on figures the
   model never saw: a held-out synthetic set (200 characters, seed 12345) and Blender's eight
   Rigify metarigs given bodies (`trainer.rigify_set`, needs the `bpy` module), front and side,
   the metarigs again from eight yaws, and an evaluation-only set of chunky figures
   (`trainer.synthetic --chunky`: 60 plush, chibi and bear-like characters, seed 4242); with a part
   head also of the anatomy stage with it against its rules alone (the same network without the
   head) on the first 40 held-out characters, the chunky set and the metarigs (`results/parts_*`,
   `results/rules_*`).

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

from . import bone_length, evaluate, export, part_head, rigify_set, synthetic, train
from .training_data import SampleSettings, cache_path

CHUNKY_COUNT, CHUNKY_SEED = 60, 4242  # the evaluation-only chunky set (`trainer.characters.chunky`)
# the part head's second training set: 70 % artists' figures (`trainer.characters.artist`), its own seed
ARTIST_COUNT, ARTIST_SEED, ARTIST_SHARE = 800, 2718, 0.7
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
    parser.add_argument("--part-head", action="store_true", help="train a part head too (trainer.part_head)")
    parser.add_argument("--base", type=Path, help="train only a part head on this exported model")
    parser.add_argument("--part-minutes", type=float, default=30.0, help="part head budget (default 30)")
    parser.add_argument("--install", action="store_true", help=f"copy the model to {SHIPPED_MODEL}")
    args = parser.parse_args(argv)
    out: Path = args.out
    data, heldout, metarigs, chunky = out / "data", out / "heldout", out / "metarigs", out / "chunky"
    run, model = out / "run", out / "pointskel_offset.onnx"
    timings: dict[str, float] = {}

    _step("training set", data / "train_final.txt", synthetic.main,
          ["--out", str(data), "--count", str(args.count), "--seed", str(args.seed)], timings)
    parts = args.part_head or args.base is not None
    base = out / "base.onnx"  # the network without a part head: what the rules-only evaluations run
    if args.base is not None and not base.exists():
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.base, base)  # kept: --install may replace the file it came from
    if args.base is None:
        _step("training", run / "best.pt", train.main,
              ["--data", str(data), "--out", str(run), "--expected-points", "1024", "--epochs", "6",
               "--offset-weight", "0", "--joint-weight", "1", "--lr", "3e-3", "--val-samples", "200",
               "--max-minutes", str(args.minutes)], timings)
        caches = [cache_path(data, split, SampleSettings(), run / "cache") for split in ("train", "val")]
        _step("bone length head", run / "bone_length.pt", bone_length.main,
              [str(run / "best.pt"), "--cache", str(caches[0]), "--val-cache", str(caches[1]),
               "--out", str(run / "bone_length.pt")], timings)
        if parts:
            _step("export without the part head", base, export.main,
                  [str(run / "bone_length.pt"), str(base)], timings)
    if parts:
        artists = out / "artists"  # the figures artists draw, for the part head alone
        _step("artists' figures", artists / "train_final.txt", synthetic.main,
              ["--out", str(artists), "--count", str(ARTIST_COUNT), "--seed", str(ARTIST_SEED),
               "--artist", str(ARTIST_SHARE)], timings)
        _step("part head", run / "parts.pt", part_head.main,
              [str(base if args.base else run / "bone_length.pt"), "--data", str(data), "--caches",
               str(run / "cache"), "--data", str(artists), "--caches", str(run / "artist_cache"),
               "--epochs", "20", "--balance", "0.5", "--out", str(run / "parts.pt"),
               "--minutes", str(args.part_minutes)], timings)
    _step("export", model, export.main, [str(run / ("parts.pt" if parts else "bone_length.pt")), str(model)],
          timings)
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
    anatomy_sets = (("held-out synthetic", heldout, "all", ["--limit", "40"], "heldout"),
                    ("chunky figures", chunky, "all", [], "chunky"),
                    ("Rigify metarigs", metarigs, "test", [], "metarigs"))
    for name, dataset, split, limit, folder in anatomy_sets if parts else ():
        for reading, file in (("parts", model), ("rules", base)):
            results = out / "results" / f"{reading}_{folder}"
            _step(f"anatomy ({reading}) on {name}", results / "results.md", evaluate.main,
                  ["--data", str(dataset), "--split", split, *limit, "--model", str(file),
                   "--methods", "learned", "--resamples", "1000", "--examples", "0", "--out", str(results)],
                  timings)

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
