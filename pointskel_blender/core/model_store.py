"""Where model files live, how they are checked, and the one place that may download them.

`models/registry.json` lists every model the add-on knows (file, size, md5, licence, source,
preprocessing). Bundled models sit in the package's read-only `models/` folder; downloaded ones go
to a user folder (the CLI's cache, or the folder the Blender layer passes). Nothing here touches
the network unless the caller explicitly allows it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ModelError
from .files import atomic_path

REGISTRY_FORMAT = "pointskel-models/1"
CHUNK = 1 << 20
DOWNLOAD_TIMEOUT_S = 30.0  # per connect / read, not for the whole transfer

Progress = Callable[[int, int], None]  # (bytes done, bytes expected); raise from it to cancel


@dataclass(frozen=True)
class ModelEntry:
    name: str
    kind: str
    file: str
    md5: str
    size: int
    licence: str
    bundled: bool
    url: str | None
    preprocess: Mapping[str, Any] | None
    description: str


Registry = Mapping[str, ModelEntry]


def bundled_dir() -> Path:
    """The package's models/ folder: read-only at run time (inside an installed extension)."""
    return Path(__file__).resolve().parent.parent / "models"


def user_model_dir() -> Path:
    """The CLI's download folder: `$POINTSKEL_CACHE/models`, else the platform's user cache."""
    override = os.environ.get("POINTSKEL_CACHE")
    if override:
        return Path(override).expanduser() / "models"
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    return base / "pointskel" / "models"


def default_search_dirs() -> list[Path]:
    return [user_model_dir(), bundled_dir()]


def load_registry(path: str | os.PathLike | None = None) -> dict[str, ModelEntry]:
    file = Path(path) if path is not None else bundled_dir() / "registry.json"
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"model registry {file} cannot be read: {exc}") from None
    if data.get("format") != REGISTRY_FORMAT:
        raise ModelError(
            f"model registry {file} has format {data.get('format')!r}, expected {REGISTRY_FORMAT!r}"
        )
    try:
        return {
            name: ModelEntry(
                name=name,
                kind=raw["kind"],
                file=raw["file"],
                md5=raw["md5"].lower(),
                size=int(raw["size"]),
                licence=raw["licence"],
                bundled=bool(raw.get("bundled", False)),
                url=raw.get("url"),
                preprocess=raw.get("preprocess"),
                description=raw.get("description", ""),
            )
            for name, raw in data["models"].items()
        }
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelError(f"model registry {file} has a malformed entry ({exc!r})") from None


_default_registry: dict[str, ModelEntry] | None = None


def _registry(registry: Registry | None) -> Registry:
    global _default_registry
    if registry is not None:
        return registry
    if _default_registry is None:
        _default_registry = load_registry()
    return _default_registry


def model_entry(name: str, registry: Registry | None = None) -> ModelEntry:
    entries = _registry(registry)
    if name not in entries:
        raise ModelError(f"unknown model {name!r}; known models: {', '.join(sorted(entries))}")
    return entries[name]


def file_md5(path: Path) -> str:
    digest = hashlib.md5()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


# (resolved path, size, mtime_ns) -> md5: hashing a 176 MB file once per process is enough.
_md5_seen: dict[tuple[str, int, int], str] = {}


def _md5_once(path: Path) -> str:
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _md5_seen:
        _md5_seen[key] = file_md5(path)
    return _md5_seen[key]


def _problem(path: Path, entry: ModelEntry) -> str | None:
    """Why `path` is not a good copy of the model, or None if it is."""
    size = path.stat().st_size
    if size != entry.size:
        return f"{path} has {size:,} bytes, expected {entry.size:,}"
    if _md5_once(path) != entry.md5:
        return f"{path} has the wrong md5 checksum"
    return None


def find_model(
    name: str, search_dirs: Iterable[str | os.PathLike] | None = None, *, registry: Registry | None = None
) -> Path | None:
    """The first verified copy of the model in `search_dirs`, or None when there is none at all.

    A copy that exists but is damaged (wrong size or md5) raises ModelError if no good copy is
    found, so a broken download never looks like a merely missing model.
    """
    entry = model_entry(name, registry)
    dirs = [Path(d) for d in search_dirs] if search_dirs is not None else default_search_dirs()
    problems: list[str] = []
    for folder in dirs:
        candidate = folder / entry.file
        if not candidate.is_file():
            continue
        problem = _problem(candidate, entry)
        if problem is None:
            return candidate
        problems.append(problem)
    if problems:
        raise ModelError(f"model {name} is damaged: {'; '.join(problems)}; delete it and download it again")
    return None


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size < 10e6 else f"{size / 1e6:.0f} MB"


def download_model(
    name: str,
    dest_dir: str | os.PathLike,
    *,
    allow_network: bool,
    progress: Progress | None = None,
    registry: Registry | None = None,
    timeout: float = DOWNLOAD_TIMEOUT_S,
) -> Path:
    """Fetch a model into `dest_dir`, verified; only a complete, checked file ever appears there."""
    entry = model_entry(name, registry)
    folder = Path(dest_dir)
    target = folder / entry.file
    if target.is_file() and _problem(target, entry) is None:
        return target
    if not entry.url:
        raise ModelError(f"model {name} has no download address; it ships with the add-on")
    if not allow_network:
        raise ModelError(
            f"model {name} ({_megabytes(entry.size)}) must be downloaded from {entry.url} but online access "
            f"is off: allow it (in Blender: Preferences > System > Network > Allow Online Access) "
            f"or save that file into {folder} yourself"
        )
    request = urllib.request.Request(entry.url, headers={"User-Agent": "pointskel-model-store"})
    try:
        with atomic_path(target) as partial, urllib.request.urlopen(request, timeout=timeout) as response:
            digest = hashlib.md5()
            done = 0
            with partial.open("wb") as out:
                for block in iter(lambda: response.read(CHUNK), b""):
                    done += len(block)
                    if done > entry.size:
                        raise ModelError(
                            f"download of model {name} from {entry.url} is larger than the expected "
                            f"{entry.size:,} bytes; the file there is not this model"
                        )
                    digest.update(block)
                    out.write(block)
                    if progress is not None:
                        progress(done, entry.size)
            if done != entry.size:
                raise ModelError(
                    f"download of model {name} from {entry.url} stopped at {done:,} of "
                    f"{entry.size:,} bytes; try again"
                )
            if digest.hexdigest() != entry.md5:
                raise ModelError(
                    f"download of model {name} from {entry.url} has the wrong md5 checksum "
                    "(corrupted or replaced upstream); nothing was saved"
                )
    except urllib.error.HTTPError as exc:
        raise ModelError(
            f"download of model {name} from {entry.url} failed: HTTP {exc.code} {exc.reason}"
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ModelError(f"download of model {name} from {entry.url} failed: {reason}") from None
    stat = target.stat()
    _md5_seen[(str(target.resolve()), stat.st_size, stat.st_mtime_ns)] = entry.md5
    return target


def ensure_background_model(
    backend: str,
    name: str,
    dest_dir: str | os.PathLike,
    *,
    allow_download: bool,
    search_dirs: Iterable[str | os.PathLike] | None = None,
    progress: Progress | None = None,
) -> None:
    """Fetch the background model a run with this mask backend needs, before the run (every front end's
    --allow-download). The rembg mask needs it, so without permission it fails now with the reason;
    the auto mask falls back without it, so it is fetched only when allowed."""
    if backend not in ("rembg", "auto") or find_model(name, search_dirs):
        return
    if backend == "rembg" or allow_download:
        download_model(name, dest_dir, allow_network=allow_download, progress=progress)
