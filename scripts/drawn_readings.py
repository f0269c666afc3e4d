"""How the drawn figures of the tests read with the predictor users get, beside the geometric one.

The anatomy tests check the rules on drawn figures with the geometric predictor, so a failure there is
the rules', not a model's. A user gets the shipped model by default: its contraction gives other trees,
and its part head may turn a plan. This runs every drawn figure of `tests/*_figures.py` (both facings)
through the whole pipeline with each predictor and counts the figures read right: body plan and view,
the facing of a side view, and at least the limbs by part the figure's truth lists.

  .venv/bin/python scripts/drawn_readings.py [--predictors auto,geometric] [--json OUT]
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
from collections import Counter
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pointskel_blender.core.errors import PointSkelError  # noqa: E402
from pointskel_blender.core.image import image_from_array  # noqa: E402
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline  # noqa: E402
import anatomy_figures as af  # noqa: E402  (the figure modules import it so)

MODULES = ("anatomy_figures", "posing_figures", "limb_figures")


def drawn_figures(size: int = 400) -> dict[str, af.Character]:
    """Every `Character` a figure module's public `name(size)` function draws, and its mirror image."""
    figures: dict[str, af.Character] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name, draw in inspect.getmembers(module, inspect.isfunction):
            if draw.__module__ != module.__name__ or name.startswith(("_", "all_")):
                continue
            if list(inspect.signature(draw).parameters) != ["size"]:
                continue
            figure = draw(size)
            if isinstance(figure, af.Character):
                figures.update(af.both_facings(figure))
    return figures


def limb_counts(result: PipelineResult) -> Counter:
    """Chains by part: joints whose parent is of another part (or none)."""
    anatomy = result.anatomy
    return Counter(part for part, parent in zip(anatomy.parts, anatomy.parents)
                   if parent < 0 or anatomy.parts[parent] != part)


def misreading(figure: af.Character, result: PipelineResult) -> str:
    """What the rig gets wrong about the figure ("" if nothing)."""
    anatomy = result.anatomy.anatomy
    if (anatomy.body_plan, anatomy.view) != (figure.body_plan, figure.view):
        return f"read {anatomy.body_plan}/{anatomy.view}, not {figure.body_plan}/{figure.view}"
    wrong = []
    if figure.view == "side" and anatomy.facing != figure.facing:
        wrong.append(f"facing {anatomy.facing}, not {figure.facing}")
    counts = limb_counts(result)
    wrong += [f"{part} {counts[part]}/{n}" for part, n in figure.limbs.items() if counts[part] < n]
    return "; ".join(wrong)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--predictors", default="auto,geometric",
                        help="comma-separated predictors (auto: the shipped model)")
    parser.add_argument("--json", type=Path, help="write every figure's reading here")
    args = parser.parse_args(argv)
    figures = drawn_figures()
    report: dict[str, dict[str, str]] = {}
    for predictor in args.predictors.split(","):
        settings = PipelineSettings(predictor=predictor)
        wrong: dict[str, str] = {}
        for name, figure in tqdm(sorted(figures.items()), desc=predictor, unit="figure"):
            image = image_from_array(af.rgba(figure.mask), source=f"{name}.png")
            try:
                result = run_pipeline(image, settings)
            except PointSkelError as exc:
                wrong[name] = f"error: {exc}"
                continue
            if problem := misreading(figure, result):
                wrong[name] = problem
        report[predictor] = wrong
        print(f"{predictor}: {len(figures) - len(wrong)} of {len(figures)} drawn figures read right")
        for name, problem in wrong.items():
            print(f"  {name}: {problem}")
    if args.json:
        args.json.write_text(json.dumps({"figures": len(figures), "misread": report}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
