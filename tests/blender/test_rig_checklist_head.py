"""The checklist's head line measures the head bone: it must reach the crown (or the muzzle, on a side
view), not only exist. A stub, or a head bone pointing down into the neck (as a big cartoon head once
got), fails; an ear rising on the head's own line does not count as head."""
from __future__ import annotations

from pathlib import Path

import bpy
import pytest
from blender_helpers import built_from_drawing

import anatomy_figures as af

ROOT = Path(__file__).resolve().parents[2]


def _move_head_tail(rig, share: float) -> None:
    """The head bone's tail moved to `share` of its length from its head (negative: pointing back)."""
    bpy.context.view_layer.objects.active = rig
    bpy.ops.object.mode_set(mode="EDIT")
    head = rig.data.edit_bones["head"]
    head.tail = head.head + share * (head.tail - head.head)
    bpy.ops.object.mode_set(mode="OBJECT")


@pytest.mark.parametrize("share", [0.3, -0.3], ids=["stub", "pointing_down"])
def test_a_head_bone_short_of_the_crown_fails_the_head_line(addon, scene, checklist, tmp_path, share):
    built, skeleton = built_from_drawing(addon, tmp_path, af.chibi())
    assert checklist.check(bpy, built.armature, built.mesh, skeleton)["head"] == ""
    _move_head_tail(built.armature, share)
    assert "short of the outline" in checklist.check(bpy, built.armature, built.mesh, skeleton)["head"]


def test_an_ear_on_the_heads_line_is_not_head_the_bone_falls_short_of(addon, scene, checklist, tmp_path):
    """A side-view plush's ear rises straight from the crown, where its head bone ends."""
    built, skeleton = built_from_drawing(addon, tmp_path, af.plush_side())
    assert any(j.part == "ear" for j in skeleton.joints)
    assert checklist.check(bpy, built.armature, built.mesh, skeleton)["head"] == ""
