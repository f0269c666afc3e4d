"""Running the evaluation (`trainer.evaluate`): every method on every case, in worker processes.

Each method runs on a case's silhouette as the add-on would (`EvalConfig.settings`): `learned` and
`geometric` through `run_pipeline` with their predictor, `skeletonize` and `medial_axis` through
scikit-image and then the same topology and naming (`trainer.baselines`). A method's failure on a
view (a `PointSkelError`) is recorded with its message, never scored. The numbers depend only on the
config: not on the number of workers or the order jobs finish in.
"""

from __future__ import annotations

import hashlib
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.image import LoadedImage
from pointskel_blender.core.pipeline import PipelineResult, run_pipeline
from pointskel_blender.core.contract.onnx_predictor import load_predictor

from . import DatasetError
from .baselines import SKELETON_METHODS, run_skeleton_baseline
from .eval_config import EvalConfig, method_base, needs_model
from .eval_data import Case, dataset, load_item, view_case
from .eval_stats import summarize
from .metrics import SkeletonScore, score_skeleton
from .rig_metrics import joint_sides, score_rig, truth_parts, visible_tips
from .workers import imap

FORMAT = "pointskel-evaluation"
FORMAT_VERSION = 1


@dataclass
class Report:
    """An evaluation's config, one record per case, their summary and what made them."""

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


def run_method(method: str, image: LoadedImage, config: EvalConfig) -> PipelineResult:
    settings = config.settings(method)
    base = method_base(method)
    if base in SKELETON_METHODS:
        return run_skeleton_baseline(image, settings, base)
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


@dataclass(frozen=True)
class _Job:
    config: EvalConfig
    item: str
    index: int  # position in the split: with the seed, it fixes random views
    category: str = ""  # the template or metarig the item is filed under: it tells its joints' parts


def evaluate_item(job: _Job) -> list[dict[str, Any]]:
    """One record per view: the truth, and each method's joints, scores, time or error."""
    config = job.config
    mesh, rig = load_item(config, job.item)
    parts, sides = truth_parts(rig.names, job.category), joint_sides(rig.names)
    records = []
    for k, view in enumerate(config.views):
        case = view_case(config, job.item, mesh, rig, job.index, k)
        image = case.image()
        visible = visible_tips(case.mask, case.joints_px, case.figure_size)
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
                "visible": visible.tolist(),
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
                joints, parents, predicted_parts, case.joints_px, case.parents, parts, sides,
                case.figure_size, visible=visible,
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


def evaluate(
    config: EvalConfig,
    *,
    workers: int = 2,
    categories: dict[str, str] | None = None,
    resamples: int = 10000,
    progress: bool = True,
) -> Report:
    """Run every method on every (item, view) of the split; records come back in split order."""
    data = dataset(config)
    items = data.ids[: config.limit]
    if not items:
        raise DatasetError(f"{config.data}: split {config.split!r} has no characters")
    provenance: dict[str, Any] = {"commit": _git_commit(), "dataset": str(data.root.resolve())}
    if needs_model(config.methods):
        provenance["model"] = model_info(str(config.model))
    from skimage import __version__ as skimage_version

    provenance["scikit-image"] = skimage_version
    categories = categories or {}
    jobs = [_Job(config, item, k, categories.get(item, "")) for k, item in enumerate(items)]
    from tqdm import tqdm

    records: list[dict[str, Any]] = []
    with tqdm(total=len(jobs), unit="item", desc="evaluate", disable=not progress) as bar:
        for batch in imap(evaluate_item, jobs, workers):
            records += batch
            bar.update()
    for record in records:
        record["category"] = categories.get(record["item"], "")
    report = Report(config, records, provenance=provenance)
    report.summary = summarize(records, config.methods, seed=config.seed, resamples=resamples)
    return report
