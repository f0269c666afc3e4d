"""Drawn figures for posing rigs as an animator does (tests/blender, scripts/rig_checklist.py): builds and
views the other figure files do not draw, with what a rigger expects of each (`anatomy_figures.Character`).

Thin and chunky, cartoon and plush, people, four-legged animals and birds, front and side views; each
side view faces left as drawn (`Character.flipped` gives the other facing).
"""
from __future__ import annotations

from anatomy_figures import Character, _Pen


def stick_person(size: int = 400) -> Character:
    """Front view: a stick figure, limbs one thin line each, a round head on a thin neck, arms down."""
    p = _Pen(size)
    p.disc(0.5, 0.14, 0.07)  # head
    p.stroke([(0.5, 0.2), (0.5, 0.55)], 0.025)  # neck and body
    for side in (-1, 1):
        p.stroke([(0.5, 0.28), (0.5 + side * 0.14, 0.38), (0.5 + side * 0.22, 0.5)], 0.022)  # arm
        p.stroke([(0.5, 0.55), (0.5 + side * 0.09, 0.73), (0.5 + side * 0.12, 0.92)], 0.025)  # leg
    return Character("stick_person", p.mask(), "biped", "front", "viewer", {"head": 1, "arm": 2, "leg": 2})


def big_head_chibi_side(size: int = 400) -> Character:
    """Side view, facing left: a chibi whose round head is nearly half its height, a small nose, a short
    body with one arm hanging in front, short legs one behind the other."""
    p = _Pen(size)
    p.disc(0.5, 0.27, 0.2)  # head
    p.disc(0.3, 0.3, 0.025)  # nose
    p.ellipse(0.5, 0.6, 0.1, 0.13)  # body
    p.stroke([(0.47, 0.52), (0.42, 0.64), (0.42, 0.7)], 0.05)  # arm
    p.stroke([(0.47, 0.7), (0.44, 0.9)], 0.06)  # near leg
    p.stroke([(0.54, 0.7), (0.56, 0.9)], 0.06)  # far leg
    p.stroke([(0.44, 0.91), (0.39, 0.91)], 0.05)  # feet
    p.stroke([(0.56, 0.91), (0.51, 0.91)], 0.05)
    return Character("big_head_chibi_side", p.mask(), "biped", "side", "left",
                     {"head": 1, "arm": 2, "leg": 2})


def pony_side(size: int = 400) -> Character:
    """Side view, facing left: a pony on four thin legs, a long neck rising to a head with a muzzle, a
    tail hanging from the rump."""
    p = _Pen(size)
    p.ellipse(0.52, 0.48, 0.2, 0.09)  # body
    p.stroke([(0.36, 0.45), (0.28, 0.28)], 0.08)  # neck
    p.ellipse(0.23, 0.27, 0.08, 0.045, angle=30)  # head and muzzle
    p.stroke([(0.27, 0.22), (0.28, 0.17)], 0.025)  # ear
    p.stroke([(0.71, 0.44), (0.78, 0.55), (0.79, 0.68)], 0.035)  # tail
    for x, knee in ((0.38, -0.01), (0.44, 0.0), (0.62, 0.02), (0.68, 0.03)):
        p.stroke([(x, 0.52), (x + knee, 0.7), (x, 0.88)], 0.04)  # legs
    return Character("pony_side", p.mask(), "quadruped", "side", "left",
                     {"head": 1, "front_leg": 2, "hind_leg": 2, "tail": 1})


def sitting_cat_front(size: int = 400) -> Character:
    """Front view: a cat sitting up, its pointed ears in a V on a round head, a pear-shaped body, the two
    front legs straight down in front of it, the tail curled round at the side on the floor."""
    p = _Pen(size)
    p.disc(0.5, 0.28, 0.11)  # head
    for side in (-1, 1):
        p.polygon([(0.5 + side * 0.03, 0.2), (0.5 + side * 0.1, 0.08), (0.5 + side * 0.11, 0.23)])  # ears
        p.stroke([(0.5 + side * 0.05, 0.5), (0.5 + side * 0.05, 0.9)], 0.05)  # front legs
    p.ellipse(0.5, 0.65, 0.15, 0.26)  # body
    p.stroke([(0.62, 0.88), (0.76, 0.86), (0.8, 0.76)], 0.04)  # tail
    return Character("sitting_cat_front", p.mask(), "quadruped", "front", "viewer",
                     {"head": 1, "front_leg": 2, "hind_leg": 2, "ear": 2})


def penguin_front(size: int = 400) -> Character:
    """Front view: a penguin, one tall oval body with the head on top, short flippers at its sides, two
    short feet under it."""
    p = _Pen(size)
    p.ellipse(0.5, 0.52, 0.16, 0.3)  # body
    p.disc(0.5, 0.2, 0.11)  # head
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.14, 0.4), (0.5 + side * 0.24, 0.58)], 0.05)  # flipper
        p.stroke([(0.5 + side * 0.07, 0.8), (0.5 + side * 0.09, 0.9), (0.5 + side * 0.14, 0.92)], 0.05)
    return Character("penguin_front", p.mask(), "bird", "front", "viewer", {"head": 1, "wing": 2, "leg": 2})


def flying_bird_front(size: int = 400) -> Character:
    """Front view: a bird in flight, wings spread wide and a little raised, a small round head, the
    legs tucked short under the body."""
    p = _Pen(size)
    p.ellipse(0.5, 0.5, 0.08, 0.12)  # body
    p.disc(0.5, 0.34, 0.06)  # head
    for side in (-1, 1):
        p.stroke([(0.5 + side * 0.06, 0.45), (0.5 + side * 0.22, 0.38), (0.5 + side * 0.42, 0.34)], 0.06)
        p.stroke([(0.5 + side * 0.03, 0.6), (0.5 + side * 0.04, 0.7)], 0.025)  # legs
    return Character("flying_bird_front", p.mask(), "bird", "front", "viewer",
                     {"head": 1, "wing": 2, "leg": 2})


def trex_side(size: int = 400) -> Character:
    """Side view, facing left: a T-rex like biped, a big long head ahead of a short neck, the body
    leaning forward over two strong legs, tiny arms, a long thick tail behind."""
    p = _Pen(size)
    p.ellipse(0.5, 0.45, 0.15, 0.1, angle=-15)  # body
    p.ellipse(0.25, 0.26, 0.1, 0.05)  # head (a long snout)
    p.stroke([(0.38, 0.38), (0.31, 0.29)], 0.08)  # neck
    p.stroke([(0.63, 0.42), (0.78, 0.44), (0.93, 0.5)], 0.06)  # tail
    p.stroke([(0.38, 0.46), (0.33, 0.5)], 0.02)  # arm
    for x in (0.5, 0.57):
        p.stroke([(x, 0.5), (x - 0.05, 0.68), (x + 0.02, 0.86)], 0.06)  # legs
        p.stroke([(x + 0.02, 0.88), (x - 0.05, 0.89)], 0.04)  # feet
    return Character("trex_side", p.mask(), "biped", "side", "left",
                     {"head": 1, "arm": 2, "leg": 2, "tail": 1})


def plush_bunny_side(size: int = 400) -> Character:
    """Side view, facing left: a plush bunny sitting upright, two long ears rising from the top of its
    round head and leaning back, a short arm, a big foot forward, a round tail behind."""
    p = _Pen(size)
    p.disc(0.45, 0.38, 0.12)  # head
    p.stroke([(0.47, 0.28), (0.52, 0.1)], 0.05)  # ear
    p.stroke([(0.5, 0.29), (0.57, 0.12)], 0.05)  # far ear
    p.ellipse(0.5, 0.64, 0.13, 0.16)  # body
    p.stroke([(0.46, 0.58), (0.4, 0.66)], 0.05)  # arm
    p.stroke([(0.5, 0.76), (0.48, 0.88), (0.38, 0.9)], 0.07)  # leg and foot
    p.disc(0.63, 0.72, 0.04)  # tail
    return Character("plush_bunny_side", p.mask(), "biped", "side", "left",
                     {"head": 1, "ear": 2, "arm": 2, "leg": 2})


def frog_front(size: int = 400) -> Character:
    """Front view: a frog sitting, a wide flat head over a round body, thin front legs straight down
    between the hind legs folded wide at the sides."""
    p = _Pen(size)
    p.ellipse(0.5, 0.55, 0.18, 0.16)  # body
    p.ellipse(0.5, 0.36, 0.16, 0.08)  # head
    for side in (-1, 1):
        p.disc(0.5 + side * 0.1, 0.29, 0.04)  # eyes
        p.stroke([(0.5 + side * 0.08, 0.65), (0.5 + side * 0.08, 0.88)], 0.035)  # front legs
        p.stroke([(0.5 + side * 0.15, 0.62), (0.5 + side * 0.3, 0.7), (0.5 + side * 0.24, 0.88)], 0.05)
    return Character("frog_front", p.mask(), "quadruped", "front", "viewer",
                     {"head": 1, "front_leg": 2, "hind_leg": 2})


def runner_side(size: int = 400) -> Character:
    """Side view, facing left: a thin person running, the front knee raised, the back leg pushing off
    behind, the arms swinging bent, the body leaning forward."""
    p = _Pen(size)
    p.disc(0.45, 0.13, 0.055)  # head
    p.stroke([(0.46, 0.19), (0.5, 0.45)], 0.07)  # body
    p.stroke([(0.47, 0.24), (0.39, 0.33), (0.33, 0.29)], 0.03)  # front arm
    p.stroke([(0.48, 0.24), (0.57, 0.3), (0.6, 0.38)], 0.03)  # back arm
    p.stroke([(0.5, 0.45), (0.38, 0.55), (0.4, 0.72)], 0.045)  # front leg, knee up
    p.stroke([(0.4, 0.72), (0.34, 0.73)], 0.035)  # its foot
    p.stroke([(0.5, 0.45), (0.58, 0.65), (0.7, 0.82)], 0.045)  # back leg
    p.stroke([(0.7, 0.82), (0.66, 0.88)], 0.035)  # its foot
    return Character("runner_side", p.mask(), "biped", "side", "left", {"head": 1, "arm": 2, "leg": 2})


def elephant_side(size: int = 400) -> Character:
    """Side view, facing left: a chunky elephant, a big body on four thick pillar legs, a big ear on the
    head, a trunk hanging down in front, a thin tail behind."""
    p = _Pen(size)
    p.ellipse(0.55, 0.45, 0.22, 0.15)  # body
    p.disc(0.3, 0.38, 0.1)  # head
    p.ellipse(0.35, 0.38, 0.06, 0.09)  # ear
    p.stroke([(0.22, 0.42), (0.18, 0.58), (0.19, 0.7)], 0.05)  # trunk
    p.stroke([(0.76, 0.42), (0.8, 0.58)], 0.02)  # tail
    for x in (0.4, 0.47, 0.63, 0.7):
        p.stroke([(x, 0.55), (x, 0.88)], 0.08)  # legs
    return Character("elephant_side", p.mask(), "quadruped", "side", "left",
                     {"head": 1, "front_leg": 2, "hind_leg": 2, "tail": 1})


def owl_side(size: int = 400) -> Character:
    """Side view, facing left: a perching owl standing upright, a round head on an egg-shaped body, the
    folded wing along its side, a short tail down behind, two short legs."""
    p = _Pen(size)
    p.ellipse(0.5, 0.55, 0.13, 0.2)  # body
    p.disc(0.47, 0.3, 0.1)  # head
    p.polygon([(0.37, 0.3), (0.33, 0.33), (0.37, 0.35)])  # beak
    p.ellipse(0.55, 0.55, 0.07, 0.15, angle=10)  # folded wing
    p.stroke([(0.58, 0.72), (0.64, 0.84)], 0.05)  # tail
    for x in (0.46, 0.52):
        p.stroke([(x, 0.72), (x, 0.86), (x - 0.04, 0.88)], 0.03)  # legs
    return Character("owl_side", p.mask(), "bird", "side", "left",
                     {"head": 1, "leg": 2, "wing": 2, "tail": 1})


def penguin_side(size: int = 400) -> Character:
    """Side view, facing left: a penguin standing, a tall oval body with the head and a pointed beak on
    top, a flipper hanging at its side, the short legs one behind the other over thin feet, a short
    tail on the floor behind."""
    p = _Pen(size)
    p.ellipse(0.5, 0.52, 0.12, 0.27)  # body
    p.disc(0.47, 0.22, 0.09)  # head
    p.polygon([(0.39, 0.2), (0.3, 0.23), (0.39, 0.25)])  # beak
    p.stroke([(0.55, 0.42), (0.62, 0.6)], 0.04)  # flipper
    p.stroke([(0.5, 0.76), (0.5, 0.87)], 0.07)  # legs, one behind the other
    p.stroke([(0.5, 0.88), (0.41, 0.89)], 0.025)  # feet
    p.stroke([(0.58, 0.74), (0.66, 0.87)], 0.03)  # tail
    return Character("penguin_side", p.mask(), "bird", "side", "left",
                     {"head": 1, "wing": 2, "leg": 2, "tail": 1})


def plush_bear_side(size: int = 400) -> Character:
    """Side view, facing left: a plush bear standing with its legs together, a round head with a round
    ear and a short muzzle on a pear-shaped body, a stubby arm in front, the two stubby legs one behind
    the other in one thick stroke over a flat foot pointing ahead."""
    p = _Pen(size)
    p.disc(0.48, 0.28, 0.12)  # head
    p.disc(0.52, 0.16, 0.04)  # ear
    p.ellipse(0.38, 0.31, 0.05, 0.035)  # muzzle
    p.ellipse(0.5, 0.56, 0.13, 0.17)  # body
    p.stroke([(0.44, 0.5), (0.38, 0.6)], 0.06)  # arm
    p.stroke([(0.5, 0.7), (0.5, 0.86)], 0.12)  # legs, one behind the other
    p.stroke([(0.49, 0.88), (0.4, 0.89)], 0.04)  # foot
    return Character("plush_bear_side", p.mask(), "biped", "side", "left", {"head": 1, "arm": 2, "leg": 2})


def sitting_cat_side(size: int = 400) -> Character:
    """Side view, facing left: a cat sitting on its haunches, two pointed ears on an oval head over a
    sloping chest, the front legs straight down one behind the other, the hind paw flat on the floor
    under the round haunch, the tail lying along the floor behind it (`photo_figures.sitting_cat`'s
    outline)."""
    return _sitting_cat("sitting_cat_side", size, [(0.62, 0.86), (0.75, 0.9), (0.86, 0.86)], 0.052)


def sitting_cat_tail_up(size: int = 400) -> Character:
    """Side view, facing left: `sitting_cat_side` with its tail curled up behind the haunch instead of
    lying along the floor, the hind paw on the floor under the haunch."""
    return _sitting_cat("sitting_cat_tail_up", size, [(0.64, 0.8), (0.76, 0.7), (0.74, 0.5)], 0.045)


def _sitting_cat(name: str, size: int, tail: list[tuple[float, float]], tail_width: float) -> Character:
    """The sitting cat from the side, facing left, its tail along `tail` (a stroke `tail_width` wide)."""
    p = _Pen(size)
    p.stroke(tail, tail_width)
    p.stroke([(0.42, 0.55), (0.4, 0.88)], 0.052)  # far front leg
    p.ellipse(0.56, 0.72, 0.136, 0.156)  # haunch
    p.ellipse(0.48, 0.55, 0.096, 0.176, angle=20)  # chest
    p.stroke([(0.45, 0.6), (0.44, 0.89)], 0.057)  # near front leg
    p.ellipse(0.6, 0.87, 0.086, 0.036)  # hind paw
    p.stroke([(0.45, 0.46), (0.43, 0.34)], 0.092)  # neck
    p.ellipse(0.42, 0.3, 0.096, 0.086)  # head
    for dx in (-0.05, 0.04):
        p.polygon([(0.42 + dx - 0.036, 0.255), (0.42 + dx, 0.15), (0.42 + dx + 0.036, 0.255)])  # ears
    return Character(name, p.mask(), "quadruped", "side", "left",
                     {"head": 1, "front_leg": 2, "hind_leg": 2, "tail": 1, "ear": 2})


def sitting_dog_side(size: int = 400) -> Character:
    """Side view, facing left: a lean dog sitting on its haunches, a long muzzle and a floppy ear on its
    head, the chest sloping up to a long neck, thin front legs straight down from the chest, the hind paw
    ahead of the round haunch on the floor, the tail lying out behind and curling up at its tip."""
    return _sitting_dog("sitting_dog_side", size, 1.0)


def sitting_dog_chunky(size: int = 400) -> Character:
    """Side view, facing left: `sitting_dog_side` drawn chunky: a short thick neck, thick front legs, a big
    round haunch, a thick tail."""
    return _sitting_dog("sitting_dog_chunky", size, 1.5)


def _sitting_dog(name: str, size: int, thick: float) -> Character:
    """A dog sitting seen from the side facing left, its limbs and neck `thick` times the lean dog's."""
    p = _Pen(size)
    p.stroke([(0.66, 0.86), (0.78, 0.88), (0.87, 0.8)], 0.035 * thick)  # tail
    p.stroke([(0.37, 0.56), (0.36, 0.89)], 0.04 * thick)  # far front leg
    p.ellipse(0.56, 0.73, 0.12 + 0.02 * thick, 0.13 + 0.02 * thick)  # haunch
    p.ellipse(0.44, 0.52, 0.08 + 0.02 * thick, 0.17, angle=20)  # chest
    p.stroke([(0.41, 0.58), (0.41, 0.89)], 0.045 * thick)  # near front leg
    p.ellipse(0.5, 0.885, 0.07, 0.025 + 0.005 * thick)  # hind paw
    p.stroke([(0.42, 0.42), (0.36, 0.26)], 0.07 * thick)  # neck
    p.ellipse(0.34, 0.22, 0.08, 0.06)  # head
    p.stroke([(0.3, 0.24), (0.19, 0.27)], 0.06)  # muzzle
    p.stroke([(0.38, 0.2), (0.42, 0.3)], 0.04)  # floppy ear
    return Character(name, p.mask(), "quadruped", "side", "left",
                     {"head": 1, "front_leg": 2, "hind_leg": 2, "tail": 1})


def all_posing_figures(size: int = 400) -> list[Character]:
    return [stick_person(size), big_head_chibi_side(size), pony_side(size), sitting_cat_front(size),
            penguin_front(size), flying_bird_front(size), trex_side(size), plush_bunny_side(size),
            frog_front(size), runner_side(size), elephant_side(size), owl_side(size), bean_person(size),
            stubby_bean(size), small_head_bean(size), arms_out_bean(size)]


def bean_person(size: int = 400) -> Character:
    """Front view: a plush bean of a person, its round head bulging from the top of its body with no neck
    or pinch between, arms hanging at its sides, two legs."""
    return _bean("bean_person", size, (0.14, 0.45, 0.22), (0.2, 0.1),
                 [(0.12, 0.36), (0.2, 0.5), (0.22, 0.62)], [(0.07, 0.62), (0.08, 0.92)], 0.05, 0.07)


def stubby_bean(size: int = 400) -> Character:
    """Front view: a plush bean whose head bulges from its body with no neck, stubby arms pointing out
    and down from its chest, short stub legs."""
    return _bean("stubby_bean", size, (0.15, 0.45, 0.24), (0.2, 0.11),
                 [(0.13, 0.42), (0.2, 0.52)], [(0.07, 0.66), (0.075, 0.78)], 0.06, 0.08)


def small_head_bean(size: int = 400) -> Character:
    """Front view: a tall plush bean with a small head bulging from its top (no neck), arms hanging low at
    its sides, long legs."""
    return _bean("small_head_bean", size, (0.15, 0.47, 0.25), (0.22, 0.08),
                 [(0.13, 0.47), (0.19, 0.64)], [(0.07, 0.66), (0.08, 0.93)], 0.05, 0.07)


def arms_out_bean(size: int = 400) -> Character:
    """Front view: a plush bean holding its arms out level from its shoulders, where its big head bulges
    from its body with no neck, short legs."""
    return _bean("arms_out_bean", size, (0.15, 0.46, 0.24), (0.22, 0.1),
                 [(0.13, 0.38), (0.28, 0.4)], [(0.07, 0.66), (0.08, 0.84)], 0.06, 0.08)


def _bean(name: str, size: int, body: tuple[float, float, float], head: tuple[float, float],
          arm: list[tuple[float, float]], leg: list[tuple[float, float]], arm_width: float,
          leg_width: float) -> Character:
    """A plush bean of a person from the front: an upright oval `body` (half width, centre height, half
    height) on the midline, a round `head` (centre height, radius) on top of it, and an `arm` and a
    `leg` (points out from the midline, down) drawn on either side."""
    p = _Pen(size)
    p.ellipse(0.5, body[1], body[0], body[2])
    p.disc(0.5, *head)
    for side in (-1, 1):
        p.stroke([(0.5 + side * dx, y) for dx, y in arm], arm_width)
        p.stroke([(0.5 + side * dx, y) for dx, y in leg], leg_width)
    return Character(name, p.mask(), "biped", "front", "viewer", {"head": 1, "arm": 2, "leg": 2})
