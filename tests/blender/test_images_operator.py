"""The operators refuse what PointSkel cannot use before spending anything on it: Load Reference Image
takes only real images, and an oversized image in the blend file is refused before its pixels are
copied out (an 81 MP image once cost 2.8 GB and 7 s before the refusal). Real bpy."""
from __future__ import annotations

import tracemalloc

import bpy
import pytest
from blender_helpers import FAST, datablock_counts


@pytest.mark.parametrize("content", [b"hello, this is a text file\n", b"\x89PNG\r\n\x1a\nnot really"],
                         ids=["text", "fake-png"])
def test_load_reference_refuses_a_file_that_is_not_an_image(addon, scene, tmp_path, content):
    path = tmp_path / "notes.png"
    path.write_bytes(content)
    before = datablock_counts()
    with pytest.raises(RuntimeError, match="notes.png: not an image|notes.png: file is truncated"):
        bpy.ops.pointskel.load_reference(filepath=str(path))
    assert datablock_counts() == before


def test_an_oversized_image_is_refused_before_its_pixels_are_copied(addon, scene):
    image = bpy.data.images.new("huge", 9000, 9000)  # 81 MP; PointSkel takes 64 MP at most
    scene.pointskel.source, scene.pointskel.image = "IMAGE", image
    before = datablock_counts()
    tracemalloc.start()
    try:
        with pytest.raises(RuntimeError, match=r"huge: image is 9000×9000 \(81 MP\), larger than the 64 MP"):
            bpy.ops.pointskel.image_to_skeleton(**FAST)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20  # the copy alone would be 81e6 * 4 channels * 4 bytes = 1.3 GB
    assert datablock_counts() == before
