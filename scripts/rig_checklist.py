#!/usr/bin/env python3
"""A rigger's checklist, run on the rigs the add-on builds from your own images.

    .venv/bin/python scripts/rig_checklist.py [IMAGE ...]

With no image: the bundled fox (front view), scikit-image's horse silhouette (side view) in both
facings, and drawn figures of other builds from tests/anatomy_figures.py (a plush bear, a bird, a
snake). Each image goes through the sidebar's operator with its default settings (IK
controls), then each line of the list is measured on the result in Blender:

limbs      every limb the body plan has (biped: 2 arms, 2 legs; quadruped: 2 front, 2 hind legs; bird: 2 legs)
bones      3-5 bones per arm or leg
head       one `head` bone, from the neck up to the crown (or forward, on a side view): the mesh goes on past
           its tail, in its direction, by < 5 % of the height (what an ear or horn hanging from it moves
           not counted)
sides      every arm/leg/wing/ear bone named with its side (.L/.R), and no sided bone on the other side of
           X = 0 (the character's left is +X) by more than 5 % of the height
ik         an IK constraint with a pole on every arm and leg; the hand or foot pulled a quarter of the
           limb's reach toward its root bends the elbow or knee toward that pole
floor      a `root` bone at the floor (Z = 0 under the cursor) and the mesh standing on it
facing     the head toward -Y on side views (an upright biped's head points up: its feet then tell); the
           spine, neck and head on X = 0 on front views (n/a on an object: a prop's chain runs along its
           members, a table's top and down a leg, no body axis)
weights    at most 4 influences per vertex, summing to 1, none unweighted
posing     an arm's first bone (a shoulder), else a leg's, turned 45 degrees (IK switched to FK) moves the
           far side (on a side view, of what is not mostly the turned limb's: a striding leg's foot is far
           from its hip) < 1 % of the height, and on a front view the torso's centre line (within 2.5 % of
           the height of X = 0, hips to neck top) < 1 % too (a shoulder owning the chest would drag it);
           a body without arms or legs (a snake, a fish, an object) turns its head, else its first limb, fin
           or tail, else (a prop of one member: a desk lamp, a cup) its spine's last bone, away from its stand
legs       a leg's first bone (a thigh: a hind leg's on a quadruped) turned 45 degrees forward, and out to the
           side, moves the far side < 1 % of the height, and on a front view the pelvis's centre line
           (within 2.5 % of the height of X = 0, from half the thigh's thickness below its hip socket up to
           the neck top) < 1 % too (a thigh owning the pelvis would drag it); n/a on a body without legs
parts      each ear and tail turned 45 degrees at its first bone (about X, then Y): the tenth of its vertices
           farthest out along it go where the bone takes them, within 10 % of the way (bone heat that cannot
           see a part's bones leaves its tip with the head or the hips); a part the picture does not show
           (its joints hidden: a front view bird's tail behind its body) has no flesh of its own to lag,
           and moves none of the mesh by 1 % of the height or more (it dragged the belly); n/a on a body
           without ears or tails

Lines that do not apply to a body plan say "n/a" and why (an object read as "generic" has no head to
find). Prints one row per image, "ok" or what is wrong, and a last line with the counts; the exit
status is 1 if any check failed.
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
LEG_PARTS = ("leg", "hind_leg")  # what the legs line turns
HANGING = ("ear", "tail")  # what the parts line turns
FOLLOW = 0.1  # the parts line: a part's tip may lag a rigid turn of its first bone by this share of the way
HEAD_SHORT = 0.05  # of the height: the head bone's tail may stop this far short of the outline
TURNED = ("head", "limb", "wing", "fin", "tail")  # what a limbless body turns, in this order
NOT_APPLICABLE = "n/a: "  # a line's answer that says it does not apply (not a failure)


def _launcher():
    spec = importlib.util.spec_from_file_location("pointskel_batch_launcher", ROOT / "scripts" / "batch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _default_images(folder: Path) -> list[Path]:
    """The fox, the horse both ways, and three drawn figures of other builds: a chunky plush bear
    (front), a bird (side, facing left) and a limbless snake (side, facing right)."""
    from PIL import Image
    from skimage import data

    sys.path.insert(0, str(ROOT / "tests"))
    import anatomy_figures as af

    horse = ~data.horse()  # True on the horse
    rgb = np.where(horse[..., None], np.array([120, 82, 50], np.uint8), np.uint8(255)).astype(np.uint8)
    drawn = {c.name: af.rgba(c.mask) for c in (af.plush_bear(), af.bird(), af.snake())}
    paths = [SAMPLE]
    for name, pixels in (("horse", rgb), ("horse_flipped", rgb[:, ::-1]), *drawn.items()):
        paths.append(folder / f"{name}.png")
        Image.fromarray(np.ascontiguousarray(pixels)).save(paths[-1])
    return paths


def _chains(skeleton, parts: tuple[str, ...] = IK_PARTS + ("wing",)) -> list[list[int]]:
    """Each limb (each of `parts`) as its joints that make bones, root first (one chain per part and
    side)."""
    out: dict[tuple[str, str, int], list[int]] = {}
    for i, joint in enumerate(skeleton.joints):
        if joint.part not in parts or not skeleton.children(i):
            continue
        parent = skeleton.joints[joint.parent] if joint.parent is not None else None
        starts = parent is None or (parent.part, parent.side) != (joint.part, joint.side)
        chain = None if starts else next((c for c in out.values() if c[-1] == joint.parent), None)
        if chain is None:  # where the limb starts, or a branch of one (a bat's wing forks): its own chain
            out[(joint.part, joint.side, i)] = [i]
        else:
            chain.append(i)
    return list(out.values())


def _posed(bpy, mesh) -> np.ndarray:
    bpy.context.view_layer.update()
    evaluated = mesh.evaluated_get(bpy.context.evaluated_depsgraph_get())
    matrix = np.array(evaluated.matrix_world)
    co = np.array([v.co for v in evaluated.data.vertices])
    return co @ matrix[:3, :3].T + matrix[:3, 3]


def _turned(skeleton, chains: list[list[int]], parts=("arm", "front_leg", "leg")) -> str | None:
    """The bone the posing line turns: an arm's first bone (a shoulder, which runs inside the chest),
    else a front or hind leg's, else the first bone of a limbless body's head, limb, wing, fin or tail.
    With other `parts` (the legs line): the first bone of the first chain of those, else None."""
    for part in parts:
        for c in chains:
            if skeleton.joints[c[0]].part == part:
                return skeleton.joints[c[0]].name
    if parts == LEG_PARTS:
        return None
    joints = skeleton.joints
    starts = [j for j in joints if skeleton.children(joints.index(j))
              and (j.parent is None or (joints[j.parent].part, joints[j.parent].side) != (j.part, j.side))]
    turned = next((j.name for part in TURNED for j in starts if j.part == part), None)
    if turned is None and skeleton.anatomy.body_plan == "generic":
        # a prop of one member (a desk lamp's arm, a cup): its spine's last bone, away from its stand
        spine = [j.name for k, j in enumerate(joints) if j.part == "spine" and skeleton.children(k)]
        turned = spine[-1] if spine else None
    return turned


def _faces_minus_y(skeleton, bones, world, chains) -> bool:
    """A side view faces -Y: its head is ahead of the hips that way (by 5 % of the body's length), or
    (an upright biped, whose head points up) its feet, the last bones of its legs, point that way on
    the whole."""
    head, hips = bones["head"], bones["spine"]
    ys = [(world @ p).y for b in bones.values() if b.use_deform for p in (b.head_local, b.tail_local)]
    if (world @ head.tail_local).y < (world @ hips.head_local).y - 0.05 * (max(ys) - min(ys)):
        return True
    if skeleton.anatomy.body_plan != "biped":
        return False
    feet = [bones[skeleton.joints[c[-1]].name] for c in chains if skeleton.joints[c[0]].part == "leg"]
    return bool(feet) and sum((world @ f.tail_local).y - (world @ f.head_local).y for f in feet) < 0


def _weighted_to(mesh, bones: set[str]) -> np.ndarray:
    """(V,) bool: the vertices with any weight on one of `bones`."""
    groups = {g.index for g in mesh.vertex_groups if g.name in bones}
    return np.array([any(e.group in groups and e.weight > 0 for e in v.groups) for v in mesh.data.vertices])


def _mostly_on(mesh, bones: set[str]) -> np.ndarray:
    """(V,) bool: the vertices with more than half their weight on `bones` (a limb's own)."""
    groups = {g.index for g in mesh.vertex_groups if g.name in bones}
    on = np.array([sum(e.weight for e in v.groups if e.group in groups) for v in mesh.data.vertices])
    total = np.array([sum(e.weight for e in v.groups) for v in mesh.data.vertices])
    return on > 0.5 * total


def _beyond_tip(rest: np.ndarray, head, tail, height: float) -> float:
    """How far (in heights) the mesh (`rest`, its vertices) goes on past a bone's tail in the bone's
    direction, within 2.5 % of the height of that line: 0 for a head bone that reaches the crown, the
    rest of the head (or the body, for one pointing down) for a stub."""
    way = (tail - head) / max(float(np.linalg.norm(tail - head)), 1e-12)
    offset = rest - tail
    along = offset @ way
    across = np.linalg.norm(offset - along[:, None] * way, axis=1)
    ahead = along[(along > 0) & (across < 0.025 * height)]
    return float(ahead.max()) / height if ahead.size else 0.0


def _centre_line(rest: np.ndarray, bones, world, height: float, start: str = "spine",
                 below: float = 0.0) -> np.ndarray | None:
    """The vertices of a front view's torso on its centre line: within 2.5 % of the height of X = 0,
    between `below` under the head of bone `start` (the hips, `spine`; a thigh's: the pelvis from its
    hip socket) and the neck top (`head`'s head); None without those bones."""
    if start not in bones or "head" not in bones:
        return None
    low, high = ((world @ bones[name].head_local).z for name in (start, "head"))
    low -= below
    return ((np.abs(rest[:, 0] - world.translation.x) < 0.025 * height)
            & (rest[:, 2] > low) & (rest[:, 2] < high))


def _bent_off_the_pole(bpy, rig, solved) -> list[str]:
    """The IK bones whose middle joint, the hand or foot pulled a quarter of the limb's reach toward
    its root, does not go toward the pole (an animator places the pole where the knee or elbow goes)."""
    from mathutils import Matrix

    askew = []
    for bone in solved:
        ik = next(c for c in bone.constraints if c.type == "IK" and c.pole_target is not None)
        target = rig.pose.bones[ik.subtarget]
        start, middle, end = bone.parent.head.copy(), bone.head.copy(), bone.tail.copy()
        target.matrix = Matrix.Translation(0.25 * (start - end)) @ target.matrix
        bpy.context.view_layer.update()
        axis = (end - start).normalized()  # the ways across the line root-hand, as the limb folds
        moved = bone.head - middle
        moved -= moved.dot(axis) * axis
        pole = rig.pose.bones[ik.pole_subtarget].head - middle
        pole -= pole.dot(axis) * axis
        target.matrix_basis = Matrix.Identity(4)
        bpy.context.view_layer.update()
        if moved.length == 0 or moved.normalized().dot(pole.normalized()) < 0.7:
            askew.append(bone.name)
    return askew


def check(bpy, rig, mesh, skeleton) -> dict[str, str]:
    """Each line of the list: "" when it holds, `NOT_APPLICABLE` and why when it does not apply, else
    what is wrong."""
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
    if anatomy.body_plan == "generic" and head is None:
        out["head"] = NOT_APPLICABLE + "an object read as generic has no head"
    else:
        out["head"] = "" if head is not None and head.use_deform else "no head bone"
    unsided = [j.name for j in skeleton.joints if j.part in SIDED and not j.name.endswith((".L", ".R"))
               and j.name.split(".")[-2:-1] not in (["L"], ["R"])]
    out["sides"] = f"no side: {', '.join(unsided[:3])}" if unsided else ""
    limbs = [skeleton.joints[c[0]] for c, p in zip(chains, parts, strict=True) if p in IK_PARTS]
    solved = [b for b in rig.pose.bones for c in b.constraints
              if c.type == "IK" and c.pole_target is not None]
    out["ik"] = "" if len(solved) >= len(limbs) else f"{len(solved)} IK limbs of {len(limbs)}"
    askew = _bent_off_the_pole(bpy, rig, solved)
    if askew and not out["ik"]:
        out["ik"] = f"bends away from its pole: {', '.join(askew[:3])}"
    rest = _posed(bpy, mesh)
    floor = float(rest[:, 2].min())
    root = bones.get("root")
    root_z = None if root is None else float((world @ root.head_local).z)
    out["floor"] = "" if root_z is not None and abs(root_z - floor) < 1e-3 else "no root bone at the floor"
    height = float(np.ptp(rest[:, 2]))
    if head is not None and not out["head"]:
        hanging = {b.name for b in rig.data.bones if head in b.parent_recursive}  # ears, horns
        own = ~_weighted_to(mesh, hanging)
        tips = np.array(world @ head.head_local), np.array(world @ head.tail_local)
        short = _beyond_tip(rest[own], *tips, height)
        if short > HEAD_SHORT:
            out["head"] = f"the head bone stops {short:.0%} of the height short of the outline"
    crossed = [j.name for j in skeleton.joints if j.side and j.name in bones
               and (1 if j.side == "L" else -1) * ((world @ bones[j.name].head_local).x - world.translation.x)
               < -0.05 * height]  # the character's left is +X
    if crossed and not out["sides"]:
        out["sides"] = f"on the other side of X = 0: {', '.join(crossed[:3])}"
    if anatomy.view == "side" and head is not None and "spine" in bones:
        ahead = _faces_minus_y(skeleton, bones, world, chains)
        out["facing"] = "" if ahead else "the head is not toward -Y"
    elif anatomy.body_plan == "generic":  # a prop's chain runs where its members are: a table's to a leg
        out["facing"] = f"{NOT_APPLICABLE}an object read as generic has no body axis"
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
    limb = _turned(skeleton, chains)
    out["posing"] = ("no arm, leg, head, limb, fin or tail to turn" if limb is None
                     else _turn(bpy, rig, mesh, skeleton, limb))
    thigh = _turned(skeleton, chains, LEG_PARTS)
    out["legs"] = (NOT_APPLICABLE + f"no {' or '.join(LEG_PARTS)}" if thigh is None
                   else _turn(bpy, rig, mesh, skeleton, thigh, pelvis=True))
    chains = _chains(skeleton, HANGING)
    hanging = [[skeleton.joints[i].name for i in c] for c in chains if not _hidden(skeleton, c)]
    lags = {names[0]: _lag(bpy, rig, mesh, names) for names in hanging}
    behind = [f"{name} {lag:.0%}" for name, lag in lags.items() if lag >= FOLLOW]
    unseen = [skeleton.joints[c[0]].name for c in chains if _hidden(skeleton, c)]
    pulls = {name: _pull(bpy, rig, mesh, name) / height for name in unseen}
    dragged = [f"{name} {pull:.1%}" for name, pull in pulls.items() if pull >= 0.01]
    problems = (["its tip lags the bone: " + ", ".join(behind[:3])] if behind else []) + \
        (["hidden, it moves the mesh: " + ", ".join(dragged[:3])] if dragged else [])
    out["parts"] = (NOT_APPLICABLE + f"no {' or '.join(HANGING)}" if not chains else "; ".join(problems))
    return out


def _hidden(skeleton, chain: list[int]) -> bool:
    """Whether the picture shows none of a part's joints (`Joint.hidden`): nothing drawn is its own."""
    return all(skeleton.joints[i].hidden for i in chain)


def _pull(bpy, rig, mesh, name: str) -> float:
    """How far a 45 degree turn of bone `name` about X, then Y, moves any vertex of the mesh: the most."""
    rest = _posed(bpy, mesh)
    return max(float(np.linalg.norm(_turned_about(bpy, rig, mesh, name, axis)[0] - rest, axis=1).max())
               for axis in ("X", "Y"))


def _turned_about(bpy, rig, mesh, name: str, axis: str):
    """(the mesh's vertices, the turn's 4x4 matrix) with bone `name` turned rigidly 45 degrees about the
    world `axis` through its head, then put back."""
    from mathutils import Matrix

    world = rig.matrix_world
    bone = rig.data.bones[name]
    pivot = world @ bone.head_local
    turn = Matrix.Translation(pivot) @ Matrix.Rotation(math.radians(45), 4, axis) @ Matrix.Translation(-pivot)
    rig.pose.bones[name].matrix = world.inverted() @ turn @ world @ bone.matrix_local
    posed = _posed(bpy, mesh)
    rig.pose.bones[name].matrix_basis = Matrix.Identity(4)
    return posed, np.array(turn)


def _lag(bpy, rig, mesh, names: list[str]) -> float:
    """How far the tenth of a part's vertices farthest out along it (of those weighted to its bones
    `names`) lag behind a rigid 45 degree turn of its first bone about X, then Y: the worst, as a share
    of the way the turn takes them."""
    world = rig.matrix_world
    first = rig.data.bones[names[0]]
    base = np.array(world @ first.head_local)
    way = np.array(world @ rig.data.bones[names[-1]].tail_local) - base
    rest = _posed(bpy, mesh)
    weighted = np.flatnonzero(_weighted_to(mesh, set(names)))
    if not weighted.size:
        return 1.0
    tip = weighted[np.argsort(-((rest[weighted] - base) @ way))[: max(5, weighted.size // 10)]]
    worst = 0.0
    for axis in ("X", "Y"):
        posed, matrix = _turned_about(bpy, rig, mesh, names[0], axis)
        posed = posed[tip]
        rigid = rest[tip] @ matrix[:3, :3].T + matrix[:3, 3]
        way_moved = np.maximum(np.linalg.norm(rigid - rest[tip], axis=1), 1e-12)
        worst = max(worst, float((np.linalg.norm(posed - rigid, axis=1) / way_moved).max()))
    return worst


def _turn(bpy, rig, mesh, skeleton, limb: str, pelvis: bool = False) -> str:
    """"" if turning bone `limb` 45 degrees (forward; with `pelvis` also out to the side) moves the far
    side and, on a front view, the torso's centre line (from the hips up; with `pelvis`, `limb` a thigh:
    the pelvis's, from half the thigh's thickness below its socket up) < 1 % of the height; else what
    moved."""
    from mathutils import Matrix

    bones = {b.name: b for b in rig.data.bones}
    world = rig.matrix_world
    view = skeleton.anatomy.view
    rest = _posed(bpy, mesh)
    height = float(np.ptp(rest[:, 2]))
    bone = bones[limb]
    pivot = world @ bone.head_local
    side = {"L": 1.0, "R": -1.0}.get(next(j.side for j in skeleton.joints if j.name == limb), 0.0)
    if side and view != "side":  # the far side is away from where the limb goes, whatever its name
        side = float(np.sign(((world @ bone.tail_local).x - world.translation.x) or side))
    moved = np.zeros(len(rest))
    for axis in ("X", "Y") if pelvis else ("X",):
        turn = (Matrix.Translation(pivot) @ Matrix.Rotation(math.radians(45), 4, axis)
                @ Matrix.Translation(-pivot))
        rig.pose.bones[limb].matrix = world.inverted() @ turn @ world @ bone.matrix_local
        moved = np.maximum(moved, np.linalg.norm(_posed(bpy, mesh) - rest, axis=1))
        rig.pose.bones[limb].matrix_basis = Matrix.Identity(4)
    if view == "side":  # the far side of a side view: the head end and the other end's legs
        far = np.abs(rest[:, 1] - pivot.y) > 0.6 * float(np.ptp(rest[:, 1]))
        far &= ~_mostly_on(mesh, {b.name for b in (bone, *bone.children_recursive)})  # a striding foot
    elif side:
        far = side * (rest[:, 0] - world.translation.x) < -0.05 * height
    else:  # an unsided bone (a head) on a front view: the far end of the figure from its pivot
        reach = np.linalg.norm(rest - np.asarray(pivot), axis=1)
        far = reach > 0.6 * float(reach.max())
    worst_move = float(moved[far].max()) if far.any() else 0.0
    centre = None
    if side and view != "side":
        start, below = (limb, 0.5 * bone.head_radius) if pelvis else ("spine", 0.0)
        centre = _centre_line(rest, bones, world, height, start, below)
    centre_move = float(moved[centre].max()) if centre is not None and centre.any() else 0.0
    if worst_move >= 0.01 * height:
        return f"far side moves {worst_move / height:.1%}"
    if centre_move >= 0.01 * height:
        return f"the {'pelvis' if pelvis else 'torso'}'s centre line moves {centre_move / height:.1%}"
    return ""


def _verdict(problem: str) -> str:
    return "ok" if not problem else problem if problem.startswith(NOT_APPLICABLE) else "FAIL: " + problem


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("images", nargs="*", type=Path,
                        help="images to rig (default: the fox, the horse both ways, a bear, a bird, a snake)")
    argv = [str(path) for path in parser.parse_args(argv).images]
    import bpy

    with _launcher().source_addon() as module, tempfile.TemporaryDirectory() as tmp:
        pipeline = importlib.import_module(f"{module}.core.pipeline")
        scene_build = importlib.import_module(f"{module}.blender.scene_build")
        images = [Path(a) for a in argv] or _default_images(Path(tmp))
        failed, skipped, rows = 0, 0, []
        for image in images:
            bpy.ops.wm.read_homefile(use_empty=True)
            result = pipeline.run_pipeline(image, pipeline.PipelineSettings())  # the sidebar's defaults
            built = scene_build.build_rig(bpy.context, result, image.stem, scene_build.BuildOptions(),
                                          texture=image)
            problems = check(bpy, built.armature, built.mesh, result.skeleton)
            not_applicable = sum(1 for problem in problems.values() if problem.startswith(NOT_APPLICABLE))
            failed += sum(1 for problem in problems.values() if problem) - not_applicable
            skipped += not_applicable
            anatomy = result.skeleton.anatomy
            deform = sum(1 for b in built.armature.data.bones if b.use_deform)
            rows.append(f"{image.name}: {anatomy.body_plan} {anatomy.body_plan_confidence:.2f}, "
                        f"{anatomy.view}, facing {anatomy.facing}, {deform} deform bones")
            rows += [f"  {name:8s} {_verdict(problem)}" for name, problem in problems.items()]
        print("\n".join(rows))
        counts = f"checklist: {len(images) * len(problems) - failed - skipped} passed, {failed} failed"
        print(counts + (f", {skipped} not applicable" if skipped else ""))
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
