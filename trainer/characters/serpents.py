"""Serpents: snakes lying in curves, raised like a cobra, upright S-curves or coils.

`snake` is the template of long bodies: three in ten of its draws are fish (`trainer.characters.fish`).
`dress` adds now and then a dragon's crest along the back, horns, or a rattle at the tail's end.
"""
from __future__ import annotations

import numpy as np

from ..bodies import Body, rotation, unit
from ..parts import (
    Head,
    horns,
    ridge,
)
from .fish import fish
from .common import (
    BACK,
    UP,
    draw,
)


def snake(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Long bodies: snakes lying in curves, raised like a cobra, upright S-curves or coils; fish."""
    if rng.random() < 0.3:
        return fish(rng, style)
    b = Body()
    count = int(rng.integers(12, 29))
    length = draw(rng, 1.0, 1.8)
    pose = str(rng.choice(["ground", "cobra", "upright", "coil"], p=[0.2, 0.3, 0.35, 0.15]))
    s = np.linspace(0, 1, count + 1)  # 0 at the head
    waves, amp = draw(rng, 1.0, 2.5), draw(rng, 0.08, 0.2)
    phase = draw(rng, 0, 2 * np.pi)
    if pose == "upright":  # an S-curve standing up, its plane turned from the viewer by up to 60 degrees
        sway = amp * np.sin(2 * np.pi * waves * s + phase)
        pts = np.stack([sway, length * (1 - s) * 0.8, 0.1 * np.sin(3 * s)], 1)
        pts = pts @ rotation(UP, draw(rng, -60, 60)).T
    elif pose == "coil":
        angle = s * 2 * np.pi * draw(rng, 1.5, 2.5)
        radius = 0.12 + 0.25 * s
        raised = 0.05 + 0.25 * np.clip(0.2 - s, 0, None)  # the head end lifts off the coil
        pts = np.stack([radius * np.cos(angle), raised, radius * np.sin(angle)], 1)
    else:  # lying in curves; a cobra rears its front part up
        raised = draw(rng, 0.15, 0.35) if pose == "cobra" else 0.04
        up = np.clip(raised - s, 0, None) * length
        pts = np.stack([amp * np.sin(2 * np.pi * waves * s + phase) * np.clip(s / raised, 0, 1),
                        up * (0.9 if pose == "cobra" else 0.5) + 0.03,
                        length * (0.5 - np.maximum(s, raised)) * 0.8 + up * 0.2], 1)
    segment = np.linalg.norm(np.diff(pts, axis=0), axis=1).sum() / count
    r_body = segment * draw(rng, 0.45, 0.8) * np.clip(count / 16, 0.7, 1.3)
    profile = r_body * np.interp(s, [0, 0.06, 0.3, 0.7, 1.0], [0.8, 0.65, 1.0, 0.8, 0.15])
    if pose == "cobra":
        profile = profile * np.interp(s, [0, 0.08, 0.14, 0.22], [1.0, 1.9, 1.6, 1.0])
    root_at_head = rng.random() < 0.5
    if root_at_head:
        root = b.joint("root", -1, pts[1])
        b.limb("head", root, pts[0], profile[1], profile[0])
        b.chain([f"spine_{k:02d}" for k in range(1, count - 2)] + ["tail_01", "tail_end"], root, pts[2:],
                profile[1:], normal=UP, flatten=0.85)
        head_joint = 1  # the head bone starts at the root
    else:
        mid = count // 2
        root = b.joint("root", -1, pts[mid])
        front = [f"spine_{k:02d}" for k in range(1, mid - 1)] + ["neck", "head"]
        b.chain(front, root, pts[mid - 1::-1], profile[mid::-1], normal=UP, flatten=0.85)
        back = [f"tail_{k:02d}" for k in range(1, count - mid)] + ["tail_end"]
        b.chain(back, root, pts[mid + 1:], profile[mid:], normal=UP, flatten=0.85)
        head_joint = b.names.index("head")
    head_dir = unit(pts[0] - pts[1])
    head_r = profile[0] * draw(rng, 1.1, 1.5)
    b.ellipsoid(b.parents[head_joint], pts[0] - head_dir * head_r * 0.3,
                (head_r * 1.5, head_r, head_r * 0.7), axis=head_dir, normal=UP)
    if style is not None:
        skull_up = unit(UP - np.dot(UP, head_dir) * head_dir) if abs(head_dir[1]) < 0.95 else BACK
        skull = Head((b.parents[head_joint],), pts[0] - head_dir * head_r * 0.3, skull_up, head_dir,
                     (head_r * 0.7, head_r, head_r * 1.5))
        dress(b, style, skull, upright=pose == "upright", radius=r_body)
    return b


def dress(b: Body, rng: np.random.Generator, head: Head, *, upright: bool, radius: float) -> None:
    """Now and then a dragon's crest along the back, horns, or a rattle at the tail's end."""
    chain = tuple(k for k, n in enumerate(b.names) if n != "head")
    if not upright and rng.random() < 0.15:
        order = sorted(chain, key=lambda k: -b.positions[k][2])  # head end first
        points = np.array(b.positions)[order] + UP * radius * 0.5
        ridge(b, tuple(order[:-1]), points, UP, radius * draw(rng, 0.8, 1.6), spikes=rng.random() < 0.5)
    if rng.random() < 0.1:
        horns(b, head, "swept", head.semi[2] * draw(rng, 0.8, 1.4), spread=draw(rng, 20, 45))
    if rng.random() < 0.1:
        end = b.names.index("tail_end")
        p, q = b.positions[b.parents[end]], b.positions[end]
        d = unit(q - p)
        for k in range(3):
            b.ellipsoid((b.parents[end],), q + d * radius * (0.5 + 0.8 * k), (radius * 0.5, radius * 0.55,
                        radius * 0.4), axis=d, normal=UP)
