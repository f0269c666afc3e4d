"""Recipe runs side by side: how much the learned predictor wins or loses against each baseline.

    python -m trainer.compare_runs runs/shipped runs/seed2 runs/seed3 --out runs/compare

A run is a folder whose `results/<set>/scores.json` files `trainer.evaluate` wrote (the recipe's
layout). One evaluation of one trained model is one draw: a second training set or seed moves the
metarig numbers by as much as the differences being claimed, so a claim needs several runs side by
side. Prints a Markdown table of every run's sets (means, per-character differences with their 95 %
bootstrap intervals) and, with `--out`, writes it with a plot of the differences.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from pointskel_blender.core.files import atomic_path
from trainer import DatasetError

METRICS = {"cd_j2j": ("CD-J2J", ".2f"), "f1": ("F1", ".3f")}  # name, number format
FORMAT = "pointskel-evaluation"


@dataclass(frozen=True)
class SetResult:
    """One evaluation of one run: the reference method's difference to each other method."""

    run: str
    name: str  # the results subfolder: heldout, metarigs, ...
    items: int
    views: int
    means: dict[str, dict[str, float]]  # method -> metric -> mean over characters
    deltas: dict[tuple[str, str], tuple[float, float, float]]  # (other, metric) -> mean, low, high
    reference: str


def load_run(folder: str | Path) -> list[SetResult]:
    """Every evaluation under `folder/results`, in name order; a clear error if there is none."""
    root = Path(folder)
    files = sorted((root / "results").glob("*/scores.json"))
    if not files:
        raise DatasetError(f"{root}: no results/*/scores.json (run trainer.evaluate or the recipe first)")
    return [_read(root.name or str(root), f) for f in files]


def _read(run: str, path: Path) -> SetResult:
    try:
        data = json.loads(path.read_text())
        if data.get("format") != FORMAT:
            raise ValueError(f"format is {data.get('format')!r}, not {FORMAT!r}")
        summary, config = data["summary"], data["config"]
        means = {
            m: {k: s["metrics"][k]["mean"] for k in METRICS} for m, s in summary["overall"].items()
        }
        deltas, references = {}, set()
        for p in summary["pairwise"]:
            if p["metric"] in METRICS and p["mean"] is not None:
                deltas[(p["other"], p["metric"])] = (p["mean"], *p["ci95"])
                references.add(p["reference"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DatasetError(f"{path}: not a readable evaluation ({exc})") from None
    if len(references) != 1:
        raise DatasetError(f"{path}: needs one reference method compared with the others")
    return SetResult(run, path.parent.name, summary["items"], len(config["views"]), means, deltas,
                     references.pop())


def others(results: Sequence[SetResult]) -> list[str]:
    """The compared methods, in the order they first appear."""
    seen: dict[str, None] = {}
    for r in results:
        for other, _ in r.deltas:
            seen.setdefault(other, None)
    return list(seen)


def markdown(results: Sequence[SetResult]) -> str:
    """One row per run and set: the reference method's means, then its difference to each other."""
    compared = others(results)
    head = ["run", "set", "characters × views", "reference CD-J2J / F1"]
    head += [f"Δ {METRICS[m][0]} vs {o} [95 % CI]" for o in compared for m in METRICS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        ref = " / ".join(format(r.means[r.reference][m], spec) for m, (_, spec) in METRICS.items())
        cells = [r.run, r.name, f"{r.items} × {r.views}", f"{r.reference} {ref}"]
        for o in compared:
            for metric, (_, spec) in METRICS.items():
                d = r.deltas.get((o, metric))
                mean, low, high = ("–",) * 3 if d is None else (format(v, "+" + spec) for v in d)
                cells.append(mean if d is None else f"{mean} [{low}, {high}]")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Δ = reference − other, mean over characters; lower CD-J2J and higher F1 are better.")
    return "\n".join(lines) + "\n"


def plot(results: Sequence[SetResult], path: Path) -> None:
    """ΔCD-J2J and ΔF1 of every run and set, with their intervals; the zero line is a tie."""
    from matplotlib.figure import Figure

    compared = others(results)
    rows = len(results)
    height = 1.3 + 0.45 * rows
    fig = Figure(figsize=(11, height), dpi=100)
    fig.subplots_adjust(left=0.24, right=0.98, bottom=0.45 / height, top=1 - 0.75 / height, wspace=0.08)
    axes = fig.subplots(1, len(METRICS), sharey=True)
    labels = [f"{r.run} · {r.name}" for r in results]
    for ax, (metric, (name, _)) in zip(axes, METRICS.items(), strict=True):
        for k, other in enumerate(compared):
            shift = (k - (len(compared) - 1) / 2) * 0.25
            for y, r in enumerate(results):
                d = r.deltas.get((other, metric))
                if d is not None:
                    ax.errorbar(d[0], y + shift, xerr=[[d[0] - d[1]], [d[2] - d[0]]], fmt="o", color=f"C{k}",
                                capsize=3, label=other if y == 0 else None)
        ax.axvline(0.0, color="0.3", linewidth=0.8)
        better = "lower" if metric == "cd_j2j" else "higher"
        ax.set_title(f"Δ {name} ({better} is better for the reference)")
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(range(rows), labels)
    axes[0].invert_yaxis()  # shared: the first run on top
    fig.legend(*axes[0].get_legend_handles_labels(), loc="upper left", ncols=len(compared), fontsize=9,
               title=f"{results[0].reference} − …", title_fontsize=9, frameon=False)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.compare_runs",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", help="run folders with results/<set>/scores.json")
    parser.add_argument("--out", help="folder for comparison.md and comparison.png")
    args = parser.parse_args(argv)
    try:
        results = [r for run in args.runs for r in load_run(run)]
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = markdown(results)
    print(text, end="")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        with atomic_path(out / "comparison.md") as tmp:
            Path(tmp).write_text(text)
        plot(results, out / "comparison.png")
        print(f"wrote {out / 'comparison.md'}, comparison.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
