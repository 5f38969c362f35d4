"""Reads over one person's journal; every function takes the owner."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    F,
    Prefetch,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from backtp.accounts.models import User
from backtp.catalog.models import Technique, TriggerPoint
from backtp.journal.chart import pain_charts
from backtp.journal.models import PlanStep, SessionStep, TreatmentSession

MIN_SESSIONS_FOR_A_VERDICT = 2
# Pain ratings move a point or two from day to day for no reason; below this many
# sessions an average says little, and the page says so next to the figure.
SURE_FROM = 5


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
    muscle: str = ""  # a trigger point's muscle, for grouping points treated together
    muscle_url: str = ""
    short_name: str = ""  # a trigger point's own name, without its muscle's

    @property
    def sentence(self) -> str:
        """'lowered your pain by 2.1 points on average'; certainty says from how many sessions."""
        size = abs(self.average_change)
        points = f"{size:.1f} point{'' if size == 1 else 's'}"
        if self.average_change < 0:
            return f"lowered your pain by {points} on average"
        if self.average_change > 0:
            return f"raised your pain by {points} on average"
        return "made no difference to your pain on average"

    @property
    def certainty(self) -> str:
        """'from 2 sessions: too few to be sure'."""
        counted = f"from {self.sessions} session{'s' if self.sessions != 1 else ''}"
        if self.sessions < SURE_FROM:
            return f"{counted}: too few to be sure"
        return counted

    @property
    def sure(self) -> bool:
        return self.sessions >= SURE_FROM

    @property
    def helped(self) -> bool:
        return self.sessions >= MIN_SESSIONS_FOR_A_VERDICT and self.average_change < 0

    @property
    def did_not_help(self) -> bool:
        return self.sessions >= MIN_SESSIONS_FOR_A_VERDICT and self.average_change >= 0


def _by_effect(effects: list[Effect]) -> list[Effect]:
    return sorted(effects, key=lambda e: (e.average_change, -e.sessions, e.name))


@dataclass(frozen=True)
class PointGroup:
    """Trigger points of one muscle credited with the same figure: a technique works
    several points at once, so these were treated together and cannot be told apart."""

    muscle: str
    muscle_url: str
    points: tuple[Effect, ...]

    @property
    def effect(self) -> Effect:
        """The figures they share."""
        return self.points[0]


def point_groups(points: list[Effect]) -> list[PointGroup]:
    """what_helped()'s points, those of one muscle with the same figures on one line, in
    the order of their best-placed point."""
    groups: dict[tuple, list[Effect]] = {}
    for point in points:
        groups.setdefault((point.muscle, point.sessions, point.average_change), []).append(point)
    return [
        PointGroup(members[0].muscle, members[0].muscle_url, tuple(members))
        for members in groups.values()
    ]


Totals = dict  # id or slug -> (sessions, average pain change)


def _tallies(user: User, point_field: str) -> tuple[Totals, Totals]:
    """(technique id, point `point_field`) -> (sessions, average pain change), over the
    person's sessions: a session counts once for a technique or a point however many of
    its completed steps reached it. Points are those the techniques work now.

    Two queries whatever the history: the person's sessions grouped in the database by
    the techniques they completed (TreatmentSession.techniques_done), with their count
    and summed pain change, and which points those techniques work. Python then adds up
    one row per distinct set of techniques, not one per session."""
    grouped = (
        TreatmentSession.objects.filter(user=user)
        .exclude(techniques_done="")
        .order_by()
        .values("techniques_done")
        .annotate(sessions=Count("pk"), change=Sum(F("pain_after") - F("pain_before")))
        .values_list("techniques_done", "sessions", "change")
    )
    combinations = [
        (frozenset(map(int, done.split(","))), count, change) for done, count, change in grouped
    ]
    points_of: dict[int, set] = defaultdict(set)
    works = Technique.trigger_points.through.objects.filter(
        technique__in={t for done, _, _ in combinations for t in done}
    )
    for technique, point in works.values_list("technique_id", f"triggerpoint__{point_field}"):
        points_of[technique].add(point)
    by_technique: dict = defaultdict(lambda: [0, 0])
    by_point: dict = defaultdict(lambda: [0, 0])
    for done, count, change in combinations:
        for technique in done:
            by_technique[technique][0] += count
            by_technique[technique][1] += change
        for point in set().union(*(points_of[t] for t in done)):
            by_point[point][0] += count
            by_point[point][1] += change
    return _averages(by_technique), _averages(by_point)


def _averages(sums: dict) -> Totals:
    """Rounded as always: a Python float to one decimal, in this one place."""
    return {key: (n, round(total / n, 1)) for key, (n, total) in sums.items()}


def what_helped(user: User) -> tuple[list[Effect], list[Effect]]:
    """Per technique and per trigger point: average pain change in sessions where it was done.

    Four queries (two of them for names) whatever the history."""
    by_technique, by_point = _tallies(user, "id")
    techniques = [
        Effect(t.slug, t.name, t.get_absolute_url(), *by_technique[t.pk])
        for t in Technique.objects.filter(pk__in=by_technique).only("slug", "name")
    ]
    points = [
        Effect(
            p.slug,
            f"{p.muscle.name}: {p.name}",
            p.get_absolute_url(),
            sessions=by_point[p.pk][0],
            average_change=by_point[p.pk][1],
            muscle=p.muscle.name,
            muscle_url=p.muscle.get_absolute_url(),
            short_name=p.name,
        )
        for p in TriggerPoint.objects.filter(pk__in=by_point)
        .select_related("muscle")
        .only("slug", "name", "muscle__slug", "muscle__name")
    ]
    return _by_effect(techniques), _by_effect(points)


def point_history(user: User) -> dict[str, tuple[float, int]]:
    """For the suggestion engine: trigger point slug -> (average pain change, sessions).

    The same figures as what_helped()'s points, in two queries: it runs on every view of
    the owner's results."""
    _, by_point = _tallies(user, "slug")
    return {slug: (change, n) for slug, (n, change) in by_point.items()}


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


CHART_SESSIONS = 60


def progress_context(user: User) -> dict:
    """The progress page's figures (the clinician's summary shows them too): the chart of
    the last CHART_SESSIONS sessions, sessions a day against the plan, and what helps.
    A fixed number of queries, each summing in the database, however long the history."""
    recent = list(
        TreatmentSession.objects.filter(user=user)
        .order_by("-started_at")
        .values_list("started_at", "pain_before", "pain_after")[:CHART_SESSIONS]
    )[::-1]
    techniques, points = what_helped(user)
    days = sessions_per_day(user)
    return {
        "chart": pain_charts(recent) if recent else None,
        "rows": recent,
        "techniques": techniques,
        "points": points,
        "point_groups": point_groups(points),
        "sure_from": SURE_FROM,
        "days": days,
        "per_day": user.sessions_per_day,
        "days_on_plan": sum(1 for _, count in days if count >= user.sessions_per_day),
    }


@dataclass(frozen=True)
class Today:
    """A person's day against their plan (the home page): sessions started today of the
    sessions a day they aim for, whether their plan has steps to run, their last session."""

    done: int
    planned: int
    has_plan: bool
    last: TreatmentSession | None
    date: date

    @property
    def plan_done(self) -> bool:
        return self.done >= self.planned

    @property
    def to_go(self) -> int:
        return max(self.planned - self.done, 0)

    @property
    def marks(self) -> list[bool]:
        """One per planned session, done ones first (more than planned: all done)."""
        return [n < self.done for n in range(self.planned)]

    @property
    def last_day(self) -> str:
        """When the last session was: 'today', 'yesterday' or '' (then show its date)."""
        if self.last is None:
            return ""
        day = timezone.localdate(self.last.started_at)
        return {self.date: "today", self.date - timedelta(days=1): "yesterday"}.get(day, "")


def today_for(user: User) -> Today:
    """Two queries, three when the last session was today (then today's are counted)."""
    today = timezone.localdate()
    last = (
        TreatmentSession.objects.filter(user=user)
        .only("id", "started_at", "pain_before", "pain_after")
        .first()
    )
    since = datetime.combine(today, time.min, tzinfo=timezone.get_current_timezone())
    done = 0
    if last is not None and last.started_at >= since:
        done = TreatmentSession.objects.filter(user=user, started_at__gte=since).count()
    return Today(
        done=done,
        planned=user.sessions_per_day,
        has_plan=PlanStep.objects.filter(user=user).exists(),
        last=last,
        date=today,
    )
