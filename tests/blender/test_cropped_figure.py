"""A picture that cuts the figure off (a bust, a close-up) is built with a warning that says where the
frame cuts it, in the build's warnings, which the sidebar's operator and the batch log report; a whole
figure gets none. Real bpy, a drawn figure on paper."""
from __future__ import annotations

import bpy
from blender_helpers import FAST, built_from_drawing, run_operator

import photo_figures


def _bust() -> photo_figures.Picture:
    """The plush bunny cut off at its belly: its round body runs off the bottom edge."""
    whole = photo_figures.plush_bunny(256)
    return photo_figures.Picture("bust", whole.rgb[: int(0.66 * 256)].copy(), "biped", "front", "viewer")


def test_a_bust_is_built_with_a_warning_that_the_frame_cuts_it(addon, scene, tmp_path):
    built, _ = built_from_drawing(addon, tmp_path, _bust(), **FAST)
    cut = [w for w in built.warnings if w.startswith("the figure runs off the image's")]
    assert cut == ["the figure runs off the image's bottom edge: limbs that end there are the frame's cut, "
                   "not feet or hands; for a whole rig use a picture of the whole figure"]
    assert built.armature is not None and built.mesh is not None  # built anyway


def test_a_whole_figure_gets_no_such_warning(addon, scene, tmp_path):
    built, _ = built_from_drawing(addon, tmp_path, photo_figures.tpose_man(256), **FAST)
    assert not [w for w in built.warnings if "runs off" in w]


def test_the_operator_reports_the_cut_as_a_warning(addon, scene, tmp_path, capfd):
    path = _bust().save(tmp_path)
    capfd.readouterr()
    run_operator(path)
    out = capfd.readouterr()
    assert "Warning: the figure runs off the image's bottom edge" in out.out + out.err
    assert len(bpy.context.scene.collection.children) == 1  # built
