"""The worker behind the interactive run, the inference cache, and the envelope-weight fallback."""
from __future__ import annotations

import dataclasses
import threading

import bpy
import numpy as np
import pytest
from blender_helpers import FAST, deform_bones, save_png

import figures


def test_worker_runs_the_pipeline_off_the_main_thread(addon, stick_png):
    pipeline = addon.core.pipeline
    settings = pipeline.PipelineSettings(**FAST)
    seen: list[tuple[str, float, bool]] = []

    def work(progress):
        def report(stage, fraction):
            seen.append((stage, fraction, threading.current_thread() is threading.main_thread()))
            progress(stage, fraction)
        return pipeline.run_pipeline(stick_png, settings, progress=report)

    job = addon.blender.jobs.BackgroundJob(work).start()
    assert job.wait(60) and job.error is None
    assert job.result.skeleton.to_dict() == pipeline.run_pipeline(stick_png, settings).skeleton.to_dict()
    assert seen and not any(on_main for _, _, on_main in seen)
    assert job.stage == seen[-1][0] and job.fraction == pytest.approx(1.0)


def test_cancel_stops_the_worker_at_its_next_progress_report(addon, stick_png):
    pipeline = addon.core.pipeline
    started, release = threading.Event(), threading.Event()

    def work(progress):
        def report(stage, fraction):
            started.set()
            release.wait(10)
            progress(stage, fraction)
        return pipeline.run_pipeline(stick_png, pipeline.PipelineSettings(**FAST), progress=report)

    job = addon.blender.jobs.BackgroundJob(work).start()
    assert started.wait(10)
    job.cancel()
    release.set()
    assert job.wait(30)
    assert isinstance(job.error, pipeline.Cancelled) and job.result is None


def test_cache_keeps_the_most_recent_results(addon):
    cache = addon.blender.jobs.InferenceCache(capacity=2)
    for key in ("a", "b", "c"):
        cache.put((key, "s"), key)
    assert cache.get(("a", "s")) is None and cache.get(("c", "s")) == "c"
    cache.get(("b", "s"))  # b is now the most recent; adding d evicts c
    cache.put(("d", "s"), "d")
    assert cache.get(("c", "s")) is None and cache.get(("b", "s")) == "b"
    assert cache.get(None) is None  # unreadable sources are never cached
    assert (cache.hits, cache.misses) == (3, 3)


def test_unweighted_vertices_fall_back_to_envelope_weights(addon, scene, tmp_path):
    """A mask with a second blob that no bone reaches: bone heat leaves it unweighted."""
    core = addon.core
    mask = figures.bar(256).mask.copy()
    mask[20:60, 20:60] = True  # a separate square, far from the bar
    path = save_png(tmp_path / "bar_and_box.png", figures.rgba_with_alpha(mask))
    settings = core.pipeline.PipelineSettings(**{**FAST, "mask_backend": "alpha"}, keep_all_objects=True)
    result = core.pipeline.run_pipeline(path, settings)
    assert result.mask.objects_found == 2
    # Bones along the bar only (the run's own skeleton may reach into the square).
    ends = np.array([[0.2 * 256, 128.0], [0.5 * 256, 128.0], [0.8 * 256, 128.0]])
    positions = result.shape.frame.to_normalized(ends)
    joints = [core.skeleton.Joint(name, parent, tuple(px), (float(p[0]), float(p[1]), 0.0), 0.05)
              for name, parent, px, p in zip(("root", "mid", "end"), (None, 0, 1), ends, positions)]
    result = dataclasses.replace(result, skeleton=core.skeleton.Skeleton(joints, (256, 256), path.name))

    build = addon.blender.scene_build
    built = build.build_rig(bpy.context, result, "bar", build.BuildOptions())
    assert built.weighting == "partly envelope"  # the bar keeps its automatic weights
    assert built.warnings and "envelope" in built.warnings[0]
    bones = {b.name for b in deform_bones(built.armature)}
    assert {g.name for g in built.mesh.vertex_groups} == bones
    for vertex in built.mesh.data.vertices:
        weights = [e.weight for e in vertex.groups if e.weight > 0]
        assert weights and sum(weights) == pytest.approx(1.0, abs=1e-4) and len(weights) <= 4
