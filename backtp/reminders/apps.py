from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """A person's reminder times, the devices that receive them and the calendar feed."""

    name = "backtp.reminders"
    verbose_name = "Reminders"
