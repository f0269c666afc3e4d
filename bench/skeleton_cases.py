"""The skeletons of ~40 varied figures, one JSON file each: to check that a speedup changes no result.

    .venv/bin/python bench/skeleton_cases.py --out /tmp/after
    .venv/bin/python bench/skeleton_cases.py --root /path/to/other/checkout --out /tmp/before
    diff -r /tmp/before /tmp/after   # or --compare /tmp/before /tmp/after

The figures: the bundled sample at 1024², scikit-image's horse facing both ways, every drawn figure
of the test suite (`tests/figures.py`, `tests/anatomy_figures.py`, `tests/limb_figures.py`) and the
first views of a few development-set characters (`--dev`, rendered by `trainer.eval_data`). Each
runs the whole pipeline with the shipped model at 4,096 points; the file is the skeleton's JSON
without the run's timings. `--root` runs another checkout's code on the same figures (the checkout
must have the same test figures), so two code versions can be compared byte for byte.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def figures(root: Path, dev: str | None, dev_count: int) -> dict[str, object]:
    """{name: image} for every case, images as the pipeline takes them (LoadedImage or a path)."""
    import numpy as np
    from skimage import data

    from pointskel_blender.core.image import image_from_array
    from tests import anatomy_figures, figures as simple, limb_figures

    def from_mask(mask: np.ndarray, name: str) -> object:
        rgba = np.zeros(mask.shape + (4,), np.float32)
        rgba[..., :3] = 0.5
        rgba[..., 3] = mask
        return image_from_array(rgba, source=f"{name}.png")

    sys.path.insert(0, str(root / "bench"))
    from pipeline import SAMPLE

    cases: dict[str, object] = {"sample": str(SAMPLE)}
    horse = ~data.horse()
    cases["horse"] = from_mask(horse, "horse")
    cases["horse_flipped"] = from_mask(horse[:, ::-1].copy(), "horse_flipped")
    for figure in simple.all_figures():
        cases[f"simple_{figure.name}"] = from_mask(figure.mask, figure.name)
    for character in anatomy_figures.all_characters():
        cases[f"anatomy_{character.name}"] = from_mask(character.mask, character.name)
    for figure in limb_figures.limb_figures() + limb_figures.limbless_figures():
        cases[f"limb_{figure.name}"] = from_mask(figure.mask, figure.name)
    if dev:
        from trainer.eval_config import EvalConfig
        from trainer.eval_data import dataset, view_case

        config = EvalConfig(dev, split=None, methods=("geometric",), limit=dev_count)
        data_set = dataset(config)
        for index, item in enumerate(data_set.ids[:dev_count]):
            mesh, rig = data_set.load(item)
            case = view_case(config, item, mesh, rig, index, index % len(config.views))
            cases[f"dev_{item}_{case.view}"] = case.image()
    return cases


def dump(root: Path, out: Path, dev: str | None, dev_count: int) -> None:
    from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline

    out.mkdir(parents=True, exist_ok=True)
    settings = PipelineSettings(points=4096)
    for name, image in figures(root, dev, dev_count).items():
        result = run_pipeline(image, settings)
        data = result.skeleton.to_dict()
        (out / f"{name}.json").write_text(json.dumps(data, indent=1, sort_keys=True))
        print(f"{name}: {len(result.skeleton.joints)} joints, {result.contraction.iterations} iterations",
              flush=True)


def compare(before: Path, after: Path) -> int:
    """Byte-identical files, else the largest difference of any number (same structure) per file."""
    names = sorted({p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")})
    changed = 0
    for name in names:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()):
            print(f"{name}: only in {'after' if b.exists() else 'before'}")
            changed += 1
        elif a.read_bytes() != b.read_bytes():
            changed += 1
            print(f"{name}: differs ({_largest(json.loads(a.read_text()), json.loads(b.read_text()))})")
    print(f"{len(names) - changed} of {len(names)} skeletons byte-identical")
    return changed


def _largest(a: object, b: object) -> str:
    """The largest numeric difference if the two have the same structure, else 'structure differs'."""
    worst = [0.0]

    def walk(x: object, y: object) -> bool:
        if isinstance(x, dict) and isinstance(y, dict):
            return x.keys() == y.keys() and all(walk(x[k], y[k]) for k in x)
        if isinstance(x, list) and isinstance(y, list):
            return len(x) == len(y) and all(walk(p, q) for p, q in zip(x, y))
        if isinstance(x, (int, float)) and isinstance(y, (int, float)) and not isinstance(x, bool):
            worst[0] = max(worst[0], abs(float(x) - float(y)))
            return True
        return x == y

    return f"largest number difference {worst[0]:.3g}" if walk(a, b) else "structure differs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--root", type=Path, default=HERE, help="the checkout whose code runs")
    parser.add_argument("--dev", default="/work/runs13/dev",
                        help="a synthetic set for a few renders ('' for none)")
    parser.add_argument("--dev-count", type=int, default=8)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        sys.exit(1 if compare(*args.compare) else 0)
    root = args.root.resolve()
    sys.path.insert(0, str(root))
    dump(root, args.out, args.dev or None, args.dev_count)


if __name__ == "__main__":
    main()
