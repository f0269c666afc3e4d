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
from pointskel_blender.core.silhouette import Silhouette
from pointskel_blender.core.topology.floor import part_feet

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
    joints = Body(result.tree, result.shape).path(left, right)
    between = result.shape.frame.to_pixels(result.tree.positions[joints])
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
        assert body.xy[body.leg_top(leg), 1] - body.xy[leg, 1] > 0.25 * body.height


def ring(bottom: float) -> tuple[np.ndarray, np.ndarray, tuple, np.ndarray, Silhouette]:
    """A ring of nodes (radius 0.3, each node's radius 0.03) standing on a figure whose lowest point
    is `bottom`, its spanning tree broken at the top link, which the candidate links still hold."""
    angle = np.linspace(0.0, 2 * np.pi, 60, endpoint=False) + np.pi / 2  # node 0 at the top
    nodes = np.column_stack([0.3 * np.cos(angle), 0.3 * np.sin(angle), np.zeros(60)])
    ring_edges = np.column_stack([np.arange(60), (np.arange(60) + 1) % 60])
    tree = ring_edges[:-1]  # the link 59-0, at the top, is left out
    a, b = ring_edges[:, 0], ring_edges[:, 1]
    links = (a, b, np.linalg.norm(nodes[a] - nodes[b], axis=1))
    rows = np.arange(200)[:, None]
    mask = np.broadcast_to(rows < 100 - bottom * 200, (200, 200))  # 200 px per unit, centred
    return nodes, tree, links, np.full(60, 0.03), Silhouette(mask.copy(), 200.0, (100.0, 100.0))


def test_a_loop_closed_on_the_floor_is_cut_there_and_joined_above() -> None:
    nodes, tree, links, rad, silhouette = ring(bottom=-0.33)
    edges, stay = part_feet(nodes, tree, links, rad, silhouette, near=0.04)
    assert {0, 59} in [set(e) for e in edges.tolist()]  # the link at the top is kept
    assert len(edges) == stay.sum() - 1  # still a tree over the nodes that stay
    assert nodes[stay, 1].min() > -0.3 + 0.04  # the floor run between the two sides is gone
    assert stay.sum() >= 40  # and nothing above it


def test_a_loop_off_the_floor_keeps_the_spanning_trees_break() -> None:
    nodes, tree, links, rad, silhouette = ring(bottom=-0.5)
    edges, stay = part_feet(nodes, tree, links, rad, silhouette, near=0.04)
    assert stay.all()
    assert np.array_equal(edges, tree)


def test_a_loop_broken_low_on_one_leg_is_cut_on_the_floor_instead() -> None:
    """Short legs over fat paws that touch (a rabbit or a stocky dog seen from the front): the spanning
    tree broke the loop on one shin, just above the paws (within twice their thickness of the floor),
    and that leg ended there while its paw hung from the other foot. The loop is cut on the floor and
    the shin joined, so each leg reaches its own paw."""
    nodes, tree, links, rad, silhouette = ring(bottom=-0.33)
    low = 23  # the link 23-24 (0.107 and 0.087 over the floor, the paws 0.03 thick) is the break
    tree = np.array([e for e in np.column_stack([np.arange(60), (np.arange(60) + 1) % 60]).tolist()
                     if set(e) != {low, low + 1}])
    edges, stay = part_feet(nodes, tree, links, rad, silhouette, near=0.04)
    assert {low, low + 1} in [set(e) for e in edges.tolist()]  # the shin is whole again
    assert len(edges) == stay.sum() - 1
    assert nodes[stay, 1].min() > -0.3 + 0.04  # the floor run between the paws is gone
