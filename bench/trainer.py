"""Trainer benchmark: training throughput on CPU, and ONNX inference against the torch forward.

    .venv/bin/python bench/trainer.py [--steps 200] [--batch-size 16] [--neighbours K] [--checkpoint CKPT]

Training: samples/s at the default model config and batch size (median step time over --steps
steps after --warmup, each step = batch assembly with augmentation + forward + backward + AdamW),
on a cache built from a few synthetic characters in a temporary folder; the share of a step spent
on batch assembly is printed too. Inference: the model exported to ONNX and run through the add-on's
own `OnnxPredictor` on the bundled sample character lifted to 2k/4k/8k/32k points, against the torch
forward of the same groups, both including the geometric input's cost (median ms, ratio). Medians,
because this machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pointskel_blender.core.lift import lift
from pointskel_blender.core.contract.geometric import GeometricPredictor
from pointskel_blender.core.contract.onnx_predictor import OnnxPredictor
from trainer.checkpoint import load_checkpoint
from trainer.export import export_model, sample_shape
from trainer.model import ModelConfig, PointNetOffsetPredictor, parameter_count, run_grouped
from trainer.samples import PointAugment, load_sample_cache
from trainer.synthetic import generate
from trainer.losses import training_loss
from trainer.train_config import TrainConfig
from trainer.training_data import SampleSettings, ensure_cache, make_batch


def median_ms(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def training_throughput(
    model_config: ModelConfig, batch_size: int, steps: int, warmup: int, folder: Path
) -> None:
    data = folder / "data"
    generate(data, 20, seed=0, workers=1, progress=False)
    settings = SampleSettings(points=2 * model_config.expected_points)
    cache = load_sample_cache(
        ensure_cache(data, "train", settings, folder / "cache", workers=1, progress=False)
    )
    config = TrainConfig()
    torch.manual_seed(0)
    model = PointNetOffsetPredictor(model_config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    rng = np.random.default_rng(0)
    batch_times, step_times = [], []
    for step in range(warmup + steps):
        start = time.perf_counter()
        indices = rng.choice(len(cache), batch_size, replace=len(cache) < batch_size)
        batch = make_batch(
            cache, indices, model_config.expected_points, seed=0, epoch=step, augment=PointAugment(),
            geometric=model_config.geometric_input,
        )
        batch = [None if x is None else torch.from_numpy(x) for x in batch]
        built = time.perf_counter()
        inputs = batch[:2] if model_config.geometric_input else batch[:1]
        loss = training_loss(model(*inputs), batch, config)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
        optimizer.step()
        if step >= warmup:
            batch_times.append(built - start)
            step_times.append(time.perf_counter() - start)
    step = statistics.median(step_times)
    print(
        f"training: batch {batch_size} x {model_config.expected_points} points, "
        f"median step {1e3 * step:.0f} ms "
        f"over {steps} steps -> {batch_size / step:.1f} samples/s "
        f"(batch assembly {1e3 * statistics.median(batch_times):.0f} ms of it)"
    )


def torch_predict(model: PointNetOffsetPredictor, shape, cloud: torch.Tensor) -> torch.Tensor:
    """The torch model on the same groups, its geometric input computed as `OnnxPredictor` does."""
    if not model.config.geometric_input:
        return run_grouped(model, cloud).points
    geometric = torch.from_numpy(GeometricPredictor().predict(shape.points, shape))[None]
    return run_grouped(model, cloud, geometric).points


def inference(model: PointNetOffsetPredictor, sizes: list[int], repeats: int, folder: Path) -> None:
    path = folder / "bench.onnx"
    report = export_model(model, path, description="benchmark model")
    predictor = OnnxPredictor(path)
    base = sample_shape()
    print(
        f"model: {report.parameters:,} parameters, ONNX file {report.size / 1e6:.2f} MB; "
        f"onnxruntime threads: OnnxPredictor's default"
    )
    print(f"{'points':>7} {'groups':>6} {'onnx ms':>8} {'torch ms':>9} {'onnx/torch':>10}")
    for n in sizes:
        shape = lift(base.mask, base.work_scale, points=n, seed=0)
        cloud = torch.tensor(shape.points)[None]
        predictor.predict(shape.points, shape)  # warm-up
        onnx_ms = median_ms(lambda s=shape: predictor.predict(s.points, s), repeats)
        torch_ms = median_ms(lambda s=shape, c=cloud: torch_predict(model, s, c), repeats)
        groups = -(-n // model.config.expected_points)
        print(f"{n:>7} {groups:>6} {onnx_ms:>8.1f} {torch_ms:>9.1f} {onnx_ms / torch_ms:>10.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--checkpoint", help="benchmark this checkpoint's model (default: the default config)"
    )
    parser.add_argument("--neighbours", type=int, help="override the kNN size (0 = plain PointNet)")
    parser.add_argument("--batch-size", type=int, default=TrainConfig().batch_size)
    parser.add_argument("--steps", type=int, default=200, help="timed training steps")
    parser.add_argument("--warmup", type=int, default=10, help="untimed training steps first")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2048, 4096, 8192, 32768])
    parser.add_argument("--repeats", type=int, default=25, help="timed inference runs per size")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.checkpoint:
        model = load_checkpoint(args.checkpoint).model()
    else:
        config = (
            ModelConfig() if args.neighbours is None else replace(ModelConfig(), neighbours=args.neighbours)
        )
        torch.manual_seed(0)
        model = PointNetOffsetPredictor(config)
    model.eval()
    print(
        f"torch {torch.__version__}, {args.threads} threads; config {model.config.to_dict()}; "
        f"{parameter_count(model):,} parameters"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inference(model, args.sizes, args.repeats, folder)
        if not args.skip_training:
            training_throughput(model.config, args.batch_size, args.steps, args.warmup, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
