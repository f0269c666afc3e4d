"""Issue 16, item 2: a full disk is an error naming the file, never a truncated result.

Three ways to get a write refused: a real tmpfs with no space left (needs root to mount), a
size limit on the process (RLIMIT_FSIZE: writes past it fail with EFBIG, no root needed), and
real files cut short, fed to the check that runs before every atomic rename."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from reliability_cases import FAST, save_figure

from filesystems import leftovers
from pointskel_blender.cli.run import main
from pointskel_blender.core.errors import OutputError
from pointskel_blender.core.files import write_text_atomic
from pointskel_blender.core.verify import verify_written

ROOT = Path(__file__).resolve().parents[2]


def test_cli_json_and_preview_on_a_full_disk_are_one_line_errors(tmp_path, full_disk, capsys):
    image = save_figure(tmp_path / "x.png")
    for flag in ("--json", "--preview"):
        target = full_disk / "x.out"
        assert main([str(image), flag, str(target), *FAST]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "No space left on device" in err and "Traceback" not in err
        assert err.count(str(target)) == 1 and err.count(str(image)) == 1
        assert not target.exists() and leftovers(full_disk) == []


def test_an_existing_result_survives_a_full_disk(full_disk):
    target = full_disk / "skeleton.json"
    target.unlink(missing_ok=True)
    (full_disk / "filler").unlink()
    target.write_text('{"kept": true}')
    from filesystems import fill

    fill(full_disk)
    with pytest.raises(OutputError, match="No space left"):
        write_text_atomic(target, json.dumps({"joints": list(range(5000))}), "json")
    assert json.loads(target.read_text()) == {"kept": True}


_LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # past the limit, write() fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))  # the JSON fits, the preview does not
from pointskel_blender.cli.run import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_size_limited_write_is_an_error_not_a_truncated_file(tmp_path):
    image = save_figure(tmp_path / "x.png")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", _LIMITED, str(image), "-o", str(out), *FAST],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "File too large" in done.stderr and "Traceback" not in done.stderr
    # the small JSON fits and is whole; the preview does not fit and is not there at all
    assert json.loads((out / "x.json").read_text())["joints"]
    assert not (out / "x_preview.png").exists() and leftovers(out) == []


@pytest.mark.parametrize("kind", ["json", "png"])
def test_a_file_cut_short_is_refused_by_the_check(tmp_path, kind):
    image = save_figure(tmp_path / "x.png")
    whole = tmp_path / f"whole.{kind}"
    assert main([str(image), "--json" if kind == "json" else "--preview", str(whole), *FAST]) == 0
    verify_written(whole, kind)
    data = whole.read_bytes()
    for cut in (1, len(data) // 2, len(data) - 2):  # JSON without its final newline is still whole
        part = tmp_path / f"part.{kind}"
        part.write_bytes(data[:cut])
        with pytest.raises(OutputError, match="incomplete"):
            verify_written(part, kind)
    with pytest.raises(OutputError, match=f"only {len(data) - 2} of {len(data)} bytes"):
        verify_written(part, None, size=len(data))
