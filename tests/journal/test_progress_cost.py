"""Progress, summary and "what helps you": the same figures as a plain, slow reading of
every session, at a cost (in queries) that does not grow with a person's history."""

import random
import uuid
from collections import defaultdict
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backtp.catalog.models import Technique
from backtp.journal import selectors
from backtp.journal.models import SessionStep, TreatmentSession
from backtp.journal.services import StepLog, treatment_session_save

pytestmark = pytest.mark.django_db

# Techniques that share trigger points (gmed-trp1, es-lumbosacral, ql-upper-lateral, ...).
TECHNIQUES = [
    "ql-ball-wall",
    "ql-fists-hands-on-hips",
    "ql-thumb-along-lowest-rib",
    "gmed-thumb-strokes",
    "gmed-overlap-fists",
    "gmax-massage-ball-press-release",
    "mf-tennis-ball-wall",
    "es-lumbosacral-fists",
    "es-c7-ball-wall",
]


@pytest.fixture
def ana(person):
    return person


@pytest.fixture
def bob(other_person):
    return other_person


def seed(user, count: int, *, rng: random.Random, days: float = 30) -> None:
    """count sessions over the last `days` days with varied steps: some steps not
    completed, some techniques done twice (both sides), some sessions with nothing done."""
    techniques = list(Technique.objects.filter(slug__in=TECHNIQUES))
    now = timezone.now()
    sessions, steps = [], []
    for _ in range(count):
        start = now - timedelta(days=rng.uniform(0, days))
        before = rng.randint(0, 10)
        session = TreatmentSession(
            id=uuid.uuid4(),
            user=user,
            started_at=start,
            finished_at=start + timedelta(minutes=rng.randint(1, 20)),
            pain_before=before,
            pain_after=max(0, min(10, before + rng.randint(-3, 3))),
        )
        sessions.append(session)
        chosen = rng.choices(techniques, k=rng.randint(0, 4))
        for number, technique in enumerate(chosen, 1):
            steps.append(
                SessionStep(
                    session=session,
                    number=number,
                    technique=technique,
                    side=rng.choice(["left", "right", "both"]),
                    planned_seconds=120,
                    done_seconds=rng.randint(0, 120),
                    completed=rng.random() < 0.75,
                    reproduced=rng.choice(["yes", "no", "unsure", ""]),
                )
            )
    for session in sessions:  # as treatment_session_save() sets it
        session.techniques_done = TreatmentSession.techniques_key(
            step.technique.pk for step in steps if step.session is session and step.completed
        )
    TreatmentSession.objects.bulk_create(sessions)
    SessionStep.objects.bulk_create(steps)


# The reference: the plain reading of every session, as the pages were first written.


def reference_effects(user) -> tuple[list[tuple], list[tuple]]:
    by_technique: dict = defaultdict(list)
    by_point: dict = defaultdict(list)
    for session in TreatmentSession.objects.filter(user=user):
        done = {s.technique for s in session.steps.all() if s.completed}
        points = {point for technique in done for point in technique.trigger_points.all()}
        for technique in done:
            by_technique[technique].append(session.pain_change)
        for point in points:
            by_point[point].append(session.pain_change)

    def effects(changes, describe) -> list[tuple]:
        rows = [
            (
                thing.slug,
                *describe(thing),
                len(values),
                round(sum(values) / len(values), 1),
            )
            for thing, values in changes.items()
        ]
        return sorted(rows, key=lambda r: (r[4], -r[3], r[1]))

    return (
        effects(by_technique, lambda t: (t.name, t.get_absolute_url())),
        effects(by_point, lambda p: (f"{p.muscle.name}: {p.name}", p.get_absolute_url())),
    )


def reference_days(user, days: int = 14) -> list[tuple]:
    today = timezone.localdate()
    counts: dict = defaultdict(int)
    for started in TreatmentSession.objects.filter(user=user).values_list("started_at", flat=True):
        counts[timezone.localdate(started)] += 1
    return [(today - timedelta(days=n), counts[today - timedelta(days=n)]) for n in range(days)][
        ::-1
    ]


def as_tuples(effects) -> list[tuple]:
    return [(e.slug, e.name, e.url, e.sessions, e.average_change) for e in effects]


def verdicts(rows: list[tuple]) -> list[str]:
    return [
        "helped" if n >= 2 and change < 0 else "did not help" if n >= 2 else "too few"
        for *_, n, change in rows
    ]


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
@pytest.mark.parametrize("seed_number", [1, 2, 3])
def test_figures_equal_a_plain_reading_of_every_session(
    catalog, ana, bob, zone, seed_number
) -> None:
    rng = random.Random(seed_number)
    seed(ana, 120, rng=rng)
    seed(bob, 60, rng=rng)  # another person: never counted
    seed(None, 20, rng=rng)  # saved without an account: never counted
    with timezone.override(zone):
        techniques, points = selectors.what_helped(ana)
        expected_techniques, expected_points = reference_effects(ana)
        assert as_tuples(techniques) == expected_techniques
        assert as_tuples(points) == expected_points
        assert [e.helped for e in techniques + points] == [
            v == "helped" for v in verdicts(expected_techniques + expected_points)
        ]
        assert [e.did_not_help for e in techniques + points] == [
            v == "did not help" for v in verdicts(expected_techniques + expected_points)
        ]
        assert selectors.sessions_per_day(ana) == reference_days(ana)
    # the data really is varied: shared points, both verdicts, steps left undone
    assert len(expected_points) > len(expected_techniques) >= 5
    assert {"helped", "did not help"} <= set(verdicts(expected_techniques + expected_points))
    assert SessionStep.objects.filter(session__user=ana, completed=False).exists()
    # The engine's history is what_helped()'s points. (Before this test, a session
    # counted once per step touching a point, not once per point: Meta.ordering put
    # the step number into the SELECT DISTINCT.)
    assert selectors.point_history(ana) == {
        slug: (change, n) for slug, _name, _url, n, change in expected_points
    }


def test_a_person_with_no_sessions_has_no_figures(catalog, ana, bob) -> None:
    seed(bob, 10, rng=random.Random(4))
    assert selectors.what_helped(ana) == ([], [])
    assert selectors.point_history(ana) == {}
    assert [count for _, count in selectors.sessions_per_day(ana)] == [0] * 14


def test_only_completed_steps_count_and_a_session_counts_once_per_point(catalog, ana) -> None:
    """ql-ball-wall twice (both sides) and ql-fists-hands-on-hips share all six QL points:
    the session counts once for each point. An undone step counts for nothing."""
    from tests.journal.test_journal import log_session

    log_session(ana, before=7, after=3, techniques=("ql-ball-wall", "ql-ball-wall"))
    log_session(ana, before=6, after=5, techniques=("ql-ball-wall", "ql-fists-hands-on-hips"))
    start = timezone.now()
    gmed = Technique.objects.get(slug="gmed-thumb-strokes")
    treatment_session_save(  # stopped before the hold was done
        id=uuid.uuid4(),
        user=ana,
        routine=None,
        started_at=start,
        finished_at=start + timedelta(minutes=5),
        pain_before=8,
        pain_after=0,
        note="",
        steps=[StepLog(gmed, "both", 90, 9, False, "")],
    )
    techniques, points = selectors.what_helped(ana)
    assert [(e.slug, e.sessions, e.average_change) for e in techniques] == [
        ("ql-ball-wall", 2, -2.5),
        ("ql-fists-hands-on-hips", 1, -1.0),
    ]
    assert {(e.sessions, e.average_change) for e in points} == {(2, -2.5)}
    assert len(points) == 6
    assert all(e.helped for e in points) and not techniques[1].helped
    assert "ql-upper-lateral" in selectors.point_history(ana)


def test_rounding_and_ordering_are_as_before(catalog, ana) -> None:
    """Averages are rounded to one place as Python rounds floats; ties go to the one
    with more sessions, then by name."""
    from tests.journal.test_journal import log_session

    for before, after in [(5, 4), (5, 4), (5, 5), (5, 5)]:  # -0.5 over 4 (ql)
        log_session(ana, before=before, after=after, techniques=("es-c7-ball-wall",))
    for before, after in [(5, 4), (5, 5)]:  # -0.5 over 2
        log_session(ana, before=before, after=after, techniques=("iliacus-fingertips-standing",))
    for change in [-1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]:  # -0.15
        log_session(ana, before=5, after=5 + change, techniques=("soleus-ball-seated",))
    log_session(ana, before=5, after=4, techniques=("psoas-fingertips-seated",))
    log_session(ana, before=5, after=4, techniques=("psoas-bolster-release",))
    techniques, _ = selectors.what_helped(ana)
    expected, _ = reference_effects(ana)
    assert as_tuples(techniques) == expected
    assert [(e.slug, e.sessions, e.average_change) for e in techniques] == [
        ("psoas-fingertips-seated", 1, -1.0),  # "Fingertips beside the navel, seated"
        ("psoas-bolster-release", 1, -1.0),  # "Psoas: slow release over a bolster"
        ("es-c7-ball-wall", 4, -0.5),
        ("iliacus-fingertips-standing", 2, -0.5),
        ("soleus-ball-seated", 20, round(-3 / 20, 1)),
    ]


def test_the_chart_shows_the_last_60_sessions_oldest_first(client: Client, catalog, ana) -> None:
    seed(ana, 75, rng=random.Random(5), days=40)
    client.force_login(ana)
    response = client.get("/journal/progress/")
    expected = list(
        TreatmentSession.objects.filter(user=ana)
        .order_by("started_at")
        .values_list("started_at", "pain_before", "pain_after")
    )[-60:]
    assert response.context["rows"] == expected
    html = response.content.decode()
    assert html.count('class="dot dot--before"') == 2 * 60  # for wide screens and for phones
    days = reference_days(ana)
    assert response.context["days"] == days
    assert response.context["days_on_plan"] == sum(1 for _, n in days if n >= ana.sessions_per_day)
    techniques, points = reference_effects(ana)
    assert as_tuples(response.context["techniques"]) == techniques
    assert as_tuples(response.context["points"]) == points
    # in the page, in order, with the sentences people read
    positions = [html.index(e.sentence, html.index(e.url)) for e in response.context["techniques"]]
    assert positions == sorted(positions)


def test_the_summary_shows_the_same_figures_and_count(client: Client, catalog, ana, bob) -> None:
    seed(ana, 30, rng=random.Random(6))
    seed(bob, 10, rng=random.Random(7))
    client.force_login(ana)
    response = client.get("/journal/summary/")
    assert response.context["session_count"] == 30
    assert "30 sessions logged." in response.content.decode()
    techniques, points = reference_effects(ana)
    assert as_tuples(response.context["techniques"]) == techniques
    assert as_tuples(response.context["points"]) == points


def queries_for(client: Client, url: str) -> int:
    client.get(url)  # warm: anything kept between requests is kept now
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/journal/progress/", "/journal/summary/"])
def test_the_query_count_does_not_grow_with_sessions(
    client: Client, catalog, ana, url, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    from backtp.guide.models import Assessment

    Assessment.objects.create(user=ana, regions={"right-flank": 6}, worst="right-flank")
    client.force_login(ana)
    seed(ana, 3, rng=random.Random(8), days=3)
    with django_assert_max_num_queries(10):
        client.get(url)
    few = queries_for(client, url)
    seed(ana, 37, rng=random.Random(9), days=60)
    client.get(url)
    with django_assert_num_queries(few):
        client.get(url)


def test_point_history_costs_two_queries_whatever_the_history(
    catalog, ana, django_assert_num_queries
) -> None:
    seed(ana, 3, rng=random.Random(10))
    with django_assert_num_queries(2):  # the person's steps, the points their techniques work
        selectors.point_history(ana)
    seed(ana, 40, rng=random.Random(11))
    with django_assert_num_queries(2):
        selectors.point_history(ana)
