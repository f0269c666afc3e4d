"""PointSkel's trainer: data, the learned offset predictor, training, export and evaluation.

Data: `rignet` (the RigNet dataset format), `synthetic` (a procedural dataset in that format,
`characters` and `bodies`), `render` (orthographic silhouettes), `samples` (lifted training samples
with their targets, caches). Model and training: `model`, `train`, `training_data`, `checkpoint`,
`distributed`, `export` (the ONNX file the add-on ships). Evaluation: `metrics`, `rig_metrics`,
`baselines`, `evaluate` (with `eval_config`, `eval_data`, `eval_run`, `eval_stats`, `eval_report`),
`rigify_set` (Blender's Rigify metarigs as an evaluation set), `sheet` (contact sheets to look at
data). Training inputs go through the add-on's own `core.lift`, so they
equal what inference sees.
"""
from __future__ import annotations

from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.onnx_runtime import disable_telemetry

# torch.onnx and the export's checks may import onnxruntime themselves: telemetry off before any of it.
disable_telemetry()


class DatasetError(PointSkelError):
    """A dataset file or folder is missing or malformed; the message names the file (and line)."""
