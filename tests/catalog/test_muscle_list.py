import pytest
from django.test import Client

from backtp.catalog.models import Muscle
from tests.factories import (
    BodyRegionFactory,
    MuscleFactory,
    ReferralZoneFactory,
    TechniqueFactory,
    TriggerPointFactory,
)

# Each test builds the catalogue it needs with the factories.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_catalog")]


def _muscle_with(*, name: str, area: str, zone_part: str, tool: str) -> Muscle:
    muscle = MuscleFactory(name=name, area=area)
    point = TriggerPointFactory(muscle=muscle)
    ReferralZoneFactory(trigger_point=point, region=BodyRegionFactory(part=zone_part))
    TechniqueFactory(trigger_points=[point], tool=tool)
    return muscle


@pytest.fixture
def three_muscles() -> list[Muscle]:
    return [
        _muscle_with(
            name="Quadratus lumborum", area="low-back", zone_part="flank", tool="tennis-ball"
        ),
        _muscle_with(
            name="Gluteus medius", area="buttock-hip", zone_part="sacroiliac", tool="thumbs"
        ),
        _muscle_with(name="Soleus", area="leg", zone_part="heel", tool="tennis-ball"),
    ]


def test_it_lists_muscles_grouped_by_body_area(client: Client, three_muscles: list[Muscle]) -> None:
    response = client.get("/muscles/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 muscles" in html
    assert (
        html.index("Lower back") < html.index("Quadratus lumborum") < html.index("Buttock and hip")
    )
    assert html.index("Buttock and hip") < html.index("Gluteus medius") < html.index(">Leg<")
    assert 'href="/muscles/muscle-' in html


def test_each_card_says_where_the_muscle_sends_pain(client: Client, three_muscles) -> None:
    html = client.get("/muscles/").content.decode()
    assert "Commonly sends pain to</span> flank" in html


def test_it_filters_by_where_it_hurts(client: Client, three_muscles) -> None:
    html = client.get("/muscles/", {"region": "flank"}).content.decode()
    assert "Quadratus lumborum" in html
    assert "Gluteus medius" not in html
    assert "1 muscle that can send pain to the flank" in html


def test_it_filters_by_tool(client: Client, three_muscles) -> None:
    html = client.get("/muscles/", {"tool": "tennis-ball"}).content.decode()
    assert "Quadratus lumborum" in html and "Soleus" in html
    assert "Gluteus medius" not in html


def test_it_combines_filters_and_says_when_nothing_matches(client: Client, three_muscles) -> None:
    html = client.get("/muscles/", {"tool": "thumbs", "region": "heel"}).content.decode()
    assert "No muscle matches both filters" in html


def test_an_htmx_filter_returns_only_the_results(client: Client, three_muscles) -> None:
    response = client.get("/muscles/", {"region": "flank"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html and "Quadratus lumborum" in html
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client: Client, three_muscles) -> None:
    response = client.get(
        "/muscles/",
        {"region": "flank"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_an_unknown_filter_value_is_a_400_with_a_message(client: Client, three_muscles) -> None:
    response = client.get("/muscles/", {"tool": "chainsaw"})
    assert response.status_code == 400
    assert "That filter does not exist" in response.content.decode()


def test_the_filter_form_works_without_javascript(client: Client, three_muscles) -> None:
    html = client.get("/muscles/").content.decode()
    assert 'method="get" action="/muscles/"' in html
    assert '<button class="button" type="submit">Show muscles</button>' in html


def test_list_queries_are_a_fixed_number(client: Client, three_muscles, django_assert_num_queries):
    # the catalogue version (for the page, the filter's choices and the list), tool
    # choices, region choices, muscles, their trigger points, their zones with regions
    with django_assert_num_queries(8):
        client.get("/muscles/", {"tool": "tennis-ball"})
    # Again: the choices and the list come from the cache, for this catalogue version.
    with django_assert_num_queries(1):
        client.get("/muscles/", {"tool": "tennis-ball"})
    client.get("/muscles/", {"tool": "tennis-ball"}, headers={"HX-Request": "true"})
    with django_assert_num_queries(1):
        client.get("/muscles/", {"tool": "tennis-ball"}, headers={"HX-Request": "true"})


def test_list_queries_do_not_grow_with_the_catalogue(
    client: Client, three_muscles, django_assert_num_queries
) -> None:
    for n in range(6):
        _muscle_with(name=f"Extra {n}", area="leg", zone_part="calf", tool="fists")
    with django_assert_num_queries(8):
        response = client.get("/muscles/")
    assert "9 muscles" in response.content.decode()
