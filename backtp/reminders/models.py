"""When a person wants reminding, the devices that receive the reminders, and each
reminder sent (at most once per person and due time)."""

import secrets
import uuid
from datetime import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models

from backtp.reminders import schedule

ALL_WEEKDAYS = [0, 1, 2, 3, 4, 5, 6]  # Monday is 0, as in datetime.weekday()


def _all_weekdays() -> list[int]:
    return list(ALL_WEEKDAYS)


class Schedule(models.Model):
    """A person's reminder times: wall-clock times in their own time zone, so they follow
    daylight-saving changes and a move to another zone (schedule.py does the arithmetic).
    How many a day is the account's sessions_per_day."""

    class Mode(models.TextChoices):
        SPREAD = "spread", "Spread evenly between a first and a last time"
        TIMES = "times", "At times I choose"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_schedule"
    )
    mode = models.CharField(max_length=6, choices=Mode, default=Mode.SPREAD)
    first_time = models.TimeField(default=time(8, 0))
    last_time = models.TimeField(default=time(20, 0))
    times = models.JSONField(
        default=list, blank=True, help_text='The chosen times, as "HH:MM", in order.'
    )
    weekdays = models.JSONField(default=_all_weekdays, help_text="0 is Monday, 6 Sunday.")
    time_zone = models.CharField(max_length=64, default="UTC")
    # Identifies the calendar events, so a re-imported or refreshed calendar replaces them.
    calendar_uid = models.UUIDField(default=uuid.uuid4, editable=False)
    # The secret in the calendar feed's address; None when there is no feed (or revoked).
    feed_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reminders of {self.user}"

    def times_of_day(self, per_day: int) -> list[time]:
        """The wall-clock times of the day's reminders."""
        if self.mode == self.Mode.TIMES and self.times:
            return [time.fromisoformat(value) for value in self.times]
        return schedule.spread(self.first_time, self.last_time, per_day)

    def zone(self) -> ZoneInfo:
        return schedule.zone(self.time_zone) or ZoneInfo("UTC")

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class Device(models.Model):
    """A browser's Web Push subscription: where to send, and the keys to encrypt with."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_devices"
    )
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    name = models.CharField(max_length=80, help_text="Browser and system, e.g. Chrome on Android.")
    # A hash of the browser session that subscribed: logging out there removes the device.
    session_hash = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return f"{self.name} of {self.user}"

    def subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class Reminder(models.Model):
    """One reminder due for one person: the row is claimed before anything is sent, and
    the pair (person, due time) is unique, so two workers or a restart never send twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped (a later one was due)"
        FAILED = "failed", "No device took it"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    due_at = models.DateTimeField()
    status = models.CharField(max_length=7, choices=Status, default=Status.QUEUED)
    sent_at = models.DateTimeField(null=True, blank=True)
    devices = models.PositiveSmallIntegerField(default=0, help_text="Devices that took it.")

    class Meta:
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "due_at"], name="one_reminder_per_due_time")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.due_at:%Y-%m-%d %H:%M} UTC: {self.status}"
