"""Issue 18 item 7: the sources page groups its sources by kind, strongest first, and
every list of sources on the site names the stronger kinds first."""

import re

import pytest
from django.test import Client

from backtp.catalog.models import Source, Technique

pytestmark = pytest.mark.django_db

STRONGEST_FIRST = [
    ("book", "Clinical references"),
    ("guideline", "Health-service guidance"),
    ("literature", "Published studies"),
    ("seed", "Practitioner articles"),
]


def test_the_sources_page_groups_its_sources_by_kind_strongest_first(client: Client, catalog):
    html = client.get("/sources/").content.decode()
    headings = re.findall(r'<h2 id="kind-([a-z]+)">([^<]+?) <span class="count">(\d+)</span>', html)
    kinds = [(kind, name) for kind, name, _ in headings]
    assert kinds == [k for k in STRONGEST_FIRST if Source.objects.filter(kind=k[0]).exists()]
    sections = html.split('<h2 id="kind-')[1:]
    for (kind, _, count), section in zip(headings, sections, strict=True):
        keys = re.findall(r'<li id="source-([^"]+)">', section)
        assert keys == list(Source.objects.filter(kind=kind).values_list("key", flat=True))
        assert int(count) == len(keys)


def test_a_techniques_short_citation_names_the_stronger_source_first(client: Client, catalog):
    rank = {kind: n for n, (kind, _) in enumerate(STRONGEST_FIRST)}
    mixed = [t for t in Technique.objects.all() if len({s.kind for s in t.sources.all()}) > 1]
    assert mixed, "no technique cites two kinds of source"
    for technique in mixed:
        html = client.get(technique.get_absolute_url()).content.decode()
        cited = re.findall(r'href="/sources/#source-([^"]+)"', html)
        kinds = [Source.objects.get(key=key).kind for key in dict.fromkeys(cited)]
        assert [rank[k] for k in kinds] == sorted(rank[k] for k in kinds), technique.slug
