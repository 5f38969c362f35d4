"""Technique illustrations: a figure in the technique's position with its tool where it goes.

Pure drawing code, like backtp.catalog.bodymap: no ORM, no request. A technique's
position, tool, spot and movement pick a pose (a stylised figure on the floor, against
a wall, on a chair or standing), a tool shape placed at the pose's anchor for the
spot, an arrow for the movement and a small inset of the back or front of the body
with the spot marked, so both the position and the exact place read at a glance.

Every pose and tool shape is one element in <defs>; the first illustration of a page
carries the ones it needs and every illustration places them with <use> (see
backtp/catalog/templatetags/illustrations.py). Geometry is in one 200 x 120 box, y
down, the floor at y=112. Figures are drawn from joints: limbs are tapered capsules,
the torso a smooth outline around the spine, each piece drawn twice (a thick outline
under the fill) so the pieces merge into one silhouette, as on the body map.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from django.db import models

from backtp.catalog import bodymap
from backtp.catalog.bodymap import num

Pt = tuple[float, float]

VIEWBOX = "0 0 200 120"
FLOOR = 112.0


class Spot(models.TextChoices):
    """Where the tool goes, in the words the techniques' steps use."""

    NECK_BASE = "neck-base", "Base of the neck, beside the spine"
    UPPER_BACK = "upper-back", "Upper back, between shoulder blade and spine"
    FLOATING_RIB = "floating-rib", "Beside the spine at the lowest ribs"
    LOW_BACK = "low-back", "Lower back, beside the spine"
    WAIST = "waist", "Back of the waist, between lowest rib and hip bone"
    OUTER_WAIST = "outer-waist", "Side of the waist, between lowest rib and hip bone"
    LUMBOSACRAL = "lumbosacral", "Base of the spine, just above the sacrum"
    HIP_CREST_SACRUM = "hip-crest-sacrum", "Under the hip-bone crest, beside the sacrum"
    BELOW_HIP_CREST = "below-hip-crest", "Side of the hip, just below the crest"
    OUTER_HIP = "outer-hip", "Outer hip"
    BUTTOCK = "buttock", "Buttock"
    MID_BUTTOCK = "mid-buttock", "Middle of the buttock"
    BELLY_NAVEL = "belly-navel", "Belly, beside the navel"
    INSIDE_HIP_BONE = "inside-hip-bone", "Inside the front bony point of the hip"
    ABOVE_PUBIC = "above-pubic", "Just above the pubic bone"
    UNDER_KNEES = "under-knees", "Under the knees"
    CALF_HIGH = "calf-high", "Calf, high (below the knee)"
    CALF_LOW = "calf-low", "Calf, low (above the Achilles tendon)"


class Movement(models.TextChoices):
    """What moves during the technique, as the arrow and the words say it."""

    NONE = "none", "None: steady pressure"
    UP_DOWN = "up-down", "Up and down along the body"
    DOWNWARD = "downward", "Down toward the hips, a little at a time"
    SIDE_TO_SIDE = "side-to-side", "Side to side, across the body"
    OUTWARD = "outward", "Outward, from the spine toward the side"
    CIRCLES = "circles", "Small circles"
    PRESS_RELEASE = "press-release", "Press and release"
    STROKES = "strokes", "Strokes in one direction"
    KNEE_OUT = "knee-out", "One knee drifts out to the side and back"


# Spots each position can reach; Technique.clean() keeps a technique to these.
BACK_SPOTS = (
    Spot.UPPER_BACK,
    Spot.FLOATING_RIB,
    Spot.LOW_BACK,
    Spot.WAIST,
    Spot.LUMBOSACRAL,
    Spot.HIP_CREST_SACRUM,
    Spot.BUTTOCK,
    Spot.MID_BUTTOCK,
)
BELLY_SPOTS = (Spot.BELLY_NAVEL, Spot.INSIDE_HIP_BONE, Spot.ABOVE_PUBIC)
POSITION_SPOTS: dict[str, tuple[Spot, ...]] = {
    "lying-back": (*BACK_SPOTS, *BELLY_SPOTS, Spot.UNDER_KNEES),
    "lying-side": (Spot.OUTER_WAIST, Spot.OUTER_HIP),
    "lying-front": (Spot.BELLY_NAVEL, Spot.INSIDE_HIP_BONE),
    "wall": (Spot.NECK_BASE, *BACK_SPOTS, Spot.OUTER_WAIST, Spot.OUTER_HIP),
    "seated": (
        Spot.NECK_BASE,
        Spot.LOW_BACK,
        Spot.WAIST,
        Spot.BUTTOCK,
        Spot.MID_BUTTOCK,
        *BELLY_SPOTS,
        Spot.CALF_HIGH,
        Spot.CALF_LOW,
    ),
    "standing": (
        Spot.NECK_BASE,
        Spot.FLOATING_RIB,
        Spot.LOW_BACK,
        Spot.WAIST,
        Spot.OUTER_WAIST,
        Spot.LUMBOSACRAL,
        Spot.HIP_CREST_SACRUM,
        Spot.BELOW_HIP_CREST,
        Spot.OUTER_HIP,
        *BELLY_SPOTS,
    ),
}
# What a technique with no spot yet is drawn with (a new one in the admin, a test factory).
DEFAULT_SPOT = {
    "lying-back": Spot.LOW_BACK,
    "lying-side": Spot.OUTER_WAIST,
    "lying-front": Spot.BELLY_NAVEL,
    "wall": Spot.LOW_BACK,
    "seated": Spot.BUTTOCK,
    "standing": Spot.LOW_BACK,
}

# The spot in words, after "under", "on" or "between the wall and".
SPOT_WORDS = {
    Spot.NECK_BASE: "the base of the neck, beside the spine",
    Spot.UPPER_BACK: "the upper back, between the shoulder blade and the spine",
    Spot.FLOATING_RIB: "the back beside the spine, level with the lowest ribs",
    Spot.LOW_BACK: "the lower back, beside the spine",
    Spot.WAIST: "the back of the waist, between the lowest rib and the hip bone",
    Spot.OUTER_WAIST: "the side of the waist, between the lowest rib and the hip bone",
    Spot.LUMBOSACRAL: "the base of the spine, just above the sacrum and to one side",
    Spot.HIP_CREST_SACRUM: "the top of the buttock, under the hip-bone crest beside the sacrum",
    Spot.BELOW_HIP_CREST: "the side of the hip, just below the crest of the hip bone",
    Spot.OUTER_HIP: "the outer hip, below the crest of the hip bone",
    Spot.BUTTOCK: "the buttock",
    Spot.MID_BUTTOCK: "the middle of the buttock",
    Spot.BELLY_NAVEL: "the belly, three finger-widths beside the navel",
    Spot.INSIDE_HIP_BONE: "the inside of the front bony point of the hip",
    Spot.ABOVE_PUBIC: "the lower belly, just above the pubic bone",
    Spot.UNDER_KNEES: "the knees",
    Spot.CALF_HIGH: "the upper calf, a hand's width below the knee",
    Spot.CALF_LOW: "the lower calf, just above the Achilles tendon",
}

BALL_TOOLS = frozenset({"tennis-ball", "lacrosse-ball", "massage-ball", "two-balls"})
HAND_TOOLS = frozenset({"fists", "thumbs", "fingertips"})
TOOL_WORDS = {
    "tennis-ball": "a tennis ball",
    "lacrosse-ball": "a lacrosse ball",
    "massage-ball": "a massage ball",
    "two-balls": "two tennis balls in a sock",
    "foam-roller": "a foam roller",
    "double-roller": "a double (peanut) roller",
    "massage-blocks": "a massage block",
    "bolster": "a bolster or firm cushion",
    "fists": "the knuckles of a fist",
    "thumbs": "the pad of the thumb",
    "fingertips": "the fingertips",
}
BOTH_HANDS_WORDS = {
    "fists": "the knuckles of both fists",
    "thumbs": "the pads of both thumbs",
    "fingertips": "the fingertips of both hands",
}


# --- geometry -----------------------------------------------------------------------


def _pt(p: Pt) -> str:
    return f"{num(p[0])},{num(p[1])}"


def _add(a: Pt, b: Pt, k: float = 1.0) -> Pt:
    return (a[0] + k * b[0], a[1] + k * b[1])


def _unit(a: Pt, b: Pt) -> Pt:
    d = max(math.dist(a, b), 1e-9)
    return ((b[0] - a[0]) / d, (b[1] - a[1]) / d)


def _dir(degrees: float) -> Pt:
    """A unit vector at an angle: 0 points right, 90 points down (SVG's y)."""
    r = math.radians(degrees)
    return (math.cos(r), math.sin(r))


def _rot(v: Pt, degrees: float) -> Pt:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (v[0] * c - v[1] * s, v[0] * s + v[1] * c)


def capsule(a: Pt, ra: float, b: Pt, rb: float) -> str:
    """A tapered limb: the hull of a circle at each end (one closed path)."""
    d = math.dist(a, b)
    if d <= abs(ra - rb) + 1e-6:
        big, r = (a, ra) if ra >= rb else (b, rb)
        return circle(big, r)
    u = _unit(a, b)
    n = (-u[1], u[0])
    c = (ra - rb) / d
    s = math.sqrt(max(0.0, 1 - c * c))
    a1 = _add(a, (c * u[0] + s * n[0], c * u[1] + s * n[1]), ra)
    b1 = _add(b, (c * u[0] + s * n[0], c * u[1] + s * n[1]), rb)
    b2 = _add(b, (c * u[0] - s * n[0], c * u[1] - s * n[1]), rb)
    a2 = _add(a, (c * u[0] - s * n[0], c * u[1] - s * n[1]), ra)
    big_b = 1 if c < 0 else 0  # the far end's arc is over half a circle when it is wider
    return (
        f"M{_pt(a1)} L{_pt(b1)} A{num(rb)},{num(rb)} 0 {big_b} 0 {_pt(b2)} "
        f"L{_pt(a2)} A{num(ra)},{num(ra)} 0 {1 - big_b} 0 {_pt(a1)} Z"
    )


def circle(c: Pt, r: float, ry: float | None = None) -> str:
    ry = r if ry is None else ry
    return (
        f"M{num(c[0] - r)},{num(c[1])} A{num(r)},{num(ry)} 0 1 0 {num(c[0] + r)},"
        f"{num(c[1])} A{num(r)},{num(ry)} 0 1 0 {num(c[0] - r)},{num(c[1])} Z"
    )


def smooth(points: Sequence[Pt], closed: bool = True, tension: float = 1.0) -> str:
    """A Catmull-Rom curve through the points, as cubic Béziers."""
    n = len(points)
    idx = range(n) if closed else range(n - 1)

    def p(i: int) -> Pt:
        if closed:
            return points[i % n]
        return points[min(max(i, 0), n - 1)]

    parts = [f"M{_pt(points[0])}"]
    for i in idx:
        p0, p1, p2, p3 = p(i - 1), p(i), p(i + 1), p(i + 2)
        c1 = (p1[0] + (p2[0] - p0[0]) * tension / 6, p1[1] + (p2[1] - p0[1]) * tension / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) * tension / 6, p2[1] - (p3[1] - p1[1]) * tension / 6)
        parts.append(f"C{_pt(c1)} {_pt(c2)} {_pt(p2)}")
    if closed:
        parts.append("Z")
    return " ".join(parts)


def line(*points: Pt) -> str:
    return "M" + " L".join(_pt(p) for p in points)


def arm_joints(shoulder: Pt, hand: Pt, upper: float, fore: float, bend: int) -> Pt:
    """The elbow of an arm from shoulder to hand (bend +1 or -1 picks the side it bends to)."""
    d = min(math.dist(shoulder, hand), upper + fore - 0.01)
    d = max(d, abs(upper - fore) + 0.01)
    cos_a = (upper * upper + d * d - fore * fore) / (2 * upper * d)
    angle = math.degrees(math.acos(max(-1.0, min(1.0, cos_a))))
    return _add(shoulder, _rot(_unit(shoulder, hand), bend * angle), upper)


# --- figures --------------------------------------------------------------------------

# The torso around its spine, from the base of the neck (t=0) to the hip joints (t=1),
# offsets in torso lengths. Profile: toward the back (+) and the front (-).
PROFILE_BACK = [
    (-0.02, 0.08),
    (0.1, 0.17),
    (0.3, 0.21),
    (0.5, 0.19),
    (0.7, 0.14),
    (0.88, 0.17),
    (1.02, 0.25),
    (1.15, 0.21),
    (1.24, 0.08),
]
PROFILE_FRONT = [
    (1.2, -0.08),
    (1.08, -0.18),
    (0.9, -0.2),
    (0.72, -0.2),
    (0.55, -0.19),
    (0.36, -0.24),
    (0.16, -0.22),
    (0.02, -0.11),
]
# From behind: half-widths, mirrored.
BACK_HALF = [
    (-0.02, 0.1),
    (0.05, 0.3),
    (0.14, 0.41),
    (0.3, 0.36),
    (0.5, 0.31),
    (0.68, 0.27),
    (0.88, 0.33),
    (1.02, 0.37),
    (1.16, 0.35),
    (1.26, 0.24),
]

LINE_CLASSES = ("il-edge",)


@dataclass
class Spine:
    """The torso's frame: base of the neck, hip joints, and which way the back faces."""

    neck: Pt
    hips: Pt
    back: int = 1  # +1: the back is on the left of the neck-to-hips direction

    @property
    def length(self) -> float:
        return math.dist(self.neck, self.hips)

    def at(self, t: float, off: float) -> Pt:
        """A point t of the way down the spine, off torso lengths toward the back."""
        u = _unit(self.neck, self.hips)
        n = (u[1] * self.back, -u[0] * self.back)
        length = self.length
        return (
            self.neck[0] + u[0] * t * length + n[0] * off * length,
            self.neck[1] + u[1] * t * length + n[1] * off * length,
        )


@dataclass
class Figure:
    """A figure as paths in layers: far limbs (shaded), the body, near limbs, hair, lines."""

    far: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    near: list[list[str]] = field(default_factory=list)
    hair: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    props: list[tuple[str, str]] = field(default_factory=list)  # (class, d), under the figure

    def limb(self, points: Sequence[Pt], radii: Sequence[float], layer: str = "body") -> None:
        paths = [
            capsule(points[i], radii[i], points[i + 1], radii[i + 1])
            for i in range(len(points) - 1)
        ]
        if layer == "far":
            self.far.extend(paths)
        elif layer == "near":
            self.near.append(paths)
        else:
            self.body.extend(paths)

    def paths(self) -> list[tuple[str, str]]:
        out = list(self.props)
        out += [("il-edge", d) for d in self.far] + [("il-skin-far", d) for d in self.far]
        out += [("il-edge", d) for d in self.body] + [("il-skin", d) for d in self.body]
        for group in self.near:
            out += [("il-edge", d) for d in group] + [("il-skin", d) for d in group]
        out += [("il-hair", d) for d in self.hair]
        out += [("il-detail", d) for d in self.details]
        return out


LEG = {"thigh": (7.4, 5.2), "shin": (5.0, 3.0), "foot": (3.0, 2.0)}
ARM_R = (3.9, 3.1, 2.4)  # shoulder, elbow, wrist
UPPER_ARM, FOREARM = 17.0, 16.0
HEAD_R = 8.6


def _profile_torso(fig: Figure, spine: Spine, flat: float = 0.0) -> None:
    back = [(t, off + (flat if 0.4 < t < 0.95 else 0.0)) for t, off in PROFILE_BACK]
    fig.body.append(smooth([spine.at(t, off) for t, off in [*back, *PROFILE_FRONT]]))


def _back_torso(fig: Figure, spine: Spine, scale: float = 1.0) -> None:
    right = [spine.at(t, w * scale) for t, w in BACK_HALF]
    left = [spine.at(t, -w * scale) for t, w in reversed(BACK_HALF)]
    fig.body.append(smooth([*right, spine.at(1.3, 0), *left]))
    # The spine's groove and the sacrum, faint.
    fig.details.append(smooth([spine.at(0.12, 0), spine.at(0.6, 0), spine.at(0.9, 0)], False))
    fig.details.append(smooth([spine.at(0.9, 0.09), spine.at(1.12, 0.02), spine.at(1.2, 0)], False))
    fig.details.append(
        smooth([spine.at(0.9, -0.09), spine.at(1.12, -0.02), spine.at(1.2, 0)], False)
    )


def _head_profile(fig: Figure, neck: Pt, centre: Pt, face: Pt) -> None:
    """A head seen from the side; `face` is the unit direction the face looks."""
    fig.body.append(capsule(neck, 4.6, _add(centre, _unit(centre, neck), 3.5), 4.3))
    fig.body.append(circle(centre, HEAD_R))
    fig.body.append(circle(_add(centre, face, HEAD_R * 0.92), 1.7))  # nose
    # Hair over the crown and the back of the head: centred between "up" (away from
    # the neck) and "back" (away from the face).
    up = _unit(neck, centre)
    back = (-face[0], -face[1])
    h = _unit((0.0, 0.0), (back[0] + up[0] * 0.9, back[1] + up[1] * 0.9))
    rim = [_add(centre, _rot(h, a), HEAD_R + 0.6) for a in range(-110, 111, 22)]
    fig.hair.append(smooth([*rim, _add(centre, h, HEAD_R * 0.05)]))
    fig.details.append(circle(_add(centre, back, HEAD_R * 0.1), 1.5))  # ear


def _head_back(fig: Figure, neck: Pt, centre: Pt) -> None:
    """A head seen from behind: hair over most of it."""
    fig.body.append(capsule(neck, 4.8, centre, 4.8))
    fig.body.append(circle(centre, HEAD_R))
    u = _unit(neck, centre)
    side = (-u[1], u[0])
    fig.body.append(circle(_add(centre, side, HEAD_R), 1.8))
    fig.body.append(circle(_add(centre, side, -HEAD_R), 1.8))
    rim = [_add(centre, _rot(u, a), HEAD_R + 0.6) for a in range(-115, 116, 23)]
    fig.hair.append(smooth([*rim, _add(centre, u, -HEAD_R * 0.45)]))


def _leg(fig: Figure, hip: Pt, knee: Pt, ankle: Pt, toe: Pt, layer: str) -> None:
    fig.limb(
        [hip, knee, ankle, toe],
        [LEG["thigh"][0], LEG["thigh"][1], LEG["shin"][1], LEG["foot"][1]],
        layer,
    )
    # The calf's swell behind the shin.
    calf = _add(knee, _unit(knee, ankle), math.dist(knee, ankle) * 0.3)
    fig.limb([knee, calf, ankle], [LEG["thigh"][1], LEG["shin"][0], LEG["shin"][1]], layer)


def _arm(fig: Figure, shoulder: Pt, elbow: Pt, hand: Pt, layer: str) -> None:
    fig.limb([shoulder, elbow, hand], list(ARM_R), layer)
    fig.limb([hand, _add(hand, _unit(elbow, hand), 3.2)], [2.6, 2.2], layer)


@dataclass(frozen=True)
class Anchor:
    """Where a spot is on a pose: the point on the skin, the way out of the body (toward
    the floor, wall or seat), the way along the body (for arrows), and the bend of the
    arm that reaches it."""

    x: float
    y: float
    out: float  # degrees: 0 right, 90 down
    along: float
    bend: int = 1

    @property
    def at(self) -> Pt:
        return (self.x, self.y)


@dataclass(frozen=True)
class Surface:
    kind: str  # "floor", "wall", "seat", "chair-back" or "" (nothing: the hand holds it)
    words: str  # "under", "between the wall and", ...
    axis: str = ""  # "x" (a wall) or "y" (a floor or seat): the line a ball rests on
    at: float = 0.0  # where that line is
    side: int = -1  # the tool lies on this side of the line: -1 above / left, +1 below / right

    def rest(self, anchor: "Anchor", r: float) -> Pt:
        """The centre of a ball of radius r on this surface, level with the anchor."""
        if self.axis == "y":
            return (anchor.x, self.at + self.side * r)
        if self.axis == "x":
            return (self.at + self.side * r, anchor.y)
        return anchor.at


@dataclass
class Pose:
    key: str
    words: str  # "Lying on your back, knees bent"
    figure: Figure
    anchors: dict[str, Anchor]
    shoulders: dict[str, Pt]  # the arms a hand tool moves: "near" (or "right", "left")
    rest_arms: dict[str, list[str]]  # the same arms at rest, drawn when no hand works
    surface: Surface
    inset: tuple[float, float, float, float] | None = (150.0, 4.0, 46.0, 66.0)
    view: str = "profile"  # "profile" or "back": how the figure is seen


def _arm_paths(shoulder: Pt, elbow: Pt, hand: Pt) -> list[str]:
    fig = Figure()
    _arm(fig, shoulder, elbow, hand, "near")
    return fig.near[0]


def _floor(fig: Figure, x0: float = 4, x1: float = 196) -> None:
    fig.props.append(("il-floor", f"M{num(x0)},{num(FLOOR)} H{num(x1)} V118 H{num(x0)} Z"))
    fig.props.append(("il-floor-line", f"M{num(x0)},{num(FLOOR)} H{num(x1)}"))


def _wall(fig: Figure, x: float) -> None:
    fig.props.append(("il-wall", f"M{num(x - 9)},2 H{num(x)} V{num(FLOOR)} H{num(x - 9)} Z"))
    fig.props.append(("il-floor-line", f"M{num(x)},2 V{num(FLOOR)}"))


def _chair(fig: Figure, seat_y: float, x0: float, x1: float, back: bool = True) -> None:
    fig.props.append(("il-chair", f"M{num(x0)},{num(seat_y)} H{num(x1)} v4 H{num(x0)} Z"))
    for x in (x0 + 2, x1 - 3):
        fig.props.append(("il-chair", f"M{num(x)},{num(seat_y + 4)} h2.4 V{num(FLOOR)} h-2.4 Z"))
    if back:
        fig.props.append(
            ("il-chair", f"M{num(x0 - 1)},{num(seat_y - 44)} h3.4 V{num(seat_y)} h-3.4 Z")
        )


def _lying_back(kind: str) -> Pose:
    """On the back, seen from the side, head on the left; `kind`: "raised" (the torso on
    a ball), "flat", or "bolster" (the knees over a bolster)."""
    fig = Figure()
    _floor(fig)
    raised = kind == "raised"
    # On a ball the back is lifted by it, the shoulders a little less than the waist.
    axis = FLOOR - (20.5 if raised else 10.0)
    spine = Spine((36, axis + (3.5 if raised else 0)), (86, axis), back=-1)
    _profile_torso(fig, spine, flat=0.05)
    head = (19, FLOOR - HEAD_R - (2.5 if raised else 0.6))
    _head_profile(fig, spine.at(-0.02, -0.02), head, (0, -1))
    hip = spine.at(1.0, 0)
    if kind == "bolster":
        far = ((123, 90), (152, 108), (159, 101))
        near = ((119, 89), (150, 108), (157, 100))
        fig.props.append(("il-bolster", circle((121, FLOOR - 9), 11.5, 9)))
        fig.props.append(("il-bolster-seam", circle((121, FLOOR - 9), 6.5, 5)))
    else:
        far = ((116, 64), (131, 107), (144, 110))
        near = ((112, 63), (126, 107), (139, 110))
    _leg(fig, _add(hip, (2, -1)), far[0], far[1], far[2], "far")
    _leg(fig, hip, near[0], near[1], near[2], "body")
    shoulder = spine.at(0.13, -0.02)
    hand = (74, FLOOR - 3.5)
    elbow = arm_joints(shoulder, hand, UPPER_ARM, FOREARM, 1)
    anchors: dict[str, Anchor] = {}
    if raised:
        for spot, t in (
            (Spot.UPPER_BACK, 0.24),
            (Spot.FLOATING_RIB, 0.5),
            (Spot.LOW_BACK, 0.68),
            (Spot.WAIST, 0.6),
            (Spot.LUMBOSACRAL, 0.86),
            (Spot.HIP_CREST_SACRUM, 0.92),
            (Spot.MID_BUTTOCK, 1.02),
            (Spot.BUTTOCK, 1.06),
        ):
            x, _ = spine.at(t, 0)
            anchors[spot] = Anchor(x, FLOOR - 11, 90, 0)
    else:
        for spot, t, off in (
            (Spot.BELLY_NAVEL, 0.72, -0.21),
            (Spot.INSIDE_HIP_BONE, 0.98, -0.2),
            (Spot.ABOVE_PUBIC, 1.06, -0.17),
        ):
            x, y = spine.at(t, off)
            anchors[spot] = Anchor(x, y, -90, 0, -1)
        anchors[Spot.UNDER_KNEES] = Anchor(121, 89, 90, 0)
    return Pose(
        key=f"lying-back-{kind}",
        words=(
            "Lying on your back, knees over a bolster"
            if kind == "bolster"
            else "Lying on your back, knees bent"
        ),
        figure=fig,
        anchors=anchors,
        shoulders={"near": shoulder},
        rest_arms={"near": _arm_paths(shoulder, elbow, hand)},
        surface=Surface("floor", "under", "y", FLOOR),
        inset=None if kind == "bolster" else (152.0, 2.0, 44.0, 62.0),
    )


def _lying_front() -> Pose:
    fig = Figure()
    _floor(fig)
    spine = Spine((44, 87), (94, 96), back=1)
    _profile_torso(fig, spine)
    _head_profile(fig, spine.at(-0.03, 0.0), (27, 77), _dir(150))
    hip = spine.at(1.0, 0)
    _leg(fig, _add(hip, (1, -2)), (131, 101), (166, 104), (171, 110), "far")
    _leg(fig, hip, (130, 104), (165, 106.5), (171, 111), "body")
    shoulder = spine.at(0.12, 0.02)
    far_sh = _add(shoulder, (3, -1))
    _arm(fig, far_sh, (49, FLOOR - 3.2), (31, FLOOR - 3), "far")
    elbow, hand = (45, FLOOR - 3.2), (27, FLOOR - 3)
    anchors: dict[str, Anchor] = {}
    for spot, t in ((Spot.BELLY_NAVEL, 0.72), (Spot.INSIDE_HIP_BONE, 0.95)):
        x, y = spine.at(t, -0.2)
        anchors[spot] = Anchor(x, y, 90, 0)
    return Pose(
        key="lying-front",
        words="Lying face down, propped on your forearms",
        figure=fig,
        anchors=anchors,
        shoulders={"near": shoulder},
        rest_arms={"near": _arm_paths(shoulder, elbow, hand)},
        surface=Surface("floor", "under", "y", FLOOR),
        inset=(152.0, 2.0, 44.0, 62.0),
    )


def _lying_side(on: str) -> Pose:
    """On one side, seen from behind, head on the left, the upper body propped on the
    lower forearm; `on`: the ball under the "waist" (the hip on the floor) or the "hip"."""
    fig = Figure()
    _floor(fig)
    hip_y = FLOOR - 17 - (8 if on == "hip" else 0)
    spine = Spine((46, 78 if on == "waist" else 74), (98, hip_y), back=1)
    _back_torso(fig, spine, scale=0.86)
    _head_back(fig, spine.at(-0.02, 0), _add(spine.at(-0.32, 0), (-3, -3)))
    top_hip, low_hip = spine.at(1.0, -0.19), spine.at(1.0, 0.19)
    _leg(fig, low_hip, (136, 105.5), (170, 106.5), (178, 108.5), "far")
    _leg(fig, top_hip, (134, 98), (170, 100), (178, 102), "body")
    low_sh = spine.at(0.14, 0.33)
    _arm(fig, low_sh, (48, FLOOR - 3.3), (30, FLOOR - 3), "far")
    top_sh = spine.at(0.14, -0.33)
    hand = spine.at(0.95, -0.38)
    elbow = arm_joints(top_sh, hand, UPPER_ARM, FOREARM, -1)
    anchors: dict[str, Anchor] = {
        Spot.OUTER_WAIST: Anchor(*spine.at(0.68, 0.23), 90, 0),
        Spot.OUTER_HIP: Anchor(*spine.at(1.0, 0.32), 90, 0),
    }
    return Pose(
        key=f"lying-side-{on}",
        words="Lying on your side, propped on your forearm",
        figure=fig,
        anchors=anchors,
        shoulders={"near": top_sh},
        rest_arms={"near": _arm_paths(top_sh, elbow, hand)},
        surface=Surface("floor", "under", "y", FLOOR),
        inset=(152.0, 2.0, 44.0, 62.0),
        view="back",
    )


def _wall_back() -> Pose:
    """Standing with the back to a wall (on the left), seen from the side."""
    fig = Figure()
    _floor(fig, 30, 150)
    wall = 40.0
    spine = Spine((58, 24), (59, 60), back=-1)
    _wall(fig, wall)
    _profile_torso(fig, spine, flat=0.04)
    _head_profile(fig, spine.at(-0.02, 0.01), (63, 13), (1, 0))
    hip = spine.at(1.0, 0)
    _leg(fig, _add(hip, (2, 0)), (77, 85), (84, 108), (93, 110), "far")
    _leg(fig, hip, (74, 85), (80, 108), (89, 110), "body")
    shoulder = spine.at(0.14, 0.02)
    hand = (67, 62)
    elbow = arm_joints(shoulder, hand, UPPER_ARM, FOREARM, -1)
    anchors: dict[str, Anchor] = {}
    for spot, t in (
        (Spot.NECK_BASE, 0.05),
        (Spot.UPPER_BACK, 0.2),
        (Spot.FLOATING_RIB, 0.5),
        (Spot.WAIST, 0.62),
        (Spot.LOW_BACK, 0.7),
        (Spot.LUMBOSACRAL, 0.84),
        (Spot.HIP_CREST_SACRUM, 0.9),
        (Spot.MID_BUTTOCK, 1.0),
        (Spot.BUTTOCK, 1.06),
    ):
        _, y = spine.at(t, 0)
        anchors[spot] = Anchor(wall + 11, y, 180, 90)
    return Pose(
        key="wall-back",
        words="Standing with your back to a wall",
        figure=fig,
        anchors=anchors,
        shoulders={"near": shoulder},
        rest_arms={"near": _arm_paths(shoulder, elbow, hand)},
        surface=Surface("wall", "between the wall and", "x", wall, 1),
        inset=(130.0, 14.0, 50.0, 84.0),
    )


def _standing_back(side_wall: bool = False) -> Pose:
    """Standing, seen from behind; with `side_wall`, leaning one hip into a wall on the right."""
    fig = Figure()
    _floor(fig, 20, 170 if not side_wall else 120)
    lean = 5.0 if side_wall else 0.0
    cx = 66.0 if side_wall else 70.0
    spine = Spine((cx + lean, 24), (cx + lean * 0.2, 62), back=1)
    if side_wall:
        fig.props.append(
            ("il-wall", f"M{num(cx + 27)},2 h9 V{num(FLOOR)} h-9 Z"),
        )
        fig.props.append(("il-floor-line", f"M{num(cx + 27)},2 V{num(FLOOR)}"))
    _back_torso(fig, spine)
    _head_back(fig, spine.at(-0.02, 0), _add(spine.at(-0.3, 0), (lean * 0.3, 0)))
    lhip, rhip = spine.at(1.0, -0.19), spine.at(1.0, 0.19)
    foot_l = (cx - 14 - lean, 108)
    foot_r = (cx + 6 - lean, 108)
    _leg(fig, lhip, _add(lhip, (-2 - lean * 0.5, 24)), foot_l, _add(foot_l, (-1, 3)), "body")
    _leg(fig, rhip, _add(rhip, (-lean * 0.5, 24)), foot_r, _add(foot_r, (1, 3)), "body")
    shoulders = {"right": spine.at(0.13, 0.36), "left": spine.at(0.13, -0.36)}
    rest: dict[str, list[str]] = {}
    for name, sign in (("right", 1), ("left", -1)):
        s = shoulders[name]
        hand = _add(s, (sign * 5, 33))
        if side_wall and name == "right":
            hand = (cx + 24.5, s[1] - 4)  # a hand on the wall, above the ball
        rest[name] = _arm_paths(s, arm_joints(s, hand, UPPER_ARM, FOREARM, sign), hand)

    def on_back(t: float, off: float, out: float) -> Anchor:
        x, y = spine.at(t, off)
        return Anchor(x, y, out, 90, -1)

    anchors: dict[str, Anchor] = {
        Spot.NECK_BASE: on_back(0.08, 0.06, -90),
        Spot.FLOATING_RIB: on_back(0.5, 0.07, 0),
        Spot.LOW_BACK: on_back(0.68, 0.07, 0),
        Spot.WAIST: on_back(0.62, 0.14, 0),
        Spot.OUTER_WAIST: on_back(0.62, 0.29, 0),
        Spot.LUMBOSACRAL: on_back(0.84, 0.06, 0),
        Spot.HIP_CREST_SACRUM: on_back(0.9, 0.13, 0),
        Spot.BELOW_HIP_CREST: on_back(0.9, 0.28, 0),
        Spot.OUTER_HIP: on_back(1.0, 0.36, 0),
    }
    if side_wall:
        wall_x = cx + 27
        for spot, t in ((Spot.OUTER_WAIST, 0.64), (Spot.OUTER_HIP, 1.0)):
            _, y = spine.at(t, 0)
            anchors[spot] = Anchor(wall_x - 11, y, 0, 90)
    return Pose(
        key="wall-side" if side_wall else "standing-back",
        words="Standing side-on to a wall" if side_wall else "Standing",
        figure=fig,
        anchors=anchors,
        shoulders=shoulders,
        rest_arms=rest,
        surface=(
            Surface("wall", "between the wall and", "x", cx + 27, -1)
            if side_wall
            else Surface("", "on")
        ),
        inset=(136.0, 14.0, 50.0, 84.0),
        view="back",
    )


def _standing_side() -> Pose:
    """Standing, seen from the side, facing right, bending forward a little."""
    fig = Figure()
    _floor(fig, 20, 150)
    spine = Spine((60, 25), (64, 61), back=1)
    _profile_torso(fig, spine)
    _head_profile(fig, spine.at(-0.02, 0.0), (60, 12), _dir(10))
    hip = spine.at(1.0, 0)
    _leg(fig, _add(hip, (-2, 0)), (63, 85), (60, 108), (70, 110), "far")
    _leg(fig, hip, (66, 85), (64, 108), (74, 110), "body")
    shoulder = spine.at(0.14, 0.0)
    hand = (62, 62)
    elbow = arm_joints(shoulder, hand, UPPER_ARM, FOREARM, 1)
    anchors: dict[str, Anchor] = {}
    for spot, t, off in (
        (Spot.BELLY_NAVEL, 0.72, -0.21),
        (Spot.INSIDE_HIP_BONE, 0.95, -0.2),
        (Spot.ABOVE_PUBIC, 1.06, -0.18),
    ):
        x, y = spine.at(t, off)
        anchors[spot] = Anchor(x, y, 0, 90, 1)
    return Pose(
        key="standing-side",
        words="Standing",
        figure=fig,
        anchors=anchors,
        shoulders={"near": shoulder},
        rest_arms={"near": _arm_paths(shoulder, elbow, hand)},
        surface=Surface("", "on"),
        inset=(126.0, 18.0, 56.0, 76.0),
    )


SEAT_Y = 76.0


def _seated(kind: str) -> Pose:
    """On a chair, seen from the side, facing right; `kind`: "plain", "on-ball" (a ball
    under one buttock), "ball-behind" (a ball between the chair back and the back) or
    "crossed" (one ankle across the other knee)."""
    fig = Figure()
    _floor(fig, 20, 160)
    lift = 9.0 if kind == "on-ball" else 0.0
    fwd = 10.0 if kind == "ball-behind" else 0.0
    lean = -4.0 if kind in ("plain", "crossed") else 0.0
    seat_x0, seat_x1 = 40.0, 86.0
    _chair(fig, SEAT_Y, seat_x0, seat_x1)
    hip = (55 + fwd, SEAT_Y - 7 - lift)
    spine = Spine((hip[0] + lean - 2, hip[1] - 36), hip, back=1)
    _profile_torso(fig, spine)
    face = _dir(-5)
    _head_profile(fig, spine.at(-0.02, 0), _add(spine.at(-0.3, 0), (3, 0)), face)
    knee = (hip[0] + 33, hip[1] - 1 + lift * 0.6)
    ankle = (knee[0] + 2, FLOOR - 3.5)
    _leg(
        fig,
        _add(hip, (2, -1)),
        _add(knee, (3, -1)),
        _add(ankle, (4, 0)),
        (ankle[0] + 14, FLOOR - 1.5),
        "far",
    )
    if kind == "crossed":
        # Right ankle over the left knee: the shin lies across, the calf free below.
        cross_knee = (hip[0] + 30, hip[1] - 12)
        cross_ankle = (knee[0] + 5, knee[1] - 8)
        _leg(fig, hip, cross_knee, cross_ankle, (cross_ankle[0] + 10, cross_ankle[1] - 5), "near")
    else:
        _leg(fig, hip, knee, ankle, (ankle[0] + 12, FLOOR - 1.5), "body")
    shoulder = spine.at(0.14, 0.02)
    hand = (hip[0] + 16, hip[1] - 4)
    elbow = arm_joints(shoulder, hand, UPPER_ARM, FOREARM, 1)
    anchors: dict[str, Anchor] = {}
    if kind == "on-ball":
        for spot, t in ((Spot.BUTTOCK, 1.0), (Spot.MID_BUTTOCK, 0.98)):
            x, _ = spine.at(t, 0.12)
            anchors[spot] = Anchor(x, SEAT_Y - 5.5, 90, 0)
    elif kind == "ball-behind":
        for spot, t in ((Spot.LOW_BACK, 0.7), (Spot.WAIST, 0.6)):
            _, y = spine.at(t, 0)
            anchors[spot] = Anchor(seat_x0 + 2.4 + 5.5, y, 180, 90)
    elif kind == "crossed":
        cross_knee = (hip[0] + 30, hip[1] - 12)
        cross_ankle = (knee[0] + 5, knee[1] - 8)
        for spot, k in ((Spot.CALF_HIGH, 0.3), (Spot.CALF_LOW, 0.72)):
            x, y = _add(
                cross_knee, _unit(cross_knee, cross_ankle), math.dist(cross_knee, cross_ankle) * k
            )
            anchors[spot] = Anchor(x, y + 4.5, 90, 0, 1)
    else:
        for spot, t, off in (
            (Spot.BELLY_NAVEL, 0.72, -0.2),
            (Spot.INSIDE_HIP_BONE, 0.93, -0.19),
            (Spot.ABOVE_PUBIC, 1.0, -0.17),
        ):
            x, y = spine.at(t, off)
            anchors[spot] = Anchor(x, y, 0, 90, 1)
        x, y = spine.at(0.02, 0.1)
        anchors[Spot.NECK_BASE] = Anchor(x, y, -120, 90, -1)
        # Reached behind: the back and the buttock (a ball there has its own poses).
        for spot, t in ((Spot.LOW_BACK, 0.7), (Spot.WAIST, 0.6)):
            x, y = spine.at(t, 0.15)
            anchors[spot] = Anchor(x, y, 180, 90, 1)
        for spot, t in ((Spot.BUTTOCK, 1.0), (Spot.MID_BUTTOCK, 0.98)):
            x, _ = spine.at(t, 0.12)
            anchors[spot] = Anchor(x, SEAT_Y - 2, 90, 0, 1)
    words = {
        "plain": "Sitting on a chair",
        "on-ball": "Sitting on a firm chair",
        "ball-behind": "Sitting back on a firm chair",
        "crossed": "Sitting on a chair, one ankle across the other knee",
    }[kind]
    return Pose(
        key=f"seated-{kind}",
        words=words,
        figure=fig,
        anchors=anchors,
        shoulders={"near": shoulder},
        rest_arms={"near": _arm_paths(shoulder, elbow, hand)},
        surface={
            "on-ball": Surface("seat", "under", "y", SEAT_Y),
            "ball-behind": Surface(
                "chair-back", "between the chair back and", "x", seat_x0 + 2.4, 1
            ),
        }.get(kind, Surface("", "on")),
        inset=(132.0, 8.0, 50.0, 84.0),
    )


def _floor_sitting() -> Pose:
    """Sitting on the floor, legs out in front, hands behind, one calf on a ball."""
    fig = Figure()
    _floor(fig)
    hip = (50.0, FLOOR - 8)
    spine = Spine((38, 64), hip, back=1)
    _profile_torso(fig, spine)
    _head_profile(fig, spine.at(-0.02, 0), _add(spine.at(-0.3, 0), (2, 0)), _dir(10))
    shoulder = spine.at(0.14, 0.03)
    _arm(fig, _add(shoulder, (-2, 1)), (26, 88), (22, FLOOR - 2.5), "far")
    # The treated leg on a ball under the calf, the other crossed over its shin.
    _leg(fig, _add(hip, (1, -3)), (86, 91), (126, 91), (130, 83), "far")
    _leg(fig, hip, (88.0, 100.0), (126.0, 99.5), (130, 92), "body")
    anchors: dict[str, Anchor] = {
        Spot.CALF_LOW: Anchor(113, 100, 90, 0),
        Spot.CALF_HIGH: Anchor(98, 101, 90, 0),
    }
    elbow = (28, 86)
    return Pose(
        key="floor-sitting",
        words="Sitting on the floor, legs out in front",
        figure=fig,
        anchors=anchors,
        shoulders={"near": shoulder},
        rest_arms={"near": _arm_paths(shoulder, elbow, (22, FLOOR - 2.5))},
        surface=Surface("floor", "under", "y", FLOOR),
        inset=(150.0, 2.0, 46.0, 66.0),
    )


@cache
def poses() -> dict[str, Pose]:
    found = [
        _lying_back("raised"),
        _lying_back("flat"),
        _lying_back("bolster"),
        _lying_front(),
        _lying_side("waist"),
        _lying_side("hip"),
        _wall_back(),
        _standing_back(side_wall=True),
        _standing_back(),
        _standing_side(),
        _seated("plain"),
        _seated("on-ball"),
        _seated("ball-behind"),
        _seated("crossed"),
        _floor_sitting(),
    ]
    return {pose.key: pose for pose in found}


def pose_key(position: str, tool: str, spot: str) -> str:
    """Which pose draws a technique: its position, refined by where the tool goes."""
    under_body = tool not in HAND_TOOLS
    if position == "lying-back":
        if spot == Spot.UNDER_KNEES:
            return "lying-back-bolster"
        return "lying-back-raised" if spot in BACK_SPOTS else "lying-back-flat"
    if position == "lying-side":
        return "lying-side-hip" if spot == Spot.OUTER_HIP else "lying-side-waist"
    if position == "lying-front":
        return "lying-front"
    if position == "wall":
        return "wall-side" if spot in (Spot.OUTER_WAIST, Spot.OUTER_HIP) else "wall-back"
    if position == "seated":
        if spot in (Spot.CALF_LOW, Spot.CALF_HIGH):
            return "floor-sitting" if under_body else "seated-crossed"
        if under_body and spot in (Spot.BUTTOCK, Spot.MID_BUTTOCK):
            return "seated-on-ball"
        if under_body and spot in (Spot.LOW_BACK, Spot.WAIST):
            return "seated-ball-behind"
        return "seated-plain"
    if spot in BELLY_SPOTS:
        return "standing-side"
    return "standing-back"


# --- the inset: where on the body ------------------------------------------------------

# Each spot on the body map's figures (backtp.catalog.bodymap units), on the person's
# right: from behind at x over 100, from the front at x under 320.
INSET_SPOTS: dict[str, tuple[str, float, float]] = {
    Spot.NECK_BASE: ("back", 107, 100),
    Spot.UPPER_BACK: ("back", 113, 110),
    Spot.FLOATING_RIB: ("back", 110, 176),
    Spot.LOW_BACK: ("back", 109, 196),
    Spot.WAIST: ("back", 118, 193),
    Spot.OUTER_WAIST: ("back", 133, 192),
    Spot.LUMBOSACRAL: ("back", 108, 214),
    Spot.HIP_CREST_SACRUM: ("back", 122, 226),
    Spot.BELOW_HIP_CREST: ("back", 137, 221),
    Spot.OUTER_HIP: ("back", 144, 240),
    Spot.BUTTOCK: ("back", 122, 252),
    Spot.MID_BUTTOCK: ("back", 129, 238),
    Spot.CALF_HIGH: ("back", 119, 388),
    Spot.CALF_LOW: ("back", 110, 424),
    Spot.BELLY_NAVEL: ("front", 305, 196),
    Spot.INSIDE_HIP_BONE: ("front", 292, 213),
    Spot.ABOVE_PUBIC: ("front", 313, 234),
}
INSET_CROP = {
    "back": (56.0, 82.0, 88.0, 186.0),
    "calf": (52.0, 330.0, 96.0, 150.0),
    "front": (278.0, 118.0, 84.0, 160.0),
}
INSET_ID = "il-inset-{view}"


def _inset_context(spot: str, both: bool, movement: str, box: tuple[float, ...]) -> dict:
    view, x, y = INSET_SPOTS[spot]
    crop = INSET_CROP["calf" if spot in (Spot.CALF_HIGH, Spot.CALF_LOW) else view]
    midline = bodymap.MIDLINE[view]
    dots = [(x, y)] + ([(2 * midline - x, y)] if both else [])
    arrows: list[tuple[str, str]] = []
    outward = 1 if x > midline else -1
    if movement == Movement.SIDE_TO_SIDE:
        arrows = arrow((x - 14, y + 13), (x + 14, y + 13), both=True, size=5)
    elif movement == Movement.OUTWARD:
        arrows = arrow((x - 2 * outward, y + 12), (x + 24 * outward, y + 12), size=5)
    elif movement == Movement.STROKES:
        arrows = arrow((x - 13, y + 12), (x + 13, y + 12), size=5)
        arrows += arrow((x - 13, y + 21), (x + 13, y + 21), size=5)
    label = "Front" if view == "front" else "Back"
    return {
        "href": INSET_ID.format(view=view),
        "viewbox": " ".join(num(v) for v in crop),
        "x": num(box[0]),
        "y": num(box[1]),
        "width": num(box[2]),
        "height": num(box[3]),
        "frame": f"M{num(box[0])},{num(box[1])} h{num(box[2])} v{num(box[3])} h{num(-box[2])} Z",
        "dots": [{"x": num(px), "y": num(py)} for px, py in dots],
        "arrows": [{"cls": c, "d": d} for c, d in arrows],
        "label": label,
        "label_x": num(box[0] + 3),
        "label_y": num(box[1] + box[3] - 3),
    }


def _inset_defs(view: str) -> dict:
    paths = [("il-edge", d) for d in bodymap.SILHOUETTES[view]]
    paths += [("il-skin", d) for d in bodymap.SILHOUETTES[view]]
    paths.append(("il-hair", bodymap.HAIR[view]))
    if view == "back":
        mid = bodymap.MIDLINE["back"]
        paths.append(("il-detail", f"M{num(mid)},96 V222"))
        paths.append(("il-detail", f"M{num(mid - 13)},222 L{num(mid)},252 L{num(mid + 13)},222"))
        for sign in (1, -1):
            paths.append(
                (
                    "il-detail",
                    f"M{num(mid + sign * 4)},176 Q{num(mid + sign * 22)},168 "
                    f"{num(mid + sign * 34)},180",
                )
            )
            paths.append(
                (
                    "il-detail",
                    f"M{num(mid + sign * 10)},214 Q{num(mid + sign * 26)},204 "
                    f"{num(mid + sign * 39)},212",
                )
            )
    else:
        nx, ny = bodymap.NAVEL
        paths.append(("il-navel", circle((nx, ny), 1.6, 2.2)))
    return {"id": INSET_ID.format(view=view), "paths": [{"cls": c, "d": d} for c, d in paths]}


# --- tools and arrows ------------------------------------------------------------------

TOOL_RADIUS = {
    "tennis-ball": 5.6,
    "lacrosse-ball": 5.2,
    "massage-ball": 4.6,
    "two-balls": 5.6,
    "foam-roller": 8.0,
    "double-roller": 6.4,
    "massage-blocks": 5.0,
    "bolster": 9.0,
}
TOOL_ID = "il-tool-{tool}"


def _tool_defs(tool: str) -> dict:
    """A tool drawn once, centred on 0,0, placed by each illustration with <use>."""
    r = TOOL_RADIUS[tool]
    o = (0.0, 0.0)
    paths: list[tuple[str, str]]
    if tool == "tennis-ball":
        paths = [
            ("il-tennis", circle(o, r)),
            (
                "il-seam",
                f"M{num(-r * 0.7)},{num(-r * 0.72)} Q0,{num(-r * 0.1)} "
                f"{num(-r * 0.7)},{num(r * 0.72)}",
            ),
            (
                "il-seam",
                f"M{num(r * 0.7)},{num(-r * 0.72)} Q0,{num(-r * 0.1)} "
                f"{num(r * 0.7)},{num(r * 0.72)}",
            ),
        ]
    elif tool == "lacrosse-ball":
        paths = [("il-lacrosse", circle(o, r)), ("il-shine", circle((-1.6, -1.8), 1.2))]
    elif tool == "massage-ball":
        # Knobbly: a ring of bumps merged with the ball under one outline.
        shapes = [circle(o, r)] + [
            circle((r * math.cos(a), r * math.sin(a)), 1.15)
            for a in (i * math.pi / 6 for i in range(12))
        ]
        dots = [(-1.8, -1.0), (1.2, -2.0), (0.4, 1.4), (-1.0, 2.2), (2.4, 0.8)]
        paths = [("il-tool-edge", d) for d in shapes] + [("il-massage", d) for d in shapes]
        paths += [("il-massage-dot", circle(p, 0.6)) for p in dots]
    elif tool == "two-balls":
        paths = [
            (
                "il-sock",
                circle(o, r + 1.2),
            ),
            ("il-tennis-far", circle((2.2, -2.2), r * 0.9)),
            ("il-tennis", circle((-0.6, 0.6), r * 0.92)),
            ("il-sock-knit", circle((0.0, 0.0), r + 0.7)),
            ("il-sock", f"M{num(r * 0.6)},{num(r * 0.8)} q4,3 9,2 l1,3 q-6,1 -10,-2 Z"),
        ]
    elif tool == "foam-roller":
        paths = [("il-roller", circle(o, r)), ("il-roller-core", circle(o, r * 0.38))]
    elif tool == "double-roller":
        paths = [("il-roller", circle(o, r)), ("il-roller-core", circle(o, r * 0.55))]
    elif tool == "massage-blocks":
        paths = [
            (
                "il-block",
                f"M{num(-r - 1)},{num(-r + 1)} h{num(2 * r + 2)} v{num(2 * r - 2)} "
                f"h{num(-2 * r - 2)} Z",
            )
        ]
    else:  # bolster
        paths = [
            ("il-bolster", circle(o, r + 2.5, r)),
            ("il-bolster-seam", circle(o, r - 2, r - 3.5)),
        ]
    return {"id": TOOL_ID.format(tool=tool), "paths": [{"cls": c, "d": d} for c, d in paths]}


def arrow(a: Pt, b: Pt, both: bool = False, size: float = 3.4) -> list[tuple[str, str]]:
    """A straight arrow from a to b (heads at b, and at a when `both`)."""
    u = _unit(a, b)
    out = [("il-arrow", line(_add(a, u, size * 0.8 if both else 0), _add(b, u, -size * 0.8)))]
    ends = [(b, u)] + ([(a, (-u[0], -u[1]))] if both else [])
    for tip, v in ends:
        n = (-v[1], v[0])
        base = _add(tip, v, -size * 1.25)
        out.append(
            (
                "il-arrow-head",
                f"M{_pt(tip)} L{_pt(_add(base, n, size * 0.7))} "
                f"L{_pt(_add(base, n, -size * 0.7))} Z",
            )
        )
    return out


def circling(c: Pt, r: float, size: float = 3.2) -> list[tuple[str, str]]:
    """A circular arrow around a point: most of a circle, clockwise, with a head."""
    start, end = _add(c, _dir(-60), r), _add(c, _dir(230), r)
    out = [("il-arrow", f"M{_pt(start)} A{num(r)},{num(r)} 0 1 1 {_pt(end)}")]
    v = _dir(230 + 90)  # tangent, clockwise
    tip = _add(end, v, size * 0.9)
    n = (-v[1], v[0])
    base = _add(tip, v, -size * 1.25)
    out.append(
        (
            "il-arrow-head",
            f"M{_pt(tip)} L{_pt(_add(base, n, size * 0.7))} L{_pt(_add(base, n, -size * 0.7))} Z",
        )
    )
    return out


def _hand_paths(tool: str, shoulder: Pt, anchor: Anchor) -> list[tuple[str, str]]:
    """The arm that works and its hand, the fist, thumb or fingertips on the spot."""
    out = _dir(anchor.out)
    contact = anchor.at
    reach = 7.0 if tool == "fists" else 6.5
    wrist = _add(contact, out, reach)
    elbow = arm_joints(shoulder, wrist, UPPER_ARM, FOREARM, anchor.bend)
    fig = Figure()
    fig.limb([shoulder, elbow, wrist], list(ARM_R), "near")
    if tool == "fists":
        fig.limb([wrist, _add(contact, out, 3.2)], [3.0, 3.6], "near")
    elif tool == "thumbs":
        fig.limb([wrist, _add(wrist, out, -2.4)], [2.9, 2.7], "near")
        fig.limb([_add(wrist, out, -1), contact], [1.7, 1.35], "near")
    else:
        fig.limb([wrist, _add(wrist, out, -2.6)], [2.7, 2.4], "near")
        fig.limb([_add(wrist, out, -2), contact], [2.1, 1.4], "near")
    paths = [(c, d) for group in fig.near for c, d in [("il-edge", p) for p in group]]
    paths += [(c, d) for group in fig.near for c, d in [("il-skin", p) for p in group]]
    if tool == "fists":
        k = _add(contact, out, 1.6)
        n = (-out[1], out[0])
        paths.append(("il-detail", line(_add(k, n, 2.4), _add(k, n, -2.4))))
    return paths


# --- the illustration -----------------------------------------------------------------


def pose_id(key: str, active: Iterable[str] = ()) -> str:
    active = sorted(active)
    return f"il-pose-{key}" + ("-" + "-".join(active) if active else "")


def spot_for(position: str, spot: str) -> str:
    """The spot to draw: the technique's, or its position's default while it has none."""
    return spot if spot in POSITION_SPOTS.get(position, ()) else DEFAULT_SPOT[position]


def _both(tool: str, per_side: bool, position: str) -> bool:
    """Both sides at once: two balls, or both hands when the technique is not per side."""
    return tool == "two-balls" or (tool in HAND_TOOLS and not per_side)


def describe(position: str, tool: str, spot: str, movement: str, per_side: bool) -> str:
    """The text alternative: the position, the tool and where it goes, the movement."""
    spot = spot_for(position, spot)
    pose = poses()[pose_key(position, tool, spot)]
    both = _both(tool, per_side, position)
    where = SPOT_WORDS[Spot(spot)]
    if tool in HAND_TOOLS:
        what = BOTH_HANDS_WORDS[tool] if both else TOOL_WORDS[tool]
        placed = f"{what} on {where}"
        if both:
            placed += ", one on each side"
    elif tool == "bolster" and spot == Spot.UNDER_KNEES:
        placed = f"{TOOL_WORDS[tool]} under the knees"
    else:
        surface = pose.surface.words if pose.surface.kind else "on"
        placed = f"{TOOL_WORDS.get(tool, 'the tool')} {surface} {where}"
        if tool == "two-balls":
            placed += ", one either side of the spine"
    hand = tool in HAND_TOOLS
    movement_words = {
        Movement.NONE: "hold steady pressure on the tender spot",
        Movement.UP_DOWN: "work slowly up and down" if hand else "roll slowly up and down",
        Movement.DOWNWARD: (
            "work slowly down toward the hips" if hand else "roll slowly down toward the hips"
        ),
        Movement.SIDE_TO_SIDE: (
            "work from side to side along the rib" if hand else "roll it from side to side"
        ),
        Movement.OUTWARD: "work slowly outward, from the spine toward your side",
        Movement.CIRCLES: "make small circles on the tender spot",
        Movement.PRESS_RELEASE: "press in for a while, then lift off and rest",
        Movement.STROKES: "slide slowly in one direction only, then start again",
        Movement.KNEE_OUT: "let one knee drift slowly out to the side and back",
    }[Movement(movement) if movement in Movement.values else Movement.NONE]
    text = f"{pose.words}, {placed}; {movement_words}"
    if per_side and not both:
        text += ", then change sides"
    return text + "."


def render_context(
    *,
    position: str,
    tool: str,
    spot: str,
    movement: str,
    per_side: bool,
    id_prefix: str = "",
    drawn: frozenset[str] = frozenset(),
    label: str = "",
) -> dict:
    """Everything templates/catalog/_illustration.html needs to draw one illustration.

    `drawn`: ids of the shared shapes an earlier illustration in the same document
    already carries; the context's `new_defs` says which this one adds.
    """
    spot = spot_for(position, spot)
    key = pose_key(position, tool, spot)
    pose = poses()[key]
    anchor = pose.anchors.get(spot) or next(iter(pose.anchors.values()))
    both = _both(tool, per_side, position)
    hand = tool in HAND_TOOLS

    # The arms a hand tool moves are left out of the pose's shared figure.
    if hand:
        active = (["left", "right"] if both else ["right"]) if pose.view == "back" else ["near"]
    else:
        active = []
    defs: list[dict] = []
    pid = pose_id(key, active)
    if pid not in drawn:
        paths = pose.figure.paths()
        arms = [name for name in pose.rest_arms if name not in active]
        rest = [d for name in arms for d in pose.rest_arms[name]]
        # Rest arms of a profile figure are in front of the body; from behind, beside it.
        paths += [("il-edge", d) for d in rest] + [("il-skin", d) for d in rest]
        defs.append({"id": pid, "paths": [{"cls": c, "d": d} for c, d in paths if c]})

    tools: list[dict] = []  # tools between the body and the floor, wall or seat
    over: list[tuple[str, str]] = []  # hands and arrows, on top
    r = TOOL_RADIUS.get(tool, 5.0)
    out = _dir(anchor.out)
    centre = anchor.at
    if hand:
        targets = [
            (pose.shoulders.get(name) or next(iter(pose.shoulders.values())), anchor)
            for name in active
        ]
        if pose.view == "back" and both:
            mid = (
                pose.shoulders["left"][0]
                + (pose.shoulders["right"][0] - pose.shoulders["left"][0]) / 2
            )
            mirrored = Anchor(
                2 * mid - anchor.x, anchor.y, 180 - anchor.out, anchor.along, -anchor.bend
            )
            targets = [(pose.shoulders["right"], anchor), (pose.shoulders["left"], mirrored)]
        for shoulder, target in targets:
            over += _hand_paths(tool, shoulder, target)
            over.append(("il-press", circle(target.at, 1.5)))
    else:
        tid = TOOL_ID.format(tool=tool if tool in TOOL_RADIUS else "tennis-ball")
        if tid not in drawn:
            defs.append(_tool_defs(tool if tool in TOOL_RADIUS else "tennis-ball"))
        if tool == "bolster" and spot == Spot.UNDER_KNEES:
            centre = (121.0, FLOOR - 9)
        else:
            centre = pose.surface.rest(anchor, r)
        # Drawn over the body: where the drawing and a real body would overlap, the
        # ball shows pressing in rather than hiding behind the skin.
        tools.append({"href": tid, "x": num(centre[0]), "y": num(centre[1])})

    along = _dir(anchor.along)
    # Along the body: beside the tool, on the far side from the arm that holds it.
    side = _add(centre, out, -7) if hand else _add(centre, out, r + 4)
    if movement == Movement.UP_DOWN:
        over += arrow(_add(side, along, -9), _add(side, along, 9), both=True)
    elif movement == Movement.DOWNWARD:
        over += arrow(_add(side, along, -8), _add(side, along, 9))
    elif movement == Movement.CIRCLES:
        over += circling(centre, r + 4.2)
    elif movement == Movement.PRESS_RELEASE:
        inward = (-out[0], -out[1])
        near = _add(anchor.at, inward, 24)
        over += arrow(_add(near, inward, 15), near, both=True)
    elif movement == Movement.KNEE_OUT:
        over += [("il-arrow", "M119,78 Q131,74 136,86")]
        over += arrow((134.5, 82.5), (136.5, 88))[1:]
    elif pose.view == "back" and movement in (
        Movement.SIDE_TO_SIDE,
        Movement.OUTWARD,
        Movement.STROKES,
    ):
        y = anchor.y + 9
        if movement == Movement.SIDE_TO_SIDE:
            over += arrow((anchor.x - 9, y), (anchor.x + 9, y), both=True)
        elif movement == Movement.OUTWARD:
            over += arrow((anchor.x - 5, y), (anchor.x + 12, y))
        else:
            over += arrow((anchor.x - 10, y), (anchor.x + 8, y))
            over += arrow((anchor.x - 10, y + 5), (anchor.x + 8, y + 5))

    inset = None
    if pose.inset and spot in INSET_SPOTS:
        view = INSET_SPOTS[spot][0]
        iid = INSET_ID.format(view=view)
        if iid not in drawn:
            defs.append(_inset_defs(view))
        inset = _inset_context(spot, both, movement, pose.inset)

    text = describe(position, tool, spot, movement, per_side)
    return {
        "viewbox": VIEWBOX,
        "title_id": f"{id_prefix}illustration-title",
        "desc_id": f"{id_prefix}illustration-desc",
        "label": label or pose.words,
        "desc": text,
        "pose": pid,
        "pose_key": key,
        "defs": defs,
        "new_defs": [d["id"] for d in defs],
        "tools": tools,
        "over": [{"cls": c, "d": d} for c, d in over],
        "inset": inset,
    }
