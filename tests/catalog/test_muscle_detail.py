import pytest
from django.test import Client

from backtp.catalog.models import Muscle
from tests.factories import (
    BodyRegionFactory,
    MuscleFactory,
    ReferralZoneFactory,
    SourceFactory,
    TechniqueFactory,
    TriggerPointFactory,
)

# Each test builds the catalogue it needs with the factories.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_catalog")]


def _muscle(points: int = 2, slug: str = "quadratus-lumborum") -> Muscle:
    source = SourceFactory(key="003_seed.txt", title="Massage tips for back pain relief")
    muscle = MuscleFactory(slug=slug, name="Quadratus lumborum", sources=[source])
    for n in range(points):
        point = TriggerPointFactory(
            muscle=muscle,
            slug=f"{slug}-point-{n}",
            name=f"Point {n}",
            region=BodyRegionFactory(part="flank"),
            sources=[source],
        )
        ReferralZoneFactory(trigger_point=point, region=BodyRegionFactory(part="flank"))
        ReferralZoneFactory(
            trigger_point=point,
            region=BodyRegionFactory(part="groin", view="front", group="abdomen-groin"),
            kind="spillover",
        )
        TechniqueFactory(
            trigger_points=[point],
            name=f"Ball on a wall {n}",
            steps=["Stand with your back to a wall.", "Lean into the ball."],
        )
    return muscle


def test_it_shows_the_muscle_its_points_and_techniques(client: Client) -> None:
    _muscle()
    response = client.get("/muscles/quadratus-lumborum/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Quadratus lumborum</h1>" in html
    assert 'id="quadratus-lumborum-point-0"' in html
    assert (
        "Commonly sends pain to</strong> right flank, <strong>and sometimes to</strong> right groin"
        in html
    )
    assert "Lean into the ball." in html
    assert "1.5 min per side, hold 30 s, 3 times" in html


def test_each_point_has_a_body_map_with_shaded_zones_and_a_marker(client: Client) -> None:
    _muscle(points=1)
    html = client.get("/muscles/quadratus-lumborum/").content.decode()
    assert 'id="quadratus-lumborum-point-0-right-flank"' in html
    assert "zone-essential" in html and "zone-spillover" in html
    assert 'class="tp-marker' in html


def test_it_cites_its_sources(client: Client) -> None:
    _muscle(points=1)
    html = client.get("/muscles/quadratus-lumborum/").content.decode()
    assert 'href="/sources/#source-003_seed.txt"' in html
    assert "Massage tips for back pain relief" in html


def test_a_professional_only_muscle_shows_no_self_release(client: Client) -> None:
    MuscleFactory(slug="pelvic-floor", name="Pelvic floor", professional_only=True)
    html = client.get("/muscles/pelvic-floor/").content.decode()
    assert "No self-release for this muscle" in html
    assert "Self-release techniques" not in html


def test_an_unknown_muscle_is_a_friendly_404(client: Client) -> None:
    response = client.get("/muscles/no-such-muscle/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_detail_queries_are_a_fixed_number(client: Client, django_assert_num_queries) -> None:
    _muscle(points=1)
    # the catalogue version (for the page, then for its cached body), then the page's 12
    with django_assert_num_queries(14):
        client.get("/muscles/quadratus-lumborum/")


def test_detail_queries_do_not_grow_with_points(client: Client, django_assert_num_queries) -> None:
    _muscle(points=6)
    with django_assert_num_queries(14):
        response = client.get("/muscles/quadratus-lumborum/")
    assert response.content.decode().count('class="point card"') == 6


def test_a_second_visit_is_served_from_the_cache(client: Client, django_assert_num_queries):
    _muscle(points=3)
    first = client.get("/muscles/quadratus-lumborum/").content
    with django_assert_num_queries(1):  # only the catalogue version
        again = client.get("/muscles/quadratus-lumborum/").content
    assert _without_tokens(again) == _without_tokens(first)


def test_an_edit_to_the_catalogue_shows_at_once(client: Client) -> None:
    muscle = _muscle(points=2)
    assert "Deep flank muscle" not in client.get("/muscles/quadratus-lumborum/").content.decode()
    muscle.summary = "Deep flank muscle between the lowest rib and the pelvis."
    muscle.save()
    body = client.get("/muscles/quadratus-lumborum/").content.decode()
    assert "Deep flank muscle between the lowest rib" in body
    point = muscle.trigger_points.first()
    point.name = "Renamed point for the test"
    point.save()
    page = "/muscles/quadratus-lumborum/"
    assert "Renamed point for the test" in client.get(page).content.decode()
    point.delete()
    assert "Renamed point for the test" not in client.get(page).content.decode()


def _without_tokens(html: bytes) -> str:
    """A page minus the per-request CSRF token and CSP nonce."""
    import re

    text = html.decode()
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    return re.sub(r'nonce="[^"]+"', "", text)
