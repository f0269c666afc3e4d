"""The RigNet dataset format (Xu et al. 2020, ModelsResource-RigNetv1), read and written exactly.

A dataset folder holds `obj/<id>.obj` (meshes), `rig_info/<id>.txt` (rigs) and the split lists
`train_final.txt`, `val_final.txt`, `test_final.txt` (one id per line; RigNet's ids are integers).
A rig file has one whitespace-separated record per line, in any order (RigNet's own writer emits
joints, root, skin, hier):

    joints <name> <x> <y> <z>                   a joint position (mesh units, Y up)
    root <name>                                 the one parentless joint
    skin <vertex> <joint> <weight> [<joint> <weight> ...]
                                                weights of a 0-based OBJ vertex; a bone is named by
                                                its start joint, so leaf joints carry no weight
    hier <parent> <child>                       one bone

Joints are stored parents-first (the root is joint 0); when a file lists joints in another order,
they are reordered as little as possible (file order wherever the hierarchy allows). Writers use
Python's shortest round-trip float text, so what `write_*` writes reads back bit-identical.
Malformed files raise `DatasetError` naming the file and line.
"""
from __future__ import annotations

import heapq
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from pointskel_blender.core.files import write_text_atomic

from . import DatasetError

SPLITS = ("train", "val", "test")
MESH_DIR = "obj"
RIG_DIR = "rig_info"


@dataclass(frozen=True, eq=False)
class Mesh:
    vertices: np.ndarray  # (V, 3) float64
    faces: np.ndarray  # (F, 3) int64, 0-based triangles

    def __post_init__(self) -> None:
        v, f = self.vertices, self.faces
        if v.ndim != 2 or v.shape[1] != 3 or f.ndim != 2 or f.shape[1] != 3:
            raise DatasetError(f"a mesh needs (V, 3) vertices and (F, 3) faces, got {v.shape} and {f.shape}")
        if f.size and (f.min() < 0 or f.max() >= len(v)):
            raise DatasetError(f"mesh faces index vertices outside 0..{len(v) - 1}")


@dataclass(frozen=True, eq=False)
class Skin:
    """Sparse skin weights as (vertex, joint, weight) triples, grouped by vertex."""

    vertex: np.ndarray  # (K,) int64, 0-based mesh vertex
    joint: np.ndarray  # (K,) int64, index into Rig.names
    weight: np.ndarray  # (K,) float64

    def dense(self, vertices: int, joints: int) -> np.ndarray:
        """(vertices, joints) weight matrix; vertices without a record have all-zero rows."""
        out = np.zeros((vertices, joints))
        out[self.vertex, self.joint] = self.weight
        return out


@dataclass(frozen=True, eq=False)
class Rig:
    names: tuple[str, ...]
    positions: np.ndarray  # (J, 3) float64
    parents: np.ndarray  # (J,) int64, -1 for the root (joint 0); parents come before children
    skin: Skin

    def __post_init__(self) -> None:
        j = len(self.names)
        if j == 0 or self.positions.shape != (j, 3) or self.parents.shape != (j,):
            raise DatasetError(f"a rig needs J >= 1 names, (J, 3) positions and (J,) parents; got {j}, "
                               f"{self.positions.shape}, {self.parents.shape}")
        if len(set(self.names)) != j or any(len(n.split()) != 1 or n != n.strip() for n in self.names):
            raise DatasetError("rig joint names must be unique, non-empty and without whitespace")
        later = self.parents[1:] >= np.arange(1, j)
        if self.parents[0] != -1 or np.any(self.parents[1:] < 0) or np.any(later):
            raise DatasetError("rig joints must be parents-first with the single root at index 0")
        if not np.all(np.isfinite(self.positions)):
            raise DatasetError("rig joint positions must be finite")
        s = self.skin
        if not (s.vertex.shape == s.joint.shape == s.weight.shape) or s.vertex.ndim != 1:
            raise DatasetError("skin vertex, joint and weight arrays must have the same (K,) shape")
        if s.joint.size and (s.joint.min() < 0 or s.joint.max() >= j or s.vertex.min() < 0):
            raise DatasetError("skin weights name a joint or vertex that does not exist")

    @property
    def bones(self) -> np.ndarray:
        """(J - 1, 2) int64 (parent, child) pairs, in child order."""
        child = np.arange(1, len(self.names))
        return np.stack([self.parents[1:], child], axis=1)


def _fail(path: Path, line: int, message: str) -> DatasetError:
    return DatasetError(f"{path}:{line}: {message}")


def _read_lines(path: str | os.PathLike) -> tuple[Path, list[str]]:
    p = Path(path)
    try:
        return p, p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DatasetError(f"{p}: no such file") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise DatasetError(f"{p}: cannot be read as text ({exc})") from None


def _float(text: str, path: Path, line: int, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _fail(path, line, f"{what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise _fail(path, line, f"{what} {text!r} is not finite")
    return value


def _int(text: str, path: Path, line: int, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise _fail(path, line, f"{what} {text!r} is not an integer") from None


def _format(record: str, rows: np.ndarray) -> str:
    """`record` (a %-format for one line) filled from each row of an object array, in one pass.

    Floats print with `%r`, Python's shortest text that reads back to the same float64, so files
    round-trip exactly.
    """
    return (record * len(rows)) % tuple(rows.ravel().tolist())


def _floats(values: np.ndarray) -> np.ndarray:
    out = np.empty(values.shape, dtype=object)
    out[...] = np.asarray(values, dtype=np.float64).tolist()  # Python floats: %r of numpy floats differs
    return out


# --- meshes -------------------------------------------------------------------------------------

def read_obj(path: str | os.PathLike) -> Mesh:
    """Vertices and faces of a Wavefront OBJ; polygons are fan-triangulated, other records ignored.

    Face corners may be `v`, `v/vt`, `v/vt/vn` or `v//vn`; negative indices count back from the
    last vertex defined before the face, as the OBJ specification says.
    """
    p, lines = _read_lines(path)
    fast = _read_plain_obj(lines)
    if fast is not None:
        return fast
    vertices: list[tuple[float, float, float]] = []
    corners: list[int] = []  # flattened triangles, 0-based
    face_lines: list[int] = []  # source line of each triangle, for range errors
    for number, text in enumerate(lines, 1):
        fields = text.split()
        if not fields:
            continue
        if fields[0] == "v":
            if len(fields) < 4:
                raise _fail(p, number, f"a vertex needs 3 coordinates, found {len(fields) - 1}")
            vertices.append(tuple(_float(t, p, number, "vertex coordinate") for t in fields[1:4]))
        elif fields[0] == "f":
            if len(fields) < 4:
                raise _fail(p, number, f"a face needs at least 3 vertices, found {len(fields) - 1}")
            refs = []
            for corner in fields[1:]:
                index = _int(corner.split("/", 1)[0], p, number, "face vertex index")
                if index == 0:
                    raise _fail(p, number, "face vertex index 0 is invalid (OBJ indices start at 1)")
                resolved = len(vertices) + index if index < 0 else index - 1
                if resolved < 0:
                    raise _fail(p, number, f"face vertex index {index} points before the first vertex")
                refs.append(resolved)
            for k in range(1, len(refs) - 1):
                corners += (refs[0], refs[k], refs[k + 1])
                face_lines.append(number)
    if not vertices or not corners:
        raise DatasetError(f"{p}: no {'vertices' if not vertices else 'faces'} found")
    faces = np.asarray(corners, dtype=np.int64).reshape(-1, 3)
    bad = np.flatnonzero(np.any(faces >= len(vertices), axis=1))
    if bad.size:
        raise _fail(p, face_lines[bad[0]], f"face vertex index {faces[bad[0]].max() + 1} is out of range "
                                           f"(the file has {len(vertices)} vertices)")
    return Mesh(np.asarray(vertices, dtype=np.float64), faces)


def _numbers(lines: list[str], kind: str, dtype: type) -> np.ndarray | None:
    """(n, 3) numbers of the `kind` lines when each is exactly `kind a b c`, else None."""
    chosen = [t for t in lines if t.startswith(kind + " ")]
    tokens = " ".join(chosen).split()
    # every line starts with its keyword, so keywords at every 4th token mean every line has 4 tokens
    if len(tokens) != 4 * len(chosen) or tokens[::4].count(kind) != len(chosen):
        return None
    del tokens[::4]
    try:
        return np.array(tokens, dtype=dtype).reshape(-1, 3)
    except ValueError:
        return None


def _read_plain_obj(lines: list[str]) -> Mesh | None:
    """The common case in a few array operations: `v x y z` and `f a b c` with positive plain indices.

    None when anything else is there (polygons, slashes, negative indices, odd spacing, errors):
    the line-by-line reader then handles it or says exactly what is wrong.
    """
    vertices, faces = _numbers(lines, "v", np.float64), _numbers(lines, "f", np.int64)
    if vertices is None or faces is None or not len(vertices) or not len(faces):
        return None
    if any(t.split(None, 1)[0] in ("v", "f") for t in lines if t.strip() and not t.startswith(("v ", "f "))):
        return None
    faces -= 1
    if not np.all(np.isfinite(vertices)) or faces.min() < 0 or faces.max() >= len(vertices):
        return None
    return Mesh(vertices, faces)


def write_obj(path: str | os.PathLike, mesh: Mesh) -> None:
    faces = (mesh.faces.astype(np.int64) + 1).astype(object)
    write_text_atomic(path, _format("v %r %r %r\n", _floats(mesh.vertices)) + _format("f %d %d %d\n", faces))


# --- rigs ---------------------------------------------------------------------------------------

_FIELDS = {"joints": 5, "root": 2, "hier": 3}


def read_rig(path: str | os.PathLike, *, vertices: int | None = None) -> Rig:
    """A rig_info file; `vertices` (the mesh's vertex count) also range-checks the skin records."""
    p, lines = _read_lines(path)
    joint_index: dict[str, int] = {}
    joint_lines: list[int] = []
    positions: list[tuple[float, float, float]] = []
    roots: list[tuple[int, str]] = []
    hiers: list[tuple[int, str, str]] = []
    skins: list[tuple[int, list[str]]] = []
    for number, text in enumerate(lines, 1):
        fields = text.split()
        if not fields:
            continue
        kind = fields[0]
        if kind in _FIELDS and len(fields) != _FIELDS[kind]:
            expected = _FIELDS[kind] - 1
            raise _fail(p, number, f"a {kind!r} record takes {expected} fields, found {len(fields) - 1}")
        if kind == "joints":
            name = fields[1]
            if name in joint_index:
                first = joint_lines[joint_index[name]]
                raise _fail(p, number, f"joint {name!r} is defined twice (first on line {first})")
            joint_index[name] = len(positions)
            joint_lines.append(number)
            positions.append(tuple(_float(t, p, number, "joint coordinate") for t in fields[2:5]))
        elif kind == "root":
            roots.append((number, fields[1]))
        elif kind == "hier":
            hiers.append((number, fields[1], fields[2]))
        elif kind == "skin":
            if len(fields) < 4 or len(fields) % 2:
                raise _fail(p, number, "a 'skin' record needs a vertex index and then <joint> <weight> pairs")
            skins.append((number, fields))
        else:
            raise _fail(p, number, f"unknown record {kind!r} (expected joints, root, hier or skin)")

    def lookup(name: str, number: int, role: str) -> int:
        if name not in joint_index:
            raise _fail(p, number, f"{role} {name!r} is not a defined joint")
        return joint_index[name]

    if not positions:
        raise DatasetError(f"{p}: no 'joints' records")
    if not roots:
        raise DatasetError(f"{p}: no 'root' record")
    if len(roots) > 1:
        raise _fail(p, roots[1][0], f"a second 'root' record (the first is on line {roots[0][0]})")
    root = lookup(roots[0][1], roots[0][0], "root")

    count = len(positions)
    file_names = list(joint_index)
    parent = np.full(count, -1, dtype=np.int64)
    hier_line = np.zeros(count, dtype=np.int64)
    for number, parent_name, child_name in hiers:
        pi, ci = lookup(parent_name, number, "parent"), lookup(child_name, number, "child")
        if ci == root:
            raise _fail(p, number, f"the root joint {child_name!r} cannot have a parent")
        if pi == ci:
            raise _fail(p, number, f"joint {child_name!r} is its own parent")
        if parent[ci] >= 0:
            raise _fail(p, number, f"joint {child_name!r} has a second parent "
                                   f"(the first is on line {hier_line[ci]})")
        parent[ci], hier_line[ci] = pi, number
    orphans = [i for i in range(count) if i != root and parent[i] < 0]
    if orphans:
        raise _fail(p, joint_lines[orphans[0]], f"joint {file_names[orphans[0]]!r} has no parent but is "
                                                "not the root (a rig has exactly one root)")

    order = _parents_first(parent, root)
    if len(order) < count:
        reached = set(order)
        joint = next(i for i in range(count) if i not in reached)
        seen: list[int] = []
        while joint not in seen:  # walk up until the walk repeats: that joint is on the cycle
            seen.append(joint)
            joint = int(parent[joint])
        cycle = [joint] + seen[seen.index(joint) + 1:][::-1] + [joint]  # parent -> child, closing the loop
        loop = " -> ".join(file_names[i] for i in cycle)
        raise _fail(p, int(hier_line[joint]), f"the hierarchy has a cycle: {loop}")

    new_index = np.empty(count, dtype=np.int64)
    new_index[order] = np.arange(count)
    new_parents = np.where(parent[order] < 0, -1, new_index[np.maximum(parent[order], 0)])
    names = [file_names[i] for i in order]
    skin = _parse_skin(p, skins, joint_index, new_index, vertices)
    return Rig(tuple(names), np.asarray(positions, dtype=np.float64)[order], new_parents, skin)


def _parents_first(parent: np.ndarray, root: int) -> list[int]:
    """Topological order from the root, taking the earliest joint in file order whenever possible."""
    children: list[list[int]] = [[] for _ in range(len(parent))]
    for child, par in enumerate(parent.tolist()):
        if par >= 0:
            children[par].append(child)
    order, ready = [], [root]
    while ready:
        joint = heapq.heappop(ready)
        order.append(joint)
        for child in children[joint]:
            heapq.heappush(ready, child)
    return order


def _parse_skin(p: Path, skins: list[tuple[int, list[str]]], joint_index: dict[str, int],
                new_index: np.ndarray, vertices: int | None) -> Skin:
    fast = _skin_arrays(skins, joint_index, new_index, vertices)
    if fast is not None:
        return fast
    vertex_ids, joint_ids, weights = [], [], []
    vertex_line: dict[int, int] = {}
    for number, fields in sorted(skins, key=lambda item: _int(item[1][1], p, item[0], "skin vertex index")):
        vertex = _int(fields[1], p, number, "skin vertex index")
        if vertex < 0 or (vertices is not None and vertex >= vertices):
            limit = "" if vertices is None else f" (the mesh has {vertices} vertices)"
            raise _fail(p, number, f"skin vertex index {vertex} is out of range{limit}")
        if vertex in vertex_line:
            raise _fail(p, number, f"vertex {vertex} already has skin weights on line {vertex_line[vertex]}")
        vertex_line[vertex] = number
        seen: set[int] = set()
        for name, weight_text in zip(fields[2::2], fields[3::2]):
            if name not in joint_index:
                raise _fail(p, number, f"skin joint {name!r} is not a defined joint")
            joint = int(new_index[joint_index[name]])
            if joint in seen:
                raise _fail(p, number, f"joint {name!r} is listed twice for vertex {vertex}")
            seen.add(joint)
            weight = _float(weight_text, p, number, "skin weight")
            if weight < 0:
                raise _fail(p, number, f"skin weight {weight_text} is negative")
            vertex_ids.append(vertex)
            joint_ids.append(joint)
            weights.append(weight)
    return Skin(np.asarray(vertex_ids, dtype=np.int64), np.asarray(joint_ids, dtype=np.int64),
                np.asarray(weights, dtype=np.float64))


def _skin_arrays(skins: list[tuple[int, list[str]]], joint_index: dict[str, int], new_index: np.ndarray,
                 vertices: int | None) -> Skin | None:
    """All skin records in a few array operations; None at any sign of trouble, so that the
    record-by-record parser can name the offending line."""
    counts = [(len(fields) - 2) // 2 for _, fields in skins]
    try:
        vertex = np.array([fields[1] for _, fields in skins], dtype=np.int64)
        weight = np.array([w for _, fields in skins for w in fields[3::2]], dtype=np.float64)
    except ValueError:
        return None
    joint = np.array([joint_index.get(n, -1) for _, fields in skins for n in fields[2::2]], dtype=np.int64)
    entry_vertex = np.repeat(vertex, counts)
    if len(vertex) and (joint.min() < 0 or vertex.min() < 0 or not np.all(np.isfinite(weight))
                        or weight.min() < 0 or (vertices is not None and vertex.max() >= vertices)):
        return None
    pairs = entry_vertex * len(new_index) + joint
    if len(np.unique(vertex)) < len(vertex) or len(np.unique(pairs)) < len(joint):
        return None  # a vertex listed twice, or a joint listed twice for one vertex
    order = np.argsort(entry_vertex, kind="stable")
    return Skin(entry_vertex[order], new_index[joint[order]], weight[order])


def write_rig(path: str | os.PathLike, rig: Rig) -> None:
    """RigNet's record order: joints, root, skin (by vertex), hier (parents first)."""
    names = np.array(rig.names, dtype=object)
    joints = np.concatenate([names[:, None], _floats(rig.positions)], axis=1)
    bones = names[rig.bones]
    text = _format("joints %s %r %r %r\n", joints) + f"root {rig.names[0]}\n"
    write_text_atomic(path, text + _skin_text(rig.skin, names) + _format("hier %s %s\n", bones))


def _skin_text(skin: Skin, names: np.ndarray) -> str:
    """One `skin` line per vertex, in vertex order; vertices with k weights are formatted together."""
    order = np.argsort(skin.vertex, kind="stable")
    vertex, joint, weight = skin.vertex[order], skin.joint[order], _floats(skin.weight[order])
    if not len(vertex):
        return ""
    starts = np.flatnonzero(np.r_[True, vertex[1:] != vertex[:-1]])
    counts = np.diff(np.r_[starts, len(vertex)])
    lines = np.empty(len(starts), dtype=object)
    for k in np.unique(counts).tolist():
        rows = np.flatnonzero(counts == k)
        entries = starts[rows, None] + np.arange(k)
        values = np.empty((len(rows), 1 + 2 * k), dtype=object)
        values[:, 0] = vertex[starts[rows]].tolist()
        values[:, 1::2] = names[joint[entries]]
        values[:, 2::2] = weight[entries]
        lines[rows] = _format("skin %d" + " %s %r" * k + "\n", values).splitlines(keepends=True)
    return "".join(lines.tolist())


# --- splits and datasets ------------------------------------------------------------------------

def _split_path(dataset_dir: str | os.PathLike, split: str) -> Path:
    if split not in SPLITS:
        raise DatasetError(f"unknown split {split!r} (expected one of {', '.join(SPLITS)})")
    return Path(dataset_dir) / f"{split}_final.txt"


def read_split(dataset_dir: str | os.PathLike, split: str) -> list[str]:
    p, lines = _read_lines(_split_path(dataset_dir, split))
    ids: list[str] = []
    first: dict[str, int] = {}
    for number, text in enumerate(lines, 1):
        fields = text.split()
        if not fields:
            continue
        if len(fields) != 1:
            raise _fail(p, number, f"expected one id per line, found {len(fields)} fields")
        if fields[0] in first:
            raise _fail(p, number, f"id {fields[0]!r} is listed twice (first on line {first[fields[0]]})")
        first[fields[0]] = number
        ids.append(fields[0])
    return ids


def write_split(dataset_dir: str | os.PathLike, split: str, ids: Sequence[str]) -> None:
    write_text_atomic(_split_path(dataset_dir, split), "".join(f"{i}\n" for i in ids))


def _id_key(name: str) -> tuple[int, int, str]:
    return (0, int(name), "") if name.isdigit() else (1, 0, name)


class RigNetDataset:
    """A RigNet-format folder: one split's ids, or (split=None) every mesh in the mesh folder.

    `mesh_dir`/`rig_dir` select RigNet's other variants, e.g. `obj_remesh` and `rig_info_remesh`.
    Iterating yields `(id, mesh, rig)`, loading each pair on demand.
    """

    def __init__(self, dataset_dir: str | os.PathLike, split: str | None = None, *,
                 mesh_dir: str = MESH_DIR, rig_dir: str = RIG_DIR) -> None:
        self.root = Path(dataset_dir)
        if not self.root.is_dir():
            raise DatasetError(f"{self.root}: no such dataset folder")
        self.mesh_dir, self.rig_dir = self.root / mesh_dir, self.root / rig_dir
        if split is not None:
            self.ids = tuple(read_split(self.root, split))
        else:
            self.ids = tuple(sorted((f.stem for f in self.mesh_dir.glob("*.obj")), key=_id_key))

    def mesh_path(self, item: str) -> Path:
        return self.mesh_dir / f"{item}.obj"

    def rig_path(self, item: str) -> Path:
        return self.rig_dir / f"{item}.txt"

    def load(self, item: str) -> tuple[Mesh, Rig]:
        mesh = read_obj(self.mesh_path(item))
        return mesh, read_rig(self.rig_path(item), vertices=len(mesh.vertices))

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[tuple[str, Mesh, Rig]]:
        for item in self.ids:
            yield (item, *self.load(item))
