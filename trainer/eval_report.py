"""What an evaluation (`trainer.evaluate`) leaves in its results folder, for people and for scripts.

- `results.md`: how the numbers were made (data, views, units, tolerance, model digest, command,
  commit), the overall table (mean ± standard error over items), the pairwise differences with
  bootstrap intervals, the rigger's metrics overall and per category, and per-view and per-category
  tables;
- `scores.json`: the config, provenance, summary and every case (truth with its joints' parts, each
  method's joints, parents, parts, scores, rigger's scores, seconds or error), so any other statistic
  can be recomputed;
- `metrics.png`: one bar chart per metric, a bar per method with standard-error whiskers;
  `rig_metrics.png` the same for the rigger's metrics beside the joint count ratio, CD-J2J and F1;
- `examples.png`: a contact sheet of cases (categories taken in turn): the silhouette with the true
  skeleton, then each method's bones over the faint truth, labelled with that case's CD-J2J and F1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pointskel_blender.core.files import atomic_path, write_text_atomic

from .eval_data import load_item, view_case
from .eval_run import Report
from .eval_stats import reference_method
from .sheet import overlay

# name, better direction, format
METRICS = {
    "cd_j2j": ("CD-J2J", "lower", "{:.2f}"),
    "cd_j2b": ("CD-J2B", "lower", "{:.2f}"),
    "cd_b2b": ("CD-B2B", "lower", "{:.2f}"),
    "precision": ("precision", "higher", "{:.3f}"),
    "recall": ("recall", "higher", "{:.3f}"),
    "f1": ("F1", "higher", "{:.3f}"),
    "iou": ("IoU", "higher", "{:.3f}"),
    "count_ratio": ("count ratio", "1", "{:.2f}"),
}
# the rigger's metrics (`trainer.rig_metrics`), shown beside CD-J2J, F1 and the joint count ratio
RIG_METRICS = {
    "tip_recall": ("tip recall", "higher", "{:.3f}"),
    "visible_tip_recall": ("visible tip recall", "higher", "{:.3f}"),
    "tip_precision": ("tip precision", "higher", "{:.3f}"),
    "part_accuracy": ("part accuracy", "higher", "{:.3f}"),
    "limb_bones_error": ("|Δ bones| per arm/leg", "lower", "{:.2f}"),
    "limb_bones_within_1": ("arms/legs within ±1 bone", "higher", "{:.3f}"),
}
_BESIDE = ("count_ratio", "cd_j2j", "f1")
_ARROW = {"lower": " ↓", "higher": " ↑", "1": " (→1)"}
# BGR-free RGB colours per method, in the order methods are listed
PALETTE = ((214, 39, 40), (31, 119, 180), (44, 160, 44), (148, 103, 189), (255, 127, 14))
TILE = 160


def _cell(stat: dict[str, Any], fmt: str) -> str:
    if stat["mean"] is None:
        return "—"
    return fmt.format(stat["mean"]) + ("" if stat["se"] is None else " ± " + fmt.format(stat["se"]))


def _table(rows: list[tuple[list[str], dict[str, Any]]], lead: list[str]) -> list[str]:
    """Markdown rows: the `lead` columns, n, failures, every metric, median seconds."""
    head = (
        lead + ["items", "failed"] + [METRICS[m][0] + _ARROW[METRICS[m][1]] for m in METRICS] + ["median s"]
    )
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for labels, s in rows:
        n = s["metrics"]["cd_j2j"]["n"]
        cells = [_cell(s["metrics"][m], METRICS[m][2]) for m in METRICS]
        seconds = "—" if s["median_seconds"] is None else f"{s['median_seconds']:.3f}"
        out.append(
            "| " + " | ".join(labels + [str(n), f"{s['failed']}/{s['cases']}"] + cells + [seconds]) + " |"
        )
    return out


def _rig_table(rows: list[tuple[list[str], dict[str, Any]]], lead: list[str]) -> list[str]:
    """Markdown rows of the rigger's metrics, then the joint count ratio, CD-J2J and F1."""
    columns = [(m, RIG_METRICS[m], "rig") for m in RIG_METRICS]
    columns += [(m, METRICS[m], "metrics") for m in _BESIDE]
    head = lead + [name + _ARROW[better] for _, (name, better, _), _ in columns]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for labels, s in rows:
        empty = {"mean": None, "se": None}
        cells = [_cell(s.get(group, {}).get(m, empty), fmt) for m, (_, _, fmt), group in columns]
        out.append("| " + " | ".join(labels + cells) + " |")
    return out


def markdown(report: Report) -> str:
    c, s, p = report.config, report.summary, report.provenance
    methods = list(c.methods)
    lines = [
        "# PointSkel skeleton evaluation",
        "",
        f"- data: `{p.get('dataset', c.data)}`, split `{c.split or 'all'}`: {s['items']} characters × "
        f"{len(c.views)} views = {s['cases']} silhouettes",
        f"- views: {', '.join(c.views)}; silhouettes {c.resolution} px, camera margin {c.margin}; "
        f"pipeline: alpha mask at {c.resolution} px (no resampling), {c.points} points, voxel {c.voxel}, "
        f"seed {c.seed}",
        f"- methods: {', '.join(methods)} (skeletonize / medial_axis: scikit-image "
        f"{p.get('scikit-image', '?')} on the same mask, then the same topology and naming)",
        "- distances (CD-*) are ×100 of the figure height (the silhouette's bounding-box height in px); "
        f"joints match one-to-one (Hungarian) within **{c.tolerance:g} of the figure height**",
        "- 2-D metrics of one silhouette per view (hidden and overlapping joints included in the truth), so "
        "not comparable with RigNet's published 3-D numbers; a method's count ratio below 1 caps its recall",
        "- each cell: mean over characters of the per-character mean over views ± standard error over "
        "characters; `failed` counts silhouettes a method raised an error on (not scored)",
    ]
    if "model" in p:
        m = p["model"]
        lines.append(
            f"- learned model: `{m['path']}` ({m['bytes']} bytes, sha256 `{m['sha256'][:16]}…`): "
            f"{m['description']}"
        )
    if "command" in p:
        lines.append(f"- command: `{p['command']}`")
    lines += [f"- commit: `{p.get('commit', 'unknown')}`", "", "## Overall", ""]
    lines += _table([([m], s["overall"][m]) for m in methods], ["method"])
    if s["pairwise"]:
        b = s["bootstrap"]
        ref = reference_method(methods)
        lines += [
            "",
            f"## {ref} minus each other method",
            "",
            f"Mean per-character difference over the views both succeeded on, with a {b['level']:.0%} "
            f"percentile bootstrap interval over characters ({b['resamples']} resamples, seed {b['seed']}). "
            "CD-J2J: negative = the first method is better; F1: positive = the first method is better.",
            "",
            "| comparison | characters | Δ CD-J2J | 95% CI | Δ F1 | 95% CI |",
            "|---|---|---|---|---|---|",
        ]
        for other in [m for m in methods if m != ref]:
            pair = {d["metric"]: d for d in s["pairwise"] if d["other"] == other}
            cells = []
            for metric in ("cd_j2j", "f1"):
                d = pair[metric]
                fmt = METRICS[metric][2]
                cells += (
                    ["—", "—"]
                    if d["mean"] is None
                    else [fmt.format(d["mean"]), "[" + ", ".join(fmt.format(v) for v in d["ci95"]) + "]"]
                )
            lines.append(f"| {ref} − {other} | {pair['cd_j2j']['items']} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Rigger's metrics",
        "",
        "Limb tips (joints without children) matched within 7.5 % of the figure's size (its bounding box's "
        "longest side), not one-to-one; visible tip recall: the same over the true tips the silhouette "
        "shows, those the figure's outline passes within that 7.5 % of (a hand drawn over the torso or a leg "
        "hidden behind the body is left out; `rig_metrics.visible_tips`); part accuracy: the part of the "
        "predicted joint nearest each true joint of a known part (0 for a skeleton without parts); bones per "
        "arm/leg: the predicted chain "
        "ending nearest each true arm's or leg's tip against the truth's (missing limbs count as not "
        "within ±1); `trainer.rig_metrics`.",
        "",
    ]
    rig_rows = [([m], s["overall"][m]) for m in methods]
    rig_rows += [([f"{m} ({k})"], g[m]) for k, g in sorted(s["by_category"].items()) for m in methods]
    lines += _rig_table(rig_rows, ["method"])
    lines += ["", "## By view", ""]
    lines += _table([([v, m], g[m]) for v, g in s["by_view"].items() for m in methods], ["view", "method"])
    if s["by_category"]:
        lines += ["", "## By category", ""]
        lines += _table(
            [([k, m], g[m]) for k, g in sorted(s["by_category"].items()) for m in methods],
            ["category", "method"],
        )
    return "\n".join(lines) + "\n"


def plot_metrics(report: Report, path: Path, *, rig: bool = False) -> None:
    """A bar per method for every metric (the rigger's, with `rig`), with standard-error whiskers."""
    from matplotlib.figure import Figure

    methods = list(report.config.methods)
    overall = report.summary["overall"]
    fig = Figure(figsize=(13, 6), dpi=100)
    # fixed margins: a layout engine costs more than the whole drawing
    fig.subplots_adjust(left=0.04, right=0.99, bottom=0.1, top=0.87, wspace=0.3, hspace=0.5)
    colours = [tuple(v / 255 for v in PALETTE[k % len(PALETTE)]) for k in range(len(methods))]
    panels = [(m, "rig", RIG_METRICS[m]) for m in RIG_METRICS] + [(m, "metrics", METRICS[m]) for m in _BESIDE]
    if not rig:
        panels = [(m, "metrics", METRICS[m]) for m in METRICS]
    axes = fig.subplots(2, -(-len(panels) // 2)).ravel()
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    for ax, (metric, group, (name, better, _)) in zip(axes, panels):
        empty = {"mean": None, "se": None}
        stats = [overall[m].get(group, {}).get(metric, empty) for m in methods]
        means = [np.nan if st["mean"] is None else st["mean"] for st in stats]
        errors = [0.0 if st["se"] is None else st["se"] for st in stats]
        ax.bar(range(len(methods)), means, yerr=errors, color=colours, capsize=4)
        ax.set_xticks(range(len(methods)), methods, rotation=20)
        ax.set_title(name + _ARROW[better])
        if better == "1":
            ax.axhline(1.0, color="0.4", linewidth=0.8, linestyle="--")
    c = report.config
    fig.suptitle(
        f"{Path(c.data).name} / {c.split or 'all'}: {report.summary['items']} characters × "
        f"{len(c.views)} views; mean ± s.e. over characters; tolerance {c.tolerance:g} × height"
    )
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")


def choose_examples(records: list[dict[str, Any]], count: int) -> list[int]:
    """Indices of up to `count` records, categories in turn (each in split order), then split order."""
    groups: dict[str, list[int]] = {}
    for k, r in enumerate(records):
        groups.setdefault(r.get("category", ""), []).append(k)
    order = [
        k
        for rank in range(max(map(len, groups.values()), default=0))
        for g in groups.values()
        if rank < len(g)
        for k in [g[rank]]
    ]
    return sorted(order[:count])


def _bones(
    image: np.ndarray,
    joints: np.ndarray,
    parents: list[int],
    colour: tuple[int, int, int],
    thickness: int,
    dots: bool,
) -> None:
    shift = 4
    pts = np.round((np.asarray(joints, dtype=np.float64).reshape(-1, 2) - 0.5) * (1 << shift)).astype(
        np.int32
    )
    for child, parent in enumerate(parents):
        if parent >= 0:
            cv2.line(image, tuple(pts[parent]), tuple(pts[child]), colour, thickness, cv2.LINE_AA, shift)
    if dots:
        for p in pts:
            cv2.circle(image, tuple(p), 2 << shift, colour, -1, cv2.LINE_AA, shift)


def _label(image: np.ndarray, text: str, row: int) -> None:
    cv2.putText(image, text, (3, 11 + 11 * row), cv2.FONT_HERSHEY_SIMPLEX, 0.34, (40, 40, 40), 1, cv2.LINE_AA)


def _fit(image: np.ndarray) -> np.ndarray:
    return cv2.resize(image, (TILE, TILE), interpolation=cv2.INTER_AREA)


def examples_sheet(report: Report, count: int = 12, per_row: int = 2) -> np.ndarray:
    """(H, W, 3) uint8 RGB: per case, the truth tile then one tile per method."""
    c = report.config
    methods = list(c.methods)
    blocks = []
    for k in choose_examples(report.records, count):
        r = report.records[k]
        item = r["item"]
        case = view_case(c, item, *load_item(c, item), r["index"], c.views.index(r["view"]))
        truth = overlay(case.mask, case.joints_px, case.parents)
        tiles = [truth]
        for j, method in enumerate(methods):
            tile = np.full(case.mask.shape + (3,), 250, np.uint8)
            tile[case.mask] = (200, 204, 212)
            _bones(tile, case.joints_px, case.parents.tolist(), (150, 160, 150), 1, False)
            entry = r["methods"].get(method, {})
            if "joints_px" in entry:
                _bones(
                    tile, np.array(entry["joints_px"]), entry["parents"], PALETTE[j % len(PALETTE)], 2, True
                )
            tiles.append(tile)
        tiles = [_fit(t) for t in tiles]
        category = r.get("category", "")
        _label(tiles[0], item if category in ("", item) else f"{item} {category}", 0)
        _label(tiles[0], f"{r['view']}, truth {len(case.parents)}j", 1)
        for j, method in enumerate(methods):
            entry = r["methods"].get(method, {})
            _label(tiles[j + 1], method, 0)
            if "scores" in entry:
                sc = entry["scores"]
                _label(tiles[j + 1], f"J2J {sc['cd_j2j']:.1f} F1 {sc['f1']:.2f} {len(entry['parents'])}j", 1)
            else:
                _label(tiles[j + 1], "failed", 1)
        block = np.concatenate(tiles, axis=1)
        block[:, ::TILE] = 215
        block[0] = 215
        blocks.append(block)
    if not blocks:
        return np.full((TILE, TILE * (1 + len(methods)), 3), 255, np.uint8)
    rows = -(-len(blocks) // per_row)
    height, width = blocks[0].shape[:2]
    sheet = np.full((rows * height, per_row * width + (per_row - 1) * 6, 3), 255, np.uint8)
    for k, block in enumerate(blocks):
        r, col = divmod(k, per_row)
        x = col * (width + 6)
        sheet[r * height : (r + 1) * height, x : x + width] = block
    return sheet


def write_png(path: Path, rgb: np.ndarray) -> None:
    with atomic_path(path) as tmp:  # the temporary name keeps the .png suffix cv2 goes by
        if not cv2.imwrite(str(tmp), np.ascontiguousarray(rgb[..., ::-1])):
            raise OSError(f"cannot write {path}")


def write_results(report: Report, out: str | Path, *, examples: int = 12) -> str:
    """Write results.md, scores.json, metrics.png, rig_metrics.png and examples.png into `out`; returns
    the markdown."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    text = markdown(report)
    write_text_atomic(folder / "results.md", text)
    write_text_atomic(folder / "scores.json", json.dumps(report.to_dict(), indent=1, allow_nan=False) + "\n")
    plot_metrics(report, folder / "metrics.png")
    plot_metrics(report, folder / "rig_metrics.png", rig=True)
    write_png(folder / "examples.png", examples_sheet(report, examples))
    return text
