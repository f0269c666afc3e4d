"""Atomic output: write to a temporary file beside the target, check it, then rename over it.

A crash or a full disk never leaves a truncated result where a complete one (or nothing) was, and
a write that fails is one `OutputError` naming the target, never a traceback.
"""
from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import OutputError
from .verify import verify_written

# What a file system answers when it cannot take the data; other OSErrors raised inside the block
# (a download's network error, say) are the caller's and pass through unchanged.
WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, kind: str | None = None, *, size: int | None = None,
                overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; it replaces `path` only if the block succeeds
    and what it wrote is complete on disk (a whole `kind` file, `size` bytes when given). Without
    `overwrite`, an existing `path` is an error and stays as it was."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".partial{target.suffix}",
                                   dir=target.parent)
    except OSError as exc:
        raise output_error(target, exc) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
        except OSError as exc:
            if exc.errno in WRITE_ERRNOS:
                raise output_error(target, exc) from None
            raise
        try:
            finish(tmp_path, kind, size=size)
            published = publish(tmp_path, target, overwrite=overwrite)
        except OSError as exc:
            raise output_error(target, exc) from None
        except OutputError as exc:  # incomplete: name the target, not the temporary file
            raise OutputError(f"{target}: {exc}") from None
        if not published:
            raise OutputError(f"{target}: exists already; not replaced")
    finally:
        tmp_path.unlink(missing_ok=True)


def finish(staged: Path, kind: str | None, *, size: int | None = None) -> None:
    """Flush a staged file to disk (where a full disk may only now show), check it, give it the
    usual permissions (mkstemp makes files private)."""
    with open(staged, "rb+") as f:
        os.fsync(f.fileno())
    verify_written(staged, kind, size=size)
    os.chmod(staged, default_file_mode())


def publish(staged: Path, target: Path, *, overwrite: bool) -> bool:
    """Move a finished file into place; without `overwrite`, never over an existing file (False)."""
    if overwrite:
        os.replace(staged, target)
        return True
    try:
        os.link(staged, target)  # fails if the target appeared meanwhile: no check-then-replace race
    except FileExistsError:
        return False
    except OSError:  # no hard links on this file system
        if target.exists():
            return False
        os.replace(staged, target)
        return True
    staged.unlink()
    return True


def check_writable(folder: Path) -> None:
    """Fail early, before any work, if results cannot be created in `folder` (made if missing)."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".pointskel-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise output_error(folder, exc) from None


def write_text_atomic(path: str | os.PathLike, text: str, kind: str | None = None, *,
                      overwrite: bool = True) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), kind, overwrite=overwrite)


def write_bytes_atomic(path: str | os.PathLike, data: bytes, kind: str | None = None, *,
                       overwrite: bool = True) -> None:
    with atomic_path(path, kind, size=len(data), overwrite=overwrite) as tmp:
        tmp.write_bytes(data)


def output_error(target: Path, exc: OSError) -> OutputError:
    """One line naming the file that could not be written and why."""
    blocker = next((p for p in Path(target).parents if p.exists() and not p.is_dir()), None)
    if exc.errno in (errno.EEXIST, errno.ENOTDIR) and blocker is not None:
        return OutputError(f"{target}: cannot write ({blocker} is a file, not a folder)")
    return OutputError(f"{target}: cannot write ({exc.strerror or exc})")


def default_file_mode() -> int:
    """What a plain new file gets here: 0666 less the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
