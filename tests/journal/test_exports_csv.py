"""sessions.csv never hands a spreadsheet a formula: a note that would start one is
written with a leading quote (OWASP's advice), while the JSON export keeps it as written."""

import csv
import io
import json

import pytest
from django.test import Client

from backtp.journal.models import TreatmentSession
from tests.journal.test_journal import log_session

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://evil","x")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\tleading tab",
    "\rleading return",
]


def _session_with_note(user, note: str) -> TreatmentSession:
    session = log_session(user, before=6, after=3)
    TreatmentSession.objects.filter(pk=session.pk).update(note=note)
    return session


def _csv_notes(client: Client) -> list[str]:
    response = client.get("/accounts/export/sessions.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    return [row["note"] for row in rows]


@pytest.mark.parametrize("note", FORMULAS)
def test_a_note_that_starts_a_formula_is_exported_as_text(
    catalog, person, person_client: Client, note: str
) -> None:
    _session_with_note(person, note)
    assert _csv_notes(person_client) == ["'" + note]


def test_an_ordinary_note_is_exported_unchanged(catalog, person, person_client: Client) -> None:
    note = 'Tight, then "better". 3 = good; -ish'
    _session_with_note(person, note)
    assert _csv_notes(person_client) == [note]


def test_numbers_the_app_writes_stay_numbers(catalog, person, person_client: Client) -> None:
    """A session that eased the pain has a negative change: still a plain number."""
    log_session(person, before=6, after=3)
    response = person_client.get("/accounts/export/sessions.csv")
    text = b"".join(response.streaming_content).decode()
    row = next(csv.DictReader(io.StringIO(text)))
    assert (row["pain_before"], row["pain_after"], row["pain_change"]) == ("6", "3", "-3")


def test_the_json_export_keeps_the_note_exactly_as_written(
    catalog, person, person_client: Client
) -> None:
    for note in FORMULAS:
        _session_with_note(person, note)
    response = person_client.get("/accounts/export.json")
    data = json.loads(b"".join(response.streaming_content))
    assert sorted(s["note"] for s in data["sessions"]) == sorted(FORMULAS)
