"""The trainer's network as a core offset predictor, so that training runs the add-on's contraction.

The loop itself is the core's (`core.pipeline.contraction_steps`, a `core.contract.ContractionSteps`:
the predictor's default iterations, `points += step * offsets`, early stop once the mean move falls
under the core's tolerance, joint scores of the last iteration). `TorchPredictor` answers one
iteration the way the exported ONNX model does in the add-on: each cloud in the add-on's groups
(`core.contract.predictor.group_order`), the geometric predictor's offsets recomputed at every step for a
model that reads them, joint scores as the sigmoid of the joint logit. `contract_cached` steps
several cached clouds in lockstep, so that the network answers them in one batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
import torch

from pointskel_blender.core.contract import Contraction
from pointskel_blender.core.lift import LiftedShape
from pointskel_blender.core.pipeline import contraction_steps
from pointskel_blender.core.contract.geometric import GeometricPredictor
from pointskel_blender.core.contract.predictor import Prediction

from .model import GroupedOutput, PointNetOffsetPredictor, run_grouped
from .samples import SampleCache

# Sees each iteration before the core moves the points: (cloud, iteration, points, the model's output).
Observer = Callable[[int, int, np.ndarray, GroupedOutput], None]


class TorchPredictor:
    """A `core.contract.RichPredictor` running a `PointNetOffsetPredictor` in torch; `predict_many`
    answers for several clouds of one size in one batch."""

    name = "torch"

    def __init__(
        self, model: PointNetOffsetPredictor, *, device: torch.device | str = "cpu", seed: int = 0
    ) -> None:
        self.model = model
        self.device = torch.device(device)
        self.seed = seed
        self.default_iterations = model.config.default_iterations
        self._geometric = GeometricPredictor() if model.config.geometric_input else None

    def predict(self, points: np.ndarray, shape: LiftedShape) -> np.ndarray:
        return self.predict_all(points, shape).offsets

    def predict_all(self, points: np.ndarray, shape: LiftedShape) -> Prediction:
        return self.predictions(self.predict_many([points], [shape]))[0]

    @torch.no_grad()
    def predict_many(self, clouds: Sequence[np.ndarray], shapes: Sequence[LiftedShape]) -> GroupedOutput:
        """The model's output for (S, M, 3) clouds, each in the add-on's groups, as one batch."""
        points = np.stack([np.asarray(c, dtype=np.float32) for c in clouds])
        geometric = None
        if self._geometric is not None:
            offsets = np.stack([self._geometric.predict(c, s) for c, s in zip(points, shapes)])
            geometric = torch.from_numpy(offsets).to(self.device)
        return run_grouped(self.model, torch.from_numpy(points).to(self.device), geometric, self.seed)

    def predictions(self, output: GroupedOutput) -> list[Prediction]:
        """Each cloud's offsets and joint scores (sigmoid of the logit) from `predict_many`'s output."""
        offsets = output.points[..., :3].cpu().numpy()
        if not self.model.config.joint_head:
            return [Prediction(o) for o in offsets]
        scores = torch.sigmoid(output.points[..., 3]).cpu().numpy()
        return [Prediction(o, s) for o, s in zip(offsets, scores)]


@dataclass(frozen=True)
class CachedContraction:
    """A cached cloud contracted as the add-on does, with the lifted cloud's global feature."""

    contraction: Contraction
    features: np.ndarray  # (F,) the model's global feature of the lifted cloud (the first iteration's)


def contract_cached(
    model: PointNetOffsetPredictor,
    cache: SampleCache,
    part: Sequence[int],
    device: torch.device | str = "cpu",
    observe: Observer | None = None,
    chunk: int = 8,
) -> Iterator[CachedContraction]:
    """Contract the cached clouds `part` by the pipeline's contraction (`core.pipeline.contraction_steps`),
    `chunk` clouds in lockstep so that the network runs them as one batch; lazily, in order.

    `observe(j, k, points, output)` sees iteration k of the j-th cloud of `part` (its points and its
    slice of the model's output) before the points move; a cloud that stops early is seen fewer times."""
    predictor = TorchPredictor(model, device=device)
    for start in range(0, len(part), chunk):
        ids = list(part[start : start + chunk])
        runs = [contraction_steps(replace(cache.shape(i), points=cache.points[i]), predictor) for i in ids]
        features = [np.zeros(model.config.global_width, dtype=np.float32) for _ in ids]
        while active := [j for j, run in enumerate(runs) if not run.done]:
            output = predictor.predict_many([runs[j].points for j in active], [runs[j].shape for j in active])
            for row, (j, prediction) in enumerate(zip(active, predictor.predictions(output))):
                k = len(runs[j].history)
                if k == 0:
                    features[j] = output.features[row].cpu().numpy()
                if observe is not None:
                    mine = GroupedOutput(output.points[row : row + 1], output.features[row : row + 1], None)
                    observe(start + j, k, runs[j].points, mine)
                runs[j].advance(prediction)
        yield from (CachedContraction(run.result(), f) for run, f in zip(runs, features))
