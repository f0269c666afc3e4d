"""The add-on's folders are its layers: only the Blender layer (and the Blender batch job) imports `bpy`.

Read from the source (every import statement, also those inside functions), so the test needs no
Blender: `core` (image to skeleton) and `rig` (skeleton to rig geometry) must run, and be tested,
without it.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "pointskel_blender"
BLENDER_MODULES = {"bpy", "mathutils", "addon_utils", "bmesh", "bpy_extras"}
# The headless batch job is a command line that runs inside Blender.
BLENDER_FRONT_ENDS = {"cli/batch.py"}


def blender_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & BLENDER_MODULES


def test_only_the_blender_layer_imports_blender() -> None:
    outside = {path.relative_to(PACKAGE).as_posix(): sorted(blender_imports(path))
               for path in PACKAGE.rglob("*.py")
               if path.relative_to(PACKAGE).parts[0] != "blender"}
    assert {name: found for name, found in outside.items()
            if found and name not in BLENDER_FRONT_ENDS} == {}


def test_the_reader_sees_a_blender_import_inside_a_function(tmp_path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from mathutils import Vector\n    import bpy.ops\n")
    assert blender_imports(module) == {"bpy", "mathutils"}

