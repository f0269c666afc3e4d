"""The evaluation's statistics on known inputs: per-item means, standard errors, seeded bootstraps."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.eval_stats import (
    bootstrap_ci,
    compare,
    item_means,
    mean_se,
    method_summary,
    reference_method,
    summarize,
)
from trainer.metrics import METRIC_NAMES


def _records(values: dict[str, dict[str, list[float]]]) -> list[dict]:
    """Records of items x views with the given CD-J2J per method (other metrics copied from it)."""
    out = []
    for item, per_method in values.items():
        for v in range(len(next(iter(per_method.values())))):
            methods = {
                m: {"scores": {k: vals[v] for k in METRIC_NAMES}, "seconds": 0.1 * (v + 1)}
                for m, vals in per_method.items()
            }
            out.append({"item": item, "view": str(v), "category": "", "methods": methods})
    return out


def test_mean_and_standard_error_of_known_values() -> None:
    assert mean_se([1.0, 2.0, 3.0, 4.0]) == pytest.approx({"mean": 2.5, "se": np.sqrt(5 / 3) / 2, "n": 4})
    assert mean_se([7.0]) == {"mean": 7.0, "se": None, "n": 1}
    assert mean_se([]) == {"mean": None, "se": None, "n": 0}


def test_item_means_skip_failures_and_undefined_metrics() -> None:
    records = _records({"a": {"geometric": [1.0, 3.0]}, "b": {"geometric": [4.0, 6.0]}})
    records[3]["methods"]["geometric"] = {"error": "the mask is empty"}
    assert item_means(records, "geometric", "cd_j2j") == {"a": 2.0, "b": 4.0}
    records[0]["methods"]["geometric"]["rig"] = {"part_accuracy": None}
    records[1]["methods"]["geometric"]["rig"] = {"part_accuracy": 0.5}
    assert item_means(records, "geometric", "part_accuracy", "rig") == {"a": 0.5}
    assert item_means(records, "learned", "cd_j2j") == {}


def test_bootstrap_interval_of_known_values() -> None:
    # two values: a resampled mean is 0, 0.5 or 1 with chances 1/4, 1/2, 1/4
    assert bootstrap_ci(np.array([0.0, 1.0]), resamples=10000, seed=0) == (0.0, 1.0)
    assert bootstrap_ci(np.array([0.0, 1.0]), resamples=10000, seed=0, level=0.4) == (0.5, 0.5)
    assert bootstrap_ci(np.full(5, 0.7), resamples=100, seed=0) == pytest.approx((0.7, 0.7))
    values = np.arange(20.0)
    assert bootstrap_ci(values, resamples=500, seed=3) == bootstrap_ci(values, resamples=500, seed=3)
    assert bootstrap_ci(values, resamples=500, seed=3) != bootstrap_ci(values, resamples=500, seed=4)


def test_comparison_is_per_item_with_a_seeded_interval() -> None:
    records = _records(
        {
            "a": {"learned": [1.0, 3.0], "geometric": [2.0, 2.0]},  # item mean diff 0
            "b": {"learned": [1.0, 1.0], "geometric": [3.0, 3.0]},  # -2
            "c": {"learned": [0.0, 0.0], "geometric": [1.0, 3.0]},  # -2
        }
    )
    d = compare(records, "learned", "geometric", "cd_j2j", resamples=2000, seed=5)
    assert d["items"] == 3 and d["mean"] == pytest.approx(-4 / 3)
    lo, hi = d["ci95"]
    assert -2.0 <= lo < d["mean"] < hi <= 0.0
    assert compare(records, "learned", "geometric", "cd_j2j", resamples=2000, seed=5) == d


def test_comparison_uses_only_views_both_methods_succeeded_on() -> None:
    records = _records({"a": {"learned": [1.0, 5.0], "geometric": [2.0, 2.0]}})
    records[1]["methods"]["geometric"] = {"error": "failed"}
    d = compare(records, "learned", "geometric", "cd_j2j", resamples=100, seed=0)
    assert (d["items"], d["mean"], d["ci95"]) == (1, -1.0, [-1.0, -1.0])
    none = compare(records, "learned", "skeletonize", "cd_j2j", resamples=100, seed=0)
    assert (none["items"], none["mean"], none["ci95"]) == (0, None, None)


def test_summary_averages_views_per_item_and_skips_failures() -> None:
    records = _records({"a": {"geometric": [1.0, 3.0]}, "b": {"geometric": [4.0, 4.0]}})
    records[3]["methods"]["geometric"] = {"error": "the mask is empty"}
    s = summarize(records, ["geometric"], resamples=100)["overall"]["geometric"]
    assert s["failed"] == 1 and s["cases"] == 4
    stat = s["metrics"]["cd_j2j"]
    assert stat["n"] == 2 and stat["mean"] == pytest.approx(3.0)  # items: 2 and 4
    assert stat["se"] == pytest.approx(np.std([2.0, 4.0], ddof=1) / np.sqrt(2))
    assert s["median_seconds"] == pytest.approx(0.1)  # 0.1, 0.2, 0.1: the failure has no time


def test_the_learned_method_is_the_reference_and_each_other_is_compared_on_two_metrics() -> None:
    assert reference_method(["geometric", "learned", "skeletonize"]) == "learned"
    assert reference_method(["geometric", "learned:naming=generic"]) == "geometric"
    records = _records({"a": {"geometric": [1.0], "learned": [2.0], "skeletonize": [3.0]}})
    summary = summarize(records, ["geometric", "learned", "skeletonize"], seed=1, resamples=50)
    pairs = [(d["reference"], d["other"], d["metric"]) for d in summary["pairwise"]]
    assert pairs == [("learned", o, m) for o in ("geometric", "skeletonize") for m in ("cd_j2j", "f1")]
    assert summary["bootstrap"] == {"resamples": 50, "seed": 1, "level": 0.95}
    assert summary["by_category"] == {} and set(summary["by_view"]) == {"0"}
    assert method_summary(records, "learned")["metrics"]["f1"]["mean"] == 2.0
