"""Train the part head on a trained model's frozen features (after the bone length head, before export).

    python -m trainer.part_head BASE --data DIR --caches DIR [--data DIR --caches DIR ...] --out OUT.pt \
        [--epochs 2] [--minutes 30] [--batch-size 16] [--lr 3e-3] [--plan-weight 0.3] [--balance 0] [--seed 0]

BASE is a checkpoint (`bone_length.pt`) or an exported model (`.onnx`, see `trainer.onnx_weights`); a
base that already has a part head (the shipped file) gets a fresh one in its place.
The train and val sample caches are the training step's (`--caches`: its cache folder; built there
with the trainer's default sample settings when missing). Each `--data` pairs with the `--caches`
given after it: the head trains on all of them (the recipe's data and a draw of artists' figures,
`trainer.synthetic --artist`), each batch from one dataset, and validates on all their val splits.
`--balance P` weighs each part's loss by its share of the training points to the power -P (0: every
point counts the same; small parts such as ears, necks and tails otherwise drown in the trunk's points).
Only the new `PartHead` learns: every other weight stays as it is, so offsets, joint scores and
bone lengths of the written model are the base's exactly (the MODEL_CARD records that a head
trained jointly pulled the shared features away from what the other outputs need). Labels come
from the dataset's rigs (`trainer.part_labels`): each point's nearest truth bone's part, cross-
entropy over labelled points, plus `--plan-weight` x the cross-entropy of the figure's body plan.
Clouds are random subsets of the cached lifted clouds with jitter but no partial contraction: the
add-on reads parts on the lifted cloud, where the outline still shows (`core.part_labels`).
Training stops after `--minutes` (not counting loading) or `--epochs`, whichever comes first;
point and plan accuracy on `--val-samples` validation clouds are recorded before and after.
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

from pointskel_blender.core.errors import PointSkelError

from .checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from .model import PointNetOffsetPredictor
from .onnx_weights import description, model_from_onnx
from .part_labels import IGNORE, PART_CLASSES, PLAN_CLASSES, CacheLabels, cache_labels, point_parts
from .samples import PointAugment, SampleCache, load_sample_cache
from .training_data import SampleSettings, ensure_cache, make_batch
from .validation import validation_indices

KEEP = 256  # points of each training cloud whose features the head learns from (of the 1,024 read)
AUGMENT = PointAugment(contract=0.0)  # jitter only: parts are read on the lifted cloud
EXACT = PointAugment(noise=0.0, contract=0.0)  # validation: the cached clouds as they are


def with_part_head(base: PointNetOffsetPredictor, seed: int = 0) -> PointNetOffsetPredictor:
    """A copy of `base` with a fresh part head (seeded) and every other weight the same."""
    if base.config.parts:
        raise PointSkelError("the base model already has a part head; start from the model without one")
    config = replace(base.config, parts=PART_CLASSES, body_plans=PLAN_CLASSES)
    torch.manual_seed(seed)
    model = PointNetOffsetPredictor(config)
    missing, _ = model.load_state_dict(base.state_dict(), strict=False)
    if any(not k.startswith("parts.") for k in missing):
        raise PointSkelError(f"the base model lacks weights {missing[:3]}")
    return model


def without_part_head(model: PointNetOffsetPredictor) -> PointNetOffsetPredictor:
    """The network of `model` without its part head (every other weight the same), as the stop-11 file
    had it: what a new head trains on."""
    network = PointNetOffsetPredictor(replace(model.config, parts=(), body_plans=()))
    network.load_state_dict({k: v for k, v in model.state_dict().items() if not k.startswith("parts.")})
    return network.eval()


def network_description(path: str | Path) -> str:
    """An exported model's description of its network, without what it says of a part head it had."""
    return description(path).split("; part head")[0]


def load_base(path: str | Path) -> PointNetOffsetPredictor:
    """The network of a checkpoint or exported model, without a part head it may have."""
    model = model_from_onnx(path) if str(path).endswith(".onnx") else load_checkpoint(path).model()
    return without_part_head(model) if model.config.parts else model


def labelled_batch(
    cache: SampleCache, labels: CacheLabels, indices: Sequence[int], points: int, seed: int, epoch: int,
    geometric: bool, augment: PointAugment = AUGMENT,
) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor, torch.Tensor]:
    """(clouds, geometric offsets or None, (B, n) part classes, (B,) plan classes) of cached samples."""
    batch = make_batch(cache, indices, points, seed=seed, epoch=epoch, augment=augment, geometric=geometric)
    parts = np.stack([
        point_parts(batch.points[row], cache.sample_segments(int(i)),
                    labels.bones[cache.segment_start[int(i)]:cache.segment_start[int(i) + 1]])
        for row, i in enumerate(indices)
    ])
    hints = None if batch.geometric is None else torch.from_numpy(batch.geometric)
    return (torch.from_numpy(batch.points), hints, torch.from_numpy(parts),
            torch.from_numpy(labels.plans[list(indices)].astype(np.int64)))


def part_loss(
    logits: torch.Tensor, plan: torch.Tensor, parts: torch.Tensor, plans: torch.Tensor, plan_weight: float,
    weights: torch.Tensor | None = None,
) -> torch.Tensor:
    """Cross-entropy of the (B, n, P) part logits over labelled points (each part's weighted by
    `weights`, (P,), if given), plus the plan's, weighted."""
    loss = F.cross_entropy(logits.flatten(0, 1), parts.flatten(), weight=weights, ignore_index=IGNORE) if (
        parts != IGNORE).any() else logits.sum() * 0
    return loss + plan_weight * F.cross_entropy(plan, plans)


def part_weights(parts: torch.Tensor, power: float) -> torch.Tensor | None:
    """(P,) loss weight of each part: its share of the labelled points among `parts` (part classes
    or IGNORE) to the power -`power`, mean 1 over those points; None at power 0. A part never seen
    gets the largest weight of those seen."""
    if power == 0:
        return None
    counts = torch.bincount(parts[parts != IGNORE].flatten(), minlength=len(PART_CLASSES)).double()
    share = counts / counts.sum().clamp(min=1)
    weights = torch.where(share > 0, share.clamp(min=1e-12) ** -power, torch.zeros_like(share))
    weights[share == 0] = weights.max()
    return (weights / ((weights * share).sum().item() or 1.0)).float()


@torch.no_grad()
def accuracy(
    model: PointNetOffsetPredictor, cache: SampleCache, labels: CacheLabels, indices: Sequence[int],
    points: int, batch_size: int = 16,
) -> dict[str, float]:
    """Share of labelled points whose argmax part is right, and of clouds whose argmax plan is."""
    right = total = plans_right = 0
    for start in range(0, len(indices), batch_size):
        chunk = list(indices[start:start + batch_size])
        clouds, hints, parts, plans = labelled_batch(
            cache, labels, chunk, points, 0, 0, model.config.geometric_input, EXACT
        )
        logits, plan = model.parts_and_plan(clouds, hints)
        known = parts != IGNORE
        right += int((logits.argmax(-1)[known] == parts[known]).sum())
        total += int(known.sum())
        plans_right += int((plan.argmax(-1) == plans).sum())
    return {"part_accuracy": right / max(total, 1), "plan_accuracy": plans_right / max(len(indices), 1)}


def _validate(model: PointNetOffsetPredictor, val: Sequence[tuple[SampleCache, CacheLabels]],
              wanted: int) -> dict[str, float]:
    """Accuracies on `wanted` clouds of each val set: each set's, and their mean (`part_accuracy`,
    `plan_accuracy`)."""
    n = model.config.expected_points
    found = [accuracy(model, cache, labels, validation_indices(len(cache), wanted), n)
             for cache, labels in val]
    out = {k: float(np.mean([f[k] for f in found])) for k in ("part_accuracy", "plan_accuracy")}
    if len(found) > 1:
        out.update({f"{k}_{i}": f[k] for i, f in enumerate(found) for k in f})
    return out


class Encoded(NamedTuple):
    """The frozen network's reading of training clouds, kept for the head to learn from: `keep`
    random points of each cloud."""

    features: torch.Tensor  # (N, keep, F) float16 per-point features
    pooled: torch.Tensor  # (N, G) float16 global feature
    parts: torch.Tensor  # (N, keep) int64 part class or IGNORE
    plans: torch.Tensor  # (N,) int64 plan class


@torch.no_grad()
def encode_clouds(
    model: PointNetOffsetPredictor, train: Sequence[tuple[SampleCache, CacheLabels]], *, passes: int,
    keep: int, batch_size: int, seed: int, limit: int | None, deadline: float, progress: bool,
) -> Encoded:
    """Each training cloud (the first `limit` of each dataset) `passes` times (a fresh subset and
    jitter each pass) through the frozen network, keeping `keep` random points' features; stops at
    `deadline` (`time.perf_counter()`) with what it has."""
    n = model.config.expected_points
    rng = np.random.default_rng(seed)
    kept: list[tuple[torch.Tensor, ...]] = []
    jobs = [(p, k, start) for p in range(passes) for k, (cache, _) in enumerate(train)
            for start in range(0, min(limit or len(cache), len(cache)), batch_size)]
    for done, (p, k, start) in enumerate(jobs):
        if time.perf_counter() > deadline:
            break
        cache, labels = train[k]
        chosen = list(range(start, min(start + batch_size, limit or len(cache), len(cache))))
        clouds, hints, parts, plans = labelled_batch(cache, labels, chosen, n, seed, p,
                                                     model.config.geometric_input)
        features, pooled = model.encode(clouds, hints)
        pick = torch.from_numpy(np.stack([rng.choice(n, min(keep, n), replace=False) for _ in chosen]))
        rows = torch.arange(len(chosen))[:, None]
        kept.append((features[rows, pick].half(), pooled[:, 0].half(), parts[rows, pick], plans))
        if progress and (done + 1) % 50 == 0:
            print(f"encoded {done + 1}/{len(jobs)} batches", file=sys.stderr, flush=True)
    if not kept:
        raise PointSkelError("no training cloud was encoded within the time budget")
    return Encoded(*(torch.cat(column) for column in zip(*kept)))


def train_part_head(
    base: PointNetOffsetPredictor,
    train: Sequence[tuple[SampleCache, CacheLabels]],
    val: Sequence[tuple[SampleCache, CacheLabels]],
    *, minutes: float, epochs: int = 10, passes: int = 1, keep: int = KEEP, batch_size: int = 16,
    lr: float = 3e-3, plan_weight: float = 0.3, balance: float = 0.0, seed: int = 0, val_samples: int = 200,
    limit: int | None = None, progress: bool = True,
) -> tuple[PointNetOffsetPredictor, list[dict]]:
    """The base with a trained part head, and the history (accuracies before and after). `train`
    and `val`: (cache, labels) of one or more datasets. The frozen network reads every training
    cloud `passes` times once (`encode_clouds`, within `minutes`); the head then learns `epochs`
    times over what it read, which costs little beside the reading."""
    model = with_part_head(base, seed)
    model.eval()  # no dropout or batch norm anywhere: eval only marks the frozen part
    for name, weight in model.named_parameters():
        weight.requires_grad_(name.startswith("parts."))
    head = model.parts
    optimizer = torch.optim.AdamW(head.parameters(), lr=lr, weight_decay=1e-4)
    history = [{"step": 0, "minutes": 0.0, **_validate(model, val, val_samples)}]
    started = time.perf_counter()
    data = encode_clouds(model, train, passes=passes, keep=keep, batch_size=batch_size, seed=seed,
                         limit=limit, deadline=started + minutes * 60, progress=progress)
    encoding = (time.perf_counter() - started) / 60
    weights = part_weights(data.parts, balance)
    total = epochs * math.ceil(len(data.plans) / batch_size)
    step, loss_sum = 0, 0.0
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = torch.from_numpy(rng.permutation(len(data.plans)))
        for start in range(0, len(order), batch_size):
            for group in optimizer.param_groups:
                group["lr"] = lr * 0.5 * (1 + math.cos(math.pi * min(step / total, 1.0)))
            rows = order[start:start + batch_size]
            logits, plan = head(data.features[rows].float(), data.pooled[rows, None].float())
            loss = part_loss(logits, plan, data.parts[rows], data.plans[rows], plan_weight, weights)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step, loss_sum = step + 1, loss_sum + loss.item()
            if progress and step % 500 == 0:
                print(f"step {step}/{total}: loss {loss_sum / 500:.3f} "
                      f"({(time.perf_counter() - started) / 60:.1f} min)", file=sys.stderr, flush=True)
                loss_sum = 0.0
    minutes_taken = (time.perf_counter() - started) / 60
    history.append({"step": step, "minutes": minutes_taken, "encoding_minutes": encoding,
                    "clouds": len(data.plans), **_validate(model, val, val_samples)})
    for weight in model.parameters():
        weight.requires_grad_(True)
    return model, history


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.part_head", description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="a checkpoint (.pt) or an exported model (.onnx)")
    parser.add_argument("--data", required=True, action="append",
                        help="a dataset the caches were built from (its rigs); repeat for more datasets")
    parser.add_argument("--caches", required=True, action="append",
                        help="its sample cache folder (the training step's); one per --data")
    parser.add_argument("--out", required=True, help="checkpoint to write")
    parser.add_argument("--minutes", type=float, default=30.0, help="training budget (default 30)")
    parser.add_argument("--epochs", type=int, default=2,
                        help="the head's epochs over the clouds the network read (default 2)")
    parser.add_argument("--passes", type=int, default=1,
                        help="times the frozen network reads each training cloud (default 1)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--plan-weight", type=float, default=0.3, help="body-plan loss weight (default 0.3)")
    parser.add_argument("--balance", type=float, default=0.0,
                        help="weigh each part's loss by its share of the points to the power -BALANCE "
                        "(default 0)")
    parser.add_argument("--val-samples", type=int, default=200, help="validation clouds per dataset")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="only the first N training samples")
    args = parser.parse_args(argv)
    if len(args.data) != len(args.caches):
        parser.error("give one --caches folder per --data")
    try:
        base = load_base(args.base)
        train, val = [], []
        for data, folder in zip(args.data, args.caches):
            for split, into in (("train", train), ("val", val)):
                cache = load_sample_cache(ensure_cache(data, split, SampleSettings(), folder, progress=False))
                into.append((cache, cache_labels(cache, data)))
        model, history = train_part_head(
            base, train, val, minutes=args.minutes, epochs=args.epochs, passes=args.passes,
            batch_size=args.batch_size, lr=args.lr, plan_weight=args.plan_weight, balance=args.balance,
            seed=args.seed, val_samples=args.val_samples, limit=args.limit,
        )
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    source = Path(args.base)
    previous = load_checkpoint(source) if source.suffix == ".pt" else None
    data = {"base": source.name, "base_description": network_description(source)}
    checkpoint = Checkpoint(
        model.config, {k: v.detach().cpu() for k, v in model.state_dict().items()},
        {"part_head": {k: v for k, v in vars(args).items()}},
        step=history[-1]["step"], history=[*(previous.history if previous else []), *history],
        best_metric=previous.best_metric if previous else None, seed=args.seed,
        data=previous.data if previous else data,
    )
    save_checkpoint(args.out, checkpoint)
    first, last = history[0], history[-1]
    print(f"part head: {last['step']} steps in {last['minutes']:.1f} min; validation point accuracy "
          f"{first['part_accuracy']:.3f} -> {last['part_accuracy']:.3f}, plan accuracy "
          f"{first['plan_accuracy']:.3f} -> {last['plan_accuracy']:.3f}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
