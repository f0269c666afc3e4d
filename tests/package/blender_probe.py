"""Install a built PointSkel zip into a fresh Blender and report what happened, as JSON plus arrays.

Run by test_build_extension.py as `python -I -S blender_probe.py SHIM ZIP OUT SAMPLE` with
BLENDER_USER_RESOURCES set: `-S` hides the test environment's site-packages, SHIM holds links to only
what Blender itself ships (bpy, numpy, requests, ...), so scipy, Pillow and onnxruntime can only come
from the extension's bundled wheels. bpy can be imported once per process, hence a process per install.
"""
from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from pathlib import Path

BUNDLED = ("scipy", "PIL", "onnxruntime")
EXTENSION = "bl_ext.user_default.pointskel"
OPERATOR = "image_to_skeleton"


def exercise_bundled(extension_dir: Path, out: Path) -> None:
    """Run each bundled library on seeded data; the test compares with the same calls outside Blender."""
    import numpy as np
    import onnxruntime
    from PIL import Image
    from scipy import ndimage, spatial
    from scipy.sparse import csgraph, csr_matrix

    rng = np.random.default_rng(0)
    mask = rng.random((64, 64)) > 0.3
    points = rng.random((200, 3))
    graph = csr_matrix(spatial.distance_matrix(points[:40], points[:40]))
    rgba = (rng.random((48, 64, 4)) * 255).astype(np.uint8)
    session = onnxruntime.InferenceSession(str(extension_dir / "models" / "u2netp.onnx"),
                                           providers=["CPUExecutionProvider"])
    image = rng.random((1, 3, 320, 320), dtype=np.float32)
    results = {
        "edt": ndimage.distance_transform_edt(mask),
        "tree": spatial.cKDTree(points).query(points[:10], k=3)[0],
        "mst": csgraph.minimum_spanning_tree(graph).toarray(),
        "resized": np.asarray(Image.fromarray(rgba).resize((32, 24), Image.Resampling.BILINEAR)),
        "u2netp": session.run(None, {session.get_inputs()[0].name: image})[0],
    }
    predictor = extension_dir / "models" / "pointskel_offset.onnx"
    if predictor.is_file():  # shipped once the trainer exports it: it must run on the bundled runtime
        session = onnxruntime.InferenceSession(str(predictor), providers=["CPUExecutionProvider"])
        n = int(session.get_modelmeta().custom_metadata_map["pointskel.expected_points"])
        cloud = (rng.random((1, n, 3), dtype=np.float32) - 0.5)
        feeds = {}
        for arg in session.get_inputs():  # a geometric input, if any, and a length head's figure get zeros
            feeds[arg.name] = (cloud if arg.name == "points" else
                               np.zeros((1, arg.shape[1]), np.float32) if len(arg.shape) == 2 else
                               np.zeros_like(cloud))
        for output, value in zip((o.name for o in session.get_outputs()), session.run(None, feeds)):
            # every output, so the length head's table runs on the bundled runtime too
            results[output] = value
    np.savez(out / "bundled.npz", **results)


def run_operator(bpy, sample: str) -> dict:
    """Run the add-on's main operator on the sample image; its file-path property is found from its RNA."""
    operator = getattr(bpy.ops.pointskel, OPERATOR)
    paths = [p.identifier for p in operator.get_rna_type().properties
             if p.type == "STRING" and p.subtype == "FILE_PATH"]
    if len(paths) != 1:
        return {"error": f"expected one file-path property on {OPERATOR}, found {paths}"}
    before = {o.name for o in bpy.data.objects if o.type == "ARMATURE"}
    result = operator(**{paths[0]: sample})
    created = [o for o in bpy.data.objects if o.type == "ARMATURE" and o.name not in before]
    return {"result": sorted(result), "armatures": {o.name: len(o.data.bones) for o in created}}


def main() -> None:
    shim, zip_path, out, sample = sys.argv[1:5]
    out_dir = Path(out)
    sys.path.insert(0, shim)
    import bpy

    report: dict = {
        "blender": bpy.app.version_string,
        "online_access": bpy.app.online_access,
        "repos": [repo.module for repo in bpy.context.preferences.extensions.repos],
    }
    try:
        bpy.ops.extensions.package_install_files(filepath=zip_path, repo="user_default",
                                                 enable_on_install=True)
    except RuntimeError as exc:
        report["install_error"] = str(exc)
    report["enabled"] = [addon.module for addon in bpy.context.preferences.addons]
    module = sys.modules.get(EXTENSION)
    report["extension_dir"] = str(Path(module.__file__).parent) if module else None
    report["modules"] = {}
    for name in BUNDLED:
        try:
            imported = importlib.import_module(name)
        except ImportError as exc:
            report["modules"][name] = {"error": str(exc)}
        else:
            report["modules"][name] = {"file": imported.__file__,
                                       "version": getattr(imported, "__version__", None)}
    if module is not None and not any("error" in m for m in report["modules"].values()):
        try:
            exercise_bundled(Path(report["extension_dir"]), out_dir)
        except Exception:
            report["exercise_error"] = traceback.format_exc()
    report["has_operator"] = hasattr(bpy.ops, "pointskel") and OPERATOR in dir(bpy.ops.pointskel)
    if report["has_operator"]:
        try:
            report["operator"] = run_operator(bpy, sample)
        except Exception:
            report["operator"] = {"error": traceback.format_exc()}
    report["user_resources"] = os.environ["BLENDER_USER_RESOURCES"]
    (out_dir / "report.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
