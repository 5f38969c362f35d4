"""Writes that touch several journal models."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import IntegrityError, transaction

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
    """The id is already used by a session someone else recorded."""


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
    anonymous_owner: str = "",
) -> tuple[TreatmentSession, bool]:
    """Store a session once. `user` is the person logged in (None if nobody is) and
    `anonymous_owner` this browser session's token (journal/device.py).

    A retry with the same id, even several at once, returns the stored session
    (created=False). A session saved before logging in becomes the person's when the
    browser session that saved it retries it logged in. Any other reuse of an id is a
    SessionConflict: knowing a session's id is not enough to take it."""
    try:
        with transaction.atomic():
            fields = {
                "started_at": started_at,
                "finished_at": finished_at,
                "pain_before": pain_before,
                "pain_after": pain_after,
                "note": note,
            }
            return _create(id, user, anonymous_owner, routine, steps, **fields), True
    except IntegrityError as error:
        # The id is taken (an earlier or a simultaneous copy of the same log, or not), or
        # a check the view should have made failed.
        failure = error
    with transaction.atomic():
        existing = TreatmentSession.objects.select_for_update().filter(pk=id).first()
        if existing is None:
            raise failure
        if user is not None and existing.user_id == user.pk:
            return existing, False
        recorded_here = existing.user_id is None and existing.anonymous_owner == anonymous_owner
        if not (anonymous_owner and recorded_here):
            raise SessionConflict(id)
        if user is not None:
            existing.user, existing.anonymous_owner = user, ""
            existing.save(update_fields=["user", "anonymous_owner"])
        return existing, False


def _create(
    id: UUID,
    user: User | None,
    anonymous_owner: str,
    routine: Routine | None,
    steps: list[StepLog],
    **fields: object,
) -> TreatmentSession:
    session = TreatmentSession.objects.create(
        id=id,
        user=user,
        anonymous_owner="" if user is not None else anonymous_owner,
        routine=routine,
        techniques_done=TreatmentSession.techniques_key(
            step.technique.pk for step in steps if step.completed
        ),
        **fields,
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
    return session


def pending_sessions_attach(*, user: User, anonymous_owner: str) -> int:
    """Give a person the sessions their browser session saved before they logged in."""
    if not anonymous_owner:
        return 0
    return TreatmentSession.objects.filter(user=None, anonymous_owner=anonymous_owner).update(
        user=user, anonymous_owner=""
    )
