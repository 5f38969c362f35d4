"""The muscles on the body map: each muscle's shape as data, drawn by a small generator.

A muscle is one or more parts on each view of the figure where it lies. A part is a
band of fibres given by its cross-sections ("rows") from origin to insertion: the
first row is the origin (a line of attachment points), the last the insertion, any
rows between shape the belly. Each row runs across the band from one border to the
other, always in the same direction. The outline is the smooth closed path through
the first row, the far ends of the rows, the last row backwards and the near ends
backwards; a fibre joins the points at the same fraction along every row, so the
fibres run the way the muscle's do (parallel, fanned out or converging on a tendon).
A row of a single point is a tendon's apex, where the fibres meet.

Coordinates are a view's own units for the person's RIGHT side, like a trigger point's
stored position (bodymap.position): 200 across, midline 100, 0-488 down; from behind
the right side is x > 100, from the front x < 100. The left side is the mirror image.
Figure landmarks: C7 ~94, T7 142, T12 172, L1-L5 172-222 (10 each), sacrum 222-250,
coccyx to 268, iliac crest ~208-211 at the side, greater trochanter ~(146, 250) from
behind, gluteal fold ~274, knee ~360, heel ~478.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from backtp.catalog.bodymap import VIEW_OFFSET, VIEW_WIDTH, Pt, Seg, _Curve, _path, _reverse

MUSCLE_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "muscles"
DRAWING_ID = "bm-muscle-{muscle}-{view}-{side}"
FIBRE_INSET = 0.7  # fibres stop this short of the outline, so they read as inside it


@dataclass(frozen=True)
class Part:
    """One band of a muscle: its rows from origin to insertion (see the module docstring)."""

    rows: tuple[tuple[Pt, ...], ...]
    fibres: int = 5
    bands: tuple[int, ...] = ()  # rows drawn across the muscle: tendinous intersections
    tendon: bool = False  # a tendon or aponeurosis, drawn paler than the flesh


def part(*rows: tuple[Pt, ...], fibres: int = 5, bands: tuple[int, ...] = ()) -> Part:
    return Part(rows=tuple(rows), fibres=fibres, bands=bands)


def tendon(*rows: tuple[Pt, ...], fibres: int = 3) -> Part:
    return Part(rows=tuple(rows), fibres=fibres, tendon=True)


# --- the muscles, for the person's right side --------------------------------------------

MUSCLES: dict[str, dict[str, tuple[Part, ...]]] = {
    # Long columns beside the spine from the sacrum and iliac crest up to the neck:
    # spinalis next to the spinous processes, longissimus, and iliocostalis out to the
    # angles of the ribs. One mass in the low back, three columns above it.
    "erector-spinae": {
        "back": (
            part(  # longissimus
                ((102.2, 242), (104.5, 243.5), (107.5, 241.5)),
                ((101.8, 222), (106.5, 221), (111.5, 218)),
                ((102, 200), (113, 199)),
                ((103.2, 176), (113, 176)),
                ((104.3, 142), (112, 142)),
                ((103.4, 106), (109, 106)),
                ((104.6, 86), (107.2, 86)),
                fibres=5,
            ),
            part(  # iliocostalis
                ((111.5, 232), (114, 222.5), (118, 214)),
                ((113, 199), (122.5, 197)),
                ((113, 176), (124.5, 176)),
                ((112, 142), (121, 142)),
                ((109, 108), (114, 108)),
                ((108.3, 93), (110.3, 93)),
                fibres=4,
            ),
            part(  # spinalis: a spindle beside the thoracic spinous processes
                ((101.2, 192), (101.8, 192)),
                ((101.2, 150), (104.3, 150)),
                ((101.2, 106), (101.8, 106)),
                fibres=2,
            ),
        ),
    },
    # In the groove beside the spinous processes, sacrum to neck; short bundles run up
    # and in from the sacrum and the transverse processes to spinous processes 2-4
    # levels higher. Thickest in the low back.
    "multifidus": {
        "back": (
            part(
                # From the sacrum and the mammillary processes (origin, bottom to top)...
                (
                    (102, 252),
                    (106.5, 247),
                    (110.5, 236),
                    (112.5, 222),
                    (113, 207),
                    (112, 190),
                    (110.5, 175),
                    (108.5, 158),
                    (107, 138),
                    (106, 116),
                    (105.2, 100),
                ),
                # ...to the spinous processes a few levels up (insertion, bottom to top).
                ((101.2, 238), (101.2, 215), (101.2, 195), (101.2, 176), (101.2, 88)),
                fibres=18,
            ),
        ),
    },
    # From the iliac crest and iliolumbar ligament up to the 12th rib and the tips of
    # the lumbar transverse processes; deep, under the erector spinae.
    "quadratus-lumborum": {
        "back": (
            part(
                ((108.6, 216.5), (116, 212.5), (125, 210), (133.5, 208.6)),  # iliac crest
                ((108.2, 196), (116, 195), (124, 194.5), (132, 194.5)),
                ((108, 175), (117, 174.5), (126, 176.5), (134.5, 179.5)),  # 12th rib, TPs
                fibres=6,
            ),
        ),
    },
    # From the back of the sacrum and coccyx, the back of the ilium and the
    # sacrotuberous ligament, down and out to the iliotibial band and the gluteal
    # tuberosity of the femur: the big muscle of the buttock.
    "gluteus-maximus": {
        "back": (
            part(
                (
                    (117, 213),
                    (113.2, 224),
                    (110.6, 236),
                    (107.6, 248),
                    (104.2, 259),
                    (102.4, 268.5),
                ),
                ((130.5, 223.5), (128.5, 236), (126.5, 250), (123.5, 266), (120, 285)),
                ((144, 236.5), (145.2, 249), (144.8, 262), (142, 279), (137, 296)),
                fibres=9,
            ),
            tendon(  # the iliotibial band, which takes most of its fibres
                ((143.2, 252), (145.6, 254.5)),
                ((141.2, 300), (144.2, 300)),
                ((136.2, 345), (138.2, 345)),
            ),
        ),
    },
    # A fan from the outer ilium under the crest, converging on the greater trochanter.
    "gluteus-medius": {
        "back": (
            part(
                ((119.5, 241), (117.5, 228), (118, 216), (124, 211.8), (131, 210.4), (137, 211)),
                ((140.5, 255), (143.5, 250), (145, 245), (145.5, 240)),
                fibres=7,
            ),
        ),
    },
    # Under the gluteus medius: a smaller fan from the ilium between the gluteal lines
    # to the front of the greater trochanter.
    "gluteus-minimus": {
        "back": (
            part(
                ((123, 243), (124.5, 231), (130, 221), (137.5, 217.5)),
                ((139, 259), (142.5, 257), (145, 252), (146, 247)),
                fibres=6,
            ),
        ),
    },
    # From the front of the sacrum, out through the greater sciatic notch to the top of
    # the greater trochanter: pear-shaped, narrowing to its tendon.
    "piriformis": {
        "back": (
            part(
                ((110.2, 223.5), (109.3, 233), (108, 243.5)),
                ((118, 225.5), (118, 245)),
                ((130, 231.5), (131, 246.5)),
                ((142, 240.5), (143.6, 247)),
                fibres=6,
            ),
        ),
    },
    # Seen schematically from behind: coccygeus from the ischial spine to the edge of
    # the lower sacrum and coccyx; levator ani from the side wall of the pelvis to the
    # coccyx and the raphe behind the anus, meeting its partner at the midline.
    "pelvic-floor": {
        "back": (
            part(  # coccygeus
                ((113.5, 245.5), (115.5, 252)),
                ((104.6, 243.5), (100.3, 251)),
                fibres=3,
            ),
            part(  # levator ani
                ((115.5, 252), (117, 259), (116, 265), (112.5, 270)),
                ((100.3, 251), (100.3, 262), (100.3, 272.2)),
                fibres=6,
            ),
        ),
    },
    # Broad, under the calf: from the back of the fibula's head and the tibia's soleal
    # line down into the Achilles tendon, which ends on the heel bone.
    "soleus": {
        "back": (
            part(
                ((108.5, 397), (112, 389), (120, 381.5), (128.5, 377.5), (134.5, 379)),
                ((107, 410), (113, 409), (121, 406), (129, 403), (136, 397)),
                ((108.2, 428), (113, 430), (119, 430.5), (125, 429), (131.5, 422)),
                ((112.2, 445), (116, 446.5), (119.8, 445)),
                fibres=8,
            ),
            tendon(  # the Achilles tendon, to the heel bone
                ((112.8, 444), (119.2, 444)),
                ((113.6, 458), (118.4, 458)),
                ((113, 471), (119, 471)),
            ),
        ),
    },
    # Front view. From the pubic crest and symphysis up to the cartilages of ribs 5-7
    # and the xiphoid; three tendinous intersections, one at the navel.
    "rectus-abdominis": {
        "front": (
            part(
                ((99.3, 252), (92, 250)),
                ((99.3, 224), (87.5, 224)),
                ((99, 190), (91, 191.2), (82.2, 190)),
                ((98.7, 170), (89.5, 171.2), (80.2, 170)),
                ((98.4, 154), (89, 155), (79.4, 153.5)),
                ((98.2, 147), (89, 142), (79, 139)),
                fibres=6,
                bands=(2, 3, 4),
            ),
        ),
    },
    # Front view. Psoas major from the sides of the lumbar vertebrae (T12-L5) down over
    # the brim of the pelvis and under the inguinal ligament to the lesser trochanter;
    # iliacus a fan from the iliac fossa joining its tendon.
    "iliopsoas": {
        "front": (
            part(  # psoas major
                ((96, 172), (92.5, 173)),
                ((95.5, 190), (86, 191)),
                ((95, 207), (81.5, 209)),
                ((92, 224), (79.5, 224)),
                ((86.5, 240), (78.5, 238)),
                ((81.5, 253), (78, 251.5)),
                fibres=5,
            ),
            part(  # iliacus: its inner edge is the psoas's outer edge
                ((81.5, 209), (80, 202.5), (75, 200), (68.5, 202.5), (65.5, 209)),
                ((79.5, 224), (74, 228), (69.5, 222)),
                ((78.5, 238), (75.5, 240)),
                ((78, 251.5), (76.5, 251)),
                fibres=7,
            ),
        ),
    },
}


# Muscles that cross the midline as one sheet: a point on either side shows all of it.
WHOLE: frozenset[str] = frozenset({"pelvic-floor"})


# --- the generator -------------------------------------------------------------------------


def _smooth(points: tuple[Pt, ...] | list[Pt]) -> list[Seg]:
    return _Curve(*(("", x, y) for x, y in points)).span()


def _flatten(segs: list[Seg], steps: int = 12) -> list[Pt]:
    """Points along a chain of segments (L and cubic C)."""
    if not segs:
        return []
    pts: list[Pt] = [segs[0][1]]
    for s in segs:
        if s[0] == "L":
            pts.append(s[2])
            continue
        p0, c1, c2, p1 = s[1:]
        for k in range(1, steps + 1):
            t = k / steps
            u = 1 - t
            w = (u**3, 3 * u * u * t, 3 * u * t * t, t**3)
            pts.append(
                (
                    sum(wi * p[0] for wi, p in zip(w, (p0, c1, c2, p1), strict=True)),
                    sum(wi * p[1] for wi, p in zip(w, (p0, c1, c2, p1), strict=True)),
                )
            )
    return pts


def _along(points: list[Pt], t: float) -> Pt:
    """The point a fraction t of the way along a polyline."""
    if len(points) == 1:
        return points[0]
    lengths = [math.dist(a, b) for a, b in zip(points, points[1:], strict=False)]
    goal = t * sum(lengths)
    for (a, b), length in zip(zip(points, points[1:], strict=False), lengths, strict=True):
        if goal <= length and length > 0:
            f = goal / length
            return (a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]))
        goal -= length
    return points[-1]


def _toward(a: Pt, b: Pt, by: float) -> Pt:
    d = math.dist(a, b)
    if d <= 2 * by:
        return a
    return (a[0] + (b[0] - a[0]) * by / d, a[1] + (b[1] - a[1]) * by / d)


def _trimmed(points: list[Pt], by: float = FIBRE_INSET) -> list[Pt]:
    """A line's points with its ends moved in a little, off the outline."""
    return [_toward(points[0], points[1], by), *points[1:-1], _toward(points[-1], points[-2], by)]


def _signed_area(points: list[Pt]) -> float:
    pairs = zip(points, points[1:] + points[:1], strict=True)
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)


def outline(p: Part) -> list[Seg]:
    """A part's closed outline (see the module docstring), always turning the same way,
    so the parts of a muscle can share one fill without holes where they overlap."""
    rows = p.rows
    segs = [
        *_smooth(rows[0]),
        *_smooth([row[-1] for row in rows]),
        *_reverse(_smooth(rows[-1])),
        *_reverse(_smooth([row[0] for row in rows])),
    ]
    if _signed_area(_flatten(segs)) < 0:
        segs = _reverse(segs)
    return segs


def fibres(p: Part) -> list[list[Seg]]:
    """The part's fibre lines: each through the same fraction of every row."""
    rows = [_flatten(_smooth(row)) or [row[0]] for row in p.rows]
    lines = []
    for i in range(p.fibres):
        t = (i + 0.5) / p.fibres
        lines.append(_smooth(_trimmed([_along(row, t) for row in rows])))
    return lines


def bands(p: Part) -> list[list[Seg]]:
    return [_smooth(_trimmed(list(p.rows[i]), 0.5)) for i in p.bands]


def _mirror_local(segs: list[Seg]) -> list[Seg]:
    return [(s[0], *((VIEW_WIDTH - x, y) for x, y in s[1:])) for s in segs]


@dataclass(frozen=True)
class Drawing:
    """One muscle on one view and one side, as SVG path data on the whole drawing."""

    muscle: str
    view: str
    side: str
    outlines: tuple[str, ...]  # one closed path per fleshy part
    tendons: tuple[str, ...]  # one closed path per tendon
    fibres: tuple[str, ...]  # open paths, the fleshy parts' fibres
    tendon_fibres: tuple[str, ...]  # open paths
    bands: tuple[str, ...]  # open paths

    @property
    def id(self) -> str:
        return DRAWING_ID.format(muscle=self.muscle, view=self.view, side=self.side)

    @property
    def flesh(self) -> str:
        """Every fleshy part in one path: overlapping parts share one fill."""
        return " ".join(self.outlines)


def views_of(muscle: str) -> tuple[str, ...]:
    """The views a muscle is drawn on (none for a muscle with no drawing)."""
    return tuple(view for view in VIEW_OFFSET if view in MUSCLES.get(muscle, {}))


@cache
def drawing(muscle: str, view: str, side: str = "right") -> Drawing:
    try:
        parts = MUSCLES[muscle][view]
    except KeyError:
        raise ValueError(f"no drawing of {muscle!r} on the {view!r} view") from None
    if side not in ("right", "left"):
        raise ValueError(f"side must be 'right' or 'left', not {side!r}")
    offset = VIEW_OFFSET[view]

    def d(segs: list[Seg], close: bool = True) -> str:
        if side == "left":
            segs = _mirror_local(segs)
        return _path(segs, offset, close=close)

    return Drawing(
        muscle=muscle,
        view=view,
        side=side,
        outlines=tuple(d(outline(p)) for p in parts if not p.tendon),
        tendons=tuple(d(outline(p)) for p in parts if p.tendon),
        fibres=tuple(d(line, close=False) for p in parts if not p.tendon for line in fibres(p)),
        tendon_fibres=tuple(d(line, close=False) for p in parts if p.tendon for line in fibres(p)),
        bands=tuple(d(line, close=False) for p in parts for line in bands(p)),
    )


def _load_names() -> dict[str, str]:
    names = {}
    for path in sorted(MUSCLE_FIXTURES.glob("*.json")):
        for row in json.loads(path.read_text(encoding="utf-8")):
            if row["model"] == "catalog.muscle":
                names[row["fields"]["slug"]] = row["fields"]["name"]
    return names


MUSCLE_NAMES: dict[str, str] = _load_names()
