"""backtp.csrf.get_token(): the token personal cached pages carry is one Django accepts,
masked afresh for every response, from an unbiased mask."""

import re
from collections import Counter

import pytest
from django.middleware import csrf as django_csrf
from django.test import Client, RequestFactory

from backtp import csrf

pytestmark = pytest.mark.django_db

SECRET = "a" * 16 + "Z9" * 8


def request_with_cookie(secret: str | None = SECRET):
    request = RequestFactory().get("/")
    if secret is not None:
        request.META["CSRF_COOKIE"] = secret
    return request


def test_the_token_unmasks_to_the_visitors_secret_and_renews_the_cookie() -> None:
    request = request_with_cookie()
    token = csrf.get_token(request)
    assert len(token) == django_csrf.CSRF_TOKEN_LENGTH
    assert set(token) <= set(django_csrf.CSRF_ALLOWED_CHARS)
    assert django_csrf._unmask_cipher_token(token) == SECRET
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_every_token_is_masked_afresh() -> None:
    request = request_with_cookie()
    tokens = {csrf.get_token(request) for _ in range(50)}
    assert len(tokens) == 50
    assert {django_csrf._unmask_cipher_token(t) for t in tokens} == {SECRET}


def test_a_first_visit_gets_a_new_secret_as_from_django() -> None:
    request = request_with_cookie(None)
    token = csrf.get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == django_csrf.CSRF_SECRET_LENGTH
    assert django_csrf._unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_the_mask_favours_no_character() -> None:
    # Taking bytes modulo 62 without dropping 248..255 would make the first eight
    # characters about 24% likelier; allow a tenth either way (about 8 sigma here).
    counts = Counter(csrf.random_string(62_000))
    assert set(counts) == set(csrf.CHARS)
    assert all(900 < count < 1100 for count in counts.values()), counts.most_common(3)


def test_a_cached_page_posts_with_its_token_and_a_forged_one_is_refused(
    django_user_model,
) -> None:
    django_user_model.objects.create_user("ana", "ana@example.com", "pw-ana-12345")
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")  # the CSRF cookie, as a browser gets it
    login = client.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)[1]
    client.post(
        "/accounts/login/",
        {"username": "ana", "password": "pw-ana-12345", "csrfmiddlewaretoken": token},
    )
    for _ in range(2):  # built, then served from the cache with a new mask
        journal = client.get("/journal/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', journal)[1]
    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": forged}).status_code == 403
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "Log out" not in client.get("/").content.decode()
