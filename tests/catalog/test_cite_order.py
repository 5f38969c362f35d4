"""A short citation in a content page names the stronger kind of source first, whatever
order the template lists them in (issue 18, item 7)."""

import re

import pytest
from django.test import Client

from backtp.catalog.models import Source

pytestmark = pytest.mark.django_db

STRENGTH = ["book", "guideline", "literature", "seed"]


@pytest.mark.parametrize(
    "url", ["/safety/", "/tips/", "/trigger-points-and-diagnoses/", "/about-the-evidence/"]
)
def test_every_short_citation_on_a_content_page_names_the_strongest_first(
    client: Client, catalog, url: str
) -> None:
    kinds = {s.get_absolute_url(): s.kind for s in Source.objects.all()}
    html = client.get(url).content.decode()
    citations = re.findall(r'<span class="cite">\((.*?)\)</span>', html)
    assert citations, url
    for citation in citations:
        order = [kinds[href] for href in re.findall(r'href="([^"]+)"', citation)]
        assert order == sorted(order, key=STRENGTH.index), (url, citation)
