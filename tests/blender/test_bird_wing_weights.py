"""A bird's wings the outline hides move its mesh: the far wing of a side view (a copy exactly behind
the near one, `core.anatomy.hidden`, which owns the mesh's back half there: `rig.weights.split_copies`)
and both wings folded on a plump body seen from the front (`core.anatomy.tucked`), each wing bone
owning vertices of its own, and the rigger's list holding (but for the front view's hidden tail, whose
tip lags its bone as on main). Real bpy, the sidebar's default settings."""
from __future__ import annotations

import bpy
import pytest
from blender_helpers import built_from_drawing

import anatomy_figures as af

BIRDS = af.both_facings(af.bird(), af.bird_front_folded())


@pytest.mark.parametrize("name", sorted(BIRDS))
def test_both_wings_of_a_bird_own_vertices_and_the_list_holds(addon, scene, checklist, tmp_path, name):
    built, skeleton = built_from_drawing(addon, tmp_path, BIRDS[name])
    assert skeleton.anatomy.body_plan == "bird"
    rig, mesh = built.armature, built.mesh
    wings = [b.name for b in rig.data.bones if b.use_deform and b.name.startswith("wing")]
    assert sorted(bone.split(".")[1] for bone in wings) == ["L"] * 3 + ["R"] * 3, wings  # three bones each
    groups = {g.index: g.name for g in mesh.vertex_groups}
    owned = dict.fromkeys(wings, 0)
    for vertex in mesh.data.vertices:
        for entry in vertex.groups:
            if groups.get(entry.group) in owned and entry.weight >= 0.1:
                owned[groups[entry.group]] += 1
    assert all(owned.values()), owned  # the far and the folded wing bones too
    lines = checklist.check(bpy, rig, mesh, skeleton)
    lag = "its tip lags the bone: tail "  # the front view's hidden tail (`bones._hidden_tail`), as on main
    problems = {line: text for line, text in lines.items()
                if text and not text.startswith(checklist.NOT_APPLICABLE)
                and not (line == "parts" and text.startswith(lag) and "," not in text)}
    assert not problems, problems
