#!/usr/bin/env python3
"""Build PointSkel's installable Blender extension zips, one per platform, into dist/.

Blender wants `blender_manifest.toml` next to the package's `__init__.py`, so the package, the
manifest, the bundled models and the locked wheels are copied into a staging folder first; then
Blender's own builder (`blender_ext.py`, shipped inside the `bpy` module) builds with
`--split-platforms` and Blender's own validator checks every zip. Whatever `bpy` the running
Python has (5.0 or 4.2 LTS) provides the tools.

    python3 build.py extension                    # every platform
    python3 build.py extension --platform current # only this machine's platform
    python3 build.py extension --offline          # only wheels already in wheels/
    python3 build.py extension --relock           # re-download pinned wheels, rewrite the lock
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import platform as host
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pointskel_blender.core.errors import PointSkelError  # noqa: E402

PACKAGE = ROOT / "pointskel_blender"
MANIFEST = ROOT / "blender_manifest.toml"
WHEELS = ROOT / "wheels"
LOCK = WHEELS / "lock.json"
REGISTRY = PACKAGE / "models" / "registry.json"
DIST = ROOT / "dist"
MAX_ZIP_BYTES = 150_000_000
LOCK_FORMAT = "pointskel-wheels/1"


class BuildError(PointSkelError):
    """The extension cannot be built: missing inputs, a bad lock, or Blender's tools refused it."""


@dataclass(frozen=True)
class LockedWheel:
    file: str
    platform: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Lock:
    python_version: str
    requirements: tuple[str, ...]
    pip_platforms: dict[str, tuple[str, ...]]  # Blender platform -> pip platform tags
    wheels: tuple[LockedWheel, ...]

    def for_platform(self, platform: str) -> list[LockedWheel]:
        return [w for w in self.wheels if w.platform == platform]


@dataclass(frozen=True)
class BlenderTools:
    """Blender's extension builder/validator and its list of valid tags, from the installed bpy."""
    blender_ext: Path
    valid_tags: Path
    version: str


def log(message: str) -> None:
    print(f"[extension] {message}", flush=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_manifest(path: Path = MANIFEST) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BuildError(f"cannot read {path.name}: {exc}") from None


def load_lock(path: Path = LOCK) -> Lock:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BuildError(f"cannot read the wheel lock {path}: {exc}") from None
    if data.get("format") != LOCK_FORMAT:
        raise BuildError(f"{path} is not a {LOCK_FORMAT} lock file")
    return Lock(
        python_version=data["python_version"],
        requirements=tuple(data["requirements"]),
        pip_platforms={k: tuple(v) for k, v in data["pip_platforms"].items()},
        wheels=tuple(LockedWheel(**w) for w in data["wheels"]),
    )


def manifest_wheel_path(wheel: LockedWheel) -> str:
    return f"./wheels/{wheel.file}"


def check_manifest_matches_lock(manifest: dict, lock: Lock) -> None:
    listed = manifest.get("wheels", [])
    locked = [manifest_wheel_path(w) for w in lock.wheels]
    if sorted(listed) != sorted(locked):
        raise BuildError("blender_manifest.toml `wheels` differs from wheels/lock.json; "
                         "run `python3 build.py extension --relock`")
    if set(lock.pip_platforms) != set(manifest.get("platforms", [])):
        raise BuildError("blender_manifest.toml `platforms` differs from the platforms in wheels/lock.json")


def this_platform() -> str:
    """Blender's name for the running machine (e.g. `linux-x64`), as its builder spells it."""
    system = {"darwin": "macos"}.get(host.system().lower(), host.system().lower())
    machine = host.machine().lower()
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}"


def blender_tools() -> BlenderTools:
    """Locate the tools inside the installed `bpy` package without importing it (slow, once per process)."""
    spec = importlib.util.find_spec("bpy")
    if spec is None or spec.origin is None:
        raise BuildError(
            f"the bpy module is not installed for {sys.executable}; run `python3 build.py setup`"
        )
    versions = [p for p in Path(spec.origin).parent.iterdir() if re.fullmatch(r"\d+\.\d+", p.name)]
    if len(versions) != 1:
        raise BuildError(
            f"expected one Blender version folder in {Path(spec.origin).parent}, found {versions}"
        )
    scripts = versions[0] / "scripts"
    tools = BlenderTools(
        blender_ext=scripts / "addons_core" / "bl_pkg" / "cli" / "blender_ext.py",
        valid_tags=scripts / "modules" / "_bpy_internal" / "extensions" / "tags.py",
        version=versions[0].name,
    )
    for path in (tools.blender_ext, tools.valid_tags):
        if not path.is_file():
            raise BuildError(f"Blender {tools.version} has no {path}")
    return tools


def pip_download(lock: Lock, platform: str, dest: Path) -> None:
    cmd = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q", "--no-deps",
           "--only-binary=:all:", "--python-version", lock.python_version, "--implementation", "cp",
           *(arg for tag in lock.pip_platforms[platform] for arg in ("--platform", tag)),
           "-d", str(dest), *lock.requirements]
    log(f"downloading {platform} wheels: {' '.join(lock.requirements)}")
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise BuildError(f"pip could not download the {platform} wheels: {last}")


def ensure_wheels(lock: Lock, platforms: list[str], *, offline: bool) -> None:
    """Make wheels/ hold every locked wheel of `platforms` with its locked sha256, downloading what is
    missing."""
    for platform in platforms:
        wanted = lock.for_platform(platform)
        missing = [w for w in wanted
                   if not (WHEELS / w.file).is_file() or sha256(WHEELS / w.file) != w.sha256]
        if not missing:
            continue
        if offline:
            raise BuildError("--offline but wheels/ lacks (or has a corrupt) "
                             f"{', '.join(w.file for w in missing)}; "
                             "run without --offline to download them")
        with tempfile.TemporaryDirectory(prefix="pointskel-wheels-") as tmp:
            pip_download(lock, platform, Path(tmp))
            for wheel in missing:
                got = Path(tmp) / wheel.file
                if not got.is_file():
                    chosen = ", ".join(sorted(p.name for p in Path(tmp).glob("*.whl")))
                    raise BuildError(f"pip chose {chosen} instead of the locked {wheel.file}; "
                                     "run `python3 build.py extension --relock`")
                if sha256(got) != wheel.sha256:
                    raise BuildError(f"{wheel.file} from PyPI does not match its sha256 in wheels/lock.json")
                shutil.move(got, WHEELS / wheel.file)


def check_bundled_models() -> None:
    """Every model the registry marks as bundled must be in models/ with its checksum, or the add-on
    ships broken."""
    models = json.loads(REGISTRY.read_text(encoding="utf-8"))["models"]
    for name, entry in models.items():
        if not entry.get("bundled"):
            continue
        path = REGISTRY.parent / entry["file"]
        hint = "run `python3 build.py setup`" if entry.get("pypi") else "export it from the trainer"
        if not path.is_file():
            raise BuildError(f"bundled model {name} is missing ({path.relative_to(ROOT)}); {hint}")
        if "md5" in entry and hashlib.md5(path.read_bytes()).hexdigest() != entry["md5"]:
            raise BuildError(
                f"bundled model {name} has the wrong checksum; delete {path.relative_to(ROOT)} and {hint}"
            )


def unbundled_model_files() -> list[str]:
    """Registry models users download on demand: a developer's copy in models/ must not ship (size)."""
    models = json.loads(REGISTRY.read_text(encoding="utf-8"))["models"]
    return [entry["file"] for entry in models.values() if not entry.get("bundled")]


def manifest_for_platforms(text: str, platforms: list[str]) -> str:
    """The manifest text with `platforms` narrowed, so `--split-platforms` builds only those zips."""
    listed = ", ".join(f'"{p}"' for p in platforms)
    narrowed, count = re.subn(r"^platforms\s*=\s*\[[^\]]*\]", f"platforms = [{listed}]", text, flags=re.M)
    if count != 1 or tomllib.loads(narrowed).get("platforms") != platforms:
        raise BuildError("cannot narrow `platforms` in blender_manifest.toml (expected one single-line list)")
    return narrowed


def stage_package(stage_dir: Path, platforms: list[str]) -> None:
    """Lay out the extension as Blender expects: the package's contents, the manifest beside `__init__.py`.

    The package is copied whole; the manifest's `[build] paths_exclude_pattern` decides what the zip
    leaves out, so there is one list of exclusions.
    """
    check_bundled_models()
    shutil.copytree(PACKAGE, stage_dir, dirs_exist_ok=True)
    for name in unbundled_model_files():
        (stage_dir / "models" / name).unlink(missing_ok=True)
    text = MANIFEST.read_text(encoding="utf-8")
    if platforms != load_manifest()["platforms"]:
        text = manifest_for_platforms(text, platforms)
    (stage_dir / MANIFEST.name).write_text(text, encoding="utf-8")


def stage_wheels(stage_dir: Path, lock: Lock, platforms: list[str]) -> None:
    (stage_dir / "wheels").mkdir(exist_ok=True)
    for platform in platforms:
        for wheel in lock.for_platform(platform):
            shutil.copy2(WHEELS / wheel.file, stage_dir / "wheels" / wheel.file)


def run_blender_ext(tools: BlenderTools, *args: str) -> str:
    cmd = [sys.executable, str(tools.blender_ext), *args, "--valid-tags", str(tools.valid_tags)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise BuildError(
            f"Blender {tools.version} blender_ext.py {args[0]} failed: {' | '.join(output.splitlines())}"
        )
    return output


def validate(path: Path, tools: BlenderTools) -> str:
    """Blender's own validator on a staged folder or a built zip; returns what it said."""
    return run_blender_ext(tools, "validate", str(path))


def zip_name(manifest: dict, platform: str) -> str:
    return f"{manifest['id']}-{manifest['version']}-{platform.replace('-', '_')}.zip"


def build(platforms: list[str] | None = None, output: Path = DIST, *, offline: bool = False) -> list[Path]:
    """Build and validate one zip per platform (all of the manifest's by default); returns the zips."""
    manifest = load_manifest()
    lock = load_lock()
    check_manifest_matches_lock(manifest, lock)
    platforms = list(manifest["platforms"]) if not platforms else platforms
    unknown = sorted(set(platforms) - set(manifest["platforms"]))
    if unknown:
        raise BuildError(
            f"unknown platform {', '.join(unknown)}; choose from {', '.join(manifest['platforms'])}"
        )
    tools = blender_tools()
    ensure_wheels(lock, platforms, offline=offline)
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pointskel-stage-") as tmp:
        stage_dir = Path(tmp) / manifest["id"]
        stage_package(stage_dir, platforms)
        stage_wheels(stage_dir, lock, platforms)
        log(f"building with Blender {tools.version}'s blender_ext.py")
        run_blender_ext(tools, "build", "--split-platforms", "--source-dir", str(stage_dir),
                        "--output-dir", str(output))
    zips = [output / zip_name(manifest, p) for p in platforms]
    for path in zips:
        if not path.is_file():
            raise BuildError(f"Blender's builder did not produce {path}")
        log(f"validate {path.name}: {validate(path, tools)}")
        size = path.stat().st_size
        log(f"{path.name}: {size / 1e6:.1f} MB")
        if size > MAX_ZIP_BYTES:
            raise BuildError(
                f"{path.name} is {size / 1e6:.1f} MB, over the {MAX_ZIP_BYTES / 1e6:.0f} MB limit"
            )
    return zips


def relock() -> Lock:
    """Download the lock's pinned requirements for every platform afresh; rewrite the lock and the
    manifest's wheels."""
    lock = load_lock()
    wheels: list[LockedWheel] = []
    with tempfile.TemporaryDirectory(prefix="pointskel-relock-") as tmp:
        for platform in lock.pip_platforms:
            dest = Path(tmp) / platform
            pip_download(lock, platform, dest)
            for path in sorted(dest.glob("*.whl")):
                wheels.append(LockedWheel(path.name, platform, sha256(path), path.stat().st_size))
                shutil.copy2(path, WHEELS / path.name)
    new = Lock(lock.python_version, lock.requirements, lock.pip_platforms, tuple(wheels))
    data = {"format": LOCK_FORMAT, "python_version": new.python_version,
            "requirements": list(new.requirements),
            "pip_platforms": {k: list(v) for k, v in new.pip_platforms.items()},
            "wheels": [w.__dict__ for w in new.wheels]}
    LOCK.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    listed = "".join(f'  "{manifest_wheel_path(w)}",\n' for w in new.wheels)
    text, count = re.subn(r"^wheels\s*=\s*\[[^\]]*\]", f"wheels = [\n{listed}]",
                          MANIFEST.read_text(encoding="utf-8"), flags=re.M)
    if count != 1:
        raise BuildError("cannot find the `wheels = [...]` list in blender_manifest.toml")
    MANIFEST.write_text(text, encoding="utf-8")
    log(f"locked {len(wheels)} wheels for {', '.join(new.pip_platforms)}")
    return new


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--platform", help="build only this platform's zip (e.g. linux-x64, or `current`)")
    parser.add_argument("--output", type=Path, default=DIST, help="folder for the zips (default: dist/)")
    parser.add_argument("--offline", action="store_true", help="use only wheels already in wheels/")
    parser.add_argument("--relock", action="store_true",
                        help="re-download the pinned wheels, rewrite wheels/lock.json "
                             "and the manifest's wheel list")
    args = parser.parse_args(argv)
    try:
        if args.relock:
            relock()
            return 0
        platforms = None
        if args.platform:
            platforms = [this_platform() if args.platform == "current" else args.platform]
        build(platforms, args.output, offline=args.offline)
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
