"""Characters as unions of round primitives around a skeleton, meshed and skinned in one pass.

A `Body` collects joints (parents first) and primitives: tapered capsules along bones (radius at
start, middle and end, round or box-like ends, elliptic or box-like cross-sections) and ellipsoids
at joints. Every primitive shares one template topology, so a whole character is meshed with a few
array operations. Overlaps are kept (the meshes are seen as silhouettes). Each vertex is skinned to
its primitive's bone, blended near the bone's ends with the neighbouring bones (RigNet names a bone
by its start joint, so leaf joints carry no weight).

Unboned parts (ears, hair, a skirt, a lamp shade: see `trainer.parts`) are primitives given a tuple
of joints instead of one: each of their vertices is skinned to the nearest of those joints' bones,
the way an artist paints an ear to the head and a skirt to the hips and thighs. Parts are meshed
after the bones' own primitives, so a body without its parts is exactly the body with them minus
the trailing vertices.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .rignet import Mesh, Rig, Skin

AROUND = 12  # vertices per ring
CAP_ROWS = 3  # rings per round end, between pole and equator
BODY_T = np.array([0.0, 0.5, 1.0])  # rings along a capsule, as fractions of its length
BLEND = 0.3  # fraction of a bone at each end where its weight blends into the neighbour's
TIE_DECIMALS = 9  # bone distances equal to this many decimals are a tie (`_nearest_bones`)
MIN_RADIUS = 0.006  # of the skeleton's extent: thinner parts would vanish between pixel centres


def unit(v: np.ndarray | tuple[float, ...]) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v)


def rotation(axis: np.ndarray | tuple[float, ...], degrees: float) -> np.ndarray:
    """Right-handed rotation by `degrees` about `axis` (Rodrigues)."""
    x, y, z = unit(axis)
    t = math.radians(degrees)
    c, s, k = math.cos(t), math.sin(t), 1 - math.cos(t)
    return np.array([[c + x * x * k, x * y * k - z * s, x * z * k + y * s],
                     [y * x * k + z * s, c + y * y * k, y * z * k - x * s],
                     [z * x * k - y * s, z * y * k + x * s, c + z * z * k]])


def bend(d: np.ndarray, toward: np.ndarray, degrees: float) -> np.ndarray:
    """`d` turned by `degrees` toward `toward` (about their common normal)."""
    n = np.cross(d, toward)
    if np.linalg.norm(n) < 1e-6:
        n = np.cross(d, (1.0, 0.0, 0.0) if abs(d[0]) < 0.9 else (0.0, 1.0, 0.0))
    return rotation(n, degrees) @ d


def curve(start: np.ndarray, direction: np.ndarray, lengths: np.ndarray, toward: np.ndarray,
          bends: np.ndarray) -> np.ndarray:
    """Points of a chain that turns by `bends[k]` degrees toward `toward` before each segment."""
    points, p, d = [], np.asarray(start, dtype=np.float64), unit(direction)
    for length, turn in zip(lengths, bends):
        d = bend(d, toward, float(turn))
        p = p + d * length
        points.append(p)
    return np.array(points)


def _template_faces() -> np.ndarray:
    rows = 2 * CAP_ROWS + len(BODY_T)
    ring = lambda r, k: 1 + r * AROUND + (k % AROUND)  # noqa: E731  vertex 0 is the start pole
    end_pole = 1 + rows * AROUND
    k = np.arange(AROUND)
    faces = [np.stack([np.zeros(AROUND, np.int64), ring(0, k + 1), ring(0, k)], axis=1)]
    for r in range(rows - 1):
        a, b, c, d = ring(r, k), ring(r, k + 1), ring(r + 1, k + 1), ring(r + 1, k)
        faces += [np.stack([a, b, c], axis=1), np.stack([a, c, d], axis=1)]
    faces.append(np.stack([np.full(AROUND, end_pole), ring(rows - 1, k), ring(rows - 1, k + 1)], axis=1))
    return np.concatenate(faces).astype(np.int64)


_FACES = _template_faces()
_VERTS = 2 + (2 * CAP_ROWS + len(BODY_T)) * AROUND
_CAP_ANGLES = np.linspace(0, math.pi / 2, CAP_ROWS + 2)[1:-1]  # from the pole toward the equator
_THETA = 2 * math.pi * np.arange(AROUND) / AROUND


def _signed_power(x: np.ndarray, e: np.ndarray) -> np.ndarray:
    return np.sign(x) * np.abs(x) ** e


@dataclass
class Body:
    names: list[str] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)
    positions: list[np.ndarray] = field(default_factory=list)
    _prims: list[tuple] = field(default_factory=list)
    _parts: list[tuple] = field(default_factory=list)  # unboned parts, meshed after the bones' primitives
    _part_bones: list[tuple[int, ...]] = field(default_factory=list)  # what each part is skinned to

    def joint(self, name: str, parent: int, position: np.ndarray | tuple[float, ...]) -> int:
        if parent >= len(self.names) or (parent < 0 and self.names):
            raise ValueError(f"joint {name!r}: parent {parent} must be an existing joint")
        if name in self.names:
            raise ValueError(f"joint {name!r} is defined twice")
        self.names.append(name)
        self.parents.append(parent)
        self.positions.append(np.asarray(position, dtype=np.float64))
        return len(self.names) - 1

    def limb(self, name: str, parent: int, position: np.ndarray | tuple[float, ...], radius: float,
             end_radius: float | None = None, *, bulge: float = 1.0, **shape) -> int:
        """A new joint and a tapered capsule along the bone from `parent` to it."""
        joint = self.joint(name, parent, position)
        r1 = radius if end_radius is None else end_radius
        self.capsule(parent, self.positions[parent], self.positions[joint], radius, r1,
                     mid_radius=bulge * (radius + r1) / 2, next_joint=joint, **shape)
        return joint

    def chain(self, names: list[str], parent: int, points: np.ndarray, radii: np.ndarray,
              **shape) -> list[int]:
        """Limbs through `points`; `radii` has one more entry than `names` (the start at `parent`)."""
        out = []
        for k, (name, point) in enumerate(zip(names, points)):
            parent = self.limb(name, parent, point, float(radii[k]), float(radii[k + 1]), **shape)
            out.append(parent)
        return out

    def capsule(self, joint: int | tuple[int, ...], start: np.ndarray, end: np.ndarray, radius: float,
                end_radius: float, *, mid_radius: float | None = None,
                caps: tuple[float, float] | None = None,
                normal: tuple[float, ...] | np.ndarray = (0.0, 0.0, 1.0), flatten: float = 1.0,
                square: float = 1.0, next_joint: int = -1) -> None:
        """A tapered capsule skinned to `joint`, blending into its parent's bone and `next_joint`'s.

        `normal` is the cross-section's `flatten`ed direction; `square` < 1 makes the cross-section
        and the ends box-like (superellipse exponent). A tuple `joint` makes it an unboned part.
        """
        start, end = np.asarray(start, dtype=np.float64), np.asarray(end, dtype=np.float64)
        length = float(np.linalg.norm(end - start))
        axis = (end - start) / length if length > 1e-9 else unit(np.cross(normal, (1.0, 0.0, 0.0)))
        mid = (radius + end_radius) / 2 if mid_radius is None else mid_radius
        prev = self.parents[joint] if isinstance(joint, int) and joint >= 0 else -1
        self._add(joint, start, axis, length, (radius, mid, end_radius),
                  caps or (radius, end_radius), normal, flatten, square, prev, next_joint)

    def ellipsoid(self, joint: int | tuple[int, ...], center: np.ndarray | tuple[float, ...],
                  semi_axes: tuple[float, float, float], *,
                  axis: tuple[float, ...] | np.ndarray = (0.0, 1.0, 0.0),
                  normal: tuple[float, ...] | np.ndarray = (0.0, 0.0, 1.0), square: float = 1.0) -> None:
        """Semi-axes along `axis`, across it, and along `normal`; skinned to `joint` alone (or, for a
        tuple, to the nearest of those bones)."""
        a, b, c = semi_axes
        self._add(joint, np.asarray(center, dtype=np.float64), unit(axis), 0.0, (b, b, b), (a, a),
                  normal, c / b, square, -1, -1)

    def _add(self, joint: int | tuple[int, ...], start: np.ndarray, axis: np.ndarray, length: float,
             radii: tuple, caps: tuple, normal, flatten: float, square: float, prev: int,
             next_joint: int) -> None:
        v = np.asarray(normal, dtype=np.float64) - np.dot(normal, axis) * axis
        if np.linalg.norm(v) < 1e-6:  # normal along the axis: any perpendicular will do
            v = np.cross(axis, (1.0, 0.0, 0.0) if abs(axis[0]) < 0.9 else (0.0, 1.0, 0.0))
        v = unit(v)
        u = np.cross(v, axis)  # (u, v, axis) right-handed, so every template face points outward
        bones = tuple(joint) if isinstance(joint, tuple) else None
        if bones is not None and (not bones or min(bones) < 0 or max(bones) >= len(self.names)):
            raise ValueError(f"a part needs existing joints to be skinned to, got {bones}")
        prim = (bones[0] if bones else joint, start, axis, u, v, length, radii, caps, flatten, square, prev,
                next_joint)
        (self._parts if bones else self._prims).append(prim)
        if bones:
            self._part_bones.append(bones)

    def build(self) -> tuple[Mesh, Rig]:
        """The mesh, and the rig with its skin weights."""
        cols = list(zip(*(self._prims + self._parts)))
        joint, start, axis, u, v = (np.asarray(c) for c in cols[:5])
        length, radii, caps, flatten, square, prev, nxt = (np.asarray(c, dtype=np.float64) for c in cols[5:])
        positions = np.array(self.positions)
        floor = MIN_RADIUS * float((positions.max(axis=0) - positions.min(axis=0)).max())
        radii, caps = np.maximum(radii, floor), np.maximum(caps, floor)
        # a bone's capsule stays at least `floor` thick everywhere; a part (a fin, a cape) only at its
        # widest, so that a blade may run out to a thin edge
        is_part = np.arange(len(joint)) >= len(self._prims)
        flatten = np.maximum(flatten, floor / np.where(is_part, radii.max(axis=1), radii.min(axis=1)))
        has_child = np.zeros(len(self.names) + 1, dtype=bool)
        has_child[np.asarray(self.parents[1:], dtype=np.int64)] = True
        nxt = np.where(has_child[nxt.astype(np.int64)], nxt, -1).astype(np.int64)  # leaves carry no weight
        prev = prev.astype(np.int64)
        count = len(joint)
        e = square[:, None]
        cap_axial = np.cos(_CAP_ANGLES)[None, :] ** e  # (P, CAP_ROWS)
        cap_radial = np.sin(_CAP_ANGLES)[None, :] ** e
        axial = np.concatenate([-caps[:, :1] * cap_axial,
                                BODY_T[None, :] * length[:, None],
                                length[:, None] + caps[:, 1:] * cap_axial[:, ::-1]], axis=1)  # (P, rows)
        radial = np.concatenate([radii[:, :1] * cap_radial, radii,
                                 radii[:, 2:] * cap_radial[:, ::-1]], axis=1)
        cu = _signed_power(np.cos(_THETA)[None, :], e)  # (P, AROUND)
        cv = _signed_power(np.sin(_THETA)[None, :], e) * flatten[:, None]
        ring = (start[:, None, None, :] + axial[:, :, None, None] * axis[:, None, None, :]
                + radial[:, :, None, None] * (cu[:, None, :, None] * u[:, None, None, :]
                                              + cv[:, None, :, None] * v[:, None, None, :]))
        end = length + caps[:, 1]
        poles = np.stack([start - caps[:, 0, None] * axis, start + end[:, None] * axis], axis=1)
        vertices = np.concatenate([poles[:, :1], ring.reshape(count, -1, 3), poles[:, 1:]], axis=1)
        faces = _FACES[None] + (_VERTS * np.arange(count))[:, None, None]

        axial_all = np.concatenate([-caps[:, :1], np.repeat(axial, AROUND, axis=1), end[:, None]], axis=1)
        t = axial_all / np.maximum(length, 1e-9)[:, None]
        w_prev = np.where((prev >= 0)[:, None], 0.5 * np.clip(1 - t / BLEND, 0, 1), 0.0)
        w_next = np.where((nxt >= 0)[:, None], 0.5 * np.clip((t - 1) / BLEND + 1, 0, 1), 0.0)
        weights = np.stack([1 - w_prev - w_next, w_prev, w_next], axis=2).reshape(-1, 3)
        joints = np.repeat(np.stack([joint, prev, nxt], axis=1), _VERTS, axis=0)
        if self._parts:
            first = len(self._prims) * _VERTS
            joints[first:, 0] = self._nearest_bones(vertices.reshape(-1, 3)[first:], positions, has_child)
            weights[first:] = (1.0, 0.0, 0.0)
        weights = np.round(weights, 4)
        vertex_ids = np.broadcast_to(np.arange(count * _VERTS)[:, None], weights.shape)
        keep = weights > 0
        skin = Skin(vertex_ids[keep].astype(np.int64), joints[keep].astype(np.int64), weights[keep])
        mesh = Mesh(vertices.reshape(-1, 3), faces.reshape(-1, 3))
        rig = Rig(tuple(self.names), positions, np.asarray(self.parents, dtype=np.int64), skin)
        return mesh, rig

    def _nearest_bones(self, points: np.ndarray, positions: np.ndarray, has_child: np.ndarray) -> np.ndarray:
        """(V,) for the parts' vertices: the nearest of each part's bones (a bone per child of a joint)."""
        child = np.arange(1, len(self.names))
        owner = np.asarray(self.parents[1:], dtype=np.int64)
        a, d = positions[owner], positions[child] - positions[owner]
        allowed = np.zeros((len(self._parts), len(self.names)), dtype=bool)
        for k, bones in enumerate(self._part_bones):
            allowed[k, list(bones)] = True
            if not has_child[list(bones)].any():
                raise ValueError(f"part {k} is skinned only to leaf joints {bones}, which carry no weight")
        rel = points[:, None, :] - a[None]  # (V, S, 3)
        t = np.clip(np.einsum("vsk,sk->vs", rel, d) / np.maximum(np.einsum("sk,sk->s", d, d), 1e-18), 0, 1)
        dist = np.linalg.norm(rel - t[..., None] * d[None], axis=2)
        part = np.repeat(np.arange(len(self._parts)), _VERTS)
        dist[~allowed[part][:, owner]] = np.inf
        # a vertex nearest a joint is as near the bone ending there as the one starting there: rounded,
        # the tie goes to the first bone on every CPU (SIMD paths differ in the distances' last bits)
        return owner[np.argmin(np.round(dist, TIE_DECIMALS), axis=1)]
