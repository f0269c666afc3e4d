"""The anatomy stage's joints before naming (`bones.build` fills them, `naming` names them)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Joints:
    """The anatomy stage's output joints, parents first, before naming."""

    positions: list[np.ndarray] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    sides: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # anatomical role: "hips", "upper_arm", "tail", ...
    numbers: list[int] = field(default_factory=list)  # position in a chain of one role (tail, tail.001, ...)
    letters: list[str] = field(default_factory=list)  # tells apart limbs of one part and side
    tips: list[bool] = field(default_factory=list)
    # the picture does not show it: a front view bird's tail behind its body, a side view's far limb
    hidden: list[bool] = field(default_factory=list)

    def add(self, position, parent: int, part: str, role: str, *, side: str = "", number: int = 0,
            letter: str = "", tip: bool = False, hidden: bool = False) -> int:
        self.positions.append(np.asarray(position, dtype=np.float64))
        self.parents.append(parent)
        self.parts.append(part)
        self.sides.append(side)
        self.roles.append(role)
        self.numbers.append(number)
        self.letters.append(letter)
        self.tips.append(tip)
        self.hidden.append(hidden)
        return len(self.parents) - 1

    def hide(self, start: int) -> None:
        """Mark the joints from index `start` on as hidden (the ones just added)."""
        self.hidden[start:] = [True] * (len(self) - start)

    def __len__(self) -> int:
        return len(self.parents)
