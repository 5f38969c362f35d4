import pytest
from django.test import Client

from tests.factories import BodyRegionFactory, MuscleFactory, TechniqueFactory, TriggerPointFactory

# Each test builds the catalogue it needs with the factories.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_catalog")]


@pytest.fixture
def catalogue() -> None:
    muscle = MuscleFactory(name="Quadratus lumborum", other_names="QL, hip hiker")
    point = TriggerPointFactory(
        muscle=muscle, name="Upper outer point", landmark="Below the 12th rib"
    )
    TechniqueFactory(name="Side-lying ball roll", tool="tennis-ball", trigger_points=[point])
    TechniqueFactory(name="Knuckles on the belt line", tool="fists")
    BodyRegionFactory(part="lateral-hip", part_name="Outer hip", side="left")
    BodyRegionFactory(part="lateral-hip", part_name="Outer hip", side="right")


def test_it_finds_muscles_by_other_names(client: Client, catalogue) -> None:
    html = client.get("/search/", {"q": "hip hiker"}).content.decode()
    assert "Quadratus lumborum" in html


def test_it_finds_trigger_points_by_landmark(client: Client, catalogue) -> None:
    html = client.get("/search/", {"q": "12th rib"}).content.decode()
    assert "Quadratus lumborum: Upper outer point" in html


def test_it_finds_techniques_by_tool_name(client: Client, catalogue) -> None:
    html = client.get("/search/", {"q": "tennis ball"}).content.decode()
    assert "Side-lying ball roll" in html
    assert "Knuckles on the belt line" not in html


def test_it_lists_a_body_area_once_for_both_sides(client: Client, catalogue) -> None:
    html = client.get("/search/", {"q": "outer hip"}).content.decode()
    assert html.count('href="/muscles/?region=lateral-hip"') == 1


def test_every_word_must_match(client: Client, catalogue) -> None:
    html = client.get("/search/", {"q": "quadratus knuckles"}).content.decode()
    assert "Nothing matches" in html


def test_live_search_returns_only_the_results(client: Client, catalogue) -> None:
    response = client.get("/search/", {"q": "ql"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "Quadratus lumborum" in html and "<html" not in html


def test_an_empty_search_suggests_what_to_try(client: Client) -> None:
    html = client.get("/search/").content.decode()
    assert "Try “buttock”" in html


def test_an_overlong_query_is_a_400_with_a_message(client: Client) -> None:
    response = client.get("/search/", {"q": "x" * 500})
    assert response.status_code == 400
    assert "under 100 characters" in response.content.decode()


def test_search_queries_are_a_fixed_number(client: Client, catalogue, django_assert_num_queries):
    with django_assert_num_queries(4):
        client.get("/search/", {"q": "hip"})
