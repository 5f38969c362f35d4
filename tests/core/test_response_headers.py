"""Every kind of response the app makes carries the security headers, error pages and
refusals included; and hostile input (a forged session cookie, a form in a foreign text
encoding) gets a plain 4xx, never a 500. test_security.py checks the values on every
page with production settings; this file checks that no kind of response goes without."""

from collections.abc import Callable
from importlib import import_module

import pytest
from django.conf import settings
from django.db import IntegrityError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.http import HttpResponse
from django.test import Client

from tests.factories import PASSWORD, TechniqueFactory

pytestmark = pytest.mark.django_db

SESSION_STORE = import_module(settings.SESSION_ENGINE).SessionStore
FORM = "application/x-www-form-urlencoded"


def assert_security_headers(response: HttpResponse) -> None:
    csp = response.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, csp
    assert "default-src 'self'" in csp, csp
    assert response.get("X-Frame-Options") == "DENY"
    assert response.get("Permissions-Policy") == settings.PERMISSIONS_POLICY
    assert response.get("X-Content-Type-Options") == "nosniff"
    assert response.get("Referrer-Policy") == settings.SECURE_REFERRER_POLICY


def failing(error: Exception):
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    return fail


def wrong_password(client: Client, username: str) -> HttpResponse:
    return client.post("/accounts/login/", {"username": username, "password": "wrong"})


# Each makes the app answer one kind of response: (status it must have, how to get it).


def page(monkeypatch, person) -> HttpResponse:
    return Client().get("/muscles/")


def redirect(monkeypatch, person) -> HttpResponse:
    return Client().get("/journal/")  # to the log-in page


def form_error(monkeypatch, person) -> HttpResponse:
    return wrong_password(Client(), person.username)


def json_error(monkeypatch, person) -> HttpResponse:
    return Client().post("/session/log/", "{not json", content_type="application/json")


def csrf_failure(monkeypatch, person) -> HttpResponse:
    client = Client(enforce_csrf_checks=True)
    return client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})


def not_found(monkeypatch, person) -> HttpResponse:
    return Client().get("/no-such-page/")


def method_not_allowed(monkeypatch, person) -> HttpResponse:
    return Client().post("/muscles/")


def throttled(monkeypatch, person) -> HttpResponse:
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert wrong_password(client, person.username).status_code == 400
    return client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})


def bug_in_a_view(monkeypatch, person) -> HttpResponse:
    monkeypatch.setattr(CursorWrapper, "execute", failing(RuntimeError("a bug")))
    return Client(raise_request_exception=False).get("/muscles/")


def bug_saving_the_session(monkeypatch, person) -> HttpResponse:
    """Outside any view: SessionMiddleware saves the session after the view returned."""
    technique = TechniqueFactory()
    monkeypatch.setattr(SESSION_STORE, "save", failing(IntegrityError("duplicate key")))
    client = Client(raise_request_exception=False)
    return client.post(f"/session/plan/add/{technique.slug}/", {"side": "both"})


def database_down(monkeypatch, person) -> HttpResponse:
    monkeypatch.setattr(CursorWrapper, "execute", failing(OperationalError("connection refused")))
    return Client().get("/muscles/")


def database_down_saving_the_session(monkeypatch, person) -> HttpResponse:
    technique = TechniqueFactory()
    monkeypatch.setattr(SESSION_STORE, "save", failing(OperationalError("connection refused")))
    client = Client(raise_request_exception=False)
    return client.post(f"/session/plan/add/{technique.slug}/", {"side": "both"})


def browser() -> Client:
    """Checks CSRF as for a browser, and has the CSRF cookie: CsrfViewMiddleware then
    reads the form's body for its token."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/accounts/login/")
    return client


def foreign_charset(monkeypatch, person) -> HttpResponse:
    client = browser()
    body = b"\xff\xfeu\x00s\x00e\x00\xd8"  # UTF-16 that does not even decode
    return client.generic("POST", "/accounts/login/", body, content_type=f"{FORM}; charset=utf-16")


RESPONSES: dict[str, tuple[int, Callable[..., HttpResponse]]] = {
    "200 page": (200, page),
    "302 redirect": (302, redirect),
    "400 form error": (400, form_error),
    "400 JSON": (400, json_error),
    "400 foreign charset": (400, foreign_charset),
    "403 CSRF failure": (403, csrf_failure),
    "404": (404, not_found),
    "405": (405, method_not_allowed),
    "429 throttled": (429, throttled),
    "500 in a view": (500, bug_in_a_view),
    "500 saving the session": (500, bug_saving_the_session),
    "503 in a view": (503, database_down),
    "503 saving the session": (503, database_down_saving_the_session),
}


@pytest.mark.parametrize("kind", RESPONSES)
def test_every_kind_of_response_carries_the_security_headers(
    monkeypatch, catalog, person, kind: str
) -> None:
    status, make = RESPONSES[kind]
    response = make(monkeypatch, person)
    assert response.status_code == status
    assert_security_headers(response)


# A session cookie that no session could have -------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["ab\x00cd", "abcdefgh\x00ijklmnop", "ABCDEFGHIJKLMNOP", "abcdefgh'; --", "abc def ghi"],
)
def test_a_forged_session_cookie_is_ignored_not_a_500(catalog, value: str) -> None:
    """Django's session keys are lowercase letters and digits. PostgreSQL refuses a NUL
    in a query, so every page answered 500 to a NUL in a cookie of 8 characters or more
    (a shorter one is never looked up); run this on PostgreSQL too."""
    client = Client(raise_request_exception=False)
    for url in ("/", "/muscles/", "/session/plan/", "/where-does-it-hurt/"):
        response = client.get(url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={value}"})
        assert response.status_code == 200, url
        assert "Log out" not in response.content.decode(), url


def test_a_real_session_cookie_still_works(catalog, person_client: Client) -> None:
    response = person_client.get("/journal/")
    assert response.status_code == 200
    assert "Log out" in response.content.decode()


# Forms in a text encoding other than UTF-8 ----------------------------------------------

FOREIGN_BODIES = {
    "utf-16 that does not decode": ("utf-16", b"\xff\xfeu\x00s\x00e\x00\xd8"),
    "utf-16 that decodes": ("utf-16", "username=ana&password=x".encode("utf-16")),
    "latin-1": ("latin-1", "username=caf\xe9&password=cr\xe8me".encode("latin-1")),
}


FORM_URLS = ["/accounts/login/", "/where-does-it-hurt/safety/", "/session/log/"]


@pytest.mark.parametrize("url", FORM_URLS)
@pytest.mark.parametrize("body", FOREIGN_BODIES)
@pytest.mark.parametrize("csrf_checks", [True, False], ids=["browser", "no csrf check"])
def test_a_form_in_a_foreign_charset_is_a_plain_400(
    catalog, url: str, body: str, csrf_checks: bool
) -> None:
    """Django refuses a urlencoded form declared in anything but UTF-8 (BadRequest). The
    error pages must not read request.POST again, or the 400 becomes a bare 500."""
    charset, content = FOREIGN_BODIES[body]
    client = browser() if csrf_checks else Client(raise_request_exception=False)
    response = client.generic("POST", url, content, content_type=f"{FORM}; charset={charset}")
    assert response.status_code == 400
    assert_security_headers(response)
    text = response.content.decode()
    for leak in ("UTF-8", "utf-16", "latin-1", "codec", "Traceback", "BadRequest"):
        assert leak not in text, leak


def test_an_unknown_charset_is_read_as_utf_8(catalog, person) -> None:
    """Django ignores a charset it does not know (LookupError) and reads the form as UTF-8."""
    client = Client(raise_request_exception=False)
    body = f"username={person.username}&password={PASSWORD}".encode()
    response = client.generic(
        "POST", "/accounts/login/", body, content_type=f"{FORM}; charset=no-such-charset"
    )
    assert response.status_code == 302
    assert client.get("/journal/").status_code == 200


def test_a_refused_form_says_what_to_do_in_the_sites_own_page(catalog) -> None:
    """A form sent without its CSRF cookie (a page open for days, cookies blocked)."""
    response = Client(enforce_csrf_checks=True).post("/where-does-it-hurt/safety/", {"a": "1"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "That form could not be sent" in html and "Reload the page" in html
    assert "CSRF" not in html  # no jargon
    assert_security_headers(response)
