"""The one way PointSkel starts onnxruntime: with its telemetry switched off first.

onnxruntime 1.32 (the development environment's) sends telemetry lookups every few seconds of a
run unless `ORT_DISABLE_TELEMETRY=1` is in the environment when it is first imported; the
extension's bundled 1.23.2 has no telemetry, and an upgrade must not add any. Every import of
onnxruntime in the project goes through `import_onnxruntime` (or, for tools that import it
themselves, `disable_telemetry` first), and a reliability test checks each entry point.
"""
from __future__ import annotations

import os
from types import ModuleType

TELEMETRY_VARIABLE = "ORT_DISABLE_TELEMETRY"


def disable_telemetry() -> None:
    """Set the variable onnxruntime reads at import; too late once it is imported, so call it early."""
    os.environ[TELEMETRY_VARIABLE] = "1"


def import_onnxruntime() -> ModuleType:
    """onnxruntime, imported with telemetry off (ImportError propagates: callers say what to do)."""
    disable_telemetry()
    import onnxruntime

    return onnxruntime
