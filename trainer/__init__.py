"""PointSkel's trainer: datasets, synthetic characters, silhouettes and training samples.

Data flows: a RigNet-format dataset (`rignet`; or procedural, `synthetic` = `characters` templates
built from `bodies` primitives) -> orthographic silhouettes with projected skeletons (`render`,
`sheet` to look at them) -> lifted clouds with per-point offset targets (`samples`, through the
add-on's own `core.lift`, so training inputs equal inference inputs).
"""
from __future__ import annotations

from pointskel_blender.core.errors import PointSkelError


class DatasetError(PointSkelError):
    """A dataset file (mesh, rig, split list, sample cache) is missing or malformed."""
