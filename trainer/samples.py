"""Training samples: lifted silhouettes with, for every point, where it belongs on the skeleton.

A sample is one view of a rigged mesh: the silhouette and the projected skeleton come from the
same camera (`render`), and the silhouette is lifted by the add-on's own `core.lift.lift`, so the
network sees exactly what inference gives it. A point's target is the nearest point of the
projected bones (2-D segments mapped into the lift's normalized frame) on the mid-plane z = 0; the
label is target - point. Targets are geometric only: a mirrored view swaps no names.

Augmentations: image-space ones (view yaw, in-plane roll, scale, placement, mirror) go into the
camera, before lifting, because the lift re-normalizes to the silhouette's bounding box;
point-space ones (noise, partial contraction toward the targets, so that iterating a predictor
converges) come after and recompute the targets of the moved points (`augment_points`, cheap
enough to run per training batch on cached clouds).

Each sample also carries the labels of a learned part head (`trainer.labels`): every point's part
and side (those of its nearest truth bone), the figure's body plan (from the dataset's template,
`synthetic.read_templates`) and where it faces in the picture.

Caches (`build_sample_cache` / `load_sample_cache`) hold every sample of a split in one compressed
`.npz`: fixed-size clouds as (S, n, 3) arrays ready for batching, plus what evaluation needs, plus
the labels (`point_parts`, `point_sides`, `body_plans`, `facings`, `forwards`: see `trainer.labels`):

    python -m trainer.samples DATASET --split train --out train.npz [--views front side random random]
        [--points 2048] [--resolution 256] [--seed 0] [--workers 2] [--no-augment]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.files import atomic_path
from pointskel_blender.core.lift import NORMALIZATION, Frame, LiftedShape, lift

from . import DatasetError
from .labels import Labels, sample_labels
from .render import VIEWS, make_camera, project, render_silhouette, view_from_text, view_rotation
from .rignet import MESH_DIR, RIG_DIR, Mesh, Rig, RigNetDataset
from .synthetic import read_templates
from .workers import imap

CACHE_FORMAT = "pointskel-sample-cache"
CACHE_VERSION = 2  # 2: the part head's labels (`trainer.labels`)
DEFAULT_VIEWS = ("front", "side", "random", "random")
_PAIRS_PER_CHUNK = 1 << 20  # point-segment pairs held in memory at once
_SHAPES_KEPT = 4096  # lifted solids a cache keeps in memory (about 1 GB at 256 px)


@dataclass(frozen=True)
class ImageAugment:
    """Random camera changes, drawn per sample."""

    roll: float = 20.0  # in-plane rotation, uniform in +-roll degrees
    fill: tuple[float, float] = (0.55, 1.0)  # figure size as a fraction of the fitted size
    mirror: float = 0.5  # probability of a left-right flip
    shift: bool = True  # place the figure anywhere in the room left by `fill`


@dataclass(frozen=True)
class PointAugment:
    """Random changes of a lifted cloud, drawn per sample."""

    noise: float = 0.004  # Gaussian jitter of every point, normalized units
    contract: float = 0.5  # probability that a sample is partially contracted
    contract_max: float = 0.95  # contracted samples move each point this far toward its target at most


@dataclass(frozen=True)
class View:
    """Where a sample's camera looked from, and the image augmentation it used."""

    yaw: float  # degrees about the up axis; 0 = front
    roll: float = 0.0
    mirror: bool = False
    fill: float = 1.0
    shift: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True, eq=False)
class Sample:
    points: np.ndarray  # (n, 3) float32, normalized frame of `frame`
    targets: np.ndarray  # (n, 3) float32, nearest bone point of each point, z = 0
    segments: np.ndarray  # (B, 2, 2) float32, projected bones (parent, child) in the normalized frame
    mask: np.ndarray  # (H, W) bool, the rendered silhouette (input = working resolution)
    joints_px: np.ndarray  # (J, 2) float32, projected joints in input pixels
    parents: np.ndarray  # (J,) int32, -1 for the root
    frame: Frame
    view: View
    labels: Labels

    @property
    def offsets(self) -> np.ndarray:
        """The training label: where each point should go minus where it is."""
        return self.targets - self.points


def nearest_bone(xy: np.ndarray, segments: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(N, 2) nearest points on any of (B, 2, 2) segments, (N,) where on its segment each lies
    (0 at the parent joint, 1 at the child) and (N,) which segment it is; chunked N x B.

    Works on separate x and y planes: numpy is slow on a trailing axis of length 2.
    """
    xy = np.asarray(xy, dtype=np.float32)
    seg = np.asarray(segments, dtype=np.float32)
    ax, ay = seg[:, 0, 0], seg[:, 0, 1]
    dx, dy = seg[:, 1, 0] - ax, seg[:, 1, 1] - ay
    length2 = dx * dx + dy * dy
    inverse = np.divide(1, length2, out=np.zeros_like(length2), where=length2 > 0)  # a point: t = 0
    out = np.empty_like(xy)
    where = np.empty(len(xy), dtype=np.float32)
    which = np.empty(len(xy), dtype=np.int64)
    step = max(1, _PAIRS_PER_CHUNK // max(len(seg), 1))
    for start in range(0, len(xy), step):
        rx = xy[start:start + step, :1] - ax  # (n, B)
        ry = xy[start:start + step, 1:] - ay
        t = np.clip((rx * dx + ry * dy) * inverse, 0, 1)
        ex, ey = rx - t * dx, ry - t * dy
        best = np.argmin(ex * ex + ey * ey, axis=1)
        tb = t[np.arange(len(best)), best]
        out[start:start + step, 0] = ax[best] + tb * dx[best]
        out[start:start + step, 1] = ay[best] + tb * dy[best]
        where[start:start + step] = tb
        which[start:start + step] = best
    return out, where, which


def bone_targets(points: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """(N, 3) targets: the nearest bone point (in the image plane, so in 3-D too), at z = 0."""
    return _targets_and_bones(points, segments)[0]


def _targets_and_bones(points: np.ndarray, segments: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`bone_targets`, and (N,) which bone each target is on."""
    if len(segments) == 0:
        raise DatasetError("a training sample needs at least one bone (the rig has a single joint)")
    targets = np.zeros((len(points), 3), dtype=np.float32)
    targets[:, :2], _, bones = nearest_bone(points[:, :2], segments)
    return targets, bones


def joint_targets(points: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """(N,) joint-score targets in [0, 1]: cos^2(pi t), t where along its bone each point's nearest
    bone point lies, so 1 at every joint and 0 halfway along every bone, however long or short the
    bones are (a Gaussian around the joints stays high all along the short bones of a hand)."""
    t = nearest_bone(np.asarray(points, dtype=np.float32)[:, :2], segments)[1]
    return (np.cos(np.pi * t) ** 2).astype(np.float32)


def augment_points(points: np.ndarray, segments: np.ndarray, rng: np.random.Generator,
                   augment: PointAugment = PointAugment()) -> tuple[np.ndarray, np.ndarray]:
    """(points, targets) after partial contraction and noise; targets recomputed for the moved points."""
    moved = np.array(points, dtype=np.float32)
    if rng.random() < augment.contract:
        fraction = rng.uniform(0, augment.contract_max)
        jitter = np.clip(fraction + rng.normal(0, 0.1, (len(moved), 1)), 0, augment.contract_max)
        moved += jitter.astype(np.float32) * (bone_targets(moved, segments) - moved)
    if augment.noise > 0:
        moved += rng.normal(0, augment.noise, moved.shape).astype(np.float32)
    return moved, bone_targets(moved, segments)


def draw_view(spec: str | float, rng: np.random.Generator, augment: ImageAugment | None) -> View:
    """A `View` for a view spec ('front', 'side', 'back', 'random' or a yaw) and random augmentation."""
    if spec == "random":
        yaw = float(rng.uniform(-180, 180))
    elif isinstance(spec, str):
        if spec not in VIEWS:
            names = ", ".join(VIEWS)
            raise DatasetError(f"unknown view {spec!r} (expected {names}, 'random' or a yaw in degrees)")
        yaw = VIEWS[spec]
    else:
        yaw = float(spec)
    if augment is None:
        return View(yaw)
    return View(yaw, float(rng.uniform(-augment.roll, augment.roll)), bool(rng.random() < augment.mirror),
                float(rng.uniform(*augment.fill)),
                (float(rng.uniform(-1, 1)), float(rng.uniform(-1, 1))) if augment.shift else (0.0, 0.0))


def make_sample(mesh: Mesh, rig: Rig, view: View = View(0.0), *, points: int = 2048, resolution: int = 256,
                up: str = "y", margin: float = 0.08, seed: int = 0, point_augment: PointAugment | None = None,
                category: str = "") -> Sample:
    """Render `view`, lift the silhouette like inference does, and compute every point's target and
    labels (`category`: the dataset's template of the figure, "" if none)."""
    camera = make_camera(mesh.vertices, view.yaw, up=up, size=resolution, margin=margin, roll=view.roll,
                         mirror=view.mirror, fill=view.fill, shift=view.shift)
    mask = render_silhouette(mesh, camera)
    if not mask.any():
        raise DatasetError(f"the mesh renders to an empty silhouette at {resolution} px (degenerate mesh?)")
    joints_px = project(rig.positions, camera).astype(np.float32)
    shape = lift(mask, 1.0, points=points, seed=seed)
    segments = shape.frame.to_normalized(joints_px[rig.bones]).astype(np.float32)  # (B, 2, 2)
    cloud = np.array(shape.points, dtype=np.float32)
    if point_augment is not None:
        cloud, _ = augment_points(cloud, segments, np.random.default_rng([seed, 1]), point_augment)
    targets, nearest = _targets_and_bones(cloud, segments)
    labels = sample_labels(rig.names, rig.parents, rig.positions, category, nearest, camera.rotation,
                           view_rotation(0.0, up)[1])
    return Sample(cloud, targets, segments, mask, joints_px, rig.parents.astype(np.int32), shape.frame, view,
                  labels)


# --- caches -------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class SampleCache:
    """Every sample of a cache file in memory; `cache[i]` is a `Sample`."""

    points: np.ndarray  # (S, n, 3) float32
    targets: np.ndarray  # (S, n, 3) float32
    segments: np.ndarray  # (total bones, 2, 2) float32, sample i's are segment_start[i]:segment_start[i + 1]
    segment_start: np.ndarray  # (S + 1,) int64
    joints_px: np.ndarray  # (total joints, 2) float32
    parents: np.ndarray  # (total joints,) int32, indices within the sample
    joint_start: np.ndarray  # (S + 1,) int64
    masks: np.ndarray  # (S, H, ceil(W / 8)) uint8, np.packbits along x
    frames: np.ndarray  # (S, 3) float64: center x, center y (input px), px per unit
    views: np.ndarray  # (S, 6) float64: yaw, roll, mirror, fill, shift x, shift y
    items: np.ndarray  # (S,) str, dataset ids
    point_parts: np.ndarray  # (S, n) int8, `trainer.labels`
    point_sides: np.ndarray  # (S, n) int8
    body_plans: np.ndarray  # (S,) int8
    facings: np.ndarray  # (S,) int8
    forwards: np.ndarray  # (S, 3) float32
    meta: dict = field(default_factory=dict)  # how the cache was built
    _shapes: dict = field(default_factory=dict, repr=False)  # index -> LiftedShape, see `shape`

    def __len__(self) -> int:
        return len(self.points)

    def mask(self, i: int) -> np.ndarray:
        height, width = self.resolution
        return np.unpackbits(self.masks[i], axis=-1, count=width).astype(bool)

    def shape(self, i: int) -> LiftedShape:
        """Sample i's solid (frame and distance field) as inference lifts it, for predictors asked
        about moved points; kept for the most recent `_SHAPES_KEPT` samples (a few hundred KB each)."""
        if i not in self._shapes:
            if len(self._shapes) >= _SHAPES_KEPT:
                self._shapes.clear()
            self._shapes[i] = lift(self.mask(i), 1.0, points=0)
        return self._shapes[i]

    @property
    def resolution(self) -> tuple[int, int]:
        return tuple(self.meta["mask_shape"])  # (H, W)

    def sample_segments(self, i: int) -> np.ndarray:
        return self.segments[self.segment_start[i]:self.segment_start[i + 1]]

    def __getitem__(self, i: int) -> Sample:
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        i %= len(self)
        mask = self.mask(i)
        j = slice(self.joint_start[i], self.joint_start[i + 1])
        cx, cy, ppu = self.frames[i].tolist()
        yaw, roll, mirror, fill, sx, sy = self.views[i].tolist()
        labels = Labels(self.point_parts[i], self.point_sides[i], int(self.body_plans[i]),
                        int(self.facings[i]), self.forwards[i])
        return Sample(self.points[i], self.targets[i], self.sample_segments(i), mask, self.joints_px[j],
                      self.parents[j], Frame((cx, cy), ppu), View(yaw, roll, bool(mirror), fill, (sx, sy)),
                      labels)

    def __iter__(self) -> Iterator[Sample]:
        return (self[i] for i in range(len(self)))


@dataclass(frozen=True)
class _Job:
    dataset: str
    mesh_dir: str
    rig_dir: str
    item: str
    category: str  # the item's template in the dataset's synthetic.json, "" if none
    index: int  # of the item in the split: with the seed, it fixes every random draw
    views: tuple
    points: int
    resolution: int
    up: str
    margin: float
    seed: int
    augment: ImageAugment | None


def _run(job: _Job) -> list[Sample]:
    mesh, rig = RigNetDataset(job.dataset, mesh_dir=job.mesh_dir, rig_dir=job.rig_dir).load(job.item)
    out = []
    for k, spec in enumerate(job.views):
        rng = np.random.default_rng([job.seed, job.index, k])
        view = draw_view(spec, rng, job.augment)
        out.append(make_sample(mesh, rig, view, points=job.points, resolution=job.resolution, up=job.up,
                               margin=job.margin, seed=int(rng.integers(2**31)), category=job.category))
    return out


def build_sample_cache(dataset_dir: str | os.PathLike, split: str | None, out_path: str | os.PathLike, *,
                       views: Sequence[str | float] = DEFAULT_VIEWS, points: int = 2048,
                       resolution: int = 256, up: str = "y", margin: float = 0.08,
                       image_augment: ImageAugment | None = ImageAugment(), seed: int = 0,
                       workers: int = 2, limit: int | None = None, mesh_dir: str = MESH_DIR,
                       rig_dir: str = RIG_DIR, progress: bool = True) -> int:
    """Render, lift and label `views` of every character of `split` into one `.npz`; returns the count.

    Every random draw depends only on (`seed`, item position, view position): the cache is the
    same whatever the number of workers. Point-space augmentation is left to training time
    (`augment_points`), so one cache serves many epochs.
    """
    dataset = RigNetDataset(dataset_dir, split, mesh_dir=mesh_dir, rig_dir=rig_dir)
    items = dataset.ids[:limit]
    if not items:
        raise DatasetError(f"{dataset_dir}: split {split!r} has no characters")
    views = tuple(views)
    for spec in views:  # fail before any work
        draw_view(spec, np.random.default_rng(0), None)
    templates = read_templates(dataset.root)
    jobs = [_Job(str(dataset.root), mesh_dir, rig_dir, item, templates.get(item, ""), k, views, points,
                 resolution, up, margin, seed, image_augment) for k, item in enumerate(items)]
    from tqdm import tqdm

    samples: list[Sample] = []
    names: list[str] = []
    with tqdm(total=len(jobs) * len(views), unit="sample", desc="samples", disable=not progress) as bar:
        for job, batch in zip(jobs, imap(_run, jobs, workers, chunksize=4)):
            samples += batch
            names += [job.item] * len(batch)
            bar.update(len(batch))
    meta = {"format": CACHE_FORMAT, "version": CACHE_VERSION, "normalization": NORMALIZATION,
            "dataset": str(dataset.root), "split": split, "views": list(views), "points": points,
            "resolution": resolution, "mask_shape": [resolution, resolution], "up": up, "margin": margin,
            "seed": seed, "image_augment": None if image_augment is None else asdict(image_augment)}
    _save(out_path, samples, names, meta)
    return len(samples)


def _starts(counts: Sequence[int]) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def _save(path: str | os.PathLike, samples: list[Sample], items: list[str], meta: dict) -> None:
    arrays = {
        "points": np.stack([s.points for s in samples]),
        "targets": np.stack([s.targets for s in samples]),
        "segments": np.concatenate([s.segments for s in samples]),
        "segment_start": _starts([len(s.segments) for s in samples]),
        "joints_px": np.concatenate([s.joints_px for s in samples]),
        "parents": np.concatenate([s.parents for s in samples]).astype(np.int32),
        "joint_start": _starts([len(s.joints_px) for s in samples]),
        "masks": np.stack([np.packbits(s.mask, axis=-1) for s in samples]),
        "frames": np.array([[*s.frame.center_px, s.frame.px_per_unit] for s in samples], dtype=np.float64),
        "views": np.array([[v.yaw, v.roll, v.mirror, v.fill, *v.shift] for v in (s.view for s in samples)],
                          dtype=np.float64),
        "items": np.array(items, dtype=str),
        "point_parts": np.stack([s.labels.point_parts for s in samples]).astype(np.int8),
        "point_sides": np.stack([s.labels.point_sides for s in samples]).astype(np.int8),
        "body_plans": np.array([s.labels.body_plan for s in samples], dtype=np.int8),
        "facings": np.array([s.labels.facing for s in samples], dtype=np.int8),
        "forwards": np.stack([s.labels.forward for s in samples]).astype(np.float32),
        "meta": np.array(json.dumps(meta, sort_keys=True)),
    }
    with atomic_path(path) as tmp:  # np.savez would append .npz to a name without it
        with open(tmp, "wb") as f:
            np.savez_compressed(f, **arrays)


def load_sample_cache(path: str | os.PathLike) -> SampleCache:
    p = Path(path)
    try:
        with np.load(p, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except FileNotFoundError:
        raise DatasetError(f"{p}: no such sample cache") from None
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{p}: not a readable sample cache ({exc})") from None
    try:
        meta = json.loads(str(arrays.pop("meta")))
    except (KeyError, json.JSONDecodeError):
        raise DatasetError(f"{p}: not a PointSkel sample cache (no metadata)") from None
    if meta.get("format") != CACHE_FORMAT or meta.get("version") != CACHE_VERSION:
        raise DatasetError(f"{p}: cache format {meta.get('format')!r} v{meta.get('version')!r} is not "
                           f"{CACHE_FORMAT!r} v{CACHE_VERSION}; rebuild it")
    if meta.get("normalization") != NORMALIZATION:
        raise DatasetError(f"{p}: cache normalization {meta.get('normalization')!r} is not {NORMALIZATION!r}")
    try:
        return SampleCache(**arrays, meta=meta)
    except TypeError as exc:
        raise DatasetError(f"{p}: sample cache arrays do not match this version ({exc})") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.samples",
                                     description="Build a training sample cache")
    parser.add_argument("dataset", help="RigNet-format dataset folder")
    parser.add_argument("--out", required=True, help=".npz cache to write")
    parser.add_argument("--split", default="train", help="train, val, test, or 'all' for every mesh")
    parser.add_argument("--views", nargs="+", default=list(DEFAULT_VIEWS),
                        help="front, side, back, random or yaw degrees; one sample per view and character")
    parser.add_argument("--points", type=int, default=2048, help="points per lifted cloud")
    parser.add_argument("--resolution", type=int, default=256, help="silhouette size in pixels")
    parser.add_argument("--up", default="y", choices=("y", "z"), help="the meshes' up axis (RigNet: y)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="only the first N characters")
    parser.add_argument("--no-augment", action="store_true", help="no roll, scale, placement or mirror")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        views = [view_from_text(v, ("random",)) for v in args.views]
        count = build_sample_cache(args.dataset, None if args.split == "all" else args.split, args.out,
                                   views=views, points=args.points, resolution=args.resolution, up=args.up,
                                   image_augment=None if args.no_augment else ImageAugment(), seed=args.seed,
                                   workers=args.workers, limit=args.limit)
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - start
    print(f"wrote {count} samples to {args.out} in {seconds:.1f} s ({count / seconds:.1f} samples/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
