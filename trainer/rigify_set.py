"""Blender's eight Rigify metarigs as an evaluation set: artist-made skeletons on realistic bodies.

    python -m trainer.rigify_set --out DIR [--sheet docs/images/rigify_metarigs.png] [--plain]

Runs with the `bpy` module (the main venv has bpy 5.0.1): enables the bundled `rigify` add-on,
builds each metarig (`create(obj)` of `rigify.metarigs...`) on a fresh armature, reads its bones
and writes a RigNet-format dataset: `obj/<name>.obj`, `rig_info/<name>.txt`, `test_final.txt`
listing all eight, and `categories.json` ({name: name}, so `trainer.evaluate` breaks results down
per metarig). The skeletons are not procedural, so they test whether a method generalizes beyond
`trainer.synthetic`'s templates.

Frame: Blender's (metres, Z up, facing -Y, left at +X) becomes RigNet's (Y up, facing +Z, left at
+X) by (x, y, z) -> (x, z, -y), the rotation `trainer.render` uses for `up="z"`; then every
character is normalized like the synthetic ones (`trainer.synthetic.normalize`). So the `front`
view sees the face and the character's left at image right, as for the synthetic set.

Ground truth: which bones count. A silhouette shows limbs, not faces or knuckles, so:

- dropped: bones in the Face and Hair collections (eyes, lips, jaw, ears, mane);
- folded into their parent: bones in the Fingers, Paws, Claws and Feathers collections; when the
  parent (hand, paw, toe, wing tip, tail tip) is left without children, its tip moves to the
  farthest tip of what was folded, so a hand ends at the fingertips and a bird's tail at its feathers;
- helpers kept only as connectors: `basic.super_copy` bones and untyped, unconnected bones
  (breast, pelvis, shoulder, skull, chest, heel, small shark fins) count only where a kept limb
  hangs from them; otherwise they are deform helpers inside the body and are dropped;
- joints are the kept bones' heads plus the tails of kept leaf bones; then, relative to the
  skeleton's longest side, a joint within 2% of an ancestor merges into it (a bone starting where
  its parent starts), siblings within 2% of each other merge (a left and a right clavicle meeting at
  the sternum), and leaf bones shorter than 3% are dropped (a cat's toe tip): none of these can be
  told apart at the 5% tolerance the evaluation matches joints with.

Bodies: the plain body (`--plain`) is tapered capsules along every ground-truth bone and an
ellipsoid head, built by the synthetic generator's `trainer.bodies.Body`, so joints lie inside the
mesh and every part of the silhouette belongs to a counted bone. The default, realistic body adds
the unboned parts of `trainer.metarig_dress` (skull, muzzle and ears from the face bones, hands and
paws from the finger and paw bones, feathers, a mane, chests and bellies from the helpers, hair,
shoes, hooves, bushy tails, fins), skinned to the nearest counted bone, so the rigs are the same and
the set tests a method on characters as an artist draws them. The plain body's radii come from each
bone's rigify chain (its rig type, or its connected parent's): torso chains get R = 7.5% of the
skeleton's longest side (flattened front to back when upright, side to side when horizontal),
necks about half of R, tails taper from half of R to a tenth, limbs start at 7.5% of their chain's
length and taper to 40% of that, wings and fins are flat blades, and the head is an ellipsoid sized
from its bone. A few metarigs override the neck so
the body reads as the animal (a shark is thick from snout to tail and has no neck to speak of, a
horse has a thick neck).
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pointskel_blender.core.errors import PointSkelError
from pointskel_blender.core.files import write_text_atomic

from . import DatasetError
from .bodies import Body, unit
from .metarig import GroundTruth, MetarigBone
from .metarig_dress import dress_metarig
from .rignet import MESH_DIR, RIG_DIR, Mesh, Rig, write_obj, write_rig, write_split
from .synthetic import normalize

METARIGS = {
    "human": "rigify.metarigs.human",
    "basic_human": "rigify.metarigs.Basic.basic_human",
    "basic_quadruped": "rigify.metarigs.Basic.basic_quadruped",
    "bird": "rigify.metarigs.Animals.bird",
    "cat": "rigify.metarigs.Animals.cat",
    "horse": "rigify.metarigs.Animals.horse",
    "shark": "rigify.metarigs.Animals.shark",
    "wolf": "rigify.metarigs.Animals.wolf",
}
CATEGORIES_FILE = "categories.json"
DROPPED = ("Face", "Hair")
FOLDED = ("Fingers", "Paws", "Claws", "Feathers")
HELPER_TYPE = "basic.super_copy"
MERGE = 0.02  # joints closer than this (fraction of the longest side) are one joint
MIN_LEAF = 0.03  # leaf bones shorter than this are dropped
_BLENDER_TO_RIGNET = np.array([[1.0, 0, 0], [0, 0, 1], [0, -1, 0]])  # (x, y, z) -> (x, z, -y)

# Radius profiles (start, end) along a chain. Torso, neck and tail: fractions of R (7.5% of the
# longest side); limbs, wings and fins: fractions of the chain's own length.
TORSO_R = 0.075
PROFILES = {
    "torso": (1.0, 1.0),
    "neck": (0.45, 0.4),
    "tail": (0.5, 0.1),
    "limb": (0.075, 0.03),
    "wing": (0.2, 0.06),
    "fin": (0.3, 0.03),
}
OVERRIDES = {
    "shark": {"torso": (1.1, 1.1), "neck": (1.0, 0.7), "tail": (1.0, 0.15)},
    "horse": {"neck": (0.7, 0.5)},
}
HEAD = (0.6, 0.45, 0.4)  # head ellipsoid semi-axes (along the bone, its depth, its width) x bone length
FLAT = {"torso": 0.75, "wing": 0.25, "fin": 0.2}  # cross-section flattening


# --- reading the metarigs (bpy) ------------------------------------------------------------------


def read_metarigs(names: Sequence[str] = tuple(METARIGS)) -> dict[str, list[MetarigBone]]:
    """Build each metarig in the running Blender (`bpy` module) and read its bones.

    When this imports bpy, Blender's user resources go to a temporary folder, so enabling rigify
    never reads or writes the user's own Blender set-up.
    """
    if "bpy" not in sys.modules:
        resources = tempfile.mkdtemp(prefix="pointskel-rigify-")
        atexit.register(shutil.rmtree, resources, True)
        os.environ["BLENDER_USER_RESOURCES"] = resources
    try:
        bpy = importlib.import_module("bpy")
        addon_utils = importlib.import_module("addon_utils")  # on the path once bpy is imported
    except ImportError:
        raise DatasetError("the Rigify set needs the bpy module (Blender as a Python module)") from None
    unknown = [n for n in names if n not in METARIGS]
    if unknown:
        raise DatasetError(f"unknown metarig {unknown[0]!r}: choose among {', '.join(METARIGS)}")
    if addon_utils.enable("rigify", default_set=True) is None:
        raise DatasetError("the bundled rigify add-on could not be enabled")
    out = {}
    for name in names:
        module = importlib.import_module(METARIGS[name])
        armature = bpy.data.armatures.new(f"pointskel_{name}")
        obj = bpy.data.objects.new(armature.name, armature)
        bpy.context.scene.collection.objects.link(obj)
        bpy.context.view_layer.objects.active = obj
        try:
            module.create(obj)
            bpy.ops.object.mode_set(mode="OBJECT")
            out[name] = [
                MetarigBone(
                    b.name,
                    b.parent.name if b.parent else None,
                    _BLENDER_TO_RIGNET @ np.array(b.head_local),
                    _BLENDER_TO_RIGNET @ np.array(b.tail_local),
                    bool(b.use_connect),
                    tuple(c.name for c in b.collections),
                    obj.pose.bones[b.name].rigify_type,
                )
                for b in armature.bones
            ]
        finally:
            bpy.data.objects.remove(obj)
            bpy.data.armatures.remove(armature)
    return out


# --- which bones count ---------------------------------------------------------------------------


def _in(bone: MetarigBone, prefixes: tuple[str, ...]) -> bool:
    return any(c.startswith(prefixes) for c in bone.collections)


def _chain_kind(start: MetarigBone) -> str:
    if any(c.startswith("Wing") for c in start.collections):
        return "wing"
    if any(c.startswith("Fins") for c in start.collections):
        return "fin"
    return {"spines.basic_spine": "torso", "spines.super_head": "neck", "spines.basic_tail": "tail"}.get(
        start.rig_type, "limb"
    )


def ground_truth(bones: list[MetarigBone]) -> GroundTruth:
    """The counted joints of a metarig (see the module docstring for the rules)."""
    by_name = {b.name: b for b in bones}
    children: dict[str | None, list[str]] = {}
    for b in bones:
        children.setdefault(b.parent, []).append(b.name)
    roots = children.get(None, [])
    if len(roots) != 1:
        raise DatasetError(f"a metarig needs one root bone, found {len(roots)}")

    def descendants(name: str) -> list[str]:
        out, stack = [], list(children.get(name, []))
        while stack:
            out.append(stack.pop())
            stack += children.get(out[-1], [])
        return out

    # chains: a typed bone and the connected, untyped bones below it
    chain_start: dict[str, str] = {}
    for name in _parents_first(children, roots[0]):
        b = by_name[name]
        continued = b.parent is not None and not b.rig_type and b.connected
        chain_start[name] = chain_start[b.parent] if continued else name
    helper = {
        n
        for n, b in by_name.items()
        if b.rig_type == HELPER_TYPE or (chain_start[n] == n and not b.rig_type and b.parent is not None)
    }
    body = {n for n, b in by_name.items() if not _in(b, DROPPED + FOLDED)}
    core = {n for n in body if n not in helper}
    kept = core | {n for n in body & helper if any(d in core for d in descendants(n))}
    kept = {n for n in kept if all(a in kept for a in _ancestors(by_name, n))}

    names, positions, parents, kinds, chains = [], [], [], [], []
    joint_of: dict[str, int] = {}
    chain_id = {n: k for k, n in enumerate(by_name)}
    for name in _parents_first(children, roots[0]):
        if name not in kept:
            continue
        b = by_name[name]
        start = chain_start[name]
        kind = "connector" if name in helper else _chain_kind(by_name[start])
        joint_of[name] = len(names)
        names.append(name)
        positions.append(b.head)
        parents.append(-1 if b.parent is None else joint_of[b.parent])
        kinds.append(kind)
        chains.append(chain_id[start])
        if not any(c in kept for c in children.get(name, [])):
            folded = descendants(name) if kind in ("limb", "wing", "tail") else []  # not a head's feathers
            tips = [by_name[d].tail for d in folded if _in(by_name[d], FOLDED)] + [b.tail]
            tip = max(tips, key=lambda t: float(np.linalg.norm(t - b.head)))
            names.append(f"{name}_end")
            positions.append(tip)
            parents.append(joint_of[name])
            kinds.append("head" if kind == "neck" else kind)  # a head rig's last bone is the head itself
            chains.append(chains[-1])
    truth = GroundTruth(tuple(names), np.array(positions), np.array(parents), tuple(kinds), np.array(chains))
    return _clean(truth)


def _ancestors(by_name: dict[str, MetarigBone], name: str) -> list[str]:
    out, parent = [], by_name[name].parent
    while parent is not None:
        out.append(parent)
        parent = by_name[parent].parent
    return out


def _parents_first(children: dict[str | None, list[str]], root: str) -> list[str]:
    order, stack = [], [root]
    while stack:
        order.append(stack.pop())
        stack += reversed(children.get(order[-1], []))
    return order


def _clean(truth: GroundTruth) -> GroundTruth:
    """Merge joints an ancestor or sibling overlaps, drop too-short leaves (see the module docstring)."""
    pos = [p.astype(np.float64) for p in truth.positions]
    names = list(truth.names)
    parent = list(truth.parents)
    alive = [True] * len(pos)
    size = float(np.ptp(truth.positions, axis=0).max())
    merge, min_leaf = MERGE * size, MIN_LEAF * size

    def remove(k: int, into: int) -> None:
        alive[k] = False
        for c in range(len(parent)):
            if alive[c] and parent[c] == k:
                parent[c] = into

    changed = True
    while changed:
        changed = False
        for k in range(1, len(pos)):
            if not alive[k]:
                continue
            ancestors, a = [], parent[k]
            while a >= 0:
                ancestors.append(a)
                a = parent[a]
            near = [a for a in ancestors if np.linalg.norm(pos[k] - pos[a]) < merge]
            if near:
                remove(k, min(near, key=lambda a: np.linalg.norm(pos[k] - pos[a])))
                changed = True
                continue
            twins = [
                s
                for s in range(k)
                if alive[s] and parent[s] == parent[k] and np.linalg.norm(pos[k] - pos[s]) < merge
            ]
            if twins:
                s = twins[0]
                pos[s] = (pos[s] + pos[k]) / 2
                names[s] = _merged_name(names[s], names[k])
                remove(k, s)
                changed = True
                continue
            leaf = not any(alive[c] and parent[c] == k for c in range(len(pos)))
            if leaf and np.linalg.norm(pos[k] - pos[parent[k]]) < min_leaf:
                alive[k] = False
                changed = True
    keep = [k for k in range(len(pos)) if alive[k]]
    index = {k: i for i, k in enumerate(keep)}
    return GroundTruth(
        tuple(names[k] for k in keep),
        np.array([pos[k] for k in keep]),
        np.array([-1 if parent[k] < 0 else index[parent[k]] for k in keep]),
        tuple(truth.kinds[k] for k in keep),
        truth.chains[keep],
    )


def _merged_name(a: str, b: str) -> str:
    """`shoulder.L` and `shoulder.R` become `shoulder`: the merged joint sits on the midline."""
    sides = {a[-2:], b[-2:]}
    return a[:-2] if sides == {".L", ".R"} and a[:-2] == b[:-2] else a


# --- bodies --------------------------------------------------------------------------------------


def _chain_param(truth: GroundTruth) -> tuple[np.ndarray, np.ndarray]:
    """(J,) distance of each joint from its chain's start along the chain, and (J,) its chain's length."""
    along = np.zeros(len(truth.names))
    for k in range(1, len(along)):
        p = truth.parents[k]
        if truth.chains[p] == truth.chains[k]:
            along[k] = along[p] + float(np.linalg.norm(truth.positions[k] - truth.positions[p]))
    length = np.zeros(len(along))
    for chain in np.unique(truth.chains):
        members = truth.chains == chain
        length[members] = max(along[members].max(), 1e-9)
    return along, length


def body_for(name: str, bones: list[MetarigBone], *, realistic: bool = True) -> tuple[Mesh, Rig]:
    """The mesh and skinned rig of one metarig, in the RigNet frame (not yet normalized): the plain
    body, and unless `realistic` is off, its unboned parts (`trainer.metarig_dress`)."""
    truth = ground_truth(bones)
    b = _plain_body(name, truth)
    if realistic:
        dress_metarig(name, b, truth, bones)
    return b.build()


def _plain_body(name: str, truth: GroundTruth) -> Body:
    profiles = {**PROFILES, **OVERRIDES.get(name, {})}
    size = float(np.ptp(truth.positions, axis=0).max())
    torso_r = TORSO_R * size
    along, length = _chain_param(truth)
    b = Body()
    for k, joint in enumerate(truth.names):
        b.joint(joint, int(truth.parents[k]), truth.positions[k])
    for k in range(1, len(truth.names)):
        p = int(truth.parents[k])
        if truth.kinds[k] == "head":
            _head(b, p, truth.positions[p], truth.positions[k])
            continue
        shaped = k  # a connector is as thick as the start of the chain hanging from it
        while truth.kinds[shaped] == "connector" and np.any(truth.parents == shaped):
            shaped = int(np.flatnonzero(truth.parents == shaped)[0])
        kind = {"head": "neck", "connector": "limb"}.get(truth.kinds[shaped], truth.kinds[shaped])
        same = shaped == k and truth.chains[p] == truth.chains[k]
        t0, t1 = (along[p] / length[k] if same else 0.0), along[shaped] / length[shaped]
        start, end = profiles[kind]
        scale = torso_r if kind in ("torso", "neck", "tail") else length[shaped]
        r0, r1 = (scale * (start + (end - start) * t) for t in (t0, t1))
        b.capsule(
            p,
            truth.positions[p],
            truth.positions[k],
            r0,
            r1,
            next_joint=k,
            normal=_normal(kind, truth.positions[p], truth.positions[k]),
            flatten=FLAT.get(kind, 1.0),
        )
    return b


def _head(b: Body, joint: int, start: np.ndarray, end: np.ndarray) -> None:
    length = float(np.linalg.norm(end - start))
    axis = unit(end - start)
    b.ellipsoid(
        joint,
        start + axis * length * 0.55,
        tuple(f * length for f in HEAD),
        axis=axis,
        normal=(1.0, 0.0, 0.0),
    )


def _normal(kind: str, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The flattened direction: torsos front-back when upright, side to side when horizontal; wings and
    paired fins flat in the horizontal plane, median fins in the body's plane of symmetry."""
    axis = unit(end - start) if np.linalg.norm(end - start) > 1e-9 else np.array([0.0, 1.0, 0.0])
    if kind == "torso":
        return np.array([0.0, 0.0, 1.0]) if abs(axis[2]) < 0.7 else np.array([1.0, 0.0, 0.0])
    if kind == "wing" or (kind == "fin" and abs(start[0]) + abs(end[0]) > 1e-3):
        return np.array([0.0, 1.0, 0.0])
    return np.array([1.0, 0.0, 0.0])


# --- the dataset ---------------------------------------------------------------------------------


def build_set(out: str | Path, names: Sequence[str] = tuple(METARIGS), *,
              realistic: bool = True) -> dict[str, tuple[Mesh, Rig]]:
    """Write the RigNet-format set (every metarig in `test_final.txt`); returns {name: (mesh, rig)}."""
    root = Path(out)
    items = {}
    for name, bones in read_metarigs(names).items():
        mesh, rig = normalize(*body_for(name, bones, realistic=realistic))
        write_obj(root / MESH_DIR / f"{name}.obj", mesh)
        write_rig(root / RIG_DIR / f"{name}.txt", rig)
        items[name] = (mesh, rig)
    write_split(root, "test", list(items))
    write_text_atomic(root / CATEGORIES_FILE, json.dumps({n: n for n in items}, indent=1) + "\n")
    return items


def write_sheet(items: dict[str, tuple[Mesh, Rig]], path: str | Path, *, size: int = 256) -> None:
    """Front and side of every character with its ground-truth bones, two characters a row."""
    import cv2

    from pointskel_blender.core.files import atomic_path

    from .sheet import contact_sheet

    sheet = contact_sheet([(n, *mr) for n, mr in items.items()], ["front", "side"], size, 4)
    with atomic_path(path) as tmp:
        if not cv2.imwrite(str(tmp), sheet[..., ::-1], [cv2.IMWRITE_PNG_COMPRESSION, 9]):
            raise DatasetError(f"cannot write {path}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m trainer.rigify_set", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--out", required=True, help="dataset folder to write")
    parser.add_argument("--sheet", default=None, help="also write a contact sheet PNG here")
    parser.add_argument("--only", nargs="+", default=list(METARIGS), help="a subset of the metarigs")
    parser.add_argument("--plain", action="store_true",
                        help="plain bodies: capsules along the counted bones and an ellipsoid head only")
    args = parser.parse_args(argv)
    try:
        items = build_set(args.out, args.only, realistic=not args.plain)
        if args.sheet:
            write_sheet(items, args.sheet)
    except PointSkelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name, (mesh, rig) in items.items():
        print(f"{name}: {len(rig.names)} joints, {len(mesh.vertices)} vertices")
    print(f"wrote {len(items)} characters to {args.out}" + (f" and {args.sheet}" if args.sheet else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
