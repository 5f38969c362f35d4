"""The journal's part of a person's data export, and their sessions as CSV rows.

Everything here is a generator over .iterator(): nothing is built up in memory, however
long the journal."""

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch

from backtp.accounts.models import User
from backtp.journal.models import SessionStep, TreatmentSession

CHUNK = 500  # sessions read (and their steps prefetched) at a time

CSV_COLUMNS = [
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


def _sessions(user: User, *ordering: str) -> Iterator[TreatmentSession]:
    steps = Prefetch("steps", queryset=SessionStep.objects.select_related("technique"))
    sessions = TreatmentSession.objects.filter(user=user).select_related("routine")
    if ordering:
        sessions = sessions.order_by(*ordering)
    return sessions.prefetch_related(steps).iterator(chunk_size=CHUNK)


def plan(user: User) -> Iterator[dict]:
    for step in user.plan_steps.select_related("technique").iterator():
        yield {
            "position": step.position,
            "technique": step.technique.slug,
            "side": step.side,
            "duration_seconds": step.duration_seconds,
            "hold_seconds": step.hold_seconds,
            "repetitions": step.repetitions,
            "rest_seconds": step.rest_seconds,
        }


def sessions(user: User) -> Iterator[dict]:
    """Newest first, each with its steps in order."""
    for session in _sessions(user):
        yield {
            "id": str(session.id),
            "started_at": session.started_at.isoformat(),
            "finished_at": session.finished_at.isoformat(),
            "routine": session.routine.slug if session.routine else None,
            "pain_before": session.pain_before,
            "pain_after": session.pain_after,
            "note": session.note,
            "steps": [
                {
                    "technique": step.technique.slug,
                    "side": step.side,
                    "planned_seconds": step.planned_seconds,
                    "done_seconds": step.done_seconds,
                    "completed": step.completed,
                    "reproduced": step.reproduced,
                }
                for step in session.steps.all()
            ],
        }


def personal_data(user: User) -> dict[str, Iterable[dict]]:
    return {"plan": plan(user), "sessions": sessions(user)}


# A spreadsheet takes a cell starting with one of these for a formula (and runs it).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(value: object) -> object:
    """OWASP's advice for CSV injection: a text cell that a spreadsheet would read as a
    formula gets a leading single quote, so it shows as the text it is. Numbers the app
    writes itself are not text and stay numbers (a pain change of -3)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_rows(user: User) -> Iterator[list]:
    """The header, then one row per session, oldest first; no cell starts a formula."""
    yield CSV_COLUMNS
    for session in _sessions(user, "started_at"):
        yield [
            _spreadsheet_safe(value)
            for value in (
                session.id,
                session.started_at.isoformat(),
                session.finished_at.isoformat(),
                session.minutes,
                session.routine.slug if session.routine else "",
                session.pain_before,
                session.pain_after,
                session.pain_change,
                ";".join(step.technique.slug for step in session.steps.all()),
                session.note,
            )
        ]
