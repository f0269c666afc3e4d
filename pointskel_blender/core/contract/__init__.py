"""Contraction: the lifted cloud moved onto the figure's skeleton by a predictor's offsets.

`steps`: the loop (`contract`, `ContractionSteps`, the `Contraction` result) and the checked
length choice; `predictor`: the protocols every predictor meets and the point grouping of a
fixed-size model; `geometric`: the learning-free medial-axis predictor; `onnx_predictor` with
`model_format`: the shipped learned model and its file's contract; `make`: the choice by name.
"""

from __future__ import annotations

from .make import SHIPPED_MODEL, make_predictor
from .predictor import LengthChooser, OffsetPredictor, Prediction, RichPredictor
from .steps import Contraction, ContractionSteps, choose_bone_length, contract

__all__ = [
    "SHIPPED_MODEL",
    "Contraction",
    "ContractionSteps",
    "LengthChooser",
    "OffsetPredictor",
    "Prediction",
    "RichPredictor",
    "choose_bone_length",
    "contract",
    "make_predictor",
]
