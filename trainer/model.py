"""The learned offset predictor: a small PointNet with local neighbourhood features.

Every point gets features from its own position, from its neighbourhood and from the whole cloud
(a max-pooled global feature added back to every point), and a shared head turns them into an
offset toward the skeleton. The neighbourhood of a point is its `neighbours` nearest points among
the first `anchors` points of the cloud: the add-on feeds uniform random subsamples of the shape
(`core.contract.onnx_predictor` groups), so those anchors are a uniform subsample too, and the kNN costs
n x anchors distances instead of n x n (a full n x n kNN alone takes longer than the whole budget
for CPU inference). The scale of a neighbourhood is then set by `anchors`, not by n.

With `geometric_input` (the default), the network also reads the learning-free geometric
predictor's offsets at the same points (`core.contract.geometric`; the add-on computes them, see
`core.contract.onnx_predictor`) and predicts a correction of them: the output is `geometric + network`, with
the last layer starting at zero, so an untrained model is exactly the classical medial-axis
contraction and training only has to learn where artists' bones leave the medial axis (ears and
hair without bones, heads, skirts, junctions). Neighbourhoods then describe both the surface
around a point and the medial targets of its neighbours.

With `joint_head` (the default), a fourth output channel is a logit of "this point lies at a
joint" (target `samples.joint_targets`: 1 at joints, 0 halfway along bones). The add-on's topology
moves the joints inside a chain to the peaks of that score (`core.topology`), which is what a
medial axis cannot tell: where an elbow is on a straight arm.

With `bone_lengths` (candidate split lengths of straight chains, in normalized units), a head on
the global feature scores each candidate for the whole cloud: a lamp or a centipede wants long
unsplit bones, a snake short ones, and nothing local tells them apart. It is a nearest-neighbour
table (`NearestLengthHead`) filled after the rest of the network is trained, from the add-on's own
skeletons of training clouds (`trainer.bone_length`): it can only predict scores that real training
figures had, so a figure unlike any of them cannot push it to an extreme choice. With
`length_figure_weight`, the table's distance also counts the `core.figure` features of the
contracted cloud's unsplit tree (ends, forks, joints, length: what tells a horse's legs from a
spider's), a third input `run` then takes.

The graph uses only ops the legacy TorchScript ONNX exporter maps to opset 17 with dynamic batch
and n (MatMul, TopK, GatherElements, ReduceMax); n must be at least `anchors` when `neighbours` > 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, NamedTuple

import numpy as np
import torch
from torch import nn

from pointskel_blender.core.contract import model_format
from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.figure import FIGURE_FEATURES
from pointskel_blender.core.contract.predictor import group_order


class ConfigError(PointSkelError):
    """A model configuration is malformed or impossible."""


# Upper bounds of a config: a checkpoint is untrusted input, and each field sizes the weights (a
# 2 KB checkpoint once asked for 14 GB). Generous: the shipped model uses at most 256 and 1000.
MAX_WIDTH = 4096  # of any layer
MAX_LAYERS = 8  # per MLP
MAX_NEIGHBOURS = 128
MAX_LENGTH_REFERENCES = 200_000  # rows of the length head's table
MAX_LENGTH_NEIGHBOURS = 1_000
MAX_PARAMETERS = 64_000_000  # weights and buffers together: 256 MB of float32


def _int_in(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


@dataclass(frozen=True)
class ModelConfig:
    """Everything that fixes the network's shape and how inference runs it; JSON round-trips."""

    point_widths: tuple[int, ...] = (64, 128)  # shared per-point MLP on the position
    local_width: int = 64  # directions in which neighbourhoods are measured (max over neighbours)
    neighbours: int = 16  # k of the kNN; 0 = plain PointNet (no local features)
    anchors: int = 256  # neighbours are drawn from the first `anchors` points of a cloud
    local_scale: float = 0.05  # neighbour offsets are divided by this (normalized units, ~ a neighbourhood)
    global_width: int = 256  # max-pooled feature of the whole cloud
    head_widths: tuple[int, ...] = (128, 64)  # shared MLP on [point, local, global] features
    expected_points: int = 2048  # cloud size it trains at (inference groups)
    default_iterations: int = 4  # contraction iterations inference runs by default
    geometric_input: bool = True  # read the geometric predictor's offsets and correct them
    joint_head: bool = True  # a fourth output channel: the logit of lying at a joint
    bone_lengths: tuple[float, ...] = ()  # candidate split lengths the length head scores (none: no head)
    length_references: int = 0  # rows of the length head's table (training clouds it remembers)
    length_neighbours: int = 5  # how many of them vote on a cloud's bone length
    # weight of the standardized figure features in its distance (0: unread)
    length_figure_weight: float = 0.0

    @property
    def channels(self) -> int:
        """Output channels per point: the offset, then the joint logit with `joint_head`."""
        return 4 if self.joint_head else 3

    def __post_init__(self) -> None:
        if any(not isinstance(v, (int, float)) or not 0.0 <= v <= 1.0 for v in self.bone_lengths):
            raise ConfigError(f"model bone_lengths must be numbers in [0, 1], got {self.bone_lengths!r}")
        if len(self.bone_lengths) == 1:
            raise ConfigError("model bone_lengths needs at least two candidates to choose from")
        if len(self.bone_lengths) > model_format.MAX_BONE_LENGTHS:
            raise ConfigError(f"model bone_lengths has {len(self.bone_lengths)} candidates, at most "
                              f"{model_format.MAX_BONE_LENGTHS} are allowed")
        for name in ("point_widths", "head_widths"):
            widths = getattr(self, name)
            if not 1 <= len(widths) <= MAX_LAYERS or any(not _int_in(w, 1, MAX_WIDTH) for w in widths):
                raise ConfigError(
                    f"model {name} must be 1 to {MAX_LAYERS} integers from 1 to {MAX_WIDTH}, got {widths!r}"
                )
        for name, low, high in (
            ("local_width", 1, MAX_WIDTH),
            ("neighbours", 0, MAX_NEIGHBOURS),
            ("anchors", 1, model_format.MAX_EXPECTED_POINTS),
            ("global_width", 1, MAX_WIDTH),
            ("expected_points", 1, model_format.MAX_EXPECTED_POINTS),
            ("default_iterations", 1, model_format.MAX_DEFAULT_ITERATIONS),
            ("length_neighbours", 1, MAX_LENGTH_NEIGHBOURS),
            ("length_references", 0, MAX_LENGTH_REFERENCES),
        ):
            value = getattr(self, name)
            if not _int_in(value, low, high):
                raise ConfigError(f"model {name} must be an integer from {low} to {high:,}, got {value!r}")
        if self.bone_lengths and self.length_references < self.length_neighbours:
            raise ConfigError(
                f"model length_references ({self.length_references}) must be at least "
                f"length_neighbours ({self.length_neighbours})"
            )
        weight = self.length_figure_weight
        if not (isinstance(weight, (int, float)) and weight >= 0 and math.isfinite(weight)):
            raise ConfigError(f"model length_figure_weight must be a number >= 0, got {weight!r}")
        if weight and not self.bone_lengths:
            raise ConfigError(
                "model length_figure_weight needs bone_lengths (the head that reads the figure)"
            )
        if not (isinstance(self.local_scale, (int, float)) and 0 < self.local_scale <= 10):
            raise ConfigError(f"model local_scale must be a number in (0, 10], got {self.local_scale!r}")
        if self.neighbours > self.anchors:
            raise ConfigError(f"model neighbours ({self.neighbours}) cannot exceed anchors ({self.anchors})")
        if self.neighbours and self.anchors > self.expected_points:
            raise ConfigError(
                f"model anchors ({self.anchors}) cannot exceed expected_points ({self.expected_points})"
            )

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown model config keys {unknown} (this trainer knows {sorted(known)})")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def _mlp(widths: tuple[int, ...], start: int) -> nn.Sequential:
    """Linear + ReLU layers on the last axis, widths[i] outputs each."""
    layers: list[nn.Module] = []
    for width in widths:
        layers += [nn.Linear(start, width), nn.ReLU()]
        start = width
    return nn.Sequential(*layers)


class LocalFeatures(nn.Module):
    """How far the neighbourhood of a point reaches in `local_width` learned directions.

    Channel c is relu(max over the k nearest anchors of w_c . (anchor - point) + b_c), a support
    function of the neighbourhood: it tells how far the shape extends from the point each way,
    which is what locates the medial axis. One linear layer before the max keeps the (B, N, k, C)
    tensors, which dominate training time, to one; relu commutes with the max, so it runs after.
    """

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.neighbours = config.neighbours
        self.anchors = config.anchors
        self.inverse_scale = 1.0 / config.local_scale  # unit-sized inputs, like the positions elsewhere
        # Relative neighbour positions, plus their relative medial targets with the geometric input.
        self.directions = nn.Linear(6 if config.geometric_input else 3, config.local_width)

    def forward(self, points: torch.Tensor, targets: torch.Tensor | None = None) -> torch.Tensor:
        """`targets`: where the geometric predictor sends each point (with the geometric input)."""
        anchors = points[:, : self.anchors]  # (B, M, 3)
        # Squared distances up to the per-point constant |p|^2, which does not change the ranking.
        score = (anchors * anchors).sum(-1).unsqueeze(1) - 2 * points @ anchors.transpose(1, 2)  # (B, N, M)
        index = score.topk(self.neighbours, dim=-1, largest=False, sorted=False).indices  # (B, N, k)
        own = points if targets is None else torch.cat([points, targets], dim=-1)  # (B, N, C)
        channels = own.shape[-1]
        flat = index.flatten(1).unsqueeze(-1).expand(-1, -1, channels)  # (B, N * k, C)
        near = torch.gather(own[:, : self.anchors], 1, flat).unflatten(1, (-1, self.neighbours))
        relative = (near - own.unsqueeze(2)) * self.inverse_scale  # (B, N, k, C)
        return torch.relu(self.directions(relative).max(dim=2).values)


JOINT_LOGIT_START = -3.0  # an untrained joint head scores every point about 0.05: no joints from it


class PointNetOffsetPredictor(nn.Module):
    """(B, N, 3) points in the normalized frame -> (B, N, C) offsets toward the skeleton (C = 3), then
    the joint logit (C = 4, with `joint_head`); `run` also gives the (B, K) bone length logits."""

    def __init__(self, config: ModelConfig = ModelConfig()) -> None:
        super().__init__()
        self.config = config
        self.point = _mlp(config.point_widths, 6 if config.geometric_input else 3)
        self.local = LocalFeatures(config) if config.neighbours else None
        width = config.point_widths[-1] + (config.local_width if config.neighbours else 0)
        self.global_in = nn.Linear(width, config.global_width)
        # The head's first layer on [point features, global feature] as a sum of two products: the
        # global half is computed once per cloud instead of once per point.
        self.head_point = nn.Linear(width, config.head_widths[0])
        self.head_global = nn.Linear(config.global_width, config.head_widths[0], bias=False)
        self.head = _mlp(config.head_widths[1:], config.head_widths[0])
        self.out = nn.Linear(config.head_widths[-1], config.channels)
        if config.geometric_input:  # start as the geometric predictor itself
            nn.init.zeros_(self.out.weight)
            nn.init.zeros_(self.out.bias)
        if config.joint_head:
            with torch.no_grad():
                self.out.bias[3] = JOINT_LOGIT_START
        self.length = (
            NearestLengthHead(config.length_references, config.global_width, len(config.bone_lengths),
                              config.length_neighbours, config.length_figure_weight)
            if config.bone_lengths
            else None
        )

    def forward(self, points: torch.Tensor, geometric: torch.Tensor | None = None) -> torch.Tensor:
        """Offsets for (B, N, 3) points; `geometric`: the geometric predictor's (B, N, 3) offsets."""
        return self.run(points, geometric)[0]

    def run(
        self, points: torch.Tensor, geometric: torch.Tensor | None = None, figure: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """(per-point outputs as `forward`, (B, G) global feature, (B, K) bone length logits or None).

        The logits are None without a length head, and without `figure` ((B, 4) `core.figure`
        features) when the head reads it: training and contraction need no length."""
        if self.config.geometric_input != (geometric is not None):
            need = "needs" if self.config.geometric_input else "takes no"
            raise ConfigError(f"this model {need} the geometric predictor's offsets as a second input")
        if geometric is None:
            features = self.point(points)
            local = self.local(points) if self.local is not None else None
        else:
            features = self.point(torch.cat([points, geometric], dim=-1))
            local = self.local(points, points + geometric) if self.local is not None else None
        if local is not None:
            features = torch.cat([features, local], dim=-1)
        pooled = torch.relu(self.global_in(features)).amax(dim=1, keepdim=True)  # (B, 1, G)
        hidden = torch.relu(self.head_point(features) + self.head_global(pooled))
        out = self.out(self.head(hidden))
        if geometric is not None:
            offsets = geometric + out[..., :3]
            out = torch.cat([offsets, out[..., 3:]], dim=-1) if self.config.joint_head else offsets
        lengths = None
        if self.length is not None and (figure is not None or not self.length.figures):
            lengths = self.length(pooled[:, 0], figure)
        return out, pooled[:, 0], lengths


class NearestLengthHead(nn.Module):
    """Bone length logits of a global feature: the mean skeleton score of each candidate length over
    the `neighbours` nearest remembered training clouds (standardized features), / `TEMPERATURE`.

    A table rather than a trained layer: in a grouped cross-validation on 1,000 training clouds it
    matched an MLP head (utility 0.046 vs 0.045), but the MLP extrapolated on figures unlike any it
    had seen (Rigify quadrupeds from oblique views: "never split", which no nearby training figure
    wanted). With `figure_weight`, each cloud's `core.figure` features, standardized and times the
    weight, are further coordinates of the distance. The table and its standardization are buffers
    (k and the weight are in the config), so they travel in the checkpoint and the ONNX graph
    (MatMul, TopK, Gather).
    """

    TEMPERATURE = 0.05  # about the score gap between neighbouring lengths: softmax stays graded

    def __init__(
        self, references: int, width: int, lengths: int, neighbours: int, figure_weight: float = 0.0
    ) -> None:
        super().__init__()
        self.neighbours = neighbours
        self.figure_weight = float(figure_weight)
        self.figures = len(FIGURE_FEATURES) if figure_weight else 0  # figure coordinates of the distance
        width += self.figures
        self.register_buffer("center", torch.zeros(width))
        self.register_buffer("scale", torch.ones(width))
        # Standardized and stored (F, R) with their squared norms, so that the exported graph holds
        # the table once (a transpose or a square of it would be constant-folded into a second copy).
        self.register_buffer("features", torch.zeros(width, references))
        self.register_buffer("norms", torch.zeros(references))
        self.register_buffer("scores", torch.zeros(references, lengths))

    @torch.no_grad()
    def fill(self, features: np.ndarray, scores: np.ndarray, figures: np.ndarray | None = None) -> None:
        """Remember (R, F) raw features, their (R, K) scores and, with a figure weight, their (R, 4)
        figure features (R and shapes as configured)."""
        x = torch.as_tensor(features, dtype=torch.float32)
        if self.figures:
            if figures is None:
                raise ConfigError("this length head reads figure features: fill it with them")
            x = torch.cat([x, torch.as_tensor(figures, dtype=torch.float32).reshape(len(x), -1)], dim=1)
        if x.shape != self.features.T.shape or tuple(scores.shape) != tuple(self.scores.shape):
            raise ConfigError(
                f"length table {tuple(x.shape)} / {tuple(scores.shape)} does not fit the head "
                f"{tuple(self.features.T.shape)} / {tuple(self.scores.shape)}"
            )
        width = x.shape[1] - self.figures
        self.center.copy_(x.mean(0))
        scale = x.std(0)
        scale[:width] += 1e-3
        if self.figures:  # a weight w makes one standard deviation of a figure feature count w times
            scale[width:] = (scale[width:] + 1e-6) / self.figure_weight
        self.scale.copy_(scale)
        self.features.copy_(((x - self.center) / self.scale).T)
        self.norms.copy_((self.features * self.features).sum(0))
        self.scores.copy_(torch.as_tensor(scores, dtype=torch.float32))

    def distances(self, pooled: torch.Tensor, figure: torch.Tensor | None = None) -> torch.Tensor:
        """(B, R) squared distances of raw global (and figure) features to the remembered clouds."""
        if self.figures:
            if figure is None:
                raise ConfigError(
                    "this length head reads figure features (core.figure) beside the global feature"
                )
            pooled = torch.cat([pooled, figure], dim=-1)
        query = (pooled - self.center) / self.scale
        return (query * query).sum(-1, keepdim=True) - 2 * query @ self.features + self.norms

    def forward(self, pooled: torch.Tensor, figure: torch.Tensor | None = None) -> torch.Tensor:
        nearest = torch.topk(self.distances(pooled, figure), self.neighbours, dim=-1, largest=False).indices
        return self.scores[nearest].mean(dim=1) / self.TEMPERATURE


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def weight_shapes(config: ModelConfig) -> dict[str, tuple[int, ...]]:
    """The state dict's shapes for `config`, found without allocating any weight (a `meta` model);
    ConfigError if they add up to more than MAX_PARAMETERS values."""
    with torch.device("meta"):
        shapes = {k: tuple(v.shape) for k, v in PointNetOffsetPredictor(config).state_dict().items()}
    total = sum(math.prod(shape) for shape in shapes.values())
    if total > MAX_PARAMETERS:
        raise ConfigError(f"model config asks for {total:,} weights, more than {MAX_PARAMETERS:,}")
    return shapes


class GroupedOutput(NamedTuple):
    """What the model gives for whole clouds run in the add-on's groups."""

    points: torch.Tensor  # (S, M, C) per-point outputs, in the clouds' own order
    features: torch.Tensor  # (S, F) global feature, mean over the groups
    length_scores: torch.Tensor | None  # (S, K) bone length probabilities, mean over the groups


@torch.no_grad()
def run_grouped(
    model: PointNetOffsetPredictor,
    clouds: torch.Tensor,
    geometric: torch.Tensor | None = None,
    seed: int = 0,
    figure: torch.Tensor | None = None,
) -> GroupedOutput:
    """`model.run` on (S, M, 3) clouds of any M (with their geometric offsets and (S, 4) figure
    features where the model reads them), in the add-on's groups (`core.contract.predictor.group_order`)."""
    count, n = clouds.shape[1], model.config.expected_points
    order, groups = group_order(count, n, seed)
    index = torch.as_tensor(groups, device=clouds.device)
    def grouped(x: torch.Tensor | None) -> torch.Tensor | None:
        return None if x is None else x[:, index].flatten(0, 1)

    figures = None if figure is None else figure.repeat_interleave(len(groups), dim=0)  # one per group
    out, pooled, lengths = model.run(grouped(clouds), grouped(geometric), figures)
    split = (len(clouds), -1)
    points = clouds.new_empty((*clouds.shape[:2], out.shape[-1]))
    points[:, torch.as_tensor(order, device=clouds.device)] = out.unflatten(0, split).flatten(1, 2)[:, :count]
    scores = None if lengths is None else torch.softmax(lengths, dim=-1).unflatten(0, split).mean(dim=1)
    return GroupedOutput(points, pooled.unflatten(0, split).mean(dim=1), scores)
