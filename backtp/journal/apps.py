from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from backtp.accounts.models import User


class JournalConfig(AppConfig):
    name = "backtp.journal"
    verbose_name = "Treatment journal"

    def ready(self) -> None:
        from backtp.journal import signals  # noqa: F401

    def personal_data(self, user: "User") -> dict[str, Iterable[dict]]:
        """This app's part of the person's data export (accounts/services.py)."""
        from backtp.journal import exports

        return exports.personal_data(user)
