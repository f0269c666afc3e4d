"""The choice of predictor: the shipped learned model when there is one, else the geometric baseline."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import PointSkelError
from ..settings import PREDICTORS
from .predictor import OffsetPredictor

SHIPPED_MODEL = Path(__file__).resolve().parents[2] / "models" / "pointskel_offset.onnx"


def make_predictor(name: str = "auto", model_path: str | os.PathLike | None = None) -> OffsetPredictor:
    """A predictor by name: "geometric", "onnx" (model_path or the shipped model) or "auto".

    "auto" is the ONNX model when one is given or shipped, else the geometric baseline, so a build
    without a trained model still works.
    """
    if name not in PREDICTORS:
        raise PointSkelError(f"unknown predictor {name!r}: choose one of {', '.join(PREDICTORS)}")
    if name == "geometric" and model_path is not None:
        raise PointSkelError("a model file only applies to the 'onnx' or 'auto' predictor, not 'geometric'")
    learned = name == "onnx" or model_path is not None or SHIPPED_MODEL.is_file()
    if name == "geometric" or not learned:
        from .geometric import GeometricPredictor

        return GeometricPredictor()
    from .onnx_predictor import load_predictor

    return load_predictor(SHIPPED_MODEL if model_path is None else Path(model_path))
