"""Unboned parts: placed on the skull or limb they belong to, mirrored, skinned to the bones given."""
from __future__ import annotations

import numpy as np
import pytest

from trainer.bodies import Body
from trainer.parts import (
    EAR_KINDS,
    HAIR_KINDS,
    HAT_KINDS,
    HORN_KINDS,
    Head,
    blade,
    ears,
    frustum,
    hair,
    hat,
    horns,
    mitten,
    muzzle,
)

UP, FWD = np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0])


def _body() -> tuple[Body, Head]:
    """A neck and a head bone, with a skull 0.1 high, 0.08 wide and 0.09 deep around the head bone."""
    b = Body()
    root = b.joint("root", -1, (0.0, 0.0, 0.0))
    neck = b.limb("neck", root, (0.0, 0.9, 0.0), 0.03)
    head = b.limb("head", neck, (0.0, 1.0, 0.0), 0.03)
    b.joint("head_end", head, (0.0, 1.18, 0.0))
    center = np.array([0.0, 1.1, 0.0])
    b.ellipsoid(head, center, (0.1, 0.08, 0.09), axis=UP, normal=FWD)
    return b, Head((head,), center, UP, FWD, (0.1, 0.08, 0.09))


def test_head_frame_and_surface() -> None:
    _, head = _body()
    assert np.allclose(head.side, (1.0, 0.0, 0.0))  # the character's left
    for d in ([0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.3, -0.5, 0.8]):
        local = (head.surface(np.array(d)) - head.center) / np.array([0.08, 0.1, 0.09])  # x, y, z semi-axes
        assert np.isclose(np.linalg.norm(local), 1.0)
    assert np.allclose(head.point(1, 0, 0), (0.0, 1.2, 0.0)) and np.allclose(head.point(0, 0, 1), (0, 1.1,
                                                                                                   0.09))


@pytest.mark.parametrize("kind", EAR_KINDS)
def test_ears_are_a_mirrored_pair_skinned_to_the_head(kind: str) -> None:
    b, head = _body()
    plain, _ = b.build()
    ears(b, head, kind, 0.1, spread=40.0, lean=10.0)
    mesh, rig = b.build()
    extra = mesh.vertices[len(plain.vertices):]
    assert len(extra) > 0
    mirrored = extra * (-1.0, 1.0, 1.0)
    gap = np.linalg.norm(extra[:, None] - mirrored[None], axis=2).min(axis=1)
    assert gap.max() < 1e-9  # left and right ears are mirror images
    weights = rig.skin.dense(len(mesh.vertices), len(rig.names))[len(plain.vertices):]
    assert np.all(weights[:, rig.names.index("head")] == 1)


@pytest.mark.parametrize("kind", [("horns", k) for k in HORN_KINDS] + [("hair", k) for k in HAIR_KINDS]
                         + [("hat", k) for k in HAT_KINDS])
def test_head_parts_sit_on_the_skull_and_go_to_the_head_bone(kind: tuple[str, str]) -> None:
    b, head = _body()
    plain, _ = b.build()
    family, name = kind
    if family == "horns":
        horns(b, head, name, 0.15)
    elif family == "hair":
        hair(b, head, name, bones=(b.names.index("neck"),))
    else:
        hat(b, head, name)
    mesh, rig = b.build()
    extra = mesh.vertices[len(plain.vertices):]
    assert extra[:, 1].max() > 1.2 - 1e-3  # reaches the crown or above it
    assert np.abs(extra.mean(axis=0)[0]) < 0.02  # left-right symmetric as a whole
    weights = rig.skin.dense(len(mesh.vertices), len(rig.names))[len(plain.vertices):]
    bones = {"head", "neck"} if name in ("long", "ponytail") else {"head"}
    assert set(np.array(rig.names)[np.flatnonzero(weights.any(axis=0))]) <= bones


def test_unknown_kinds_are_refused() -> None:
    b, head = _body()
    for add in (ears, horns, hair, hat):
        with pytest.raises(ValueError, match="unknown"):
            add(b, head, "antennae", *((0.1,) if add in (ears, horns) else ()))


def test_frustum_has_a_flat_end_and_blade_is_flat() -> None:
    b, _ = _body()
    root = 0
    frustum(b, (root,), np.array([0.0, 0.5, 0.0]), np.array([0.0, 0.1, 0.0]), 0.05, 0.3)
    blade(b, (root,), np.array([0.0, 0.5, 0.0]), np.array([0.0, 0.5, -0.5]), 0.4, 0.05, UP, thickness=0.05)
    mesh, _ = b.build()
    skirt, fin = np.split(mesh.vertices[-2 * 110:], 2)
    hem = skirt[skirt[:, 1] < 0.12]
    assert np.ptp(skirt[:, 1]) < 0.52 and skirt[:, 1].min() > 0.1 - 0.3 * 0.05  # cut off flat at the hem
    assert np.ptp(hem[:, 0]) > 0.55  # as wide as asked there
    assert np.ptp(fin[:, 1]) < 0.05 < np.ptp(fin[:, 0])  # thin across its normal, wide in its plane


def test_mitten_and_muzzle_extend_their_limb_and_face() -> None:
    b, head = _body()
    plain, _ = b.build()
    mitten(b, (1,), np.array([0.5, 0.9, 0.0]), np.array([1.0, 0.0, 0.0]), 0.1, 0.04)
    muzzle(b, head, 0.08, 0.04)
    mesh, _ = b.build()
    extra = mesh.vertices[len(plain.vertices):]
    assert extra[:, 0].max() > 0.59  # the glove reaches past the wrist
    assert extra[:, 2].max() > 0.09 + 0.05  # the snout sticks out of the face
