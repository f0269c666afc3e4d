"""Skeleton methods scored on held-out rigged characters, through the add-on's real pipeline.

    python -m trainer.evaluate --data DIR [--split test] [--model ONNX]
        [--methods learned,geometric,skeletonize] [--views front,side] [--resolution 256]
        [--tolerance 0.05] [--out RESULTS_DIR] [--limit N] [--workers 2]

RigNet's own test split (ModelsResource-RigNetv1 as distributed: `obj/`, `rig_info/`,
`test_final.txt`; add `--mesh-dir obj_remesh --rig-dir rig_info_remesh` for the remeshed variant):

    python -m trainer.evaluate --data ModelsResource-RigNetv1 --split test --out out/eval/rignet-test

For every character of the split and every view, the silhouette and the ground-truth joints are
projected by one camera (`trainer.render`, fitted to the mesh, no augmentation; a `random` view is
seeded by --seed, the item and the view), the silhouette becomes an RGBA image whose alpha is the
mask, and each method runs on it as the add-on would (`mask_backend="alpha"`, working resolution =
image size, so nothing is resampled):

- `learned`: `run_pipeline` with the ONNX offset predictor (--model, default the shipped model);
- `geometric`: `run_pipeline` with the learning-free geometric predictor;
- `skeletonize`, `medial_axis`: scikit-image on the same mask, then the same topology and naming
  (`trainer.baselines`).

Predicted joint pixels are scored against the projected truth by `trainer.metrics.score_skeleton`,
in units of the figure's height (its silhouette's bounding-box height in pixels), and by the
rigger's metrics of `trainer.rig_metrics` (limb tips, part naming, bones per arm/leg) in units of
the figure's size (its bounding box's longest side), with each true joint's part read from its name
and the item's category. Every number in
the summary is a mean over items of the per-item mean over views, with the standard error over
items; "X beats Y" claims come with a seeded bootstrap confidence interval of the per-item
difference. A method's failure on a view (a `PointSkelError`) is counted and reported, never
scored as zero; its other views still count. Outputs: see `trainer.eval_report`.

A method may name pipeline settings it runs with (`eval_config`): `--methods
learned,learned:tail_bones=2` compares the learned method with and without a fixed tail.

This module is the command line; the work is in `eval_config` (the checked config), `eval_data` (the
cases), `eval_run` (running the methods), `eval_stats` (means and bootstraps) and `eval_report`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from pointskel_blender.core.contract import SHIPPED_MODEL
from pointskel_blender.core.errors import PointSkelError

from .eval_config import DEFAULT_VIEWS, METHODS, EvalConfig, EvaluationError, needs_model
from .eval_data import CATEGORIES_FILE, load_categories
from .eval_report import write_results
from .eval_run import evaluate
from .rignet import MESH_DIR, RIG_DIR
from .synthetic import INFO_FILE


def default_methods(model: str | None) -> tuple[str, ...]:
    """learned (when a model is given or shipped), geometric, skeletonize."""
    return ("learned", "geometric", "skeletonize") if model is not None else ("geometric", "skeletonize")


def resolve_model(model: str | None, methods: Sequence[str] | None) -> str | None:
    """--model, else the shipped model when it exists; an explicit `learned` without either fails."""
    if model is not None:
        return model
    if SHIPPED_MODEL.is_file():
        return str(SHIPPED_MODEL)
    if methods is not None and needs_model(methods):
        raise EvaluationError(f"the learned method needs --model (no shipped model at {SHIPPED_MODEL})")
    return None


def _csv(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split(",") if t.strip())


def _default(name: str) -> Any:
    return EvalConfig.__dataclass_fields__[name].default


def build_parser() -> argparse.ArgumentParser:
    """The command line; every default that fixes the numbers is `EvalConfig`'s."""
    parser = argparse.ArgumentParser(prog="python -m trainer.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="RigNet-format dataset folder")
    parser.add_argument("--split", default=_default("split"), help="train, val, test or all (default test)")
    parser.add_argument(
        "--model", default=None, help="ONNX offset predictor for 'learned' (default: the shipped one)"
    )
    parser.add_argument(
        "--methods",
        type=_csv,
        default=None,
        help=f"comma list of {', '.join(METHODS)}, each optionally with :SETTING=VALUE pipeline settings "
        "(default learned if a model exists, geometric, skeletonize)",
    )
    parser.add_argument(
        "--views",
        type=_csv,
        default=DEFAULT_VIEWS,
        help="front, side, back, random or yaw degrees, comma-separated (default front,side)",
    )
    resolution = _default("resolution")
    parser.add_argument(
        "--resolution", type=int, default=resolution, help=f"silhouette size in px (default {resolution})"
    )
    tolerance = _default("tolerance")
    parser.add_argument(
        "--tolerance",
        type=float,
        default=tolerance,
        help=f"joint match radius as a fraction of the figure height (default {tolerance:g})",
    )
    parser.add_argument(
        "--margin", type=float, default=_default("margin"), help="camera margin, fraction of the image side"
    )
    points, voxel, seed = _default("points"), _default("voxel"), _default("seed")
    parser.add_argument("--points", type=int, default=points, help=f"lifted points (default {points})")
    parser.add_argument("--voxel", type=float, default=voxel, help=f"topology detail (default {voxel:g})")
    parser.add_argument(
        "--seed", type=int, default=seed, help=f"lift, random views and bootstrap (default {seed})"
    )
    parser.add_argument(
        "--categories",
        default=None,
        help=f"JSON {{id: category}} (default: the dataset's {INFO_FILE} or {CATEGORIES_FILE})",
    )
    parser.add_argument("--out", default=None, help="results folder (default out/eval/<dataset>-<split>)")
    parser.add_argument("--limit", type=int, default=None, help="first N characters of the split only")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--examples", type=int, default=12, help="cases on the examples sheet (default 12)")
    parser.add_argument("--resamples", type=int, default=10000, help="bootstrap resamples (default 10000)")
    parser.add_argument("--mesh-dir", default=MESH_DIR)
    parser.add_argument("--rig-dir", default=RIG_DIR)
    return parser


def config_from_args(args: argparse.Namespace) -> EvalConfig:
    """The one config a parsed command line asks for (raises a one-line PointSkelError when it is bad)."""
    model = resolve_model(args.model, args.methods)
    methods = tuple(args.methods or default_methods(model))
    given = {f.name: getattr(args, f.name) for f in fields(EvalConfig)}  # every field has its flag
    return EvalConfig(
        **{
            **given,
            "split": None if args.split == "all" else args.split,
            "methods": methods,
            "model": model if needs_model(methods) else None,
            "views": tuple(args.views),
        }
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = (
        Path(args.out) if args.out else Path("out", "eval", f"{Path(args.data).resolve().name}-{args.split}")
    )
    try:
        config = config_from_args(args)
        if args.resamples < 1:
            raise EvaluationError(f"resamples must be at least 1, got {args.resamples}")
        categories = load_categories(args.data, args.categories)
        report = evaluate(config, workers=args.workers, categories=categories, resamples=args.resamples)
        report.provenance["command"] = "python -m trainer.evaluate " + " ".join(
            sys.argv[1:] if argv is None else list(argv)
        )
        markdown = write_results(report, out, examples=args.examples)
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(markdown)
    print(f"wrote {out / 'results.md'}, scores.json, metrics.png, rig_metrics.png, examples.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
