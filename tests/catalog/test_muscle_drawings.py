"""Each muscle is drawn on the figure (issue 15, item 2).

The drawings are data (backtp.catalog.anatomy): these tests hold them to the figure,
to the trigger points of the catalogue and to the anatomy (which way the fibres run),
and check that every map with a muscle's points draws the muscle under them.
"""

import json
import math
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from backtp.catalog import anatomy, bodymap
from backtp.catalog.anatomy import MUSCLES, drawing, views_of
from backtp.catalog.bodymap import (
    MIDLINE,
    SILHOUETTES,
    Marker,
    contains,
    polygon,
    position,
    render_context,
)

ROOT = Path(__file__).resolve().parents[2]
CSS = ROOT / "static" / "css" / "bodymap.css"
# A marker's centre this far inside its muscle reads as on it (a dot is 9.2 units across).
ON_MUSCLE = 1.0


def fixture_rows(model: str) -> list[dict]:
    return [
        row["fields"]
        for path in sorted((ROOT / "fixtures" / "muscles").glob("*.json"))
        for row in json.loads(path.read_text(encoding="utf-8"))
        if row["model"] == model
    ]


POINTS = fixture_rows("catalog.triggerpoint")
MUSCLE_SLUGS = [f["slug"] for f in fixture_rows("catalog.muscle")]
DRAWINGS = [
    drawing(muscle, view, side)
    for muscle in MUSCLES
    for view in views_of(muscle)
    for side in ("right", "left")
]


def distance_to_edge(poly: list[tuple[float, float]], p: tuple[float, float]) -> float:
    best = math.inf
    for a, b in zip(poly, poly[1:] + poly[:1], strict=True):
        dx, dy = b[0] - a[0], b[1] - a[1]
        t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy))
    return best


def inside(poly: list[tuple[float, float]], p: tuple[float, float], by: float = 0.0) -> bool:
    return contains(poly, p) and distance_to_edge(poly, p) >= by


# --- the drawings against the catalogue and the figure ---------------------------------


def test_every_muscle_of_the_catalogue_has_a_drawing_on_its_points_views():
    assert len(MUSCLE_SLUGS) == 11
    assert set(MUSCLES) == set(MUSCLE_SLUGS)
    for f in POINTS:
        assert f["view"] in views_of(f["muscle"][0]), f["slug"]
    assert views_of("iliopsoas") == ("front",)
    assert views_of("rectus-abdominis") == ("front",)
    assert views_of("soleus") == ("back",)


@pytest.mark.parametrize("point", POINTS, ids=[f["slug"] for f in POINTS])
def test_every_trigger_point_lies_inside_its_muscle(point):
    where = position(point["view"], point["x"], point["y"])
    outlines = drawing(point["muscle"][0], point["view"]).outlines
    assert any(inside(polygon(d), where, ON_MUSCLE) for d in outlines), where


def test_a_point_off_its_muscle_is_caught():
    # The check above can fail: a QL point moved onto the spine is outside the QL.
    outlines = drawing("quadratus-lumborum", "back").outlines
    assert not any(inside(polygon(d), position("back", 101, 190)) for d in outlines)


@pytest.mark.parametrize("d", DRAWINGS, ids=[x.id for x in DRAWINGS])
def test_every_drawing_lies_inside_the_figure(d):
    body = polygon(SILHOUETTES[d.view][0])
    for shape in d.outlines + d.tendons:
        for p in polygon(shape):
            assert inside(body, p, 0.5), (d.id, p)


@pytest.mark.parametrize("d", DRAWINGS, ids=[x.id for x in DRAWINGS])
def test_fibres_lie_inside_their_muscles_outline(d):
    shapes = [polygon(s) for s in d.outlines + d.tendons]
    assert d.fibres
    for line in d.fibres + d.tendon_fibres + d.bands:
        for p in polygon(line):
            assert any(contains(shape, p) for shape in shapes), (d.id, p)


@pytest.mark.parametrize("muscle", list(MUSCLES))
def test_the_left_side_mirrors_the_right(muscle):
    for view in views_of(muscle):
        right, left = drawing(muscle, view, "right"), drawing(muscle, view, "left")
        for kind in ("outlines", "tendons", "fibres", "tendon_fibres", "bands"):
            for r, mirror in zip(getattr(right, kind), getattr(left, kind), strict=True):
                mirrored = [(2 * MIDLINE[view] - x, y) for x, y in polygon(r)]
                assert all(
                    math.dist(a, b) < 0.15 for a, b in zip(mirrored, polygon(mirror), strict=True)
                ), (muscle, view, kind)


def test_each_side_lies_on_its_own_half_of_the_view():
    for d in DRAWINGS:
        xs = [x for shape in d.outlines for x, _ in polygon(shape)]
        mid = sum(xs) / len(xs) - MIDLINE[d.view]
        # The person's right: the viewer's right from behind, the viewer's left from the front.
        on_viewers_right = (d.side == "right") == (d.view == "back")
        assert (mid > 0) == on_viewers_right, d.id


def direction(muscle: str, part: int = 0) -> tuple[float, float]:
    """The mean way a part's fibres run, from origin to insertion, for the right side
    from behind (x grows to the person's right, y downwards)."""
    lines = anatomy.fibres(MUSCLES[muscle][views_of(muscle)[0]][part])
    dx = sum(line[-1][-1][0] - line[0][1][0] for line in lines) / len(lines)
    dy = sum(line[-1][-1][1] - line[0][1][1] for line in lines) / len(lines)
    return dx, dy


def spread(points: tuple[tuple[float, float], ...]) -> float:
    return math.dist(points[0], points[-1])


def test_the_fibres_run_the_way_the_atlases_draw_them():
    # Erector spinae: long vertical columns, up from the sacrum and the iliac crest.
    for part in range(3):
        dx, dy = direction("erector-spinae", part)
        assert dy < -50 and abs(dx) < abs(dy) / 8
    # Multifidus: short bundles up and in towards the spinous processes.
    dx, dy = direction("multifidus")
    assert dx < -3 and dy < -5 and math.hypot(dx, dy) < 25
    # Gluteus maximus: down and out from the sacrum and coccyx to the femur and IT band.
    dx, dy = direction("gluteus-maximus")
    assert dx > 20 and dy > 10
    # Gluteus medius and minimus: fans converging on the greater trochanter, out and down.
    for fan in ("gluteus-medius", "gluteus-minimus"):
        rows = MUSCLES[fan]["back"][0].rows
        assert spread(rows[-1]) < spread(rows[0]) / 2
        dx, dy = direction(fan)
        assert dx > 0 and dy > 0
    # Piriformis: out from the sacrum to the trochanter, narrowing to its tendon.
    dx, dy = direction("piriformis")
    assert dx > 25 and abs(dy) < dx / 2
    rows = MUSCLES["piriformis"]["back"][0].rows
    assert spread(rows[-1]) < spread(rows[0]) / 2
    # Quadratus lumborum: up from the iliac crest to the 12th rib.
    dx, dy = direction("quadratus-lumborum")
    assert dy < -20 and abs(dx) < 5
    # Soleus: down into the Achilles tendon, which ends on the heel.
    dx, dy = direction("soleus")
    assert dy > 30
    achilles = drawing("soleus", "back").tendons[0]
    assert bodymap.region_at("back", *max(polygon(achilles), key=lambda p: p[1])) == "right-heel"
    # Rectus abdominis: vertical from the pubis up to the ribs, with three bands.
    dx, dy = direction("rectus-abdominis")
    assert dy < -80 and abs(dx) < 10
    assert len(drawing("rectus-abdominis", "front").bands) == 3
    # Psoas: down beside the lumbar spine and out to the lesser trochanter.
    dx, dy = direction("iliopsoas", 0)
    assert dy > 60 and dx < 0


def test_muscles_sit_at_their_landmarks():
    def box(muscle: str) -> tuple[float, float, float, float]:
        d = drawing(muscle, views_of(muscle)[0])
        pts = [p for shape in d.outlines for p in polygon(shape)]
        xs = [x - bodymap.VIEW_OFFSET[d.view] for x, _ in pts]
        ys = [y for _, y in pts]
        return min(xs), max(xs), min(ys), max(ys)

    # Quadratus lumborum: between the 12th rib (T12 172) and the iliac crest (~208-216).
    x0, x1, y0, y1 = box("quadratus-lumborum")
    assert 170 < y0 < 178 and 206 < y1 < 220 and 106 < x0 < 110
    # Erector spinae: from the sacrum up past C7 (94), beside the spine.
    x0, x1, y0, y1 = box("erector-spinae")
    assert y0 < 94 and 235 < y1 < 250 and x0 > 100 and x1 < 126
    # Gluteus maximus: from beside the sacrum past the gluteal fold (~274).
    x0, x1, y0, y1 = box("gluteus-maximus")
    assert y1 > 280 and x0 < 105
    # Soleus: the calf, from below the knee (~360) to above the heel.
    x0, x1, y0, y1 = box("soleus")
    assert 365 < y0 < 390 and y1 < 450
    # Rectus abdominis: from the ribs above the navel (190) to the pubis.
    x0, x1, y0, y1 = box("rectus-abdominis")
    assert y0 < 150 and 245 < y1 < 256 and x1 < 100


# --- drawing them on the maps -----------------------------------------------------------


def use_hrefs(svg: str) -> list[str]:
    return re.findall(r'<use class="bodymap__muscle" href="#([^"]+)"', svg)


def svgs(html: str) -> list[str]:
    """The body maps of a page (not its icons)."""
    return re.findall(r'<svg class="bodymap__svg".*?</svg>', html, flags=re.S)


def test_a_marker_draws_its_muscle_under_it_with_a_legend_and_a_description():
    marker = Marker(region="right-calf", view="back", x=110, y=424, muscle="soleus")
    html = render_to_string("catalog/_bodymap.html", render_context(marker=[marker]))
    (svg,) = svgs(html)
    assert use_hrefs(svg) == ["bm-muscle-soleus-back-right"]
    assert svg.count('id="bm-muscle-soleus-back-right"') == 1
    # Over the regions, under the marker.
    assert (
        svg.index('class="region') < svg.index('class="bodymap__muscle"') < svg.index("tp-marker")
    )
    assert "Muscle drawn: soleus." in svg
    assert "Muscle: soleus</li>" in html


def test_a_marker_of_the_left_side_draws_the_left_muscle():
    marker = Marker(
        region="right-flank", view="back", x=131, y=181, side="left", muscle="quadratus-lumborum"
    )
    svg = svgs(render_to_string("catalog/_bodymap.html", render_context(marker=[marker])))[0]
    assert use_hrefs(svg) == ["bm-muscle-quadratus-lumborum-back-left"]


def test_the_pelvic_floor_is_drawn_whole_from_a_point_on_one_side():
    marker = Marker(region="coccyx", view="back", x=101.5, y=257, muscle="pelvic-floor")
    svg = svgs(render_to_string("catalog/_bodymap.html", render_context(marker=[marker])))[0]
    assert use_hrefs(svg) == [
        "bm-muscle-pelvic-floor-back-right",
        "bm-muscle-pelvic-floor-back-left",
    ]


def test_a_map_without_muscles_draws_none():
    html = render_to_string("catalog/_bodymap.html", render_context(marker="right-flank"))
    assert "bm-muscle" not in html and "Muscle" not in html


def test_maps_share_a_muscle_drawing_and_define_each_muscle_once():
    ql = Marker(region="right-flank", view="back", x=131, y=181, muscle="quadratus-lumborum")
    soleus = Marker(region="right-calf", view="back", x=110, y=424, muscle="soleus")
    page = Template(
        "{% load bodymap %}"
        '{% body_map marker=ql id_prefix="a-" %}'
        '{% body_map marker=ql id_prefix="b-" %}'
        '{% body_map marker=both id_prefix="c-" %}'
    ).render(Context({"ql": [ql], "both": [ql, soleus]}))
    first, second, third = svgs(page)
    assert page.count('id="bm-muscle-quadratus-lumborum-back-right"') == 1
    assert 'id="bm-muscle-quadratus-lumborum-back-right"' in first
    assert page.count('id="bm-muscle-soleus-back-right"') == 1
    assert 'id="bm-muscle-soleus-back-right"' in third
    assert " d=" not in second
    assert use_hrefs(second) == ["bm-muscle-quadratus-lumborum-back-right"]
    assert use_hrefs(third) == [
        "bm-muscle-quadratus-lumborum-back-right",
        "bm-muscle-soleus-back-right",
    ]
    # A second render (a page, then an htmx fragment) defines its muscles again.
    again = Template('{% load bodymap %}{% body_map marker=ql id_prefix="b-" %}').render(
        Context({"ql": [ql]})
    )
    assert 'id="bm-muscle-quadratus-lumborum-back-right"' in again


def test_the_tag_draws_a_muscle_without_points_on_both_sides():
    html = Template('{% load bodymap %}{% body_map muscles="piriformis" %}').render(Context())
    assert use_hrefs(html) == ["bm-muscle-piriformis-back-right", "bm-muscle-piriformis-back-left"]
    assert "tp-marker" not in html and "Muscle: piriformis</li>" in html
    with pytest.raises(ValueError, match="no drawing"):
        render_context(muscles=["deltoid"])


def test_every_new_colour_has_a_dark_mode_value():
    css = CSS.read_text(encoding="utf-8")
    light, dark = css.split("@media screen and (prefers-color-scheme: dark)", 1)
    dark = dark.split("\n}\n", 1)[0]
    used = set(re.findall(r"var\((--bm-(?:muscle|tendon)[\w-]*)\)", css))
    assert {"--bm-muscle", "--bm-muscle-line", "--bm-muscle-fibre", "--bm-tendon"} <= used
    for prop in used:
        assert re.search(rf"{prop}:", light), prop
        assert re.search(rf"{prop}:", dark), prop
    # No colours in the markup: the CSP forbids style attributes.
    html = render_to_string("catalog/_bodymap.html", render_context(muscles=["soleus"]))
    assert "style=" not in html and "fill=" not in html.split("</pattern>")[-1]


# --- the pages ----------------------------------------------------------------------------


def document_order(svg: str, *needles: str) -> list[int]:
    return [svg.index(n) for n in needles]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", MUSCLE_SLUGS)
def test_each_muscle_page_draws_its_muscle_once_and_every_map_shows_it(client, catalog, slug):
    html = client.get(f"/muscles/{slug}/").content.decode()
    maps = svgs(html)
    assert maps
    sides = ("right", "left") if slug in anatomy.WHOLE else ("right",)
    ids = [drawing(slug, view, side).id for view in views_of(slug) for side in sides]
    for i in ids:
        assert html.count(f'id="{i}"') == 1, i
        assert f'id="{i}"' in maps[0].split("</defs>")[0]
    both = [drawing(slug, view, side).id for view in views_of(slug) for side in ("right", "left")]
    for svg in maps:
        if 'id="zones-bodymap-title"' in svg:
            # The whole body beside the close-up, with where the points send pain: the
            # muscle on both sides, no points.
            assert sorted(use_hrefs(svg)) == sorted(both)
            assert all(html.count(f'id="{i}"') == 1 for i in both)
            continue
        assert use_hrefs(svg) == ids
        # Beneath every marker.
        assert svg.index('class="bodymap__muscle"') < svg.index('class="tp-marker')
    assert f"Muscle: {anatomy.MUSCLE_NAMES[slug][:1].lower()}" in html


@pytest.mark.django_db
def test_a_results_card_shows_its_points_muscle(person_client, catalog):
    from tests.guide.test_guide import complete

    response = complete(person_client, regions=("right-flank", "right-low-back"))
    html = person_client.get(response["Location"]).content.decode()
    cards = re.findall(r"<h2[^>]*>.*?</svg>", html, flags=re.S)
    assert cards
    for card in cards:
        (svg,) = svgs(card)
        hrefs = use_hrefs(svg)
        assert hrefs, card[:200]
        assert svg.index('class="bodymap__muscle"') < svg.index('class="tp-marker')
        muscle = re.fullmatch(r"bm-muscle-(.+)-(back|front)-(right|left)", hrefs[0])
        assert muscle and f'href="/muscles/{muscle.group(1)}/' in html
