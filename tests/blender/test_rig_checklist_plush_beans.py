"""The rigger's checklist (scripts/rig_checklist.py) on plush beans of people seen from the front
(`posing_figures`: a round head bulging from the body with no neck, stubby arms and legs), both facings,
as the sidebar builds them (the shipped model): every line holds. A bean whose head the medial tree has
no branch for lost an arm (the spine ran out along it) and sided both legs alike across the midline
(`core.anatomy.sunk`); one holding its arms out beside its neckless head lost both arms, its head read
as an ear (`cues.trim_head`)."""
from __future__ import annotations

import bpy
import pytest
from blender_helpers import built_from_drawing

import posing_figures as pf

LINES = ("limbs", "bones", "head", "sides", "ik", "floor", "facing", "weights", "posing", "legs")
BEANS = [c for make in (pf.bean_person, pf.stubby_bean, pf.small_head_bean, pf.arms_out_bean)
         for c in (make(), make().flipped())]


@pytest.mark.parametrize("figure", BEANS, ids=lambda c: c.name)
def test_a_plush_bean_from_the_front_passes_the_checklist(addon, scene, checklist, tmp_path, figure):
    built, skeleton = built_from_drawing(addon, tmp_path, figure)
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("biped", "front")
    lines = checklist.check(bpy, built.armature, built.mesh, skeleton)
    assert {name: lines[name] for name in LINES} == dict.fromkeys(LINES, "")
