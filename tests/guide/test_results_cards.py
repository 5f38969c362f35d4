"""The results page: each card's cautions, the side wording, and the widespread-pain warning."""

import dataclasses
import re
from html import escape

import pytest
from django.test import Client

from backtp.catalog.models import BodyRegion, Muscle
from backtp.guide.models import Assessment

pytestmark = pytest.mark.django_db


def cards(html: str) -> list[str]:
    """Each suggestion card's HTML, in rank order."""
    # the first three open, the rest folded further down: every card, in page order
    return html.split('<li class="suggestion card"')[1:]


def card_for(html: str, muscle: str) -> str:
    return next(card for card in cards(html) if f">{muscle}" in card)


def results(client: Client, **fields) -> str:
    fields.setdefault("tools", ["tennis-ball"])
    fields.setdefault("positions", ["floor", "wall", "seated"])
    assessment = Assessment.objects.create(**fields)
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_every_card_shows_its_muscles_cautions(client: Client, catalog) -> None:
    html = results(client, regions={"right-low-back": 6, "right-lateral-hip": 5})
    shown = cards(html)
    assert len(shown) >= 3
    for card in shown:
        muscle = Muscle.objects.get(name=re.search(r'<h2><a href="[^"]+">([^:<]+):', card)[1])
        if muscle.cautions:
            assert "Take care" in card and escape(muscle.cautions) in card, muscle.slug


def test_the_quadratus_lumborum_card_warns_about_the_kidneys(client: Client, catalog) -> None:
    html = results(client, regions={"right-flank": 7, "right-lateral-hip": 5, "right-low-back": 5})
    card = card_for(html, "Quadratus lumborum")
    caution = card.split('class="card-caution"')[1]
    assert "kidneys" in caution
    # Beside its techniques, in the same card.
    assert card.index("Release it") < card.index('class="card-caution"')


def test_the_psoas_card_says_to_move_off_a_pulse(client: Client, catalog) -> None:
    html = results(client, regions={"right-groin": 7, "right-front-thigh": 5, "right-low-back": 4})
    caution = card_for(html, "Iliopsoas").split('class="card-caution"')[1]
    assert "pulse" in caution


def test_the_rectus_abdominis_card_names_organ_problems_that_mimic_it(
    client: Client, catalog
) -> None:
    html = results(
        client,
        regions={"right-lower-abdomen": 6, "left-lower-abdomen": 6},
    )
    caution = card_for(html, "Rectus abdominis").split('class="card-caution"')[1]
    assert "appendix" in caution and "see" in caution


def test_sides_read_as_plain_english(client: Client, catalog) -> None:
    html = results(client, regions={"right-low-back": 5, "left-low-back": 5})
    assert "On both sides" in html
    assert "your both sides" not in html.lower()
    one_sided = results(client, regions={"right-lateral-hip": 5})
    assert "On your right side" in one_sided


def test_pain_marked_almost_everywhere_is_met_with_a_warning_before_any_list(
    client: Client, catalog
) -> None:
    everywhere = dict.fromkeys(BodyRegion.objects.values_list("slug", flat=True), 6)
    html = results(client, regions=everywhere)
    assert 'id="widespread"' in html
    warning = html.split('id="widespread"')[1].split("</aside>")[0]
    assert "see a doctor" in warning.lower()
    start = html.index('id="widespread"')
    for later in ('class="suggestions"', "<ul", "<ol"):
        assert later not in html[:start], later


def test_the_engines_warning_is_shown_as_it_words_it(client: Client, catalog, monkeypatch):
    from backtp.guide import views

    real = views.engine.suggest

    def warned(*args, **kwargs):
        return dataclasses.replace(real(*args, **kwargs), warning="Go and see your doctor.")

    monkeypatch.setattr(views.engine, "suggest", warned)
    html = results(client, regions={"right-low-back": 5})
    assert "Go and see your doctor." in html.split('id="widespread"')[1]


def test_an_ordinary_map_has_no_widespread_warning(client: Client, catalog) -> None:
    html = results(client, regions={"right-low-back": 5, "right-upper-buttock": 4})
    assert 'id="widespread"' not in html


def test_start_a_session_comes_before_the_cards_and_only_the_top_three_are_open(
    client: Client, catalog
) -> None:
    """Issue 15 item 5: the page was 13,000 px long with the button at the very bottom."""
    html = results(client, regions={"right-low-back": 6, "right-upper-buttock": 4})
    button = html.index("Start a session with the top suggestions")
    assert button < html.index('<li class="suggestion card"')
    open_list = html.split('<ol class="suggestions">')[1].split("</ol>")[0]
    assert open_list.count('<li class="suggestion card"') == 3
    folded = html.split('<details class="more-cards">')[1].split('class="results-footer"')[0]
    assert "3 more suggestions, in full" in folded
    assert [int(rank) for rank in re.findall(r'id="suggestion-(\d+)"', folded)] == [4, 5, 6]
