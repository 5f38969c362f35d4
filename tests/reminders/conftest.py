from collections.abc import Iterator

import pytest

from backtp.reminders.management.commands.vapid_keys import key_pair
from tests.reminders.pushservice import PushService

PUBLIC_KEY, PRIVATE_KEY = key_pair()


@pytest.fixture
def vapid(settings) -> str:
    """The server's VAPID keys set; the public key returned."""
    settings.VAPID_PUBLIC_KEY = PUBLIC_KEY
    settings.VAPID_PRIVATE_KEY = PRIVATE_KEY
    settings.VAPID_SUBJECT = "mailto:reminders@backtp.example"
    return PUBLIC_KEY


@pytest.fixture
def push_service(settings, vapid) -> Iterator[PushService]:
    """A local push service, which the server is allowed to send to."""
    with PushService() as service:
        settings.PUSH_SERVICES = [rf"^{service.origin}/"]
        yield service
