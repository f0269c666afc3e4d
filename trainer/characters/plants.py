"""Trees with branching crowns (some with foliage or surface roots), and cacti.

`tree` draws either; `dress_tree` adds foliage clusters around bare branch tips, `dress_cactus` a
flower pot and flowers.
"""
from __future__ import annotations

import numpy as np

from ..bodies import Body, rotation, unit
from ..bodies import curve as _curve
from ..parts import (
    frustum,
)
from .common import (
    DOWN,
    FWD,
    LEFT,
    UP,
    at,
    draw,
    ids,
    prefixed,
)


def tree(rng: np.random.Generator, style: np.random.Generator | None = None) -> Body:
    """Trees with branching crowns (some with foliage or surface roots), and cacti."""
    b = Body()
    if rng.random() < 0.25:
        b = _cactus(rng, b)
        if style is not None:
            dress_cactus(b, style)
        return b
    trunk_count = int(rng.integers(3, 6))
    height = draw(rng, 0.35, 0.6)
    r_trunk = height * draw(rng, 0.06, 0.12)
    root = b.joint("root", -1, (0.0, 0.0, 0.0))
    lean = unit(UP + rotation(UP, draw(rng, 0, 360)) @ FWD * draw(rng, 0, 0.3))
    pts = _curve(np.zeros(3), lean, np.full(trunk_count, height / trunk_count), unit(rng.normal(size=3)),
                 rng.normal(0, 6, trunk_count))
    trunk = b.chain([f"trunk_{k + 1:02d}" for k in range(trunk_count)], root, pts,
                    r_trunk * np.linspace(1.2, 0.7, trunk_count + 1))
    foliage = rng.random() < 0.35
    budget = [60 - len(b.names)]

    def branch(parent: int, direction: np.ndarray, length: float, radius: float, depth: int,
               name: str) -> None:
        joints = int(rng.integers(2, 4))
        if budget[0] < joints:
            return
        budget[0] -= joints
        pts = _curve(b.positions[parent], direction, np.full(joints, length / joints), UP,
                     rng.normal(0, 8, joints) + 5)
        chain = b.chain([f"{name}_{j + 1:02d}" for j in range(joints)], parent, pts,
                        radius * np.linspace(1.0, 0.6, joints + 1))
        if depth < 2:
            children, turn = int(rng.integers(1, 4)), draw(rng, 0, 360)
            for k in range(children):
                out = rotation(UP, turn + 360.0 * k / children + draw(rng, -30, 30)) @ FWD
                child = unit(direction + out * draw(rng, 0.4, 1.0))
                start = chain[-1] if k == 0 else chain[int(rng.integers(len(chain)))]
                branch(start, child, length * draw(rng, 0.5, 0.75), radius * 0.6, depth + 1,
                       f"{name}_{k + 1}")
        elif foliage:
            b.ellipsoid(chain[-2] if len(chain) > 1 else parent, b.positions[chain[-1]],
                        (length * 0.5, length * 0.45, length * 0.45))

    spread = int(rng.integers(2, 5))
    for k in range(spread):
        azimuth = 360.0 * k / spread + draw(rng, -25, 25)
        direction = unit(UP * draw(rng, 0.3, 1.2) + rotation(UP, azimuth) @ FWD)
        parent = trunk[-1] if k < 2 else trunk[int(rng.integers(1, trunk_count))]
        branch(parent, direction, height * draw(rng, 0.5, 0.8), r_trunk * 0.6, 1, f"branch_{k + 1}")
    if rng.random() < 0.3:
        for k in range(int(rng.integers(2, 5))):
            out = rotation(UP, 360.0 * k / 4 + draw(rng, -30, 30)) @ FWD
            pts = np.array([out * height * 0.15 + UP * 0.02, out * height * 0.3])
            b.chain([f"root_{k + 1}_01", f"root_{k + 1}_02"], root, pts, r_trunk * np.array([0.8, 0.5, 0.25]))
    if style is not None and not foliage:
        dress_tree(b, style, height)
    return b


def _cactus(rng: np.random.Generator, b: Body) -> Body:
    height = draw(rng, 0.5, 0.8)
    r = height * draw(rng, 0.07, 0.12)
    root = b.joint("root", -1, (0.0, r, 0.0))
    count = int(rng.integers(3, 6))
    pts = np.outer(np.arange(1, count + 1) / count, UP * (height - 2 * r)) + UP * r
    trunk = b.chain([f"trunk_{k + 1:02d}" for k in range(count)], root, pts, np.full(count + 1, r))
    for k in range(int(rng.integers(1, 4))):
        side = LEFT if k % 2 == 0 else -LEFT
        side = rotation(UP, draw(rng, -40, 40)) @ side
        parent = trunk[int(rng.integers(0, max(1, count - 2)))]
        start = b.positions[parent]
        out = draw(rng, 1.5, 3.0) * r
        elbow = start + side * out + DOWN * r * 0.3
        top = elbow + UP * draw(rng, 0.15, 0.35) * height
        arm_r = r * draw(rng, 0.55, 0.8)
        b.chain([f"arm_{k + 1}_01", f"arm_{k + 1}_02", f"arm_{k + 1}_03"], parent,
                np.array([start + side * r * 0.8, elbow, top]), np.full(4, arm_r))
    return b


def dress_tree(b: Body, rng: np.random.Generator, height: float) -> None:
    """Foliage clusters around the branch tips and often one crown over them."""
    if rng.random() >= 0.55:
        return
    parents = np.asarray(b.parents)
    leaves = [k for k in range(len(b.names)) if k not in parents and b.names[k].startswith("branch_")]
    branches = tuple(k for k, n in enumerate(b.names) if n.startswith(("branch_", "trunk_")) and k in parents)
    size = height * draw(rng, 0.12, 0.22)
    tips = np.array(b.positions)[leaves]
    for tip in tips:
        b.ellipsoid(branches, tip, (size * draw(rng, 0.8, 1.2), size, size * draw(rng, 0.8, 1.2)))
    if rng.random() < 0.6:
        lo, hi = tips.min(axis=0), tips.max(axis=0)
        semi = np.maximum((hi - lo)[[1, 0, 2]] * 0.45, size)  # along up, across, front to back
        b.ellipsoid(branches, (lo + hi) / 2 + UP * size * 0.3, tuple(semi), axis=UP, normal=FWD)


def dress_cactus(b: Body, rng: np.random.Generator) -> None:
    """A flower pot and flowers on the arm tips."""
    root = at(b, "root")
    radius = root[1]
    trunk = prefixed(b, "trunk_")
    if rng.random() < 0.35:
        frustum(b, ids(b, "root") + trunk[:1], root + UP * radius * 1.5, root - UP * radius * 1.1,
                radius * draw(rng, 1.8, 2.4), radius * 1.4, round_start=0.05, square=draw(rng, 0.5, 1.0))
    if rng.random() < 0.3:
        parents = np.asarray(b.parents)
        for k in [k for k in range(len(b.names)) if k not in parents]:
            b.ellipsoid((b.parents[k],), b.positions[k] + UP * radius * 0.6,
                        (radius * 0.4, radius * 0.6, radius * 0.6))
