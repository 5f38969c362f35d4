import pytest
from django.db import DatabaseError
from django.test import Client

from tests.factories import MuscleFactory

# Each test builds the catalogue it needs with the factories.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_catalog")]


def test_home_explains_backtp_and_links_onwards(client: Client) -> None:
    MuscleFactory(slug="quadratus-lumborum", name="Quadratus lumborum")
    html = client.get("/").content.decode()
    assert "release them yourself" in html
    assert 'href="/where-does-it-hurt/"' in html
    assert 'href="/muscles/"' in html
    assert "Check this first" in html
    assert 'href="/muscles/quadratus-lumborum/"' in html


def test_every_page_has_the_footer_disclaimer(client: Client) -> None:
    for url in ("/", "/muscles/", "/search/", "/sources/", "/where-does-it-hurt/"):
        html = client.get(url).content.decode()
        assert "not a diagnosis or a treatment plan" in html, url


def test_where_does_it_hurt_is_a_placeholder_that_points_onwards(client: Client) -> None:
    response = client.get("/where-does-it-hurt/")
    assert response.status_code == 200
    assert 'href="/muscles/"' in response.content.decode()


def test_healthz_checks_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_down(client: Client, monkeypatch) -> None:
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_sources_page_anchors_each_source(client: Client) -> None:
    from tests.factories import SourceFactory

    SourceFactory(key="001_seed.txt", title="All about backaches")
    html = client.get("/sources/").content.decode()
    assert 'id="source-001_seed.txt"' in html and "All about backaches" in html


def test_a_post_to_a_read_only_page_is_refused(client: Client) -> None:
    assert client.post("/muscles/").status_code == 405
