"""Where the trunk's and the limbs' first joints go on drawn front-view people (tests/photo_figures.py:
inked drawings on paper): a mirror-symmetric figure gets a mirror-symmetric rig, the arms start at the
drawn shoulders, and a big head gets one head bone from its base up to the crown (issue #13: "limbs
start where they leave the body, so they pivot in the right place", "one head bone spanning the head
from its base to its top")."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import photo_figures as pf
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineSettings, run_pipeline
from pointskel_blender.core.skeleton import Skeleton

SIZE = 480
SYMMETRY = 0.02  # of the height: how far a mirror-symmetric figure's left and right joints may differ
SHOULDER_ROW = 1 - 0.25  # the drawn people's shoulders (`photo_figures._front_person`), from the bottom
GIRL_CHIN, GIRL_CROWN = 1 - 0.37, 1 - 0.09  # the chibi girl's head (`photo_figures.cartoon_girl`)
GIRL_SHOULDERS = 1 - 0.45  # where her arms leave her body


@cache
def rig(name: str, flip: bool = False) -> Skeleton:
    picture = getattr(pf, name)(SIZE)
    rgb = picture.rgb[:, ::-1].copy() if flip else picture.rgb
    image = image_from_array(rgb, source=f"{name}.png")
    return run_pipeline(image, PipelineSettings(mask_backend="threshold")).skeleton


def _at(skeleton: Skeleton, name: str) -> np.ndarray:
    """(x, height) of a joint as fractions of the image, the height from the bottom."""
    x, y = np.asarray(skeleton.joints[skeleton.index(name)].pixel, dtype=np.float64) / SIZE
    return np.array([x, 1 - y])


@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("name", ["tpose_man", "apose_woman"])
def test_a_mirror_symmetric_person_gets_a_mirror_symmetric_rig(name, flip):
    skeleton = rig(name, flip)
    assert skeleton.anatomy.view == "front"
    for joint in ("shoulder", "upper_arm", "thigh"):
        left, right = _at(skeleton, f"{joint}.L"), _at(skeleton, f"{joint}.R")
        assert abs(left[1] - right[1]) <= SYMMETRY, (joint, left, right)
        assert abs((left[0] - 0.5) + (right[0] - 0.5)) <= SYMMETRY, (joint, left, right)


@pytest.mark.parametrize("flip", [False, True])
def test_a_t_poses_arms_start_at_its_drawn_shoulders(flip):
    """The sockets on the shoulders' row and out at the shoulders (the arm's outline leaves the
    shirt's 0.1 of the width off the midline), the clavicles level with them, beside the spine."""
    skeleton = rig("tpose_man", flip)
    for side in ("L", "R"):
        socket, clavicle = _at(skeleton, f"upper_arm.{side}"), _at(skeleton, f"shoulder.{side}")
        assert abs(socket[1] - SHOULDER_ROW) <= 0.02, socket
        assert 0.05 <= abs(socket[0] - 0.5) <= 0.11, socket
        assert abs(clavicle[1] - SHOULDER_ROW) <= 0.02, clavicle
        assert abs(clavicle[0] - 0.5) < abs(socket[0] - 0.5) - 0.03, (clavicle, socket)


@pytest.mark.parametrize("flip", [False, True])
def test_a_t_poses_neck_starts_at_its_shoulders(flip):
    """Not where the medial tree forks into the arms, under the shoulders' row."""
    skeleton = rig("tpose_man", flip)
    neck = _at(skeleton, "neck")
    assert abs(neck[1] - SHOULDER_ROW) <= 0.02 and abs(neck[0] - 0.5) <= 0.02, neck


@pytest.mark.parametrize("flip", [False, True])
def test_a_big_head_gets_one_head_bone_from_its_base_up_to_the_crown(flip):
    skeleton = rig("cartoon_girl", flip)
    assert [j.name for j in skeleton.joints if j.part == "head"] == ["head", "head_end"]
    base, crown = _at(skeleton, "head"), _at(skeleton, "head_end")
    assert abs(crown[1] - GIRL_CROWN) <= 0.03 and abs(crown[0] - 0.5) <= 0.03, crown
    assert GIRL_CHIN - 0.03 <= base[1] <= GIRL_CHIN + 0.1 and abs(base[0] - 0.5) <= 0.03, base


@pytest.mark.parametrize("flip", [False, True])
def test_a_big_heads_neck_stays_short_above_the_dress(flip):
    """The arms, merged along the dress, join the trunk at its hem: that is no shoulder line to start
    the neck at (the neck had run from the hem into the head)."""
    skeleton = rig("cartoon_girl", flip)
    necks = [_at(skeleton, j.name) for j in skeleton.joints if j.part == "neck"]
    head = _at(skeleton, "head")
    assert necks and min(n[1] for n in necks) >= 0.5, necks
    neck = head[1] - min(n[1] for n in necks)
    assert 0 < neck < 0.5 * (_at(skeleton, "head_end")[1] - head[1]), (necks, head)


def test_arms_drawn_along_a_dress_start_at_the_shoulders_not_at_the_hem():
    """Her arms lie along the dress: the silhouette shows the hands beside the hem and the medial path
    runs from them straight into the skirt; the sockets go to her shoulders (drawn at 0.55 of the
    height, the dress's top at 0.58), mirror-symmetric. (Her mirror image reads one arm only, before
    the joints are placed: the topology's or the layout's, not tested here.)"""
    skeleton = rig("cartoon_girl")
    left, right = _at(skeleton, "upper_arm.L"), _at(skeleton, "upper_arm.R")
    for socket in (left, right):
        assert abs(socket[1] - GIRL_SHOULDERS) <= 0.04, socket
    assert abs((left[0] - 0.5) + (right[0] - 0.5)) <= SYMMETRY, (left, right)
    assert left[0] > 0.5 > right[0]


def _arms(left: float, right: float) -> list:
    """Hips, chest and two arms out sideways, each elbow dropped so that it lies this share of the
    arm's reach off its line (Blender's frame, metres)."""
    from pointskel_blender.rig.control_plan import RigBone
    bones = [RigBone("spine", None, (0, 0, 1.0), (0, 0, 1.3), "spine", ""),
             RigBone("spine.001", "spine", (0, 0, 1.3), (0, 0, 1.5), "spine", "")]
    for side, sign, share in (("L", 1, left), ("R", -1, right)):
        drop = 0.6 * share / np.sqrt(1 - 4 * share * share)  # elbow 0.3 m in from each end
        spots = ((0.02, 1.5), (0.1, 1.5), (0.4, 1.5 - drop), (0.7, 1.5), (0.8, 1.5))
        points = [(sign * x, 0.0, z) for x, z in spots]
        names = [f"{n}.{side}" for n in ("shoulder", "upper_arm", "forearm", "hand")]
        for k, name in enumerate(names):
            parent = names[k - 1] if k else "spine.001"
            bones.append(RigBone(name, parent, points[k], points[k + 1], "arm", side))
    return bones


def test_a_mirrored_pair_of_arms_keeps_or_loses_its_drawn_elbow_bend_together():
    """A mirror-symmetric drawing's two elbows a hair either side of the control plan's `WOBBLE`: both
    keep the drawn bend or both lose it, so the rig's arms (and their rolls) stay mirror images."""
    from pointskel_blender.rig.control_plan import WOBBLE, plan_controls
    for left, right in ((WOBBLE - 0.003, WOBBLE + 0.002), (WOBBLE - 0.002, WOBBLE + 0.003)):
        plan = plan_controls(_arms(left, right))
        middles = {limb.chain.side: np.asarray(limb.middle) for limb in plan.limbs}
        assert middles["L"][0] == pytest.approx(-middles["R"][0], abs=1e-3)
        assert middles["L"][2] == pytest.approx(middles["R"][2], abs=0.01), middles
