"""The anatomy stage on drawn characters, through the real pipeline (geometric predictor, and the
shipped model once): body plan, view, facing, parts, bones per limb, the head bone, sockets, names."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline
from pointskel_blender.core.skeleton import Skeleton

SAMPLE = Path(__file__).parents[2] / "pointskel_blender" / "samples" / "sample_character.png"
CHARACTERS = {c.name: c for c in af.all_characters(400)}
LIMB_PARTS = ("arm", "leg", "front_leg", "hind_leg", "tail", "wing", "ear", "fin")


@cache
def run(name: str, predictor: str = "geometric", naming: str = "rigify") -> PipelineResult:
    character = CHARACTERS[name]
    image = image_from_array(af.rgba(character.mask), source=f"{name}.png")
    return run_pipeline(image, PipelineSettings(predictor=predictor, naming=naming))


def chains(skeleton: Skeleton) -> list[list[int]]:
    """Each limb's joints: a chain starts where the part or side changes from the parent's."""
    out: dict[int, list[int]] = {}
    for i, joint in enumerate(skeleton.joints):
        parent = skeleton.joints[joint.parent] if joint.parent is not None else None
        starts = parent is None or (parent.part, parent.side) != (joint.part, joint.side) or (
            joint.part in LIMB_PARTS and _letter(joint.name) != _letter(parent.name))
        if starts:
            out[i] = [i]
        else:
            head = next(k for k, c in out.items() if joint.parent in c)
            out[head].append(i)
    return list(out.values())


def _letter(name: str) -> str:
    base = name.split(".")[0].removesuffix("_end")
    return base.rsplit("_", 1)[-1] if "_" in base and len(base.rsplit("_", 1)[-1]) == 1 else ""


def limb_counts(skeleton: Skeleton) -> dict[str, int]:
    counts: dict[str, int] = {}
    for chain in chains(skeleton):
        part = skeleton.joints[chain[0]].part
        if part in LIMB_PARTS or part == "head":
            counts[part] = counts.get(part, 0) + 1
    return counts


def bones_of(skeleton: Skeleton, chain: list[int]) -> int:
    return sum(1 for i in chain if skeleton.children(i))


FIGURES = ["humanoid_tpose", "humanoid_apose", "plush_bear", "chibi", "dog", "dog_flipped", "horse", "bird",
           "snake", "fish", "bug"]


@pytest.mark.parametrize("name", FIGURES + ["cup"])
def test_body_plan_view_and_facing(name):
    character = CHARACTERS[name]
    anatomy = run(name).skeleton.anatomy
    expected = (character.body_plan, character.view, character.facing)
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == expected
    if name == "cup":
        assert anatomy.body_plan_confidence < 0.5
    else:
        assert anatomy.body_plan_confidence >= 0.5


@pytest.mark.parametrize("name", FIGURES)
def test_every_limb_is_there_with_its_part(name):
    counts = limb_counts(run(name).skeleton)
    for part, expected in CHARACTERS[name].limbs.items():
        assert counts.get(part, 0) == expected, f"{part}: {counts}"


@pytest.mark.parametrize("name", ["humanoid_tpose", "humanoid_apose", "chibi", "dog", "horse"])
def test_arms_and_legs_have_three_to_five_bones(name):
    skeleton = run(name).skeleton
    limbs = [c for c in chains(skeleton)
             if skeleton.joints[c[0]].part in ("arm", "leg", "front_leg", "hind_leg")]
    assert limbs
    for chain in limbs:
        assert 3 <= bones_of(skeleton, chain) <= 5, [skeleton.joints[i].name for i in chain]


@pytest.mark.parametrize("name", ["humanoid_tpose", "chibi", "dog", "horse"])
def test_one_head_bone_from_the_neck_to_the_crown(name):
    result = run(name)
    skeleton = result.skeleton
    head = [i for i, j in enumerate(skeleton.joints) if j.part == "head" and skeleton.children(i)]
    assert len(head) == 1
    joint = skeleton.joints[head[0]]
    assert joint.name == "head" and skeleton.joints[joint.parent].part == "neck"
    crown = skeleton.joints[skeleton.tail_child(head[0])]
    assert crown.name == "head_end" and not skeleton.children(skeleton.index("head_end"))
    # the crown is on the outline: the mask's edge is within 2 working px
    mask = CHARACTERS[name].mask
    x, y = (int(v) for v in crown.pixel)
    window = mask[max(0, y - 3) : y + 4, max(0, x - 3) : x + 4]
    assert window.any() and not window.all()
    if skeleton.anatomy.view == "front":  # the head's bone spans the head: a head's height
        assert crown.pixel[1] < joint.pixel[1] - 0.08 * mask.shape[0]


@pytest.mark.parametrize("name", ["humanoid_tpose", "humanoid_apose", "chibi"])
def test_limbs_start_at_the_socket_as_children_of_the_spine(name):
    result = run(name)
    skeleton = result.skeleton
    for chain in chains(skeleton):
        first = skeleton.joints[chain[0]]
        if first.part not in ("arm", "leg"):
            continue
        parent = skeleton.joints[first.parent]
        assert parent.part == "spine"
        # off the spine's centre line, toward its own side
        spine_x = np.mean([j.position[0] for j in skeleton.joints if j.part == "spine"])
        off = first.position[0] - spine_x
        assert (off > 0) == (first.side == "L") and abs(off) > 0.01
        if first.part == "arm":  # the upper arm starts where the arm leaves the torso
            upper = skeleton.joints[skeleton.tail_child(chain[0])]
            assert upper.name.startswith("upper_arm")
            torso = max(j.radius for j in skeleton.joints if j.part == "spine")
            assert abs(upper.position[0] - spine_x) > 0.7 * torso


def test_rigify_names_of_a_humanoid():
    names = set(run("humanoid_tpose").skeleton.names())
    expected = {"spine", "spine.001", "spine.002", "spine.003", "neck", "head", "head_end"}
    for side in "LR":
        expected |= {f"{n}.{side}" for n in ("shoulder", "upper_arm", "forearm", "hand", "hand_end", "thigh",
                                              "shin", "foot")}
    assert expected <= names
    assert run("humanoid_tpose").skeleton.joints[0].name == "spine"


def test_mixamo_and_unreal_names_of_a_humanoid():
    mixamo = run("humanoid_tpose", naming="mixamo").skeleton
    assert mixamo.anatomy.naming == "mixamo"
    assert {"mixamorig:Hips", "mixamorig:Spine", "mixamorig:Neck", "mixamorig:Head", "mixamorig:LeftShoulder",
            "mixamorig:LeftArm", "mixamorig:LeftForeArm", "mixamorig:LeftHand", "mixamorig:RightUpLeg",
            "mixamorig:RightLeg", "mixamorig:RightFoot"} <= set(mixamo.names())
    unreal = run("humanoid_tpose", naming="unreal").skeleton
    assert {"pelvis", "spine_01", "neck_01", "head", "clavicle_l", "upperarm_l", "lowerarm_l", "hand_l",
            "thigh_r", "calf_r", "foot_r"} <= set(unreal.names())
    rigify = run("humanoid_tpose").skeleton
    assert [j.position for j in mixamo.joints] == [j.position for j in rigify.joints]  # names only differ


def test_engine_schemes_fall_back_to_rigify_on_animals():
    dog = run("dog", naming="mixamo").skeleton
    assert dog.anatomy.naming == "rigify" and "front_thigh.L" in dog.names()


def test_generic_naming_numbers_parts():
    names = run("humanoid_tpose", naming="generic").skeleton.names()
    expected = {"spine_1", "neck_1", "head_1", "head_end", "arm_1.L", "arm_4.R", "arm_end.L", "leg_1.R"}
    assert expected <= set(names)


def _flip(name: str) -> str:
    return name.replace(".L", ".#").replace(".R", ".L").replace(".#", ".R")


@pytest.mark.parametrize("name", ["dog", "humanoid_apose", "plush_bear", "horse", "bird", "bug"])
def test_a_flipped_image_gives_mirrored_names_on_the_same_limbs(name):
    a = run(name).skeleton
    b = run(name + "_flipped" if name + "_flipped" in CHARACTERS else name).skeleton
    if name + "_flipped" not in CHARACTERS:
        flipped = CHARACTERS[name].flipped()
        b = run_pipeline(image_from_array(af.rgba(flipped.mask), source="f.png"),
                         PipelineSettings(predictor="geometric")).skeleton
    sided = [j for j in a.joints if j.side]
    assert len(sided) >= 6
    assert_mirrored(a, b, sided)


def assert_mirrored(a: Skeleton, b: Skeleton, joints: list) -> None:
    """Each of `joints` (of `a`) has its mirrored name in `b` (a's image flipped) on the same limb:
    within 4 % of the image (a flipped image's medial tree is not exactly mirrored)."""
    width = a.image_size[0]
    for joint in joints:
        partner = b.joints[b.index(_flip(joint.name))]
        assert partner.pixel[0] == pytest.approx(width - joint.pixel[0], abs=0.04 * width), joint.name
        assert partner.pixel[1] == pytest.approx(joint.pixel[1], abs=0.04 * width), joint.name


def test_side_view_near_limbs_face_the_viewer_and_front_legs_never_pair_with_hind_legs():
    for name, near in (("dog", "L"), ("dog_flipped", "R")):
        skeleton = run(name).skeleton
        for joint in skeleton.joints:
            if joint.side:
                assert (joint.position[2] > 0) == (joint.side == near), joint.name
        front = {j.side for j in skeleton.joints if j.part == "front_leg"}
        hind = {j.side for j in skeleton.joints if j.part == "hind_leg"}
        assert front == hind == {"L", "R"}
        assert not any(j.name.startswith("front_") for j in skeleton.joints if j.part == "hind_leg")


@pytest.mark.slow
def test_the_shipped_model_reads_a_dog_too():
    result = run("dog", predictor="auto")
    assert result.predictor != "geometric"
    anatomy = result.skeleton.anatomy
    assert (anatomy.body_plan, anatomy.view, anatomy.facing) == ("quadruped", "side", "left")
    counts = limb_counts(result.skeleton)
    assert counts.get("front_leg") == 2 and counts.get("hind_leg") == 2


def test_top_view_sides_follow_the_heading():
    """Seen from above with the head up the image, the creature's left is image left."""
    skeleton = run("bug").skeleton
    head = skeleton.joints[skeleton.index("head")]
    assert head.pixel[1] < skeleton.joints[0].pixel[1]
    legs = [j for j in skeleton.joints if j.part == "leg"]
    assert {j.side for j in legs} == {"L", "R"}
    for joint in legs:
        assert (joint.pixel[0] < head.pixel[0]) == (joint.side == "L"), joint.name


@pytest.mark.parametrize("name", sorted(CHARACTERS))
def test_tips_are_named_end_and_the_root_is_the_hips(name):
    """Blender's bones: a joint with children heads the bone named after it; a tip has no bone and
    carries `_end` (`hand_end.L`, `head_end`); no bone is a stub."""
    skeleton = run(name).skeleton
    assert skeleton.root == 0 and skeleton.joints[0].part == "spine"
    if skeleton.anatomy.body_plan != "generic":
        assert skeleton.joints[0].name == "spine"
    size = max(CHARACTERS[name].mask.shape)
    for i, joint in enumerate(skeleton.joints):
        tip = not skeleton.children(i)
        assert ("_end" in joint.name) == tip, joint.name
        if not tip:
            child = skeleton.joints[skeleton.tail_child(i)]
            assert np.hypot(*np.subtract(child.pixel, joint.pixel)) > 0.005 * size, joint.name


@pytest.mark.parametrize("name", ["dog", "horse", "bird"])
def test_side_view_legs_leave_the_body_at_their_socket(name):
    skeleton = run(name).skeleton
    for chain in chains(skeleton):
        first = skeleton.joints[chain[0]]
        if first.part not in ("leg", "front_leg", "hind_leg"):
            continue
        parent = skeleton.joints[first.parent]
        assert parent.part == "spine"
        # below the spine's line by about the body's thickness there, not on it
        apart = np.hypot(*np.subtract(first.pixel, parent.pixel)) / run(name).shape.frame.px_per_unit
        assert first.pixel[1] > parent.pixel[1] and apart > 0.3 * parent.radius


@cache
def third_party(name: str) -> Skeleton:
    """Figures nobody here drew: scikit-image's horse photograph mask (side view facing right, and
    mirrored) and the bundled fox sample (front view)."""
    if name == "fox":
        from PIL import Image

        rgba = np.asarray(Image.open(SAMPLE).convert("RGBA"))
    else:
        from skimage import data

        horse = data.horse()
        mask = ~horse if horse.mean() > 0.5 else horse
        mask = mask[:, ::-1] if name == "horse_flipped" else mask
        rgba = af.rgba(np.ascontiguousarray(mask))
    return run_pipeline(image_from_array(rgba, source=f"{name}.png"), PipelineSettings()).skeleton


@pytest.mark.slow
@pytest.mark.parametrize("name", ["horse", "horse_flipped"])
def test_a_third_party_horse_has_a_tail_and_a_near_and_far_front_leg(name):
    """The horse's tail leaves its croup above where the hind legs meet: it is the unsided `tail`, not a
    limb; its front legs, which the medial tree joins below the chest, are a near/far pair like its hind
    legs."""
    skeleton = third_party(name)
    assert skeleton.anatomy.body_plan == "quadruped" and skeleton.anatomy.view == "side"
    assert skeleton.anatomy.facing == ("right" if name == "horse" else "left")
    parts = [j.part for j in skeleton.joints]
    assert "limb" not in parts
    tail = [j for j in skeleton.joints if j.part == "tail"]
    assert len(tail) >= 3 and all(j.side == "" for j in tail)
    assert tail[0].name == "tail"
    for part in ("front_leg", "hind_leg"):
        legs = [c for c in chains(skeleton) if skeleton.joints[c[0]].part == part]
        assert sorted(skeleton.joints[c[0]].side for c in legs) == ["L", "R"], part
        assert all(bones_of(skeleton, c) == 4 for c in legs), part


@pytest.mark.slow
def test_the_fox_samples_pointed_cheeks_are_not_ears():
    """The bundled fox's fluffy cheeks are pointed tufts hanging from its head: only its two ears, which
    point up, get ear bones."""
    skeleton = third_party("fox")
    assert skeleton.anatomy.body_plan == "biped" and skeleton.anatomy.view == "front"
    ears = [c for c in chains(skeleton) if skeleton.joints[c[0]].part == "ear"]
    assert sorted(skeleton.joints[c[0]].side for c in ears) == ["L", "R"]
    head = next(j for j in skeleton.joints if j.name == "head")
    assert all(skeleton.joints[c[-1]].pixel[1] < head.pixel[1] for c in ears)  # image y grows down


def test_arms_raised_above_the_head_stay_arms():
    """A Y-pose: the hands are the highest tips, but the head is the round one set off by a neck."""
    character = af.humanoid_ypose()
    image = image_from_array(af.rgba(character.mask), source="y.png")
    skeleton = run_pipeline(image, PipelineSettings()).skeleton
    assert skeleton.anatomy.body_plan == "biped"
    assert limb_counts(skeleton) == {"head": 1, "arm": 2, "leg": 2}
    head_end = next(j for j in skeleton.joints if j.name == "head_end")
    assert abs(head_end.pixel[0] - 200) < 20  # the crown is on the midline, not at a hand


def test_a_bird_seen_from_the_front_has_wings_not_arms():
    """Wings spread wider than the figure is tall, each longer than the legs: a bird, not a T-posed human."""
    character = af.bird_front()
    image = image_from_array(af.rgba(character.mask), source="b.png")
    skeleton = run_pipeline(image, PipelineSettings()).skeleton
    assert (skeleton.anatomy.body_plan, skeleton.anatomy.view) == ("bird", "front")
    assert limb_counts(skeleton) == character.limbs
    wings = [c for c in chains(skeleton) if skeleton.joints[c[0]].part == "wing"]
    assert sorted(skeleton.joints[c[0]].side for c in wings) == ["L", "R"]


def _spine_and_back(skeleton: Skeleton) -> tuple[list[int], float, float]:
    """The spine joints with bones (hips first) and the band of heights (image-up) of the back
    between them."""
    spine = [i for i, j in enumerate(skeleton.joints) if j.part == "spine" and skeleton.children(i)]
    heights = [skeleton.joints[i].position[1] for i in spine[1:]]
    return spine, min(heights), max(heights)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["horse", "horse_flipped"])
def test_a_third_party_horse_has_an_anatomical_back_with_the_hips_on_its_line(name):
    """Rigify's horse and wolf: hips + 3-4 back bones, the hips at the thighs' heads on the back's line,
    not where the medial tree's hind legs meet between the thighs; a neck of 1-3, a tail of 4-6."""
    skeleton = third_party(name)
    spine, low, high = _spine_and_back(skeleton)
    hips = skeleton.joints[spine[0]]
    radius = hips.radius
    assert 3 <= len(spine) <= 5, skeleton.names()
    assert low - 0.5 * radius <= hips.position[1] <= high + 0.5 * radius, (hips.position, low, high)
    necks = [j for j in skeleton.joints if j.part == "neck"]
    tails = [i for i, j in enumerate(skeleton.joints) if j.part == "tail" and skeleton.children(i)]
    assert 1 <= len(necks) <= 3 and 4 <= len(tails) <= 6, skeleton.names()


@pytest.mark.parametrize("name", ["dog", "horse"])
def test_a_drawn_quadrupeds_back_has_hips_and_three_or_four_bones(name):
    skeleton = run(name).skeleton
    spine, low, high = _spine_and_back(skeleton)
    hips = skeleton.joints[spine[0]]
    assert 3 <= len(spine) <= 5, skeleton.names()
    assert low - 0.5 * hips.radius <= hips.position[1] <= high + 0.5 * hips.radius
    assert 1 <= sum(j.part == "neck" for j in skeleton.joints) <= 3


def test_a_snakes_body_keeps_its_bends_but_no_closer_than_the_snake_bone():
    from pointskel_blender.core.anatomy.bones import SNAKE_BONE

    skeleton = run("snake").skeleton
    spine = [j for i, j in enumerate(skeleton.joints) if j.part == "spine" and skeleton.children(i)]
    gaps = np.linalg.norm(np.diff([j.position[:2] for j in spine], axis=0), axis=1)
    assert len(spine) >= 3 and gaps.min() >= 0.9 * SNAKE_BONE, gaps
