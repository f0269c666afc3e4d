"""Bipeds seen from the side (drawn, thin and chunky, both facings, through the real pipeline with the
geometric predictor): where the medial tree has no tip of the head's own and runs the spine on up an
arm raised past the head, the head ends at the head and the arm is an arm (`upright.raised_arm`); an
arm the tree forks off the trunk low (its upper arm over the torso) hangs from the shoulders at the
torso's top, and the neck starts there; a head on a neck starts above the chin, at the skull's base
(`bones._skull_base`), a plush head on its body at the pinch (`upright.side_neck`); thighs overlapping
down to the knees put the hips where the torso ends, not at the knees (`upright.side_hips`); a chibi whose
feet overlap on the floor faces where its toes reach past its ankles (`cues.footprint`), wherever the tree
ends its one leg, heel or toe (`upright.side_biped`)."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.anatomy.body import Body
from pointskel_blender.core.anatomy.upright import raised_arm, top_head
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline
from test_anatomy_figures import limb_counts

RAISED = [af.raised_hand_side(), af.raised_hand_chunky(), af.raised_hand_thick()]
AHEAD = [af.forearm_ahead_side(), af.forearm_ahead_chunky()]
HEADS = {"forearm_ahead_side": 0.065, "forearm_ahead_chunky": 0.1}  # as drawn (`anatomy_figures`)
NECKS = [af.walker_side(), af.plush_side()]
STRIDES = [af.knee_stride_side(), af.knee_stride_chunky()]
REACHING = [af.reaching_side(), af.leaning_reach_side()]
TORSOS = {"knee_stride_side": 0.11, "knee_stride_chunky": 0.2}  # widths as drawn, ending at 0.5
FEET = [af.chibi_side_feet_together()]
DRAWN = RAISED + AHEAD + NECKS + STRIDES + REACHING + FEET
FIGURES = {c.name: c for c in DRAWN + [c.flipped() for c in DRAWN]}
# the head's centre and radius as drawn (fractions of the canvas)
NECKED = {"walker_side": (0.12, 0.065), "forearm_ahead_side": (0.125, 0.065),
          "forearm_ahead_chunky": (0.16, 0.1)}


@cache
def run(name: str) -> PipelineResult:
    return af.drawn_result(FIGURES[name])


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if n.startswith("raised")))
def test_an_arm_raised_past_the_head_is_an_arm_and_the_head_ends_at_the_head(name):
    character = FIGURES[name]
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("biped", "side", character.facing)
    assert limb_counts(skeleton) == character.limbs
    # the highest joint is the raised hand's end, not the crown
    top = min(skeleton.joints, key=lambda j: j.pixel[1])
    assert top.part == "arm", top.name
    # the head bone spans the drawn head (its crown within the head's disc and above the neck's base)
    rows = np.flatnonzero(character.mask.any(axis=1))
    crown = skeleton.joints[skeleton.index("head_end")].pixel
    neck = skeleton.joints[skeleton.index("neck")].pixel
    height = rows[-1] - rows[0]
    assert crown[1] < neck[1]
    assert abs(crown[0] - neck[0]) < 0.1 * height  # up the head, not out along the arm


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if n.startswith("raised")))
def test_the_raised_arm_leaves_the_spine_under_the_head(name):
    """The arm's shoulder hangs from the trunk below the head's base (the neck), not from the head."""
    skeleton = run(name).skeleton
    head = skeleton.joints[skeleton.index("head")].pixel
    for joint in skeleton.joints:
        if joint.part == "arm" and joint.name.startswith("shoulder"):
            assert joint.pixel[1] > head[1], joint.name
            assert skeleton.joints[joint.parent].part == "spine", joint.name


def test_a_head_on_top_of_the_spine_is_no_raised_arm():
    """The walker's spine ends at its head (thick), so nothing is cut from it."""
    result = run_pipeline(image_from_array(af.rgba(af.walker_side().mask), source="walker.png"),
                          PipelineSettings(predictor="geometric"))
    body = Body(result.tree, result.shape)
    head = max(body.leaves, key=lambda leaf: body.xy[leaf, 1])
    feet = min(body.leaves, key=lambda leaf: body.xy[leaf, 1])
    assert raised_arm(body, body.path(feet, head)) is None


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if n.removesuffix("_flipped") in af.REACHING))
def test_an_arm_held_out_beside_the_head_is_an_arm_and_the_head_is_the_head(name):
    """Leaning back, an arm held out ahead at the shoulders' height beside the round head: both leave
    the thick torso's top within its reach (`cues.trim_head` had stopped the spine there and named
    both ears); leaning far back, the hand nearer straight above the feet, `cues.head_tip` took the
    hand for the head (`upright.top_head`). The head's joints lie in the drawn head and the arm
    reaches the drawn hand."""
    character = FIGURES[name]
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("biped", "side", character.facing)
    assert limb_counts(skeleton) == character.limbs
    size = character.mask.shape[0]
    lean, hand = af.REACHING[name.removesuffix("_flipped")]
    (x, y, radius), hand = af.reaching_head(lean), np.array(hand)
    centre = np.array([x, y])
    if name.endswith("_flipped"):
        centre[0], hand[0] = 1 - centre[0], 1 - hand[0]
    heads = [np.array(j.pixel[:2]) / size for j in skeleton.joints if j.part == "head"]
    assert heads and all(np.linalg.norm(p - centre) < 1.3 * radius for p in heads)
    arms = [np.array(j.pixel[:2]) / size for j in skeleton.joints if j.part == "arm"]
    assert min(np.linalg.norm(p - hand) for p in arms) < 0.04


@pytest.mark.parametrize("name", ["leaning_reach_side", "leaning_reach_side_flipped"])
def test_the_head_tip_is_the_one_over_a_neck_not_the_hand_held_out(name):
    """`upright.top_head` turns a hand taken for the head (thick by the torso within a head's reach,
    nearer straight above the feet) to the head's tip, and keeps the head's own tip."""
    result = run(name)
    body = Body(result.tree, result.shape)
    legs = sorted(body.leaves, key=lambda leaf: body.xy[leaf, 1])[:2]
    px = result.shape.frame.to_pixels(body.pos)[:, :2] / FIGURES[name].mask.shape[0]
    lean, hand = af.REACHING["leaning_reach_side"]
    x, y, _ = af.reaching_head(lean)
    flip = name.endswith("_flipped")
    centre, hand = np.array([1 - x if flip else x, y]), np.array([1 - hand[0] if flip else hand[0], hand[1]])
    head = min(body.leaves, key=lambda leaf: float(np.linalg.norm(px[leaf] - centre)))
    held = min(body.leaves, key=lambda leaf: float(np.linalg.norm(px[leaf] - hand)))
    assert top_head(body, held, legs) == head
    assert top_head(body, head, legs) == head


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if n.startswith("forearm")))
def test_an_arm_over_the_torso_hangs_from_the_shoulders_and_the_neck_starts_above_them(name):
    """The upper arm hangs over the torso and the forearm leaves it at the elbow, at the waist: the
    tree forks into the arm there. The neck starts at the torso's top (not at the elbow's height,
    a neck over the whole chest) and the shoulder sockets sit by the drawn shoulder."""
    character = FIGURES[name]
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("biped", "side", character.facing)
    assert limb_counts(skeleton) == character.limbs
    size = character.mask.shape[0]
    head = HEADS[name.removesuffix("_flipped")]
    chest, elbow = (0.06 + 2 * head + 0.07) * size, 0.43 * size
    shoulder = chest + 0.03 * size  # where the arm's stroke starts
    neck = skeleton.joints[skeleton.index("neck")].pixel
    assert neck[1] < chest + 0.25 * (elbow - chest)
    for joint in skeleton.joints:
        if joint.name.startswith("shoulder"):
            assert abs(joint.pixel[1] - shoulder) < 0.05 * size, joint.name


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if n.startswith("forearm")))
def test_an_upper_arm_over_the_torso_pivots_at_the_shoulder_not_the_ribs(name):
    """The arm's outline leaves the torso's at the elbow, at the waist: its upper arm still starts at
    the drawn shoulder, in the torso's upper third (`side_shoulder`), so rotating it swings the arm
    about the shoulder, not about the ribs (the sockets had sat 0.32-0.46 of the torso down)."""
    character = FIGURES[name]
    skeleton = run(name).skeleton
    size = character.mask.shape[0]
    shoulder = (0.06 + 2 * HEADS[name.removesuffix("_flipped")] + 0.07 + 0.03) * size  # the arm's stroke
    neck = skeleton.joints[skeleton.index("neck")].pixel
    hips = skeleton.joints[0].pixel
    uppers = [j for j in skeleton.joints if j.name.startswith("upper_arm")]
    assert len(uppers) == 2
    for joint in uppers:
        assert abs(joint.pixel[1] - shoulder) < 0.05 * size, joint.name
        assert joint.pixel[1] - neck[1] < (hips[1] - neck[1]) / 3, joint.name


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if n.removesuffix("_flipped") in NECKED))
def test_a_side_view_head_starts_inside_the_head_and_the_neck_under_it(name):
    """A head on a neck (`upright.side_neck`): the head bone starts above the chin, inside the drawn
    head (its base at the top of the neck), the neck bone under the head's disc (two head radii down
    from the crown had put the head's base at the chin)."""
    skeleton = run(name).skeleton
    size = FIGURES[name].mask.shape[0]
    centre, radius = NECKED[name.removesuffix("_flipped")]
    chin = (centre + radius) * size
    head = skeleton.joints[skeleton.index("head")].pixel
    neck = skeleton.joints[skeleton.index("neck")].pixel
    assert centre * size - 0.25 * radius * size < head[1] < chin - 0.02 * size
    assert neck[1] > chin - 0.01 * size


@pytest.mark.parametrize("name", sorted(NECKED))
def test_a_side_view_head_starts_at_the_skull_base_in_both_facings(name):
    """The head bone starts where the neck meets the skull, in the head's lower half (`bones._skull_base`),
    not at the first thick joint of the medial tree, which lay at the drawn walker's head's centre facing
    one way and halfway down it facing the other; both facings alike."""
    centre, radius = NECKED[name]
    size = FIGURES[name].mask.shape[0]
    heads = [run(n).skeleton.joints[run(n).skeleton.index("head")] for n in (name, f"{name}_flipped")]
    below = [(head.pixel[1] - centre * size) / (radius * size) for head in heads]
    assert all(0.5 < b < 0.9 for b in below), below
    assert abs(below[0] - below[1]) < 0.1, below


@pytest.mark.parametrize("name", ["plush_side", "plush_side_flipped"])
def test_a_plush_head_on_its_body_starts_at_the_pinch(name):
    """A plush figure's big head sits on its body with no neck between: the head bone starts where
    the outline pinches in between the head and the body (its narrowest row there)."""
    character = FIGURES[name]
    skeleton = run(name).skeleton
    size = character.mask.shape[0]
    rows = np.arange(int(0.27 * size), int(0.56 * size))  # the head's centre to the body's (as drawn)
    pinch = rows[int(np.argmin(character.mask[rows].sum(axis=1)))]
    head = skeleton.joints[skeleton.index("head")].pixel
    neck = skeleton.joints[skeleton.index("neck")].pixel
    assert abs(head[1] - pinch) < 0.03 * size
    assert neck[1] > head[1]


@pytest.mark.parametrize("name", sorted(n for n in FIGURES if n.startswith("knee_stride")))
def test_thighs_overlapping_down_to_the_knees_leave_the_hips_where_the_torso_ends(name):
    """Seen from the side the thighs overlap and the tree forks into the legs at the knees: the hips
    (joint 0) are at the torso's drawn end, and both legs start there."""
    character = FIGURES[name]
    skeleton = run(name).skeleton
    anatomy = skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("biped", "side", character.facing)
    size = character.mask.shape[0]
    end = (0.5 + TORSOS[name.removesuffix("_flipped")] / 2) * size  # the torso stroke's round end
    hips = skeleton.joints[0].pixel
    assert abs(hips[1] - end) < 0.05 * size
    thighs = [j for j in skeleton.joints if j.name.startswith("thigh")]
    assert len(thighs) == 2
    for thigh in thighs:
        assert abs(thigh.pixel[1] - hips[1]) < 0.05 * size, thigh.name


@pytest.mark.parametrize("name", ["chibi_side_feet_together", "chibi_side_feet_together_flipped"])
@pytest.mark.parametrize("predictor", ["geometric", "auto"])
def test_a_chibi_with_its_feet_together_faces_its_toes(name, predictor):
    character = FIGURES[name]
    image = image_from_array(af.rgba(character.mask), source=f"{name}.png")
    anatomy = run_pipeline(image, PipelineSettings(predictor=predictor)).skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("biped", "side", character.facing)
