"""Train the offset predictor on any RigNet-format dataset, on CPU, one GPU or many.

    python -m trainer.train --data DIR --out RUNDIR [--epochs 30] [--batch-size 16] [--lr 2e-3] ...
    python -m trainer.train --data ModelsResource-RigNetv1 --out runs/rignet --device cuda \
        --loader-workers 4                                               # RigNet itself, one GPU
    torchrun --nproc_per_node 4 -m trainer.train --data DIR --out RUNDIR --device cuda   # DDP
    python -m trainer.train --resume RUNDIR/last.pt --out RUNDIR [--epochs 60]

(RigNet's remeshed variant: add `--mesh-dir obj_remesh --rig-dir rig_info_remesh`.) The train and
val splits are rendered, lifted and labelled once into sample caches (in RUNDIR/cache or --cache,
named by a digest of the dataset and the sample settings, so they are reused exactly when valid).
Each batch takes random subsets of `expected_points` of the cached clouds, partially contracts and
jitters them (`samples.augment_points`) and regresses the offsets to the bones. After every epoch
(`--val-every`) the validation clouds are contracted by the add-on's own contraction
(`core.pipeline.contract_stage`: groups of `expected_points`, up to `default_iterations` steps of
points += offsets, stopping early as the add-on does; `trainer.validation`), the add-on's topology builds
their skeletons, and those are scored against the true joints: the val metric is their mean CD-J2J
(x100 of the figure height; joint F1 is recorded too), because a cloud closer to the bones on
average can still give worse skeletons (eroded limb tips, bare bones). `best.pt` keeps the best
epoch by that metric, epoch 0 (the untrained model) included, `last.pt` the latest state, with
`history.json` and `curves.png` beside them; the mean distance of the contracted points to the
bones and the coverage (bones to contracted points) are recorded as well.
With the model's joint head (the default), the loss adds `--joint-weight` x the cross-entropy of
the joint scores (`samples.joint_targets`), and the validation skeletons place their joints with
them. `--offset-weight 0` (the shipped recipe) trains the joint head only: the offset correction
stays exactly zero, so the contraction is the geometric predictor's, which the offset losses did
not beat on validation skeletons (they erode limb tips).
`--max-minutes` stops after the step that crosses the budget (cache building not counted),
validates and writes everything; `--resume` continues exactly (weights, optimizer, schedule and
every random draw); only --epochs (which re-plans the cosine), --max-minutes and where/how it runs
may change. `--batch-size` is per process (one GPU per process); only rank 0 writes or prints.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import torch
from torch.utils.data import DataLoader, DistributedSampler

from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.files import write_text_atomic

from .checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from .curves import plot_history
from .distributed import DEVICES, World, init_world
from .losses import training_loss
from .model import ConfigError, ModelConfig, PointNetOffsetPredictor, parameter_count
from .samples import PointAugment, SampleCache, load_sample_cache
from .train_config import LOSSES, RESUMABLE, TrainConfig
from .training_data import EpochBatches, SampleSettings, cache_path, describe, ensure_cache
from .validation import summarize, validate, validation_indices


@dataclass
class TrainResult:
    model: PointNetOffsetPredictor  # the final weights (not the best), on the training device
    history: list[dict[str, Any]] = field(default_factory=list)
    best_metric: float | None = None
    stopped: bool = False  # the time budget ended the run before its last epoch
    main_process: bool = True  # rank 0, the one that writes and reports


def learning_rate(config: TrainConfig, step: int, total: int) -> float:
    """Linear warm-up, then a cosine from `lr` down to `min_lr * lr` at the last step."""
    warm = int(config.warmup * total)
    if step < warm:
        return config.lr * (step + 1) / warm
    t = (step - warm) / max(1, total - warm - 1)
    low = config.min_lr * config.lr
    return low + 0.5 * (config.lr - low) * (1 + math.cos(math.pi * min(t, 1.0)))


def _run_title(config: TrainConfig, model_config: ModelConfig) -> str:
    local = f"kNN {model_config.neighbours}/{model_config.anchors}" if model_config.neighbours else "no kNN"
    return f"{Path(config.data).name}: {local}, {config.loss}, batch {config.batch_size}, lr {config.lr:g}"


def _write_outputs(out: Path, checkpoint: Checkpoint, improved: bool, title: str) -> None:
    save_checkpoint(out / "last.pt", checkpoint)
    if improved:
        save_checkpoint(out / "best.pt", checkpoint)
    write_text_atomic(out / "history.json", json.dumps(checkpoint.history, indent=1) + "\n")
    plot_history(checkpoint.history, out / "curves.png", title)


def _prepare_caches(config: TrainConfig, world: World) -> list[tuple[Path, SampleCache]]:
    folder = Path(config.cache) if config.cache else Path(config.out) / "cache"
    splits = (config.train_split, config.val_split)
    if world.main:
        paths = [
            ensure_cache(
                config.data, s, config.samples, folder, workers=config.workers, progress=config.progress
            )
            for s in splits
        ]
    else:
        paths = [cache_path(config.data, s, config.samples, folder) for s in splits]
    world.barrier()  # the other processes read what the main one built
    return [(p, load_sample_cache(p)) for p in paths]


def train(
    config: TrainConfig,
    model_config: ModelConfig | None = None,
    resume: Checkpoint | None = None,
) -> TrainResult:
    """Run (or continue) training as `config` says (default model config if None); returns the final model."""
    model_config = model_config or ModelConfig()
    if config.samples.points < model_config.expected_points:
        raise ConfigError(
            f"cached clouds of {config.samples.points} points cannot feed a model trained at "
            f"{model_config.expected_points}; raise --cache-points or lower --expected-points"
        )
    world = init_world(config.device)
    try:
        return _train(config, model_config, resume, world)
    finally:
        world.close()


@dataclass
class _State:
    """Where a run is: the resumable position, the history and the best metric so far."""

    epoch: int = 0
    batch: int = 0
    step: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    best: float | None = None


def _train_steps(
    net: torch.nn.Module,
    model: PointNetOffsetPredictor,
    optimizer: torch.optim.Optimizer,
    cache: SampleCache,
    batches: list[list[int]],
    state: _State,
    config: TrainConfig,
    world: World,
    total_steps: int,
    deadline: float | None,
    bar: Any,
) -> tuple[float, int, float, bool]:
    """Steps from `state.batch` to the epoch's end or the deadline.

    Returns (loss x clouds, clouds, seconds, stopped by the deadline).
    """
    loss_sum, seen, busy, rate = 0.0, 0, 0.0, None
    numbers = range(state.batch, len(batches))
    epoch = EpochBatches(
        cache,
        batches,
        model.config.expected_points,
        seed=config.seed,
        epoch=state.epoch,
        augment=config.augment,
        geometric=model.config.geometric_input,
    )
    loader = DataLoader(
        epoch,
        batch_size=None,
        sampler=numbers,
        num_workers=config.loader_workers,
        pin_memory=world.device.type == "cuda",
    )
    tick = time.perf_counter()
    for number, batch in zip(numbers, loader):
        batch = [None if x is None else x.to(world.device, non_blocking=True) for x in batch]
        clouds, geometric = batch[0], batch[1]
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(config, state.step, total_steps)
        predicted = net(clouds) if geometric is None else net(clouds, geometric)
        loss = training_loss(predicted, batch, config)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if config.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
        optimizer.step()
        state.step, state.batch = state.step + 1, number + 1
        value = loss.item()
        loss_sum, seen = loss_sum + value * len(clouds), seen + len(clouds)
        took, tick = time.perf_counter() - tick, time.perf_counter()  # waiting for the batch included
        busy += took
        rate = (
            world.size * len(clouds) / took
            if rate is None
            else 0.9 * rate + 0.1 * world.size * len(clouds) / took
        )
        bar.set_postfix(
            loss=f"{value:.3f}",
            val="-" if state.best is None else f"{state.best:.2f}",
            samples_s=f"{rate:.0f}",
        )
        bar.update()
        if deadline is not None and world.sum([float(time.perf_counter() > deadline)])[0] > 0:
            return loss_sum, seen, busy, True  # every process stops at the same step
    return loss_sum, seen, busy, False


def _train(
    config: TrainConfig, model_config: ModelConfig, resume: Checkpoint | None, world: World
) -> TrainResult:
    from torch.nn.parallel import DistributedDataParallel
    from tqdm import tqdm

    if config.threads:
        torch.set_num_threads(config.threads)
    out = Path(config.out)
    if world.main:
        out.mkdir(parents=True, exist_ok=True)
    (train_path, train_cache), (val_path, val_cache) = _prepare_caches(config, world)
    data = {"train": describe(train_cache, train_path), "val": describe(val_cache, val_path)}

    torch.manual_seed(config.seed)
    model = PointNetOffsetPredictor(model_config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    state = _State()
    if resume is not None:
        model.load_state_dict(resume.state_dict)
        state = _State(resume.epoch, resume.batch, resume.step, list(resume.history), resume.best_metric)
    model.to(world.device)
    if resume is not None and resume.optimizer is not None:
        optimizer.load_state_dict(resume.optimizer)
    net: torch.nn.Module = model
    if world.distributed:
        net = DistributedDataParallel(
            model, device_ids=[world.device.index] if world.device.type == "cuda" else None
        )

    sampler = DistributedSampler(
        range(len(train_cache)), num_replicas=world.size, rank=world.rank, shuffle=True, seed=config.seed
    )
    steps_per_epoch = math.ceil(sampler.num_samples / config.batch_size)
    total_steps = config.epochs * steps_per_epoch
    val_indices = validation_indices(len(val_cache), config.val_samples)[world.rank :: world.size]
    title = _run_title(config, model_config)
    minutes_before = state.history[-1]["minutes"] if state.history else 0.0
    started = time.perf_counter()
    deadline = None if config.max_minutes is None else started + config.max_minutes * 60
    stopped = False
    show = world.main and config.progress
    if show:
        print(
            f"model: {parameter_count(model):,} parameters; {len(train_cache)} train / {len(val_cache)} val "
            f"samples; {steps_per_epoch} steps per epoch on {world.size} x {world.device}",
            file=sys.stderr,
        )

    def record(entry: dict[str, Any]) -> None:
        """Append an epoch to the history; keep the best checkpoint; write everything (rank 0)."""
        state.history.append(entry)
        improved = "val_metric" in entry and (state.best is None or entry["val_metric"] < state.best)
        state.best = entry["val_metric"] if improved else state.best
        if not world.main:
            return
        weights = {k: v.detach().cpu() for k, v in model.state_dict().items()}
        checkpoint = Checkpoint(
            model_config,
            weights,
            config.to_dict(),
            optimizer.state_dict(),
            state.epoch,
            state.batch,
            state.step,
            state.best,
            state.history,
            config.seed,
            data,
        )
        _write_outputs(out, checkpoint, improved, title)
        if show and "val_metric" in entry:
            trained = "untrained" if entry["train_loss"] is None else f"train loss {entry['train_loss']:.4f}"
            print(
                f"epoch {entry['epoch']:.2f}: {trained}, val loss "
                f"{entry['val_loss']:.4f}, skeleton CD-J2J {entry['val_metric']:.3f} "
                f"F1 {entry['val_f1']:.3f}, "
                f"points to bones {entry['val_distance'][-1]:.3f} (lifted {entry['val_distance'][0]:.3f}), "
                f"coverage {entry['val_coverage']:.3f}"
                f"{' best' if improved else ''}",
                file=sys.stderr,
            )

    if not state.history:
        # Epoch 0: the untrained model. With the geometric input that is exactly the geometric
        # predictor, so the curves start at the baseline, and a run that never beats it keeps it.
        start = summarize(world.sum(validate(model, val_cache, val_indices, config, world.device)))
        record({"epoch": 0.0, "step": 0, "lr": 0.0, "train_loss": None, **start,
                "samples_per_s": 0.0, "minutes": 0.0})

    while state.epoch < config.epochs and not stopped:
        sampler.set_epoch(state.epoch)
        order = list(sampler)
        batches = [order[i : i + config.batch_size] for i in range(0, len(order), config.batch_size)]
        with tqdm(
            total=len(batches),
            initial=state.batch,
            desc=f"epoch {state.epoch + 1}/{config.epochs}",
            unit="step",
            disable=not show,
        ) as bar:
            loss_sum, seen, busy, stopped = _train_steps(
                net, model, optimizer, train_cache, batches, state, config, world, total_steps, deadline, bar
            )
        if state.batch == len(batches):
            state.epoch, state.batch = state.epoch + 1, 0
        stopped = stopped and state.epoch < config.epochs
        if not (stopped or state.epoch % config.val_every == 0 or state.epoch == config.epochs):
            entry = {}
        else:
            entry = summarize(world.sum(validate(model, val_cache, val_indices, config, world.device)))
        train_total, train_seen = world.sum([loss_sum, float(seen)])
        entry = {
            "epoch": state.epoch + state.batch / len(batches),
            "step": state.step,
            "lr": learning_rate(config, state.step - 1, total_steps),
            "train_loss": train_total / max(train_seen, 1),
            **entry,
            "samples_per_s": world.size * seen / busy if busy else 0.0,
            "minutes": minutes_before + (time.perf_counter() - started) / 60,
        }
        record(entry)
    return TrainResult(model, state.history, state.best, stopped, world.main)


# --- command line ---------------------------------------------------------------------------------


def _views(text: str) -> str | float:
    try:
        return float(text)
    except ValueError:
        return text


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m trainer.train",
        description=__doc__.split("\n\n")[0],
        argument_default=argparse.SUPPRESS,
    )
    d, s, a, m = TrainConfig(), SampleSettings(), PointAugment(), ModelConfig()
    run = p.add_argument_group("run")
    run.add_argument("--data", help="RigNet-format dataset folder (obj/, rig_info/, *_final.txt)")
    run.add_argument("--out", required=True, help="run folder: best.pt, last.pt, history.json, curves.png")
    run.add_argument("--cache", help="sample cache folder (default RUNDIR/cache)")
    run.add_argument("--resume", help="checkpoint to continue from (its run settings are kept)")
    run.add_argument("--device", choices=DEVICES, help=f"default {d.device}")
    run.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")
    run.add_argument(
        "--max-minutes",
        type=float,
        help="stop after this much training time (still validates and writes checkpoints)",
    )
    run.add_argument("--val-every", type=int, help="validate every N epochs (always after the last)")
    run.add_argument("--val-samples", type=int,
                     help="validate on this many val samples, evenly spread (default all)")
    run.add_argument("--quiet", dest="progress", action="store_false", help="no progress bars or epoch lines")
    run.add_argument(
        "--seed", type=int, help=f"of every random draw (init, caches, augmentation), default {d.seed}"
    )
    data = p.add_argument_group("data")
    data.add_argument("--train-split", help=f"default {d.train_split}")
    data.add_argument("--val-split", help=f"default {d.val_split}")
    data.add_argument("--limit", type=int, help="first N characters of each split only")
    data.add_argument(
        "--views", nargs="+", type=_views, help=f"views per character, default {' '.join(s.views)}"
    )
    data.add_argument("--cache-points", type=int, help=f"points per cached cloud, default {s.points}")
    data.add_argument("--resolution", type=int, help=f"silhouette size in px, default {s.resolution}")
    data.add_argument("--up", choices=("y", "z"), help=f"dataset up axis, default {s.up}")
    data.add_argument("--margin", type=float, help=f"default {s.margin}")
    data.add_argument("--mesh-dir", help=f"default {s.mesh_dir} (e.g. obj_remesh)")
    data.add_argument("--rig-dir", help=f"default {s.rig_dir} (e.g. rig_info_remesh)")
    data.add_argument("--workers", type=int, help=f"cache-building processes, default {d.workers}")
    data.add_argument(
        "--loader-workers",
        type=int,
        help=f"batch-assembling processes (worth it on GPU), default {d.loader_workers}",
    )
    opt = p.add_argument_group("optimization")
    opt.add_argument("--epochs", type=int, help=f"default {d.epochs}")
    opt.add_argument("--batch-size", type=int, help=f"clouds per step and process, default {d.batch_size}")
    opt.add_argument("--lr", type=float, help=f"peak AdamW learning rate, default {d.lr}")
    opt.add_argument("--weight-decay", type=float, help=f"default {d.weight_decay}")
    opt.add_argument("--warmup", type=float, help=f"warm-up fraction of all steps, default {d.warmup}")
    opt.add_argument("--min-lr", type=float, help=f"final lr as a fraction of --lr, default {d.min_lr}")
    opt.add_argument("--grad-clip", type=float, help=f"max gradient norm (0 = off), default {d.grad_clip}")
    opt.add_argument("--loss", choices=LOSSES, help=f"default {d.loss}")
    opt.add_argument("--beta", type=float, help=f"smooth L1 beta (normalized units x100), default {d.beta}")
    opt.add_argument(
        "--target-weight", type=float,
        help=f"weight of the regression term of the bones loss, default {d.target_weight}",
    )
    opt.add_argument(
        "--coverage-weight", type=float,
        help=f"weight of the chamfer loss's coverage term, default {d.coverage_weight}",
    )
    opt.add_argument(
        "--joint-weight", type=float,
        help=f"weight of the joint head's cross-entropy, default {d.joint_weight}",
    )
    opt.add_argument(
        "--offset-weight", type=float,
        help=f"weight of all offset terms (0 = joint head only), default {d.offset_weight}",
    )
    opt.add_argument("--noise", type=float, help=f"point jitter, normalized units, default {a.noise}")
    opt.add_argument(
        "--contract", type=float, help=f"probability of partial contraction, default {a.contract}"
    )
    opt.add_argument(
        "--contract-max", type=float, help=f"largest partial contraction, default {a.contract_max}"
    )
    net = p.add_argument_group("model")
    net.add_argument(
        "--point-widths", nargs="+", type=int, help=f"default {' '.join(map(str, m.point_widths))}"
    )
    net.add_argument("--local-width", type=int, help=f"neighbourhood directions, default {m.local_width}")
    net.add_argument("--neighbours", type=int, help=f"kNN size, 0 = plain PointNet; default {m.neighbours}")
    net.add_argument("--anchors", type=int, help=f"points neighbours are drawn from, default {m.anchors}")
    net.add_argument(
        "--local-scale", type=float, help=f"neighbour offsets are divided by this, default {m.local_scale}"
    )
    net.add_argument("--global-width", type=int, help=f"default {m.global_width}")
    net.add_argument(
        "--head-widths", nargs="+", type=int, help=f"default {' '.join(map(str, m.head_widths))}"
    )
    net.add_argument(
        "--expected-points", type=int, help=f"points per training cloud, default {m.expected_points}"
    )
    net.add_argument(
        "--iterations", type=int, help=f"default inference iterations, default {m.default_iterations}"
    )
    net.add_argument(
        "--no-joint-head",
        dest="joint_head",
        action="store_false",
        help="no joint-score channel: chains get their joints at bends and even splits",
    )
    net.add_argument(
        "--no-geometric-input",
        dest="geometric_input",
        action="store_false",
        help="a plain PointNet that does not read (and correct) the geometric predictor's offsets",
    )
    return p


_SAMPLE_ARGS = {
    "limit": "limit",
    "views": "views",
    "cache_points": "points",
    "resolution": "resolution",
    "up": "up",
    "margin": "margin",
    "mesh_dir": "mesh_dir",
    "rig_dir": "rig_dir",
}
_AUGMENT_ARGS = {"noise": "noise", "contract": "contract", "contract_max": "contract_max"}
_MODEL_ARGS = {
    "point_widths": "point_widths",
    "local_width": "local_width",
    "neighbours": "neighbours",
    "anchors": "anchors",
    "local_scale": "local_scale",
    "global_width": "global_width",
    "head_widths": "head_widths",
    "expected_points": "expected_points",
    "iterations": "default_iterations",
    "geometric_input": "geometric_input",
    "joint_head": "joint_head",
}


def configs_from_args(
    args: dict[str, Any], base: TrainConfig | None = None, model: ModelConfig | None = None
) -> tuple[TrainConfig, ModelConfig]:
    """`base` and `model` (default: the defaults) with the given command-line values applied."""
    base, model = base or TrainConfig(), model or ModelConfig()
    given = dict(args)
    samples = replace(
        base.samples,
        **{_SAMPLE_ARGS[k]: (tuple(v) if k == "views" else v) for k, v in given.items() if k in _SAMPLE_ARGS},
    )
    augment = replace(base.augment, **{_AUGMENT_ARGS[k]: v for k, v in given.items() if k in _AUGMENT_ARGS})
    model = replace(
        model,
        **{
            _MODEL_ARGS[k]: (tuple(v) if isinstance(v, list) else v)
            for k, v in given.items()
            if k in _MODEL_ARGS
        },
    )
    rest = {k: v for k, v in given.items() if k not in {*_SAMPLE_ARGS, *_AUGMENT_ARGS, *_MODEL_ARGS}}
    seed = rest.get("seed", base.seed)
    return replace(base, **rest, samples=replace(samples, seed=seed), augment=augment), model


def resumed_configs(
    args: dict[str, Any], checkpoint: Checkpoint, source: str
) -> tuple[TrainConfig, ModelConfig]:
    """The checkpoint's run settings; only RESUMABLE ones may change, anything else must match."""
    base = TrainConfig.from_dict(checkpoint.train_config)
    config, model = configs_from_args(args, base, checkpoint.model_config)
    original = (base, checkpoint.model_config)
    changed = [
        k
        for k in args
        if k not in RESUMABLE and configs_from_args({k: args[k]}, base, checkpoint.model_config) != original
    ]
    if changed:
        raise ConfigError(
            f"{source}: --{changed[0].replace('_', '-')} differs from the run being resumed; a resumed "
            f"run keeps its settings (only {', '.join('--' + r.replace('_', '-') for r in RESUMABLE)} "
            "may change)"
        )
    return config, model


def main(argv: Sequence[str] | None = None) -> int:
    args = vars(_parser().parse_args(argv))
    resume_path = args.pop("resume", None)
    try:
        if resume_path is None:
            if "data" not in args:
                raise ConfigError("--data is required (or --resume a checkpoint)")
            config, model = configs_from_args(args)
            checkpoint = None
        else:
            checkpoint = load_checkpoint(resume_path)
            config, model = resumed_configs(args, checkpoint, resume_path)
        result = train(config, model, checkpoint)
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if config.progress and result.main_process and result.history:
        last = result.history[-1]
        print(
            f"{'stopped at the time budget' if result.stopped else 'done'}: epoch {last['epoch']:.2f}, "
            f"val metric {last['val_metric']:.3f}, best {result.best_metric:.3f} ({config.out})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
