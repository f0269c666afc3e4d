"""`--jobs N`: the batch fanned out to N worker processes on one machine.

Blender data is not thread-safe, so parallel work means processes. Each worker is the same batch
command on a disjoint part of this run's shard (so workers never write the same file and need no
coordination), started the way this process was (`blender -b --python scripts/batch.py --`,
`blender -c pointskel`, or a Python with the bpy module). Workers report each image as one JSON
line; this process numbers them, prints one line per image and the counts. No bpy here.
"""
from __future__ import annotations

import json
import queue
import subprocess
import threading
from dataclasses import dataclass, field
from typing import Callable, Sequence

WORKER_FLAG = "--worker"  # hidden: report images as JSON lines for the parent


@dataclass
class Outcome:
    """What the workers did: counts per outcome and the labels that failed."""

    counts: dict[str, int] = field(default_factory=lambda: {"ok": 0, "failed": 0, "skipped": 0})
    failed: list[str] = field(default_factory=list)

    def add(self, outcome: str, label: str) -> None:
        self.counts[outcome] += 1
        if outcome == "failed":
            self.failed.append(label)


def report_line(outcome: str, label: str, text: str) -> str:
    """A worker's line for one image."""
    return json.dumps({"outcome": outcome, "label": label, "text": text})


def run_workers(commands: Sequence[Sequence[str]], total: int, show: Callable[[str], None]) -> Outcome:
    """Run the worker commands at once; relay each image's line as `[n/total] label: text`.

    An image a worker never reported (it crashed or was killed) counts as failed. If this process is
    interrupted, the workers are stopped and waited for (each cleans up its own staging)."""
    lines: queue.Queue[tuple[int, str | None]] = queue.Queue()
    procs = [subprocess.Popen(list(c), stdout=subprocess.PIPE, text=True, bufsize=1) for c in commands]
    readers = [threading.Thread(target=_read, args=(i, p, lines), daemon=True) for i, p in enumerate(procs)]
    for reader in readers:
        reader.start()
    outcome, running, number = Outcome(), len(procs), 0
    try:
        while running:
            worker, line = lines.get()
            if line is None:
                running -= 1
                continue
            try:
                item = json.loads(line)
                label, text, kind = item["label"], item["text"], item["outcome"]
            except (ValueError, KeyError, TypeError):
                show(line.rstrip("\n"))  # Blender's own messages (exporters, warnings) pass through
                continue
            number += 1
            outcome.add(kind, label)
            show(f"[{number}/{total}] {label}: {text}")
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            proc.wait()
    for worker, proc in enumerate(procs):
        if proc.returncode not in (0, 1):
            outcome.failed.append(f"worker {worker + 1} (exit status {proc.returncode})")
    missing = total - number
    if missing > 0:
        outcome.counts["failed"] += missing
    return outcome


def _read(worker: int, proc: subprocess.Popen, lines: queue.Queue) -> None:
    for line in proc.stdout:
        lines.put((worker, line))
    lines.put((worker, None))
