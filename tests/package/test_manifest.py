"""blender_manifest.toml and wheels/lock.json: Blender's rules, our rules, and Blender's own validator."""
from __future__ import annotations

import re
import runpy

import pytest

import build_extension as bx
import pointskel_blender

MANIFEST = bx.load_manifest()
LOCK = bx.load_lock()
PLATFORMS = ["windows-x64", "macos-arm64", "macos-x64", "linux-x64"]
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?")


def distribution(wheel_file: str) -> str:
    return wheel_file.split("-")[0].lower().replace("_", "-")


def test_identity_fields() -> None:
    assert MANIFEST["schema_version"] == "1.0.0"
    assert MANIFEST["id"] == "pointskel"
    assert MANIFEST["name"] == "PointSkel"
    assert MANIFEST["type"] == "add-on"
    assert MANIFEST["maintainer"].strip()
    assert MANIFEST["blender_version_min"] == "4.2.0"
    assert MANIFEST["license"] == ["SPDX:GPL-3.0-or-later"]


def test_version_is_semver_and_matches_package() -> None:
    assert SEMVER.fullmatch(MANIFEST["version"])
    assert MANIFEST["version"] == pointskel_blender.__version__


@pytest.mark.parametrize("field", ["tagline", "permissions.files", "permissions.network"])
def test_terse_texts_follow_blenders_rules(field: str) -> None:
    value = MANIFEST
    for key in field.split("."):
        value = value[key]
    assert value == value.strip() and value
    assert len(value) <= 64
    assert value[-1].isalnum(), f"{field} must not end with punctuation: {value!r}"


def test_permissions_are_a_table_of_reasons() -> None:
    assert isinstance(MANIFEST["permissions"], dict)
    assert set(MANIFEST["permissions"]) == {"files", "network"}


def test_platforms_match_manifest_and_lock() -> None:
    assert MANIFEST["platforms"] == PLATFORMS
    assert sorted(LOCK.pip_platforms) == sorted(PLATFORMS)


def test_tags_are_blenders_add_on_tags(tools: bx.BlenderTools) -> None:
    valid = set(runpy.run_path(str(tools.valid_tags))["addons"])
    assert MANIFEST["tags"] and set(MANIFEST["tags"]) <= valid


def test_manifest_wheels_are_exactly_the_lock() -> None:
    assert MANIFEST["wheels"] == [f"./wheels/{w.file}" for w in LOCK.wheels]
    assert len(set(MANIFEST["wheels"])) == len(MANIFEST["wheels"])
    bx.check_manifest_matches_lock(MANIFEST, LOCK)


def test_lock_detects_a_manifest_that_drifted() -> None:
    drifted = dict(MANIFEST, wheels=MANIFEST["wheels"][1:])
    with pytest.raises(bx.BuildError, match="--relock"):
        bx.check_manifest_matches_lock(drifted, LOCK)


def test_numpy_is_never_bundled() -> None:
    assert not [w for w in MANIFEST["wheels"] if distribution(w.rsplit("/", 1)[-1]) == "numpy"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_blenders_split_gives_each_platform_one_wheel_per_requirement(
    tools: bx.BlenderTools, platform: str
) -> None:
    """Blender picks a zip's wheels by file tag (universal2 goes to both Macs); none may be doubled or
    missing."""
    blender_ext = runpy.run_path(str(tools.blender_ext), run_name="blender_ext_under_test")
    chosen = blender_ext["paths_filter_wheels_by_platform"](MANIFEST["wheels"], platform)
    assert sorted(chosen) == sorted(f"./wheels/{w.file}" for w in LOCK.for_platform(platform))
    wanted = sorted(r.split("==")[0].lower() for r in LOCK.requirements)
    assert sorted(distribution(w.rsplit("/", 1)[-1]) for w in chosen) == wanted


def test_every_locked_wheel_is_for_cpython_311() -> None:
    for wheel in LOCK.wheels:
        python_tag, abi_tag = wheel.file[:-4].split("-")[-3:-1]
        assert "cp311" in python_tag.split(".") or abi_tag == "abi3", wheel.file


def test_build_section_excludes_caches_and_tests() -> None:
    build = MANIFEST["build"]
    assert "paths" not in build
    patterns = build["paths_exclude_pattern"]
    assert {"__pycache__/", "/tests/", ".*"} <= set(patterns)


def test_narrowed_manifest_changes_only_the_platforms() -> None:
    text = bx.MANIFEST.read_text(encoding="utf-8")
    narrowed = bx.tomllib.loads(bx.manifest_for_platforms(text, ["linux-x64"]))
    assert narrowed.pop("platforms") == ["linux-x64"]
    assert narrowed == {k: v for k, v in MANIFEST.items() if k != "platforms"}


def test_blenders_validator_accepts_the_staged_folder(tmp_path, tools: bx.BlenderTools) -> None:
    stage = tmp_path / "pointskel"
    bx.stage_package(stage, PLATFORMS)
    assert (stage / "blender_manifest.toml").is_file() and (stage / "__init__.py").is_file()
    assert "Success" in bx.validate(stage, tools)


def test_blenders_validator_is_run_with_blenders_tags(tmp_path, tools: bx.BlenderTools) -> None:
    stage = tmp_path / "pointskel"
    bx.stage_package(stage, PLATFORMS)
    manifest = stage / "blender_manifest.toml"
    text, count = re.subn(r"^tags = .*$", 'tags = ["Rigging", "Not A Blender Tag"]', manifest.read_text(),
                          flags=re.M)
    assert count == 1
    manifest.write_text(text)
    with pytest.raises(bx.BuildError, match="Not A Blender Tag"):
        bx.validate(stage, tools)
