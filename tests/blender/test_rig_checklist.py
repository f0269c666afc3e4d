"""scripts/rig_checklist.py: the rigger's list holds on the bundled fox and on drawn figures of each plan.
(Line by line on rigs built in this process: test_rig_checklist_lines.py.)"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

import anatomy_figures as af

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "pointskel_blender" / "samples" / "sample_character.png"
pytestmark = pytest.mark.slow


def _checklist(*images: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "rig_checklist.py"), *map(str, images)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_the_fox_and_a_humanoid_quadruped_and_bird_pass_every_line_of_the_list(tmp_path):
    pytest.importorskip("bpy")
    images = [SAMPLE]
    for character in (af.humanoid_tpose(), af.dog().flipped(), af.bird()):
        images.append(tmp_path / f"{character.name}.png")
        Image.fromarray(af.rgba(character.mask)).save(images[-1])
    done = _checklist(*images)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[-1] == "checklist: 43 passed, 0 failed, 1 not applicable"
    for name in ("limbs", "bones", "head", "sides", "ik", "floor", "facing", "weights", "posing", "legs"):
        assert sum(1 for line in lines if line.split()[:2] == [name, "ok"]) == 4, name
    # the fox's ears, the dog's tail and ears, the bird's tail follow their bones; the humanoid has none
    assert sum(1 for line in lines if line.split()[:2] == ["parts", "ok"]) == 3
    assert "parts    n/a: no ear or tail" in done.stdout
    assert "dog_flipped.png: quadruped" in done.stdout and "facing right" in done.stdout


def test_an_object_skips_the_head_line_and_the_exit_status_counts_only_failures(tmp_path):
    """A cup has no head, no body axis, no legs and no ears or tail: those lines say n/a, are counted apart,
    and do not set the exit status."""
    pytest.importorskip("bpy")
    cup = tmp_path / "cup.png"
    Image.fromarray(af.rgba(af.cup().mask)).save(cup)
    done = _checklist(cup)
    assert "head     n/a: an object read as generic has no head" in done.stdout
    last = done.stdout.splitlines()[-1]
    assert "legs     n/a: no leg or hind_leg" in done.stdout
    assert "parts    n/a: no ear or tail" in done.stdout
    assert "facing   n/a: an object read as generic has no body axis" in done.stdout
    assert last.endswith(", 4 not applicable")
    failed = int(last.split(", ")[1].split()[0])
    assert done.returncode == (1 if failed else 0)
    assert int(last.split()[1]) + failed + 4 == 11
