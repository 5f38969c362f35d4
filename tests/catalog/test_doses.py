"""Doses are ranges, as the sources give them, on every page; plans start inside them."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from backtp.catalog.models import DOSE_RANGES, RoutineStep, Technique, span
from backtp.journal import plan
from tests.factories import RoutineFactory, RoutineStepFactory, TechniqueFactory

pytestmark = pytest.mark.django_db


def doses_shown(client: Client) -> list[str]:
    """The dose lines of the plan page, in order."""
    html = client.get("/session/plan/").content.decode()
    return re.findall(r'<p class="dosage">(.*?)</p>', html)


# The wording ------------------------------------------------------------------


def test_a_range_reads_low_en_dash_high_and_one_number_when_both_ends_agree() -> None:
    assert span(1, 2) == "1–2"
    assert span(10, 10) == "10"
    assert span(Decimal("1.0"), Decimal("2.5")) == "1–2.5"


@pytest.mark.parametrize(
    ("doses", "wording"),
    [
        ({"minutes_per_side": (Decimal("1.0"), Decimal("2.0"))}, "1–2 min per side"),
        ({"minutes_per_side": (Decimal("1.5"), Decimal("1.5"))}, "1.5 min per side"),
        (
            {"minutes_per_side": (Decimal("0.5"), Decimal("1.0")), "times_per_day": (5, 7)},
            "30–60 s per side, 5–7 times a day",
        ),
        ({"hold_seconds": (10, 10), "repetitions": (3, 4)}, "Hold 10 s, 3–4 times, each side"),
        ({"hold_seconds": (30, 90), "repetitions": (1, 1)}, "Hold 30–90 s, once, each side"),
        ({"strokes": (6, 12), "times_per_day": (1, 1)}, "6–12 strokes, each side, once a day"),
    ],
)
def test_dosage_reads_as_a_person_would_say_it(doses, wording) -> None:
    fields = {f"{dose}_{end}": None for dose in DOSE_RANGES for end in ("min", "max")}
    for dose, (low, high) in doses.items():
        fields[f"{dose}_min"], fields[f"{dose}_max"] = low, high
    assert TechniqueFactory.build(per_side=True, **fields).dosage == wording


# The pages show the sources' ranges ---------------------------------------------


@pytest.mark.parametrize(
    ("url", "texts"),
    [
        ("/techniques/ql-tennis-ball-side-lying/", ["1–2 min per side"]),  # seed 000
        ("/techniques/es-ball-lying-back-rolling/", ["2–3 min per side"]),  # seed 000
        ("/techniques/gmed-thumb-strokes/", ["6–12 strokes", "5–7 times a day"]),  # seed 001
        ("/techniques/gmed-overlap-fists/", ["Hold 10 s, 3–4 times"]),  # seed 003
        ("/muscles/quadratus-lumborum/", ["1–2 min per side", "30–60 s per side, 5–7 times a day"]),
        ("/routines/tennis-ball-trio/", ["5–7 times a day"]),  # seed 001
        (
            "/routines/four-muscle-ball-routine/",  # seed 000: concrete steps inside the range
            ["1 min 30 s on each side", "Its sources give 1–2 min per side."],
        ),
        ("/routines/", ["5–7 times a day"]),
    ],
)
def test_pages_show_the_ranges_the_seeds_give(client: Client, catalog, url, texts) -> None:
    html = client.get(url).content.decode()
    for text in texts:
        assert text in html, text
    for old in ("up to 5", "× a day"):
        assert old not in html


# The model refuses what is not a range -----------------------------------------


@pytest.mark.parametrize("dose", ["hold_seconds", "repetitions", "strokes", "times_per_day"])
def test_the_database_refuses_a_minimum_above_the_maximum(dose: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TechniqueFactory(**{f"{dose}_min": 8, f"{dose}_max": 6})


def test_the_database_refuses_more_minutes_at_the_low_end_than_at_the_high_end() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TechniqueFactory(minutes_per_side_min=Decimal("2"), minutes_per_side_max=Decimal("1"))


@pytest.mark.parametrize("dose", ["hold_seconds", "strokes"])
def test_the_database_refuses_half_a_range(dose: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TechniqueFactory(**{f"{dose}_min": 10, f"{dose}_max": None})


def test_a_routine_refuses_a_minimum_above_the_maximum_times_a_day() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutineFactory(times_per_day_min=7, times_per_day_max=5)


def test_an_editor_is_told_plainly_when_a_range_is_upside_down() -> None:
    technique = TechniqueFactory.build(repetitions_min=4, repetitions_max=3)
    with pytest.raises(ValidationError) as error:
        technique.full_clean(exclude=["slug"])
    assert "the lower one first" in str(error.value)


# Routine steps keep concrete values, inside their technique's range ------------------


def test_every_routine_step_lies_inside_its_techniques_range(catalog) -> None:
    steps = RoutineStep.objects.select_related("technique", "routine")
    assert steps.exists()
    for step in steps:
        step.full_clean()  # RoutineStep.clean compares with the technique's range
        timed = step.duration_seconds is not None
        low, high = (
            step.technique.work_seconds_range() if timed else step.technique.hold_seconds_range()
        )
        assert low <= (step.duration_seconds if timed else step.hold_seconds) <= high, step


def test_a_routine_step_outside_its_techniques_range_is_refused_for_editors() -> None:
    technique = TechniqueFactory(
        minutes_per_side_min=Decimal("1"), minutes_per_side_max=Decimal("2")
    )
    step = RoutineStepFactory.build(
        routine=RoutineFactory(), technique=technique, duration_seconds=150
    )
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert "Choose 60 to 120 seconds per side" in str(error.value.message_dict)


# The plan starts inside the range, and stays there --------------------------------


def test_the_plan_default_is_the_low_end_of_every_techniques_range(catalog) -> None:
    for technique in Technique.objects.all():
        item = plan.default_item(technique)
        values = {
            "duration_seconds": item.duration_seconds,
            "hold_seconds": item.hold_seconds,
            "repetitions": item.repetitions,
        }
        assert technique.out_of_range(**values) == {}, technique.slug
        if item.duration_seconds is not None:
            assert item.duration_seconds == technique.work_seconds_range()[0]
        else:
            assert item.hold_seconds == technique.hold_seconds_range()[0]
            assert item.repetitions == technique.repetitions_range()[0]


def test_adding_techniques_starts_from_the_low_end_of_their_seeds_ranges(
    client: Client, catalog
) -> None:
    client.post("/session/plan/add/ql-tennis-ball-side-lying/")  # 1-2 min per side
    client.post("/session/plan/add/gmed-overlap-fists/")  # hold 10 s, 3-4 times
    html = client.get("/session/plan/").content.decode()
    assert "1 min on each side" in html
    assert "3 × 10 s holds, both sides at once" in html
    assert 'min="60" max="120"' in html
    assert 'name="repetitions" id="repetitions-1" min="3" max="4"' in html
    assert "Its sources give 1–2 min per side;" in html
    assert "Its sources give hold 10 s, 3–4 times;" in html


def test_a_change_inside_the_range_is_kept(client: Client, catalog) -> None:
    client.post("/session/plan/add/ql-tennis-ball-side-lying/")
    client.post("/session/plan/add/gmed-overlap-fists/")
    response = client.post("/session/plan/0/change/", {"side": "both", "seconds": "120"})
    assert response.status_code == 302
    response = client.post("/session/plan/1/change/", {"side": "both", "repetitions": "4"})
    assert response.status_code == 302
    html = client.get("/session/plan/").content.decode()
    assert "2 min on each side" in html
    assert "4 × 10 s holds" in html


@pytest.mark.parametrize(
    ("index", "data", "message"),
    [
        (0, {"side": "both", "seconds": "150"}, "Choose 60 to 120 seconds per side"),
        (0, {"side": "both", "seconds": "30"}, "Choose 60 to 120 seconds per side"),
        (1, {"side": "both", "seconds": "30"}, "Keep 10 seconds per hold"),
        (1, {"side": "both", "repetitions": "6"}, "Choose 3 to 4 holds"),
    ],
)
def test_a_change_outside_the_range_is_a_400_saying_what_to_choose(
    client: Client, catalog, index, data, message
) -> None:
    client.post("/session/plan/add/ql-tennis-ball-side-lying/")
    client.post("/session/plan/add/gmed-overlap-fists/")
    before = doses_shown(client)
    response = client.post(f"/session/plan/{index}/change/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert "its dose" in text or "dose:" in text
    assert doses_shown(client) == before
