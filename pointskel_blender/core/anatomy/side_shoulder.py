"""Where a side-view person's visible arm starts: at the shoulder on the chest's top, not where its
outline leaves the torso's.

Seen from the side an arm held down or forward overlaps the torso from the shoulder to the armpit
(or to the elbow, an upper arm along the ribs), so its medial path leaves the trunk's outline there,
and the disc rule (`cuts.socket_arc`) put the socket, the upper arm's pivot, 0.2-0.5 of the torso
under the true shoulder (development lean side views: the truth's shoulders all 0.1 of the torso under
the neck's base): an animator rotating such an upper arm swung it about the ribs. Where the path
leaves the body more than `LOW` of the torso (neck base to hips) under the shoulder, the upper arm
starts at the shoulder: on the torso's line, `tucked.SHOULDER` of it down (a hidden arm's shoulder),
or an arm's thickness down where that is more (the top of the arm's outline at the neck base's height:
a drawn chunky figure's shoulder had gone 0.07 of its height over the drawn one); the elbow and the
rest are cut along the path from where it leaves the body, as before (a bend there, the elbow of an
upper arm along the ribs, still snaps). A path leaving within `LOW` is near the shoulder already (our
neck base is read within about 0.2 of the torso of the truth's: no move is safer); a raised arm (its
tip above the shoulder) leaves there and keeps its socket.
Development and dev2 lean side bipeds, both facings: upper arm heads 0.0271 -> 0.0220 of the figure's
size from the truth's shoulders (dev2 0.0409 -> 0.0407), elbows 0.0438 -> 0.0422 (0.0536 -> 0.0528);
part accuracy dev 0.710 -> 0.713, dev2 0.659 -> 0.661 (mirrored level), CD-J2J all four sets level or
better (paired -0.0032, interval -0.0063 to -0.0006). The shoulder at 0.1 of the torso alone moved
dev2's shoulders 0.0409 -> 0.0434 (mirrored dev2 part -0.001); 0.15-0.2 lost dev's gain; `LOW` 0 and
0.05 kept the losses.
"""
from __future__ import annotations

import numpy as np

from .body import Body
from .cuts import arc_of, points_at, socket_arc
from .joints import Joints
from .parts import Layout, Limb
from .tucked import SHOULDER

LOW = 0.1  # the path leaves the body this share of the torso under the shoulder or more: moved up


def side_shoulder(body: Body, layout: Layout, out: Joints, limb: Limb, poly: np.ndarray
                  ) -> tuple[float, np.ndarray] | None:
    """(arc, point): where the arm's path leaves the body and the shoulder its upper arm starts at
    instead (module docstring); None where the rule does not apply (other plans, views and parts, a
    limb off another limb, a path leaving near the shoulder or above it, a raised arm)."""
    if not (layout.plan == "biped" and layout.view == "side" and limb.part == "arm" and limb.parent < 0):
        return None
    spine = [k for k in range(len(out)) if out.parts[k] == "spine" and not out.tips[k]]
    top = next((k for k in range(len(out)) if out.parts[k] in ("neck", "head")), None)
    if len(spine) < 2 or top is None or len(poly) < 2:
        return None
    torso = np.array([out.positions[k] for k in spine] + [out.positions[top]])[::-1]  # neck base first
    length = float(arc_of(torso)[-1])
    if length <= 1e-9:
        return None
    thick = 2.0 * float(np.median(body.rad[limb.joints[len(limb.joints) // 2:]]))
    shoulder = points_at(torso, [max(SHOULDER, thick / length)])[0]
    arc = arc_of(poly)
    leaves = socket_arc(poly, arc, float(body.rad[limb.joints[0]]))
    if points_at(poly, [leaves / arc[-1]])[0][1] >= shoulder[1] - LOW * length or poly[-1, 1] >= shoulder[1]:
        return None
    shoulder[2] = poly[0, 2]
    return leaves, shoulder
