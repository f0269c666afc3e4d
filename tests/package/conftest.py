"""Package tests: `scripts/` on sys.path so tests use the build script's own functions."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import build_extension  # noqa: E402


@pytest.fixture(scope="session")
def tools() -> "build_extension.BlenderTools":
    """Blender's blender_ext.py and tags.py from the bpy of the interpreter running the tests (5.0 or 4.2)."""
    return build_extension.blender_tools()
