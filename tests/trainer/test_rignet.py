"""RigNet format: reading files laid out the way RigNet writes them, exact round trips, clear errors."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from trainer import DatasetError
from trainer.rignet import (Mesh, RigNetDataset, read_obj, read_rig, read_split, write_obj, write_rig,
                            write_split)

# RigNet's writer layout: joints (8 decimals, here not parents-first), root, skin (4 decimals, trailing
# space), hier breadth-first.
RIG_TEXT = "".join(line + "\n" for line in [
    "joints root 0.00000000 0.50000000 0.00000000",
    "joints spine 0.00000000 0.80000000 0.00000000",
    "joints hand_L 0.50000000 0.80000000 0.00000000",
    "joints arm_L 0.30000000 0.80000000 0.00000000",
    "joints leg_L 0.10000000 0.00000000 0.00000000",
    "root root",
    "skin 0 root 1.0000 ",
    "skin 2 spine 0.6000 arm_L 0.4000 ",
    "skin 1 root 0.5000 spine 0.5000 ",
    "hier root spine",
    "hier root leg_L",
    "hier spine arm_L",
    "hier arm_L hand_L",
])

OBJ_TEXT = """\
# a quad and a triangle, with texture/normal indices and a negative index
mtllib thing.mtl
o thing
v 0 0 0
v 1 0 0
vt 0 0
vn 0 0 1
v 1 1 0
v 0 1 0
usemtl skin
s off
f 1/1/1 2/1/1 3/1/1 4/1/1
v 0 0 1
f -1//1 1//1 2//1
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_rignet_layout_parents_first(tmp_path: Path) -> None:
    rig = read_rig(_write(tmp_path / "r.txt", RIG_TEXT))
    assert rig.names == ("root", "spine", "arm_L", "hand_L", "leg_L")
    assert rig.parents.tolist() == [-1, 0, 1, 2, 0]
    assert np.allclose(rig.positions[rig.names.index("hand_L")], [0.5, 0.8, 0.0])
    dense = rig.skin.dense(3, len(rig.names))
    assert np.allclose(dense, [[1, 0, 0, 0, 0], [0.5, 0.5, 0, 0, 0], [0, 0.6, 0.4, 0, 0]])
    assert rig.bones.tolist() == [[0, 1], [1, 2], [2, 3], [0, 4]]


def test_reads_obj_polygons_and_index_forms(tmp_path: Path) -> None:
    mesh = read_obj(_write(tmp_path / "m.obj", OBJ_TEXT))
    assert mesh.vertices.shape == (5, 3)
    assert mesh.faces.tolist() == [[0, 1, 2], [0, 2, 3], [4, 0, 1]]


def test_plain_and_general_obj_forms_agree(tmp_path: Path) -> None:
    plain = "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 3\nf 1 3 4\n"
    general = "# same mesh\nv 0 0 0\nv 1 0 0\nvn 0 0 1\n  v 1 1 0\nv 0 1 0\nf 1//1 2//1 3//1\nf -4 -2 -1\n"
    a, b = read_obj(_write(tmp_path / "a.obj", plain)), read_obj(_write(tmp_path / "b.obj", general))
    assert np.array_equal(a.vertices, b.vertices) and np.array_equal(a.faces, b.faces)
    assert a.faces.tolist() == [[0, 1, 2], [0, 2, 3]]


def test_written_files_read_back_identically(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    mesh = Mesh(rng.normal(size=(7, 3)), rng.integers(0, 7, size=(5, 3)))
    rig = read_rig(_write(tmp_path / "r.txt", RIG_TEXT))
    write_obj(tmp_path / "obj" / "12.obj", mesh)
    write_rig(tmp_path / "rig_info" / "12.txt", rig)
    write_split(tmp_path, "train", ["12"])
    write_split(tmp_path, "val", [])
    dataset = RigNetDataset(tmp_path, "train")
    assert read_split(tmp_path, "val") == []
    [(item, mesh2, rig2)] = list(dataset)
    assert item == "12" and len(dataset) == 1
    assert np.array_equal(mesh2.vertices, mesh.vertices) and np.array_equal(mesh2.faces, mesh.faces)
    assert rig2.names == rig.names and np.array_equal(rig2.positions, rig.positions)
    assert np.array_equal(rig2.parents, rig.parents)
    for field in ("vertex", "joint", "weight"):
        assert np.array_equal(getattr(rig2.skin, field), getattr(rig.skin, field))
    first = (tmp_path / "rig_info" / "12.txt").read_bytes()
    write_rig(tmp_path / "again.txt", rig2)
    assert (tmp_path / "again.txt").read_bytes() == first
    assert RigNetDataset(tmp_path).ids == ("12",)  # no split: every mesh in obj/


def _replace(line: str, new: str) -> str:
    assert line in RIG_TEXT
    return RIG_TEXT.replace(line, new)


RIG_CASES = {
    "unknown record": (_replace("root root\n", "root root\nbone root spine\n"), 7, "unknown record 'bone'"),
    "field count": (_replace("joints leg_L 0.10000000 0.00000000 0.00000000", "joints leg_L 0.1 0.0"), 5,
                    "takes 4 fields"),
    "non-numeric": (_replace("joints arm_L 0.30000000", "joints arm_L 0.3x"), 4, "'0.3x' is not a number"),
    "non-finite": (_replace("joints arm_L 0.30000000", "joints arm_L nan"), 4, "not finite"),
    "duplicate joint": (_replace("joints leg_L", "joints spine"), 5, "defined twice"),
    "unknown hier joint": (_replace("hier arm_L hand_L", "hier arm_L finger_L"), 13, "'finger_L' is not"),
    "unknown root": (_replace("root root\n", "root hips\n"), 6, "root 'hips' is not a defined joint"),
    "two roots": (_replace("root root\n", "root root\nroot spine\n"), 7, "a second 'root' record"),
    "two parents": (RIG_TEXT + "hier leg_L hand_L\n", 14, "'hand_L' has a second parent"),
    "root with parent": (RIG_TEXT + "hier spine root\n", 14, "root joint 'root' cannot have a parent"),
    "orphan joint": (_replace("hier root leg_L\n", ""), 5, "'leg_L' has no parent but is not the root"),
    "cycle": (_replace("hier root spine\n", "hier hand_L spine\n"), 10, "spine -> arm_L -> hand_L -> spine"),
    "self parent": (_replace("hier root spine\n", "hier spine spine\n"), 10, "its own parent"),
    "skin joint": (_replace("skin 0 root 1.0000", "skin 0 tail 1.0"), 7, "skin joint 'tail'"),
    "skin pairs": (_replace("skin 0 root 1.0000", "skin 0 root"), 7, "<joint> <weight> pairs"),
    "skin index": (_replace("skin 0 root", "skin zero root"), 7, "'zero' is not an integer"),
    "skin weight": (_replace("skin 0 root 1.0000", "skin 0 root -1"), 7, "negative"),
    "skin repeated vertex": (_replace("skin 1 root", "skin 0 root"), 9, "already has skin weights on line 7"),
    "skin repeated joint": (_replace("skin 2 spine 0.6000 arm_L", "skin 2 spine 0.6 spine"), 8, "twice"),
}


@pytest.mark.parametrize("case", sorted(RIG_CASES))
def test_malformed_rig_names_file_and_line(tmp_path: Path, case: str) -> None:
    text, line, message = RIG_CASES[case]
    path = _write(tmp_path / "bad.txt", text)
    with pytest.raises(DatasetError, match=re.escape(f"{path}:{line}: ") + ".*" + re.escape(message)):
        read_rig(path)


def test_skin_vertex_beyond_mesh_names_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.txt", RIG_TEXT)
    with pytest.raises(DatasetError, match=re.escape(f"{path}:8: skin vertex index 2 is out of range")):
        read_rig(path, vertices=2)


def test_rig_without_root_record(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.txt", _replace("root root\n", ""))
    with pytest.raises(DatasetError, match=re.escape(f"{path}: no 'root' record")):
        read_rig(path)


OBJ_CASES = {
    "index out of range": (OBJ_TEXT.replace("f -1//1 1//1 2//1", "f 1 2 9"), 14, "index 9 is out of range"),
    "negative before start": (OBJ_TEXT.replace("f -1//1 1//1 2//1", "f -6 1 2"), 14, "points before"),
    "index zero": (OBJ_TEXT.replace("f -1//1 1//1 2//1", "f 0 1 2"), 14, "index 0 is invalid"),
    "two-vertex face": (OBJ_TEXT.replace("f -1//1 1//1 2//1", "f 1 2"), 14, "at least 3 vertices"),
    "bad coordinate": (OBJ_TEXT.replace("v 1 1 0", "v 1 one 0"), 8, "'one' is not a number"),
    "short vertex": (OBJ_TEXT.replace("v 1 1 0", "v 1 1"), 8, "needs 3 coordinates"),
    "bad index": (OBJ_TEXT.replace("f -1//1 1//1 2//1", "f a 1 2"), 14, "'a' is not an integer"),
}


@pytest.mark.parametrize("case", sorted(OBJ_CASES))
def test_malformed_obj_names_file_and_line(tmp_path: Path, case: str) -> None:
    text, line, message = OBJ_CASES[case]
    path = _write(tmp_path / "bad.obj", text)
    with pytest.raises(DatasetError, match=re.escape(f"{path}:{line}: ") + ".*" + re.escape(message)):
        read_obj(path)


def test_split_errors(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        read_split(tmp_path, "train")
    with pytest.raises(DatasetError, match="unknown split 'dev'"):
        read_split(tmp_path, "dev")
    path = _write(tmp_path / "test_final.txt", "1\n2\n\n1\n")
    with pytest.raises(DatasetError, match=re.escape(f"{path}:4: id '1' is listed twice")):
        read_split(tmp_path, "test")
    with pytest.raises(DatasetError, match="no such dataset folder"):
        RigNetDataset(tmp_path / "missing")
