"""Writes for reminders: the schedule, devices, and claiming and sending each reminder."""

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse

from backtp.accounts.models import User
from backtp.reminders import messages, push, schedule, selectors
from backtp.reminders.models import Device, Reminder, Schedule


def session_hash(session_key: str | None) -> str:
    """What a device keeps of the browser session that added it (not the key itself)."""
    return hashlib.sha256(session_key.encode()).hexdigest() if session_key else ""


@transaction.atomic
def schedule_save(*, user: User, per_day: int, **fields: Any) -> Schedule:
    """Save the person's times and how many a day (kept on the account: the journal's
    "2 of 5 today" counts against it)."""
    saved = selectors.schedule_for(user)
    for name, value in fields.items():
        setattr(saved, name, value)
    saved.save()
    if user.sessions_per_day != per_day:
        user.sessions_per_day = per_day
        user.save(update_fields=["sessions_per_day"])
    return saved


def device_add(
    *, user: User, endpoint: str, p256dh: str, auth: str, name: str, session_key: str | None
) -> Device:
    """Add (or move to this person) the browser's subscription. An endpoint belongs to
    one browser profile, so whoever subscribes it last is the one it reminds."""
    selectors.schedule_for(user).save()  # a device needs a schedule; the default one at least
    device, _ = Device.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "name": name,
            "session_hash": session_hash(session_key),
        },
    )
    return device


def devices_forget_session(*, user: User, session_key: str | None) -> int:
    """On log-out: remove the devices added in this browser session."""
    if not session_key:
        return 0
    deleted, _ = Device.objects.filter(user=user, session_hash=session_hash(session_key)).delete()
    return deleted


def feed_new(*, user: User) -> Schedule:
    saved = selectors.schedule_for(user)
    saved.feed_token = Schedule.new_token()
    saved.save()
    return saved


def feed_revoke(*, user: User) -> None:
    Schedule.objects.filter(user=user).update(feed_token=None)


def queue_due_reminders(*, now: datetime, enqueue: Callable[[int], Any]) -> int:
    """Find everyone with a reminder due now and queue one sending task for each.

    The Reminder row is the claim: unique per person and due time, created in the same
    transaction as the task (the task queue is in the database), so two schedulers or
    workers racing, or a restart mid-run, queue each reminder once. Earlier reminders of
    the last hour (after an outage) are recorded as skipped, not sent in a burst."""
    queued = 0
    for saved in selectors.schedules_with_devices():
        times = saved.times_of_day(saved.user.sessions_per_day)
        due, earlier = schedule.latest_due(
            times, saved.weekdays, saved.zone(), now, since=saved.updated
        )
        if due is None:
            continue
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(user=saved.user, due_at=due)
                Reminder.objects.bulk_create(
                    [
                        Reminder(user=saved.user, due_at=at, status=Reminder.Status.SKIPPED)
                        for at in earlier
                    ],
                    ignore_conflicts=True,
                )
                enqueue(reminder.pk)
        except IntegrityError:
            continue  # another worker claimed it
        queued += 1
    return queued


def send_reminder(*, reminder_id: int, now: datetime) -> str:
    """Send one queued reminder to each of the person's devices, once.

    It is claimed first (sent_at set where it was empty), so a second run of the same
    task sends nothing. One more than an hour late is dropped."""
    claimed = Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(sent_at=now)
    if not claimed:
        return "already sent"
    reminder = Reminder.objects.select_related("user").get(pk=reminder_id)
    late_by = now - reminder.due_at
    if late_by > schedule.LATE_LIMIT:
        reminder.status = Reminder.Status.SKIPPED
        reminder.save(update_fields=["status"])
        return "too late"
    ttl = max(60, int((schedule.LATE_LIMIT - late_by).total_seconds()))
    delivered = _to_every_device(reminder.user, _payload(reminder.user), ttl=ttl, now=now)
    reminder.devices = delivered
    reminder.status = Reminder.Status.SENT if delivered else Reminder.Status.FAILED
    reminder.save(update_fields=["devices", "status"])
    return f"sent to {delivered} device(s)"


def _payload(user: User, *, title: str = "backtp") -> dict:
    brief = selectors.plan_brief(user)
    return {
        "title": title,
        "body": messages.reminder_text(brief.muscles, brief.sides, brief.seconds),
        "url": reverse("journal:plan") if brief.muscles else reverse("pages:home"),
        "tag": "backtp-reminder",
    }


def _to_every_device(user: User, payload: dict, *, ttl: int, now: datetime) -> int:
    """Push payload to each of the person's devices; how many took it."""
    delivered = [
        device.pk
        for device in selectors.devices_for(user)
        if push.send(device, payload, ttl=ttl) is push.Outcome.DELIVERED
    ]
    Device.objects.filter(pk__in=delivered).update(last_sent=now)
    return len(delivered)


def send_test(*, user_id: int, now: datetime) -> str:
    """A reminder now, as the person's reminders will look, to check their devices get
    it. Not recorded as a reminder: the schedule's own go out as usual."""
    user = User.objects.get(pk=user_id)
    delivered = _to_every_device(user, _payload(user, title="backtp (a test)"), ttl=600, now=now)
    return f"test sent to {delivered} device(s)"


def reminders_prune(*, before: datetime) -> int:
    deleted, _ = Reminder.objects.filter(due_at__lt=before).delete()
    return deleted
