"""The evaluation: real pipeline runs on a tiny synthetic dataset, honest statistics, complete outputs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper
from PIL import Image

from pointskel_blender.core.mask import compute_mask
from pointskel_blender.core.contract.model_format import write_metadata
from pointskel_blender.core.pipeline import run_pipeline
from pointskel_blender.core.skeleton import PARTS
from trainer import DatasetError
from trainer.eval_config import EvalConfig
from trainer.eval_data import case_rng, load_categories, load_item, render_case, view_case
from trainer.eval_report import choose_examples
from trainer.eval_run import evaluate, score_case
from trainer.evaluate import main
from trainer.metrics import METRIC_NAMES
from trainer.rig_metrics import part_accuracy
from trainer.rignet import Mesh, Rig, Skin, write_obj, write_rig, write_split
from trainer.synthetic import generate

RES = 128


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("eval") / "data"
    generate(root, 4, seed=3, workers=1, progress=False)
    return root


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A valid offset predictor: offsets = points * (0, 0, -1), i.e. every point to the mid-plane."""
    w = helper.make_tensor("w", TensorProto.FLOAT, [3], [0.0, 0.0, -1.0])
    graph = helper.make_graph(
        [helper.make_node("Mul", ["points", "w"], ["offsets"])],
        "flatten",
        [helper.make_tensor_value_info("points", TensorProto.FLOAT, ["batch", "n", 3])],
        [helper.make_tensor_value_info("offsets", TensorProto.FLOAT, ["batch", "n", 3])],
        [w],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    write_metadata(
        model,
        expected_points=256,
        default_iterations=1,
        config={"kind": "flatten"},
        description="test flatten model",
    )
    path = tmp_path_factory.mktemp("model") / "flatten.onnx"
    onnx.save(model, str(path))
    return path


def _config(dataset: Path, **kw) -> EvalConfig:
    return EvalConfig(str(dataset), **{"split": None, "resolution": RES, "points": 1024, **kw})


def test_cli_writes_every_output_with_finite_scores(
    dataset: Path, tiny_model: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "results"
    code = main(
        [
            "--data",
            str(dataset),
            "--split",
            "all",
            "--methods",
            "learned,geometric,skeletonize",
            "--model",
            str(tiny_model),
            "--resolution",
            str(RES),
            "--points",
            "1024",
            "--workers",
            "1",
            "--out",
            str(out),
            "--resamples",
            "500",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    text = (out / "results.md").read_text()
    assert text in printed
    assert "within **0.05 of the figure height**" in text
    assert "| learned − geometric |" in text and "| learned − skeletonize |" in text
    assert "## By category" in text  # the synthetic generator's templates
    scores = json.loads((out / "scores.json").read_text())
    assert scores["config"]["tolerance"] == 0.05 and len(scores["cases"]) == 4 * 2
    assert scores["provenance"]["model"]["description"] == "test flatten model"
    assert "## Rigger's metrics" in text and "| geometric | " in text.split("## Rigger's metrics")[1]
    for case in scores["cases"]:
        assert case["category"]
        assert len(case["truth"]["parts"]) == len(case["truth"]["parents"]) and any(case["truth"]["parts"])
        for method in ("learned", "geometric", "skeletonize"):
            entry = case["methods"][method]
            assert all(math.isfinite(entry["scores"][m]) for m in METRIC_NAMES)
            assert 0 <= entry["rig"]["tip_recall"] <= 1 and 0 <= entry["rig"]["tip_precision"] <= 1
            visible = entry["rig"]["visible_tip_recall"]  # over the tips the silhouette shows
            assert visible is None or 0 <= visible <= 1
            accuracy = entry["rig"]["part_accuracy"]
            assert accuracy is None or 0 <= accuracy <= 1
            assert len(entry["parts"]) == len(entry["parents"]) and set(entry["parts"]) <= set(PARTS)
            if not any(entry["parts"]):  # a skeleton without parts names none right
                assert accuracy in (0.0, None)
            assert len(entry["joints_px"]) == len(entry["parents"]) >= 1
    overall = scores["summary"]["overall"]
    for method in ("geometric", "skeletonize"):
        assert overall[method]["failed"] == 0
        assert overall[method]["metrics"]["cd_j2j"]["n"] == 4
        assert 0 < overall[method]["metrics"]["cd_j2j"]["mean"] < 50
        assert overall[method]["rig"]["tip_recall"]["n"] == 4
        assert overall[method]["rig"]["visible_tip_recall"]["n"] >= 1
    assert "visible tip recall" in text.split("## Rigger's metrics")[1]
    assert len(case["truth"]["visible"]) == len(case["truth"]["parents"])
    for name in ("metrics.png", "rig_metrics.png", "examples.png"):
        with Image.open(out / name) as image:
            assert image.format == "PNG" and min(image.size) > 100


def test_perfect_prediction_scores_perfectly(dataset: Path) -> None:
    config = _config(dataset)
    mesh, rig = load_item(config, "0")
    for view in ("front", "side", "30"):
        case = render_case("0", mesh, rig, view, resolution=RES, margin=0.08, rng=case_rng(config, 0, 0))
        score = score_case(case, case.joints_px, case.parents, 0.05)
        assert score.cd_j2j == score.cd_j2b == score.cd_b2b == 0.0
        assert score.precision == score.recall == score.f1 == score.iou == score.count_ratio == 1.0


def test_case_is_the_pipeline_input_without_resampling(dataset: Path) -> None:
    config = _config(dataset)
    case = render_case(
        "1", *load_item(config, "1"), "front", resolution=RES, margin=0.08, rng=case_rng(config, 1, 0)
    )
    rows = np.flatnonzero(case.mask.any(axis=1))
    assert case.figure_height == rows[-1] - rows[0] + 1
    mask = compute_mask(case.image(), backend="alpha", work_size=RES)
    assert mask.work_scale == 1.0 and mask.mask.shape == case.mask.shape
    assert np.count_nonzero(mask.mask != case.mask) <= 0.01 * case.mask.sum()  # only the mask clean-up


def test_results_do_not_depend_on_workers(dataset: Path) -> None:
    config = _config(dataset, methods=("geometric", "medial_axis"), views=("front", "random"))

    def numbers(report):
        return [
            (r["item"], r["view"], r["yaw"], {m: e["scores"] for m, e in r["methods"].items()})
            for r in report.records
        ]

    one = evaluate(config, workers=1, progress=False, resamples=200)
    two = evaluate(config, workers=2, progress=False, resamples=200)
    assert numbers(one) == numbers(two)
    assert one.summary["pairwise"] == two.summary["pairwise"]
    for method in config.methods:
        assert one.summary["overall"][method]["metrics"] == two.summary["overall"][method]["metrics"]
    assert {r["view"] for r in one.records} == {"front", "random"}


def test_a_method_that_fails_is_reported_not_scored(tmp_path: Path) -> None:
    """A box filling the whole frame leaves no transparent background: the alpha mask fails."""
    root = tmp_path / "box"
    v = np.array([[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], dtype=np.float64)
    faces = np.array(
        [
            [0, 1, 3],
            [0, 3, 2],
            [4, 6, 7],
            [4, 7, 5],
            [0, 4, 5],
            [0, 5, 1],
            [2, 3, 7],
            [2, 7, 6],
            [0, 2, 6],
            [0, 6, 4],
            [1, 5, 7],
            [1, 7, 3],
        ]
    )
    write_obj(root / "obj" / "0.obj", Mesh(v, faces))
    empty = Skin(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    write_rig(
        root / "rig_info" / "0.txt",
        Rig(("root", "top"), np.array([[0.5, 0.2, 0.5], [0.5, 0.8, 0.5]]), np.array([-1, 0]), empty),
    )
    write_split(root, "test", ["0"])
    report = evaluate(
        EvalConfig(str(root), resolution=64, margin=0.0, views=("front",)),
        workers=1,
        progress=False,
        resamples=100,
    )
    entry = report.records[0]["methods"]["geometric"]
    assert "error" in entry and "opaque" in entry["error"]
    overall = report.summary["overall"]["geometric"]
    assert overall["failed"] == 1 and overall["metrics"]["f1"]["mean"] is None


def test_categories_files(dataset: Path, tmp_path: Path) -> None:
    assert set(load_categories(dataset)) == {"0", "1", "2", "3"}
    flat = tmp_path / "cats.json"
    flat.write_text(json.dumps({"0": "human", "1": "horse"}))
    assert load_categories(dataset, flat) == {"0": "human", "1": "horse"}
    flat.write_text(json.dumps(["human"]))
    with pytest.raises(DatasetError, match="expected"):
        load_categories(dataset, flat)
    assert load_categories(tmp_path) == {}


def test_examples_take_categories_in_turn() -> None:
    records = [{"category": c} for c in ("a", "a", "a", "b", "c", "c")]
    assert choose_examples(records, 4) == [0, 1, 3, 4]
    assert choose_examples(records, 12) == list(range(6))


def test_cli_reports_errors_in_one_line(dataset: Path, tmp_path: Path, capsys) -> None:
    assert main(["--data", str(tmp_path / "nowhere"), "--methods", "geometric", "--out", str(tmp_path)]) == 2
    assert "no such dataset folder" in capsys.readouterr().err
    assert (
        main(
            [
                "--data",
                str(dataset),
                "--methods",
                "learned",
                "--model",
                str(tmp_path / "none.onnx"),
                "--out",
                str(tmp_path),
            ]
        )
        == 2
    )
    assert "error:" in capsys.readouterr().err


def test_a_method_spec_runs_its_own_anatomy_and_is_scored_on_its_own_parts(dataset: Path) -> None:
    """The way a labelling the core gains later (a model's per-point parts) is compared with the rules':
    here a forced generic body plan, whose parts are only spine and limb."""
    spec = "geometric:body_plan=generic"
    config = _config(dataset, methods=("geometric", spec), views=("front",), limit=2)
    report = evaluate(config, workers=1, progress=False, resamples=100, categories=load_categories(dataset))
    for record in report.records:
        case = view_case(config, record["item"], *load_item(config, record["item"]), record["index"], 0)
        direct = run_pipeline(case.image(), config.settings(spec))
        varied, plain = record["methods"][spec], record["methods"]["geometric"]
        assert varied["parts"] == [j.part for j in direct.skeleton.joints]
        assert set(varied["parts"]) <= {"spine", "limb"} < set(plain["parts"]) | {"limb"}
        truth = record["truth"]
        accuracy = part_accuracy(
            np.array(varied["joints_px"]), varied["parts"], np.array(truth["joints_px"]), truth["parts"]
        )
        assert varied["rig"]["part_accuracy"] == pytest.approx(accuracy)
        assert varied["rig"]["part_accuracy"] < plain["rig"]["part_accuracy"]
    overall = report.summary["overall"]
    assert overall[spec]["rig"]["part_accuracy"]["n"] == 2
    assert [d["other"] for d in report.summary["pairwise"]] == [spec, spec]


def test_cli_reports_a_bad_method_spec_in_one_line(dataset: Path, tmp_path: Path, capsys) -> None:
    argv = ["--data", str(dataset), "--methods", "geometric,geometric:predictor=onnx", "--out", str(tmp_path)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: method 'geometric:predictor=onnx'") and err.count("\n") == 1
    assert not (tmp_path / "results.md").exists()
