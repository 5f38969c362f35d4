"""Catalogue pages for visitors without an account come whole from memory, and are
never stale, never someone else's, and never hide a message meant for this visitor."""

import gzip
import re

import brotli
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/", "/muscles/", "/muscles/?region=flank", "/muscles/quadratus-lumborum/"]


@pytest.mark.parametrize("url", PAGES)
def test_a_repeat_visit_costs_one_query_and_is_the_same_page(
    client: Client, catalog, url: str, django_assert_num_queries
) -> None:
    first = client.get(url)
    with django_assert_num_queries(1):  # the catalogue version
        again = Client().get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert "X-CSRFToken" not in again.content.decode()  # nothing per visitor in it


def test_each_encoding_is_the_same_page(client: Client, catalog) -> None:
    plain = client.get("/muscles/").content
    br = client.get("/muscles/", headers={"Accept-Encoding": "gzip, br"})
    assert br["Content-Encoding"] == "br"
    assert "Accept-Encoding" in br["Vary"]
    assert brotli.decompress(br.content) == plain

    gz = client.get("/muscles/", headers={"Accept-Encoding": "gzip"})
    assert gz["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.content) == plain


def test_a_fragment_and_the_page_are_kept_apart(client: Client, catalog) -> None:
    page = client.get("/muscles/?region=flank").content.decode()
    fragment = client.get("/muscles/?region=flank", headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<section id="results"')
    assert "HX-Request" in fragment["Vary"]
    assert client.get("/muscles/?region=flank").content.decode() == page
    assert page.lstrip().startswith("<!doctype html>")


def test_an_edit_shows_on_the_next_request(client: Client, catalog) -> None:
    from backtp.catalog.models import Muscle

    assert "Square loin muscle" not in client.get("/muscles/").content.decode()
    muscle = Muscle.objects.get(slug="quadratus-lumborum")
    muscle.name = "Square loin muscle"
    muscle.save()
    assert "Square loin muscle" in client.get("/muscles/").content.decode()


def test_logged_in_people_get_their_own_page(client: Client, catalog, django_user_model):
    Client().get("/muscles/quadratus-lumborum/")  # cached for visitors
    ana = django_user_model.objects.create_user("ana", "ana@example.com", "pw-ana-12345")
    client.force_login(ana)
    html = client.get("/muscles/quadratus-lumborum/").content.decode()
    assert "Log out" in html and "X-CSRFToken" in html
    assert "Log out" not in Client().get("/muscles/quadratus-lumborum/").content.decode()


def test_a_waiting_message_is_shown_not_a_cached_page(client: Client, catalog, django_user_model):
    Client().get("/")  # cached for visitors
    django_user_model.objects.create_user("ana", "ana@example.com", "pw-ana-12345")
    client.login(username="ana", password="pw-ana-12345")
    response = client.post("/accounts/delete/", {"password": "pw-ana-12345"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Your account and everything in it have been deleted." in response.content.decode()
    # Read once, then gone; the next visit is the cached page again.
    assert "have been deleted" not in client.get("/").content.decode()


def test_with_redis_several_processes_agree_on_the_catalogue_version(
    client: Client,
    catalog,
    settings,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
) -> None:
    """With a shared cache the version is read from Redis (no query), and an edit
    replaces it there once committed, so every process sees the new pages at once."""
    import os

    from backtp import pagecache
    from backtp.catalog.models import Muscle

    settings.CACHES = {
        "default": {
            "BACKEND": "backtp.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
            "KEY_PREFIX": f"backtp-test-{os.getpid()}",
        }
    }
    from django.core.cache import cache

    cache.clear()
    try:
        client.get("/muscles/")
        with django_assert_num_queries(0):
            client.get("/muscles/")
        muscle = Muscle.objects.get(slug="quadratus-lumborum")
        muscle.name = "Square loin muscle"
        with django_capture_on_commit_callbacks(execute=True):  # as when it commits
            muscle.save()
        pagecache.clear()  # as in another process, whose memory never saw the old page
        assert "Square loin muscle" in client.get("/muscles/").content.decode()
    finally:
        cache.clear()


# Personal pages (journal, one's own results): rendered once, a fresh token per response --


def _logged_in(django_user_model) -> Client:
    django_user_model.objects.create_user("ana", "ana@example.com", "pw-ana-12345")
    client = Client()
    client.login(username="ana", password="pw-ana-12345")
    return client


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def test_a_personal_page_travels_gzipped_with_a_fresh_token(client, db, django_user_model) -> None:
    client = _logged_in(django_user_model)
    plain = client.get("/journal/").content.decode()
    bodies = []
    for _ in range(2):
        response = client.get("/journal/", headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
        bodies.append(gzip.decompress(response.content).decode())
    first, second = (_token(body) for body in bodies)
    assert first != second  # masked afresh, as Django does for every response
    assert (
        bodies[0].replace(first, "")
        == bodies[1].replace(second, "")
        == plain.replace(_token(plain), "")
    )
    assert "Your journal" in bodies[0]


def test_a_browser_without_gzip_gets_the_page_as_it_asks(client, db, django_user_model) -> None:
    client = _logged_in(django_user_model)
    client.get("/journal/")
    response = client.get("/journal/", headers={"Accept-Encoding": "br"})
    assert response["Content-Encoding"] == "br"
    assert "Your journal" in brotli.decompress(response.content).decode()
    response = client.get("/journal/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response
    assert "Your journal" in response.content.decode()
