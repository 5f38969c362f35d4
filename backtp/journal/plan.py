"""A person's session plan: in the session when anonymous, in the database when logged in."""

from dataclasses import asdict, dataclass, replace
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from backtp.accounts.models import User
from backtp.catalog.models import RoutineStep, Technique
from backtp.journal.models import PlanStep

SESSION_KEY = "session_plan"
ROUTINE_KEY = "session_plan_routine"  # the routine the plan was started from, if any
MOVE_KEY = "session_plan_move_seconds"
DEFAULT_REST = 15
MAX_STEPS = 20
# Seconds the timer gives to get into position, to change sides and between steps: long
# enough to move a ball from the floor, for someone lying on it.
DEFAULT_MOVE = 10
MOVE_RANGE = (5, 30)


@dataclass(frozen=True)
class PlanItem:
    technique: str  # slug
    side: str  # left, right or both
    duration_seconds: int | None = None
    hold_seconds: int | None = None
    repetitions: int | None = None
    rest_seconds: int = DEFAULT_REST

    def as_step(self, technique: Technique, number: int) -> RoutineStep:
        """An unsaved RoutineStep, for its dose wording and timing."""
        return RoutineStep(number=number, technique=technique, **_dose(self))


def _dose(item: PlanItem) -> dict:
    fields = asdict(item)
    fields.pop("technique")
    return fields


def default_item(technique: Technique, side: str = RoutineStep.Side.BOTH) -> PlanItem:
    """A step at the low end of the technique's dose: its fewest minutes per side, or its
    shortest hold and fewest repetitions, or time for its fewest strokes.

    The low end because a first session should be the gentlest its source allows (soreness
    can follow for a day or two); the plan page lets the person raise it within the range.
    """
    if technique.dose_range("minutes_per_side") is None and technique.dose_range("hold_seconds"):
        return PlanItem(
            technique.slug,
            side,
            hold_seconds=technique.hold_seconds_range()[0],
            repetitions=technique.repetitions_range()[0],
        )
    return PlanItem(technique.slug, side, duration_seconds=technique.work_seconds_range()[0])


def seconds_range(item: PlanItem, technique: Technique) -> tuple[int, int]:
    """The seconds a person may set for this step: per side when timed, per hold otherwise."""
    if item.duration_seconds is not None:
        return technique.work_seconds_range()
    return technique.hold_seconds_range()


def item_from_step(step: RoutineStep | PlanStep) -> PlanItem:
    """A routine's step, or a saved plan's, as a plan item."""
    return PlanItem(
        step.technique.slug,
        step.side,
        step.duration_seconds,
        step.hold_seconds,
        step.repetitions,
        step.rest_seconds,
    )


def load(request: HttpRequest) -> list[PlanItem]:
    if request.user.is_authenticated:
        return [
            item_from_step(step)
            for step in PlanStep.objects.filter(user=request.user).select_related("technique")
        ]
    return [PlanItem(**item) for item in request.session.get(SESSION_KEY, [])]


def save(request: HttpRequest, items: list[PlanItem]) -> None:
    items = items[:MAX_STEPS]
    if request.user.is_authenticated:
        _save_for_user(request.user, items)
    else:
        request.session[SESSION_KEY] = [asdict(item) for item in items]


@transaction.atomic
def _save_for_user(user: User, items: list[PlanItem]) -> None:
    techniques = Technique.objects.in_bulk({item.technique for item in items}, field_name="slug")
    PlanStep.objects.filter(user=user).delete()
    PlanStep.objects.bulk_create(
        PlanStep(user=user, position=number, technique=techniques[item.technique], **_dose(item))
        for number, item in enumerate(items, 1)
    )


def move(items: list[PlanItem], index: int, offset: int) -> list[PlanItem]:
    target = index + offset
    if not (0 <= index < len(items) and 0 <= target < len(items)):
        return items
    items = list(items)
    items[index], items[target] = items[target], items[index]
    return items


def update(items: list[PlanItem], index: int, **changes: Any) -> list[PlanItem]:
    items = list(items)
    items[index] = replace(items[index], **changes)
    return items


def remember_routine(request: HttpRequest, slug: str) -> None:
    request.session[ROUTINE_KEY] = slug


def forget_routine(request: HttpRequest) -> None:
    request.session.pop(ROUTINE_KEY, None)


def routine(request: HttpRequest) -> str | None:
    return request.session.get(ROUTINE_KEY)


def move_seconds(request: HttpRequest) -> int:
    """The plan's time to move (get ready, change sides, go to the next step).

    Kept in the browser session for everyone, logged in or not: it is a preference of the
    device the timer runs on more than of the plan's steps, and needs no table.
    """
    value = request.session.get(MOVE_KEY, DEFAULT_MOVE)
    low, high = MOVE_RANGE
    return value if isinstance(value, int) and low <= value <= high else DEFAULT_MOVE


def set_move_seconds(request: HttpRequest, seconds: int) -> None:
    request.session[MOVE_KEY] = seconds
