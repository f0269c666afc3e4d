"""Runs side by side: the table and plot read real evaluations, and a folder without one is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from trainer import DatasetError
from trainer.compare_runs import load_run, main, markdown
from trainer.evaluate import main as evaluate
from trainer.synthetic import generate


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    """A run folder laid out as the recipe's, with one real evaluation of two methods."""
    root = tmp_path_factory.mktemp("compare")
    generate(root / "data", 3, seed=5, workers=1, progress=False)
    folder = root / "run_a"
    args = ["--data", str(root / "data"), "--split", "all", "--methods", "geometric,skeletonize"]
    args += ["--resolution", "128", "--points", "1024", "--workers", "1", "--resamples", "200"]
    assert evaluate([*args, "--out", str(folder / "results" / "heldout")]) == 0
    return folder


def test_the_table_shows_each_runs_differences_as_evaluated(run: Path, tmp_path: Path, capsys) -> None:
    second = tmp_path / "run_b"
    shutil.copytree(run, second)
    scores = json.loads((run / "results" / "heldout" / "scores.json").read_text())["summary"]
    f1 = next(p for p in scores["pairwise"] if p["metric"] == "f1")
    assert f1["reference"] == "geometric" and f1["other"] == "skeletonize"

    [result] = load_run(run)
    assert (result.run, result.name, result.items, result.views) == ("run_a", "heldout", 3, 2)
    assert result.deltas[("skeletonize", "f1")] == (f1["mean"], *f1["ci95"])

    out = tmp_path / "out"
    assert main([str(run), str(second), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    text = (out / "comparison.md").read_text()
    assert text in printed and text == markdown([result, load_run(second)[0]])
    rows = [line for line in text.splitlines() if line.startswith("| run_")]
    assert [r.split(" | ")[0] for r in rows] == ["| run_a", "| run_b"]
    assert f"{f1['mean']:+.3f} [{f1['ci95'][0]:+.3f}, {f1['ci95'][1]:+.3f}]" in rows[0]
    with Image.open(out / "comparison.png") as image:
        assert image.format == "PNG" and image.size[0] > 500


def test_a_folder_without_evaluations_or_with_a_foreign_file_is_refused(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "no results/*/scores.json" in err
    bad = tmp_path / "results" / "heldout" / "scores.json"
    bad.parent.mkdir(parents=True)
    bad.write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(DatasetError, match="not a readable evaluation"):
        load_run(tmp_path)
