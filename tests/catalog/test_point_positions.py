"""Each trigger point has its own position on the figure (issue 15, item 1).

A point's position is catalogue data (TriggerPoint.view, x, y: the right side, in its
view's own units). These tests hold the fixtures to the figure's regions and to the
landmarks, and check that every page draws a point where it lies.
"""

import json
import math
import re
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import Client

from backtp.catalog import bodymap
from backtp.catalog.bodymap import MIDLINE, SHAPES, Marker, contains, polygon, position
from backtp.catalog.models import Technique, TriggerPoint

SVG = "{http://www.w3.org/2000/svg}"
MUSCLES = Path(__file__).resolve().parents[2] / "fixtures" / "muscles"
# Closer than this, two dots of one muscle would read as one (a dot is 9.2 units across).
APART = 6.0


def fixture_points() -> dict[str, dict]:
    return {
        row["fields"]["slug"]: row["fields"]
        for path in sorted(MUSCLES.glob("*.json"))
        for row in json.loads(path.read_text(encoding="utf-8"))
        if row["model"] == "catalog.triggerpoint"
    }


POINTS = fixture_points()


def where(slug: str) -> tuple[float, float]:
    """A point's position on the whole drawing (right side)."""
    f = POINTS[slug]
    return position(f["view"], f["x"], f["y"])


def from_spine(slug: str) -> float:
    return abs(where(slug)[0] - MIDLINE[POINTS[slug]["view"]])


def markers(html: str) -> list[ET.Element]:
    svg_parts = re.findall(r"<svg class=\"bodymap__svg\".*?</svg>", html, flags=re.S)
    found = []
    for part in svg_parts:
        root = ET.fromstring(part)
        found += [
            el for el in root.iter(f"{SVG}circle") if "tp-marker" in el.get("class", "").split()
        ]
    return found


def centre(el: ET.Element) -> tuple[float, float]:
    return float(el.get("cx")), float(el.get("cy"))


# --- the catalogue data --------------------------------------------------------------


def test_every_point_has_a_position_on_its_regions_view():
    assert len(POINTS) == 31
    for slug, f in POINTS.items():
        (region,) = f["region"]
        assert f["view"] == SHAPES[region].view, slug
        assert 0 <= f["x"] <= bodymap.VIEW_WIDTH and 0 <= f["y"] <= bodymap.VIEWBOX_HEIGHT, slug


def test_every_point_lies_inside_its_regions_shape():
    for slug, f in POINTS.items():
        (region,) = f["region"]
        assert contains(polygon(SHAPES[region].d), where(slug)), (slug, region)
        assert bodymap.region_at(f["view"], f["x"], f["y"]) == region, slug


def test_positions_are_on_the_persons_right_side():
    # From behind the person's right is on the viewer's right; from the front, the left.
    for slug, f in POINTS.items():
        if f["region"][0] in ("sacrum", "coccyx", "lumbar-spine"):
            assert f["x"] >= 100, slug  # the right half of a midline region
        elif f["view"] == "back":
            assert f["x"] > 100, slug
        else:
            assert f["x"] < 100, slug


def test_no_two_points_of_one_muscle_share_a_position():
    by_muscle: dict[str, list[str]] = {}
    for slug, f in POINTS.items():
        by_muscle.setdefault(f["muscle"][0], []).append(slug)
    for muscle, slugs in by_muscle.items():
        for a, b in combinations(slugs, 2):
            assert math.dist(where(a), where(b)) >= APART, (muscle, a, b)


def test_positions_follow_the_landmarks():
    def y(slug: str) -> float:
        return where(slug)[1]

    # Quadratus lumborum: rib, middle, crest, each outer point further from the spine.
    for level in ("upper", "middle", "lower"):
        assert from_spine(f"ql-{level}-lateral") > from_spine(f"ql-{level}-medial") + 8
    for side in ("lateral", "medial"):
        assert y(f"ql-upper-{side}") < y(f"ql-middle-{side}") < y(f"ql-lower-{side}")
    assert 172 < y("ql-upper-lateral") < 186  # just under the 12th rib (about 172-177)
    assert 198 < y("ql-lower-lateral") < 209  # just above the crest (about 208)
    # Multifidus: L1 high, L4-L5 at the crests, S1 on the sacrum.
    assert y("mf-l1") < y("mf-l4-l5") < y("mf-s1")
    assert POINTS["mf-s1"]["region"] == ["sacrum"]
    # Soleus: high in the calf, then near the Achilles tendon.
    assert y("soleus-upper") + 25 < y("soleus-lower")
    # Piriformis: the outer point towards the hip, the inner one towards the sacrum.
    assert from_spine("piri-lateral") > from_spine("piri-medial") + 6
    # Iliopsoas: psoas beside the navel, iliacus further out, inside the hip crest.
    assert math.dist(where("psoas-navel"), bodymap.NAVEL) < 22
    assert from_spine("iliacus-hip-crest") > from_spine("psoas-navel") + 8
    # Gluteus medius: TrP1 by the PSIS, TrP2 further out under the crest, TrP3 the
    # outer hip; the overlap point lower down, beside the sacrum.
    assert from_spine("gmed-trp1") < from_spine("gmed-trp2") < from_spine("gmed-trp3")
    assert y("gmed-overlap") > y("gmed-trp1") + 8
    assert from_spine("gmed-overlap") < from_spine("gmed-trp2")
    # Erector spinae: from the neck down to the base of the lumbar spine.
    assert y("es-cervicothoracic") < y("es-thoracolumbar") < y("es-lumbosacral")


# --- the admin -----------------------------------------------------------------------


def test_the_admin_shows_and_edits_the_position(catalog, admin_client: Client) -> None:
    point = TriggerPoint.objects.get(slug="ql-upper-lateral")
    change = admin_client.get(f"/admin/catalog/triggerpoint/{point.pk}/change/").content.decode()
    for field in ("view", "x", "y"):
        assert f'name="{field}"' in change, field
    assert 'value="131.0"' in change
    listing = admin_client.get("/admin/catalog/triggerpoint/").content.decode()
    assert "column-x" in listing and "column-y" in listing
    muscle = admin_client.get(f"/admin/catalog/muscle/{point.muscle.pk}/change/").content.decode()
    assert 'name="trigger_points-0-x"' in muscle and 'name="trigger_points-0-view"' in muscle


def test_a_position_outside_its_region_is_refused(catalog) -> None:
    point = TriggerPoint.objects.get(slug="ql-upper-lateral")
    point.x, point.y = 114, 181  # the low back, not the flank
    with pytest.raises(ValidationError, match="outside right flank"):
        point.full_clean()
    point.view = "front"
    with pytest.raises(ValidationError):
        point.full_clean()
    point.view, point.x, point.y = "back", 131, None
    with pytest.raises(ValidationError, match="or neither"):
        point.full_clean()


# --- the pages -----------------------------------------------------------------------


def test_the_muscle_page_draws_each_point_at_its_own_position(client: Client, catalog) -> None:
    html = client.get("/muscles/quadratus-lumborum/").content.decode()
    drawn = [centre(el) for el in markers(html)]
    slugs = list(
        TriggerPoint.objects.filter(muscle__slug="quadratus-lumborum").values_list(
            "slug", flat=True
        )
    )
    # the overview numbers all six in list order, then each point's own figure draws it
    assert len(drawn) == 2 * len(slugs) == 12
    overview, own = drawn[:6], drawn[6:]
    for slug, dot in zip(slugs, overview, strict=True):
        assert dot == pytest.approx(where(slug), abs=0.051), slug
    assert own == overview
    outer = [where(f"ql-{level}-lateral") for level in ("upper", "middle", "lower")]
    assert all(math.dist(a, b) >= APART for a, b in combinations(outer, 2))


def test_the_technique_page_numbers_its_points_as_its_list_does(client: Client, catalog) -> None:
    techniques = [t for t in Technique.objects.all() if t.trigger_points.count() >= 3]
    assert techniques
    for technique in techniques:
        html = client.get(technique.get_absolute_url()).content.decode()
        points = list(technique.trigger_points.all())
        dots = markers(html)
        assert [centre(el) for el in dots] == [
            pytest.approx(where(p.slug), abs=0.051) for p in points
        ], technique.slug
        titles = [el.find(f"{SVG}title").text for el in dots]
        assert titles == [f"Trigger point {n}: {p.name}" for n, p in enumerate(points, 1)]
        numbers = re.findall(r'class="[^"]*tp-marker-number[^"]*"[^>]*>(\d+)</text>', html)
        assert numbers == [str(n) for n in range(1, len(points) + 1)]
        listed = re.search(r'<ol class="point-list">(.*?)</ol>', html, flags=re.S).group(1)
        names = re.findall(r"<li><a [^>]*>[^<]*: ([^<]*)</a></li>", listed)
        assert names == [p.name for p in points], technique.slug


def render_marker(marker) -> list[ET.Element]:
    html = Template('{% load bodymap %}{% body_map marker=marker id_prefix="t-" %}').render(
        Context({"marker": marker})
    )
    return markers(html)


@pytest.mark.parametrize("slug", ["ql-lower-lateral", "psoas-navel", "mf-s1"])
def test_the_left_side_is_the_mirror_image(catalog, slug: str) -> None:
    point = TriggerPoint.objects.get(slug=slug)
    both = Template(
        '{% load bodymap %}{% body_map marker=point|point_markers:"both" id_prefix="t-" %}'
    ).render(Context({"point": point}))
    right, left = markers(both)
    mid = MIDLINE[point.view]
    assert centre(right) == pytest.approx(where(slug), abs=0.051)
    assert centre(left) == pytest.approx((2 * mid - where(slug)[0], where(slug)[1]), abs=0.051)
    region = point.region.slug
    assert left.get("data-region") == region.replace("right-", "left-")
    assert right.get("data-region") == region


def test_a_point_without_a_position_is_drawn_at_its_regions_centre():
    (dot,) = render_marker(Marker(region="right-flank"))
    assert centre(dot) == bodymap.anchor("right-flank")
    (dot,) = render_marker("right-flank")
    assert centre(dot) == bodymap.anchor("right-flank")


def test_the_results_cards_draw_each_point_at_its_own_position(client: Client, catalog) -> None:
    from tests.guide.test_guide import complete

    response = complete(client, regions=("right-flank", "right-lateral-hip", "left-flank"))
    html = client.get(response["Location"]).content.decode()
    # Each card: its heading's link names the point; its map comes before "Why this point".
    cards = [c.split("<h3>Why this point")[0] for c in html.split('class="suggestion card"')[1:]]
    assert cards
    sides_seen = set()
    for card in cards:
        slug = re.search(r'href="/muscles/[^/"]+/#([^"]+)"', card).group(1)
        f = POINTS[slug]
        right = where(slug)
        left = (2 * MIDLINE[f["view"]] - right[0], right[1])
        side = re.search(r"On (?:your )?(right side|left side|both sides)", card).group(1)
        sides_seen.add(side)
        expected = {"right side": [right], "left side": [left], "both sides": [right, left]}[side]
        drawn = sorted((round(x, 1), round(y, 1)) for x, y in map(centre, markers(card)))
        assert drawn == sorted((round(x, 1), round(y, 1)) for x, y in expected), slug
    assert "both sides" in sides_seen


# --- the close-up on a muscle's page -----------------------------------------------------


def test_a_close_up_frames_every_point_and_its_muscle_enlarged() -> None:
    from backtp.catalog.anatomy import drawing

    for muscle, view in [("quadratus-lumborum", "back"), ("iliopsoas", "front")]:
        dots = [where(slug) for slug, f in POINTS.items() if f["muscle"] == [muscle]]
        assert dots
        muscle_drawing = drawing(muscle, view)
        x, y, width, height = map(float, bodymap.close_up_box(dots, [muscle_drawing]).split())
        outline = [p for d in muscle_drawing.outlines for p in bodymap.polygon(d)]
        for px, py in dots + outline:
            assert x <= px <= x + width and y <= py <= y + height, (muscle, px, py)
        # at least twice as large as the whole figure shows it, and never a sliver
        assert width <= bodymap.VIEW_WIDTH / 2
        ratio = bodymap.CLOSE_UP_RATIO + 0.01  # the box is written to a tenth of a unit
        assert 1 / ratio <= width / height <= ratio


def test_the_muscle_page_numbers_its_points_on_a_close_up(client: Client, catalog) -> None:
    html = client.get("/muscles/quadratus-lumborum/").content.decode()
    close_up = re.search(
        r'<div class="bodymap bodymap--close-up">\s*<svg[^>]*viewBox="([^"]+)"', html
    )
    assert close_up, "no close-up on the muscle page"
    x, y, width, height = map(float, close_up[1].split())
    overview = markers(html)[:6]
    assert len(overview) == 6
    for dot in overview:
        cx, cy = centre(dot)
        assert x <= cx <= x + width and y <= cy <= y + height
    # the whole body is drawn beside it, with where the points send pain and the muscle
    assert 'id="zones-bodymap-title"' in html
