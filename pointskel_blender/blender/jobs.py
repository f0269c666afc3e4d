"""Long work off Blender's main thread, and the cache that makes redo cheap.

Inference (numpy/onnxruntime, which release the GIL) runs on a worker thread while a modal
operator polls it on a timer: the UI stays live, shows progress, and Esc cancels. The worker never
touches Blender data; only the main thread builds the scene from its result. Results are kept in a
small LRU keyed by the image's content and the pipeline settings, so a redo that changes only the
scene-build settings (height, mesh on/off) skips inference entirely.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, TypeVar

from ..core.errors import PointSkelError
from ..core.pipeline import Cancelled, PipelineResult

T = TypeVar("T")
Progress = Callable[[str, float], None]

POLL_SECONDS = 0.1


class InferenceCache:
    """The last few pipeline results; `hits`/`misses` count lookups so reuse can be verified."""

    def __init__(self, capacity: int = 3) -> None:
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[tuple[str, str], PipelineResult] = OrderedDict()

    def get(self, key: tuple[str, str] | None) -> PipelineResult | None:
        if key is not None and key in self._items:
            self.hits += 1
            self._items.move_to_end(key)
            return self._items[key]
        self.misses += 1
        return None

    def put(self, key: tuple[str, str] | None, result: PipelineResult) -> None:
        if key is None:
            return
        self._items[key] = result
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()
        self.hits = self.misses = 0


CACHE = InferenceCache()


class BackgroundJob(Generic[T]):
    """`work(progress)` on a daemon thread; the main thread polls `done` and reads the outcome."""

    def __init__(self, work: Callable[[Progress], T]) -> None:
        self._work = work
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pointskel-job", daemon=True)
        self.stage = "starting"
        self.fraction = 0.0
        self.result: T | None = None
        self.error: BaseException | None = None

    def start(self) -> "BackgroundJob[T]":
        self._thread.start()
        return self

    def progress(self, stage: str, fraction: float) -> None:
        """Called by the work on the worker thread; raising here is how a cancel reaches it."""
        if self._cancel.is_set():
            raise Cancelled("cancelled")
        self.stage, self.fraction = stage, float(fraction)

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return self.done

    @property
    def done(self) -> bool:
        return not self._thread.is_alive() and self._thread.ident is not None

    def _run(self) -> None:
        try:
            self.result = self._work(self.progress)
        except BaseException as exc:  # handed to the main thread, which reports or re-raises it
            self.error = exc


_active: BackgroundJob | None = None


def busy() -> bool:
    """A job is running: operators that start one are greyed out meanwhile."""
    return _active is not None and not _active.done


def stop_all() -> None:
    """On unregister: cancel a running job and wait for its thread, so no worker outlives the add-on."""
    global _active
    if _active is not None:
        _active.cancel()
        _active.wait(30.0)
        _active = None


class JobOperator:
    """Mixin for an operator that runs one BackgroundJob modally (progress bar, status text, Esc).

    Subclasses call `start_job` from `invoke` and implement `job_finished(context, result)`.
    """

    _job: BackgroundJob | None = None
    _timer = None
    job_label = "PointSkel"

    def start_job(self, context, job: BackgroundJob) -> set[str]:
        global _active
        _active = self._job = job.start()
        wm = context.window_manager
        self._timer = wm.event_timer_add(POLL_SECONDS, window=context.window)
        wm.progress_begin(0.0, 1.0)
        wm.modal_handler_add(self)
        self._show(context, "starting")
        return {"RUNNING_MODAL"}

    def modal(self, context, event) -> set[str]:
        job = self._job
        if event.type == "ESC" and event.value == "PRESS":
            job.cancel()
            self._show(context, "cancelling")
            return {"RUNNING_MODAL"}
        if event.type != "TIMER":
            return {"PASS_THROUGH"}
        if not job.done:
            context.window_manager.progress_update(job.fraction)
            self._show(context, f"{job.stage} {job.fraction:.0%}")
            return {"RUNNING_MODAL"}
        self._finish(context)
        if isinstance(job.error, Cancelled):
            self.report({"INFO"}, f"{self.job_label}: cancelled")
            return {"CANCELLED"}
        if isinstance(job.error, PointSkelError):
            self.report({"ERROR"}, str(job.error))
            return {"CANCELLED"}
        if job.error is not None:
            raise job.error
        return self.job_finished(context, job.result)

    def cancel(self, context) -> None:
        """Blender cancels a modal operator when a file is loaded or the window closes."""
        if self._job is not None:
            self._job.cancel()
            self._job.wait(30.0)
        self._finish(context)

    def _show(self, context, text: str) -> None:
        if context.workspace is not None:
            context.workspace.status_text_set(f"{self.job_label}: {text}  (Esc to cancel)")

    def _finish(self, context) -> None:
        global _active
        wm = context.window_manager
        if self._timer is not None:
            wm.event_timer_remove(self._timer)
            self._timer = None
        wm.progress_end()
        if context.workspace is not None:
            context.workspace.status_text_set(None)
        if _active is self._job:
            _active = None
