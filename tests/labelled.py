"""TEST HELPER standing in for the anatomy stage: labelled skeletons of the drawn figures.

The anatomy stage (body parts, sides, Rigify names, body plan, facing) is another branch's work and not
on this one yet. Until it lands, the rig tests take the real pipeline's result for a drawn figure (its
mask, lift, frame, clouds) and replace only its skeleton by one built from the figure's *known drawn
layout* (tests/figures.py): joints at the drawn positions, in the contract's naming, parts and sides,
depth and radii from the pipeline's own lifted shape. Side views put near-side limbs at z > 0 and far-side
limbs at z < 0, half the body's local thickness apart, as the contract says the anatomy stage does.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from pointskel_blender.core.skeleton import Anatomy, Joint, Skeleton

# (name, parent name, (x, y) as fractions of the image side, part, side, depth: +1 near, -1 far, 0 mid-plane)
Layout = list[tuple[str, str | None, tuple[float, float], str, str, int]]


def _mirrored(chain: Layout) -> Layout:
    """The .L chain of a front view and its .R twin mirrored across x = 0.5."""
    twin = [(n.replace(".L", ".R"), p if p is None or ".L" not in p else p.replace(".L", ".R"), (1 - x, y), part,
             "R", depth) for n, p, (x, y), part, _, depth in chain]
    return chain + twin


STICK_FIGURE: Layout = [  # figures.stick_figure: a front view, arms hanging at about 30° (an A-pose)
    ("spine", None, (0.5, 0.56), "spine", "", 0),
    ("spine.001", "spine", (0.5, 0.44), "spine", "", 0),
    ("spine.002", "spine.001", (0.5, 0.33), "spine", "", 0),
    ("neck", "spine.002", (0.5, 0.285), "neck", "", 0),
    ("head", "neck", (0.5, 0.25), "head", "", 0),
    ("head_end", "head", (0.5, 0.09), "head", "", 0),
    *_mirrored([
        ("upper_arm.L", "spine.002", (0.56, 0.343), "arm", "L", 0),
        ("forearm.L", "upper_arm.L", (0.7, 0.42), "arm", "L", 0),
        ("hand.L", "forearm.L", (0.775, 0.5175), "arm", "L", 0),
        ("hand_end.L", "hand.L", (0.8, 0.55), "arm", "L", 0),
        ("thigh.L", "spine", (0.53, 0.56), "leg", "L", 0),
        ("shin.L", "thigh.L", (0.62, 0.74), "leg", "L", 0),
        ("foot.L", "shin.L", (0.645, 0.875), "leg", "L", 0),
        ("foot_end.L", "foot.L", (0.65, 0.94), "leg", "L", 0),
    ]),
]

PLUSH: Layout = [  # figures.plush: a chunky front view, short thick limbs held against the body
    ("spine", None, (0.5, 0.7), "spine", "", 0),
    ("spine.001", "spine", (0.5, 0.55), "spine", "", 0),
    ("spine.002", "spine.001", (0.5, 0.45), "spine", "", 0),
    ("head", "spine.002", (0.5, 0.4), "head", "", 0),
    ("head_end", "head", (0.5, 0.07), "head", "", 0),
    *_mirrored([
        ("upper_arm.L", "spine.002", (0.66, 0.47), "arm", "L", 0),
        ("forearm.L", "upper_arm.L", (0.73, 0.535), "arm", "L", 0),
        ("hand_end.L", "forearm.L", (0.8, 0.6), "arm", "L", 0),
        ("thigh.L", "spine", (0.6, 0.74), "leg", "L", 0),
        ("shin.L", "thigh.L", (0.61, 0.82), "leg", "L", 0),
        ("foot_end.L", "shin.L", (0.62, 0.93), "leg", "L", 0),
    ]),
]


def _leg(prefix: str, parent: str, x: float, side: str, depth: int) -> Layout:
    names = [f"{prefix}thigh.{side}", f"{prefix}shin.{side}", f"{prefix}foot.{side}", f"{prefix}foot_end.{side}"]
    part = "front_leg" if prefix else "hind_leg"
    rows = (0.5, 0.66, 0.8, 0.89)
    parents = [parent] + names[:-1]
    return [(n, p, (x, y), part, side, depth) for n, p, y in zip(names, parents, rows)]


def quadruped(facing: str) -> Layout:
    """figures.quadruped_side: head toward image `facing`; the near legs are drawn first of each pair.

    A figure facing left shows its left side (near legs .L), one facing right its right side (near .R).
    """
    near, far = ("L", "R") if facing == "left" else ("R", "L")
    layout: Layout = [
        ("spine", None, (0.66, 0.45), "spine", "", 0),
        ("spine.001", "spine", (0.5, 0.45), "spine", "", 0),
        ("spine.002", "spine.001", (0.36, 0.44), "spine", "", 0),
        ("neck", "spine.002", (0.33, 0.41), "neck", "", 0),
        ("head", "neck", (0.25, 0.31), "head", "", 0),
        ("head_end", "head", (0.13, 0.26), "head", "", 0),
        ("tail", "spine", (0.72, 0.42), "tail", "", 0),
        ("tail.001", "tail", (0.8, 0.36), "tail", "", 0),
        ("tail_end", "tail.001", (0.9, 0.3), "tail", "", 0),
        *_leg("front_", "spine.002", 0.34, near, 1),
        *_leg("front_", "spine.002", 0.42, far, -1),
        *_leg("", "spine", 0.62, near, 1),
        *_leg("", "spine", 0.7, far, -1),
    ]
    if facing == "right":
        layout = [(n, p, (1 - x, y), part, side, depth) for n, p, (x, y), part, side, depth in layout]
    return layout


def with_drawn_skeleton(result, layout: Layout, anatomy: Anatomy):
    """The pipeline `result` with its skeleton replaced by the drawn `layout`, labelled with `anatomy`."""
    shape = result.shape
    width, height = result.skeleton.image_size
    names = [row[0] for row in layout]
    pixels = np.array([[x * width, y * height] for _, _, (x, y), *_ in layout])
    flat = np.column_stack([shape.frame.to_normalized(pixels), np.zeros(len(layout))])
    radii = shape.radius_at(flat)
    body = float(radii[0])  # the hips: the body's local half-thickness
    joints = []
    for (name, parent, _, part, side, depth), pixel, position, radius in zip(layout, pixels, flat, radii):
        z = 0.5 * body * depth
        joints.append(Joint(name, None if parent is None else names.index(parent), (float(pixel[0]), float(pixel[1])),
                            (float(position[0]), float(position[1]), z), float(max(radius, 1e-3)), part, side))
    skeleton = Skeleton(joints, result.skeleton.image_size, result.skeleton.source, dict(result.skeleton.metadata),
                        anatomy)
    return dataclasses.replace(result, skeleton=skeleton)
