from collections.abc import Iterator

import pytest

from backtp.accounts import mail


@pytest.fixture(autouse=True)
def _no_email_left_behind() -> Iterator[None]:
    """A reset email is sent after the answer (accounts/mail.py): none may arrive in the
    next test's outbox."""
    yield
    mail.wait_for_pending(timeout=10)
