"""Where the anatomy stage puts joints and how many, on drawn figures (`anatomy_figures`): counts an
animator expects that also land where an artist's rig has its joints (issue #13: CD-J2J no worse than
the bare medial tree's)."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import anatomy_figures as af
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.skeleton import Skeleton


def skeleton_of(mask: np.ndarray, name: str) -> Skeleton:
    image = image_from_array(af.rgba(mask), source=f"{name}.png")
    return run_pipeline(image, PipelineSettings(predictor="geometric")).skeleton


def _snake_mask(width: float, size: int = 400) -> np.ndarray:
    """A gently winding snake of even thickness `width` (canvas fractions), head at the right."""
    p = af._Pen(size)
    t = np.linspace(0, 1, 40)
    xs, ys = 0.08 + 0.76 * t, 0.5 + 0.06 * np.sin(2 * np.pi * t)
    for k in range(len(t) - 1):
        p.stroke([(xs[k], ys[k]), (xs[k + 1], ys[k + 1])], width)
    p.ellipse(0.88, ys[-1], 0.05, 0.75 * width + 0.01)
    return p.mask()


@cache
def snake(width: float) -> Skeleton:
    return skeleton_of(_snake_mask(width), f"snake_{width}")


def body_bones(skeleton: Skeleton) -> list[tuple[int, int]]:
    """(head, tail) joints of the trunk's bones: spine, tail, neck and head."""
    trunk = ("spine", "tail", "neck", "head")
    return [(j.parent, i) for i, j in enumerate(skeleton.joints)
            if j.parent is not None and j.part in trunk and skeleton.joints[j.parent].part in trunk]


@pytest.mark.parametrize("width", [0.035, 0.06])
def test_a_snakes_vertebrae_are_spaced_by_its_thickness(width):
    """Artists' snakes have a joint every 1.3-1.6 body radii (development truth): not the medial tree's
    joints, which lie far apart along a smooth stretch."""
    skeleton = snake(width)
    assert skeleton.anatomy.body_plan == "serpent"
    ratios = []
    for a, b in body_bones(skeleton):
        ja, jb = skeleton.joints[a], skeleton.joints[b]
        if jb.name == "head_end":
            continue
        length = float(np.linalg.norm(np.subtract(ja.position[:2], jb.position[:2])))
        ratios.append(length / (0.5 * (ja.radius + jb.radius)))
    assert 1.0 <= float(np.median(ratios)) <= 2.0, np.round(ratios, 2)
    assert max(ratios) <= 3.0, np.round(ratios, 2)


def test_a_thin_snake_has_more_vertebrae_than_a_thick_one_of_its_length():
    thin, thick = (len(body_bones(snake(w))) for w in (0.035, 0.06))
    assert thin >= 1.3 * thick, (thin, thick)


@cache
def bird_front() -> Skeleton:
    return skeleton_of(af.bird_front(400).mask, "bird_front")


def test_a_wings_tip_joint_stops_short_of_the_feathers():
    """The flight feathers reach past the wing's skeleton: the development truth's wing tips lie at
    0.77-0.94 (median 0.83) of the medial path from the socket to the outline's tip."""
    skeleton = bird_front()
    assert skeleton.anatomy.body_plan == "bird"
    mask = af.bird_front(400).mask
    cols = np.flatnonzero(mask.any(axis=0))
    for side in "LR":
        wing = [j for j in skeleton.joints if j.part == "wing" and j.side == side]
        assert len(wing) == 4, [j.name for j in wing]
        root, tip = wing[0].pixel[0], wing[-1].pixel[0]
        outline = cols[-1] if tip > root else cols[0]  # the wing's outline tip: the mask's side edge
        reach = (tip - root) / (outline - root)
        assert 0.75 <= reach <= 0.92, (side, reach)


def test_a_snakes_head_bone_reaches_its_snout():
    """One head bone spans the head: its tip on the snout's outline (within a fifth of the head's
    radius), not a radius inside it where the synthetic truth's snake heads end."""
    width = 0.06
    skeleton, mask = snake(width), _snake_mask(width)
    end = skeleton.joints[skeleton.index("head_end")]
    edge = np.flatnonzero(mask.any(axis=0))[-1]  # the snout: the head is the figure's right end
    head_radius = (0.75 * width + 0.01) * mask.shape[1]  # the drawn head's half height, px
    assert edge - end.pixel[0] <= 0.2 * head_radius


def test_a_quadrupeds_front_legs_start_at_the_shoulder_inside_the_chest():
    """An artist's front leg starts at the shoulder (the shoulder blade's joint) inside the chest, near
    the spine, not where the leg leaves the outline: the development quadrupeds' front shoulders
    matched better at 0.2-0.4 of the body's thickness out from the spine than at all of it. Seen from the
    front the spine runs away from the viewer (`hind_legs`): out from it is across the picture, where the
    shoulder stands above its leg (the development front views' truth: right above the paw), inside the
    chest's outline."""
    skeleton = skeleton_of(af.dog_front(400).mask, "dog_front")
    assert skeleton.anatomy.body_plan == "quadruped"
    midline = float(np.mean([j.position[0] for i, j in enumerate(skeleton.joints)
                             if j.part == "spine" and skeleton.children(i)]))
    thickness = max(j.radius for j in skeleton.joints if j.part == "spine")
    shoulders = [j for j in skeleton.joints if j.name.startswith("front_thigh")]
    assert len(shoulders) == 2
    for joint in shoulders:
        assert abs(joint.position[0] - midline) <= thickness, joint.name


def test_a_birds_hip_lies_inside_its_round_body():
    """A bird's thigh is hidden in its body: the hip joint lies well inside the body's outline and the
    knee near where the leg leaves it (the development birds' knees at 0.31 of hip to toe)."""
    skeleton = bird_front()
    cx, cy, rx, ry = (v * 400 for v in (0.5, 0.55, 0.09, 0.12))  # `bird_front`'s body ellipse, px
    for side in "LR":
        x, y = skeleton.joints[skeleton.index(f"thigh.{side}")].pixel
        assert ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 0.85 ** 2, (side, x, y)


def _centipede_mask(size: int = 400) -> np.ndarray:
    """Top view: a long body down the image, the head at the top, eight pairs of short bent legs."""
    p = af._Pen(size)
    p.stroke([(0.5, 0.12), (0.5, 0.88)], 0.07)
    p.disc(0.5, 0.1, 0.05)
    for k in range(8):
        y = 0.2 + k * 0.09
        for side in (-1, 1):
            leg = [(0.5 + side * 0.03, y), (0.5 + side * 0.08, y - 0.015), (0.5 + side * 0.1, y + 0.02)]
            p.stroke(leg, 0.018)
    return p.mask()


def leg_bones(skeleton: Skeleton) -> dict[str, int]:
    """Bones per leg (by its lettered name and side): its joints but the tip."""
    out: dict[str, int] = {}
    for i, joint in enumerate(skeleton.joints):
        if joint.part == "leg" and skeleton.children(i):
            key = joint.name.split(".")[0] + "." + joint.side
            out[key] = out.get(key, 0) + 1
    return out


def test_a_centipedes_short_legs_have_two_bones_an_insects_three():
    """The artists' centipedes' short legs bend once (knee, tip); insects' and spiders' long legs twice
    (knee, ankle, tip): three bones on a short leg put joints where the truth has none."""
    centipede = skeleton_of(_centipede_mask(), "centipede")
    assert centipede.anatomy.body_plan == "many_legged"
    bones = leg_bones(centipede)
    assert len(bones) >= 12 and set(bones.values()) == {2}, bones
    bug = skeleton_of(af.bug(400).mask, "bug")
    assert set(leg_bones(bug).values()) == {3}, leg_bones(bug)


@pytest.mark.parametrize("name", ["humanoid_tpose", "bird_front"])
def test_a_front_views_ankle_sits_low_the_foot_foreshortened(name):
    """From the front a foot is seen end-on: the ankle lies at its height above the sole, the
    development truth's front-view ankles at 0.92-0.94 of hip to toe (not a side view's 0.87)."""
    skeleton = skeleton_of(getattr(af, name)(400).mask, name)
    assert skeleton.anatomy.view == "front"
    for side in "LR":
        leg = [j.pixel[1] for j in skeleton.joints if j.part == "leg" and j.side == side]
        assert len(leg) == 4  # thigh, shin, foot and the foot's tip: no turn to a toe
        assert 0.9 <= (leg[2] - leg[0]) / (leg[3] - leg[0]) <= 0.95
