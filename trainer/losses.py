"""The training loss: offset regression, distance to the bone set, bone coverage and the joint head."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F

from .train_config import TrainConfig

LOSS_SCALE = 100.0  # losses and metrics in normalized units x100, as skeleton metrics are reported


def offset_loss(predicted: torch.Tensor, target: torch.Tensor, config: TrainConfig) -> torch.Tensor:
    """Regression of the offsets to the nearest bone point (L2 for "bones" and "l2")."""
    p, t = predicted * LOSS_SCALE, target * LOSS_SCALE
    if config.loss == "smooth_l1":
        return F.smooth_l1_loss(p, t, beta=config.beta, reduction="none").sum(-1).mean()
    return ((p - t) ** 2).sum(-1).mean()


def bone_set_loss(
    points: torch.Tensor, predicted: torch.Tensor, segments: torch.Tensor, valid: torch.Tensor
) -> torch.Tensor:
    """Mean squared distance of the predicted targets to the nearest of their cloud's bones (x100 units)."""
    q = points + predicted  # (B, N, 3)
    a, d = segments[:, :, 0], segments[:, :, 1] - segments[:, :, 0]  # (B, S, 2)
    rel = q[:, :, None, :2] - a[:, None]  # (B, N, S, 2)
    t = ((rel * d[:, None]).sum(-1) / (d * d).sum(-1).clamp_min(1e-12)[:, None]).clamp(0, 1)
    gap = rel - t.unsqueeze(-1) * d[:, None]
    squared = (gap * gap).sum(-1).masked_fill(~valid[:, None], float("inf"))  # (B, N, S)
    return ((squared.min(-1).values + q[..., 2] ** 2) * LOSS_SCALE**2).mean()


def coverage_loss(points: torch.Tensor, predicted: torch.Tensor, along: torch.Tensor) -> torch.Tensor:
    """Mean squared distance from (B, K, 2) points along the bones to the nearest predicted target."""
    q = (points + predicted)[..., :2]  # (B, N, 2)
    squared = ((along[:, :, None] - q[:, None]) ** 2).sum(-1)  # (B, K, N)
    return (squared.min(-1).values * LOSS_SCALE**2).mean()


def joint_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy of the joint head's (B, N) logits against soft (B, N) targets."""
    return F.binary_cross_entropy_with_logits(logits, targets)


def training_loss(output: torch.Tensor, batch: Sequence[torch.Tensor], config: TrainConfig) -> torch.Tensor:
    """The offset loss of `config.loss` on output[..., :3], plus the joint loss on a fourth channel."""
    points, _, offsets, segments, valid, along, joints = batch[:7]
    predicted = output[..., :3]
    loss = offset_loss(predicted, offsets, config)
    if config.loss in ("bones", "chamfer"):
        loss = bone_set_loss(points, predicted, segments, valid) + config.target_weight * loss
    if config.loss == "chamfer":
        loss = loss + config.coverage_weight * coverage_loss(points, predicted, along)
    loss = config.offset_weight * loss
    if output.shape[-1] == 4:
        loss = loss + config.joint_weight * joint_loss(output[..., 3], joints)
    return loss
