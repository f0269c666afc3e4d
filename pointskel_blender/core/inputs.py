"""Which files a run reads and writes: glob expansion that cannot hang, and the guards that keep
outputs from destroying inputs or each other.

Shared by the command line and the batch job, so both refuse the same things before any image is
processed: an output that is an input, two outputs of one image that are the same file, two images
whose outputs have the same names, and an earlier run's preview offered as an input.
"""
from __future__ import annotations

import fnmatch
import glob
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .errors import ImageError, naming
from .image import check_image_file

Progress = Callable[[int, int], None]  # (folders scanned, files matched) while collecting
PROGRESS_SECONDS = 2.0


@dataclass
class Planned:
    """One input and its output files; `problem` says why it will not be processed."""

    label: str  # what the user wrote, or the file a glob matched
    path: Path | None
    targets: list[Path] = field(default_factory=list)
    problem: str | None = None
    fails: bool = True  # False: a skip that is not an error (an earlier run's preview)


def expand_inputs(patterns: Sequence[str], progress: Progress | None = None) -> list[tuple[str, Path | None]]:
    """(what the user wrote, file) pairs, each real file once; a glob that matches nothing gives
    (pattern, None). Recursive globs do not follow links to folders, so a link loop cannot hang them."""
    found: list[tuple[str, Path | None]] = []
    seen: set[str] = set()
    walk = _Walk(progress)
    for pattern in patterns:
        if glob.has_magic(pattern):
            matches = sorted(walk.matches(os.path.expanduser(pattern)))
            found.extend((str(m), m) for m in matches if _first(m, seen))
            if not matches:
                found.append((pattern, None))
        else:
            path = Path(pattern).expanduser()
            if _first(path, seen):
                found.append((pattern, path))
    return found


def _first(path: Path, seen: set[str]) -> bool:
    real = _real(path)
    if real in seen:
        return False
    seen.add(real)
    return True


class _Walk:
    """Glob matching by walking folders: `**` spans any depth of real folders (links to folders
    are not entered), other parts match one name each, hidden names only when the part starts with '.'."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.folders = self.files = 0
        self._last = time.monotonic()

    def matches(self, pattern: str) -> list[Path]:
        parts = list(Path(pattern).parts)
        fixed = 0
        while fixed < len(parts) and not glob.has_magic(parts[fixed]):
            fixed += 1
        base = Path(*parts[:fixed]) if fixed else Path()
        rest = [p for i, p in enumerate(parts[fixed:])
                if not (p == "**" and i and parts[fixed + i - 1] == "**")]  # a/**/**/b is a/**/b
        return list(self._match(base, rest)) if fixed < len(parts) else []

    def _match(self, folder: Path, rest: list[str]) -> Iterator[Path]:
        visible = [e for e in self._scan(folder) if not e.name.startswith(".") or rest[0].startswith(".")]
        yield from self._match_entries(folder, visible, rest)

    def _match_entries(self, folder: Path, entries: list[os.DirEntry], rest: list[str]) -> Iterator[Path]:
        if rest[0] == "**":
            if len(rest) > 1:  # ** matching no folder at all: the rest applies here (one scan)
                yield from self._match_entries(folder, entries, rest[1:])
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    yield from self._match(folder / entry.name, rest)
                elif len(rest) == 1 and entry.is_file():
                    yield self._found(folder / entry.name)
            return
        for entry in entries:
            if not fnmatch.fnmatch(entry.name, rest[0]):
                continue
            if len(rest) == 1:
                if entry.is_file():
                    yield self._found(folder / entry.name)
            elif entry.is_dir():  # a link named by a one-level part is bounded: follow it
                yield from self._match(folder / entry.name, rest[1:])

    def _scan(self, folder: Path) -> list[os.DirEntry]:
        self.folders += 1
        self._report()
        try:
            with os.scandir(folder) as entries:
                return sorted(entries, key=lambda e: e.name)
        except OSError:  # unreadable or vanished: like glob, it matches nothing
            return []

    def _found(self, path: Path) -> Path:
        self.files += 1
        return path

    def _report(self) -> None:
        now = time.monotonic()
        if self.progress is not None and now - self._last >= PROGRESS_SECONDS:
            self._last = now
            self.progress(self.folders, self.files)


def plan_outputs(inputs: Sequence[tuple[str, Path | None]], targets: Callable[[Path], list[Path]],
                 preview_name: Callable[[Path], str]) -> list[Planned]:
    """Each input with its output files, or the reason it must not run. Decided for the whole list
    up front (before any sharding), so every worker and machine agrees; an input that does not
    exist claims no names, so it cannot block another one."""
    plans = [Planned(label, path, targets(path) if path is not None else []) for label, path in inputs]
    previews = {preview_name(p.path) for p in plans if p.path is not None}
    for plan in plans:
        if plan.path is not None and plan.path.is_file() and plan.path.name in previews:
            plan.problem, plan.fails = "a preview written by an earlier run, not an input; skipped", False
    real_inputs = {_real(p.path): p.label for p in plans if p.path is not None and p.problem is None}
    claimed: dict[str, Planned] = {}
    for plan in (p for p in plans if p.problem is None):
        plan.problem = _problem(plan, real_inputs, claimed)
        if plan.problem is None and plan.path.is_file():
            claimed.update((_real(t), plan) for t in plan.targets)
    return plans


def _problem(plan: Planned, real_inputs: dict[str, str], claimed: dict[str, Planned]) -> str | None:
    if plan.path is None:
        return "no file matches this pattern"
    if not plan.path.is_file():
        return None  # the pipeline says what is wrong with it (missing, a folder, ...)
    reals = [_real(t) for t in plan.targets]
    for target, real in zip(plan.targets, reals):
        if real in real_inputs:
            return f"its output {target} is an input ({real_inputs[real]}); choose another output name"
        if real in claimed:
            return _clash(plan, claimed[real], target, real_inputs, claimed)
    if len(set(reals)) < len(reals):
        return "two of its outputs are the same file; give them different names"
    return None


def _clash(plan: Planned, owner: Planned, target: Path, real_inputs: dict[str, str],
           claimed: dict[str, Planned]) -> str | None:
    """Two images want the same output names. One that cannot be read fails with its own error and
    claims nothing, so a failed image never blocks a good one (only clashing files' headers are read)."""
    problem = unreadable(plan.path)
    if problem is not None:
        return problem
    owner.problem = unreadable(owner.path)
    if owner.problem is None:
        return f"its outputs would have the same names as those of {owner.label} ({target})"
    for real in [real for real, holder in claimed.items() if holder is owner]:
        del claimed[real]
    return _problem(plan, real_inputs, claimed)


def unreadable(path: Path) -> str | None:
    """Why the pipeline cannot read the image file at `path` (from its header alone), or None."""
    try:
        check_image_file(path)
    except ImageError as exc:
        return naming(path, exc)
    return None


def _real(path: Path) -> str:
    return os.path.realpath(path)


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` (1 <= K <= N) -> (K, N): this machine takes the K-th of N disjoint parts."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard must look like K/N (e.g. 2/8), got {text!r}") from None
    if not 1 <= index <= count:
        raise ValueError(f"--shard K/N needs 1 <= K <= N, got {text!r}")
    return index, count


def in_shard(plan: Planned, shard: tuple[int, int]) -> bool:
    """By a stable hash of the output name, so two machines never write the same file, whatever
    order or mount path they see the inputs in; a plan with no file goes by what the user wrote."""
    key = plan.path.stem if plan.path is not None else plan.label
    digest = int.from_bytes(hashlib.sha1(key.encode("utf-8", "surrogateescape")).digest()[:8], "big")
    index, count = shard
    return digest % count == index - 1

