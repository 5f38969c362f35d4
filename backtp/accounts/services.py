"""Writes and exports over all of a person's data."""

import csv
import io

from django.db import transaction

from backtp.accounts.models import User
from backtp.guide.models import Assessment
from backtp.journal.models import TreatmentSession


def account_export(*, user: User) -> dict:
    """Everything backtp keeps about a person, as plain JSON-ready data."""
    sessions = TreatmentSession.objects.filter(user=user).prefetch_related("steps__technique")
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "sessions_per_day": user.sessions_per_day,
            "contraindications": user.contraindications,
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
    }


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


def sessions_csv(*, user: User) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
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


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Remove the account and, through the cascades, every session, plan and assessment."""
    user.delete()
