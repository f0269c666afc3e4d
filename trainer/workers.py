"""Worker processes for the trainer's per-item loops (data generation, sample caches, evaluation).

Spawned, never forked: a fork copies the parent's thread pools (torch, onnxruntime, BLAS) in the
middle of a lock, and a forked worker that waits on such a lock hangs the whole run (a clean-clone
CI run hung that way in the evaluation). Results come back in the jobs' order, so a run gives the
same output whatever the number of workers.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


def imap(function: Callable[[Job], Result], jobs: Iterable[Job], workers: int,
         chunksize: int = 1) -> Iterator[Result]:
    """`function` over `jobs` in order, in this process (`workers` ≤ 1) or in `workers` spawned ones.

    `function` must be importable by name (a module-level function) for the spawned workers."""
    if workers <= 1:
        yield from map(function, jobs)
        return
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        yield from pool.imap(function, jobs, chunksize=chunksize)
