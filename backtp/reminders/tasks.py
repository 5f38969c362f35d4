"""Background tasks (Django's tasks framework, run by `manage.py db_worker`), and their
schedule (django-crontask's `manage.py crontask` enqueues the check every minute)."""

from crontask import cron
from django.tasks import task
from django.utils import timezone

from backtp.reminders import services


@task
def send_reminder(reminder_id: int) -> str:
    return services.send_reminder(reminder_id=reminder_id, now=timezone.now())


@cron("* * * * *")
@task
def queue_due_reminders() -> int:
    """Every minute: queue a sending task for each reminder due."""
    return services.queue_due_reminders(now=timezone.now(), enqueue=send_reminder.enqueue)
