"""Reads over one person's journal; every function takes the owner."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from backtp.accounts.models import User
from backtp.catalog.models import Muscle, Technique, TriggerPoint
from backtp.journal.models import SessionStep, TreatmentSession

MIN_SESSIONS_FOR_A_VERDICT = 2


def sessions_for(user: User) -> QuerySet[TreatmentSession]:
    steps = SessionStep.objects.select_related("technique")
    return (
        TreatmentSession.objects.filter(user=user)
        .prefetch_related(Prefetch("steps", queryset=steps))
        .select_related("routine")
    )


@dataclass(frozen=True)
class Effect:
    """How one release went for this person: average pain change over the sessions using it."""

    slug: str
    name: str
    url: str
    sessions: int
    average_change: float

    @property
    def sentence(self) -> str:
        """'lowered your pain by 2.1 points on average over 6 sessions'."""
        over = f"on average over {self.sessions} session{'s' if self.sessions != 1 else ''}"
        size = abs(self.average_change)
        points = f"{size:.1f} point{'' if size == 1 else 's'}"
        if self.average_change < 0:
            return f"lowered your pain by {points} {over}"
        if self.average_change > 0:
            return f"raised your pain by {points} {over}"
        return f"made no difference to your pain {over}"

    @property
    def helped(self) -> bool:
        return self.sessions >= MIN_SESSIONS_FOR_A_VERDICT and self.average_change < 0

    @property
    def did_not_help(self) -> bool:
        return self.sessions >= MIN_SESSIONS_FOR_A_VERDICT and self.average_change >= 0


def _average(total: int, sessions: int) -> float:
    """As the figures were always worked out: the mean as a Python float, rounded to one place."""
    return round(total / sessions, 1)


def _by_effect(effects: list[Effect]) -> list[Effect]:
    return sorted(effects, key=lambda e: (e.average_change, -e.sessions, e.name))


PAIN_CHANGE = ExpressionWrapper(
    F("session__pain_after") - F("session__pain_before"), output_field=IntegerField()
)


def _done_steps(user: User) -> QuerySet[SessionStep]:
    return SessionStep.objects.filter(session__user=user, completed=True)


def _technique_totals(user: User) -> QuerySet:
    """Per technique: sessions in which it was done, and their summed pain change.

    A session counts once however many of its steps used the technique (both sides, say):
    only the first completed step of each technique in a session is kept."""
    earlier = SessionStep.objects.filter(
        session=OuterRef("session"),
        technique=OuterRef("technique"),
        completed=True,
        number__lt=OuterRef("number"),
    )
    return (
        _done_steps(user)
        .filter(~Exists(earlier))
        .order_by()
        .values("technique__slug", "technique__name")
        .annotate(sessions=Count("pk"), total=Sum(PAIN_CHANGE))
    )


POINT_FIELDS = {
    "point_slug": F("technique__trigger_points__slug"),
    "point_name": F("technique__trigger_points__name"),
    "muscle_slug": F("technique__trigger_points__muscle__slug"),
    "muscle_name": F("technique__trigger_points__muscle__name"),
}


def _point_totals(user: User, *fields: str) -> QuerySet:
    """Per trigger point (with the POINT_FIELDS asked for): sessions in which a technique
    working on it was done, and their summed pain change.

    A row is a completed step and one of its technique's points; a session counts once
    per point, so only the first step in it to reach a point is kept."""
    earlier = SessionStep.objects.filter(
        session=OuterRef("session"),
        completed=True,
        number__lt=OuterRef("number"),
        technique__trigger_points=OuterRef("point"),
    )
    return (
        _done_steps(user)
        .annotate(point=F("technique__trigger_points"), **{f: POINT_FIELDS[f] for f in fields})
        .filter(point__isnull=False)
        .filter(~Exists(earlier))
        .order_by()
        .values("point", *fields)
        .annotate(sessions=Count("pk"), total=Sum(PAIN_CHANGE))
    )


def what_helped(user: User) -> tuple[list[Effect], list[Effect]]:
    """Per technique and per trigger point: average pain change in sessions where it was done.

    Summed in the database, two queries whatever the length of the person's history."""
    techniques = [
        Effect(
            row["technique__slug"],
            row["technique__name"],
            Technique(slug=row["technique__slug"]).get_absolute_url(),
            row["sessions"],
            _average(row["total"], row["sessions"]),
        )
        for row in _technique_totals(user)
    ]
    points = []
    for row in _point_totals(user, *POINT_FIELDS):
        muscle = Muscle(slug=row["muscle_slug"], name=row["muscle_name"])
        point = TriggerPoint(slug=row["point_slug"], name=row["point_name"], muscle=muscle)
        points.append(
            Effect(
                point.slug,
                f"{muscle.name}: {point.name}",
                point.get_absolute_url(),
                row["sessions"],
                _average(row["total"], row["sessions"]),
            )
        )
    return _by_effect(techniques), _by_effect(points)


def point_history(user: User) -> dict[str, tuple[float, int]]:
    """For the suggestion engine: trigger point slug -> (average pain change, sessions).

    The same figures as what_helped()'s points, in one query: it runs on every view of
    the owner's results."""
    return {
        row["point_slug"]: (_average(row["total"], row["sessions"]), row["sessions"])
        for row in _point_totals(user, "point_slug")
    }


def sessions_per_day(user: User, days: int = 14) -> list[tuple[date, int]]:
    """Sessions started on each of the last `days` local days, oldest first."""
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    # A day early, on the column itself (no date function over every row); the days
    # outside the window are counted but not shown.
    since = datetime.combine(start, time.min, tzinfo=timezone.get_current_timezone())
    counts = dict(
        TreatmentSession.objects.filter(user=user, started_at__gte=since - timedelta(days=1))
        .annotate(day=TruncDate("started_at"))
        .order_by()
        .values("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )
    return [
        (start + timedelta(days=n), counts.get(start + timedelta(days=n), 0)) for n in range(days)
    ]
