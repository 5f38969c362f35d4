"""The body map: geometry (backtp.catalog.bodymap), the partial and the {% body_map %} tag."""

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from django.template import Context, Engine, Template
from django.template.loader import render_to_string

from backtp.catalog import bodymap
from backtp.catalog.bodymap import (
    MIDLINE,
    REGION_SLUGS,
    SHAPES,
    SILHOUETTES,
    anchor,
    clearance,
    contains,
    polygon,
    render_context,
)

SVG = "{http://www.w3.org/2000/svg}"
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "regions.json"
REGIONS = {
    row["fields"]["slug"]: row["fields"]
    for row in json.loads(FIXTURE.read_text(encoding="utf-8"))
    if row["model"] == "catalog.bodyregion"
}
QL = {
    "right-flank": "essential",
    "right-groin": "spillover",
    "right-lower-abdomen": "spillover",
}


def render(**kwargs) -> str:
    return render_to_string("catalog/_bodymap.html", render_context(**kwargs))


def parse(html: str) -> ET.Element:
    return ET.fromstring(f"<root>{html}</root>")


def region_paths(root: ET.Element) -> list[ET.Element]:
    """Each region as the map places it: a <use> of a shared outline."""
    return [el for el in root.iter(f"{SVG}use") if "region" in el.get("class", "").split()]


def outline(root: ET.Element, use: ET.Element) -> str:
    """The path data a <use> draws, looked up by its href in the same document."""
    target = use.get("href").removeprefix("#")
    (shape,) = [el for el in root.iter(f"{SVG}path") if el.get("id") == target]
    return shape.get("d")


def ids(root: ET.Element) -> list[str]:
    return [el.get("id") for el in root.iter() if el.get("id") is not None]


def test_the_fixture_has_the_35_canonical_regions():
    assert len(REGIONS) == 35
    assert set(REGION_SLUGS) == set(REGIONS)
    assert set(SHAPES) == set(REGIONS)


def test_every_region_has_exactly_one_shape():
    root = parse(render())
    found = Counter(el.get("id") for el in region_paths(root))
    assert set(found) == set(REGIONS)
    assert all(count == 1 for count in found.values())
    for el in region_paths(root):
        assert el.get("data-region") == el.get("id")


def test_every_region_shape_has_its_human_name_as_title():
    root = parse(render())
    for el in region_paths(root):
        assert el.find(f"{SVG}title").text == REGIONS[el.get("id")]["name"]


def shared_ids(root: ET.Element) -> list[str]:
    return [i for defs in root.iter(f"{SVG}defs") for i in ids(defs)]


def references(root: ET.Element) -> list[str]:
    """Every id a map points at: its name and description, stripes and shapes."""
    refs = []
    for el in root.iter():
        refs += (el.get("aria-labelledby") or "").split() + (
            el.get("aria-describedby") or ""
        ).split()
        if m := re.fullmatch(r"url\(#(.+)\)", el.get("fill", "")):
            refs.append(m.group(1))
        if (href := el.get("href", "")).startswith("#"):
            refs.append(href[1:])
    return refs


def test_every_id_carries_the_prefix_and_is_unique():
    root = parse(render(zones=QL, marker="right-flank", id_prefix="tp7-"))
    all_ids = ids(root)
    assert len(all_ids) == len(set(all_ids))
    shared = set(shared_ids(root))
    assert all(i.startswith("tp7-") for i in all_ids if i not in shared)
    assert all(i.startswith("bm-") for i in shared)
    assert {el.get("id") for el in region_paths(root)} == {f"tp7-{s}" for s in REGIONS}
    assert {el.get("data-region") for el in region_paths(root)} == set(REGIONS)


def test_two_maps_on_one_page_share_one_drawing_and_no_id():
    page = Template(
        "{% load bodymap %}"
        '{% body_map zones=zones marker="right-flank" id_prefix="tp1-" label="One" %}'
        '{% body_map zones=zones marker="right-groin" id_prefix="tp2-" label="Two" %}'
    ).render(Context({"zones": QL}))
    root = parse(page)
    all_ids = ids(root)
    assert len(all_ids) == len(set(all_ids))
    first, second = root.iter(f"{SVG}svg")
    # The shapes are drawn once, in the first map; the second only refers to them.
    assert len(shared_ids(first)) == 35 + 3  # the regions, two figures, the stripes
    assert shared_ids(second) == []
    assert " d=" not in page.split('id="tp2-bodymap-title"')[1]
    assert len(page) < 1.3 * len(render(zones=QL, marker="right-flank"))
    # Every reference resolves in the document; a map's name and description are its own.
    assert set(references(root)) <= set(all_ids)
    for svg in (first, second):
        own = [svg.get("aria-labelledby"), svg.get("aria-describedby")]
        assert set(own) <= set(ids(svg))


def test_maps_in_included_templates_share_the_drawing_too():
    card = (
        '{% load bodymap %}<article>{% body_map zones=zones id_prefix=prefix label="A" %}</article>'
    )
    loader = ("django.template.loaders.locmem.Loader", {"card.html": card})
    page = (
        Engine(loaders=[loader], libraries={"bodymap": "backtp.catalog.templatetags.bodymap"})
        .from_string(
            "{% for prefix in prefixes %}"
            '{% include "card.html" with zones=zones prefix=prefix %}'
            "{% endfor %}"
        )
        .render(Context({"zones": QL, "prefixes": ["a-", "b-", "c-"]}))
    )
    root = parse(page)
    assert len(list(root.iter(f"{SVG}svg"))) == 3
    assert len(list(root.iter(f"{SVG}defs"))) == 1
    assert set(references(root)) <= set(ids(root))


def test_each_render_draws_its_own_shapes():
    """A page and the htmx fragment that later replaces part of it are separate
    renders: each must stand on its own."""
    template = Template('{% load bodymap %}{% body_map zones=zones id_prefix="x-" label="A" %}')
    for _ in range(2):
        root = parse(template.render(Context({"zones": QL})))
        assert set(references(root)) <= set(ids(root))


def test_left_and_right_are_the_persons_sides_in_each_view():
    # From behind the person's left is on the viewer's left; from the front, on the right.
    for slug, shape in SHAPES.items():
        side = REGIONS[slug]["side"]
        if side == "midline":
            continue
        mid = MIDLINE[shape.view]
        xs = [x for x, _ in polygon(shape.d)]
        viewer_left = (side == "left") == (shape.view == "back")
        if viewer_left:
            assert anchor(slug)[0] < mid and max(xs) <= mid + 0.01, slug
        else:
            assert anchor(slug)[0] > mid and min(xs) >= mid - 0.01, slug


def test_left_and_right_shapes_mirror_each_other():
    for slug, shape in SHAPES.items():
        if not slug.startswith("left-"):
            continue
        other = SHAPES["right-" + slug.removeprefix("left-")]
        mid = MIDLINE[shape.view]
        x, y = anchor(slug)
        assert other.view == shape.view
        assert anchor(other.slug) == pytest.approx((2 * mid - x, y), abs=1.01)


def test_each_region_sits_on_the_view_the_brief_gives_it():
    expected = {"back": "back", "side": "back", "front": "front"}
    root = parse(render())
    for slug, fields in REGIONS.items():
        view = expected[fields["view"]]
        assert SHAPES[slug].view == view
        xs = [x for x, _ in polygon(SHAPES[slug].d)]
        lo = bodymap.VIEW_OFFSET[view]
        assert lo <= min(xs) and max(xs) <= lo + bodymap.VIEW_WIDTH
    for group in root.iter(f"{SVG}g"):
        for view in ("back", "front"):
            if f"bodymap__view--{view}" in group.get("class", ""):
                drawn = {el.get("id") for el in region_paths(group)}
                assert drawn == {s for s, f in REGIONS.items() if expected[f["view"]] == view}


def test_midline_regions_straddle_the_spine():
    for slug in ("lumbar-spine", "sacrum", "coccyx"):
        xs = [x for x, _ in polygon(SHAPES[slug].d)]
        assert min(xs) < MIDLINE["back"] < max(xs)
        assert anchor(slug)[0] == MIDLINE["back"]
    ys = {slug: anchor(slug)[1] for slug in ("lumbar-spine", "sacrum", "coccyx")}
    assert ys["lumbar-spine"] < ys["sacrum"] < ys["coccyx"]


def test_regions_are_placed_in_anatomical_order():
    def y(slug):
        return anchor(slug)[1]

    def x(slug):
        return anchor(slug)[0]

    chain = [
        "left-upper-back",
        "left-mid-back",
        "left-low-back",
        "left-sacroiliac",
        "left-lower-buttock",
        "left-back-thigh",
        "left-calf",
        "left-heel",
    ]
    assert [y(s) for s in chain] == sorted(y(s) for s in chain)
    assert y("left-flank") < y("left-upper-buttock") < y("left-lower-buttock")
    assert y("right-lower-abdomen") < y("right-groin") < y("right-front-thigh")
    # On the back view the side regions are the outer strips (further from the midline).
    assert x("left-flank") < x("left-low-back") < x("lumbar-spine")
    assert x("left-lateral-hip") < x("left-lower-buttock")
    assert x("left-outer-thigh") < x("left-back-thigh")
    assert x("left-outer-leg") < x("left-calf")
    assert x("left-sacroiliac") < x("sacrum")


def test_regions_tile_without_overlaps_inside_the_figure():
    for view in ("back", "front"):
        body = polygon(SILHOUETTES[view][0])
        polys = {s: polygon(sh.d) for s, sh in SHAPES.items() if sh.view == view}
        hits: Counter = Counter()
        for poly in polys.values():
            xs, ys = [p[0] for p in poly], [p[1] for p in poly]
            x = min(xs) + 0.37
            while x < max(xs):
                y = min(ys) + 0.41
                while y < max(ys):
                    if contains(poly, (x, y)):
                        hits[(round(x, 2), round(y, 2))] += 1
                        assert contains(body, (x, y)), (view, x, y)
                    y += 1.3
                x += 1.3
        assert hits and max(hits.values()) == 1


def test_regions_cover_the_trunk_and_legs_without_gaps():
    # Windows that hold only regions wherever the figure is: the back from the neck to
    # the heel (away from the shoulders and arms), the front from navel to knee.
    windows = [
        ("back", 65, 135, 100, 150),
        ("back", 54, 146, 150, 476),
        ("front", 270, 370, 200, 346),
    ]
    for view, x0, x1, y0, y1 in windows:
        body = polygon(SILHOUETTES[view][0])
        boxes = []
        for shape in SHAPES.values():
            if shape.view == view:
                poly = polygon(shape.d)
                xs, ys = [p[0] for p in poly], [p[1] for p in poly]
                boxes.append((min(xs), max(xs), min(ys), max(ys), poly))
        x = x0 + 0.37
        while x < x1:
            y = y0 + 0.41
            while y < y1:
                if contains(body, (x, y)):
                    assert any(
                        a <= x <= b and c <= y <= d and contains(poly, (x, y))
                        for a, b, c, d, poly in boxes
                    ), (view, x, y)
                y += 1.7
            x += 1.7


def test_narrow_regions_are_still_wide_enough_to_tap():
    for slug in REGION_SLUGS:
        assert clearance(slug)[1] >= 4.5, slug
    for slug in ("lumbar-spine", "left-outer-thigh", "left-outer-leg", "left-lateral-hip"):
        assert clearance(slug)[1] >= 5.9, slug  # about 12 units across


def test_anchor_is_inside_its_region():
    for slug, shape in SHAPES.items():
        assert contains(polygon(shape.d), anchor(slug)), slug


def test_path_data_uses_absolute_commands_only():
    for shape in SHAPES.values():
        assert set(re.findall(r"[A-Za-z]", shape.d)) <= set("MLCQZ")
        assert shape.d.startswith("M") and shape.d.endswith("Z")


def test_zones_get_their_classes_and_spillover_gets_stripes():
    root = parse(render(zones=QL, marker="right-flank"))
    by_id = {el.get("id"): el for el in region_paths(root)}
    assert by_id["right-flank"].get("class") == "region zone-essential"
    assert by_id["right-groin"].get("class") == "region zone-spillover"
    assert by_id["right-lower-abdomen"].get("class") == "region zone-spillover"
    assert by_id["left-flank"].get("class") == "region"
    hatches = [el for el in root.iter(f"{SVG}use") if el.get("class") == "bodymap__hatch"]
    assert sorted(outline(root, h) for h in hatches) == sorted(
        SHAPES[s].d for s in ("right-groin", "right-lower-abdomen")
    )
    pattern = root.find(f".//{SVG}pattern")
    assert all(h.get("fill") == f"url(#{pattern.get('id')})" for h in hatches)


def test_marker_is_drawn_at_the_regions_anchor():
    root = parse(render(zones=QL, marker="right-flank"))
    markers = [el for el in root.iter(f"{SVG}circle") if el.get("class") == "tp-marker"]
    assert len(markers) == 1
    marker = markers[0]
    assert (float(marker.get("cx")), float(marker.get("cy"))) == anchor("right-flank")
    assert marker.find(f"{SVG}title").text == "Trigger point"
    assert not [el for el in parse(render()).iter(f"{SVG}circle") if "tp-marker" in el.get("class")]


def test_marked_regions_get_the_marked_class():
    root = parse(render(marked={"left-calf", "coccyx"}))
    marked = {el.get("id") for el in region_paths(root) if "is-marked" in el.get("class")}
    assert marked == {"left-calf", "coccyx"}


def test_unknown_slugs_raise_value_error():
    with pytest.raises(ValueError, match="unknown body region"):
        render_context(zones={"left-elbow": "essential"})
    with pytest.raises(ValueError, match="unknown body region"):
        render_context(marked=["lumbar"])
    with pytest.raises(ValueError, match="unknown body region"):
        render_context(marker="flank")
    with pytest.raises(ValueError, match="unknown body region"):
        anchor("spine")
    with pytest.raises(ValueError, match="zone kind"):
        render_context(zones={"left-flank": "sometimes"})


def test_desc_names_the_zones_in_words():
    root = parse(render(zones=QL, marker="right-flank"))
    svg = root.find(f".//{SVG}svg")
    desc = svg.find(f"{SVG}desc")
    assert desc.text == (
        "Commonly refers pain to: right flank (essential); "
        "right groin, right lower belly (spillover). Trigger point: right flank."
    )
    assert svg.get("aria-describedby") == desc.get("id")
    empty = parse(render()).find(f".//{SVG}desc")
    assert empty.text == "No regions are shaded."


def test_svg_has_an_accessible_name_and_is_sized_by_css():
    html = render(zones=QL, label="Quadratus lumborum, upper lateral point")
    svg = parse(html).find(f".//{SVG}svg")
    assert svg.get("role") == "img"
    assert svg.get("viewBox") == bodymap.VIEWBOX
    assert svg.get("width") is None and svg.get("height") is None
    title = svg.find(f"{SVG}title")
    assert svg.get("aria-labelledby") == title.get("id")
    assert title.text == "Quadratus lumborum, upper lateral point"
    # A strict Content-Security-Policy forbids inline styles.
    assert "style=" not in html and "<style" not in html


def test_each_view_is_labelled_with_the_persons_left_and_right():
    root = parse(render())
    texts = [(float(t.get("x")), t.text) for t in root.iter(f"{SVG}text")]
    assert [t for _, t in texts if t in ("Back", "Front")] == ["Back", "Front"]
    letters = sorted((x, t) for x, t in texts if t in ("L", "R"))
    back, front = letters[:2], letters[2:]
    assert [t for _, t in back] == ["L", "R"]
    assert [t for _, t in front] == ["R", "L"]
    assert back[0][0] < MIDLINE["back"] < back[1][0] < front[0][0] < MIDLINE["front"]


def test_template_tag_matches_render_context():
    rendered = Template(
        '{% load bodymap %}{% body_map zones=zones marker="" id_prefix="x-" label="QL" %}'
    ).render(Context({"zones": QL}))
    expected = render_to_string(
        "catalog/_bodymap.html", render_context(zones=QL, id_prefix="x-", label="QL")
    )
    assert rendered == expected


def test_an_interactive_map_is_a_pointer_mirror_of_real_checkboxes():
    # The questionnaire's labelled checkboxes are the accessible control; the map only
    # mirrors them, so it is hidden from assistive technology and takes no tab stops.
    root = parse(render(marked={"left-calf"}, interactive=True))
    assert "bodymap--interactive" in root.find("div").get("class")
    svg = root.find(f".//{SVG}svg")
    assert svg.get("aria-hidden") == "true"
    by_id = {el.get("id"): el for el in region_paths(root)}
    assert "is-marked" in by_id["left-calf"].get("class")
    assert "is-marked" not in by_id["right-calf"].get("class")
    assert not any(el.get("tabindex") or el.get("role") for el in by_id.values())


@pytest.mark.django_db
def test_every_body_region_in_the_database_has_a_shape_and_every_shape_a_region(catalog):
    from backtp.catalog.models import BodyRegion

    shapes = {el.get("id") for el in region_paths(parse(render()))}
    assert shapes == set(BodyRegion.objects.values_list("slug", flat=True))


def _document_ids_and_references(html: str) -> tuple[list[str], list[str]]:
    ids_ = re.findall(r'\sid="([^"]+)"', html)
    refs = re.findall(r'\shref="#([^"]+)"', html) + re.findall(r"url\(#([^)]+)\)", html)
    refs += [
        ref
        for attr in re.findall(r'\saria-(?:labelledby|describedby)="([^"]+)"', html)
        for ref in attr.split()
    ]
    return ids_, refs


@pytest.mark.django_db
def test_every_page_with_maps_draws_the_shapes_once_and_every_map_finds_them(
    person_client, catalog
):
    from backtp.catalog.models import Muscle, Technique
    from tests.guide.test_guide import complete

    client = person_client
    results = complete(client, regions=("right-flank", "right-lower-buttock", "sacrum"))
    results_url = results.headers.get("Location") or results.request["PATH_INFO"]
    pages = [
        "/",
        results_url,
        "/where-does-it-hurt/body-map/",
        "/journal/summary/",
        *(m.get_absolute_url() for m in Muscle.objects.all()),
        *(t.get_absolute_url() for t in Technique.objects.all()),
    ]
    checked = 0
    for url in pages:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            html = response.content.decode()
            if 'class="bodymap' not in html:
                continue
            checked += 1
            page_ids, refs = _document_ids_and_references(html)
            duplicates = [i for i, n in Counter(page_ids).items() if n > 1]
            assert not duplicates, (url, headers, duplicates)
            assert set(refs) <= set(page_ids), (url, headers, set(refs) - set(page_ids))
            # The shared drawing once; a later <defs> only adds a muscle not drawn before.
            assert html.count('<g id="bm-figure-back">') == 1, (url, headers)
            assert html.count('<pattern id="bm-hatch"') == 1, (url, headers)
    assert checked >= 20
