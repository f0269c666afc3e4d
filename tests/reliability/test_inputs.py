"""Issue 16, items 5 and 10: input collection that cannot hang, and shards that never overlap."""
from __future__ import annotations

import os
import threading

from reliability_cases import FAST, save_figure

from pointskel_blender.core import inputs
from pointskel_blender.core.inputs import Planned, expand_inputs, in_shard


def _expand_within(patterns: list[str], seconds: float = 20.0, **kwargs):
    """expand_inputs on a thread; a hang fails the test instead of stalling the suite."""
    box: dict = {}
    thread = threading.Thread(target=lambda: box.setdefault("found", expand_inputs(patterns, **kwargs)),
                              daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"expanding {patterns} did not finish in {seconds} s"
    return box["found"]


def test_a_recursive_glob_over_symlink_loops_ends_and_lists_each_file_once(tmp_path):
    root = tmp_path / "dir"
    save_figure(root / "a.png")
    save_figure(root / "sub" / "b.png")
    os.symlink(".", root / "loop")              # dir/loop -> dir
    os.symlink("..", root / "sub" / "up")       # dir/sub/up -> dir
    os.symlink(root / "sub", root / "again")    # a second way into sub
    os.symlink(root / "a.png", root / "sub" / "link.png")  # a file link: the same image again
    found = _expand_within([f"{root}/**/*.png"])
    assert sorted(os.path.relpath(path, root) for _, path in found) == ["a.png", "sub/b.png"]


def test_a_file_given_twice_or_by_two_patterns_runs_once(tmp_path):
    image = save_figure(tmp_path / "x.png")
    found = _expand_within([str(image), f"{tmp_path}/*.png", str(tmp_path / "." / "x.png")])
    assert found == [(str(image), image)]


def test_glob_keeps_its_usual_meaning(tmp_path):
    for name in ("a.png", "b.webp", ".hidden.png", "deep/c.png", "deep/er/d.png", ".cache/e.png"):
        save_figure(tmp_path / name)
    names = {p.name for _, p in _expand_within([f"{tmp_path}/**/*.png"])}
    assert names == {"a.png", "c.png", "d.png"}
    assert [p.name for _, p in _expand_within([f"{tmp_path}/*/*.png"])] == ["c.png"]
    assert {p.name for _, p in _expand_within([f"{tmp_path}/**"])} == {"a.png", "b.webp", "c.png", "d.png"}
    assert _expand_within([f"{tmp_path}/*.tiff"]) == [(f"{tmp_path}/*.tiff", None)]


def test_progress_is_reported_while_collecting(tmp_path, monkeypatch):
    for i in range(30):
        save_figure(tmp_path / f"f{i}" / "x.png")
    monkeypatch.setattr(inputs, "PROGRESS_SECONDS", 0.0)
    seen: list[tuple[int, int]] = []
    found = _expand_within([f"{tmp_path}/**/*.png"],
                           progress=lambda folders, files: seen.append((folders, files)))
    assert len(found) == 30 and len(seen) >= 30
    assert seen == sorted(seen) and seen[-1][0] == 31


def test_shards_split_every_input_once():
    plans = [Planned(f"img{i}.png", None) for i in range(500)]
    owners = [[k for k in range(1, 5) if in_shard(plan, (k, 4))] for plan in plans]
    assert all(len(owner) == 1 for owner in owners)
    assert min(sum(o == [k] for o in owners) for k in range(1, 5)) > 80  # roughly even


def test_the_command_line_says_what_it_is_collecting(tmp_path, monkeypatch, capsys):
    """A quoted recursive glob over a big tree takes a while in the CLI too: it says so, on stderr."""
    from pointskel_blender.cli.run import main

    for i in range(3):
        save_figure(tmp_path / f"f{i}" / "x.png")
    monkeypatch.setattr(inputs, "PROGRESS_SECONDS", 0.0)
    assert main([f"{tmp_path}/**/*.png", "-o", str(tmp_path / "out"), *FAST]) == 1  # three x.png: one name
    progress = [line for line in capsys.readouterr().err.splitlines() if "collecting inputs" in line]
    assert progress and progress[-1].startswith("pointskel: collecting inputs: ")
