"""About the evidence, Safety, Tips, Trigger points and diagnoses: honest, cited, linked."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = {
    "/about-the-evidence/": "About the evidence",
    "/safety/": "Safety",
    "/tips/": "Tips",
    "/trigger-points-and-diagnoses/": "Trigger points and diagnoses",
}


@pytest.mark.parametrize("url", PAGES)
def test_each_page_is_linked_from_the_footer_of_every_page(client: Client, catalog, url) -> None:
    for page in ("/", "/muscles/", url):
        footer = client.get(page).content.decode().split('class="site-footer"')[1]
        assert f'href="{url}"' in footer, page


@pytest.mark.parametrize("url", PAGES)
def test_each_page_cites_its_sources(client: Client, catalog, url) -> None:
    response = client.get(url)
    assert response.status_code == 200
    citations = re.findall(r'class="cite">\(<a href="/sources/#source-', response.content.decode())
    assert len(citations) >= 3, url


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_evidence_page_says_what_is_and_is_not_proven(client: Client, catalog) -> None:
    text = _text(client.get("/about-the-evidence/").content.decode()).lower()
    assert "tenderness" in text
    assert "not proven" in text or "has not been shown" in text
    assert "fibromyalgia" in text
    assert "2 points" in text or "two points" in text


def test_no_page_promises_a_cure(client: Client, catalog) -> None:
    for url in [*PAGES, "/", "/muscles/quadratus-lumborum/", "/routines/tennis-ball-trio/"]:
        text = _text(client.get(url).content.decode()).lower()
        for sentence in re.split(r"(?<=[.!?])\s", text):
            if re.search(r"\bcure[sd]?\b", sentence):
                assert re.search(r"\b(no|not|never|cannot|can't|won't|nor)\b", sentence), sentence
        assert "toxin" not in text or "not" in text


def test_the_safety_page_starts_with_what_to_do_in_an_emergency(client: Client, catalog) -> None:
    html = client.get("/safety/").content.decode()
    main = html.split('<main id="main"')[1]
    assert main.index("emergency") < main.index('id="fever"')
    assert "5 to 7" in _text(main)


def test_the_tips_page_covers_surviving_the_night(client: Client, catalog) -> None:
    text = _text(client.get("/tips/").content.decode()).lower()
    assert "night" in text and "heat" in text and "90" in text


def test_the_diagnoses_page_lists_the_conditions_that_can_coexist(client: Client, catalog) -> None:
    text = _text(client.get("/trigger-points-and-diagnoses/").content.decode()).lower()
    for condition in ("facet", "disc", "sacroiliac", "spondylolisthesis", "osteoarthritis"):
        assert condition in text
    assert "63.5" in text
