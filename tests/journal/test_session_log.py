"""Saving a session from the timer: once per client id, and never lost by logging in later."""

import json
import uuid

import pytest
from django.test import Client

from backtp.journal.models import TreatmentSession
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def payload(**changes: object) -> dict:
    data = {
        "id": str(uuid.uuid4()),
        "routine": "tennis-ball-trio",
        "started_at": "2026-11-21T08:00:00Z",
        "finished_at": "2026-11-21T08:05:00Z",
        "pain_before": 6,
        "pain_after": 4,
        "note": "Easier to stand up afterwards.",
        "steps": [
            {
                "technique": "mf-tennis-ball-wall",
                "side": "both",
                "planned_seconds": 90,
                "done_seconds": 90,
                "completed": True,
                "reproduced": "yes",
            },
            {
                "technique": "gmed-thumb-strokes",
                "side": "both",
                "planned_seconds": 60,
                "done_seconds": 20,
                "completed": False,
                "reproduced": "",
            },
        ],
    }
    data.update(changes)
    return data


def post(client: Client, data: object):
    return client.post("/session/log/", json.dumps(data), content_type="application/json")


def test_a_session_is_saved_with_its_steps(client: Client, catalog) -> None:
    data = payload()
    response = post(client, data)
    assert response.status_code == 201
    session = TreatmentSession.objects.get(pk=data["id"])
    assert (session.pain_before, session.pain_after, session.pain_change) == (6, 4, -2)
    assert session.routine.slug == "tennis-ball-trio" and session.minutes == 5
    steps = list(session.steps.all())
    assert [s.technique.slug for s in steps] == ["mf-tennis-ball-wall", "gmed-thumb-strokes"]
    assert steps[0].reproduced == "yes" and steps[1].completed is False


def test_a_retry_or_double_submit_stores_it_exactly_once(client: Client, catalog) -> None:
    data = payload()
    assert post(client, data).status_code == 201
    again = post(client, data)
    assert again.status_code == 200 and again.json()["created"] is False
    assert TreatmentSession.objects.count() == 1
    assert TreatmentSession.objects.get().steps.count() == 2


def test_someone_elses_id_is_a_conflict(
    person_client: Client, catalog, person, other_person
) -> None:
    data = payload()
    post(person_client, data)
    other = Client()
    other.force_login(other_person)
    assert post(other, data).status_code == 409
    assert TreatmentSession.objects.get().user == person


@pytest.mark.parametrize(
    "data",
    [
        "not json",
        ["a", "list"],
        payload(pain_before=11),
        payload(pain_after=-1),
        payload(id="not-a-uuid"),
        payload(finished_at="2026-11-21T07:00:00Z"),
        payload(steps=[]),
        payload(steps="many"),
        payload(steps=[{"technique": "no-such-thing", "side": "both"}]),
        payload(steps=[{**payload()["steps"][0], "side": "middle"}]),
        payload(steps=[{**payload()["steps"][0], "done_seconds": -5}]),
        payload(steps=[{**payload()["steps"][0], "reproduced": "maybe"}]),
        payload(steps=[{**payload()["steps"][0], "completed": "yes"}]),
        payload(note="x" * 2001),
    ],
)
def test_bad_logs_are_a_400_and_store_nothing(client: Client, catalog, data) -> None:
    body = data if isinstance(data, str) else json.dumps(data)
    response = client.post("/session/log/", body, content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.json()
    assert not TreatmentSession.objects.exists()


def test_saving_needs_the_csrf_token(catalog) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, payload()).status_code == 403


def test_a_session_saved_logged_out_is_attached_after_signup(client: Client, catalog) -> None:
    data = payload()
    response = post(client, data)
    assert response.json()["saved_to_account"] is False
    assert TreatmentSession.objects.get().user is None
    client.post(
        "/accounts/signup/",
        {"email": "cy@example.com", "password": PASSWORD},
    )
    assert TreatmentSession.objects.get(pk=data["id"]).user.email == "cy@example.com"


def test_a_session_saved_logged_out_is_attached_after_login(
    client: Client, catalog, person
) -> None:
    data = payload()
    post(client, data)
    client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    assert TreatmentSession.objects.get(pk=data["id"]).user == person


def test_a_logged_in_save_belongs_to_the_person(person_client: Client, catalog, person):
    assert post(person_client, payload()).json()["saved_to_account"] is True
    assert TreatmentSession.objects.get().user == person
