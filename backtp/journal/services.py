"""Writes that touch several journal models."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import transaction

from backtp.accounts.models import User
from backtp.catalog.models import Routine, Technique
from backtp.journal.models import SessionStep, TreatmentSession


@dataclass(frozen=True)
class StepLog:
    technique: Technique
    side: str
    planned_seconds: int
    done_seconds: int
    completed: bool
    reproduced: str


class SessionConflict(Exception):
    """The id is already used by another person's session."""


@transaction.atomic
def treatment_session_save(
    *,
    id: UUID,
    user: User | None,
    routine: Routine | None,
    started_at: datetime,
    finished_at: datetime,
    pain_before: int,
    pain_after: int,
    note: str,
    steps: list[StepLog],
) -> tuple[TreatmentSession, bool]:
    """Store a session once: a retry with the same id returns the stored one (created=False)."""
    existing = TreatmentSession.objects.select_for_update().filter(pk=id).first()
    if existing is not None:
        if existing.user_id not in (None, getattr(user, "pk", None)):
            raise SessionConflict(id)
        return existing, False
    session = TreatmentSession.objects.create(
        id=id,
        user=user,
        routine=routine,
        started_at=started_at,
        finished_at=finished_at,
        pain_before=pain_before,
        pain_after=pain_after,
        note=note,
        techniques_done=TreatmentSession.techniques_key(
            step.technique.pk for step in steps if step.completed
        ),
    )
    SessionStep.objects.bulk_create(
        SessionStep(
            session=session,
            number=number,
            technique=step.technique,
            side=step.side,
            planned_seconds=step.planned_seconds,
            done_seconds=step.done_seconds,
            completed=step.completed,
            reproduced=step.reproduced,
        )
        for number, step in enumerate(steps, 1)
    )
    return session, True


@transaction.atomic
def pending_sessions_attach(*, user: User, ids: list[str]) -> int:
    """Give a person the sessions they saved before logging in (only ones nobody owns)."""
    return TreatmentSession.objects.filter(pk__in=ids, user__isnull=True).update(user=user)
