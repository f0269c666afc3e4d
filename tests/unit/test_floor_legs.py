"""Legs that touch or meet on the floor stay legs: drawn figures through the real pipeline (shipped model)."""
from __future__ import annotations

import numpy as np
import pytest

import limb_figures
from limb_figures import LimbFigure
from pointskel_blender.core.anatomy import cues
from pointskel_blender.core.anatomy.body import Body
from pointskel_blender.core.image import image_from_array
from pointskel_blender.core.pipeline import PipelineResult, PipelineSettings, run_pipeline
from pointskel_blender.core.topology import BoneTree

TIP_TOLERANCE = 0.075  # of the figure's size: a limb tip is found by a leaf this near


def run(mask: np.ndarray) -> PipelineResult:
    rgba = np.zeros(mask.shape + (4,), np.float32)
    rgba[..., :3] = 0.5
    rgba[..., 3] = mask
    result = run_pipeline(image_from_array(rgba, source="figure.png"), PipelineSettings(predictor="auto"))
    assert result.predictor == "onnx"
    return result


def mirrored(figure: LimbFigure) -> LimbFigure:
    tips = figure.tips.copy()
    tips[:, 0] = figure.mask.shape[1] - tips[:, 0]
    return LimbFigure(figure.name + "_mirrored", figure.mask[:, ::-1].copy(), tips, figure.max_leaves)


def path(tree: BoneTree, a: int, b: int) -> list[int]:
    """Joints from a to b along the tree."""
    def up(j: int) -> list[int]:
        out = [j]
        while tree.parents[out[-1]] >= 0:
            out.append(int(tree.parents[out[-1]]))
        return out

    ua, ub = up(a), up(b)
    common = next(j for j in ua if j in set(ub))
    return ua[: ua.index(common) + 1] + ub[: ub.index(common)][::-1]


def foot_leaves(figure: LimbFigure, result: PipelineResult) -> list[int]:
    """The leaf nearest each of the figure's two lowest tips (its feet), asserted near enough."""
    leaves = np.array(result.tree.leaves)
    pixels = result.shape.frame.to_pixels(result.tree.positions[leaves])
    feet = figure.tips[np.argsort(figure.tips[:, 1])[-2:]]
    out = []
    for foot in feet:
        dist = np.linalg.norm(pixels - foot, axis=1)
        assert dist.min() <= TIP_TOLERANCE * figure.size, f"{figure.name}: no leaf at the foot {foot}"
        out.append(int(leaves[np.argmin(dist)]))
    return out


MEETING = [
    limb_figures.feet_together(),
    mirrored(limb_figures.feet_together()),
    limb_figures.paws_meet(256),
    limb_figures.paws_meet(400),
    mirrored(limb_figures.paws_meet(288)),
]


@pytest.mark.parametrize("figure", MEETING, ids=lambda f: f"{f.name}_{f.mask.shape[0]}")
def test_feet_that_meet_on_the_floor_end_two_separate_legs(figure: LimbFigure) -> None:
    """Each foot is a leaf of its own, and the tree joins the two legs above, where they leave the
    body, not along the floor where the feet touch."""
    result = run(figure.mask)
    left, right = foot_leaves(figure, result)
    assert left != right
    between = result.shape.frame.to_pixels(result.tree.positions[path(result.tree, left, right)])
    hips = 0.6 * figure.mask.shape[0]  # the legs part from the body above this in both figures
    assert between[:, 1].min() < hips, f"{figure.name}: the legs are joined only below the hips"


@pytest.mark.parametrize("figure", [limb_figures.fat_bear_front(), mirrored(limb_figures.fat_bear_front())],
                         ids=lambda f: f.name)
def test_a_fat_body_over_two_legs_keeps_its_trunk(figure: LimbFigure) -> None:
    """The blob's trunk is no spur of the legs' junction: the tree is not a U from foot to foot."""
    result = run(figure.mask)
    foot_leaves(figure, result)
    leaves = result.shape.frame.to_pixels(result.tree.positions[result.tree.leaves])
    head = figure.tips[np.argmin(figure.tips[:, 1])]
    assert len(leaves) == 3
    assert leaves[:, 1].min() < 0.4 * figure.mask.shape[0]  # a leaf up in the body, toward the head
    assert np.linalg.norm(leaves - head, axis=1).min() < 0.25 * figure.size


@pytest.mark.parametrize("figure", [limb_figures.two_toed_paws(), mirrored(limb_figures.two_toed_paws(400))],
                         ids=lambda f: f"{f.name}_{f.mask.shape[0]}")
def test_a_foot_with_two_toes_is_one_leg(figure: LimbFigure) -> None:
    """Two toes parting at an ankle on the floor are one foot: one leg per foot, each from above the
    ankle, not a leg per toe."""
    result = run(figure.mask)
    body = Body(result.tree, result.shape)
    legs = cues.floor_legs(body)
    assert len(legs) == 2
    middle = 0.0  # the frame is centred on the mask's bounding box, which the drawing centres
    assert (body.xy[legs[0], 0] - middle) * (body.xy[legs[1], 0] - middle) < 0  # one under each side
    for leg in legs:
        assert body.xy[cues.leg_top(body, leg), 1] - body.xy[leg, 1] > 0.25 * body.height
