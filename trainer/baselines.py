"""Classical skeletonization as a whole image → skeleton method, to judge contraction against.

The baseline skeletonizes the silhouette with scikit-image (`skeletonize`, Zhang-style thinning,
or `medial_axis`) instead of contracting a lifted cloud. To make the comparison about contraction
only, everything around that step is the pipeline's own code with the same settings:

- the mask is `core.mask.compute_mask` of the same image (so the same clean-up: largest object,
  small holes filled), and the lift is `core.lift.lift` of that mask, for its normalized `Frame`
  and its thickness field `LiftedShape.radius_at`;
- every skeleton pixel becomes one point at its pixel centre, mapped into that same frame (z = 0,
  the mid-plane that contraction also converges to), so the cloud is in the units every other
  method's contracted cloud is in;
- the cloud goes through the same `core.topology.build_tree` (same voxel size and thickness) and
  `core.pipeline.skeleton_from_tree` (naming, pixels, skeleton), giving a `PipelineResult`
  exactly like `run_pipeline`'s.

So two methods differ only in which cloud reaches the topology stage: skeleton pixels here, the
contracted lift there. Holes larger than the mask's clean-up fills (an arm resting on a hip) make
the thinned skeleton a loop; the spanning tree in `build_tree` cuts it, as it cuts any loop a
contraction leaves.
"""

from __future__ import annotations

import time
from dataclasses import asdict

import numpy as np
from skimage.morphology import medial_axis, skeletonize

from pointskel_blender.core.contract import Contraction
from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.image import LoadedImage
from pointskel_blender.core.lift import LiftedShape, lift
from pointskel_blender.core.mask import compute_mask
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, skeleton_from_tree
from pointskel_blender.core.topology import build_tree

SKELETON_METHODS = ("skeletonize", "medial_axis")


def skeleton_cloud(shape: LiftedShape, method: str = "skeletonize", *, seed: int = 0) -> np.ndarray:
    """(K, 3) float32: the working mask's skeleton pixels as points in the lift's frame, z = 0.

    `seed` only breaks ties in `medial_axis`; `skeletonize` is deterministic.
    """
    if method not in SKELETON_METHODS:
        raise PointSkelError(
            f"unknown skeleton method {method!r}: choose one of {', '.join(SKELETON_METHODS)}"
        )
    mask = np.asarray(shape.mask, dtype=bool)
    skeleton = skeletonize(mask) if method == "skeletonize" else medial_axis(mask, rng=seed)
    rows, cols = np.nonzero(skeleton)
    work_px = np.stack([cols + 0.5, rows + 0.5], axis=1)
    cloud = np.zeros((len(rows), 3), dtype=np.float32)
    cloud[:, :2] = shape.frame.to_normalized(work_px / shape.work_scale)
    return cloud


def run_skeleton_baseline(
    image: LoadedImage, settings: PipelineSettings = PipelineSettings(), method: str = "skeletonize"
) -> PipelineResult:
    """`run_pipeline` with the contraction replaced by skeletonizing the mask; same result type.

    `settings.predictor`, `model_path`, `iterations` and `step` do not apply. The skeleton step is
    timed as the "contract" stage, so timings line up with the other methods'.
    """
    timings: dict[str, float] = {"load": 0.0}

    def timed(stage: str, fn, *args, **kwargs):
        start = time.perf_counter()
        value = fn(*args, **kwargs)
        timings[stage] = time.perf_counter() - start
        return value

    mask = timed(
        "mask",
        compute_mask,
        image,
        backend=settings.mask_backend,
        work_size=settings.work_size,
        keep="all" if settings.keep_all_objects else "largest",
        rembg_model=settings.rembg_model,
    )
    shape = timed("lift", lift, mask.mask, mask.work_scale, points=settings.points, seed=settings.seed)
    cloud = timed("contract", skeleton_cloud, shape, method, seed=settings.seed)
    tree = timed("topology", build_tree, cloud, shape.radius_at, voxel=settings.voxel)
    metadata = {
        "mask_backend": mask.backend,
        "predictor": method,
        "iterations": 0,
        "settings": asdict(settings),
    }
    skeleton = timed("skeleton", skeleton_from_tree, tree, shape, image, metadata)
    contraction = Contraction(cloud, 0, True, ())
    return PipelineResult(image, mask, shape, contraction, tree, skeleton, timings, method)
