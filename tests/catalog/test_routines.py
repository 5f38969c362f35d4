import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from backtp.catalog.models import Routine
from tests.factories import RoutineFactory, RoutineStepFactory, TechniqueFactory

pytestmark = pytest.mark.django_db


def test_total_time_counts_both_sides_of_one_sided_techniques_and_rests() -> None:
    routine = RoutineFactory()
    one_sided = TechniqueFactory(per_side=True)
    two_balls = TechniqueFactory(per_side=False)
    RoutineStepFactory(routine=routine, number=1, technique=one_sided, duration_seconds=90)
    RoutineStepFactory(
        routine=routine,
        number=2,
        technique=two_balls,
        duration_seconds=None,
        hold_seconds=30,
        repetitions=3,
        rest_seconds=0,
    )
    RoutineStepFactory(
        routine=routine, number=3, technique=one_sided, side="left", duration_seconds=40
    )
    # 2 x 90 + 10 rest, then 3 x 30 once, then 40 on the left + 10 rest
    assert routine.total_seconds() == 190 + 90 + 50
    assert routine.total_minutes() == 6


def test_step_doses_read_plainly() -> None:
    one_sided = TechniqueFactory(per_side=True)
    assert RoutineStepFactory(technique=one_sided, duration_seconds=90).dose == (
        "1 min 30 s on each side"
    )
    assert RoutineStepFactory(technique=one_sided, duration_seconds=45).dose == "45 s on each side"
    both_at_once = RoutineStepFactory(
        technique=TechniqueFactory(per_side=False),
        duration_seconds=None,
        hold_seconds=10,
        repetitions=3,
    )
    assert both_at_once.dose == "3 × 10 s holds, both sides at once"
    left = RoutineStepFactory(technique=one_sided, side="left", duration_seconds=120)
    assert left.dose == "2 min, left side"


def test_a_step_is_timed_or_counted_never_both() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutineStepFactory(duration_seconds=60, hold_seconds=10, repetitions=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutineStepFactory(duration_seconds=None, hold_seconds=None, repetitions=None)


def test_the_routine_list_shows_each_routine_with_its_total_time(client: Client, catalog) -> None:
    html = client.get("/routines/").content.decode()
    for routine in Routine.objects.all():
        assert routine.name in html
        assert routine.get_absolute_url() in html
    assert "15</span> min" in html  # the seed-000 routine: 4 steps, both sides, rests


def test_a_routine_page_lists_its_steps_in_order_and_credits_its_source(
    client: Client, catalog
) -> None:
    html = client.get("/routines/three-step-programme/").content.decode()
    assert html.index("Step 1: the buttock overlap point") < html.index("Step 3: the deep waist")
    assert "About 10 min" in html
    assert "3 × 10 s holds, both sides at once" in html
    assert 'href="/sources/#source-003_9e969d5dec7781d0.txt"' in html
    assert 'href="/muscles/gluteus-medius/"' in html


def test_an_unknown_routine_is_a_404(client: Client) -> None:
    assert client.get("/routines/nope/").status_code == 404


def test_routine_pages_make_a_fixed_number_of_queries(
    client: Client, catalog, django_assert_num_queries
) -> None:
    with django_assert_num_queries(4):  # the catalogue version, then the page's 3
        client.get("/routines/")
    # the catalogue version (for the page, then for its cached parts), routine, steps,
    # techniques, their points with muscles, sources
    with django_assert_num_queries(7):
        client.get("/routines/four-muscle-ball-routine/")
