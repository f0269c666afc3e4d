"""A torch model back from an exported ONNX file, so a head can be trained on a shipped model's features.

The stop-11 model was shipped as ONNX only. Its `pointskel.config` metadata is the trainer's
`ModelConfig`, and its initializers are the weights: buffers and biases keep their state-dict
names (`model.<name>`), while the TorchScript exporter stores each linear layer's weight
transposed under an anonymous `onnx::MatMul_*` name, in the order the layers run, which is the
state dict's order. The result is checked against the file itself (`verify` in `trainer.export`
compares every output) before anything relies on it.
"""
from __future__ import annotations

import os

import numpy as np
import torch

from pointskel_blender.core.contract import model_format

from .checkpoint import CheckpointError
from .model import ModelConfig, PointNetOffsetPredictor

PREFIX = "model."


def model_from_onnx(path: str | os.PathLike) -> PointNetOffsetPredictor:
    """The torch model an exported file holds (its config from the metadata, its weights)."""
    import onnx
    from onnx import numpy_helper

    proto = onnx.load(str(path))
    props = {p.key: p.value for p in proto.metadata_props}
    info = model_format.parse_metadata(props, str(path))
    model = PointNetOffsetPredictor(ModelConfig.from_dict(info.config))
    state = model.state_dict()
    named = {i.name[len(PREFIX):]: numpy_helper.to_array(i) for i in proto.graph.initializer
             if i.name.startswith(PREFIX)}
    anonymous = [numpy_helper.to_array(i) for i in proto.graph.initializer if not i.name.startswith(PREFIX)]
    weights = [k for k in state if k not in named]
    if sorted(named) != sorted(k for k in state if k in named) or len(weights) != len(anonymous):
        raise CheckpointError(f"{path}: its weights do not match the model its metadata describes")
    values = {**named, **{k: np.ascontiguousarray(v.T) for k, v in zip(weights, anonymous)}}
    for key, value in values.items():
        if tuple(value.shape) != tuple(state[key].shape):
            raise CheckpointError(f"{path}: weight {key} has shape {value.shape}, the model needs "
                                  f"{tuple(state[key].shape)}")
    model.load_state_dict({k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in values.items()})
    return model.eval()


def description(path: str | os.PathLike) -> str:
    """The `pointskel.description` of a file: what its network was trained on, carried into the
    description of a model that adds a head to it."""
    import onnx

    proto = onnx.load(str(path))
    return {p.key: p.value for p in proto.metadata_props}.get(model_format.KEY_DESCRIPTION, "")
