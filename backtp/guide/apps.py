from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from backtp.accounts.models import User


class GuideConfig(AppConfig):
    name = "backtp.guide"
    verbose_name = "Where does it hurt?"

    def ready(self) -> None:
        from backtp.guide import signals  # noqa: F401

    def personal_data(self, user: "User") -> dict[str, Iterable[dict]]:
        """This app's part of the person's data export (accounts/services.py)."""
        return {"assessments": _assessments(user)}


def _assessments(user: "User") -> Iterator[dict]:
    from backtp.guide.models import Assessment

    for a in Assessment.objects.filter(user=user).iterator():
        yield {
            "id": str(a.id),
            "created": a.created.isoformat(),
            "regions": a.regions,
            "worst": a.worst,
            "qualities": a.qualities,
            "activities": a.activities,
            "tools": a.tools,
            "positions": a.positions,
            "contraindications": a.contraindications,
            "see_doctor_soon": a.see_doctor_soon,
        }
