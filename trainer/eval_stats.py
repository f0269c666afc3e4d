"""The evaluation's statistics (`trainer.evaluate`): means over characters, and seeded bootstraps.

Every number is a mean over items of the per-item mean over views, with the standard error over
items: an item's views are not independent of each other, so the item is the unit. "X beats Y"
claims come with a percentile bootstrap interval of the per-item difference, resampling items with
a fixed seed. A view a method failed on (its record holds an `error`) is counted, never scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .metrics import METRIC_NAMES
from .rig_metrics import RIG_METRIC_NAMES


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

