"""Reads over one person's journal; every function takes the owner."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
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


def _effects(changes: dict[str, list[int]], names: dict[str, tuple[str, str]]) -> list[Effect]:
    effects = [
        Effect(slug, *names[slug], len(values), round(sum(values) / len(values), 1))
        for slug, values in changes.items()
    ]
    return sorted(effects, key=lambda e: (e.average_change, -e.sessions, e.name))


def what_helped(user: User) -> tuple[list[Effect], list[Effect]]:
    """Per technique and per trigger point: average pain change in sessions where it was done."""
    points = Prefetch("trigger_points", queryset=TriggerPoint.objects.select_related("muscle"))
    techniques_used = Technique.objects.prefetch_related(points)
    steps = SessionStep.objects.filter(completed=True).prefetch_related(
        Prefetch("technique", queryset=techniques_used)
    )
    sessions = TreatmentSession.objects.filter(user=user).prefetch_related(
        Prefetch("steps", queryset=steps)
    )
    by_technique: dict[str, list[int]] = defaultdict(list)
    by_point: dict[str, list[int]] = defaultdict(list)
    names: dict[str, tuple[str, str]] = {}
    point_names: dict[str, tuple[str, str]] = {}
    for session in sessions:
        techniques = {step.technique.slug: step.technique for step in session.steps.all()}
        points_done = {}
        for technique in techniques.values():
            by_technique[technique.slug].append(session.pain_change)
            names[technique.slug] = (technique.name, technique.get_absolute_url())
            for point in technique.trigger_points.all():
                points_done[point.slug] = point
        for point in points_done.values():
            by_point[point.slug].append(session.pain_change)
            point_names[point.slug] = (
                f"{point.muscle.name}: {point.name}",
                point.get_absolute_url(),
            )
    return _effects(by_technique, names), _effects(by_point, point_names)


def journal_state(user: User) -> str:
    """What a person's journal holds, for cache keys: its version goes up whenever a
    session joins it (logged sessions are never edited), and it was loaded with the
    user, so asking costs no query."""
    return f"{user.pk}.{user.journal_version}"


def point_history(user: User) -> dict[str, tuple[float, int]]:
    """For the suggestion engine: trigger point slug -> (average pain change, sessions).

    The same figures as what_helped()'s points, in one query of plain values: it runs
    on every view of the owner's results."""
    rows = (
        SessionStep.objects.filter(session__user=user, completed=True)
        .exclude(technique__trigger_points=None)
        .values_list(
            "session_id",
            "session__pain_before",
            "session__pain_after",
            "technique__trigger_points__slug",
        )
        .distinct()
    )
    changes: dict[str, list[int]] = defaultdict(list)
    for _session, before, after, point in rows:
        changes[point].append(after - before)
    return {
        slug: (round(sum(values) / len(values), 1), len(values)) for slug, values in changes.items()
    }


def sessions_per_day(user: User, days: int = 14) -> list[tuple[date, int]]:
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    counts: dict[date, int] = defaultdict(int)
    for started in TreatmentSession.objects.filter(
        user=user, started_at__date__gte=start
    ).values_list("started_at", flat=True):
        counts[timezone.localdate(started)] += 1
    return [(start + timedelta(days=n), counts[start + timedelta(days=n)]) for n in range(days)]
