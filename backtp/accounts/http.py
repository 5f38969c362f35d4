"""The typed request of a view only a logged-in person reaches (behind login_required)."""

from backtp.accounts.models import User
from backtp.core.htmx import HtmxHttpRequest


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """request.user is the User, never AnonymousUser; request.htmx as everywhere."""

    user: User
