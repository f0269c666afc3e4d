"""A model file's graph cut, in memory, into the smaller graphs each of the predictor's runs needs.

onnxruntime runs every node of a graph whatever outputs a caller asks for, so a run for the offsets
alone also pays for the part head, and the bone-length choice, which needs only a small head on the
network's pooled feature and the figure input, pays for the whole network again. This module reads
the ONNX file's protobuf (only the fields it needs: which node reads and makes which tensor, the
initializers', inputs' and outputs' names) and writes back models of the same bytes with only the
nodes some wanted output needs (`ModelGraph.subgraph`), where named tensors may become outputs or be
cut loose as inputs. The file on disk is never changed; nothing here needs the `onnx` package, which
the add-on does not ship. Graphs it cannot cut safely (nested graphs, whose nodes read outer tensors
by name only; data outside the file) say so (`cuttable`), and the predictor then runs the file whole.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Field numbers of onnx.proto3 (stable since IR version 1).
MODEL_GRAPH = 7
GRAPH_NODE, GRAPH_INITIALIZER, GRAPH_INPUT, GRAPH_OUTPUT, GRAPH_VALUE_INFO = 1, 5, 11, 12, 13
GRAPH_SPARSE_INITIALIZER = 15
NODE_INPUT, NODE_OUTPUT, NODE_ATTRIBUTE = 1, 2, 5
ATTRIBUTE_GRAPH, ATTRIBUTE_GRAPHS = 6, 11
TENSOR_NAME, TENSOR_DATA_LOCATION = 8, 14
VALUE_NAME, VALUE_TYPE = 1, 2
TYPE_TENSOR, TENSOR_ELEM_TYPE = 1, 1
FLOAT = 1  # TensorProto.FLOAT
EXTERNAL = 1  # TensorProto.EXTERNAL


class WireError(ValueError):
    """The bytes are not a protobuf message this reader understands."""


@dataclass(frozen=True)
class _Field:
    number: int
    value: int | bytes  # varint or fixed-width ints as int, length-delimited as bytes
    raw: bytes  # the field as it was written, key included


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data) or shift > 63:
            raise WireError("truncated or overlong varint")
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at, shift = at + 1, shift + 7
        if byte < 0x80:
            return value, at


def _fields(data: bytes) -> Iterator[_Field]:
    at = 0
    while at < len(data):
        start = at
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(data, at)
        elif wire == 2:
            size, at = _varint(data, at)
            value, at = data[at : at + size], at + size
            if at > len(data):
                raise WireError("truncated field")
        elif wire in (1, 5):
            width = 8 if wire == 1 else 4
            value, at = int.from_bytes(data[at : at + width], "little"), at + width
        else:
            raise WireError(f"unsupported wire type {wire}")
        yield _Field(number, value, data[start:at])


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _message(number: int, payload: bytes) -> bytes:
    """A length-delimited field (a string or an embedded message)."""
    return _encode_varint(number << 3 | 2) + _encode_varint(len(payload)) + payload


def _strings(data: bytes, number: int) -> list[str]:
    return [f.value.decode() for f in _fields(data) if f.number == number]


def _float_tensor(name: str) -> bytes:
    """A graph input or output: a float tensor of any shape (a model whose tensor there is not float
    fails to load, and the predictor runs the file whole)."""
    elem = _encode_varint(TENSOR_ELEM_TYPE << 3) + _encode_varint(FLOAT)
    return _message(VALUE_NAME, name.encode()) + _message(VALUE_TYPE, _message(TYPE_TENSOR, elem))


@dataclass(frozen=True)
class _Node:
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    nested: bool  # has a graph attribute (If, Loop, Scan): reads tensors its inputs do not name


class ModelGraph:
    """The graph of an ONNX model's bytes: nodes in file order, the tensors each reads and makes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._model = list(_fields(data))
        graphs = [f for f in self._model if f.number == MODEL_GRAPH]
        if len(graphs) != 1:
            raise WireError(f"expected one graph, found {len(graphs)}")
        self._graph = list(_fields(graphs[0].value))
        self.nodes: list[_Node] = []
        self.external = False
        for field in self._graph:
            if field.number == GRAPH_NODE:
                node = list(_fields(field.value))
                nested = any(a.number in (ATTRIBUTE_GRAPH, ATTRIBUTE_GRAPHS)
                             for f in node if f.number == NODE_ATTRIBUTE for a in _fields(f.value))
                self.nodes.append(_Node(tuple(f.value.decode() for f in node if f.number == NODE_INPUT),
                                        tuple(f.value.decode() for f in node if f.number == NODE_OUTPUT),
                                        nested))
            elif field.number == GRAPH_INITIALIZER:
                self.external |= any(f.number == TENSOR_DATA_LOCATION and f.value == EXTERNAL
                                     for f in _fields(field.value))
            elif field.number == GRAPH_SPARSE_INITIALIZER:
                self.external = True  # not read here: treat as uncuttable
        initializers = {n for f in self._graph if f.number == GRAPH_INITIALIZER
                        for n in _strings(f.value, TENSOR_NAME)}
        # An older file lists its initializers among the inputs too; they are constants here.
        self.inputs = [n for f in self._graph if f.number == GRAPH_INPUT
                       for n in _strings(f.value, VALUE_NAME) if n not in initializers]
        self.outputs = [n for f in self._graph if f.number == GRAPH_OUTPUT
                        for n in _strings(f.value, VALUE_NAME)]
        self._maker = {name: i for i, node in enumerate(self.nodes) for name in node.outputs if name}

    @property
    def cuttable(self) -> bool:
        return not self.external and not any(node.nested for node in self.nodes)

    def needed(self, outputs: Sequence[str], cut: Sequence[str] = ()) -> list[int]:
        """Indexes, in file order, of the nodes that `outputs` need when the tensors `cut` are given."""
        keep: set[int] = set()
        stack = [name for name in outputs if name not in cut]
        while stack:
            i = self._maker.get(stack.pop())
            if i is None or i in keep:
                continue
            keep.add(i)
            stack.extend(name for name in self.nodes[i].inputs if name and name not in cut)
        return sorted(keep)

    def reads(self, nodes: Sequence[int]) -> set[str]:
        return {name for i in nodes for name in self.nodes[i].inputs if name}

    def frontier(self, output: str, source: str) -> tuple[str, ...]:
        """The tensors `output` reads that other graph inputs than `source` make: where its head, the
        nodes that depend on `source` and the constants they read, joins the rest of the graph. So
        `subgraph([output], cut=frontier)` computes `output` from the frontier and `source` alone."""
        depends: dict[str, frozenset[str]] = {name: frozenset([name]) for name in self.inputs}
        for node in self.nodes:
            found = frozenset().union(*(depends.get(name, frozenset()) for name in node.inputs))
            depends.update((name, found) for name in node.outputs)
        head = [i for i in self.needed([output]) if source in depends.get(self.nodes[i].outputs[0], ())]
        return tuple(sorted({name for name in self.reads(head)
                             if depends.get(name) and source not in depends[name]}))

    def subgraph(self, outputs: Sequence[str], cut: Sequence[str] = ()) -> bytes:
        """The model with only the nodes `outputs` need, the tensors `cut` as float inputs, and every
        name in `outputs` (the graph's own or any inner tensor) as an output, in that order."""
        nodes = self.needed(outputs, cut)
        reads = self.reads(nodes) | set(outputs)
        made = {name for i in nodes for name in self.nodes[i].outputs}
        graph: list[bytes] = []
        index = 0
        declared_outputs: dict[str, bytes] = {}
        for field in self._graph:
            if field.number == GRAPH_NODE:
                if index in nodes:
                    graph.append(field.raw)
                index += 1
            elif field.number == GRAPH_INITIALIZER:
                if _strings(field.value, TENSOR_NAME)[0] in reads:
                    graph.append(field.raw)
            elif field.number == GRAPH_INPUT:
                if _strings(field.value, VALUE_NAME)[0] in reads - set(cut):
                    graph.append(field.raw)
            elif field.number == GRAPH_OUTPUT:
                declared_outputs[_strings(field.value, VALUE_NAME)[0]] = field.raw
            elif field.number == GRAPH_VALUE_INFO:
                if _strings(field.value, VALUE_NAME)[0] in made:
                    graph.append(field.raw)
            else:
                graph.append(field.raw)
        graph += [_message(GRAPH_INPUT, _float_tensor(name)) for name in cut]
        graph += [declared_outputs.get(name) or _message(GRAPH_OUTPUT, _float_tensor(name))
                  for name in outputs]
        model = [_message(MODEL_GRAPH, b"".join(graph)) if f.number == MODEL_GRAPH else f.raw
                 for f in self._model]
        return b"".join(model)
