"""A person's session plan, and the treatment sessions they log with the timer."""

from collections.abc import Iterable

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from backtp.catalog.models import Routine, RoutineStep, Technique

PAIN = [MinValueValidator(0), MaxValueValidator(10)]


class PlanStep(models.Model):
    """One step of a logged-in person's plan (anonymous plans live in the session)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_steps"
    )
    position = models.PositiveSmallIntegerField()
    technique = models.ForeignKey(Technique, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=5, choices=RoutineStep.Side)
    duration_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    repetitions = models.PositiveSmallIntegerField(null=True, blank=True)
    rest_seconds = models.PositiveSmallIntegerField(default=15)

    class Meta:
        ordering = ["user", "position"]

    def __str__(self) -> str:
        return f"{self.user}: {self.position}. {self.technique}"


class TreatmentSession(models.Model):
    """A session run with the timer. Its id is made by the browser, so a retry saves it once."""

    id = models.UUIDField(primary_key=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="treatment_sessions",
    )
    routine = models.ForeignKey(
        Routine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    pain_before = models.PositiveSmallIntegerField(validators=PAIN)
    pain_after = models.PositiveSmallIntegerField(validators=PAIN)
    note = models.TextField(blank=True, max_length=2000)
    created = models.DateTimeField(auto_now_add=True)
    techniques_done = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="The ids of the techniques its completed steps did, sorted and "
        "comma-separated (see techniques_key): what 'what helps you' counts, grouped "
        "in the database without reading every step. Set when it is saved; logged "
        "sessions are never edited.",
    )
    anonymous_owner = models.CharField(
        max_length=32,
        blank=True,
        editable=False,
        help_text="For a session saved by someone not logged in: the token of the browser "
        "session that recorded it (see journal/device.py). Only that browser session can "
        "claim it, by logging in or signing up; then it is cleared.",
    )

    class Meta:
        ordering = ["-started_at"]
        # The journal lists a person's sessions newest first, a page at a time.
        indexes = [
            models.Index(fields=["user", "-started_at"], name="sessions_of_a_person"),
            # Logging in claims the sessions the browser session saved before.
            models.Index(
                fields=["anonymous_owner"], condition=Q(user=None), name="sessions_of_nobody_yet"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_before__lte=10, pain_after__lte=10), name="pain_0_to_10"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__gte=models.F("started_at")), name="finishes_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Session {self.started_at:%Y-%m-%d %H:%M} ({self.pain_before} -> {self.pain_after})"

    @staticmethod
    def techniques_key(technique_ids: Iterable[int]) -> str:
        """The techniques_done value for steps that completed these techniques."""
        return ",".join(map(str, sorted(set(technique_ids))))

    @property
    def pain_change(self) -> int:
        return self.pain_after - self.pain_before

    @property
    def minutes(self) -> int:
        return max(1, round((self.finished_at - self.started_at).total_seconds() / 60))


class SessionStep(models.Model):
    class Reproduced(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNSURE = "unsure", "Not sure"

    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    technique = models.ForeignKey(Technique, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=5, choices=RoutineStep.Side)
    planned_seconds = models.PositiveIntegerField()
    done_seconds = models.PositiveIntegerField()
    completed = models.BooleanField()
    reproduced = models.CharField(max_length=6, choices=Reproduced, blank=True)

    class Meta:
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="one_log_step_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.number}. {self.technique}"
