"""A bird seen from the front gets a tail behind its body that the picture does not show
(`core.anatomy.bones._hidden_tail`, its joints hidden): its bone owns none of the mesh (`rig.weights.
unseen_bones`; it had taken a few belly vertices, so posing the tail dragged the belly), and the rigger's
parts line holds; the same tail weighted onto the belly fails it. Real bpy, the sidebar's defaults, both
facings."""
from __future__ import annotations

import bpy
import numpy as np
import pytest
from blender_helpers import built_from_drawing

import anatomy_figures as af
import posing_figures as pf

# (the owl from the front reads as a bird with the geometric predictor only: `test_hidden_joints`)
BIRDS = af.both_facings(af.bird_front(), af.stork_front(), pf.flying_bird_front())


@pytest.mark.parametrize("name", sorted(BIRDS))
def test_a_front_birds_hidden_tail_owns_no_mesh_and_the_parts_line_holds(addon, scene, checklist, tmp_path,
                                                                          name):
    built, skeleton = built_from_drawing(addon, tmp_path, BIRDS[name])
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("bird", "front")
    assert [j.name for j in skeleton.joints if j.hidden] == ["tail", "tail_end"]
    rig, mesh = built.armature, built.mesh
    tail = mesh.vertex_groups.get("tail")
    owned = [v.index for v in mesh.data.vertices for e in v.groups
             if tail is not None and e.group == tail.index and e.weight > 0]
    assert not owned
    assert checklist.check(bpy, rig, mesh, skeleton)["parts"] == ""
    rest = checklist._posed(bpy, mesh)
    world = rig.matrix_world
    hips = np.array(world @ rig.data.bones["spine"].head_local)
    belly = np.argsort(np.linalg.norm(rest - hips, axis=1))[:10].tolist()  # as main weighted it, more or less
    for group in mesh.vertex_groups:
        group.remove(belly)
    (tail or mesh.vertex_groups.new(name="tail")).add(belly, 1.0, "REPLACE")
    assert checklist.check(bpy, rig, mesh, skeleton)["parts"].startswith("hidden, it moves the mesh: tail ")
