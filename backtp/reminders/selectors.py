"""Reads for reminders: a person's schedule, devices, plan in brief, and who is due."""

from dataclasses import dataclass

from django.db.models import QuerySet

from backtp.accounts.models import User
from backtp.catalog.models import Technique
from backtp.journal import plan
from backtp.journal.models import PlanStep
from backtp.reminders import schedule
from backtp.reminders.models import Device, Schedule


def schedule_for(user: User) -> Schedule:
    """The person's schedule, or an unsaved default one (08:00 to 20:00, every day)."""
    try:
        return user.reminder_schedule
    except Schedule.DoesNotExist:
        return Schedule(user=user)


def devices_for(user: User) -> QuerySet[Device]:
    return Device.objects.filter(user=user)


def schedules_with_devices() -> QuerySet[Schedule]:
    """Everyone who could get a push reminder: a saved schedule and at least one device."""
    return (
        Schedule.objects.filter(user__push_devices__isnull=False).distinct().select_related("user")
    )


@dataclass(frozen=True)
class PlanBrief:
    muscles: list[str]
    sides: set[str]
    seconds: int


def plan_brief(user: User) -> PlanBrief:
    """The person's plan in brief, for a reminder's words."""
    steps = list(
        PlanStep.objects.filter(user=user)
        .select_related("technique")
        .prefetch_related("technique__trigger_points__muscle")
    )
    muscles: list[str] = []
    seconds = 0
    for number, step in enumerate(steps, 1):
        routine_step = plan.item_from_step(step).as_step(step.technique, number)
        seconds += routine_step.total_seconds()
        for muscle in routine_step.muscles():
            if muscle.name not in muscles:
                muscles.append(muscle.name)
    return PlanBrief(
        muscles=muscles,
        sides={step.side for step in steps},
        seconds=seconds,
    )


def plan_per_day(user: User) -> tuple[int, int]:
    """How many sessions a day the person's plan suits (one query)."""
    in_plan = PlanStep.objects.filter(user=user).values("technique")
    return per_day_range(list(Technique.objects.filter(pk__in=in_plan)))


def per_day_range(techniques: list[Technique]) -> tuple[int, int]:
    """Sessions a day the plan suits: from the techniques' own ranges where they give one
    (seed 001: 5-7 times a day), otherwise anything from 1 to schedule.MAX_PER_DAY."""
    ranges = [t.dose_range("times_per_day") for t in techniques]
    given = [r for r in ranges if r]
    if not given:
        return (1, schedule.MAX_PER_DAY)
    return (min(low for low, _ in given), max(high for _, high in given))
