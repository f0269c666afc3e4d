"""The trainer's network as a core offset predictor, so that training runs the add-on's contraction.

The loop itself is the core's (`core.pipeline.contract_stage`: the predictor's default iterations,
`points += step * offsets`, early stop once the mean move falls under the core's tolerance, joint
scores of the last iteration). `TorchPredictor` answers one iteration the way the exported ONNX
model does in the add-on: the cloud in the add-on's groups (`core.predictor.group_order`), the
geometric predictor's offsets recomputed at every step for a model that reads them, joint scores as
the sigmoid of the joint logit. `contract_cached` contracts cached training clouds with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
import torch

from pointskel_blender.core.contract import Contraction
from pointskel_blender.core.lift import LiftedShape
from pointskel_blender.core.pipeline import contract_stage
from pointskel_blender.core.predict_geometric import GeometricPredictor
from pointskel_blender.core.predictor import Prediction

from .model import GroupedOutput, PointNetOffsetPredictor, run_grouped
from .samples import SampleCache

# Sees each iteration before the core moves the points: (iteration, points, the model's output).
Observer = Callable[[int, np.ndarray, GroupedOutput], None]


class TorchPredictor:
    """A `core.predictor.RichPredictor` running a `PointNetOffsetPredictor` in torch.

    One instance serves one contraction: it counts the iterations it answers for `observe`.
    """

    name = "torch"

    def __init__(
        self,
        model: PointNetOffsetPredictor,
        *,
        device: torch.device | str = "cpu",
        seed: int = 0,
        observe: Observer | None = None,
    ) -> None:
        self.model = model
        self.device = torch.device(device)
        self.seed = seed
        self.default_iterations = model.config.default_iterations
        self.observe = observe
        self.calls = 0
        self._geometric = GeometricPredictor() if model.config.geometric_input else None

    def predict(self, points: np.ndarray, shape: LiftedShape) -> np.ndarray:
        return self.predict_all(points, shape).offsets

    @torch.no_grad()
    def predict_all(self, points: np.ndarray, shape: LiftedShape) -> Prediction:
        points = np.asarray(points, dtype=np.float32)
        cloud = torch.from_numpy(points)[None].to(self.device)
        geometric = None
        if self._geometric is not None:
            geometric = torch.from_numpy(self._geometric.predict(points, shape))[None].to(self.device)
        output = run_grouped(self.model, cloud, geometric, self.seed)
        if self.observe is not None:
            self.observe(self.calls, points, output)
        self.calls += 1
        offsets = output.points[0, :, :3].cpu().numpy()
        scores = torch.sigmoid(output.points[0, :, 3]).cpu().numpy() if self.model.config.joint_head else None
        return Prediction(offsets, scores)


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
    observe: Callable[[int, int, np.ndarray, GroupedOutput], None] | None = None,
) -> Iterator[CachedContraction]:
    """Contract the cached clouds `part` one by one through the core's contraction (lazily).

    `observe(j, k, points, output)` sees iteration k of the j-th cloud of `part` before it moves
    the points (a cloud that stops early is seen fewer times)."""
    for j, i in enumerate(part):
        features = np.zeros(model.config.global_width, dtype=np.float32)

        def seen(k: int, points: np.ndarray, output: GroupedOutput, j: int = j) -> None:
            nonlocal features
            if k == 0:
                features = output.features[0].cpu().numpy()
            if observe is not None:
                observe(j, k, points, output)

        predictor = TorchPredictor(model, device=device, observe=seen)
        shape = replace(cache.shape(i), points=cache.points[i])
        contraction = contract_stage(shape, predictor)
        yield CachedContraction(contraction, features)
