"""How a third party hands us the same figure: does the rig stay the same?

Our evaluation renders a figure at 256 px with an exact alpha mask. People give PNGs with alpha or
JPEGs on white, at 1-4k px, with tight or wide margins, anti-aliased edges, or an inked outline. This
draws the test figures of `tests/anatomy_figures.py` in each of those ways, runs the whole pipeline
with default settings on each, and prints where body plan, view, facing, the parts (limbs by part
and side) or the bones per limb differ from the 256-px alpha rendering.

  .venv/bin/python scripts/consistency.py [--figures dog,horse] [--variants b,d] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pointskel_blender.core.image import LoadedImage, image_from_array, load_image  # noqa: E402
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline  # noqa: E402
from tests import anatomy_figures as af  # noqa: E402

FIGURES = ("humanoid_tpose", "humanoid_apose", "plush_bear", "chibi", "walker_side", "raised_hand_side",
           "dog", "horse", "dog_front", "bird", "bird_front", "snake")
FILL = (90, 120, 200)
INK = (25, 25, 30)
SUPER = 4096  # the figure is drawn this big and box-reduced, so edges are anti-aliased as a renderer's


def _soft(name: str, size: int) -> np.ndarray:
    """The figure's coverage (0-1) at `size` px, from a drawing at `SUPER` px."""
    mask = getattr(af, name)(SUPER).mask.astype(np.float32)
    f = SUPER // size
    return mask.reshape(size, f, size, f).mean(axis=(1, 3))


def _rgba(alpha: np.ndarray) -> np.ndarray:
    out = np.zeros(alpha.shape + (4,), np.uint8)
    out[..., :3] = FILL
    out[..., 3] = np.round(alpha * 255).astype(np.uint8)
    return out


def _on_white(alpha: np.ndarray, ink: np.ndarray | None = None) -> np.ndarray:
    a = alpha[..., None]
    rgb = a * np.array(FILL, np.float32) + (1 - a) * 255.0
    if ink is not None:
        rgb = ink[..., None] * np.array(INK, np.float32) + (1 - ink[..., None]) * rgb
    return np.round(rgb).astype(np.uint8)


def _on_colour(alpha: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    a = alpha[..., None]
    return np.round(a * np.array(FILL, np.float32) + (1 - a) * np.array(colour, np.float32)).astype(np.uint8)


def _refit(alpha: np.ndarray, canvas: int, share: float) -> np.ndarray:
    """The figure cropped to its bounding box, scaled so its longer side is `share` of a square
    canvas of `canvas` px (1.0: touching 2 px from the border), centred."""
    rows, cols = np.nonzero(alpha > 0)
    crop = alpha[rows.min(): rows.max() + 1, cols.min(): cols.max() + 1]
    longest = canvas - 4 if share >= 1.0 else round(share * canvas)
    scale = longest / max(crop.shape)
    h, w = max(1, round(crop.shape[0] * scale)), max(1, round(crop.shape[1] * scale))
    small = np.asarray(Image.fromarray(crop).resize((w, h), Image.Resampling.LANCZOS)).clip(0, 1)
    if share >= 1.0:
        out = np.zeros((h + 4, w + 4), np.float32)
        out[2:-2, 2:-2] = small
        return out
    out = np.zeros((canvas, canvas), np.float32)
    r0, c0 = (canvas - h) // 2, (canvas - w) // 2
    out[r0: r0 + h, c0: c0 + w] = small
    return out


def _jpeg(rgb: np.ndarray, name: str) -> LoadedImage:
    """The pixels saved as a quality-85 JPEG and loaded back as a user's file would be."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.jpg"
        Image.fromarray(rgb).save(path, "JPEG", quality=85)
        return load_image(path)


def variants(name: str) -> dict[str, LoadedImage]:
    """Each way of handing over figure `name`, by letter."""
    a = af.__dict__[name](256).mask
    b = _soft(name, 1024)
    c = _soft(name, 2048)
    # an inked outline 3 px wide centred on the edge (at 1024 px: 12 px on the 4096-px drawing)
    big = getattr(af, name)(SUPER).mask
    ring = ndimage.binary_dilation(big, iterations=6) & ~ndimage.binary_erosion(big, iterations=6)
    ink = ring.astype(np.float32).reshape(1024, 4, 1024, 4).mean(axis=(1, 3))
    g_alpha = np.maximum(b, ink)
    feather = np.clip(ndimage.gaussian_filter(b, 4.0), 0, 1)
    return {
        "a": image_from_array(af.rgba(a), source=f"{name}_a.png"),
        "l": image_from_array(_rgba(_soft(name, 512)), source=f"{name}_l.png"),
        "b": image_from_array(_rgba(b), source=f"{name}_b.png"),
        "c": image_from_array(_rgba(c), source=f"{name}_c.png"),
        "d": _jpeg(_on_white(b), name),
        "e": image_from_array(_rgba(_refit(b, 1024, 1.0)), source=f"{name}_e.png"),
        "e2": image_from_array(_on_white(_refit(b, 1024, 1.0)), source=f"{name}_e2.png"),
        "f": image_from_array(_rgba(_refit(b, 1024, 0.3)), source=f"{name}_f.png"),
        "f2": image_from_array(_rgba(_refit(b, 1024, 0.15)), source=f"{name}_f2.png"),
        "g": image_from_array(_on_white(g_alpha, ink), source=f"{name}_g.png"),
        "h": image_from_array(_on_white(np.zeros_like(b), ink), source=f"{name}_h.png"),
        "i": _jpeg(_on_colour(b, (235, 205, 170)), name),
        "j": image_from_array(af.rgba(big), source=f"{name}_j.png"),
        "k": image_from_array(_rgba(feather), source=f"{name}_k.png"),
    }


DESCRIPTION = {"a": "256 alpha", "l": "512 alpha (AA)", "b": "1024 alpha (AA)", "c": "2048 alpha (AA)",
               "d": "1024 JPEG white q85",
               "e": "tight 2px alpha", "e2": "tight 2px white", "f": "wide 30% alpha", "f2": "wide 15% alpha",
               "g": "3px ink outline, white", "h": "line art: ink only", "i": "1024 JPEG on beige",
               "j": "4096 alpha (aliased)", "k": "1024 alpha, 4px feather"}


def reading(image: LoadedImage) -> dict:
    """What a rigger checks first: plan, view, facing, limbs by part and side, bones per limb."""
    try:
        result = run_pipeline(image, PipelineSettings())
    except Exception as exc:  # noqa: BLE001 - a report: say what failed and go on
        return {"error": f"{type(exc).__name__}: {exc}"}
    an = result.anatomy
    limbs = Counter((p, s) for p, s in zip(an.parts, an.sides) if p not in ("spine", "root", "body", "torso"))
    return {
        "plan": an.anatomy.body_plan, "view": an.anatomy.view, "facing": an.anatomy.facing,
        "backend": result.mask.backend, "coverage": round(result.mask.coverage, 3),
        "parts": sorted({p for p, _ in limbs}),
        "bones": {f"{p}.{s}" if s else p: n for (p, s), n in sorted(limbs.items())},
        "joints": len(an.names),
    }


def differences(base: dict, other: dict) -> list[str]:
    if "error" in other:
        return [other["error"][:80]]
    out = [f"{k} {base[k]}->{other[k]}" for k in ("plan", "view", "facing") if base[k] != other[k]]
    lost = sorted(set(base["parts"]) - set(other["parts"]))
    new = sorted(set(other["parts"]) - set(base["parts"]))
    if lost:
        out.append("lost " + ",".join(lost))
    if new:
        out.append("new " + ",".join(new))
    for limb in sorted(set(base["bones"]) | set(other["bones"])):
        nb, no = base["bones"].get(limb, 0), other["bones"].get(limb, 0)
        if nb and no and abs(nb - no) > 1:
            out.append(f"{limb} {nb}->{no}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", default=",".join(FIGURES))
    parser.add_argument("--variants", default=",".join(DESCRIPTION))
    parser.add_argument("--json")
    ns = parser.parse_args()
    wanted = ["a"] + [v for v in ns.variants.split(",") if v != "a"]
    table: dict[str, dict[str, dict]] = {}
    start = time.time()
    for name in ns.figures.split(","):
        images = variants(name)
        table[name] = {v: reading(images[v]) for v in wanted}
        base = table[name]["a"]
        head = "ERROR " + base["error"] if "error" in base else (
            f"{base['plan']}/{base['view']}/{base['facing']} {base['bones']}")
        print(f"{name}: {head}", flush=True)
        for v in wanted[1:]:
            diff = ["base failed"] if "error" in base else differences(base, table[name][v])
            backend = table[name][v].get("backend", "-")
            print(f"  {v:2} {DESCRIPTION[v]:22} [{backend}] {'; '.join(diff) or 'same'}", flush=True)
    total = sum(1 for f in table.values() for v in wanted[1:] if "error" not in f["a"])
    same = sum(1 for f in table.values() for v in wanted[1:]
               if "error" not in f["a"] and not differences(f["a"], f[v]))
    print(f"{same}/{total} renderings read as the 256-px alpha one ({time.time() - start:.0f}s)")
    if ns.json:
        Path(ns.json).write_text(json.dumps(table, indent=1))


if __name__ == "__main__":
    main()
