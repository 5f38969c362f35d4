"""Random and malformed input to every endpoint of the app, as a stranger and as a
logged-in person, with and without htmx: never a server error, and a refused
request changes nothing anybody saved.

The endpoints are found by walking the URL patterns, so a new view is fuzzed from
the day it is added. Field names and values are scraped from the app's own forms,
mixed with junk, so the fuzzer gets past "unknown field" into real validation.
"""

import json
import re
import uuid

import pytest
from django.apps import apps
from django.test import Client
from django.urls import get_resolver, reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.core.test_isolation import _patterns
from tests.journal.test_session_log import payload

pytestmark = pytest.mark.django_db

FORM_PAGES = [
    "/where-does-it-hurt/safety/",
    "/where-does-it-hurt/body-map/",
    "/where-does-it-hurt/how-it-feels/",
    "/where-does-it-hurt/what-you-have/",
    "/accounts/signup/",
    "/accounts/login/",
    "/accounts/settings/",
    "/accounts/settings/reminders/",
    "/reminders/devices/",
    "/accounts/delete/",
    "/accounts/password/change/",
    "/accounts/password/reset/",
    "/muscles/",
    "/search/",
    "/session/plan/",
    "/session/",
]
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "10",
    "11",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "null",
    "true",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "\u202e\ufeff",
    "💥" * 40,
    "x" * 5000,
]
# Everything a person can save; none of it may change when a request is refused.
SAVED_MODELS = ["accounts.User", "guide.Assessment"] + [
    f"journal.{model.__name__}" for model in apps.get_app_config("journal").get_models()
]
# The catalogue is only ever changed by fixtures and the admin.
CATALOGUE_MODELS = [
    f"catalog.{model.__name__}" for model in apps.get_app_config("catalog").get_models()
]


def saved_state() -> dict[str, list[dict]]:
    state = {
        label: list(apps.get_model(label).objects.order_by("pk").values()) for label in SAVED_MODELS
    }
    for label in CATALOGUE_MODELS:
        state[label] = [apps.get_model(label).objects.count()]
    return state


def _endpoints() -> list[tuple[str, dict[str, str]]]:
    """(name, converters) for every app URL; the admin is Django's own and left out."""
    return [
        (name, {key: type(conv).__name__ for key, conv in pattern.pattern.converters.items()})
        for name, pattern in _patterns(get_resolver())
        if not name.startswith("admin:")
    ]


ENDPOINTS = _endpoints()


def _scrape(client: Client) -> tuple[list[str], list[str]]:
    names, values = set(), set()
    for url in FORM_PAGES:
        html = client.get(url).content.decode()
        names.update(re.findall(r'name="([^"]+)"', html))
        values.update(re.findall(r'value="([^"]*)"', html))
    names.discard("csrfmiddlewaretoken")
    return sorted(names), sorted(values)


@pytest.fixture
def world(catalog, person):
    """A person with saved things, a questionnaire under way, and the forms' vocabulary."""
    from tests.guide.test_guide import complete
    from tests.journal.test_journal import log_session

    ana = person
    log_session(ana, before=6, after=3)
    scout = Client()
    scout.force_login(ana)
    complete(scout)
    names, values = _scrape(scout)
    from backtp.catalog.models import Muscle, Routine, Technique
    from backtp.guide.models import Assessment

    slugs = [
        *Muscle.objects.values_list("slug", flat=True)[:3],
        *Technique.objects.values_list("slug", flat=True)[:3],
        *Routine.objects.values_list("slug", flat=True)[:2],
    ]
    uuids = [str(Assessment.objects.first().pk), str(ana.treatment_sessions.first().pk)]
    world = {"user": ana, "names": names, "values": values, "slugs": slugs, "uuids": uuids}
    world["endpoints"] = [(*endpoint, _methods(scout, endpoint, world)) for endpoint in ENDPOINTS]
    return world


def _methods(client: Client, endpoint: tuple[str, dict[str, str]], world: dict) -> list[str]:
    """The methods a view takes, from its 405 answers, so the fuzz spends its time
    on requests that reach the view (with a few of the refused kind still sent)."""
    name, converters = endpoint
    kwargs = {key: _example(conv, world) for key, conv in converters.items()}
    allowed = [
        method
        for method in ("GET", "POST")
        if client.generic(method, reverse(name, kwargs=kwargs)).status_code != 405
    ]
    return allowed or ["GET", "POST"]


def _example(converter: str, world: dict) -> str:
    return {"SlugConverter": world["slugs"][0], "UUIDConverter": world["uuids"][0]}.get(
        converter, "0"
    )


def _argument(converter: str, world: dict) -> st.SearchStrategy[str]:
    if converter == "SlugConverter":
        return st.sampled_from(world["slugs"]) | st.from_regex(r"[-a-z0-9_]{1,30}", fullmatch=True)
    if converter == "UUIDConverter":
        return st.sampled_from(world["uuids"]) | st.uuids().map(str)
    if converter == "IntConverter":
        return st.sampled_from(["0", "1", "2"]) | st.integers(0, 10**30).map(str)
    return st.sampled_from(["up", "down"]) | st.from_regex(r"[-A-Za-z0-9_]{1,40}", fullmatch=True)


@st.composite
def requests(draw, world: dict) -> dict:
    name, converters, methods = draw(st.sampled_from(world["endpoints"]))
    kwargs = {key: draw(_argument(conv, world)) for key, conv in converters.items()}
    value = st.sampled_from(world["values"]) | st.sampled_from(NASTY) | st.text(max_size=60)
    field = st.sampled_from(world["names"]) | st.text(min_size=1, max_size=20)
    data = draw(st.dictionaries(field, st.lists(value, min_size=1, max_size=3), max_size=8))
    body = draw(st.sampled_from(["form", "json", "bytes", "none"]))
    headers = {}
    if draw(st.booleans()):
        headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}
        if draw(st.booleans()):
            headers["HX-Target"] = draw(st.sampled_from(["results", "plan", "step", "x"]))
    return {
        "url": reverse(name, kwargs=kwargs),
        "method": draw(st.sampled_from(methods * 9 + ["GET", "POST"])),
        "data": data,
        "body": body,
        "raw": draw(st.binary(max_size=200)),
        "json": draw(
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                lambda inner: (
                    st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=10), inner, max_size=4)
                ),
                max_leaves=12,
            )
        ),
        "headers": headers,
    }


def send(client: Client, request: dict):
    if request["method"] == "GET":
        return client.get(request["url"], request["data"], headers=request["headers"])
    if request["body"] == "json":
        return client.post(
            request["url"],
            json.dumps(request["json"]),
            content_type="application/json",
            headers=request["headers"],
        )
    if request["body"] == "bytes":
        return client.post(
            request["url"],
            request["raw"],
            content_type="application/x-www-form-urlencoded",
            headers=request["headers"],
        )
    if request["body"] == "none":
        return client.post(request["url"], headers=request["headers"])
    return client.post(request["url"], request["data"], headers=request["headers"])


# How many examples: the Hypothesis profile (tests/conftest.py; `make fuzz` runs long).
FUZZ = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fuzz(client: Client, world: dict, data) -> None:
    request = data.draw(requests(world))
    before = saved_state()
    response = send(client, request)
    event(f"{request['method']} {response.status_code}")  # --hypothesis-show-statistics
    assert response.status_code < 500, request
    if response.status_code >= 400:
        assert saved_state() == before, request


@FUZZ
@given(data=st.data())
def test_a_stranger_never_breaks_anything(world, data) -> None:
    _fuzz(Client(raise_request_exception=True), world, data)


@FUZZ
@given(data=st.data())
def test_a_logged_in_person_never_breaks_anything(world, data) -> None:
    client = Client(raise_request_exception=True)
    client.force_login(world["user"])
    _fuzz(client, world, data)


# Any text JSON can carry: lone surrogates and NUL included (Hypothesis leaves out
# surrogates unless asked).
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=30)
EDGE_TEXT = st.sampled_from(["\x00", "a\x00", "\ud800", "x\udfff", "\ufffe", "\U0010ffff"])


@st.composite
def timestamps(draw) -> str:
    """ISO times at and beyond what Python and the databases hold, with any offset."""
    year = draw(st.sampled_from([1, 2, 1969, 1999, 2020, 2026, 2027, 9998, 9999]))
    day = draw(st.sampled_from(["01-01T00:30:00", "06-15T12:00:00", "12-31T23:30:00"]))
    offset = draw(
        st.sampled_from(["Z", "", "+00:00", "+14:00", "-12:00", "+23:59", "-23:59", "+05:45"])
    )
    return f"{year:04d}-{day}{offset}"


def _nested(depth: int) -> object:
    value: object = "deep"
    for _ in range(depth):
        value = [value]
    return value


def _mutations() -> st.SearchStrategy[dict]:
    """A valid session log with one part replaced by something else."""
    junk = st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT | EDGE_TEXT
    junk = junk | timestamps() | st.integers(1, 3000).map(_nested)
    junk = junk | st.lists(junk, max_size=3) | st.sampled_from(NASTY)
    top = st.sampled_from([*payload(), "owner"])
    step_key = st.sampled_from(list(payload()["steps"][0]))

    @st.composite
    def mutate(draw) -> dict:
        log = payload()
        if draw(st.booleans()):
            log[draw(top)] = draw(junk)
        else:
            log["steps"][draw(st.integers(0, 1))][draw(step_key)] = draw(junk)
        return log

    return mutate()


@FUZZ
@given(log=_mutations())
def test_a_mangled_session_log_is_refused_or_stored_whole(catalog, log) -> None:
    from backtp.journal.models import TreatmentSession

    client = Client(raise_request_exception=True)
    before = saved_state()
    response = client.post("/session/log/", json.dumps(log), content_type="application/json")
    assert response.status_code in (200, 201, 400, 403, 409), response.content
    if response.status_code >= 400:
        assert saved_state() == before
        assert response.json()["error"]
    else:
        stored = TreatmentSession.objects.get(pk=uuid.UUID(str(log["id"])))
        assert stored.steps.count() == len(log["steps"])


@FUZZ
@given(start=timestamps(), end=timestamps(), note=ANY_TEXT | EDGE_TEXT)
def test_whatever_times_and_text_a_log_has_no_page_of_its_owner_breaks(
    catalog, person, start: str, end: str, note: str
) -> None:
    client = Client(raise_request_exception=True)
    client.force_login(person)
    log = payload(started_at=start, finished_at=end, note=note)
    response = client.post("/session/log/", json.dumps(log), content_type="application/json")
    assert response.status_code in (201, 400), response.content
    for page in ("/journal/", "/journal/progress/", "/journal/summary/", "/accounts/export.json"):
        assert client.get(page).status_code == 200, page
    csv = client.get("/accounts/export/sessions.csv")
    assert csv.status_code == 200
    b"".join(csv.streaming_content)
