"""Background tasks (Django's tasks framework, run by `manage.py db_worker`), and their
schedule (django-crontask's `manage.py crontask` enqueues the check every minute)."""

from datetime import timedelta

from crontask import cron
from django.core.management import call_command
from django.tasks import task, task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from backtp.reminders import services

# How long a reminder's record is kept (the person sees them in their data export).
KEEP_REMINDERS = timedelta(days=90)
# How long a finished task's result stays in the database queue.
KEEP_TASK_RESULTS_DAYS = 7


@task
def send_reminder(reminder_id: int) -> str:
    return services.send_reminder(reminder_id=reminder_id, now=timezone.now())


@task
def send_test(user_id: int) -> str:
    return services.send_test(user_id=user_id, now=timezone.now())


@cron("* * * * *")
@task
def queue_due_reminders() -> int:
    """Every minute: queue a sending task for each reminder due."""
    return services.queue_due_reminders(now=timezone.now(), enqueue=send_reminder.enqueue)


@cron("17 3 * * *")
@task
def prune() -> str:
    """Daily: forget reminder records older than KEEP_REMINDERS and, with the database
    queue, finished task results older than a week (the check alone adds 1,440 a day)."""
    reminders = services.reminders_prune(before=timezone.now() - KEEP_REMINDERS)
    if isinstance(task_backends["default"], DatabaseBackend):
        call_command("prune_db_task_results", min_age_days=KEEP_TASK_RESULTS_DAYS, verbosity=0)
    return f"{reminders} reminder records deleted"
