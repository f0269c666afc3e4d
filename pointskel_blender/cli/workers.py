"""`--jobs N`: the batch fanned out to N worker processes on one machine.

Blender data is not thread-safe, so parallel work means processes. Each worker is the same batch
command started the way this process was (`blender -b --python scripts/batch.py --`,
`blender -c pointskel`, or a Python with the bpy module) with a hidden `--worker` flag: it loads
Blender and the add-on once, then takes images one at a time from its stdin and answers each with
one report line. This process hands the next image to whichever worker is free, so a slow image
holds up one worker only. No bpy here.
"""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

WORKER_FLAG = "--worker"  # hidden: read images from stdin, report each as a line for the parent
_MARK = "@pointskel-report "  # exporters may leave a line unfinished: the report is found by its mark


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
    """A worker's answer for one image."""
    return _MARK + json.dumps({"outcome": outcome, "label": label, "text": text})


def tasks(lines: Iterable[str]) -> Iterator[dict]:
    """The images a worker is handed on its stdin, until the parent closes it."""
    for line in lines:
        if line.strip():
            yield json.loads(line)


def run_workers(command: Sequence[str], jobs: int, items: Sequence[tuple[str, dict]],
                show: Callable[[str], None]) -> Outcome:
    """Process `items` ((label, task) pairs) on `jobs` workers; show `[n/total] label: text` per image.

    An image whose worker died before answering counts as failed (Blender can crash in an exporter),
    and a new worker takes the dead one's place for the images left, so one crash costs one image;
    a new worker that dies before answering once means the command itself is broken, and none is
    started after it. If this process is interrupted, the workers are stopped and waited for (each
    removes its own staging folder)."""
    lines: queue.Queue[tuple[int, str | None]] = queue.Queue()
    env = worker_environment(jobs)
    procs: list[subprocess.Popen] = []
    answered: list[int] = []  # images each worker has answered

    def start(worker: int) -> None:
        proc = subprocess.Popen(list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                bufsize=1, env=env)
        if worker < len(procs):
            procs[worker], answered[worker] = proc, 0
        else:
            procs.append(proc)
            answered.append(0)
        threading.Thread(target=_read, args=(worker, proc, lines), daemon=True).start()

    for worker in range(min(jobs, len(items))):
        start(worker)
    todo = list(reversed(items))
    busy: dict[int, str] = {}
    outcome, number = Outcome(), 0
    replacing = True

    def hand_out(worker: int) -> None:
        stdin = procs[worker].stdin
        try:
            if todo:
                label, task = todo.pop()
                busy[worker] = label
                stdin.write(json.dumps(task) + "\n")
                stdin.flush()
            else:
                stdin.close()
        except (BrokenPipeError, OSError):  # it died: its EOF is handled below
            pass

    replaced: set[int] = set()  # slots whose worker is a replacement
    try:
        for worker in range(len(procs)):
            hand_out(worker)
        running = len(procs)
        while running:
            worker, line = lines.get()
            if line is None:
                running -= 1
                if worker in busy:
                    number += 1
                    label = busy.pop(worker)
                    outcome.add("failed", label)
                    show(f"[{number}/{len(items)}] {label}: FAILED: worker {worker + 1} stopped "
                         f"({_ended(procs[worker].wait())}) before it finished this image")
                    replacing &= answered[worker] > 0 or worker not in replaced
                    if todo and replacing:
                        start(worker)
                        replaced.add(worker)
                        running += 1
                        hand_out(worker)
                continue
            before, mark, report = line.rstrip("\n").partition(_MARK)
            if before.strip():
                show(before)  # Blender's own messages (exporters, warnings) pass through
            if not mark:
                continue
            item = json.loads(report)
            busy.pop(worker, None)
            answered[worker] += 1
            number += 1
            outcome.add(item["outcome"], item["label"])
            show(f"[{number}/{len(items)}] {item['label']}: {item['text']}")
            hand_out(worker)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            proc.wait()
    outcome.counts["failed"] += len(todo)  # never handed out: every worker died
    outcome.failed += [label for label, _ in reversed(todo)]
    return outcome


def _ended(status: int) -> str:
    """How a worker process ended, as a user reads it."""
    if status < 0:
        try:
            return f"killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"killed by signal {-status}"
    return f"exit status {status}"


def worker_environment(jobs: int) -> dict[str, str]:
    """This environment with numpy's and scipy's thread pools sized to a share of the cores, so N
    workers do not each start one thread per core (unless the user set the sizes already)."""
    share = str(max(1, (os.cpu_count() or 1) // jobs))
    return {**{name: share for name in _THREAD_VARIABLES}, **os.environ}


_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _read(worker: int, proc: subprocess.Popen, lines: queue.Queue) -> None:
    for line in proc.stdout:
        lines.put((worker, line))
    lines.put((worker, None))
