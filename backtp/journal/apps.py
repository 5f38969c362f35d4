from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "backtp.journal"
    verbose_name = "Treatment journal"

    def ready(self) -> None:
        from backtp.journal import signals  # noqa: F401
