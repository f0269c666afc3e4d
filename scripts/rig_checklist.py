#!/usr/bin/env python3
"""A rigger's checklist, run on the rigs the add-on builds from your own images.

    .venv/bin/python scripts/rig_checklist.py [IMAGE ...]

With no image: the bundled fox (front view) and scikit-image's horse silhouette (side view), in
both facings. Each image goes through the sidebar's operator with its default settings (IK
controls), then each line of the list is measured on the result in Blender:

limbs      every limb the body plan has (biped: 2 arms, 2 legs; quadruped: 2 front, 2 hind legs; bird: 2 legs)
bones      3-5 bones per arm or leg
head       one `head` bone, from the neck up to the crown (or forward, on a side view)
sides      every arm/leg/wing/ear bone named with its side (.L/.R)
ik         an IK constraint with a pole on every arm and leg
floor      a `root` bone at the floor (Z = 0 under the cursor) and the mesh standing on it
facing     the head toward -Y on side views; the spine, neck and head on X = 0 on front views
weights    at most 4 influences per vertex, summing to 1, none unweighted
posing     an upper arm or thigh turned 45 degrees (IK switched to FK) moves the far side < 1 % of the height

Prints one row per image, "ok" or what is wrong, and a last line with the counts; the exit status
is 1 if any check failed.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import math
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "pointskel_blender" / "samples" / "sample_character.png"
EXPECTED = {"biped": {"arm": 2, "leg": 2}, "quadruped": {"front_leg": 2, "hind_leg": 2}, "bird": {"leg": 2}}
SIDED = ("arm", "leg", "front_leg", "hind_leg", "wing", "ear")
IK_PARTS = ("arm", "leg", "front_leg", "hind_leg")


def _launcher():
    spec = importlib.util.spec_from_file_location("pointskel_batch_launcher", ROOT / "scripts" / "batch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _default_images(folder: Path) -> list[Path]:
    from PIL import Image
    from skimage import data

    horse = ~data.horse()  # True on the horse
    rgb = np.where(horse[..., None], np.array([120, 82, 50], np.uint8), np.uint8(255)).astype(np.uint8)
    paths = [SAMPLE]
    for name, pixels in (("horse", rgb), ("horse_flipped", rgb[:, ::-1])):
        paths.append(folder / f"{name}.png")
        Image.fromarray(np.ascontiguousarray(pixels)).save(paths[-1])
    return paths


def _chains(skeleton) -> list[list[int]]:
    """Each limb as its joints that make bones, root first (one chain per limb part and side)."""
    out: dict[tuple[str, str, int], list[int]] = {}
    for i, joint in enumerate(skeleton.joints):
        if joint.part not in IK_PARTS + ("wing",) or not skeleton.children(i):
            continue
        parent = skeleton.joints[joint.parent] if joint.parent is not None else None
        starts = parent is None or (parent.part, parent.side) != (joint.part, joint.side)
        key = (joint.part, joint.side, i if starts else -1)
        if starts:
            out[key] = [i]
        else:
            chain = next(c for c in out.values() if c[-1] == joint.parent)
            chain.append(i)
    return list(out.values())


def _posed(bpy, mesh) -> np.ndarray:
    bpy.context.view_layer.update()
    evaluated = mesh.evaluated_get(bpy.context.evaluated_depsgraph_get())
    matrix = np.array(evaluated.matrix_world)
    co = np.array([v.co for v in evaluated.data.vertices])
    return co @ matrix[:3, :3].T + matrix[:3, 3]


def check(bpy, rig, mesh, skeleton) -> dict[str, str]:
    """Each line of the list: "" when it holds, else what is wrong."""
    from mathutils import Matrix

    anatomy = skeleton.anatomy
    bones = {b.name: b for b in rig.data.bones}
    world = rig.matrix_world
    out: dict[str, str] = {}
    chains = _chains(skeleton)
    parts = [skeleton.joints[c[0]].part for c in chains]
    missing = [f"{want - parts.count(p)} {p}" for p, want in EXPECTED.get(anatomy.body_plan, {}).items()
               if parts.count(p) < want]
    out["limbs"] = "missing " + ", ".join(missing) if missing else ""
    counts = [len(c) for c, p in zip(chains, parts, strict=True) if p in IK_PARTS]
    out["bones"] = "" if all(3 <= n <= 5 for n in counts) else f"bones per limb {counts}"
    head = bones.get("head")
    out["head"] = "" if head is not None and head.use_deform else "no head bone"
    unsided = [j.name for j in skeleton.joints if j.part in SIDED and not j.name.endswith((".L", ".R"))
               and j.name.split(".")[-2:-1] not in (["L"], ["R"])]
    out["sides"] = f"no side: {', '.join(unsided[:3])}" if unsided else ""
    limbs = [skeleton.joints[c[0]] for c, p in zip(chains, parts, strict=True) if p in IK_PARTS]
    solved = [b for b in rig.pose.bones for c in b.constraints
              if c.type == "IK" and c.pole_target is not None]
    out["ik"] = "" if len(solved) >= len(limbs) else f"{len(solved)} IK limbs of {len(limbs)}"
    rest = _posed(bpy, mesh)
    floor = float(rest[:, 2].min())
    root = bones.get("root")
    root_z = None if root is None else float((world @ root.head_local).z)
    out["floor"] = "" if root_z is not None and abs(root_z - floor) < 1e-3 else "no root bone at the floor"
    height = float(np.ptp(rest[:, 2]))
    if anatomy.view == "side" and head is not None and "spine" in bones:
        ahead = (world @ head.tail_local).y < (world @ bones["spine"].head_local).y
        out["facing"] = "" if ahead else "the head is not toward -Y"
    else:  # the unsided body (spine, neck, head) on the mirror plane X = 0
        axis = [(world @ b.head_local).x - world.translation.x for b in rig.data.bones
                if b.use_deform and not b.name.endswith((".L", ".R")) and ".L." not in b.name
                and ".R." not in b.name and b.name.startswith(("spine", "neck", "head"))]
        off = max((abs(x) for x in axis), default=float("inf"))
        out["facing"] = "" if off < 0.01 * height else f"the spine is {off:.3f} m off X = 0"
    groups = {g.index for g in mesh.vertex_groups if g.name in bones and bones[g.name].use_deform}
    weights = [[e.weight for e in v.groups if e.group in groups and e.weight > 0] for v in mesh.data.vertices]
    worst = max(len(w) for w in weights)
    sums = np.array([sum(w) for w in weights])
    out["weights"] = "" if worst <= 4 and np.allclose(sums, 1.0, atol=1e-3) else \
        f"up to {worst} influences, sums {sums.min():.3f}-{sums.max():.3f}"
    for pose_bone in rig.pose.bones:  # FK, as an animator switches before turning a limb by hand
        if "ik" in pose_bone:
            pose_bone["ik"] = 0.0
    limb = next((skeleton.joints[c[0]].name for c, p in zip(chains, parts, strict=True)
                 if p in ("arm", "front_leg", "leg")), None)
    if limb is None:
        out["posing"] = "no arm or leg to turn"
    else:
        rest = _posed(bpy, mesh)
        bone = bones[limb]
        pivot = world @ bone.head_local
        side = 1.0 if limb.endswith(".L") else -1.0
        turn = (Matrix.Translation(pivot) @ Matrix.Rotation(math.radians(45), 4, "X")
                @ Matrix.Translation(-pivot))
        rig.pose.bones[limb].matrix = world.inverted() @ turn @ world @ bone.matrix_local
        moved = np.linalg.norm(_posed(bpy, mesh) - rest, axis=1)
        if anatomy.view == "side":  # the far side of a side view: the head end and the other end's legs
            far = np.abs(rest[:, 1] - pivot.y) > 0.6 * float(np.ptp(rest[:, 1]))
        else:
            far = side * (rest[:, 0] - world.translation.x) < -0.05 * height
        worst_move = float(moved[far].max()) if far.any() else 0.0
        out["posing"] = "" if worst_move < 0.01 * height else f"far side moves {worst_move / height:.1%}"
        rig.pose.bones[limb].matrix_basis = Matrix.Identity(4)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("images", nargs="*", type=Path,
                        help="images to rig (default: the fox sample and scikit-image's horse, both facings)")
    argv = [str(path) for path in parser.parse_args(argv).images]
    import bpy

    with _launcher().source_addon() as module, tempfile.TemporaryDirectory() as tmp:
        pipeline = importlib.import_module(f"{module}.core.pipeline")
        scene_build = importlib.import_module(f"{module}.blender.scene_build")
        images = [Path(a) for a in argv] or _default_images(Path(tmp))
        failed, rows = 0, []
        for image in images:
            bpy.ops.wm.read_homefile(use_empty=True)
            result = pipeline.run_pipeline(image, pipeline.PipelineSettings())  # the sidebar's defaults
            built = scene_build.build_rig(bpy.context, result, image.stem, scene_build.BuildOptions(),
                                          texture=image)
            problems = check(bpy, built.armature, built.mesh, result.skeleton)
            failed += sum(1 for problem in problems.values() if problem)
            anatomy = result.skeleton.anatomy
            deform = sum(1 for b in built.armature.data.bones if b.use_deform)
            rows.append(f"{image.name}: {anatomy.body_plan} {anatomy.body_plan_confidence:.2f}, "
                        f"{anatomy.view}, facing {anatomy.facing}, {deform} deform bones")
            rows += [f"  {name:8s} {'ok' if not problem else 'FAIL: ' + problem}"
                     for name, problem in problems.items()]
        print("\n".join(rows))
        print(f"checklist: {len(images) * len(problems) - failed} passed, {failed} failed")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
