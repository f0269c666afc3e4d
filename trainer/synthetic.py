"""Procedural training data: a complete RigNet-format dataset of articulated characters.

    python -m trainer.synthetic --out DIR --count N --seed S [--workers 2] [--plain] [--chunky]
        [--artist SHARE]

writes `obj/<id>.obj`, `rig_info/<id>.txt` (with skin weights), `train_final.txt`,
`val_final.txt`, `test_final.txt` (80/10/10) and `synthetic.json` (the template of each id, for
per-category evaluation). Ids are integers as in RigNet. Character `i` depends only on
(`seed`, `i`), so the files are byte-identical for a seed whatever the number of workers.
Characters are normalized as RigNet's are: longest bounding-box side 1, centred in x and z, lowest
point at y = 0 (Y up, facing +Z, left at +X; see `characters`).

Bodies are realistic by default: besides the volumes around its bones, a character gets unboned
parts drawn from a second generator (each family's `dress`, `trainer.parts`): ears, hair, hats, horns,
muzzles and manes on big skulls, chests and bellies, mittens and boots, skirts, robes, coats and
capes, bushy tails, fins, feathered wings and tail fans, lamp shades and cushions; a share of the
characters (`PLAIN_SHARE`) stays plain. `--plain` (`realistic=False`) writes the plain bodies of
the same characters: the same rigs, the tubes and blobs around the bones alone, meshes and rigs
byte-identical to those this module wrote before realistic bodies existed. Comparing the two shows what the
unboned parts do to a method.

`--chunky` (`chunky=True`) draws from the evaluation-only templates of `trainer.characters.chunky`
instead (plush and chibi characters, bears: fat bodies, big heads, short thick limbs, big ears,
facing either way): for evaluation sets only, never for training, so the training data stays
byte-identical.

`--artist SHARE` (`artist=SHARE`) turns that share of a training set's characters into the figures
artists draw (`trainer.characters.artist`: plush, chibi and chunky bipeds and quadrupeds, sitting,
standing or trotting, facing either way), drawn from their own generator; the other characters are
those of the same seed without it, and 0 (the default) writes exactly the data written before.
They are never the evaluation-only chunky set: that set's seed (`CHUNKY_EVAL_SEED`) is refused.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Sequence

import numpy as np

from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.files import write_text_atomic

from . import DatasetError
from .characters import (
    ARTIST_TEMPLATES,
    ARTIST_WEIGHTS,
    CHUNKY_EVAL_SEED,
    CHUNKY_TEMPLATES,
    CHUNKY_WEIGHTS,
    TEMPLATE_WEIGHTS,
    TEMPLATES,
    Template,
)
from .rignet import MESH_DIR, RIG_DIR, SPLITS, Mesh, Rig, write_obj, write_rig, write_split
from .workers import imap

FORMAT_VERSION = 1
PLAIN_SHARE = 0.12  # realistic datasets keep this share of characters plain
STYLE_STREAM = 0x57E  # the unboned parts' generator: ([seed, index, STYLE_STREAM])
ARTIST_STREAM = 0xA27  # whether a character is an artist's figure, and which: ([seed, index, ARTIST_STREAM])
SPLIT_FRACTIONS = {"val": 0.1, "test": 0.1}  # the rest is train
INFO_FILE = "synthetic.json"


def make_character(seed: int, index: int, *, realistic: bool = True, chunky: bool = False,
                   artist: float = 0.0) -> tuple[str, Mesh, Rig]:
    """(template name, mesh, rig) of character `index` of the dataset drawn with `seed`; `chunky`
    draws from the evaluation-only chunky templates, `artist` is the share of artists' figures.

    The skeleton and plain body come from one generator and the unboned parts from another, so a
    character's rig is the same with or without them.
    """
    if not 0.0 <= artist <= 1.0:
        raise DatasetError(f"the share of artists' figures must be in [0, 1], got {artist}")
    if artist > 0 and not chunky:
        figure = np.random.default_rng([seed, index, ARTIST_STREAM])
        if figure.random() < artist:
            return _drawn(figure, ARTIST_TEMPLATES, ARTIST_WEIGHTS, None)
    templates, template_weights = ((CHUNKY_TEMPLATES, CHUNKY_WEIGHTS) if chunky
                                   else (TEMPLATES, TEMPLATE_WEIGHTS))
    rng = np.random.default_rng([seed, index])
    style = np.random.default_rng([seed, index, STYLE_STREAM]) if realistic else None
    if style is not None and style.random() < PLAIN_SHARE:
        style = None
    return _drawn(rng, templates, template_weights, style)


def _drawn(rng: np.random.Generator, templates: dict[str, Template], weights: dict[str, float],
           style: np.random.Generator | None) -> tuple[str, Mesh, Rig]:
    """A template drawn from `rng` by `weights`, built from the same `rng` (and `style`), normalized."""
    kinds = sorted(templates)
    p = np.array([weights[k] for k in kinds])
    kind = kinds[int(rng.choice(len(kinds), p=p / p.sum()))]
    mesh, rig = templates[kind](rng, style).build()
    return (kind, *normalize(mesh, rig))


def normalize(mesh: Mesh, rig: Rig) -> tuple[Mesh, Rig]:
    """RigNet's frame: longest side 1, centred in x and z, floor at y = 0; rounded to compact text."""
    lo, hi = mesh.vertices.min(axis=0), mesh.vertices.max(axis=0)
    offset = np.array([(lo[0] + hi[0]) / 2, lo[1], (lo[2] + hi[2]) / 2])
    scale = 1.0 / float((hi - lo).max())
    vertices = np.round((mesh.vertices - offset) * scale, 5) + 0.0  # + 0.0 turns -0.0 into 0.0
    joints = np.round((rig.positions - offset) * scale, 6) + 0.0
    return Mesh(vertices, mesh.faces), Rig(rig.names, joints, rig.parents, rig.skin)


def read_templates(root: str | os.PathLike) -> dict[str, str]:
    """{id: template} from a dataset's `INFO_FILE`; {} for a dataset without one (RigNet's)."""
    path = Path(root) / INFO_FILE
    if not path.is_file():
        return {}
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(f"{path}: not a readable JSON file ({exc})") from None
    templates = info.get("templates") if isinstance(info, dict) else None
    if not isinstance(templates, dict) or not all(isinstance(v, str) for v in templates.values()):
        raise DatasetError(f"{path}: expected a 'templates' table of {{id: template name}}")
    return {str(k): v for k, v in templates.items()}


def split_ids(count: int, seed: int) -> dict[str, list[str]]:
    """A seeded 80/10/10 partition of the ids 0..count-1, each list in id order."""
    order = np.random.default_rng([seed, count, 0x5B1]).permutation(count)
    sizes = {name: int(round(count * f)) for name, f in SPLIT_FRACTIONS.items()}
    val, test = order[:sizes["val"]], order[sizes["val"]:sizes["val"] + sizes["test"]]
    train = order[sizes["val"] + sizes["test"]:]
    return {name: [str(i) for i in sorted(ids.tolist())] for name, ids in
            (("train", train), ("val", val), ("test", test))}


def _write_one(job: tuple[str, int, int, bool, bool, float]) -> tuple[int, str, int, int]:
    out, seed, index, realistic, chunky, artist = job
    kind, mesh, rig = make_character(seed, index, realistic=realistic, chunky=chunky, artist=artist)
    write_obj(Path(out) / MESH_DIR / f"{index}.obj", mesh)
    write_rig(Path(out) / RIG_DIR / f"{index}.txt", rig)
    return index, kind, len(rig.names), len(mesh.vertices)


def generate(out: str | os.PathLike, count: int, seed: int, *, workers: int = 2, overwrite: bool = False,
             progress: bool = True, realistic: bool = True, chunky: bool = False,
             artist: float = 0.0) -> dict[str, str]:
    """Write the dataset and return {id: template}; a folder that already holds one needs `overwrite`."""
    root = Path(out)
    if count < 1:
        raise DatasetError(f"--count must be at least 1, got {count}")
    if not 0.0 <= artist <= 1.0:
        raise DatasetError(f"--artist must be a share in [0, 1], got {artist}")
    if artist > 0 and seed == CHUNKY_EVAL_SEED:
        raise DatasetError(f"seed {CHUNKY_EVAL_SEED} draws the evaluation-only chunky set; "
                           "draw training figures with another seed")
    ours = [root / MESH_DIR, root / RIG_DIR, root / INFO_FILE] + [root / f"{s}_final.txt" for s in SPLITS]
    if any(p.exists() for p in ours):
        if not overwrite:
            raise DatasetError(f"{root} already holds a dataset; choose another folder or pass --overwrite")
        for p in ours:
            shutil.rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)
    (root / MESH_DIR).mkdir(parents=True, exist_ok=True)
    (root / RIG_DIR).mkdir(parents=True, exist_ok=True)
    jobs = [(str(root), seed, i, realistic, chunky, artist) for i in range(count)]
    kinds: dict[str, str] = {}
    from tqdm import tqdm

    bar = tqdm(total=count, unit="char", desc="characters", disable=not progress)
    for index, kind, _, _ in imap(_write_one, jobs, workers, chunksize=8):
        kinds[str(index)] = kind
        bar.update()
    bar.close()
    for name, ids in split_ids(count, seed).items():
        write_split(root, name, ids)
    info = {"format": "pointskel-synthetic", "version": FORMAT_VERSION, "seed": seed, "count": count,
            "bodies": "chunky" if chunky else "realistic" if realistic else "plain",
            "templates": {str(i): kinds[str(i)] for i in range(count)}}
    if artist > 0:  # absent otherwise: the default data stays byte-identical
        info["artist"] = artist
    write_text_atomic(root / INFO_FILE, json.dumps(info, indent=1) + "\n")
    return {str(i): kinds[str(i)] for i in range(count)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.synthetic", description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n")[3],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="dataset folder to write")
    parser.add_argument("--count", type=int, required=True, help="number of characters")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--overwrite", action="store_true", help="replace a dataset already in --out")
    parser.add_argument("--plain", action="store_true",
                        help="plain bodies (tubes and blobs around the bones, no unboned parts) of the same "
                             "characters and rigs")
    parser.add_argument("--chunky", action="store_true",
                        help="evaluation only: plush, chibi and bear-like characters "
                             "(trainer.characters.chunky), never training data")
    parser.add_argument("--artist", type=float, default=0.0, metavar="SHARE",
                        help="training data: this share of the characters are figures as artists draw "
                             "them (plush, chibi, chunky; sitting, trotting; facing either way); default 0")
    args = parser.parse_args(argv)
    try:
        kinds = generate(args.out, args.count, args.seed, workers=args.workers, overwrite=args.overwrite,
                         realistic=not args.plain, chunky=args.chunky, artist=args.artist)
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    counts = {k: list(kinds.values()).count(k) for k in sorted(set(kinds.values()))}
    print(f"wrote {len(kinds)} characters to {args.out}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
