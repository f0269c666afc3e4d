"""The training curves of a run as one PNG: offset losses and the contraction metric by epoch."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from pointskel_blender.core.files import atomic_path


def plot_history(history: Sequence[dict[str, Any]], path: str | os.PathLike, title: str = "") -> None:
    """Losses (log scale) and the validation metric against epochs (fractional after a mid-epoch stop)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    validated = [h for h in history if "val_metric" in h]
    val_epochs = [h["epoch"] for h in validated]
    figure, (losses, metric) = plt.subplots(1, 2, figsize=(10, 4), dpi=100)
    trained = [h for h in history if h.get("train_loss") is not None]  # epoch 0 has not trained yet
    losses.plot(
        [h["epoch"] for h in trained], [h["train_loss"] for h in trained], "o-", label="train (augmented)"
    )
    losses.plot(val_epochs, [h["val_loss"] for h in validated], "o-", label="validation (lifted clouds)")
    losses.set(xlabel="epoch", ylabel="offset loss", yscale="log")
    losses.legend()
    iterations = len(validated[-1]["val_distance"]) - 1 if validated else 0
    metric.plot(
        val_epochs,
        [h["val_metric"] for h in validated],
        "o-",
        color="C2",
        label=f"points to bones after {iterations} iterations (val metric)",
    )
    metric.plot(
        val_epochs,
        [h["val_distance"][1] for h in validated],
        "--",
        color="C2",
        alpha=0.5,
        label="points to bones after 1 iteration",
    )
    metric.plot(
        val_epochs,
        [h["val_coverage"] for h in validated],
        "s:",
        color="C3",
        label="bones to points after the last (coverage)",
    )
    if validated and validated[0]["epoch"] == 0:
        metric.axhline(validated[0]["val_metric"], color="0.5", lw=0.8, label="epoch 0 (untrained)")
    metric.set(xlabel="epoch", ylabel="validation mean distance (normalized x100)")
    metric.legend()
    for axes in (losses, metric):
        axes.grid(alpha=0.3)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png")
    plt.close(figure)
