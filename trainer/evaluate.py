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
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pointskel_blender.core.contract import SHIPPED_MODEL
from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.image import LoadedImage, image_from_array
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline
from pointskel_blender.core.contract.onnx_predictor import load_predictor

from . import DatasetError
from .baselines import SKELETON_METHODS, run_skeleton_baseline
from .metrics import METRIC_NAMES, SkeletonScore, score_skeleton
from .render import make_camera, project, render_silhouette
from .rig_metrics import RIG_METRIC_NAMES, joint_sides, score_rig, truth_parts
from .rignet import MESH_DIR, RIG_DIR, Mesh, Rig, RigNetDataset
from .samples import draw_view
from .synthetic import INFO_FILE

METHODS = ("learned", "geometric", *SKELETON_METHODS)
DEFAULT_VIEWS = ("front", "side")
CATEGORIES_FILE = "categories.json"
FORMAT = "pointskel-evaluation"
FORMAT_VERSION = 1


class EvaluationError(PointSkelError):
    """The evaluation cannot run as asked (unknown method or view, no model for `learned`)."""


@dataclass(frozen=True)
class EvalConfig:
    """Everything that fixes an evaluation's numbers; stored with the results."""

    data: str
    split: str | None = "test"
    methods: tuple[str, ...] = ("geometric", "skeletonize")
    model: str | None = None  # ONNX file for `learned`
    views: tuple[str, ...] = DEFAULT_VIEWS
    resolution: int = 256
    margin: float = 0.08  # empty border of the fitted camera, fraction of the image side
    tolerance: float = 0.05  # joint match radius, fraction of the figure height
    points: int = PipelineSettings.points
    voxel: float = PipelineSettings.voxel
    seed: int = PipelineSettings.seed
    limit: int | None = None
    mesh_dir: str = MESH_DIR
    rig_dir: str = RIG_DIR

    def __post_init__(self) -> None:
        unknown = [m for m in self.methods if m not in METHODS]
        if unknown or not self.methods or len(set(self.methods)) != len(self.methods):
            raise EvaluationError(
                f"methods must be distinct names among {', '.join(METHODS)}; got "
                f"{', '.join(self.methods) or 'none'}"
            )
        if "learned" in self.methods and self.model is None:
            raise EvaluationError("the learned method needs a model file")
        if not self.views:
            raise EvaluationError("at least one view is needed")
        for label in self.views:
            draw_view(view_spec(label), np.random.default_rng(0), None)  # raises on an unknown view
        if not 0 < self.tolerance < 1:
            raise EvaluationError(
                f"tolerance must be a fraction of the figure height in (0, 1), got {self.tolerance}"
            )
        self.settings(self.methods[0])  # the pipeline checks resolution, points and voxel

    def settings(self, method: str) -> PipelineSettings:
        """The pipeline settings of `method`: alpha mask, no resampling, shared seed and detail."""
        predictor = {"learned": "onnx", "geometric": "geometric"}.get(method, "auto")
        return PipelineSettings(
            mask_backend="alpha",
            work_size=self.resolution,
            points=self.points,
            seed=self.seed,
            voxel=self.voxel,
            predictor=predictor,
            model_path=self.model if method == "learned" else None,
        )


def view_spec(label: str) -> str | float:
    """A view label as `draw_view` takes it: a named view, 'random' or a yaw in degrees."""
    try:
        return float(label)
    except ValueError:
        return label


@dataclass(frozen=True, eq=False)
class Case:
    """One view of one character: the silhouette and the truth seen by the same camera."""

    item: str
    view: str
    yaw: float
    mask: np.ndarray  # (H, W) bool
    joints_px: np.ndarray  # (J, 2) projected true joints, input pixels
    parents: np.ndarray  # (J,) int, -1 for the root

    @property
    def figure_height(self) -> float:
        """The silhouette's bounding-box height in pixels: the unit every distance is divided by."""
        rows = np.flatnonzero(self.mask.any(axis=1))
        return float(rows[-1] - rows[0] + 1)

    @property
    def figure_size(self) -> float:
        """The longest side of the silhouette's bounding box in pixels: the rigger's metrics' unit."""
        cols = np.flatnonzero(self.mask.any(axis=0))
        return max(self.figure_height, float(cols[-1] - cols[0] + 1))

    def image(self) -> LoadedImage:
        """The silhouette as the RGBA image a user would hand the add-on: grey, alpha = mask."""
        rgba = np.zeros(self.mask.shape + (4,), np.float32)
        rgba[..., :3] = 0.5
        rgba[..., 3] = self.mask
        return image_from_array(rgba, source=f"{self.item}_{self.view}.png")


def render_case(
    item: str, mesh: Mesh, rig: Rig, view: str, *, resolution: int, margin: float, rng: np.random.Generator
) -> Case:
    spec = draw_view(view_spec(view), rng, None)
    camera = make_camera(mesh.vertices, spec.yaw, size=resolution, margin=margin)
    mask = render_silhouette(mesh, camera)
    if not mask.any():
        raise DatasetError(f"{item}: the mesh renders to an empty silhouette at {resolution} px")
    return Case(item, view, spec.yaw, mask, project(rig.positions, camera), np.asarray(rig.parents))


def case_rng(config: EvalConfig, index: int, view_index: int) -> np.random.Generator:
    return np.random.default_rng([config.seed, index, view_index])


def run_method(method: str, image: LoadedImage, config: EvalConfig) -> PipelineResult:
    settings = config.settings(method)
    if method in SKELETON_METHODS:
        return run_skeleton_baseline(image, settings, method)
    return run_pipeline(image, settings)


def skeleton_arrays(result: PipelineResult) -> tuple[np.ndarray, np.ndarray]:
    """(J, 2) joint pixels and (J,) parents (-1 for the root) of a pipeline result."""
    joints = result.skeleton.joints
    pixels = np.array([j.pixel for j in joints], dtype=np.float64).reshape(-1, 2)
    parents = np.array([-1 if j.parent is None else j.parent for j in joints], dtype=np.int64)
    return pixels, parents


def score_case(case: Case, joints_px: np.ndarray, parents: np.ndarray, tolerance: float) -> SkeletonScore:
    return score_skeleton(
        joints_px, parents, case.joints_px, case.parents, case.figure_height, tolerance=tolerance
    )


# --- running -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    config: EvalConfig
    item: str
    index: int  # position in the split: with the seed, it fixes random views
    category: str = ""  # the template or metarig the item is filed under: it tells its joints' parts


def load_item(config: EvalConfig, item: str) -> tuple[Mesh, Rig]:
    return RigNetDataset(config.data, config.split, mesh_dir=config.mesh_dir, rig_dir=config.rig_dir).load(
        item
    )


def evaluate_item(job: _Job) -> list[dict[str, Any]]:
    """One record per view: the truth, and each method's joints, scores, time or error."""
    config = job.config
    mesh, rig = load_item(config, job.item)
    parts, sides = truth_parts(rig.names, job.category), joint_sides(rig.names)
    records = []
    for k, view in enumerate(config.views):
        case = render_case(
            job.item,
            mesh,
            rig,
            view,
            resolution=config.resolution,
            margin=config.margin,
            rng=case_rng(config, job.index, k),
        )
        image = case.image()
        record: dict[str, Any] = {
            "item": job.item,
            "index": job.index,
            "view": view,
            "yaw": case.yaw,
            "figure_height": case.figure_height,
            "figure_size": case.figure_size,
            "truth": {
                "joints_px": np.round(case.joints_px, 3).tolist(),
                "parents": case.parents.tolist(),
                "parts": list(parts),
            },
            "methods": {},
        }
        for method in config.methods:
            start = time.perf_counter()
            try:
                result = run_method(method, image, config)
            except PointSkelError as exc:
                record["methods"][method] = {"error": str(exc)}
                continue
            seconds = time.perf_counter() - start
            joints, parents = skeleton_arrays(result)
            score = score_case(case, joints, parents, config.tolerance)
            predicted_parts = [j.part for j in result.skeleton.joints]
            rig_score = score_rig(
                joints, parents, predicted_parts, case.joints_px, case.parents, parts, sides, case.figure_size
            )
            record["methods"][method] = {
                "scores": score.as_dict(),
                "rig": rig_score.as_dict(),
                "parts": predicted_parts,
                "joints_px": np.round(joints, 3).tolist(),
                "parents": parents.tolist(),
                "seconds": seconds,
            }
        records.append(record)
    return records


def _map(jobs: list[_Job], workers: int) -> Iterator[list[dict[str, Any]]]:
    if workers <= 1:
        yield from map(evaluate_item, jobs)
        return
    with multiprocessing.Pool(workers) as pool:
        yield from pool.imap(evaluate_item, jobs)


def load_categories(data: str | os.PathLike, path: str | os.PathLike | None = None) -> dict[str, str]:
    """{item: category} from `path`, else the dataset's synthetic.json templates or categories.json.

    A file holds either {"templates": {id: name}} (the synthetic generator's) or {id: name}.
    No file: no per-category breakdown.
    """
    candidates = [Path(path)] if path is not None else [Path(data) / INFO_FILE, Path(data) / CATEGORIES_FILE]
    for file in candidates:
        if not file.is_file():
            if path is not None:
                raise DatasetError(f"{file}: no such categories file")
            continue
        try:
            data_json = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DatasetError(f"{file}: not a readable JSON categories file ({exc})") from None
        table = data_json.get("templates", data_json) if isinstance(data_json, dict) else None
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise DatasetError(f"{file}: expected {{id: category}} or {{'templates': {{id: category}}}}")
        return {str(k): v for k, v in table.items()}
    return {}


def model_info(path: str) -> dict[str, Any]:
    """What identifies a model file in the results: where, its digest, what it says it is."""
    predictor = load_predictor(path)  # checks the file completely before any work
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return {
        "path": str(path),
        "sha256": digest,
        "bytes": Path(path).stat().st_size,
        "description": predictor.description,
        "expected_points": predictor.expected_points,
        "default_iterations": predictor.default_iterations,
    }


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


@dataclass
class Report:
    config: EvalConfig
    records: list[dict[str, Any]]
    summary: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "config": asdict(self.config),
            "provenance": self.provenance,
            "summary": self.summary,
            "cases": self.records,
        }


def evaluate(
    config: EvalConfig,
    *,
    workers: int = 2,
    categories: dict[str, str] | None = None,
    resamples: int = 10000,
    progress: bool = True,
) -> Report:
    """Run every method on every (item, view) of the split; records come back in split order.

    The numbers depend only on the config: not on `workers` or the order jobs finish in.
    """
    dataset = RigNetDataset(config.data, config.split, mesh_dir=config.mesh_dir, rig_dir=config.rig_dir)
    items = dataset.ids[: config.limit]
    if not items:
        raise DatasetError(f"{config.data}: split {config.split!r} has no characters")
    provenance: dict[str, Any] = {"commit": _git_commit(), "dataset": str(dataset.root.resolve())}
    if "learned" in config.methods:
        provenance["model"] = model_info(str(config.model))
    from skimage import __version__ as skimage_version

    provenance["scikit-image"] = skimage_version
    categories = categories or {}
    jobs = [_Job(config, item, k, categories.get(item, "")) for k, item in enumerate(items)]
    from tqdm import tqdm

    records: list[dict[str, Any]] = []
    with tqdm(total=len(jobs), unit="item", desc="evaluate", disable=not progress) as bar:
        for batch in _map(jobs, workers):
            records += batch
            bar.update()
    for record in records:
        record["category"] = categories.get(record["item"], "")
    report = Report(config, records, provenance=provenance)
    report.summary = summarize(records, config.methods, seed=config.seed, resamples=resamples)
    return report


# --- statistics --------------------------------------------------------------------------------


def reference_method(methods: Sequence[str]) -> str:
    """The method the others are compared with: the learned one when present, else the first."""
    return "learned" if "learned" in methods else methods[0]


def item_means(
    records: list[dict[str, Any]], method: str, metric: str, group: str = "scores"
) -> dict[str, float]:
    """{item: mean of `metric` (of the record's `group` of scores) over the views `method` succeeded on
    and the metric is defined for}; items without any drop out."""
    values: dict[str, list[float]] = {}
    for r in records:
        entry = r["methods"].get(method, {})
        if entry.get(group, {}).get(metric) is not None:
            values.setdefault(r["item"], []).append(entry[group][metric])
    return {item: float(np.mean(v)) for item, v in values.items()}


def mean_se(values: Sequence[float]) -> dict[str, Any]:
    """Mean and standard error of the mean (None where undefined), with the count."""
    v = np.asarray(values, dtype=np.float64)
    mean = float(v.mean()) if len(v) else None
    se = float(v.std(ddof=1) / np.sqrt(len(v))) if len(v) > 1 else None
    return {"mean": mean, "se": se, "n": int(len(v))}


def method_summary(records: list[dict[str, Any]], method: str) -> dict[str, Any]:
    entries = [r["methods"][method] for r in records if method in r["methods"]]
    seconds = [e["seconds"] for e in entries if "seconds" in e]
    return {
        "metrics": {m: mean_se(list(item_means(records, method, m).values())) for m in METRIC_NAMES},
        "rig": {m: mean_se(list(item_means(records, method, m, "rig").values())) for m in RIG_METRIC_NAMES},
        "cases": len(entries),
        "failed": sum(1 for e in entries if "error" in e),
        "median_seconds": float(np.median(seconds)) if seconds else None,
    }


def bootstrap_ci(
    values: np.ndarray, *, resamples: int, seed: int, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of `values` (resampled with replacement)."""
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), (resamples, len(values)))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(means, [tail, 100 - tail])
    return float(lo), float(hi)


def compare(
    records: list[dict[str, Any]],
    reference: str,
    other: str,
    metric: str,
    *,
    resamples: int = 10000,
    seed: int = 0,
) -> dict[str, Any]:
    """Mean per-item difference `reference - other` over the views both succeeded on, with a 95% CI.

    Items are the resampling unit (an item's views are not independent of each other).
    """
    diffs: dict[str, list[float]] = {}
    for r in records:
        a, b = r["methods"].get(reference, {}), r["methods"].get(other, {})
        if "scores" in a and "scores" in b:
            diffs.setdefault(r["item"], []).append(a["scores"][metric] - b["scores"][metric])
    d = np.array([np.mean(v) for v in diffs.values()], dtype=np.float64)
    out: dict[str, Any] = {
        "reference": reference,
        "other": other,
        "metric": metric,
        "items": int(len(d)),
        "mean": None,
        "ci95": None,
    }
    if len(d):
        out["mean"] = float(d.mean())
        out["ci95"] = list(bootstrap_ci(d, resamples=resamples, seed=seed))
    return out


def summarize(
    records: list[dict[str, Any]], methods: Sequence[str], *, seed: int = 0, resamples: int = 10000
) -> dict[str, Any]:
    """Overall, per-view and per-category summaries of every method, and the pairwise comparisons."""

    def by(key: str) -> dict[str, dict[str, Any]]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for r in records:
            groups.setdefault(r[key], []).append(r)
        return {g: {m: method_summary(rs, m) for m in methods} for g, rs in groups.items()}

    reference = reference_method(methods)
    pairwise = [
        compare(records, reference, other, metric, resamples=resamples, seed=seed)
        for other in methods
        if other != reference
        for metric in ("cd_j2j", "f1")
    ]
    categories = by("category") if any(r.get("category") for r in records) else {}
    return {
        "overall": {m: method_summary(records, m) for m in methods},
        "by_view": by("view"),
        "by_category": categories,
        "pairwise": pairwise,
        "items": len({r["item"] for r in records}),
        "cases": len(records),
        "bootstrap": {"resamples": resamples, "seed": seed, "level": 0.95},
    }


# --- command line ------------------------------------------------------------------------------


def default_methods(model: str | None) -> tuple[str, ...]:
    """learned (when a model is given or shipped), geometric, skeletonize."""
    return ("learned", "geometric", "skeletonize") if model is not None else ("geometric", "skeletonize")


def resolve_model(model: str | None, methods: Sequence[str] | None) -> str | None:
    """--model, else the shipped model when it exists; an explicit `learned` without either fails."""
    if model is not None:
        return model
    if SHIPPED_MODEL.is_file():
        return str(SHIPPED_MODEL)
    if methods is not None and "learned" in methods:
        raise EvaluationError(f"the learned method needs --model (no shipped model at {SHIPPED_MODEL})")
    return None


def _csv(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split(",") if t.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m trainer.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="RigNet-format dataset folder")
    parser.add_argument("--split", default="test", help="train, val, test or all (default test)")
    parser.add_argument(
        "--model", default=None, help="ONNX offset predictor for 'learned' (default: the shipped one)"
    )
    parser.add_argument(
        "--methods",
        type=_csv,
        default=None,
        help=f"comma list of {', '.join(METHODS)} (default learned if a model exists, "
        "geometric, skeletonize)",
    )
    parser.add_argument(
        "--views",
        type=_csv,
        default=DEFAULT_VIEWS,
        help="front, side, back, random or yaw degrees, comma-separated (default front,side)",
    )
    parser.add_argument("--resolution", type=int, default=256, help="silhouette size in px (default 256)")
    parser.add_argument(
        "--tolerance",
        type=float,
        default=0.05,
        help="joint match radius as a fraction of the figure height (default 0.05)",
    )
    parser.add_argument(
        "--margin", type=float, default=0.08, help="camera margin, fraction of the image side"
    )
    defaults = PipelineSettings()
    parser.add_argument("--points", type=int, default=defaults.points,
                        help=f"lifted points (default {defaults.points})")
    parser.add_argument("--voxel", type=float, default=defaults.voxel,
                        help=f"topology detail (default {defaults.voxel:g})")
    parser.add_argument("--seed", type=int, default=defaults.seed,
                        help=f"lift, random views and bootstrap (default {defaults.seed})")
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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .eval_report import write_results

    split = None if args.split == "all" else args.split
    out = (
        Path(args.out) if args.out else Path("out", "eval", f"{Path(args.data).resolve().name}-{args.split}")
    )
    try:
        model = resolve_model(args.model, args.methods)
        methods = args.methods or default_methods(model)
        config = EvalConfig(
            args.data,
            split,
            tuple(methods),
            model if "learned" in methods else None,
            tuple(args.views),
            args.resolution,
            args.margin,
            args.tolerance,
            args.points,
            args.voxel,
            args.seed,
            args.limit,
            args.mesh_dir,
            args.rig_dir,
        )
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
