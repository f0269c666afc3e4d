"""Build this platform's extension zip with the real build script, then install it into a fresh Blender.

The install runs in its own interpreter that sees only what Blender ships (see blender_probe.py), so
the add-on's scipy, Pillow and onnxruntime can only come from the zip's wheels.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import numpy as np
import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

import blender_probe
import build_extension as bx

pytestmark = pytest.mark.slow

PLATFORM = bx.this_platform()
MANIFEST = bx.load_manifest()
LOCK = bx.load_lock()
SAMPLE = bx.PACKAGE / "samples" / "sample_character.png"
PROBE = Path(blender_probe.__file__)
# What a real Blender bundles besides its own modules; nothing else from the test venv is visible.
BLENDER_SHIPS = ("bpy", "numpy", "numpy.libs", "requests", "certifi", "charset_normalizer", "idna", "urllib3",
                 "zstandard")
# Declared by onnxruntime for its converters and tools; InferenceSession never imports them (the install
# check below runs it where they do not exist).
UNUSED_AT_RUN_TIME = {"onnxruntime": {"coloredlogs", "flatbuffers", "packaging", "protobuf", "sympy"}}


def locked_version(distribution: str) -> str:
    return next(r.split("==")[1] for r in LOCK.requirements
                if canonicalize_name(r.split("==")[0]) == distribution)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    assert PLATFORM in MANIFEST["platforms"], (
        f"this machine ({PLATFORM}) is not a platform the extension supports"
    )
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, str(bx.ROOT / "scripts" / "build_extension.py"),
                             "--platform", PLATFORM, "--output", str(out)],
                            capture_output=True, text=True, cwd=bx.ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return out / bx.zip_name(MANIFEST, PLATFORM), result.stdout


@pytest.fixture(scope="module")
def installed(built: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    root = tmp_path_factory.mktemp("blender")
    shim, user, out = root / "shim", root / "user", root / "out"
    for folder in (shim, user, out):
        folder.mkdir()
    site = Path(importlib.util.find_spec("bpy").origin).parent.parent
    for name in BLENDER_SHIPS:
        if (site / name).exists():
            (shim / name).symlink_to(site / name)
    env = dict(os.environ, BLENDER_USER_RESOURCES=str(user))
    result = subprocess.run([sys.executable, "-I", "-S", str(PROBE), str(shim), str(built[0]), str(out),
                             str(SAMPLE)], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return json.loads((out / "report.json").read_text()), out


def test_build_prints_validation_and_size(built: tuple[Path, str]) -> None:
    path, stdout = built
    assert f'validate {path.name}: Success parsing TOML in "{path}"' in stdout
    assert re.search(rf"{re.escape(path.name)}: \d+\.\d MB", stdout)


def test_zip_is_within_size_limit(built: tuple[Path, str]) -> None:
    size = built[0].stat().st_size
    wheels = sum(w.size for w in LOCK.for_platform(PLATFORM))
    assert wheels < size <= bx.MAX_ZIP_BYTES


def test_zip_holds_the_add_on_models_and_only_this_platforms_wheels(built: tuple[Path, str]) -> None:
    with zipfile.ZipFile(built[0]) as zf:
        names = set(zf.namelist())
    assert {"blender_manifest.toml", "__init__.py", "models/registry.json", "models/u2netp.onnx"} <= names
    assert ({n for n in names if n.startswith("wheels/")}
            == {f"wheels/{w.file}" for w in LOCK.for_platform(PLATFORM)})
    # Every source file ships except caches, dot-files, partial downloads and models fetched on demand.
    sources = {p.relative_to(bx.PACKAGE).as_posix() for p in bx.PACKAGE.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".partial"}
               and not any(part.startswith(".") for part in p.parts)
               and p.name not in bx.unbundled_model_files()}
    assert sources <= names
    offenders = [n for n in names if "__pycache__" in n or n.endswith(".pyc") or n.startswith("tests/")
                 or any(part.startswith(".") for part in n.split("/"))]
    assert not offenders


def test_zip_manifest_names_its_platform_and_wheels(built: tuple[Path, str]) -> None:
    with zipfile.ZipFile(built[0]) as zf:
        manifest = tomllib.loads(zf.read("blender_manifest.toml").decode())
    assert manifest["build"]["generated"]["platforms"] == [PLATFORM]
    assert (manifest["build"]["generated"]["wheels"]
            == [f"./wheels/{w.file}" for w in LOCK.for_platform(PLATFORM)])
    assert manifest["version"] == MANIFEST["version"]


def test_locked_wheels_fit_blenders_python_and_numpy() -> None:
    """Blender installs wheels without resolving dependencies: each must accept Python 3.11 and
    Blender's numpy."""
    bx.ensure_wheels(LOCK, MANIFEST["platforms"], offline=False)
    bundled = {canonicalize_name(r.split("==")[0]) for r in LOCK.requirements}
    for wheel in LOCK.wheels:
        with zipfile.ZipFile(bx.WHEELS / wheel.file) as zf:
            meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
            lines = zf.read(meta).decode().splitlines()
        name = canonicalize_name(wheel.file.split("-")[0])
        requires_python = [line.split(":", 1)[1].strip() for line in lines
                           if line.startswith("Requires-Python:")]
        assert not requires_python or "3.11" in SpecifierSet(requires_python[0]), wheel.file
        for line in lines:
            if not line.startswith("Requires-Dist:"):
                continue
            req = Requirement(line.split(":", 1)[1].strip())
            if req.marker and not req.marker.evaluate({"extra": "", "python_version": "3.11"}):
                continue
            dep = canonicalize_name(req.name)
            if dep == "numpy":
                assert req.specifier.contains(np.__version__), f"{wheel.file} needs numpy {req.specifier}"
            else:
                assert dep in bundled or dep in UNUSED_AT_RUN_TIME.get(name, set()), (
                    f"{wheel.file} needs {dep}"
                )


def test_background_blender_is_offline_with_a_user_repository(installed: tuple[dict, Path]) -> None:
    report = installed[0]
    assert report["online_access"] is False
    assert "user_default" in report["repos"]


def test_blender_installs_and_enables_the_extension(installed: tuple[dict, Path]) -> None:
    report = installed[0]
    assert "install_error" not in report, report["install_error"]
    assert blender_probe.EXTENSION in report["enabled"]
    assert (Path(report["extension_dir"])
            == Path(report["user_resources"]) / "extensions" / "user_default" / "pointskel")


def test_bundled_wheels_import_from_the_extensions_site_packages(installed: tuple[dict, Path]) -> None:
    report = installed[0]
    site = Path(report["user_resources"]) / "extensions" / ".local" / "lib" / "python3.11" / "site-packages"
    for module, distribution in zip(blender_probe.BUNDLED, ("scipy", "pillow", "onnxruntime")):
        found = report["modules"][module]
        assert "error" not in found, found
        assert Path(found["file"]).is_relative_to(site), found["file"]
        assert found["version"] == locked_version(distribution)


def test_bundled_libraries_compute_what_the_development_environment_computes(
        installed: tuple[dict, Path], tmp_path: Path) -> None:
    report, out = installed
    assert "exercise_error" not in report, report["exercise_error"]
    blender_probe.exercise_bundled(bx.PACKAGE, tmp_path)
    inside, outside = np.load(out / "bundled.npz"), np.load(tmp_path / "bundled.npz")
    assert set(inside.files) == set(outside.files)
    for key in inside.files:
        np.testing.assert_allclose(inside[key], outside[key], rtol=1e-5, atol=1e-5, err_msg=key)


def test_operator_builds_an_armature_from_the_sample(installed: tuple[dict, Path]) -> None:
    report = installed[0]
    assert SAMPLE.is_file(), f"{SAMPLE} is missing"
    assert report["has_operator"], f"the add-on registers no bpy.ops.pointskel.{blender_probe.OPERATOR}"
    operator = report["operator"]
    assert "error" not in operator, operator["error"]
    assert operator["result"] == ["FINISHED"]
    assert len(operator["armatures"]) == 1
    assert min(operator["armatures"].values()) >= 2
