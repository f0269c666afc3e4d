"""Train the part head on a trained model's frozen features (after the bone length head, before export).

    python -m trainer.part_head BASE --data DIR --caches DIR --out OUT.pt \
        [--epochs 2] [--minutes 30] [--batch-size 16] [--lr 3e-3] [--plan-weight 0.3] [--seed 0]

BASE is a checkpoint (`bone_length.pt`) or an exported model (`.onnx`, see `trainer.onnx_weights`).
The train and val sample caches are the training step's (`--caches`: its cache folder; built there
with the trainer's default sample settings when missing).
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


def load_base(path: str | Path) -> PointNetOffsetPredictor:
    return model_from_onnx(path) if str(path).endswith(".onnx") else load_checkpoint(path).model()


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
    logits: torch.Tensor, plan: torch.Tensor, parts: torch.Tensor, plans: torch.Tensor, plan_weight: float
) -> torch.Tensor:
    """Cross-entropy of the (B, n, P) part logits over labelled points, plus the plan's, weighted."""
    loss = F.cross_entropy(logits.flatten(0, 1), parts.flatten(), ignore_index=IGNORE) if (
        parts != IGNORE).any() else logits.sum() * 0
    return loss + plan_weight * F.cross_entropy(plan, plans)


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


def train_part_head(
    base: PointNetOffsetPredictor,
    train: tuple[SampleCache, CacheLabels],
    val: tuple[SampleCache, CacheLabels],
    *, minutes: float, epochs: int = 10, batch_size: int = 16, lr: float = 3e-3, plan_weight: float = 0.3,
    seed: int = 0, val_samples: int = 200, limit: int | None = None, progress: bool = True,
) -> tuple[PointNetOffsetPredictor, list[dict]]:
    """The base with a trained part head, and the history (accuracies before and after)."""
    model = with_part_head(base, seed)
    model.eval()  # no dropout or batch norm anywhere: eval only marks the frozen part
    for name, weight in model.named_parameters():
        weight.requires_grad_(name.startswith("parts."))
    head = model.parts
    optimizer = torch.optim.AdamW(head.parameters(), lr=lr, weight_decay=1e-4)
    cache, labels = train
    val_indices = validation_indices(len(val[0]), val_samples)
    n = model.config.expected_points
    history = [{"step": 0, "minutes": 0.0, **accuracy(model, *val, val_indices, n)}]
    drawn = min(limit or len(cache), len(cache))  # the first `limit` samples only (quick runs)
    steps_per_epoch = math.ceil(drawn / batch_size)
    total = epochs * steps_per_epoch
    started = time.perf_counter()
    step, loss_sum = 0, 0.0
    rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        order = rng.permutation(drawn)
        for start in range(0, len(order), batch_size):
            if time.perf_counter() - started > minutes * 60:
                break
            for group in optimizer.param_groups:
                group["lr"] = lr * 0.5 * (1 + math.cos(math.pi * min(step / total, 1.0)))
            clouds, hints, parts, plans = labelled_batch(
                cache, labels, order[start:start + batch_size].tolist(), n, seed, epoch,
                model.config.geometric_input,
            )
            with torch.no_grad():
                features, pooled = model.encode(clouds, hints)
            logits, plan = head(features, pooled)
            loss = part_loss(logits, plan, parts, plans, plan_weight)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step, loss_sum = step + 1, loss_sum + loss.item()
            if progress and step % 50 == 0:
                print(f"step {step}/{total}: loss {loss_sum / 50:.3f} "
                      f"({(time.perf_counter() - started) / 60:.1f} min)", file=sys.stderr, flush=True)
                loss_sum = 0.0
        else:
            continue
        break
    history.append({"step": step, "minutes": (time.perf_counter() - started) / 60,
                    **accuracy(model, *val, val_indices, n)})
    for weight in model.parameters():
        weight.requires_grad_(True)
    return model, history


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.part_head", description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="a checkpoint (.pt) or an exported model (.onnx)")
    parser.add_argument("--data", required=True, help="the dataset the caches were built from (its rigs)")
    parser.add_argument("--caches", required=True, help="sample cache folder (the training step's)")
    parser.add_argument("--out", required=True, help="checkpoint to write")
    parser.add_argument("--minutes", type=float, default=30.0, help="training budget (default 30)")
    parser.add_argument("--epochs", type=int, default=2, help="at most this many epochs (default 2)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--plan-weight", type=float, default=0.3, help="body-plan loss weight (default 0.3)")
    parser.add_argument("--val-samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="only the first N training samples")
    args = parser.parse_args(argv)
    try:
        base = load_base(args.base)
        train_cache, val_cache = (
            load_sample_cache(ensure_cache(args.data, split, SampleSettings(), args.caches, progress=False))
            for split in ("train", "val")
        )
        train = (train_cache, cache_labels(train_cache, args.data))
        val = (val_cache, cache_labels(val_cache, args.data))
        model, history = train_part_head(
            base, train, val, minutes=args.minutes, epochs=args.epochs, batch_size=args.batch_size,
            lr=args.lr, plan_weight=args.plan_weight, seed=args.seed, val_samples=args.val_samples,
            limit=args.limit,
        )
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    source = Path(args.base)
    previous = load_checkpoint(source) if source.suffix == ".pt" else None
    checkpoint = Checkpoint(
        model.config, {k: v.detach().cpu() for k, v in model.state_dict().items()},
        {"part_head": {k: v for k, v in vars(args).items()}},
        step=history[-1]["step"], history=[*(previous.history if previous else []), *history],
        best_metric=previous.best_metric if previous else None, seed=args.seed,
        data=previous.data if previous else {"base": source.name, "base_description": description(source)},
    )
    save_checkpoint(args.out, checkpoint)
    first, last = history[0], history[-1]
    print(f"part head: {last['step']} steps in {last['minutes']:.1f} min; validation point accuracy "
          f"{first['part_accuracy']:.3f} -> {last['part_accuracy']:.3f}, plan accuracy "
          f"{first['plan_accuracy']:.3f} -> {last['plan_accuracy']:.3f}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
