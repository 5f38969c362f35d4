"""After logging in or signing up, sessions saved while logged out become the person's."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from backtp.accounts.models import User
from backtp.journal.services import pending_sessions_attach

PENDING_KEY = "pending_sessions"


@receiver(user_logged_in)
def attach_pending_sessions(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: object
) -> None:
    if request is None or not hasattr(request, "session"):
        return
    ids = request.session.pop(PENDING_KEY, [])
    if ids:
        pending_sessions_attach(user=user, ids=ids)
