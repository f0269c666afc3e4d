"""Big legal images have bounded memory: loading costs the float image (16 bytes a pixel) plus the
decoder's own copy, and the preview is drawn at preview size, not at the input's (an 8000×7999 image
with a preview once peaked at 7 GB). Measured as the peak resident memory of a fresh process."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SIDE = 4000  # 16 MP: large enough that per-pixel costs dwarf the interpreter, quick to write
PROBE = f"""
import json, sys
sys.path.insert(0, {str(ROOT)!r})
from pointskel_blender.core.image import load_image
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.preview import render_preview
def rss():  # the peak resident memory of this process alone (ru_maxrss would include pytest's)
    line = next(x for x in open("/proc/self/status") if x.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024
base = rss()
image = load_image(sys.argv[1])
loaded = rss()
render_preview(run_pipeline(image, PipelineSettings(points=1024, work_size=256, mask_backend=sys.argv[2])))
pixels = image.width * image.height
print(json.dumps({{"load": (loaded - base) / pixels, "all": (rss() - base) / pixels}}))
"""


@pytest.fixture(scope="module")
def big_images(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("big")
    rgba = np.zeros((SIDE, SIDE, 4), np.uint8)
    rgba[SIDE // 4 : 3 * SIDE // 4, SIDE * 3 // 8 : SIDE * 5 // 8] = (200, 60, 40, 255)
    Image.fromarray(rgba).save(folder / "cutout.png", compress_level=1)
    Image.fromarray(rgba[..., :3] + 30).save(folder / "photo.jpg", quality=90)
    return {"alpha": folder / "cutout.png", "threshold": folder / "photo.jpg"}


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak memory from /proc")
@pytest.mark.parametrize("backend", ["alpha", "threshold"])
def test_a_big_image_costs_a_bounded_number_of_bytes_per_pixel(big_images, backend):
    done = subprocess.run([sys.executable, "-c", PROBE, str(big_images[backend]), backend],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    per_pixel = json.loads(done.stdout.strip().splitlines()[-1])
    # 16 bytes for the float RGBA, 4 for the decoded file; before: 44 and 117 (7 GB at 64 MP)
    assert per_pixel["load"] < 24
    # The whole run with the preview: 32 bytes a pixel is 2 GB at the 64 MP limit.
    assert per_pixel["all"] < 32
