"""Errors a user can act on: each message says what was wrong and, where possible, what to do.

Callers (CLI, operators, batch jobs) catch `PointSkelError` and show its message as one line; any
other exception is a bug.
"""
from __future__ import annotations


class PointSkelError(Exception):
    """Base class of every expected, user-facing failure."""


class ImageError(PointSkelError):
    """The input image cannot be read or is unusable (missing, corrupt, too large, too small)."""


class MaskError(PointSkelError):
    """No usable object could be separated from the background."""


class ModelError(PointSkelError):
    """A model file is missing, corrupt, has the wrong checksum, or does not match this version."""


class SkeletonError(PointSkelError):
    """A skeleton file or structure is malformed."""


class OutputError(PointSkelError):
    """A result cannot be written (folder missing or read-only, disk full) or came out incomplete."""


def naming(path: object, exc: BaseException) -> str:
    """The error's message without a leading "<path>: ", for callers that put the path in front."""
    text, prefix = str(exc), f"{path}: "
    return text[len(prefix):] if text.startswith(prefix) else text
