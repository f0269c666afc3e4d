"""Check a written file is whole before it is published.

A full disk does not always fail the write that filled it: Blender's compressed save reports
success with a truncated file, and file systems with delayed allocation report ENOSPC only at
flush. So each output format is read back here, structurally, before the atomic rename: a file
that fails is an error, never a result.
"""
from __future__ import annotations

import json
import struct
from pathlib import Path

from PIL import Image

from .errors import OutputError

KINDS = ("json", "png", "glb", "fbx", "blend")
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_FBX_HEAD = b"Kaydara FBX Binary  \x00"
_FBX_FOOT = bytes.fromhex("f85a8c6adef5d97eece90ce3758f290b")  # the exporters' fixed footer magic
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_SEEKABLE_MAGIC = 0x8F92EAB1  # zstd seekable format: Blender's compressed .blend ends with a seek table


def verify_written(path: str | Path, kind: str | None, *, size: int | None = None) -> None:
    """Raise OutputError unless `path` is a complete file of `kind` (one of KINDS, or None for any
    non-empty file) and has `size` bytes when given."""
    file = Path(path)
    actual = file.stat().st_size
    if size is not None and actual != size:
        raise OutputError(f"only {actual} of {size} bytes were written (disk full?)")
    if kind is None:
        return
    if actual == 0:
        raise OutputError("the written file is empty (disk full?)")
    problem = _CHECKS[kind](file)
    if problem:
        raise OutputError(f"the written {kind} file is incomplete: {problem} (disk full?)")


def _json(file: Path) -> str | None:
    try:
        json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return f"not valid JSON ({exc})"
    return None


def _ends(file: Path, count: int) -> bytes:
    with file.open("rb") as f:
        f.seek(max(0, file.stat().st_size - count))
        return f.read()


def _png(file: Path) -> str | None:
    if _ends(file, len(_PNG_END)) != _PNG_END:
        return "no end chunk"
    try:
        with Image.open(file) as image:
            image.verify()  # every chunk's CRC
    except (OSError, SyntaxError, ValueError) as exc:
        return str(exc)
    return None


def _glb(file: Path) -> str | None:
    data = file.read_bytes()
    if len(data) < 20 or data[:4] != b"glTF":
        return "no glTF header"
    (length,) = struct.unpack_from("<I", data, 8)
    if length != len(data):
        return f"header says {length} bytes, file has {len(data)}"
    offset = 12
    while offset < length:
        chunk_length, chunk_type = struct.unpack_from("<I4s", data, offset)
        if chunk_type == b"JSON":
            try:
                json.loads(data[offset + 8:offset + 8 + chunk_length])
            except ValueError as exc:
                return f"JSON chunk unreadable ({exc})"
        offset += 8 + chunk_length
    return None if offset == length else "chunks run past the end"


def _fbx(file: Path) -> str | None:
    with file.open("rb") as f:
        head = f.read(len(_FBX_HEAD))
    if head != _FBX_HEAD:
        return "no binary FBX header"
    return None if _ends(file, len(_FBX_FOOT)) == _FBX_FOOT else "no FBX footer"


def _blend(file: Path) -> str | None:
    data = file.read_bytes()
    if data.startswith(_ZSTD_MAGIC):
        return _seekable_zstd(data)
    if not data.startswith(b"BLENDER"):
        return "no .blend header"
    if data.rfind(b"DNA1") < 0:
        return "Missing DNA block"
    # The file ends with the ENDB block header: 32 bytes in Blender 5's format ("BLENDER17"),
    # 24 or 20 in the older one ("BLENDER-" for 8-byte pointers, "BLENDER_" for 4).
    head = 32 if data[7:9] == b"17" else 24 if data[7:8] == b"-" else 20
    return None if data[-head:-head + 4] == b"ENDB" else "no end block"


def _seekable_zstd(data: bytes) -> str | None:
    """The seek table at the end lists every frame's compressed size; they must add up to the file."""
    if len(data) < 9:
        return "too short"
    frames, descriptor, magic = struct.unpack_from("<IBI", data, len(data) - 9)
    if magic != _SEEKABLE_MAGIC:
        return "no zstd seek table at the end"
    entry = 12 if descriptor & 0x80 else 8
    table = 8 + frames * entry + 9  # skippable frame header, entries, footer
    start = len(data) - table
    if start < 0:
        return "seek table larger than the file"
    compressed = sum(struct.unpack_from("<I", data, start + 8 + i * entry)[0] for i in range(frames))
    return None if compressed == start else f"frames cover {compressed} of {start} bytes"


_CHECKS = {"json": _json, "png": _png, "glb": _glb, "fbx": _fbx, "blend": _blend}
