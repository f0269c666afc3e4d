"""Where a side view quadruped's neck starts (drawn, through the real pipeline with the geometric
predictor, both facings): where the neck leaves the chest, not down in the chest where the tree forks
into the front legs, and not up at the head."""
from __future__ import annotations

import numpy as np
import pytest

import anatomy_figures as af

DRAWN = af.both_facings(af.dog(), af.horse())
run = af.cached_results(DRAWN)
SIZE = 400  # the figures' canvas, pixels
# where each figure's neck stroke leaves its body, in canvas fractions (as drawn, `anatomy_figures`)
NECK_BASES = {"dog": (0.34, 0.42), "horse": (0.64, 0.36)}


@pytest.mark.parametrize("name", sorted(DRAWN))
def test_a_side_view_quadrupeds_neck_starts_where_the_neck_leaves_its_chest(name):
    skeleton = run(name).skeleton
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("quadruped", "side")
    necks = [i for i, j in enumerate(skeleton.joints) if j.part == "neck"]
    heads = [j for j in skeleton.joints if j.part == "head"]
    assert 1 <= len(necks) <= 3 and heads  # the neck 1-3 bones, the head bone kept
    assert skeleton.joints[skeleton.joints[necks[0]].parent].part == "spine"
    x, y = NECK_BASES[name.removesuffix("_flipped")]
    drawn = np.array([SIZE - x * SIZE if name.endswith("_flipped") else x * SIZE, y * SIZE])
    assert np.linalg.norm(np.array(skeleton.joints[necks[0]].pixel) - drawn) <= 0.025 * SIZE
