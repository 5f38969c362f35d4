"""Every URL that takes a journal object's id answers 404 to anyone but its owner."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.test_journal import log_session

pytestmark = pytest.mark.django_db

# Results of a questionnaire are shareable by their unguessable id, by design.
PUBLIC_BY_ID = {"guide:results"}


def _patterns(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def owned_id_urls() -> list[str]:
    return sorted(
        name
        for name, pattern in _patterns(get_resolver())
        if "session_id" in pattern.pattern.converters
    )


def test_the_walk_finds_the_journal_detail() -> None:
    assert owned_id_urls() == ["journal:session_detail"]


def test_no_url_shows_another_persons_session(client: Client, catalog, django_user_model):
    from django.urls import reverse

    ana = django_user_model.objects.create_user("ana", password="x")
    bob = django_user_model.objects.create_user("bob", password="x")
    theirs = log_session(bob, before=9, after=1)
    client.force_login(ana)
    for name in owned_id_urls():
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404, name
    for url in ("/journal/", "/journal/progress/", "/journal/summary/", "/accounts/export.json"):
        body = client.get(url).content.decode()
        assert str(theirs.pk) not in body and "9 → 1" not in body, url
    client.force_login(bob)
    assert client.get(reverse("journal:session_detail", args=[theirs.pk])).status_code == 200
