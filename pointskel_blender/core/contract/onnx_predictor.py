"""The learned offset predictor, run through onnxruntime.

A model file is checked completely when it is opened (readable, a PointSkel offset predictor of a
supported version, trained in this lift's normalization, with the expected inputs and outputs: its
metadata contract is `model_format`), so a bad or stale file fails with one clear message instead
of producing a wrong skeleton. For a model with the `geometric` input, the predictor computes the
geometric predictor's offsets from the lifted shape before every run; the topology moves the joints
inside chains toward the peaks of its `joint_scores`; `choose_bone_length` reads the model's
length scores of the lifted shape, averages them over the groups and hands back the best length (the
pipeline uses it unless the user set one).

Each run asks only for what it needs, from a session of the graph cut to that (`onnx_graph`):
onnxruntime would otherwise run every head each time. The contraction's first run, on the lifted
cloud, also reads the part head and the pooled features the length head reads (`Prediction.pooled`);
its later runs only the offsets and joint scores; and the length choice, once the contracted cloud's
figure features are known, runs the small length head alone on those pooled features, instead of
the whole network again. The outputs are those of the whole file, bit for bit.
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from ..learned_parts import PART_OUTPUT, PART_OUTPUTS, PLAN_OUTPUT
from ..lift import LiftedShape
from ..onnx_runtime import import_onnxruntime
from .geometric import GeometricPredictor
from .model_format import (
    FIGURE_INPUT,
    GEOMETRIC_INPUT,
    INPUT,
    JOINT_OUTPUT,
    KEY_BONE_LENGTHS,
    LENGTH_OUTPUT,
    OUTPUT,
    parse_metadata,
)
from .onnx_graph import ModelGraph, WireError
from .predictor import Prediction, group_order

MAX_MODEL_BYTES = 512 * 2**20  # the shipped model is a few MB
RUN_POINTS = 16_384  # points per onnxruntime call: memory stays flat in the cloud's size
OFFSET_LIMIT = 1000.0  # normalized units: the figure fits in a unit box (untrained nets move ~40)


def _checked_file(path: Path) -> os.stat_result:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ModelError(f"model file not found: {path}") from None
    if not path.is_file():
        raise ModelError(f"model path is not a file: {path}")
    if info.st_size == 0:
        raise ModelError(f"model file is empty (0 bytes): {path}; download or export it again")
    if info.st_size > MAX_MODEL_BYTES:
        raise ModelError(
            f"model file is {info.st_size / 2**20:,.0f} MB, larger than the {MAX_MODEL_BYTES // 2**20} MB "
            f"a PointSkel offset predictor can be: {path}"
        )
    return info


def _is_dynamic(dim: Any) -> bool:
    return not isinstance(dim, int)


def _reason(exc: Exception) -> str:
    """onnxruntime's message without its '[ONNXRuntimeError] : 7 : INVALID_PROTOBUF :' prefix."""
    text = str(exc).strip()
    return text.splitlines()[0].split(" : ")[-1] if text else type(exc).__name__


@dataclass(frozen=True, eq=False)
class _Session:
    """An onnxruntime session of the model file or of a cut of its graph, and the inputs it reads."""

    session: Any
    inputs: frozenset[str]


class OnnxPredictor:
    """A learned PointNet offset predictor: an onnxruntime CPU session of the file (its checks, and
    the runs that need all of it) and one of its graph cut to each kind of run the contraction makes."""

    name = "onnx"

    def __init__(self, path: str | os.PathLike, *, seed: int = 0, threads: int | None = None) -> None:
        self.path = Path(path)
        self.seed = seed
        _checked_file(self.path)
        try:
            onnxruntime = import_onnxruntime()
        except ImportError:
            message = "onnxruntime is not installed, so ONNX models cannot run; use 'geometric'"
            raise ModelError(message) from None
        options = onnxruntime.SessionOptions()
        # A few threads: the point batch is small, and Blender's UI shares the machine.
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        # Threads that sleep between runs, not spin: a spinning pool takes the core the numpy work
        # between runs (and every other program, and the other sessions' pools) needs; on a loaded
        # 2-core machine the model's runs took about half as long again with spinning.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        try:
            self._session = onnxruntime.InferenceSession(
                str(self.path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # noqa: BLE001 - onnxruntime's errors share no base class beyond Exception
            raise ModelError(
                f"{self.path}: not a readable ONNX model ({_reason(exc)}); download or export it again"
            ) from None
        self.metadata: dict[str, str] = dict(self._session.get_modelmeta().custom_metadata_map)
        info = parse_metadata(self.metadata, str(self.path))
        self.expected_points = info.expected_points
        self.default_iterations = info.default_iterations
        self.config = info.config
        self.description = info.description
        self.inputs = info.inputs
        self.outputs = info.outputs
        self.bone_lengths = info.bone_lengths
        self.figure_features = info.figure_features
        self.parts = info.parts
        self.body_plans = info.body_plans
        # Stateless after this: one predictor (`load_predictor` caches it) serves every run and thread.
        self._geometric = GeometricPredictor() if GEOMETRIC_INPUT in self.inputs else None
        self._check_signature()
        self._steps = [name for name in self.outputs if name in (OUTPUT, JOINT_OUTPUT)]
        self._whole = _Session(self._session, frozenset(self.inputs))
        self._first, self._later, self._length, self._pooled = self._cut(onnxruntime, options)

    def _cut(self, onnxruntime: Any, options: Any) -> tuple[_Session, _Session, _Session, tuple[str, ...]]:
        """Sessions for the contraction's first run, its later runs and the length choice, with the
        pooled tensors the first hands the length head (none where the length head reads the points
        themselves); the whole file's session for each where its graph cannot be cut (`onnx_graph`)."""
        whole = (self._whole, self._whole, self._whole, ())
        try:
            graph = ModelGraph(self.path.read_bytes())
        except (OSError, WireError):
            return whole
        if not graph.cuttable:
            return whole
        pooled: tuple[str, ...] = ()
        if LENGTH_OUTPUT in self.outputs and FIGURE_INPUT in self.inputs:
            pooled = graph.frontier(LENGTH_OUTPUT, FIGURE_INPUT)
            head_reads = graph.reads(graph.needed([LENGTH_OUTPUT], pooled))
            if (set(graph.inputs) & head_reads) - {FIGURE_INPUT}:
                pooled = ()
        first = [*self._steps, *(PART_OUTPUTS if self.parts else ()), *pooled]
        length = ([LENGTH_OUTPUT], pooled) if LENGTH_OUTPUT in self.outputs else None
        sessions = []
        try:
            for outputs, given in filter(None, ((first, ()), (self._steps, ()), length)):
                session = onnxruntime.InferenceSession(
                    graph.subgraph(outputs, given), options, providers=["CPUExecutionProvider"])
                sessions.append(_Session(session, frozenset(arg.name for arg in session.get_inputs())))
        except Exception:  # noqa: BLE001 - a graph onnxruntime will not cut (a tensor that is not float)
            return whole
        return sessions[0], sessions[1], sessions[2] if len(sessions) > 2 else self._whole, pooled

    def _check_signature(self) -> None:
        inputs, outputs = self._session.get_inputs(), self._session.get_outputs()
        for kind, args, wanted in (("input", inputs, list(self.inputs)),
                                   ("output", outputs, list(self.outputs))):
            where = f"{self.path}: model {kind}"
            if [a.name for a in args] != wanted:
                raise ModelError(f"{where}s are {[a.name for a in args]}, expected {wanted}")
            for arg in args:
                if arg.type != "tensor(float)":
                    raise ModelError(f"{where} {arg.name!r} is {arg.type}, expected tensor(float)")
                if arg.name == JOINT_OUTPUT:
                    if len(arg.shape) != 2:
                        raise ModelError(f"{where} {arg.name!r} has shape {arg.shape}, expected [batch, n]")
                elif arg.name == FIGURE_INPUT:
                    count = len(self.figure_features)
                    if len(arg.shape) != 2 or isinstance(arg.shape[1], int) and arg.shape[1] != count:
                        raise ModelError(
                            f"{where} {arg.name!r} has shape {arg.shape}, expected [batch, {count}]"
                        )
                elif arg.name in (PART_OUTPUT, PLAN_OUTPUT):
                    per_point = arg.name == PART_OUTPUT
                    rank, count = (3, len(self.parts)) if per_point else (2, len(self.body_plans))
                    if len(arg.shape) != rank or isinstance(arg.shape[-1], int) and arg.shape[-1] != count:
                        raise ModelError(f"{where} {arg.name!r} has shape {arg.shape}, expected "
                                         f"[batch{', n' if rank == 3 else ''}, {count}]")
                elif arg.name == LENGTH_OUTPUT:
                    count = len(self.bone_lengths)
                    if len(arg.shape) != 2 or isinstance(arg.shape[1], int) and arg.shape[1] != count:
                        raise ModelError(
                            f"{where} {arg.name!r} has shape {arg.shape}, expected [batch, {count}] "
                            f"(one score per entry of {KEY_BONE_LENGTHS})"
                        )
                elif len(arg.shape) != 3 or isinstance(arg.shape[2], int) and arg.shape[2] != 3:
                    raise ModelError(f"{where} {arg.name!r} has shape {arg.shape}, expected [batch, n, 3]")
        for arg in inputs:
            axes = arg.shape[:1] if arg.name == FIGURE_INPUT else arg.shape[:2]
            if not all(_is_dynamic(dim) for dim in axes):
                raise ModelError(
                    f"{self.path}: model input {arg.name!r} has shape {arg.shape}; batch and n must be "
                    "dynamic axes (export it with dynamic axes)"
                )

    def predict(self, points: np.ndarray, shape: LiftedShape) -> np.ndarray:
        """Offsets for all M points, run as ceil(M / n) uniform subsamples of n points in one batch."""
        return self.predict_all(points, shape).offsets

    def predict_all(self, points: np.ndarray, shape: LiftedShape) -> Prediction:
        """Offsets, and joint scores where the model has them. At the lifted cloud itself (the
        contraction's first step) a model with a part head also gives its part and body-plan
        probabilities from the same run (about 1 ms more), so the anatomy stage needs no second pass."""
        points = np.asarray(points, dtype=np.float32)
        count = len(points)
        if count == 0:
            scores = np.zeros(0, dtype=np.float32) if JOINT_OUTPUT in self.outputs else None
            return Prediction(np.zeros((0, 3), dtype=np.float32), scores)
        geometric = None if self._geometric is None else self._geometric.predict(points, shape)
        order, feeds = self._feeds(points, geometric, np.zeros(len(self.figure_features), np.float32))
        at_lifted = bool(self.parts or self._pooled) and points.shape == np.shape(shape.points)
        at_lifted = at_lifted and np.array_equal(points, np.asarray(shape.points, dtype=np.float32))
        if at_lifted:
            wanted = [*self._steps, *(PART_OUTPUTS if self.parts else ()), *self._pooled]
            values = dict(zip(wanted, self._run(self._first, wanted, feeds)))
        else:
            values = dict(zip(self._steps, self._run(self._later, self._steps, feeds)))
        out, joints = values[OUTPUT], values.get(JOINT_OUTPUT)
        parts, plan = (None, None)
        if at_lifted and self.parts:
            parts, plan = self._parts(values[PART_OUTPUT], values[PLAN_OUTPUT], order, feeds)
        pooled = {name: values[name] for name in self._pooled} if at_lifted and self._pooled else None
        batch = feeds[INPUT]
        if out.shape != batch.shape:
            raise ModelError(f"{self.path}: model returned offsets {out.shape} for input {batch.shape}")
        if joints is not None and joints.shape != batch.shape[:2]:
            raise ModelError(
                f"{self.path}: model returned joint scores {joints.shape} for input {batch.shape}"
            )
        reach = float(np.abs(out).max())
        if reach > OFFSET_LIMIT:
            raise ModelError(
                f"{self.path}: model moved points by up to {reach:.3g} units (a figure is 1 unit): "
                "its weights are damaged; download or export it again"
            )
        offsets = np.empty_like(points)
        offsets[order] = out.reshape(-1, 3)[:count]
        scores = None
        if joints is not None:
            scores = np.empty(count, dtype=np.float32)
            scores[order] = joints.reshape(-1)[:count]
        return Prediction(offsets, scores, geometric, parts, plan, pooled)

    def choose_bone_length(
        self, shape: LiftedShape, figure: np.ndarray, lifted: Prediction | None = None
    ) -> float | None:
        """The candidate length scored best over the lifted shape's groups (None without a length output).

        The scores come from the lifted cloud, where the figure's outline still shows, and, for a
        model with the figure input, from `figure`: the contracted cloud's `core.figure` features.
        `lifted`, this predictor's `predict_all` at `shape.points`, lends its pooled features (then
        only the length head runs) or else its geometric offsets."""
        if LENGTH_OUTPUT not in self.outputs or len(shape.points) == 0:
            return None
        figure = np.asarray(figure, dtype=np.float32).reshape(-1)
        if self.figure_features and figure.shape != (len(self.figure_features),):
            raise ModelError(
                f"{self.path}: the model reads {len(self.figure_features)} figure features, "
                f"got {figure.shape}"
            )
        points = np.asarray(shape.points, dtype=np.float32)
        groups = math.ceil(len(points) / self.expected_points)
        pooled = None if lifted is None else lifted.pooled
        if self._pooled and pooled is not None and all(
            np.shape(pooled.get(name))[:1] == (groups,) for name in self._pooled
        ):
            feeds, run = {**pooled, FIGURE_INPUT: np.tile(figure, (groups, 1))}, self._length
        else:
            run = self._whole if self._pooled else self._length  # the head alone reads pooled features
            geometric = None
            if self._geometric is not None:
                geometric = None if lifted is None else lifted.geometric
                if geometric is None:
                    geometric = self._geometric.predict(points, shape)
                elif np.shape(geometric) != points.shape:
                    raise ValueError(
                        f"lifted geometric offsets {np.shape(geometric)} for {len(points)} points")
            _, feeds = self._feeds(points, geometric, figure)
        (lengths,) = self._run(run, [LENGTH_OUTPUT], feeds)
        if lengths.shape != (groups, len(self.bone_lengths)):
            raise ModelError(
                f"{self.path}: model returned bone length scores {lengths.shape} for {groups} groups "
                f"and {len(self.bone_lengths)} lengths"
            )
        return self.bone_lengths[int(np.argmax(lengths.mean(axis=0)))]

    def predict_parts(
        self, shape: LiftedShape, lifted: Prediction | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """((M, P) part probabilities of the lifted shape's points, (Q,) body-plan probabilities
        averaged over its groups); a model with the part outputs only (`core.learned_parts`).
        `lifted` (`Contraction.lifted`) lends its geometric offsets, as to `choose_bone_length`."""
        points = np.asarray(shape.points, dtype=np.float32)
        if lifted is not None and lifted.parts is not None and len(lifted.parts) == len(points):
            return lifted.parts, lifted.body_plan  # read in the contraction's first run
        geometric = None
        if self._geometric is not None:
            geometric = None if lifted is None else lifted.geometric
            if geometric is None or np.shape(geometric) != points.shape:
                geometric = self._geometric.predict(points, shape)
        figure = np.zeros(len(self.figure_features), np.float32)  # read by the length output only
        order, feeds = self._feeds(points, geometric, figure)
        parts, plans = self._run(self._whole, [PART_OUTPUT, PLAN_OUTPUT], feeds)
        return self._parts(parts, plans, order, feeds)

    def _parts(
        self, parts: np.ndarray, plans: np.ndarray, order: np.ndarray, feeds: dict[str, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The part outputs of one run, checked, back in the points' order; the plan averaged over groups."""
        batch = feeds[INPUT]
        wanted = ((*batch.shape[:2], len(self.parts)), (len(batch), len(self.body_plans)))
        if (parts.shape, plans.shape) != wanted:
            raise ModelError(f"{self.path}: model returned part scores {parts.shape} and body plan scores "
                             f"{plans.shape} for input {batch.shape}")
        out = np.empty((len(order), len(self.parts)), dtype=np.float32)
        out[order] = parts.reshape(-1, len(self.parts))[: len(order)]
        return out, plans.mean(axis=0)

    def _feeds(
        self, points: np.ndarray, geometric: np.ndarray | None, figure: np.ndarray
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(order, feeds): the points (and their `geometric` offsets, for a model that reads them) as
        ceil(M / n) uniform subsamples of n, with the figure features where the model reads them; the
        k-th point of the flattened groups is point `order[k]` (k < M)."""
        order, index = group_order(len(points), self.expected_points, self.seed)
        groups = len(index)
        feeds = {INPUT: points[index]}
        if geometric is not None:
            feeds[GEOMETRIC_INPUT] = geometric[index]
        if FIGURE_INPUT in self.inputs:
            feeds[FIGURE_INPUT] = np.tile(np.asarray(figure, dtype=np.float32), (groups, 1))
        return order, feeds

    def _run(self, run: _Session, outputs: list[str], feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        """The outputs for all groups from the feeds `run` reads, RUN_POINTS points at a time; damaged
        weights (NaN or infinity in a declared output) are refused here, once for every caller."""
        feeds = {name: value for name, value in feeds.items() if name in run.inputs}
        groups = len(next(iter(feeds.values())))
        chunk = max(1, RUN_POINTS // self.expected_points)
        parts = []
        for start in range(0, groups, chunk):
            part = {name: value[start : start + chunk] for name, value in feeds.items()}
            try:
                parts.append(run.session.run(outputs, part))
            except Exception as exc:  # noqa: BLE001 - a graph that fails on valid input: the file is at fault
                raise ModelError(f"{self.path}: model failed to run ({_reason(exc)})") from None
        results = [np.concatenate(values) if len(values) > 1 else values[0] for values in zip(*parts)]
        for name, value in zip(outputs, results):
            if name in self.outputs and not np.isfinite(value).all():
                raise ModelError(
                    f"{self.path}: model returned non-finite {name.replace('_', ' ')} (NaN or infinity): "
                    "its weights are damaged; download or export it again"
                )
        return results


def load_predictor(path: str | os.PathLike) -> OnnxPredictor:
    """The predictor for a model file, created once per file (and again only if the file changes)."""
    resolved = Path(path).expanduser().resolve()
    info = _checked_file(resolved)
    return _cached(str(resolved), info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=4)
def _cached(path: str, mtime_ns: int, size: int) -> OnnxPredictor:
    return OnnxPredictor(path)
