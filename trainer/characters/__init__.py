"""Procedural character templates, one module per family: each draws proportions and a pose from `rng`
and returns a `Body`.

Families: `bipeds`, `quadrupeds`, `birds`, `serpents` (whose template also draws `fish`),
`many_legged`, `plants`, `objects`; `artist` holds the plush, chibi and chunky figures a training
set may add (`trainer.synthetic --artist`), `chunky` the evaluation-only ones. `common` holds what
they share. Each family module has its template (skeleton and plain
body, from `rng`) and its `dress` (the unboned parts of `trainer.parts`, from a second generator
`style`; nothing there adds or moves a joint, so the rig is the template's with or without them).

Convention (RigNet's): Y up, the character faces +Z, its left is +X. Joint names are snake_case
and describe the joint's place (`elbow.L`, `tail_03`); paired joints end in `.L` (at +X) or `.R`
(at -X), as Blender and the add-on's naming expect; the parentless joint is always `root`. Every
joint lies inside the body: bones run through their capsules, and joints without a capsule of
their own sit inside a blob around them. Sizes are arbitrary units; the dataset writer
normalizes each character the way RigNet does.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..bodies import Body
from .artist import ARTIST_TEMPLATES, ARTIST_WEIGHTS
from .birds import bird
from .bipeds import biped
from .chunky import CHUNKY_EVAL_SEED, CHUNKY_TEMPLATES, CHUNKY_WEIGHTS
from .many_legged import many_legs
from .objects import object_like
from .plants import tree
from .quadrupeds import quadruped
from .serpents import snake

Template = Callable[[np.random.Generator, np.random.Generator | None], Body]

TEMPLATES: dict[str, Template] = {
    "biped": biped, "quadruped": quadruped, "bird": bird, "snake": snake,
    "many_legs": many_legs, "tree": tree, "object": object_like,
}
# how often each template is drawn: mostly characters, as in RigNet
TEMPLATE_WEIGHTS = {"biped": 0.32, "quadruped": 0.2, "bird": 0.1, "snake": 0.08, "many_legs": 0.12,
                    "tree": 0.1, "object": 0.08}

__all__ = ["ARTIST_TEMPLATES", "ARTIST_WEIGHTS", "CHUNKY_EVAL_SEED", "CHUNKY_TEMPLATES", "CHUNKY_WEIGHTS",
           "TEMPLATES", "TEMPLATE_WEIGHTS", "Template"]
