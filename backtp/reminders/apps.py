from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from backtp.accounts.models import User


class RemindersConfig(AppConfig):
    """A person's reminder times, the devices that receive them and the calendar feed."""

    name = "backtp.reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from backtp.reminders.signals import forget_this_device

        user_logged_out.connect(forget_this_device, dispatch_uid="reminders-forget-device")

    def personal_data(self, user: "User") -> dict[str, dict | Iterable[dict]]:
        """This app's part of the person's data export (accounts/services.py asks each app)."""
        from backtp.reminders.models import Device, Reminder, Schedule

        saved = Schedule.objects.filter(user=user).first()
        return {
            "reminder_schedule": (
                {
                    "mode": saved.mode,
                    "first_time": saved.first_time.isoformat(),
                    "last_time": saved.last_time.isoformat(),
                    "times": saved.times,
                    "weekdays": saved.weekdays,
                    "time_zone": saved.time_zone,
                    "calendar_feed": bool(saved.feed_token),
                }
                if saved
                else {}
            ),
            "reminder_devices": (
                {"name": d.name, "added": d.created.isoformat()}
                for d in Device.objects.filter(user=user)
            ),
            "reminders_sent": (
                {"due_at": r.due_at.isoformat(), "status": r.status, "devices": r.devices}
                for r in Reminder.objects.filter(user=user).iterator()
            ),
        }
