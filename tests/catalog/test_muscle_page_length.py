"""Issue 15 item 5: a muscle page says what its technique cards share once, and gathers
its sources once, instead of repeating them on every card."""

import pytest
from django.test import Client
from django.utils.html import escape

from backtp.catalog.models import Muscle, Source

pytestmark = pytest.mark.django_db


def page(client: Client) -> str:
    return client.get("/muscles/quadratus-lumborum/").content.decode()


def test_the_shared_caution_and_pressure_are_said_once(client: Client, catalog) -> None:
    html = page(client)
    techniques = Muscle.objects.get(slug="quadratus-lumborum").trigger_points.values_list(
        "techniques__cautions", "techniques__pressure"
    )
    caution = max({c for c, _ in techniques if c}, key=lambda c: sum(x == c for x, _ in techniques))
    pressure = max({p for _, p in techniques}, key=lambda p: sum(x == p for _, x in techniques))
    assert html.count(caution) == 1
    assert html.count(pressure) == 1
    assert html.count('<a href="#caution">see the caution above the techniques</a>') >= 2


def test_each_source_is_given_in_full_once_and_cited_by_its_short_label(client, catalog):
    html = page(client)
    travell = Source.objects.get(key="travell-simons-vol2")
    title, label = escape(travell.title), escape(travell.label)
    assert html.count(f">{title}</a>") == 1  # in full, in the page's Sources section
    assert html.count(f'title="{title}">{label}</a>') >= 3
