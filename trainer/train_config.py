"""Every setting of a training run (`TrainConfig`), as checkpoints keep it and a resume compares it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from pointskel_blender.core.settings import DEFAULT_VOXEL

from .distributed import DEVICES
from .model import ConfigError
from .samples import PointAugment
from .training_data import SampleSettings

LOSSES = ("chamfer", "bones", "l2", "smooth_l1")
RESUMABLE = (
    "loader_workers",
    "data",
    "out",
    "cache",
    "epochs",
    "max_minutes",
    "device",
    "threads",
    "workers",
    "progress",
    "val_every",
)


@dataclass(frozen=True)
class TrainConfig:
    """Every setting of a run; checkpoints keep it, so a resumed run goes on with the same ones."""

    data: str = ""  # RigNet-format dataset folder
    out: str = ""  # run folder
    cache: str | None = None  # sample cache folder (default: RUNDIR/cache)
    train_split: str = "train"
    val_split: str = "val"
    samples: SampleSettings = field(default_factory=SampleSettings)
    workers: int = 2  # processes that build sample caches
    loader_workers: int = 0  # DataLoader processes assembling batches (0 = in the training process)
    epochs: int = 30
    batch_size: int = 16  # per process
    lr: float = 2e-3
    weight_decay: float = 1e-4
    warmup: float = 0.05  # fraction of all steps with a linear ramp up, then cosine down
    min_lr: float = 0.02  # final learning rate as a fraction of --lr
    grad_clip: float = 1.0  # max gradient norm; 0 = off
    # "bones": squared distance from each predicted target to the nearest bone (any bone, so a point
    # between two bones is not pulled to their average), plus `target_weight` x the L2 loss to its
    # nearest bone point, which keeps points spread along their own bones. "chamfer": "bones" plus
    # `coverage_weight` x the squared distance from points along the bones to the nearest
    # predicted target, so limb tips do not erode. "l2"/"smooth_l1": only the regression.
    loss: str = "bones"
    target_weight: float = 0.1
    coverage_weight: float = 1.0
    # With the model's joint head: `joint_weight` x the binary cross-entropy of the joint logit
    # against `samples.joint_targets`. `offset_weight` scales every offset term; at 0 the offset
    # correction stays exactly zero (offsets = the geometric input's) and only the joint head learns.
    joint_weight: float = 10.0
    offset_weight: float = 1.0
    beta: float = 1.0  # smooth L1's quadratic zone, in loss units (normalized x100)
    augment: PointAugment = field(default_factory=PointAugment)
    seed: int = 0
    device: str = "cpu"
    threads: int | None = None  # torch CPU threads (default: torch's choice)
    max_minutes: float | None = None
    voxel: float = DEFAULT_VOXEL  # topology detail of the validation skeletons (the add-on's default)
    val_every: int = 1  # validate every N epochs (and always at the last one and at a time-budget stop)
    val_samples: int | None = None  # validate on this many val samples, spread evenly (None = all)
    progress: bool = True

    def __post_init__(self) -> None:
        if self.loss not in LOSSES:
            raise ConfigError(f"unknown loss {self.loss!r}: choose one of {', '.join(LOSSES)}")
        if self.device not in DEVICES:
            raise ConfigError(f"unknown device {self.device!r}: choose one of {', '.join(DEVICES)}")
        for name in ("epochs", "batch_size", "workers", "val_every", "threads", "val_samples"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ConfigError(f"{name} must be at least 1, got {value}")
        if self.loader_workers < 0:
            raise ConfigError(f"loader_workers must be 0 or more, got {self.loader_workers}")
        if not self.lr > 0 or not 0 <= self.warmup < 1 or not 0 <= self.min_lr <= 1:
            raise ConfigError("lr must be positive, warmup in [0, 1) and min_lr in [0, 1]")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["samples"]["views"] = list(self.samples.views)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        known = {f.name for f in fields(cls)}
        if set(data) - known:
            raise ConfigError(f"unknown training settings {sorted(set(data) - known)}")
        values = dict(data)
        try:
            if isinstance(values.get("samples"), dict):
                samples = dict(values["samples"])
                samples["views"] = tuple(samples.get("views", SampleSettings.views))
                values["samples"] = SampleSettings(**samples)
            if isinstance(values.get("augment"), dict):
                values["augment"] = PointAugment(**values["augment"])
        except TypeError as exc:
            raise ConfigError(f"training settings do not match this trainer ({exc})") from None
        return cls(**values)
