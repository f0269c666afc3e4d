"""No import cycles among the add-on's and the trainer's modules.

The graph is read from the source (every import statement, also those inside functions and under
`TYPE_CHECKING`: a cycle hidden in a function is still two modules that need each other), so the
test needs neither `bpy` nor torch.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("pointskel_blender", "trainer")


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of PACKAGES (a package is its __init__)."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of `modules` that module `name` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            stem = node.module or ""
            base = stem if node.level == 0 else ".".join(p for p in (base, stem) if p)
            # `from package import module` imports the module; `from module import name`, the module.
            targets = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
            targets = targets or [base]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def import_cycles() -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), sorted."""
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(cycles)


def test_the_reader_finds_a_cycle_in_the_graph_it_builds(tmp_path, monkeypatch) -> None:
    """The walker itself: two modules importing each other (one inside a function) are one cycle."""
    package = tmp_path / "trainer"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import thing\n")
    (package / "b.py").write_text("def thing():\n    from trainer import a\n")
    (package / "c.py").write_text("from trainer.a import thing\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.PACKAGES", ("trainer",))
    assert import_cycles() == [["trainer.a", "trainer.b"]]


def test_the_addon_and_the_trainer_have_no_import_cycles() -> None:
    assert import_cycles() == []
