from typing import Any

from django.http import HttpRequest

from backtp.reminders import services


def forget_this_device(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Logging out stops the reminders this browser session subscribed to: a shared
    phone should not go on reminding the person who has left it."""
    if request is not None and user is not None:
        services.devices_forget_session(user=user, session_key=request.session.session_key)
