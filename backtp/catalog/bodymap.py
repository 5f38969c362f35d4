"""Body map geometry: the single source of truth for where each body region is drawn.

One SVG holds two stylised figures side by side: the body seen from behind (x 0-200,
midline x=100) and from the front (x 220-420, midline x=320). Every one of the 35
canonical regions (fixtures/regions.json) is one closed path on exactly one view:
"back" and "side" regions on the back view (the side regions as the outer strips of
hip, thigh and lower leg), "front" regions on the front view.

Laterality: from behind, the person's left is on the viewer's left; from the front it
is on the viewer's right. The geometry is drawn once for the viewer's left half of a
figure and mirrored, so the halves are exact mirror images.

Region outlines are built from shared curves (the figure's outline and the borders
between regions), so neighbouring regions meet edge to edge with no gaps or
overlaps. Paths use absolute M, L, C and Z commands only.
"""

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backtp.catalog.anatomy import Drawing

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "regions.json"

VIEW_WIDTH = 200.0
VIEW_GAP = 20.0
VIEWBOX_HEIGHT = 488.0
VIEWBOX = f"0 0 {VIEW_WIDTH * 2 + VIEW_GAP:g} {VIEWBOX_HEIGHT:g}"
VIEW_OFFSET = {"back": 0.0, "front": VIEW_WIDTH + VIEW_GAP}
MIDLINE = {view: offset + VIEW_WIDTH / 2 for view, offset in VIEW_OFFSET.items()}
VIEW_LABELS = {"back": "Back", "front": "Front"}
# Regions seen from the side are drawn as the outer strips of the back view.
VIEW_OF_SURFACE = {"back": "back", "side": "back", "front": "front"}

ZONE_KINDS = ("essential", "spillover")
MARKER_RADIUS = 4.6


def _load_regions() -> list[dict]:
    with FIXTURE.open(encoding="utf-8") as fh:
        rows = [row["fields"] for row in json.load(fh) if row["model"] == "catalog.bodyregion"]
    return sorted(rows, key=lambda f: f["order"])


_REGIONS = _load_regions()
REGION_SLUGS: tuple[str, ...] = tuple(r["slug"] for r in _REGIONS)
REGION_NAMES: dict[str, str] = {r["slug"]: r["name"] for r in _REGIONS}
REGION_SURFACES: dict[str, str] = {r["slug"]: r["view"] for r in _REGIONS}
REGION_SIDES: dict[str, str] = {r["slug"]: r["side"] for r in _REGIONS}


# --- geometry toolkit -------------------------------------------------------------

Pt = tuple[float, float]
# ("L", p0, p1) or ("C", p0, c1, c2, p1)
Seg = tuple


def _reverse(segs: list[Seg]) -> list[Seg]:
    return [(s[0], *reversed(s[1:])) for s in reversed(segs)]


def _map(segs: list[Seg], fn: Callable[[Pt], Pt]) -> list[Seg]:
    return [(s[0], *(fn(p) for p in s[1:])) for s in segs]


def _bezier_handles(p0: Pt, p1: Pt, p2: Pt, p3: Pt) -> tuple[Pt, Pt]:
    """Control points of the centripetal Catmull-Rom segment p1->p2 (no loops or cusps)."""

    def dist(a: Pt, b: Pt) -> float:
        return max(math.dist(a, b), 1e-9) ** 0.5

    d1, d2, d3 = dist(p0, p1), dist(p1, p2), dist(p2, p3)
    a = 2 * d1 * d1 + 3 * d1 * d2 + d2 * d2
    b = 3 * d1 * (d1 + d2)
    x1, y1 = ((d1 * d1 * p2[i] - d2 * d2 * p0[i] + a * p1[i]) / b for i in (0, 1))
    a = 2 * d3 * d3 + 3 * d3 * d2 + d2 * d2
    b = 3 * d3 * (d3 + d2)
    x2, y2 = ((d3 * d3 * p1[i] - d2 * d2 * p3[i] + a * p2[i]) / b for i in (0, 1))
    return (x1, y1), (x2, y2)


class _Curve:
    """A smooth curve through named nodes; names ending in "!" are corners."""

    def __init__(self, *nodes: tuple[str, float, float]):
        self.names = [n.rstrip("!") for n, _, _ in nodes]
        self.points: list[Pt] = [(float(x), float(y)) for _, x, y in nodes]
        corners = {i for i, (n, _, _) in enumerate(nodes) if n.endswith("!")}
        corners |= {0, len(nodes) - 1}
        pts = self.points
        self.segs: list[Seg] = []
        for i in range(len(pts) - 1):
            p1, p2 = pts[i], pts[i + 1]
            # At a corner or an end, reflect the neighbour so the tangent follows the chord.
            p0 = pts[i - 1] if i not in corners else (2 * p1[0] - p2[0], 2 * p1[1] - p2[1])
            p3 = pts[i + 2] if i + 1 not in corners else (2 * p2[0] - p1[0], 2 * p2[1] - p1[1])
            if len(pts) == 2:
                self.segs.append(("L", p1, p2))
            else:
                self.segs.append(("C", p1, *_bezier_handles(p0, p1, p2, p3), p2))

    def __getitem__(self, name: str) -> Pt:
        return self.points[self.names.index(name)]

    def span(self, a: str | None = None, b: str | None = None) -> list[Seg]:
        i = self.names.index(a) if a else 0
        j = self.names.index(b) if b else len(self.names) - 1
        if i <= j:
            return self.segs[i:j]
        return _reverse(self.segs[j:i])


def _line(*points: Pt) -> list[Seg]:
    return [("L", points[i], points[i + 1]) for i in range(len(points) - 1)]


def _loop(*pieces: list[Seg]) -> list[Seg]:
    segs = [s for piece in pieces for s in piece]
    for a, b in zip(segs, segs[1:] + segs[:1], strict=True):
        if math.dist(a[-1], b[1]) > 1e-6:
            raise AssertionError(f"body map path is not continuous at {a[-1]} -> {b[1]}")
    return segs


def _mirror(segs: list[Seg]) -> list[Seg]:
    return _map(segs, lambda p: (VIEW_WIDTH - p[0], p[1]))


def _both_halves(half: list[Seg]) -> list[Seg]:
    """A midline shape from its viewer's-left half (a chain from midline to midline)."""
    return _loop(half, _reverse(_mirror(half)))


def num(v: float) -> str:
    """A coordinate for SVG path data: one decimal at most, no trailing zeros, no "-0"."""
    text = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _path(segs: list[Seg], offset: float = 0.0, close: bool = True) -> str:
    def pt(p: Pt) -> str:
        return f"{num(p[0] + offset)},{num(p[1])}"

    parts = [f"M{pt(segs[0][1])}"]
    for s in segs:
        parts.append(f"L{pt(s[2])}" if s[0] == "L" else f"C{pt(s[2])} {pt(s[3])} {pt(s[4])}")
    if close:
        parts.append("Z")
    return " ".join(parts)


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> list[Seg]:
    k = 0.5523
    return [
        ("C", (cx, cy - ry), (cx + k * rx, cy - ry), (cx + rx, cy - k * ry), (cx + rx, cy)),
        ("C", (cx + rx, cy), (cx + rx, cy + k * ry), (cx + k * rx, cy + ry), (cx, cy + ry)),
        ("C", (cx, cy + ry), (cx - k * rx, cy + ry), (cx - rx, cy + k * ry), (cx - rx, cy)),
        ("C", (cx - rx, cy), (cx - rx, cy - k * ry), (cx - k * rx, cy - ry), (cx, cy - ry)),
    ]


# --- the figure ---------------------------------------------------------------------
# Local coordinates of one view: 200 wide, midline x=100, y grows downwards. Only the
# viewer's left half is drawn here; the right half is its mirror image. Proportions
# follow an eight-heads figure (head 26-78, shoulders ~106, waist ~194, crotch ~270,
# knee ~360, sole ~478); vertebral levels: C7 ~94, T7 142, T12 172, L5/S1 222.

HEAD = (100.0, 52.0, 20.0, 26.0)


def _outline(view: str) -> _Curve:
    """The viewer's-left half of the silhouette, from the neck (inside the head) to the crotch."""
    crotch = 274 if view == "back" else 266
    if view == "back":
        # From behind only the heel shows below the ankle.
        foot = [
            ("heel_out", 75.2, 463),
            ("heel_bot_out", 78.6, 473.5),
            ("heel_bot", 84, 478),
            ("heel_bot_in", 89.8, 474.5),
            ("heel_in", 92, 463.5),
        ]
    else:
        # From the front the foot points at us, slightly turned out.
        foot = [
            ("foot_out", 72.4, 462),
            ("toe_out", 69, 472),
            ("toe_tip", 71.5, 479.5),
            ("toe_mid", 82, 481.5),
            ("toe_in", 93.6, 480.6),
            ("foot_in", 95.4, 470),
        ]
    return _Curve(
        ("neck_top!", 90, 66),
        ("neck_base", 90.5, 84),
        ("trap", 80, 95.5),
        ("trap2", 64, 101.5),
        ("shoulder", 50, 105.5),
        ("deltoid", 40.5, 112.5),
        ("deltoid2", 35, 127),
        ("arm_out", 32.5, 150),
        ("elbow_out", 29.5, 190),
        ("forearm_out", 25.5, 226),
        ("wrist_out", 22.5, 258),
        ("hand1", 18.5, 276),
        ("hand2", 18.5, 292),
        ("fingertip", 24, 303),
        ("hand3", 30.5, 298.5),
        ("hand4", 34, 284),
        ("wrist_in", 36, 262),
        ("forearm_in", 40.5, 228),
        ("elbow_in", 46, 192),
        ("arm_in", 50.5, 162),
        ("armpit!", 56, 142),
        ("lat", 59.5, 160),
        ("rib", 62.3, 177),
        ("waist", 64.6, 194),
        ("crest", 63, 208),
        ("hip_upper", 59.5, 219),
        ("hip_top", 55.5, 231),
        ("hip", 52.5, 246),
        ("hip_low", 52, 262),
        ("thigh", 53.2, 290),
        ("thigh2", 56.8, 322),
        ("knee", 62, 354),
        ("knee_low", 62.8, 370),
        ("calf", 59.4, 391),
        ("calf2", 62.6, 414),
        ("shin", 69.5, 436),
        ("ankle_out", 75, 451),
        *foot,
        ("ankle_in", 91, 451),
        ("achilles_in", 91.6, 438),
        ("calf_in", 94.2, 416),
        ("calf_in2", 96.8, 393),
        ("knee_in_low", 94.6, 372),
        ("knee_in", 93.6, 354),
        ("thigh_in", 96.4, 322),
        ("thigh_in2", 98.7, 292),
        ("crotch!", 100, crotch),
    )


def _silhouette(view: str) -> list[list[Seg]]:
    cx, cy, rx, ry = HEAD
    body = _outline(view).span()
    return [
        _loop(body, _reverse(_mirror(body)), _line(_mirror(body)[0][1], body[0][1])),
        _ellipse(cx - rx + 0.5, cy + 3, 3.4, 6.8),
        _ellipse(cx + rx - 0.5, cy + 3, 3.4, 6.8),
        _ellipse(cx, cy, rx, ry),
    ]


def _ellipse_curve(name_angles: Iterable[tuple[str, float]]) -> list[tuple[str, float, float]]:
    cx, cy, rx, ry = HEAD
    rx, ry = rx + 0.5, ry + 0.5  # just over the head's edge, so no skin shows through
    return [
        (n, cx + rx * math.cos(math.radians(a)), cy - ry * math.sin(math.radians(a)))
        for n, a in name_angles
    ]


def _hair(view: str) -> list[Seg]:
    """Hair: covers the head from behind, frames the face from the front."""
    if view == "back":
        rim = _Curve(
            *_ellipse_curve(
                [("r", -38), ("", 0), ("", 50), ("", 90), ("", 130), ("", 180), ("l", 218)]
            )
        )
        nape = _Curve(("l", *rim["l"]), ("", 100, 71.5), ("r", *rim["r"]))
    else:
        rim = _Curve(*_ellipse_curve([("r", -8), ("", 30), ("", 90), ("", 150), ("l", 188)]))
        nape = _Curve(
            ("l", *rim["l"]), ("", 85, 42), ("", 100, 37.5), ("", 115, 42), ("r", *rim["r"])
        )
    return _loop(rim.span(), nape.span())


def _details(view: str) -> list[list[Seg]]:
    """Non-interactive drawing lines on the silhouette (the viewer's-left half)."""
    if view == "back":
        return [
            _Curve(("", 40, 196), ("", 36.5, 191), ("", 35.5, 185)).span(),  # elbow
        ]
    return [
        _Curve(("", 95, 98.5), ("", 80, 100), ("", 64, 104)).span(),  # collarbone
        _Curve(("", 62, 134), ("", 75, 143), ("", 93, 140)).span(),  # chest
    ]


def _back_regions() -> dict[str, list[Seg]]:
    """Regions of the back view, for the person's left (the viewer's left half)."""
    o = _outline("back")
    ub_top = _Curve(("mid", 100, 93.5), ("trap", *o["trap"]))
    ub_lat = _Curve(("trap2", *o["trap2"]), ("", 60.5, 118), ("armpit", *o["armpit"]))
    t7 = _Curve(("mid", 100, 142), ("", 78, 143.5), ("armpit", *o["armpit"]))
    t12 = _Curve(("mid", 100, 172), ("lsp", 94, 172), ("lb", 80, 173.5), ("rib", *o["rib"]))
    lsp = _Curve(("top", *t12["lsp"]), ("bot", 94, 222))
    sac_top = _Curve(("tl", 88, 222), ("lsp", *lsp["bot"]), ("mid", 100, 222))
    junction = (80.5, 211.0)  # low back, flank, upper buttock and sacroiliac meet here
    lb_lat = _Curve(("top", *t12["lb"]), ("j", *junction))
    crest = _Curve(("crest", *o["crest"]), ("", 72, 209), ("j", *junction))
    si_top = _Curve(("j", *junction), ("", 85, 216.5), ("tl", *sac_top["tl"]))
    sac_side = _Curve(("tl", *sac_top["tl"]), ("", 90, 233), ("si", 92.3, 243.5), ("bl", 94, 250))
    sac_bot = _Curve(("bl", *sac_side["bl"]), ("mid", 100, 250))
    si_lat = _Curve(("j", *junction), ("", 76.5, 226), ("bl", 78.5, 242.5))
    si_bot = _Curve(("bl", *si_lat["bl"]), ("", 86, 245.5), ("sac", *sac_side["si"]))
    lh_med = _Curve(("top", *o["hip_top"]), ("mid", 65.5, 247), ("bot", 67, 266))
    lh_bot = _Curve(("med", *lh_med["bot"]), ("out", *o["hip_low"]))
    glut_mid = _Curve(("lh", *lh_med["mid"]), ("", 72, 245.5), ("si", *si_lat["bl"]))
    coccyx = _Curve(("bl", *sac_side["bl"]), ("", 95.6, 259), ("tip", 100, 268))
    cleft = _Curve(("tip", *coccyx["tip"]), ("crotch", *o["crotch"]))
    fold = _Curve(("crotch", *o["crotch"]), ("", 89, 276.5), ("", 77, 273), ("lh", *lh_med["bot"]))
    ot_med = _Curve(("top", *lh_med["bot"]), ("", 68, 296), ("", 71.5, 330), ("bot", 75, 370))
    knee = _Curve(
        ("out", *o["knee_low"]), ("ot", *ot_med["bot"]), ("", 85, 371.2), ("in", *o["knee_in_low"])
    )
    ol_med = _Curve(
        ("top", *ot_med["bot"]),
        ("", 73.4, 392),
        ("", 76.8, 415),
        ("heel", 79.4, 437),
        ("bot", *o["ankle_out"]),
    )
    heel_top = _Curve(("out", *ol_med["heel"]), ("in", *o["achilles_in"]))

    return {
        "upper-back": _loop(
            ub_top.span(),
            o.span("trap", "trap2"),
            ub_lat.span(),
            t7.span("armpit", "mid"),
            _line(t7["mid"], ub_top["mid"]),
        ),
        "mid-back": _loop(
            t7.span(), o.span("armpit", "rib"), t12.span("rib", "mid"), _line(t12["mid"], t7["mid"])
        ),
        "low-back": _loop(
            t12.span("lsp", "lb"),
            lb_lat.span(),
            si_top.span(),
            sac_top.span("tl", "lsp"),
            lsp.span("bot", "top"),
        ),
        "flank": _loop(
            t12.span("lb", "rib"), o.span("rib", "crest"), crest.span(), lb_lat.span("j", "top")
        ),
        "sacroiliac": _loop(
            si_top.span(),
            sac_side.span("tl", "si"),
            si_bot.span("sac", "bl"),
            si_lat.span("bl", "j"),
        ),
        "upper-buttock": _loop(
            o.span("crest", "hip_top"),
            lh_med.span("top", "mid"),
            glut_mid.span(),
            si_lat.span("bl", "j"),
            crest.span("j", "crest"),
        ),
        "lower-buttock": _loop(
            glut_mid.span(),
            si_bot.span(),
            sac_side.span("si", "bl"),
            coccyx.span(),
            cleft.span(),
            fold.span(),
            lh_med.span("bot", "mid"),
        ),
        "lateral-hip": _loop(
            o.span("hip_top", "hip_low"), lh_bot.span("out", "med"), lh_med.span("bot", "top")
        ),
        "back-thigh": _loop(
            fold.span(), ot_med.span(), knee.span("ot", "in"), o.span("knee_in_low", "crotch")
        ),
        "outer-thigh": _loop(
            o.span("hip_low", "knee_low"),
            knee.span("out", "ot"),
            ot_med.span("bot", "top"),
            lh_bot.span(),
        ),
        "calf": _loop(
            knee.span("ot", "in"),
            o.span("knee_in_low", "achilles_in"),
            heel_top.span("in", "out"),
            ol_med.span("heel", "top"),
        ),
        "outer-leg": _loop(
            o.span("knee_low", "ankle_out"), ol_med.span("bot", "top"), knee.span("ot", "out")
        ),
        "heel": _loop(
            heel_top.span(), o.span("achilles_in", "ankle_out"), ol_med.span("bot", "heel")
        ),
        # Midline regions: the viewer's-left half, from the midline back to the midline.
        "lumbar-spine": t12.span("mid", "lsp") + lsp.span() + sac_top.span("lsp", "mid"),
        "sacrum": sac_top.span("mid", "tl") + sac_side.span() + sac_bot.span(),
        "coccyx": sac_bot.span("mid", "bl") + coccyx.span(),
    }


def _front_regions() -> dict[str, list[Seg]]:
    """Regions of the front view, for the person's right (the viewer's left half)."""
    o = _outline("front")
    belly_top = _Curve(("mid", 100, 199), ("", 82, 198.5), ("waist", *o["waist"]))
    groin_up = _Curve(("crest", *o["crest"]), ("", 76, 218.5), ("", 88, 230.5), ("mid", 100, 244))
    groin_low = _Curve(
        ("hip", *o["hip_upper"]), ("", 71, 236), ("", 85, 252.5), ("crotch", *o["crotch"])
    )
    thigh_bot = _Curve(
        ("in", *o["knee_in"]),
        ("", 86, 349.5),
        ("", 78, 347.5),
        ("", 69.5, 349.5),
        ("out", *o["knee"]),
    )
    return {
        "lower-abdomen": _loop(
            belly_top.span(),
            o.span("waist", "crest"),
            groin_up.span(),
            _line(groin_up["mid"], belly_top["mid"]),
        ),
        "groin": _loop(
            groin_up.span(),
            _line(groin_up["mid"], groin_low["crotch"]),
            groin_low.span("crotch", "hip"),
            o.span("hip_upper", "crest"),
        ),
        "front-thigh": _loop(
            groin_low.span(),
            o.span("crotch", "knee_in"),
            thigh_bot.span(),
            o.span("knee", "hip_upper"),
        ),
    }


@dataclass(frozen=True)
class Shape:
    """One region's shape: the view it is drawn on and its SVG path data."""

    slug: str
    view: str  # "back" or "front": the view it is drawn on
    d: str


def _build_shapes() -> dict[str, Shape]:
    shapes: dict[str, Shape] = {}
    for view, parts in (("back", _back_regions()), ("front", _front_regions())):
        offset = VIEW_OFFSET[view]
        for part, half in parts.items():
            if part in REGION_NAMES:  # midline
                shapes[part] = Shape(part, view, _path(_both_halves(half), offset))
                continue
            mirrored = _mirror(half)
            # Drawn half = the side of the person on the viewer's left.
            near, far = ("left", "right") if view == "back" else ("right", "left")
            shapes[f"{near}-{part}"] = Shape(f"{near}-{part}", view, _path(half, offset))
            shapes[f"{far}-{part}"] = Shape(f"{far}-{part}", view, _path(mirrored, offset))
    missing = set(REGION_SLUGS) ^ set(shapes)
    if missing:
        raise AssertionError(f"body map and fixtures disagree about regions: {sorted(missing)}")
    return {slug: shapes[slug] for slug in REGION_SLUGS}


SHAPES: dict[str, Shape] = _build_shapes()

SILHOUETTES: dict[str, tuple[str, ...]] = {
    view: tuple(_path(segs, VIEW_OFFSET[view]) for segs in _silhouette(view))
    for view in VIEW_OFFSET
}
HAIR: dict[str, str] = {view: _path(_hair(view), VIEW_OFFSET[view]) for view in VIEW_OFFSET}
DETAILS: dict[str, tuple[str, ...]] = {
    view: tuple(
        _path(segs, VIEW_OFFSET[view], close=False)
        for half in _details(view)
        for segs in (half, _mirror(half))
    )
    for view in VIEW_OFFSET
}
NAVEL = (MIDLINE["front"], 190.0)


# --- reading paths back: polygons, anchors ------------------------------------------

_TOKEN = re.compile(r"[MLCQZ]|-?\d+(?:\.\d+)?")


def polygon(d: str, steps: int = 8) -> list[Pt]:
    """Flatten path data (absolute M, L, C, Q, Z; one subpath) into a polygon."""
    tokens = _TOKEN.findall(d)
    pts: list[Pt] = []
    i, cmd = 0, ""
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd == "Z":
                continue
        n = {"M": 1, "L": 1, "Q": 2, "C": 3}[cmd]
        nums = [float(t) for t in tokens[i : i + 2 * n]]
        i += 2 * n
        ctrl = [(nums[k], nums[k + 1]) for k in range(0, 2 * n, 2)]
        if cmd in "ML":
            pts.append(ctrl[0])
            continue
        p0 = pts[-1]
        for s in range(1, steps + 1):
            t = s / steps
            u = 1 - t
            w: tuple[float, ...]
            if cmd == "Q":
                w = (u * u, 2 * u * t, t * t)
            else:
                w = (u**3, 3 * u * u * t, 3 * u * t * t, t**3)
            ps = [p0, *ctrl]
            pts.append(
                (
                    sum(wk * p[0] for wk, p in zip(w, ps, strict=True)),
                    sum(wk * p[1] for wk, p in zip(w, ps, strict=True)),
                )
            )
    if len(pts) > 1 and math.dist(pts[0], pts[-1]) < 1e-9:
        pts.pop()
    return pts


def contains(poly: list[Pt], p: Pt) -> bool:
    """Even-odd point-in-polygon test."""
    x, y = p
    inside = False
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _edge_distance(poly: list[Pt], p: Pt) -> float:
    best = math.inf
    for a, b in zip(poly, poly[1:] + poly[:1], strict=True):
        dx, dy = b[0] - a[0], b[1] - a[1]
        length2 = dx * dx + dy * dy or 1e-12
        t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
        best = min(best, math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy))
    return best


@cache
def clearance(slug: str) -> tuple[Pt, float]:
    """The most central roomy point of a region and its distance to the region's edge."""
    poly = polygon(_shape(slug).d, steps=6)
    xs, ys = [p[0] for p in poly], [p[1] for p in poly]
    area2 = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area2 += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    centroid = (cx / (3 * area2), cy / (3 * area2))
    candidates = [
        ((x, y), _edge_distance(poly, (x, y)))
        for x in _frange(min(xs), max(xs), 1.0)
        for y in _frange(min(ys), max(ys), 1.0)
        if contains(poly, (x, y))
    ]
    best = max(r for _, r in candidates)
    # Near the centre of mass, but with room for the marker (most of the widest room).
    roomy = [(p, r) for p, r in candidates if r >= min(0.8 * best, MARKER_RADIUS + 2)]
    point, room = min(roomy, key=lambda c: math.dist(c[0], centroid))
    return (round(point[0], 1), round(point[1], 1)), room


def _frange(lo: float, hi: float, step: float) -> Iterable[float]:
    v = math.ceil(lo / step) * step
    while v <= hi:
        yield v
        v += step


def _shape(slug: str) -> Shape:
    try:
        return SHAPES[slug]
    except KeyError:
        raise ValueError(f"unknown body region: {slug!r}") from None


def anchor(slug: str) -> tuple[float, float]:
    """The centre of a region: where a marker given only a region is drawn."""
    return clearance(slug)[0]


# --- trigger points at their own positions -----------------------------------------
# A trigger point's position is catalogue data (TriggerPoint.view, x, y): where it lies
# on the person's RIGHT side, in its view's own units (0-200 across, midline 100, 0-488
# down). From the back the person's right is on the viewer's right (x > 100); from the
# front it is on the viewer's left (x < 100). The left side is the mirror image.


def position(view: str, x: float, y: float, side: str = "right") -> Pt:
    """Where a point at (x, y) of a view's own units lies on the whole drawing."""
    if view not in VIEW_OFFSET:
        raise ValueError(f"unknown view: {view!r}")
    local = VIEW_WIDTH - x if side == "left" else x
    return (local + VIEW_OFFSET[view], y)


@cache
def _polygon_of(slug: str) -> tuple[Pt, ...]:
    return tuple(polygon(_shape(slug).d))


def region_at(view: str, x: float, y: float) -> str | None:
    """The right-side (or midline) region a position of the right side lies in, if any."""
    p = position(view, x, y)
    for slug, shape in SHAPES.items():
        on_view = shape.view == view and REGION_SIDES[slug] != "left"
        if on_view and contains(list(_polygon_of(slug)), p):
            return slug
    return None


def on_side(slug: str, side: str) -> str:
    """A right-side region's slug on the given side (midline regions stay as they are)."""
    if side == "left" and slug.startswith("right-"):
        return "left-" + slug.removeprefix("right-")
    return slug


@dataclass(frozen=True)
class Marker:
    """One trigger point to draw: its region and position as stored for the right side,
    the side to draw it on, and the number it has in a list beside the map (0: none)."""

    region: str
    view: str | None = None  # None: no position stored, drawn at the region's centre
    x: float = 0.0
    y: float = 0.0
    side: str = "right"
    number: int = 0
    name: str = ""
    muscle: str = ""  # the slug of its muscle, drawn under it (see anatomy.py)

    @property
    def slug(self) -> str:
        """The region it is drawn in, on its side."""
        return on_side(self.region, self.side)

    def point(self) -> Pt:
        if self.view is None:
            return anchor(self.slug)
        return position(self.view, self.x, self.y, self.side)


# --- rendering ----------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _names(slugs: Iterable[str]) -> str:
    return ", ".join(_lower_first(REGION_NAMES[s]) for s in slugs)


MarkerArg = str | Marker | Iterable[str | Marker] | None


def _as_list(marker: MarkerArg) -> list[str]:
    """One region slug, several, or none, as a list without repeats."""
    return list(dict.fromkeys(m.slug for m in _as_markers(marker)))


def _as_markers(marker: MarkerArg) -> list[Marker]:
    """Markers from region slugs (drawn at the region's centre) or Markers, without repeats."""
    if not marker:
        return []
    items = [marker] if isinstance(marker, str | Marker) else list(marker)
    markers = [Marker(region=m) if isinstance(m, str) else m for m in items if m]
    return list(dict.fromkeys(markers))


# A close-up frames the points and their muscle with this much room around them, and is
# never smaller than this, nor wider than tall by more than this ratio.
CLOSE_UP_MARGIN = 14.0
CLOSE_UP_MIN = (70.0, 80.0)
CLOSE_UP_RATIO = 1.2


def close_up_box(dots: Iterable[Pt], drawings: Iterable["Drawing"]) -> str:
    """The viewBox of a close-up: the points and every outline of their muscle's drawing."""
    points = list(dots)
    for d in drawings:
        for outline in (*d.outlines, *d.tendons):
            points += polygon(outline)
    if not points:
        return VIEWBOX
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    width = max(max(xs) - min(xs) + 2 * CLOSE_UP_MARGIN, CLOSE_UP_MIN[0])
    height = max(max(ys) - min(ys) + 2 * CLOSE_UP_MARGIN, CLOSE_UP_MIN[1])
    width = max(width, height / CLOSE_UP_RATIO)
    height = max(height, width / CLOSE_UP_RATIO)
    return " ".join(num(v) for v in (cx - width / 2, cy - height / 2, width, height))


LABEL_GAP = MARKER_RADIUS + 6.4  # from a dot's centre to its number's centre
LABEL_CLEAR = 9.0  # a number this far from every other dot and number reads as its own
# Three or more points on one figure (a muscle's overview) are drawn smaller, with smaller
# numbers, so the muscle under them still shows.
CROWDED = 3
SMALL_MARKER_RADIUS = 3.0
SMALL_LABEL_GAP = SMALL_MARKER_RADIUS + 4.6
SMALL_LABEL_CLEAR = 6.6


def _label_spot(
    dot: Pt,
    midline: float,
    dots: list[Pt],
    labels: list[Pt],
    gap: float = LABEL_GAP,
    clear: float = LABEL_CLEAR,
) -> Pt:
    """Where a dot's number goes: beside it, away from the spine if that is clear of the
    other dots and numbers, else the clearest of eight places around it."""
    outward = 1.0 if dot[0] >= midline else -1.0
    # Preferred first: out, out and up, out and down, up, down, in and up, in and down, in.
    directions = [(1, 0), (1, -1), (1, 1), (0, -1), (0, 1), (-1, -1), (-1, 1), (-1, 0)]
    others = [p for p in dots if p != dot] + labels
    best: tuple[float, Pt] | None = None
    for dx, dy in directions:
        norm = math.hypot(dx, dy)
        spot = (
            dot[0] + outward * dx / norm * gap,
            dot[1] + dy / norm * gap,
        )
        room = min((math.dist(spot, p) for p in others), default=math.inf)
        if room >= clear:
            return spot
        if best is None or room > best[0]:
            best = (room, spot)
    assert best is not None
    return best[1]


def describe(
    zones: Mapping[str, str],
    marked: Iterable[str] = (),
    marker: MarkerArg = None,
    muscles: Iterable[str] = (),
) -> str:
    """The map's content in words, for its <desc>; `muscles`: the names of those drawn."""
    sentences = []
    if muscles := list(muscles):
        label = "Muscle drawn" if len(muscles) == 1 else "Muscles drawn"
        sentences.append(f"{label}: {', '.join(muscles)}.")
    groups = [
        f"{_names(s for s, kind in zones.items() if kind == k)} ({k})"
        for k in ZONE_KINDS
        if k in zones.values()
    ]
    if groups:
        sentences.append("Commonly refers pain to: " + "; ".join(groups) + ".")
    if markers := _as_list(marker):
        label = "Trigger point" if len(markers) == 1 else "Trigger points"
        sentences.append(f"{label}: {_names(markers)}.")
    marked = list(marked)
    if marked:
        sentences.append(f"Marked: {_names(marked)}.")
    return " ".join(sentences) or "No regions are shaded."


# Ids of the shapes every map on a page shares (see shapes_context()).
SHAPE_ID = "bm-shape-{slug}"
FIGURE_ID = "bm-figure-{view}"
HATCH_ID = "bm-hatch"


@cache
def shapes_context() -> dict:
    """The drawing every map shares: both figures (with their labels and L/R badges),
    one outline per region and the spillover stripes. A page draws them once, inside
    its first map's <defs>; every map then places them with <use>, so a page of
    seven maps carries one set of shapes instead of seven."""
    figures = []
    for view, offset in VIEW_OFFSET.items():
        near, far = ("L", "R") if view == "back" else ("R", "L")
        figures.append(
            {
                "id": FIGURE_ID.format(view=view),
                "key": view,
                "label": VIEW_LABELS[view],
                "x": num(MIDLINE[view]),
                "silhouette": SILHOUETTES[view],
                "hair": HAIR[view],
                "details": DETAILS[view],
                "sides": [
                    {"letter": near, "x": num(offset + 30)},
                    {"letter": far, "x": num(offset + VIEW_WIDTH - 30)},
                ],
            }
        )
    return {
        "figures": figures,
        "regions": [
            {"id": SHAPE_ID.format(slug=slug), "d": SHAPES[slug].d} for slug in REGION_SLUGS
        ],
        "hatch_id": HATCH_ID,
        "navel": {"x": num(NAVEL[0]), "y": num(NAVEL[1])},
    }


def muscle_drawings(marker: MarkerArg = None, muscles: Iterable[str] = ()) -> list["Drawing"]:
    """The muscle drawings a map shows (anatomy.Drawing): each marker's muscle on the
    marker's side (both for a sheet across the midline, anatomy.WHOLE), and each of
    `muscles` on both sides, on every view it lies on."""
    # anatomy draws with this module's geometry toolkit, so it is imported where used.
    from backtp.catalog import anatomy

    wanted = []
    for m in _as_markers(marker):
        if m.muscle in anatomy.WHOLE:
            wanted += [(m.muscle, "right"), (m.muscle, "left")]
        elif m.muscle:
            wanted.append((m.muscle, m.side))
    for slug in muscles:
        if not anatomy.views_of(slug):
            raise ValueError(f"no drawing of the muscle {slug!r}")
        wanted += [(slug, "right"), (slug, "left")]
    return [
        anatomy.drawing(slug, view, side)
        for slug, side in dict.fromkeys(wanted)
        for view in anatomy.views_of(slug)
    ]


def _muscle_def(drawing: "Drawing") -> dict:
    return {
        "id": drawing.id,
        "flesh": drawing.flesh,
        "tendons": drawing.tendons,
        "fibres": " ".join(drawing.fibres),
        "tendon_fibres": " ".join(drawing.tendon_fibres),
        "bands": " ".join(drawing.bands),
    }


def render_context(
    *,
    zones: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    marked: Iterable[str] = (),
    marker: MarkerArg = None,
    muscles: Iterable[str] = (),
    id_prefix: str = "",
    label: str = "",
    interactive: bool = False,
    legend: bool = True,
    with_shapes: bool = True,
    define_muscles: Iterable[str] | None = None,
    close_up: bool = False,
) -> dict:
    """Everything templates/catalog/_bodymap.html needs to draw one map.

    `close_up`: show only the part of the figure around the points and their muscle,
    enlarged (see close_up_box), so points a few millimetres apart can be told apart.

    `marker`: the trigger points to draw, as Markers (each at its own position) or
    region slugs (a dot at the region's centre). A Marker's muscle is drawn under it.
    `muscles`: slugs of muscles to draw on both sides, with or without points.
    `with_shapes=False` leaves out the shared shapes and `define_muscles` lists the ids
    of the muscle drawings to define (None: all this map shows): only for maps that
    share a document (the {% body_map %} tag decides).
    """
    from backtp.catalog.anatomy import MUSCLE_NAMES

    zones = dict(zones or {})
    marked_set = set(marked or ())
    markers = _as_list(marker)
    for slug in [*zones, *marked_set, *markers]:
        _shape(slug)
    for slug, kind in zones.items():
        if kind not in ZONE_KINDS:
            raise ValueError(f"zone kind for {slug!r} must be one of {ZONE_KINDS}, not {kind!r}")
    # Keep the canonical order for the text, whatever the set's order.
    marked_list = [s for s in REGION_SLUGS if s in marked_set]
    drawings = muscle_drawings(marker, muscles)
    defined = None if define_muscles is None else set(define_muscles)
    muscle_defs = [_muscle_def(d) for d in drawings if defined is None or d.id in defined]
    # In lower case, like the regions in the text: "Muscle: quadratus lumborum".
    muscle_names = [
        _lower_first(MUSCLE_NAMES.get(s, s)) for s in dict.fromkeys(d.muscle for d in drawings)
    ]

    views = []
    for view in VIEW_OFFSET:
        regions = []
        for slug in REGION_SLUGS:
            if SHAPES[slug].view != view:
                continue
            classes = ["region"]
            if slug in zones:
                classes.append(f"zone-{zones[slug]}")
            if slug in marked_set:
                classes.append("is-marked")
            regions.append(
                {
                    "slug": slug,
                    "id": f"{id_prefix}{slug}",
                    "shape": SHAPE_ID.format(slug=slug),
                    "name": REGION_NAMES[slug],
                    "classes": " ".join(classes),
                    "hatched": zones.get(slug) == "spillover",
                }
            )
        views.append(
            {
                "key": view,
                "figure": FIGURE_ID.format(view=view),
                "regions": regions,
                "muscles": [d.id for d in drawings if d.view == view],
            }
        )

    placed = _as_markers(marker)
    dots = [m.point() for m in placed]
    small = len(placed) >= CROWDED
    radius, gap, clear = (
        (SMALL_MARKER_RADIUS, SMALL_LABEL_GAP, SMALL_LABEL_CLEAR)
        if small
        else (MARKER_RADIUS, LABEL_GAP, LABEL_CLEAR)
    )
    labels: list[Pt] = []
    markers_ctx = []
    for m, (mx, my) in zip(placed, dots, strict=True):
        title = "Trigger point" + (f" {m.number}" if m.number else "")
        lx, ly = mx, my
        if m.number:
            view_midline = MIDLINE[SHAPES[m.slug].view]
            lx, ly = _label_spot((mx, my), view_midline, dots, labels, gap, clear)
            labels.append((lx, ly))
        markers_ctx.append(
            {
                "x": num(mx),
                "y": num(my),
                "r": num(radius),
                "halo": num(radius + 2.4),
                "small": small,
                "slug": m.slug,
                "title": f"{title}: {m.name}" if m.name else title,
                "number": m.number,
                "label_x": num(lx),
                "label_y": num(ly + (3 if small else 4)),  # the baseline, for a centre at ly
            }
        )

    return {
        "viewbox": close_up_box(dots, drawings) if close_up else VIEWBOX,
        "close_up": close_up,
        "id_prefix": id_prefix,
        "title_id": f"{id_prefix}bodymap-title",
        "desc_id": f"{id_prefix}bodymap-desc",
        "hatch_id": HATCH_ID,
        "shapes": shapes_context() if with_shapes else None,
        "label": label or "Body map, seen from the back and from the front",
        "desc": describe(zones, marked_list, markers, muscle_names),
        "views": views,
        "markers": markers_ctx,
        "muscle_defs": muscle_defs,
        "muscle_names": muscle_names,
        "interactive": interactive,
        "legend": legend and bool(zones or markers or muscle_names),
        "has_essential": "essential" in zones.values(),
        "has_spillover": "spillover" in zones.values(),
        "has_marked": bool(marked_set),
    }
