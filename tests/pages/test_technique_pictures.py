"""Issue 15 item 3: every technique's picture is shown where a person chooses or does it:
its own page, the cards on its muscle's page, the suggestion cards, the routines and the
timer. A picture is found by its text alternative, which names the position and where
the tool goes (backtp.catalog.illustrations.describe)."""

import re
from html import escape

import pytest
from django.test import Client

from backtp.catalog.models import Muscle, Routine, Technique
from backtp.catalog.templatetags.illustrations import figure_alt
from backtp.guide.models import Assessment

pytestmark = pytest.mark.django_db

NONE_OF_THESE = {"none-now": "on", "none-doctor": "on", "none-limits": "on"}


def pictured(html: str, technique: Technique) -> bool:
    """The technique's illustration is in this HTML: an SVG image described in words."""
    return f">{escape(figure_alt(technique))}</desc>" in html


def test_a_technique_page_shows_its_picture_with_its_description_in_words(client: Client, catalog):
    for technique in Technique.objects.all():
        html = client.get(technique.get_absolute_url()).content.decode()
        assert pictured(html, technique), technique.slug
        # the same words are visible under the picture, not only read out
        assert f'<figcaption class="muted">{escape(figure_alt(technique))}</figcaption>' in html


def test_each_technique_card_on_a_muscle_page_shows_its_picture(client: Client, catalog) -> None:
    for muscle in Muscle.objects.prefetch_related("trigger_points__techniques"):
        html = client.get(muscle.get_absolute_url()).content.decode()
        cards = html.split('<article class="technique card"')[1:]
        techniques = {t for p in muscle.trigger_points.all() for t in p.techniques.all()}
        assert len(cards) == len(techniques), muscle.slug
        for technique in techniques:
            card = next(c for c in cards if f'id="technique-{technique.slug}"' in c)
            assert pictured(card.split("</article>")[0], technique), technique.slug


def test_pictures_share_their_drawing_instead_of_repeating_it(client: Client, catalog) -> None:
    html = client.get("/muscles/quadratus-lumborum/").content.decode()
    ids = re.findall(r'<g id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "a shared drawing is defined twice on one page"
    # seven techniques, three of them lying on the side or the back: fewer poses than pictures
    assert html.count('<svg class="illustration__svg"') == 7
    assert html.count("<defs>") < 1 + 7


def test_each_step_of_a_routine_shows_its_techniques_picture(client: Client, catalog) -> None:
    for routine in Routine.objects.prefetch_related("steps__technique"):
        html = client.get(routine.get_absolute_url()).content.decode()
        steps = html.split('class="card routine-step"')[1:]
        assert len(steps) == routine.steps.count()
        for step, shown in zip(routine.steps.all(), steps, strict=True):
            assert pictured(shown.split("</li>")[0], step.technique), (routine.slug, step.number)


def test_each_release_on_a_suggestion_card_shows_its_picture(client: Client, catalog) -> None:
    assessment = Assessment.objects.create(
        regions={"right-low-back": 6, "right-lateral-hip": 5},
        tools=["tennis-ball", "fists"],
        positions=["floor", "wall", "seated", "standing"],
    )
    html = client.get(assessment.get_absolute_url()).content.decode()
    picks = re.findall(r'<ul class="technique-picks">(.*?)</ul>', html, re.S)
    assert picks
    for listed in picks:
        slugs = re.findall(r'href="/techniques/([^/]+)/"', listed)
        assert slugs
        for slug in slugs:
            assert pictured(listed, Technique.objects.get(slug=slug)), slug


def test_the_timer_holds_one_picture_per_technique_and_shows_the_first_steps(
    client: Client, catalog
) -> None:
    client.post("/where-does-it-hurt/safety/", NONE_OF_THESE)
    for slug, side in [
        ("ql-tennis-ball-side-lying", "both"),
        ("gmed-overlap-ball-wall", "right"),
        ("ql-tennis-ball-side-lying", "left"),
    ]:
        assert client.post(f"/session/plan/add/{slug}/", {"side": side}).status_code < 400
    html = client.get("/session/").content.decode()
    figures = re.findall(r'<div class="run__figure" data-technique="([^"]+)"( hidden)?>', html)
    assert figures == [("ql-tennis-ball-side-lying", ""), ("gmed-overlap-ball-wall", " hidden")]
    for slug, _ in figures:
        assert pictured(html, Technique.objects.get(slug=slug))
