"""Technique illustrations: data on every technique, the drawing, its words, the tag."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from backtp.catalog import illustrations
from backtp.catalog.illustrations import POSITION_SPOTS, Movement, Spot, describe
from backtp.catalog.models import Technique
from tests.factories import TechniqueFactory

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "illustration.css"


def render(template: str, **context: object) -> str:
    return Template("{% load illustrations %}" + template).render(Context(context))


def parse(html: str) -> ET.Element:
    return ET.fromstring(f"<root>{html}</root>")


def defined_ids(root: ET.Element) -> list[str]:
    return [el.get("id", "") for defs in root.iter(f"{SVG}defs") for el in defs]


def hrefs(root: ET.Element) -> set[str]:
    return {el.get("href", "").removeprefix("#") for el in root.iter(f"{SVG}use")}


@pytest.fixture
def techniques(catalog) -> list[Technique]:
    found = list(Technique.objects.order_by("slug"))
    assert len(found) >= 33
    return found


def test_every_technique_has_a_spot_its_position_reaches_and_a_movement(techniques) -> None:
    for technique in techniques:
        assert technique.spot in POSITION_SPOTS[technique.position], technique.slug
        assert technique.movement in Movement.values, technique.slug
        technique.full_clean()


def test_every_technique_is_illustrated_with_its_pose_its_tool_and_words(techniques) -> None:
    for technique in techniques:
        html = render("{% technique_figure t id_prefix='x-' %}", t=technique)
        root = parse(html)
        (svg,) = [el for el in root.iter(f"{SVG}svg") if el.get("role") == "img"]
        used, defined = hrefs(root), set(defined_ids(root))
        # Each illustration alone on a page carries everything it places.
        assert used <= defined, technique.slug
        pose = illustrations.pose_key(technique.position, technique.tool, technique.spot)
        assert any(ref.startswith(f"il-pose-{pose}") for ref in used), technique.slug
        if technique.tool in illustrations.HAND_TOOLS:
            assert 'class="il-press"' in html, technique.slug  # the hand on the spot
        else:
            assert f"il-tool-{technique.tool}" in used, technique.slug
        title = svg.find(f"{SVG}title")
        desc = svg.find(f"{SVG}desc")
        assert title is not None and title.text
        assert desc is not None and desc.text
        assert svg.get("aria-labelledby") == title.get("id") == "x-illustration-title"
        assert svg.get("aria-describedby") == desc.get("id")
        text = desc.text.lower()
        position_word = {
            "lying-back": "lying on your back",
            "lying-side": "lying on your side",
            "lying-front": "lying face down",
            "wall": "wall",
            "seated": "sitting",
            "standing": "standing",
        }[technique.position]
        assert position_word in text, (technique.slug, text)
        tool_word = {
            "tennis-ball": "tennis ball",
            "massage-ball": "massage ball",
            "two-balls": "two tennis balls in a sock",
            "fists": "fist",
            "thumbs": "thumb",
            "fingertips": "fingertips",
            "bolster": "bolster",
        }[technique.tool]
        assert tool_word in text, (technique.slug, text)


def test_a_technique_without_a_spot_fails_validation(techniques) -> None:
    technique = techniques[0]
    technique.spot = ""
    with pytest.raises(ValidationError) as raised:
        technique.full_clean()
    assert "spot" in raised.value.message_dict


def test_a_spot_the_position_cannot_reach_fails_clean(empty_catalog) -> None:
    technique = TechniqueFactory.build(
        position=Technique.Position.LYING_SIDE, spot=Spot.CALF_LOW, tool="tennis-ball"
    )
    with pytest.raises(ValidationError) as raised:
        technique.clean()
    assert "spot" in raised.value.message_dict
    assert "lying on your side" in raised.value.message_dict["spot"][0].lower()
    technique.spot = Spot.OUTER_WAIST
    technique.clean()


def test_every_spot_a_position_reaches_has_a_place_on_its_pose() -> None:
    tools = ("tennis-ball", "fists", "fingertips", "two-balls", "foam-roller", "bolster")
    for position, spots in POSITION_SPOTS.items():
        for spot in spots:
            for tool in tools:
                pose = illustrations.poses()[illustrations.pose_key(position, tool, spot)]
                assert spot in pose.anchors, (position, spot, tool, pose.key)


def test_a_second_illustration_on_a_page_reuses_the_shared_figures() -> None:
    a = TechniqueFactory.build(position="wall", tool="tennis-ball", spot=Spot.LOW_BACK)
    b = TechniqueFactory.build(position="wall", tool="tennis-ball", spot=Spot.MID_BUTTOCK)
    html = render(
        "{% technique_figure a size='card' id_prefix='a-' %}"
        "{% technique_figure b size='card' id_prefix='b-' %}",
        a=a,
        b=b,
    )
    root = parse(html)
    first, second = root.findall("figure")
    first_defs, second_defs = defined_ids(first), defined_ids(second)
    assert "il-pose-wall-back" in first_defs
    assert "il-tool-tennis-ball" in first_defs
    assert second_defs == []  # the same pose and tool: nothing drawn twice
    assert "il-pose-wall-back" in hrefs(second)
    # No id twice on the page.
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))


def test_a_later_illustration_adds_only_the_figures_not_yet_drawn() -> None:
    wall = TechniqueFactory.build(position="wall", tool="tennis-ball", spot=Spot.LOW_BACK)
    floor = TechniqueFactory.build(position="lying-back", tool="tennis-ball", spot=Spot.WAIST)
    root = parse(
        render(
            "{% technique_figure a id_prefix='a-' %}{% technique_figure b id_prefix='b-' %}",
            a=wall,
            b=floor,
        )
    )
    _, second = root.findall("figure")
    assert defined_ids(second) == ["il-pose-lying-back-raised"]


def test_illustrations_in_a_loop_carry_the_shared_figures_once() -> None:
    technique = TechniqueFactory.build(position="seated", tool="fingertips", spot=Spot.ABOVE_PUBIC)
    html = render(
        "{% for i in '123' %}{% technique_figure t id_prefix=i %}{% endfor %}", t=technique
    )
    assert html.count("<figure") == 3
    assert html.count("<defs>") == 1


@pytest.mark.parametrize(
    ("slug", "text"),
    [
        (
            "es-ball-lying-back-rolling",
            "Lying on your back, knees bent, a massage ball under the lower back, beside the "
            "spine; roll slowly up and down, then change sides.",
        ),
        (
            "mf-two-balls-lying-back",
            "Lying on your back, knees bent, two tennis balls in a sock under the upper back, "
            "between the shoulder blade and the spine, one either side of the spine; roll "
            "slowly down toward the hips.",
        ),
        (
            "gmed-overlap-fists",
            "Standing, the knuckles of both fists on the top of the buttock, under the "
            "hip-bone crest beside the sacrum, one on each side; hold steady pressure on the "
            "tender spot.",
        ),
        (
            "ql-tennis-ball-under-ribs-wall",
            "Standing with your back to a wall, a tennis ball between the wall and the back "
            "beside the spine, level with the lowest ribs; roll it from side to side, then "
            "change sides.",
        ),
        (
            "piriformis-ball-chair",
            "Sitting on a firm chair, a tennis ball under the middle of the buttock; hold "
            "steady pressure on the tender spot, then change sides.",
        ),
        (
            "psoas-bolster-release",
            "Lying on your back, knees over a bolster, a bolster or firm cushion under the "
            "knees; let one knee drift slowly out to the side and back, then change sides.",
        ),
    ],
)
def test_the_text_alternative_says_position_tool_place_and_movement(
    catalog, slug: str, text: str
) -> None:
    technique = Technique.objects.get(slug=slug)
    assert render("{{ t|figure_alt }}", t=technique) == text
    assert (
        describe(
            technique.position,
            technique.tool,
            technique.spot,
            technique.movement,
            technique.per_side,
        )
        == text
    )


def test_the_tag_makes_no_queries(techniques, django_assert_num_queries) -> None:
    template = Template(
        "{% load illustrations %}{% for t in ts %}"
        "{% technique_figure t size='card' id_prefix=t.slug %}{{ t|figure_alt }}{% endfor %}"
    )
    with django_assert_num_queries(0):
        html = template.render(Context({"ts": techniques}))
    assert html.count("<figure") == len(techniques)


def test_the_size_is_a_class_and_the_drawing_the_same() -> None:
    technique = TechniqueFactory.build(position="wall", tool="tennis-ball", spot=Spot.LOW_BACK)
    card = render("{% technique_figure t size='card' %}", t=technique)
    timer = render("{% technique_figure t size='timer' %}", t=technique)
    assert 'class="illustration illustration--card"' in card
    assert 'class="illustration illustration--timer"' in timer
    assert card.replace("--card", "--timer") == timer


def test_a_technique_without_a_spot_is_still_drawn_at_its_positions_default() -> None:
    technique = TechniqueFactory.build(position="lying-side", tool="tennis-ball", spot="")
    html = render("{% technique_figure t %}", t=technique)
    assert "il-pose-lying-side" in html
    assert "side of the waist" in html


def test_no_style_attributes_and_no_external_references() -> None:
    for position, spots in POSITION_SPOTS.items():
        for spot in spots:
            html = render(
                "{% technique_figure t %}",
                t=TechniqueFactory.build(position=position, spot=spot, tool="thumbs"),
            )
            assert "style=" not in html
            assert not re.search(r'href="(?!#)', html)


def test_dark_mode_gives_every_colour_a_dark_value() -> None:
    css = CSS.read_text(encoding="utf-8")
    light_block, dark_block = css.split("@media screen and (prefers-color-scheme: dark)", 1)
    light = set(re.findall(r"(--il-[a-z-]+):", light_block))
    dark = set(re.findall(r"(--il-[a-z-]+):", dark_block))
    assert len(light) >= 10
    assert light == dark
    used = set(re.findall(r"var\((--il-[a-z-]+)\)", css))
    assert used <= light


def test_the_stylesheet_is_on_every_page(client, catalog) -> None:
    html = client.get("/").content.decode()
    bodymap = html.index("css/bodymap")
    assert bodymap < html.index("css/illustration") < html.index("css/pages")
