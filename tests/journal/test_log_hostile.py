"""The session log endpoint against what a flaky network, a shared phone or an attacker
sends: a clear 400, 403 or 409, never a 500, and never a session in the wrong account."""

import importlib
import json
import threading
import uuid

import pytest
from django.apps import apps
from django.db import connection, connections
from django.test import Client

from backtp.journal.models import TreatmentSession
from tests.factories import PASSWORD
from tests.journal.test_session_log import payload, post

pytestmark = pytest.mark.django_db

TECHNICAL = ("codec", "surrogate", "utf", "Traceback", "Error", "\\u")


def refused(response, status: int = 400) -> str:
    assert response.status_code == status, response.content
    message = response.json()["error"]
    assert not any(word in response.content.decode() for word in TECHNICAL), message
    return message


# Times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "finished"),
    [
        ("9999-12-31T23:00:00-12:00", "9999-12-31T23:30:00-12:00"),  # year 10000 in UTC
        ("0001-01-01T00:30:00+14:00", "0001-01-01T00:40:00+14:00"),  # year 0 in UTC
        ("1999-06-01T08:00:00Z", "1999-06-01T08:05:00Z"),
        ("2099-06-01T08:00:00Z", "2099-06-01T08:05:00Z"),
        ("2026-11-21T08:00:00Z", "2026-11-24T08:00:00Z"),  # three days long
    ],
)
def test_times_no_session_could_have_are_a_400(
    person_client: Client, catalog, started: str, finished: str
) -> None:
    message = refused(post(person_client, payload(started_at=started, finished_at=finished)))
    assert message == "Some fields are not valid."
    assert not TreatmentSession.objects.exists()
    for page in ("/journal/", "/journal/progress/", "/journal/summary/", "/accounts/export.json"):
        assert person_client.get(page).status_code == 200


@pytest.mark.parametrize("offset", ["+23:59", "-23:59", "+05:45"])
def test_any_offset_python_reads_is_stored_as_the_same_moment(
    client: Client, catalog, offset: str
) -> None:
    data = payload(
        started_at=f"2026-11-21T08:00:00{offset}", finished_at=f"2026-11-21T08:05:00{offset}"
    )
    assert post(client, data).status_code == 201
    session = TreatmentSession.objects.get()
    sign = 1 if offset[0] == "+" else -1
    hours, minutes = map(int, offset[1:].split(":"))
    expected = 8 * 60 - sign * (hours * 60 + minutes)
    assert session.started_at.utcoffset().total_seconds() == 0
    assert (session.started_at.hour * 60 + session.started_at.minute) % 1440 == expected % 1440


def test_times_stored_before_they_were_checked_no_longer_break_the_journal(
    client: Client, catalog, person
) -> None:
    """A row as an earlier version stored it on PostgreSQL: year 10000 in UTC."""
    from tests.journal.test_journal import log_session

    session = log_session(person, before=7, after=4)
    table = TreatmentSession._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET started_at = %s, finished_at = %s WHERE id = %s",
            ["10000-01-01 11:00:00+00:00", "10000-01-01 11:30:00+00:00", session.pk.hex],
        )
    migration = importlib.import_module("backtp.journal.migrations.0005_repair_unreadable_times")
    migration.repair_unreadable_times(apps, None)

    client.force_login(person)
    for page in ("/journal/", "/journal/progress/", "/journal/summary/", "/accounts/export.json"):
        response = client.get(page)
        assert response.status_code == 200, page
    repaired = TreatmentSession.objects.get(pk=session.pk)
    assert (repaired.pain_before, repaired.pain_after, repaired.note) == (7, 4, "Felt looser.")
    assert repaired.started_at == repaired.created


# Text and shape -----------------------------------------------------------------------

STEP = payload()["steps"][0]


@pytest.mark.parametrize(
    "data",
    [
        payload(note="before\x00after"),
        payload(note="lone \ud800 surrogate"),
        payload(routine="tennis\x00ball"),
        payload(id="\x00"),
        payload(owner="a:\x00"),
        payload(steps=[{**STEP, "technique": "mf-tennis-ball-wall\x00"}]),
        payload(steps=[{**STEP, "side": "\udfff"}]),
        payload(steps=[{**STEP, "reproduced": "yes\x00"}]),
        {**payload(), "\x00": "a key"},
        payload(steps=[{**STEP, "technique": ["a", "list"]}]),
        payload(steps=[{**STEP, "planned_seconds": 1e309}]),
        payload(pain_before=[6]),
        payload(note={"text": "hi"}),
        payload(started_at=None, finished_at=12),
        payload(steps=[[[[[[[STEP]]]]]]]),
        payload(owner=5),
        payload(owner="someone"),
    ],
)
def test_malformed_logs_are_a_plain_400_and_store_nothing(client: Client, catalog, data) -> None:
    body = json.dumps(data, ensure_ascii=True)  # lone surrogates travel as \ud800
    response = client.post("/session/log/", body, content_type="application/json")
    refused(response)
    assert not TreatmentSession.objects.exists()


@pytest.mark.parametrize("depth", [100, 5_000, 200_000])
def test_deeply_nested_json_is_a_400(client: Client, catalog, depth: int) -> None:
    body = '{"steps": ' + "[" * depth + "]" * depth + "}"
    refused(client.post("/session/log/", body, content_type="application/json"))


def test_a_body_that_is_not_utf8_is_a_400(client: Client, catalog) -> None:
    body = json.dumps(payload(note="café"), ensure_ascii=False).encode("latin-1")
    refused(client.post("/session/log/", body, content_type="application/json"))


# Whose session it is --------------------------------------------------------------------


def sign_up(client: Client, name: str) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": f"{name}@example.com", "password": PASSWORD},
    )
    assert response.status_code == 302


def test_knowing_an_unowned_sessions_id_is_not_enough_to_claim_it(client: Client, catalog) -> None:
    data = payload()
    client.get("/session/")
    assert post(client, data).status_code == 201

    stranger = Client()
    assert refused(post(stranger, data), 409) == "This session id is already taken."
    sign_up(stranger, "eve")
    assert refused(post(stranger, data), 409)
    assert TreatmentSession.objects.get().user is None

    sign_up(client, "cy")  # the one who recorded it
    assert TreatmentSession.objects.get().user.email == "cy@example.com"


def test_a_retry_after_a_lost_answer_and_a_sign_up_is_in_the_account(
    client: Client, catalog
) -> None:
    """The first answer never arrived; the person signed up, and the timer sends it again."""
    data = payload()
    client.get("/session/")  # the timer page: the browser session exists before saving
    post(client, data)  # saved, but the answer is lost
    sign_up(client, "cy")
    again = post(client, data)
    assert again.status_code == 200
    assert again.json() == {"id": data["id"], "created": False, "saved_to_account": True}
    assert TreatmentSession.objects.get().user.email == "cy@example.com"


def test_saved_to_account_is_never_claimed_for_a_session_nobody_owns(
    client: Client, catalog
) -> None:
    """When the browser never got the session cookie of its first save, nothing proves
    the session is this person's: the answer says so instead of 'saved to account'."""
    data = payload()
    post(client, data)
    client.cookies.clear()  # the answer, and the cookie in it, were lost
    sign_up(client, "cy")
    refused(post(client, data), 409)
    assert TreatmentSession.objects.get().user is None


def test_a_session_recorded_under_another_account_is_refused_and_kept_by_the_timer(
    client: Client, catalog, person, other_person
) -> None:
    """A page left open after a log-out, or another person's session on a shared device:
    403, which the timer treats as 'keep it for its owner'."""
    client.force_login(other_person)
    refused(post(client, payload(owner=f"u:{person.pk}")), 403)
    refused(post(client, payload(owner="a:" + "0" * 32)), 403)
    assert not TreatmentSession.objects.exists()


def test_a_session_recorded_before_logging_in_is_saved_to_the_account(
    client: Client, catalog, person
) -> None:
    plan = client.get("/session/").context["plan"]
    anonymous_tag = plan["owner"]
    assert anonymous_tag.startswith("a:") and plan["owners"] == [anonymous_tag]
    client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    plan = client.get("/session/").context["plan"]
    assert plan["owners"] == [f"u:{person.pk}", anonymous_tag]
    response = post(client, payload(owner=anonymous_tag))
    assert response.status_code == 201 and response.json()["saved_to_account"] is True
    assert TreatmentSession.objects.get().user == person


def test_after_logging_out_the_next_person_gets_a_new_tag(client: Client, catalog, person) -> None:
    client.get("/session/")
    client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    before = client.get("/session/").context["plan"]["owners"]
    client.post("/accounts/logout/")
    after = client.get("/session/").context["plan"]["owners"]
    assert not set(before) & set(after)


# Replays at once ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_same_log_sent_several_times_at_once_is_stored_once(live_catalog, person) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL: the in-memory SQLite test database locks whole tables")
    data = payload()
    body = json.dumps(data)
    barrier = threading.Barrier(6)
    statuses: list[int] = []

    def send() -> None:
        client = Client()
        client.force_login(person)
        barrier.wait()
        try:
            response = client.post("/session/log/", body, content_type="application/json")
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 5 + [201]
    assert TreatmentSession.objects.filter(pk=uuid.UUID(data["id"])).count() == 1
    assert TreatmentSession.objects.get().steps.count() == 2
