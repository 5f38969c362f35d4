"""Reads over one person's journal; every function takes the owner."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from backtp.accounts.models import User
from backtp.catalog.models import Technique, TriggerPoint
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


def _by_effect(effects: list[Effect]) -> list[Effect]:
    return sorted(effects, key=lambda e: (e.average_change, -e.sessions, e.name))


PAIN_CHANGE = ExpressionWrapper(
    F("session__pain_after") - F("session__pain_before"), output_field=IntegerField()
)


def _totals(rows: QuerySet, key: str) -> dict:
    """key -> (sessions, average pain change rounded as always: a Python float, one place),
    from rows of (key, change, sessions with that change)."""
    sums: dict = {}
    for row in rows:
        total = sums.setdefault(row[key], [0, 0])
        total[0] += row["sessions"]
        total[1] += row["change"] * row["sessions"]
    return {pk: (n, round(total / n, 1)) for pk, (n, total) in sums.items()}


def _by_change(user: User, key: str, expression: F) -> QuerySet:
    """Completed steps of the person's sessions, grouped by `key` and by the session's pain
    change, counting distinct sessions: a session counts once for a technique or a point
    however many of its steps reached it. Rows are at most (catalogue size) x 21 changes,
    whatever the length of the history, and the sum of the changes follows exactly."""
    return (
        SessionStep.objects.filter(session__user=user, completed=True)
        .annotate(**{key: expression}, change=PAIN_CHANGE)
        .filter(**{f"{key}__isnull": False})
        .order_by()
        .values(key, "change")
        .annotate(sessions=Count("session", distinct=True))
    )


def technique_totals(user: User) -> dict[int, tuple[int, float]]:
    """Technique id -> (sessions it was done in, average pain change)."""
    return _totals(_by_change(user, "technique_pk", F("technique")), "technique_pk")


def point_totals(user: User) -> dict[int, tuple[int, float]]:
    """Trigger point id -> (sessions a technique working on it was done in, average change)."""
    return _totals(_by_change(user, "point", F("technique__trigger_points")), "point")


def what_helped(user: User) -> tuple[list[Effect], list[Effect]]:
    """Per technique and per trigger point: average pain change in sessions where it was done.

    Counted in the database; four queries (two of them for names) whatever the history."""
    by_technique = technique_totals(user)
    by_point = point_totals(user)
    techniques = [
        Effect(t.slug, t.name, t.get_absolute_url(), *by_technique[t.pk])
        for t in Technique.objects.filter(pk__in=by_technique).only("slug", "name")
    ]
    points = [
        Effect(p.slug, f"{p.muscle.name}: {p.name}", p.get_absolute_url(), *by_point[p.pk])
        for p in TriggerPoint.objects.filter(pk__in=by_point)
        .select_related("muscle")
        .only("slug", "name", "muscle__slug", "muscle__name")
    ]
    return _by_effect(techniques), _by_effect(points)


def point_history(user: User) -> dict[str, tuple[float, int]]:
    """For the suggestion engine: trigger point slug -> (average pain change, sessions).

    The same figures as what_helped()'s points, in one query: it runs on every view of
    the owner's results."""
    rows = _by_change(user, "point_slug", F("technique__trigger_points__slug"))
    return {slug: (change, n) for slug, (n, change) in _totals(rows, "point_slug").items()}


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
