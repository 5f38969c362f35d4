from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from backtp.accounts import people
from backtp.accounts.models import User


class ModelBackend(DjangoModelBackend):
    """Django's ModelBackend, with the per-request user lookup (every logged-in request
    makes it) from the session's copy of the row in Redis (people.py) or else through
    backtp.rows: the same user, without a query or at a third of the CPU."""

    def get_user(self, user_id: object) -> User | None:
        user = people.get(User, user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
