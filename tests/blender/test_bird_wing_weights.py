"""A bird's wings: a side view gets both (the far one a copy exactly behind the near one,
`core.anatomy.hidden`, marked hidden: it owns no flesh, or lifting the near wing would leave a ghost of
it on the body, `rig.weights`), and both wings folded on a plump body seen from the front
(`core.anatomy.tucked`) own vertices of their own, every wing bone the picture shows owning some, and
the rigger's list holding (the front view's hidden tail too: it owns no mesh,
`test_hidden_tail_weights`). Real bpy, the sidebar's default settings."""
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
    hidden = {joint.name for joint in skeleton.joints if joint.hidden}
    assert all(owned[w] for w in wings if w not in hidden), owned  # the near and the folded wing bones
    assert not any(owned[w] for w in wings if w in hidden), owned  # the far copy owns no flesh
    lines = checklist.check(bpy, rig, mesh, skeleton)
    problems = {line: text for line, text in lines.items()
                if text and not text.startswith(checklist.NOT_APPLICABLE)}
    assert not problems, problems
