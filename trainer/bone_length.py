"""Fill the bone length head: which split length of straight chains gives a figure its best skeleton.

    python -m trainer.bone_length CKPT --cache TRAIN.npz --out OUT.pt [--val-cache VAL.npz]
        [--samples 1000] [--cd-weight 0.1] [--neighbours K] [--figure-weight W]

A lamp's pole wants one bone, a snake many; no fixed split length suits both, and a medial axis
does not know which it is looking at. This step teaches the trained network to tell, leaving the
rest of it as it is. For cached clouds (rendered training characters, lifted by the add-on's own
code) the model contracts each as the add-on does, the add-on's topology builds a skeleton at every
candidate length, and each skeleton is scored against the true joints: joint F1 minus `cd_weight`
x CD-J2J (x100 of the height; 0.1 weighs the two about equally over the range the lengths span, and
was the best weight on a development set), so that neither metric is traded for the other. The
head (`model.NearestLengthHead`) remembers each cloud's global feature (of the lifted cloud, where
the outline still shows) and its `core.figure` features (the contracted
cloud's unsplit tree: a horse and a spider look alike to the network from the side, but not in
how many legs end) with its scores, and picks for a new cloud the length its nearest remembered
clouds scored best with. How many neighbours vote, and how much the figure features weigh in the
distance (0 = not at all), are chosen together by leave-one-character-out cross-validation on the
measured clouds, unless `--neighbours` and `--figure-weight` say. `--val-cache` reports the choice
on clouds it did not see.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.figure import figure_features
from pointskel_blender.core.settings import DEFAULT_BONE_LENGTH, DEFAULT_VOXEL
from pointskel_blender.core.topology import BoneGraph

from .checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from .model import NearestLengthHead, PointNetOffsetPredictor
from .samples import SampleCache, load_sample_cache
from .torch_predictor import contract_cached
from .validation import tree_score, validation_indices

VOXEL = DEFAULT_VOXEL  # the add-on's default detail: the candidates are 0 (never split), 2 ... 4 voxels of it
# Longer splits (5 and 7 voxels) were never chosen in a first fit on 1,600 clouds (nor 2 and 4), and
# every candidate costs a skeleton per cloud; 2 and 4 stay as the neighbours of what was chosen.
CANDIDATES = tuple(round(v * VOXEL, 6) for v in (0.0, 2.0, 2.5, 3.0, 3.5, 4.0))
# The add-on's fixed default, the reference the report compares with.
DEFAULT_CANDIDATE = CANDIDATES.index(round(DEFAULT_BONE_LENGTH, 6))


@dataclass(frozen=True)
class LengthTable:
    """Per cloud: the model's global feature of the lifted cloud, the figure features of the contracted
    one, and the skeleton scores at each length."""

    features: np.ndarray  # (S, F)
    figures: np.ndarray  # (S, 4) `core.figure.figure_features`
    cd: np.ndarray  # (S, K) CD-J2J x100 of the figure height
    f1: np.ndarray  # (S, K)
    items: np.ndarray  # (S,) the character each cloud shows (its views are not independent)

    def __len__(self) -> int:
        return len(self.features)

    def utility(self, cd_weight: float) -> np.ndarray:
        return self.f1 - cd_weight * self.cd


@torch.no_grad()
def measure(
    model: PointNetOffsetPredictor,
    cache: SampleCache,
    indices: Sequence[int],
    lengths: Sequence[float],
    *,
    voxel: float = VOXEL,
    progress: bool = True,
) -> LengthTable:
    """The features and per-length skeleton scores of the cached clouds `indices`."""
    model.eval()
    device = torch.device("cpu")
    features, figures, cd, f1 = [], [], [], []
    indices = list(indices)
    bar = tqdm(total=len(indices), desc="skeletons at each bone length", unit="cloud", disable=not progress)
    for i, cached in zip(indices, contract_cached(model, cache, indices, device)):
        cloud, joint_scores = cached.contraction.points, cached.contraction.joint_scores
        features.append(cached.features)
        # One cleaned graph per cloud, cut at every length (as the add-on's pipeline does).
        graph = BoneGraph(cloud, cache.shape(i).radius_at, voxel=voxel, joint_scores=joint_scores)
        figures.append(figure_features(cloud, cache.shape(i).radius_at, graph))
        rows = [tree_score(graph.tree(length / voxel), cache, i) for length in lengths]
        cd.append([r[0] for r in rows])
        f1.append([r[1] for r in rows])
        bar.update()
    bar.close()
    width = model.config.global_width
    return LengthTable(
        np.stack(features) if features else np.zeros((0, width), np.float32),
        np.asarray(figures, dtype=np.float32).reshape(len(figures), -1),
        np.asarray(cd, dtype=np.float64).reshape(-1, len(lengths)),
        np.asarray(f1, dtype=np.float64).reshape(-1, len(lengths)),
        np.asarray(cache.items)[indices] if indices else np.zeros(0, dtype=str),
    )


NEIGHBOURS = (3, 5, 10, 15, 25)  # what the cross-validation chooses k from
FIGURE_WEIGHTS = (0.0, 2.0, 4.0, 8.0, 16.0)  # ... and the figure features' weight in the distance


def neighbour_picks(
    table: LengthTable, cd_weight: float, neighbours: Sequence[int], figure_weight: float = 0.0
) -> dict[int, np.ndarray]:
    """{k: each cloud's pick by its k nearest clouds of other characters}, measured as the head does."""
    utility = table.utility(cd_weight)
    head = NearestLengthHead(len(table), table.features.shape[1], utility.shape[1], 1, figure_weight)
    head.fill(table.features, utility, table.figures)
    with torch.no_grad():
        distance = head.distances(
            torch.as_tensor(table.features, dtype=torch.float32),
            torch.as_tensor(table.figures, dtype=torch.float32),
        ).numpy()
    distance[table.items[:, None] == table.items[None]] = np.inf  # leave the whole character out
    order = np.argsort(distance, axis=1, kind="stable")
    return {k: utility[order[:, :k]].mean(axis=1).argmax(axis=1) for k in neighbours}


def choose_neighbours(
    table: LengthTable,
    cd_weight: float,
    neighbours: Sequence[int] = NEIGHBOURS,
    figure_weights: Sequence[float] = FIGURE_WEIGHTS,
) -> tuple[int, float, dict]:
    """The k and figure weight whose leave-one-character-out picks score best, and every pair's mean
    utility ({"k=5 w=8": utility})."""
    others = len(table) - int(np.unique(table.items, return_counts=True)[1].max(initial=0))
    usable = [k for k in neighbours if k <= others]
    if not usable:
        raise PointSkelError(f"{len(table)} measured clouds are too few for a nearest-neighbour choice")
    utility = table.utility(cd_weight)
    rows = np.arange(len(table))
    scores = {}
    for weight in figure_weights:
        for k, picks in neighbour_picks(table, cd_weight, usable, weight).items():
            scores[(k, float(weight))] = float(utility[rows, picks].mean())
    k, weight = max(scores, key=scores.get)
    return k, weight, {f"k={k:d} w={w:g}": v for (k, w), v in scores.items()}


def choose(model: PointNetOffsetPredictor, table: LengthTable) -> np.ndarray:
    """The candidate index the model's head picks for each cloud of `table` (its features)."""
    with torch.no_grad():
        logits = model.length(
            torch.as_tensor(table.features, dtype=torch.float32),
            torch.as_tensor(table.figures, dtype=torch.float32),
        )
    return logits.argmax(dim=1).numpy()


def report(table: LengthTable, picks: np.ndarray, lengths: Sequence[float]) -> dict:
    """Mean CD-J2J and F1 with the head's choice, with the fixed default, and with the best per cloud."""
    rows = np.arange(len(picks))
    best = table.f1.argmax(axis=1)
    return {
        "clouds": len(picks),
        "chosen": {"cd_j2j": float(table.cd[rows, picks].mean()), "f1": float(table.f1[rows, picks].mean())},
        "fixed": {
            "bone_length": lengths[DEFAULT_CANDIDATE],
            "cd_j2j": float(table.cd[:, DEFAULT_CANDIDATE].mean()),
            "f1": float(table.f1[:, DEFAULT_CANDIDATE].mean()),
        },
        "best_per_cloud": {
            "cd_j2j": float(table.cd[rows, best].mean()),
            "f1": float(table.f1[rows, best].mean()),
        },
        "picked": {repr(length): int((picks == k).sum()) for k, length in enumerate(lengths)},
    }


def with_length_head(
    checkpoint: Checkpoint,
    cache: SampleCache,
    *,
    samples: int | None,
    lengths: Sequence[float] = CANDIDATES,
    cd_weight: float = 0.1,
    neighbours: int | None = None,
    figure_weight: float | None = None,
    val_cache: SampleCache | None = None,
    val_samples: int | None = None,
    progress: bool = True,
) -> tuple[Checkpoint, dict]:
    """The checkpoint's network with a filled bone length head, and what the fit measured."""
    if DEFAULT_CANDIDATE >= len(lengths):
        raise PointSkelError(
            f"need at least {DEFAULT_CANDIDATE + 1} candidate bone lengths, got {len(lengths)}"
        )
    lengths = tuple(float(v) for v in lengths)
    network = replace(checkpoint.model_config, bone_lengths=(), length_references=0)
    if not network.joint_head:
        raise PointSkelError(
            "the bone length head needs a model with the joint head (the add-on's output sets)"
        )
    model = PointNetOffsetPredictor(network)
    state = {k: v for k, v in checkpoint.state_dict.items() if not k.startswith("length.")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise PointSkelError(
            f"checkpoint weights do not fit its own config (missing {missing}, unexpected {unexpected})"
        )
    indices = validation_indices(len(cache), samples)
    if neighbours is not None and not 1 <= neighbours <= len(indices):  # before minutes of measuring
        raise PointSkelError(
            f"--neighbours must be between 1 and the {len(indices)} measured clouds, got {neighbours}"
        )
    if figure_weight is not None and not (np.isfinite(figure_weight) and figure_weight >= 0):
        raise PointSkelError(f"--figure-weight must be a number >= 0, got {figure_weight}")
    start = time.perf_counter()
    table = measure(model, cache, indices, lengths, progress=progress)
    measured = time.perf_counter() - start
    cross_validated = {}
    if neighbours is None or figure_weight is None:
        k, weight, cross_validated = choose_neighbours(
            table,
            cd_weight,
            NEIGHBOURS if neighbours is None else (neighbours,),
            FIGURE_WEIGHTS if figure_weight is None else (figure_weight,),
        )
        neighbours, figure_weight = k, weight
    config = replace(
        network,
        bone_lengths=lengths,
        length_references=len(table),
        length_neighbours=neighbours,
        length_figure_weight=figure_weight,
    )
    fitted_model = PointNetOffsetPredictor(config)
    fitted_model.load_state_dict(model.state_dict(), strict=False)
    fitted_model.length.fill(table.features, table.utility(cd_weight), table.figures)
    fitted_model.eval()
    # The table knows its own clouds: report them as the cross-validation saw them (other characters only).
    held_out = neighbour_picks(table, cd_weight, [neighbours], figure_weight)[neighbours]
    summary = {
        "cd_weight": cd_weight,
        "neighbours": neighbours,
        "figure_weight": figure_weight,
        "cross_validated": {str(k): v for k, v in cross_validated.items()},
        "measure_seconds": measured,
        "train": report(table, held_out, lengths),
    }
    if val_cache is not None:
        indices = validation_indices(len(val_cache), val_samples)
        val = measure(fitted_model, val_cache, indices, lengths, progress=progress)
        summary["val"] = report(val, choose(fitted_model, val), lengths)
    data = {**checkpoint.data, "bone_length_head": summary}
    fitted = replace(
        checkpoint, model_config=config, state_dict=fitted_model.state_dict(), data=data, optimizer=None
    )
    return fitted, summary


def _line(name: str, result: dict) -> str:
    chosen, fixed, best = result["chosen"], result["fixed"], result["best_per_cloud"]
    return (
        f"{name} ({result['clouds']} clouds): chosen CD-J2J {chosen['cd_j2j']:.3f} F1 {chosen['f1']:.3f}; "
        f"fixed {fixed['bone_length']:g}: {fixed['cd_j2j']:.3f} / {fixed['f1']:.3f}; "
        f"best per cloud {best['cd_j2j']:.3f} / {best['f1']:.3f}; picked {result['picked']}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    description = __doc__.split("\n\n")[0]
    parser = argparse.ArgumentParser(prog="python -m trainer.bone_length", description=description)
    parser.add_argument("checkpoint", help="the trained network (best.pt)")
    parser.add_argument("--cache", required=True,
                        help="sample cache of the training split (in the run's cache/)")
    parser.add_argument("--out", required=True, help="the checkpoint to write, with the head")
    parser.add_argument("--val-cache", help="sample cache to report the choice on (the validation split)")
    parser.add_argument("--samples", type=int, default=1000, help="training clouds measured (default 1000)")
    parser.add_argument("--val-samples", type=int, default=200, help="validation clouds (default 200)")
    parser.add_argument("--cd-weight", type=float, default=0.1,
                        help="utility F1 - this x CD-J2J (default 0.1)")
    parser.add_argument(
        "--neighbours", type=int, help=f"clouds voting per choice (default: cross-validated of {NEIGHBOURS})"
    )
    parser.add_argument(
        "--figure-weight",
        type=float,
        help=f"weight of the figure features in the distance (default: cross-validated of {FIGURE_WEIGHTS})",
    )
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    try:
        checkpoint = load_checkpoint(args.checkpoint)
        cache = load_sample_cache(args.cache)
        val_cache = load_sample_cache(args.val_cache) if args.val_cache else None
        result, summary = with_length_head(
            checkpoint,
            cache,
            samples=args.samples,
            cd_weight=args.cd_weight,
            neighbours=args.neighbours,
            figure_weight=args.figure_weight,
            val_cache=val_cache,
            val_samples=args.val_samples,
            progress=not args.quiet,
        )
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        save_checkpoint(args.out, result)
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    chosen = f"neighbours {summary['neighbours']}, figure weight {summary['figure_weight']:g}"
    if summary["cross_validated"]:
        ranked = sorted(summary["cross_validated"].items(), key=lambda item: -item[1])
        chosen += " (leave-one-character-out utility, best first: " + ", ".join(
            f"{name} {value:.4f}" for name, value in ranked[:5]
        ) + f"; {len(ranked)} tried)"
    print(chosen)
    print(_line("train, leave-one-character-out", summary["train"]))
    if "val" in summary:
        print(_line("val", summary["val"]))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
