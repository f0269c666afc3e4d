"""Whether the figure runs off the picture: a bust, a close-up, a figure cut by the frame.

A mask that covers a good part of an image edge is cut there by the frame, not by the figure's own
outline. The medial tree then ends at the edge, and the anatomy stage has no way to tell such an end
from a foot on the floor or a hand: a bust's two lower corners read as legs (scikit-image's astronaut:
the mask covers 94 % of the bottom edge), a cat's face as a quadruped (`chelsea`: 80 % of the top, 65 %
of the bottom, 31 % of the left). Whole figures on a background touch no edge (the 13 pictures tried:
0 % on every edge but those two). Every front end says so in one line, so the user knows which bones
are guesses and how to get a whole rig.
"""
from __future__ import annotations

import numpy as np

CUT = 0.2  # a mask over this share of an image edge's length is cut there by the frame
EDGES = ("top", "bottom", "left", "right")


def cut_edges(mask: np.ndarray) -> list[str]:
    """The image edges (of `EDGES`, in that order) along which the (h, w) bool mask covers more than
    `CUT` of the edge's length."""
    mask = np.asarray(mask, dtype=bool)
    shares = (mask[0].mean(), mask[-1].mean(), mask[:, 0].mean(), mask[:, -1].mean())
    return [edge for edge, share in zip(EDGES, shares, strict=True) if share > CUT]


def crop_warning(mask: np.ndarray) -> str:
    """A one-line warning when the figure runs off the picture, else ""."""
    edges = cut_edges(mask)
    if not edges:
        return ""
    named = edges[0] if len(edges) == 1 else ", ".join(edges[:-1]) + " and " + edges[-1]
    return (f"the figure runs off the image's {named} edge{'s' if len(edges) > 1 else ''}: limbs that end "
            "there are the frame's cut, not feet or hands; for a whole rig use a picture of the whole figure")
