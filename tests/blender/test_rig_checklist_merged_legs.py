"""The rigger's checklist (scripts/rig_checklist.py) on side views whose two legs are drawn one behind the
other in one column (`posing_figures`), both facings, as the sidebar builds them (the shipped model): a
T-rex gets both legs, both arms and its tail and passes every line (it had missed an arm facing left, a
leg facing right); a perching owl is read from the side, not from the front with its legs a pair and no
arms (which failed its limbs, posing and legs lines), its round crown the head's, no ear bone lagging."""
from __future__ import annotations

import bpy
import pytest
from blender_helpers import built_from_drawing

import posing_figures as pf

LINES = ("limbs", "bones", "head", "sides", "ik", "floor", "facing", "weights", "posing", "legs", "parts")


@pytest.mark.parametrize("figure", [pf.trex_side(), pf.trex_side().flipped(), pf.owl_side(),
                                    pf.owl_side().flipped()], ids=lambda c: c.name)
def test_merged_legs_from_the_side_pass_the_checklist(addon, scene, checklist, tmp_path, figure):
    built, skeleton = built_from_drawing(addon, tmp_path, figure)
    assert (skeleton.anatomy.view, skeleton.anatomy.facing) == ("side", figure.facing)
    lines = checklist.check(bpy, built.armature, built.mesh, skeleton)
    assert {name: lines[name] for name in LINES} == dict.fromkeys(LINES, "")  # (parts: the tail follows)
