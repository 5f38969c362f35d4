from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from backtp.accounts.models import User


class AccountsConfig(AppConfig):
    name = "backtp.accounts"
    verbose_name = "Accounts"

    def personal_data(self, user: "User") -> dict[str, dict | Iterable[dict]]:
        """This app's part of the person's data export: the account itself.

        Every app keeping personal data has this method; the export (services.py) asks
        each, so accounts needs to know none of them."""
        return {
            "account": {
                "username": user.username,
                "email": user.email,
                "date_joined": user.date_joined.isoformat(),
                "sessions_per_day": user.sessions_per_day,
                "contraindications": user.contraindications,
                "safety_answered_at": (
                    user.safety_answered_at.isoformat() if user.safety_answered_at else None
                ),
            }
        }
