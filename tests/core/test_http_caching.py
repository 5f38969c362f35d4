"""Catalogue pages are cached the standard way and may be shared; personal pages never are."""

import gzip
import re

import pytest
from django.test import Client

from backtp.accounts.models import User
from backtp.catalog.models import Muscle
from tests.factories import PASSWORD

PUBLIC_PAGES = [
    "/",
    "/muscles/",
    "/muscles/quadratus-lumborum/",
    "/routines/",
    "/sources/",
    "/safety/",
    "/tips/",
]


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_catalogue_page_for_a_visitor_may_be_kept_by_browsers_and_proxies(catalog, url):
    response = Client().get(url)
    assert response.status_code == 200
    assert {"public", "max-age=300"} <= cache_control(response)
    assert response.has_header("ETag")
    assert not response.cookies, "a shared page must not set anyone's cookie"
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_a_browser_revalidating_a_page_gets_a_304(catalog) -> None:
    first = Client().get("/muscles/quadratus-lumborum/")
    again = Client().get("/muscles/quadratus-lumborum/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_a_cached_page_is_served_without_rendering_it_again(
    catalog, django_assert_max_num_queries
) -> None:
    Client().get("/muscles/quadratus-lumborum/")
    with django_assert_max_num_queries(1):  # the catalogue's version, nothing else
        response = Client().get("/muscles/quadratus-lumborum/")
    assert "Quadratus lumborum" in response.content.decode()


def test_an_edit_in_the_catalogue_shows_on_the_next_request(catalog) -> None:
    assert "Quadratus lumborum" in Client().get("/muscles/").content.decode()
    muscle = Muscle.objects.get(slug="quadratus-lumborum")
    muscle.name = "Quadratus lumborum (QL)"
    muscle.save()
    assert "Quadratus lumborum (QL)" in Client().get("/muscles/").content.decode()
    assert "Quadratus lumborum (QL)" in Client().get(muscle.get_absolute_url()).content.decode()


def test_the_fragment_and_the_page_are_cached_apart(catalog) -> None:
    page = Client().get("/muscles/?tool=ball")
    fragment = Client().get("/muscles/?tool=ball", headers={"HX-Request": "true"})
    again = Client().get("/muscles/?tool=ball")
    assert "<html" in page.content.decode() and "<html" in again.content.decode()
    assert "<html" not in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]


def test_a_page_with_a_form_is_never_shared_between_visitors(catalog) -> None:
    """A technique page has an 'add to my plan' form, so it carries the visitor's CSRF token."""
    first, second = Client(), Client()
    url = "/techniques/mf-tennis-ball-wall/"
    token_of = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    one, two = first.get(url), second.get(url)
    assert {"private", "no-store"} <= cache_control(one)
    assert token_of.search(one.content.decode()).group(1) != token_of.search(
        two.content.decode()
    ).group(1)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    # Each visitor's form works with their own token.
    assert first.post("/session/plan/add/mf-tennis-ball-wall/").status_code == 302


def test_a_page_for_a_logged_in_person_is_personal(catalog, person_client: Client) -> None:
    client = person_client
    Client().get("/muscles/")  # a visitor's copy is in the cache
    response = client.get("/muscles/")
    assert {"private", "no-store"} <= cache_control(response)
    assert "Log out" in response.content.decode()


def test_a_message_waiting_is_shown_not_cached(catalog, person) -> None:
    visitor = Client()
    Client().get("/")
    visitor.force_login(person)
    visitor.post("/accounts/delete/", {"password": PASSWORD})
    response = visitor.get("/")
    assert "have been deleted" in response.content.decode()
    assert {"private", "no-store"} <= cache_control(response)
    assert "have been deleted" not in Client().get("/").content.decode()


def _results_url(person: User | None) -> str:
    """Someone's answers to "Where does it hurt?" (low back, right), and their results page."""
    from backtp.guide.models import Assessment

    return Assessment.objects.create(
        user=person,
        regions={"right-low-back": 5},
        worst="right-low-back",
        qualities=[],
        activities=[],
        tools=["ball"],
        positions=[],
        contraindications=[],
        see_doctor_soon=[],
    ).get_absolute_url()


def _personal_urls(person: User) -> list[str]:
    from tests.journal.test_journal import log_session

    session = log_session(person, before=6, after=3)
    return [
        "/journal/",
        f"/journal/{session.pk}/",
        "/journal/progress/",
        "/journal/summary/",
        "/reminders/calendar.ics",
        "/accounts/settings/",
        "/accounts/password/change/",
        "/accounts/export.json",
        "/accounts/export/sessions.csv",
        "/session/plan/",
        "/session/",
        _results_url(person),
        "/where-does-it-hurt/safety/",
    ]


def test_personal_pages_are_never_stored(catalog, person, person_client: Client) -> None:
    """Exports included: they stream, and are still marked."""
    client = person_client
    for url in _personal_urls(person):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_control(response), url
        assert not response.has_header("ETag"), url


def test_a_visitors_results_are_never_stored(catalog) -> None:
    response = Client().get(_results_url(None))
    assert {"private", "no-store"} <= cache_control(response)


def test_pages_travel_compressed_without_a_proxy(catalog) -> None:
    response = Client().get("/muscles/quadratus-lumborum/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"Quadratus lumborum" in gzip.decompress(response.content)
