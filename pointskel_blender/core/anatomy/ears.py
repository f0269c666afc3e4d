"""Ears the medial tree drew otherwise: a side view quadruped's ear that it did not fork into, read off
the head's outline; and two ears it joined at their roots, one limb hanging off the other.

Topology prunes short branches, so a small ear standing on a head (a fox's, a cat's, a pig's) often
shows only as a spike on the outline, and the head's joints stop under it. A rigger still gives it
a bone: Rigify's cat and wolf carry `ear.L` off the head. The spike is a narrow peak of the
outline's top over the neck's last bone and the head's; its root and its top become the ear's
joints, off the head.
"""
from __future__ import annotations

import warnings

import numpy as np
from scipy.signal import find_peaks, peak_widths

from .body import Body
from .cuts import points_at
from .joints import Joints
from .parts import Layout, direction, near_far

EAR_TALL = 0.25  # an ear's top stands this share of the head's radius or more above the saddles beside it
REACH = 4.0  # the ear's tip is sought up to this many of the head's radii above the head's bones


def outline_ear(body: Body, layout: Layout, out: Joints) -> None:
    """Add an ear on the head's outline (see the module docstring) to a side view quadruped's joints
    that have no ear; its root off the head's joint, its tip at the spike's top; near side."""
    if not (layout.plan == "quadruped" and layout.view == "side" and layout.head) or "ear" in out.parts:
        return
    head = next((j for j in range(len(out)) if out.parts[j] == "head" and not out.tips[j]), -1)
    end = next((j for j in range(len(out)) if out.parts[j] == "head" and out.tips[j]), -1)
    if head < 0 or end < 0:
        return
    necks = [j for j in range(len(out)) if out.parts[j] == "neck"]
    bones = np.array([out.positions[j] for j in necks[-1:] + [head, end]])
    along = points_at(bones, np.linspace(0.0, 1.0, 24))
    skull = points_at(bones[-2:], np.linspace(0.0, 1.0, 12))
    thick = float(np.max(body.shape.radius_at(skull.astype(np.float32))))
    spike = _spike(body, along, thick)
    if spike is None:
        return
    root, tip = spike
    side = near_far(layout.facing)[0]
    ear = out.add(np.array([root[0], root[1], out.positions[head][2]]), head, "ear", "ear", side=side)
    out.add(np.array([tip[0], tip[1], out.positions[head][2]]), ear, "ear", "ear", side=side, tip=True)


def joined_ears(body: Body, layout: Layout) -> bool:
    """Split two ears the tree joined at their roots (a bunny's long ears from the side, one behind the
    other): an unnamed limb hanging off an ear, rising as the ear does, is the other ear; each runs
    from the head, sharing the stretch below their fork. Whether any was split (sides then change)."""
    split = False
    for limb in layout.limbs:
        ear = layout.limbs[limb.parent] if limb.parent >= 0 else None
        if ear is None or ear.part != "ear" or ear.parent >= 0 or limb.part != "limb":
            continue
        if direction(body, limb)[1] <= 0 or limb.joints[0] not in ear.joints:
            continue
        fork = ear.joints.index(limb.joints[0])
        limb.joints = ear.joints[:fork] + limb.joints
        limb.parent, limb.part, limb.group = -1, "ear", ear.group
        split = True
    return split


def _spike(body: Body, along: np.ndarray, thick: float) -> tuple[np.ndarray, np.ndarray] | None:
    """(root, tip) (x, y) of the most prominent spike on the outline's top over the path `along` (the
    neck's last bone and the head's), or None: a peak of the outline's height, column by column up to
    `REACH` of the head's radius `thick` above the path, at least `EAR_TALL` of that radius above the
    higher of the saddles beside it within half the head's radius, and narrower than tall where half as
    high (a head's dome is wider, a smooth outline has no peak). Its root lies on that saddle's
    height, under its top."""
    shape = body.shape
    unit = shape.work_px_per_unit
    work = shape.to_work(along)
    left, right = int(np.floor(work[:, 0].min())), int(np.ceil(work[:, 0].max()))
    left, right = max(left, 0), min(right, shape.mask.shape[1])
    if right - left < 3:
        return None
    columns = np.arange(left, right)
    floor = np.interp(columns + 0.5, *_increasing(work[:, 0], work[:, 1]))  # the path's row, y down
    rows = np.arange(shape.mask.shape[0])[:, None]
    band = (rows <= floor[None, :]) & (rows >= floor[None, :] - REACH * thick * unit)
    inside = shape.mask[:, left:right] & band
    if not inside.any(axis=0).all():
        return None
    top = np.argmax(inside, axis=0).astype(float)  # the topmost figure row over the path, per column
    # (prominence within the head's radius either side: a spike on a dome stands above the dome's
    # shoulders, not above where the dome meets the neck and the muzzle)
    window = 2 * int(0.5 * thick * unit) + 1
    with warnings.catch_warnings():  # a plateau's prominence in a window can be 0 (scipy warns of it as
        warnings.simplefilter("ignore", RuntimeWarning)  # a RuntimeWarning): the threshold drops it
        peaks, props = find_peaks(-top, prominence=EAR_TALL * thick * unit, wlen=window)
    if not len(peaks):
        return None
    saddles = (props["prominences"], props["left_bases"], props["right_bases"])
    widths = peak_widths(-top, peaks, rel_height=0.5, prominence_data=saddles)[0]
    narrow = widths <= props["prominences"]
    if not narrow.any():
        return None
    k = int(np.argmax(np.where(narrow, props["prominences"], -1.0)))
    column, height = columns[peaks[k]] + 0.5, float(props["prominences"][k])
    tip = np.array([column, top[peaks[k]]])
    root = np.array([column, top[peaks[k]] + height])
    points = shape.frame.to_normalized(np.stack([root, tip]) / shape.work_scale)
    return points[0], points[1]


def _increasing(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) samples sorted by x, for interpolation along a path that may run either way."""
    order = np.argsort(x, kind="stable")
    return x[order], y[order]
