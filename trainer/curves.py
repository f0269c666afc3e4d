"""The training curves of a run as one PNG: losses, and the validation skeletons' scores by epoch."""

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
        val_epochs, [h["val_metric"] for h in validated], "o-", color="C2",
        label="skeleton CD-J2J (val metric)",
    )
    metric.plot(
        val_epochs,
        [h["val_distance"][-1] for h in validated],
        "--",
        color="C0",
        label=f"points to bones after {iterations} iterations",
    )
    metric.plot(
        val_epochs,
        [h["val_coverage"] for h in validated],
        "s:",
        color="C3",
        label="bones to points after the last (coverage)",
    )
    f1 = metric.twinx()
    f1.plot(val_epochs, [h["val_f1"] for h in validated], "^-", color="C4", label="skeleton joint F1 (right)")
    f1.set(ylabel="joint F1")
    f1.legend(loc="upper right")
    metric.set(xlabel="epoch", ylabel="validation, x100 of figure size / height")
    metric.legend(loc="upper left")
    for axes in (losses, metric):
        axes.grid(alpha=0.3)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png")
    plt.close(figure)
