"""While the database is unreachable the app answers a calm 503 with Retry-After, never a
500 storm or a traceback; a real bug still answers 500. `make faulttest` checks the same
against a live server whose PostgreSQL is stopped; these tests pin the code paths it relies
on: an error inside a view (middleware.database_unavailable) and an error outside it, while
the session is loaded or saved (handler500, middleware.server_error)."""

from importlib import import_module

import pytest
from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
)
from django.db.backends.utils import CursorWrapper
from django.test import Client

from tests.factories import PASSWORD, TechniqueFactory

pytestmark = pytest.mark.django_db

SESSION_STORE = import_module(settings.SESSION_ENGINE).SessionStore


def failing(error: Exception):
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    return fail


def assert_friendly_503(response) -> None:
    html = response.content.decode()
    assert response.status_code == 503
    assert "<title>Back in a moment" in html
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    for leak in ("Traceback", "OperationalError", "InterfaceError", "connection refused"):
        assert leak not in html, leak


def assert_plain_500(response) -> None:
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "Back in a moment" not in html
    assert "Retry-After" not in response.headers
    assert "Traceback" not in html


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_lost_inside_a_view_is_a_friendly_503(monkeypatch, error) -> None:
    monkeypatch.setattr(CursorWrapper, "execute", failing(error("connection refused")))
    # The default client re-raises any exception that escaped to the handler: this one
    # is answered by the middleware, so nothing escapes.
    response = Client().get("/")
    assert_friendly_503(response)


def test_the_503_page_needs_no_database_and_no_request_context(monkeypatch) -> None:
    """A logged-in person's 503 must not try to load their session or user to render."""
    monkeypatch.setattr(CursorWrapper, "execute", failing(OperationalError("server closed")))
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert_friendly_503(client.get("/muscles/"))


def test_a_session_that_cannot_be_loaded_in_a_view_is_a_503(monkeypatch) -> None:
    monkeypatch.setattr(SESSION_STORE, "load", failing(OperationalError("connection refused")))
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert_friendly_503(client.get("/session/plan/"))


def test_a_session_that_cannot_be_saved_after_the_view_is_a_503(monkeypatch) -> None:
    technique = TechniqueFactory()
    monkeypatch.setattr(SESSION_STORE, "save", failing(OperationalError("connection refused")))
    url = f"/session/plan/add/{technique.slug}/"
    # The view succeeded; saving the session failed afterwards in SessionMiddleware, outside
    # the view, where process_exception never sees it: the exception reaches the handler...
    with pytest.raises(OperationalError):
        Client().post(url, {"side": "both"})
    # ...and handler500 still answers it as an outage.
    assert_friendly_503(Client(raise_request_exception=False).post(url, {"side": "both"}))


def test_a_404_page_that_cannot_load_the_session_is_a_503(monkeypatch) -> None:
    """The 404 page shows the account menu, so it loads the session outside any view."""
    monkeypatch.setattr(SESSION_STORE, "load", failing(OperationalError("connection refused")))
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert_friendly_503(client.get("/no-such-page/"))


@pytest.mark.parametrize("error", [IntegrityError, ProgrammingError, RuntimeError])
def test_a_bug_in_a_view_stays_a_500(monkeypatch, error) -> None:
    monkeypatch.setattr(CursorWrapper, "execute", failing(error("duplicate key")))
    with pytest.raises(error):
        Client().get("/")
    assert_plain_500(Client(raise_request_exception=False).get("/"))


def test_a_bug_while_saving_the_session_stays_a_500(monkeypatch) -> None:
    technique = TechniqueFactory()
    monkeypatch.setattr(SESSION_STORE, "save", failing(IntegrityError("duplicate key")))
    client = Client(raise_request_exception=False)
    assert_plain_500(client.post(f"/session/plan/add/{technique.slug}/", {"side": "both"}))


def test_healthz_is_503_while_the_database_is_unreachable(monkeypatch) -> None:
    monkeypatch.setattr(CursorWrapper, "execute", failing(OperationalError("connection refused")))
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_connection_is_already_closed(monkeypatch) -> None:
    """InterfaceError is not a DatabaseError; /healthz catches it too and answers in JSON."""
    monkeypatch.setattr(CursorWrapper, "execute", failing(InterfaceError("connection closed")))
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def session_with_a_plan(client: Client) -> None:
    """An anonymous session that exists in the database: a plan of two steps."""
    for technique in (TechniqueFactory(), TechniqueFactory()):
        assert (
            client.post(f"/session/plan/add/{technique.slug}/", {"side": "both"}).status_code == 302
        )


def test_an_existing_session_that_cannot_be_updated_is_a_503_not_a_400(monkeypatch) -> None:
    """Reordering the plan touches only the session. Django's database session backends
    turn a failed update into SessionInterrupted (a 400, 'the session was deleted'), which
    would tell the timer its log was refused for good; an unreachable database is a 503."""
    client = Client(raise_request_exception=False)
    session_with_a_plan(client)
    model = SESSION_STORE.get_model_class()
    monkeypatch.setattr(model, "save", failing(OperationalError("connection refused")))
    assert_friendly_503(client.post("/session/plan/0/move/down/"))


def test_a_session_deleted_during_the_request_is_still_a_400(monkeypatch) -> None:
    """What SessionInterrupted is for (say, a log-out in another tab) is left alone."""
    client = Client(raise_request_exception=False)
    session_with_a_plan(client)
    model = SESSION_STORE.get_model_class()
    deleted = DatabaseError("Forced update did not affect any rows.")
    monkeypatch.setattr(model, "save", failing(deleted))
    response = client.post("/session/plan/0/move/down/")
    assert response.status_code == 400
    assert "Back in a moment" not in response.content.decode()


# Redis unreachable ---------------------------------------------------------------------

REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    },
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}


def test_with_redis_down_people_still_log_in_and_browse(settings, person) -> None:
    """Sessions are in the database and pages in each process's memory: with Redis gone
    only login throttling is off (it fails open); nothing answers 500."""
    settings.CACHES = REDIS_DOWN
    client = Client()
    response = client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/journal/").status_code == 200
    TechniqueFactory(slug="ball-on-wall", name="Ball on the wall")
    assert client.post("/session/plan/add/ball-on-wall/").status_code == 302
    assert "Ball on the wall" in client.get("/session/plan/").content.decode()
    assert client.get("/muscles/").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_an_outage_is_a_warning_per_request_not_an_error(monkeypatch, caplog) -> None:
    monkeypatch.setattr(CursorWrapper, "execute", failing(OperationalError("server closed")))
    with caplog.at_level("WARNING"):
        assert_friendly_503(Client().get(f"/muscles/{'x'}/"))
    # caplog's handler sits on the root logger and sees records before the filter on
    # django.request would drop them; apply the filter that logger really has.
    import logging

    (quiet,) = logging.getLogger("django.request").filters
    kept = [r for r in caplog.records if quiet.filter(r)]
    assert [r.levelname for r in kept] == ["WARNING"]
    assert "database unavailable" in kept[0].getMessage()


# A connection dropped between requests ----------------------------------------------


def _serve(path: str) -> int:
    """One request through Django's WSGI handler, as gunicorn makes it: request_started
    and request_finished run the connection housekeeping (the test client skips it)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    statuses = []
    body = WSGIHandler()(RequestFactory().get(path).environ, lambda s, h: statuses.append(s))
    body.close()  # sends request_finished
    return int(statuses[0].split()[0])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("health_checks, status", [(True, 200), (False, 503)])
def test_the_first_request_on_a_dropped_connection(health_checks, status) -> None:
    """With persistent connections, a database restart leaves each worker holding a dead
    connection. Health checks (on by default) replace it before the next request uses
    it; without them that request gets the outage page."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: an SQLite file has no connection to drop (CI runs it)")
    import psycopg

    saved = dict(connection.settings_dict)
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=health_checks)
    try:
        assert _serve("/healthz") == 200
        assert connection.connection is not None, "the connection should persist"
        pid = connection.connection.info.backend_pid
        params = connection.get_connection_params()
        with psycopg.connect(
            **{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert _serve("/muscles/") == status
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
