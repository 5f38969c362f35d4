import pytest
from django.test import Client

from tests.factories import (
    BodyRegionFactory,
    MuscleFactory,
    ReferralZoneFactory,
    TechniqueFactory,
    TriggerPointFactory,
)

# Each test builds the catalogue it needs with the factories.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_catalog")]


@pytest.fixture
def technique():
    muscle = MuscleFactory(slug="gluteus-medius", name="Gluteus medius")
    point = TriggerPointFactory(muscle=muscle, slug="gmed-trp1", name="Beside the dimple")
    ReferralZoneFactory(trigger_point=point, region=BodyRegionFactory(part="sacroiliac"))
    return TechniqueFactory(
        slug="gmed-fists",
        name="Fists beside the sacrum",
        trigger_points=[point],
        tool="fists",
        position="standing",
        method="pressure",
        hold_seconds_min=10,
        hold_seconds_max=10,
        repetitions_min=3,
        repetitions_max=4,
        minutes_per_side_min=None,
        minutes_per_side_max=None,
        discreet=True,
        cautions="Stop if the pain turns sharp.",
        steps=["Make two loose fists.", "Place them below the top of the hip bone.", "Lean back."],
    )


def test_it_shows_ordered_steps_tool_position_and_dose(client: Client, technique) -> None:
    html = client.get("/techniques/gmed-fists/").content.decode()
    steps = ["Make two loose fists.", "Place them below the top of the hip bone.", "Lean back."]
    positions = [html.index(step) for step in steps]
    assert positions == sorted(positions)
    for text in ("Fists", "Standing", "Sustained pressure", "Hold 10 s, 3–4 times, each side"):
        assert text in html
    assert "Discreet enough for work" in html
    assert "Stop if the pain turns sharp." in html


def test_it_links_the_points_it_treats_and_maps_them(client: Client, technique) -> None:
    html = client.get("/techniques/gmed-fists/").content.decode()
    assert 'href="/muscles/gluteus-medius/#gmed-trp1"' in html
    assert 'id="technique-right-sacroiliac"' in html


def test_an_unknown_technique_is_a_404(client: Client) -> None:
    assert client.get("/techniques/nope/").status_code == 404


def test_technique_queries_are_a_fixed_number(client: Client, technique, django_assert_num_queries):
    # the catalogue version (for the page, then for its cached parts), technique, steps,
    # sources, trigger points with muscle and region, their zones
    with django_assert_num_queries(7):
        client.get("/techniques/gmed-fists/")
    # Again: the parts come from the cache; only the form is rendered for this visitor.
    with django_assert_num_queries(2):  # the catalogue version, twice
        response = client.get("/techniques/gmed-fists/")
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
