"""Whose data the timer keeps on a device.

Phones and computers are shared. The timer keeps sessions it could not send and the
state of a session in progress in the browser's storage; each is tagged with who
recorded it, so that one person's session is never sent, shown or resumed as another's:

- "u:<id>" for a logged-in person;
- "a:<token>" for someone not logged in, where the token is random and kept in their
  Django session. Logging in keeps the session's data, so a person who records a session
  and then logs in or signs up still owns it; logging out flushes the session, so the
  next person on the device gets a new token.

A page tells the timer the tag for new sessions (`owner`) and every tag this person may
send or resume (`owners`); the log endpoint checks the tag against the request.
"""

import secrets

from django.http import HttpRequest

ANONYMOUS_KEY = "anonymous_owner"


def anonymous_token(request: HttpRequest, *, create: bool = False) -> str:
    """This browser session's token ("" if it has none and `create` is false)."""
    token = request.session.get(ANONYMOUS_KEY, "")
    if not token and create:
        token = secrets.token_hex(16)
        request.session[ANONYMOUS_KEY] = token
    return token


def owner(request: HttpRequest) -> str:
    """The tag for a session recorded now (an anonymous visitor gets a token)."""
    if request.user.is_authenticated:
        return f"u:{request.user.pk}"
    return f"a:{anonymous_token(request, create=True)}"


def owners(request: HttpRequest) -> list[str]:
    """Every tag whose sessions this request may send: the person's own and those they
    recorded before logging in, in this browser session."""
    tags = [owner(request)]
    token = anonymous_token(request)
    if request.user.is_authenticated and token:
        tags.append(f"a:{token}")
    return tags
