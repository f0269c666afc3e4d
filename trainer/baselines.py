"""Classical skeletonization as a whole image → skeleton method, to judge contraction against.

The baseline skeletonizes the silhouette with scikit-image (`skeletonize`, Zhang-style thinning,
or `medial_axis`) instead of contracting a lifted cloud. To make the comparison about contraction
only, everything around that step is the pipeline's own code with the same settings:

- it runs inside `core.pipeline.run_pipeline` with the same settings: the same mask and clean-up,
  and the same lift, for its normalized `Frame` and its thickness field `LiftedShape.radius_at`;
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

from dataclasses import dataclass

import numpy as np
from skimage.morphology import medial_axis, skeletonize

from pointskel_blender.core.contract import Contraction
from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.image import LoadedImage
from pointskel_blender.core.lift import LiftedShape
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline

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


@dataclass(frozen=True)
class SkeletonMethod:
    """Skeleton pixels as the pipeline's contracted cloud (`run_pipeline(..., method=...)`)."""

    name: str = "skeletonize"
    seed: int = 0

    def __call__(self, shape: LiftedShape) -> Contraction:
        return Contraction(skeleton_cloud(shape, self.name, seed=self.seed), 0, True, ())


def run_skeleton_baseline(
    image: LoadedImage, settings: PipelineSettings = PipelineSettings(), method: str = "skeletonize"
) -> PipelineResult:
    """`run_pipeline` with the contraction replaced by skeletonizing the mask; same result type.

    `settings.predictor`, `model_path`, `iterations` and `step` do not apply. The skeleton step is
    timed as the "contract" stage, so timings line up with the other methods'.
    """
    return run_pipeline(image, settings, method=SkeletonMethod(method, settings.seed))
