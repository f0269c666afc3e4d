"""The joints the picture does not show are marked hidden (`skeleton.Joint.hidden`), so the weights can
leave them without flesh of the picture: a front view bird's tail behind its body (`bones._hidden_tail`),
a side view's far leg and wing copied behind the near ones (`core.anatomy.hidden`), a side view's far arm
held down behind the near one (`core.anatomy.tucked`); what is drawn (the near limbs, a front view's
folded wings on the body's sides) is not. Drawn figures, both facings, the geometric predictor."""
from __future__ import annotations

import pytest

import anatomy_figures as af
from test_tucked_limbs import person_side

FRONT = af.both_facings(af.bird_front(), af.stork_front(), af.owl_front(), af.bird_front_folded())
SIDE = af.both_facings(af.bird_one_leg(), person_side())
run = af.cached_results(FRONT | SIDE)


@pytest.mark.parametrize("name", sorted(FRONT))
def test_a_front_view_birds_tail_behind_its_body_is_hidden_and_nothing_else(name):
    skeleton = run(name).skeleton
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("bird", "front")
    hidden = sorted(j.name for j in skeleton.joints if j.hidden)
    assert hidden == ["tail", "tail_end"]  # the folded wings lie on the body's sides: drawn


@pytest.mark.parametrize("name, parts", [(n, ("leg", "wing")) for n in sorted(SIDE) if "bird" in n]
                         + [(n, ("arm",)) for n in sorted(SIDE) if "person" in n])
def test_a_side_views_far_limbs_copied_behind_the_near_ones_are_hidden_and_only_they(name, parts):
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.view, anatomy.facing) == ("side", SIDE[name].facing)
    far = "R" if anatomy.facing == "left" else "L"  # a figure facing left shows its left side
    for joint in skeleton.joints:
        assert joint.hidden == (joint.part in parts and joint.side == far), joint
    assert sum(j.hidden for j in skeleton.joints) >= 3 * len(parts)
