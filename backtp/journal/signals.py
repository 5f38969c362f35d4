"""After logging in or signing up, sessions saved while logged out become the person's."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from backtp.accounts.models import User
from backtp.journal.device import anonymous_token
from backtp.journal.services import pending_sessions_attach


@receiver(user_logged_in)
def attach_pending_sessions(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: object
) -> None:
    """Logging in keeps the session's data (Django cycles its key), so the token of the
    browser session that saved them is still there."""
    if request is not None and hasattr(request, "session"):
        pending_sessions_attach(user=user, anonymous_owner=anonymous_token(request))
