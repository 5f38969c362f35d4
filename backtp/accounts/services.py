"""Writes and exports over all of a person's data."""

import json
from collections.abc import Iterable, Iterator, Mapping

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from backtp.accounts.models import User


def personal_data(*, user: User) -> dict[str, Mapping | Iterable[Mapping]]:
    """Every app's part of what backtp keeps about a person, by section name.

    An app that keeps personal data gives its AppConfig a personal_data(user) method
    returning {section: a JSON-ready dict, or an iterable of them}; an iterable is read
    only as the export is written. accounts knows no other app."""
    sections: dict[str, Mapping | Iterable[Mapping]] = {}
    for config in apps.get_app_configs():
        contribute = getattr(config, "personal_data", None)
        if contribute is not None:
            sections.update(contribute(user))
    return sections


def _dumps(value: object, depth: int) -> str:
    """value as json.dumps(indent=2) writes it at `depth` levels in."""
    return json.dumps(value, indent=2, cls=DjangoJSONEncoder).replace("\n", "\n" + "  " * depth)


def account_export_json(*, user: User) -> Iterator[str]:
    """Everything backtp keeps about a person, as JSON text written piece by piece: the
    same text json.dumps(indent=2) would give for the whole, without ever holding it.
    A section that is a dict is one object; any other is an array of its items."""
    sections = personal_data(user=user)
    yield "{"
    for number, (name, value) in enumerate(sections.items()):
        yield f"{',' if number else ''}\n  {json.dumps(name)}: "
        if isinstance(value, Mapping):
            yield _dumps(value, 1)
            continue
        empty = True
        for item in value:
            yield f"{'[' if empty else ','}\n    {_dumps(item, 2)}"
            empty = False
        yield "[]" if empty else "\n  ]"
    yield "\n}" if sections else "}"


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Remove the account and, through the cascades, everything every app keeps about it."""
    user.delete()
