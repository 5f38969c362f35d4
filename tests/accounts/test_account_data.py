"""Settings, exporting one's data, and deleting the account with everything in it."""

import csv
import io
import json
import re
import uuid
from datetime import timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.utils import timezone

from backtp.guide.models import Assessment
from backtp.journal.models import PlanStep, SessionStep, TreatmentSession
from tests.factories import PASSWORD, UserFactory
from tests.journal.test_journal import log_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(db):
    return UserFactory(username="ana", email="ana@example.com")


def test_settings_save_the_contraindications(client: Client, catalog, ana):
    client.force_login(ana)
    response = client.post("/accounts/settings/", {"contraindications": ["pregnancy"]})
    assert response["Location"] == "/accounts/settings/"
    ana.refresh_from_db()
    assert ana.contraindications == ["pregnancy"]


def test_bad_settings_are_a_400(client: Client, catalog, ana) -> None:
    client.force_login(ana)
    response = client.post("/accounts/settings/", {"contraindications": ["x"]})
    assert response.status_code == 400
    ana.refresh_from_db()
    assert ana.contraindications == []


def test_the_safety_check_remembers_contraindications(client: Client, catalog, ana) -> None:
    from backtp.catalog.models import RedFlag

    client.force_login(ana)
    answers = dict.fromkeys(RedFlag.objects.values_list("slug", flat=True), "no")
    answers["varicose-veins"] = "yes"
    client.post("/where-does-it-hurt/safety/", answers)
    ana.refresh_from_db()
    assert ana.contraindications == ["varicose-veins"]
    assert ana.safety_answered_at is not None  # counts for a week (journal/safety.py)
    exported = json.loads(b"".join(client.get("/accounts/export.json").streaming_content))
    assert exported["account"]["safety_answered_at"] == ana.safety_answered_at.isoformat()
    client.post("/where-does-it-hurt/start-again/")
    html = client.get("/where-does-it-hurt/safety/").content.decode()
    assert re.search(r'name="varicose-veins" value="yes"[^>]*checked', html)
    assert not re.search(r'name="fever" value="(yes|no)"[^>]*checked', html)  # asked afresh


def test_export_json_holds_all_of_a_persons_data_and_nobody_elses(
    client: Client, catalog, ana
) -> None:
    other = UserFactory(username="bob")
    log_session(ana, before=6, after=3)
    log_session(other, before=9, after=9)
    Assessment.objects.create(user=ana, regions={"sacrum": 4})
    client.force_login(ana)
    client.post("/session/plan/add/ql-ball-wall/")
    response = client.get("/accounts/export.json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(b"".join(response.streaming_content))
    assert data["account"]["username"] == "ana"
    assert [s["pain_after"] for s in data["sessions"]] == [3]
    assert data["sessions"][0]["steps"][0]["technique"] == "ql-ball-wall"
    assert data["assessments"][0]["regions"] == {"sacrum": 4}
    assert data["plan"][0]["technique"] == "ql-ball-wall"


# What the export held before each app gave its own part (the reference for "the same
# keys and values"): one dict, built in memory by accounts.


def export_as_it_was(user) -> dict:
    sessions = TreatmentSession.objects.filter(user=user).prefetch_related("steps__technique")
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "sessions_per_day": user.sessions_per_day,
            "contraindications": user.contraindications,
            "safety_answered_at": None,
        },
        "plan": [
            {
                "position": step.position,
                "technique": step.technique.slug,
                "side": step.side,
                "duration_seconds": step.duration_seconds,
                "hold_seconds": step.hold_seconds,
                "repetitions": step.repetitions,
                "rest_seconds": step.rest_seconds,
            }
            for step in user.plan_steps.select_related("technique")
        ],
        "assessments": [
            {
                "id": str(a.id),
                "created": a.created.isoformat(),
                "regions": a.regions,
                "worst": a.worst,
                "qualities": a.qualities,
                "activities": a.activities,
                "tools": a.tools,
                "positions": a.positions,
                "contraindications": a.contraindications,
                "see_doctor_soon": a.see_doctor_soon,
            }
            for a in Assessment.objects.filter(user=user)
        ],
        "sessions": [
            {
                "id": str(s.id),
                "started_at": s.started_at.isoformat(),
                "finished_at": s.finished_at.isoformat(),
                "routine": s.routine.slug if s.routine_id else None,
                "pain_before": s.pain_before,
                "pain_after": s.pain_after,
                "note": s.note,
                "steps": [
                    {
                        "technique": step.technique.slug,
                        "side": step.side,
                        "planned_seconds": step.planned_seconds,
                        "done_seconds": step.done_seconds,
                        "completed": step.completed,
                        "reproduced": step.reproduced,
                    }
                    for step in s.steps.all()
                ],
            }
            for s in sessions.select_related("routine")
        ],
        # Added with reminders (issue 17): empty for someone who never set any.
        "reminder_schedule": {},
        "reminder_devices": [],
        "reminders_sent": [],
    }


def csv_as_it_was(user) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS_AS_THEY_WERE)
    sessions = TreatmentSession.objects.filter(user=user).select_related("routine")
    for s in sessions.prefetch_related("steps__technique").order_by("started_at"):
        writer.writerow(
            [
                s.id,
                s.started_at.isoformat(),
                s.finished_at.isoformat(),
                s.minutes,
                s.routine.slug if s.routine_id else "",
                s.pain_before,
                s.pain_after,
                s.pain_change,
                ";".join(step.technique.slug for step in s.steps.all()),
                s.note,
            ]
        )
    return out.getvalue()


CSV_COLUMNS_AS_THEY_WERE = [
    "id",
    "started_at",
    "finished_at",
    "minutes",
    "routine",
    "pain_before",
    "pain_after",
    "pain_change",
    "techniques",
    "note",
]


@pytest.fixture
def two_people(catalog, ana):
    """ana: three sessions (one from a routine, one with a step left undone and a note with
    a comma, quotes and a line break), a plan of two steps, two assessments. bob: his own."""
    from backtp.catalog.models import Routine, Technique
    from backtp.journal.services import StepLog, treatment_session_save

    bob = UserFactory(username="bob", email="bob@example.com")
    log_session(ana, before=6, after=3, days_ago=3)
    log_session(ana, before=7, after=7, techniques=("ql-ball-wall", "gmed-thumb-strokes"))
    routine = Routine.objects.first()
    start = timezone.now() - timedelta(days=1)
    treatment_session_save(
        id=uuid.uuid4(),
        user=ana,
        routine=routine,
        started_at=start,
        finished_at=start + timedelta(minutes=11),
        pain_before=8,
        pain_after=5,
        note='Tight, then "better".\nLeft side first; élan.',
        steps=[
            StepLog(Technique.objects.get(slug="ql-ball-wall"), "left", 90, 90, True, "yes"),
            StepLog(Technique.objects.get(slug="ql-ball-wall"), "right", 90, 20, False, ""),
        ],
    )
    PlanStep.objects.create(
        user=ana, position=1, technique=Technique.objects.get(slug="ql-ball-wall"), side="both"
    )
    PlanStep.objects.create(
        user=ana,
        position=2,
        technique=Technique.objects.get(slug="gmed-thumb-strokes"),
        side="left",
        duration_seconds=90,
        hold_seconds=30,
        repetitions=3,
        rest_seconds=10,
    )
    Assessment.objects.create(user=ana, regions={"sacrum": 4, "right-flank": None}, worst="sacrum")
    Assessment.objects.create(
        user=ana, regions={"left-low-back": 7}, tools=["tennis-ball"], positions=["wall"]
    )
    log_session(bob, before=9, after=1)
    PlanStep.objects.create(
        user=bob, position=1, technique=Technique.objects.get(slug="es-c7-ball-wall"), side="both"
    )
    Assessment.objects.create(user=bob, regions={"sacrum": 9})
    return ana, bob


def no_store(response) -> bool:
    return {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}


def test_the_json_export_is_streamed_with_the_same_keys_and_values_as_before(
    client: Client, two_people
) -> None:
    ana, bob = two_people
    client.force_login(ana)
    response = client.get("/accounts/export.json")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="backtp-data.json"'
    assert no_store(response)
    text = b"".join(response.streaming_content).decode()
    data = json.loads(text)
    assert data == export_as_it_was(ana)
    # written as json.dumps(indent=2) writes the whole, piece by piece
    assert text == json.dumps(data, indent=2, cls=DjangoJSONEncoder)
    assert [len(data[k]) for k in ("plan", "assessments", "sessions")] == [2, 2, 3]
    assert [s["pain_before"] for s in data["sessions"]] == [7, 8, 6]  # newest first
    routine_session = data["sessions"][1]
    assert routine_session["routine"] and routine_session["steps"][1]["completed"] is False
    assert set(data["account"]) == {
        "username",
        "email",
        "date_joined",
        "sessions_per_day",
        "contraindications",
        "safety_answered_at",
    }
    # nothing of bob's
    for session in TreatmentSession.objects.filter(user=bob):
        assert str(session.pk) not in text
    assert "es-c7-ball-wall" not in text and "bob" not in text


def test_the_json_export_of_a_person_with_nothing_yet(client: Client, catalog, ana) -> None:
    client.force_login(ana)
    text = b"".join(client.get("/accounts/export.json").streaming_content).decode()
    assert json.loads(text) == export_as_it_was(ana)
    assert json.loads(text)["sessions"] == [] and '"sessions": []' in text


def test_each_app_gives_its_own_part_of_the_export(two_people) -> None:
    from django.apps import apps

    ana, _ = two_people
    parts = {
        config.label: set(config.personal_data(ana))
        for config in apps.get_app_configs()
        if hasattr(config, "personal_data")
    }
    assert parts == {
        "accounts": {"account"},
        "guide": {"assessments"},
        "reminders": {"reminder_schedule", "reminder_devices", "reminders_sent"},
        "journal": {"plan", "sessions"},
    }


def test_the_json_export_reads_in_a_fixed_number_of_queries(
    client: Client, two_people, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ana, _ = two_people
    client.force_login(ana)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get("/accounts/export.json").streaming_content)
        return len(captured)

    few = queries()
    for n in range(40):
        log_session(ana, before=5, after=4, days_ago=n + 5)
    with django_assert_max_num_queries(few):
        b"".join(client.get("/accounts/export.json").streaming_content)


def test_the_sessions_csv_is_streamed_with_the_same_header_and_rows(
    client: Client, two_people
) -> None:
    ana, bob = two_people
    client.force_login(ana)
    response = client.get("/accounts/export/sessions.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="backtp-sessions.csv"'
    assert no_store(response)
    text = b"".join(response.streaming_content).decode()
    assert text == csv_as_it_was(ana)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CSV_COLUMNS_AS_THEY_WERE and len(rows) == 4
    assert [r[5] for r in rows[1:]] == ["6", "8", "7"]  # oldest first
    assert rows[2][-1] == 'Tight, then "better".\nLeft side first; élan.'
    assert str(TreatmentSession.objects.get(user=bob).pk) not in text


def test_the_csv_is_linked_from_the_settings_page(client: Client, ana) -> None:
    from django.urls import reverse

    assert reverse("journal:sessions_csv") == "/accounts/export/sessions.csv"
    client.force_login(ana)
    html = client.get("/accounts/settings/").content.decode()
    assert 'href="/accounts/export/sessions.csv"' in html
    assert 'href="/accounts/export.json"' in html


def test_export_csv_has_one_row_per_session(client: Client, catalog, ana) -> None:
    log_session(ana, before=6, after=3, days_ago=1)
    log_session(ana, before=5, after=5)
    client.force_login(ana)
    response = client.get("/accounts/export/sessions.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["pain_before"], r["pain_change"]) for r in rows] == [("6", "-3"), ("5", "0")]


def test_deleting_the_account_needs_the_password_and_removes_everything(
    client: Client, catalog, ana
) -> None:
    log_session(ana, before=6, after=3)
    Assessment.objects.create(user=ana, regions={"sacrum": 4})
    client.force_login(ana)
    client.post("/session/plan/add/ql-ball-wall/")
    wrong = client.post("/accounts/delete/", {"password": "nope"})
    assert wrong.status_code == 400 and "That password is not right." in wrong.content.decode()
    response = client.post("/accounts/delete/", {"password": PASSWORD}, follow=True)
    assert "Your account and everything in it have been deleted." in response.content.decode()
    assert not type(ana).objects.filter(username="ana").exists()
    assert not TreatmentSession.objects.exists() and not SessionStep.objects.exists()
    assert not Assessment.objects.exists() and not PlanStep.objects.exists()


def test_accounts_services_know_no_other_app() -> None:
    """The export and the deletion go through every app's AppConfig and the cascades."""
    from pathlib import Path

    source = (Path(__file__).parents[2] / "backtp/accounts/services.py").read_text()
    assert "backtp.guide" not in source and "backtp.journal" not in source


def test_account_pages_need_a_login(client: Client) -> None:
    for url in (
        "/accounts/settings/",
        "/accounts/export.json",
        "/accounts/export/sessions.csv",
        "/accounts/delete/",
    ):
        assert client.get(url)["Location"].startswith("/accounts/login/")
