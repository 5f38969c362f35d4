"""Logging in by email: the one authentication backend (AUTHENTICATION_BACKENDS)."""

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend
from django.db.models import F, Q
from django.http import HttpRequest

from backtp.accounts.models import User

# Emails are not unique (sign-up must not reveal whether one is taken), so one address may
# have several accounts; a login checks the password of at most this many of them, the
# most recently used first, so that piling accounts onto one address cannot make each
# login attempt hash without end.
MOST_ACCOUNTS_CHECKED = 5


class EmailBackend(ModelBackend):
    """Django's ModelBackend, finding the account by email instead of username.

    The identifier typed is an email, in any case, or the exact username of an account
    made before sign-up asked for an email only (December 2026). Of the accounts it
    names, the first whose password matches logs in, the most recently logged-in first:
    several accounts may share an email, and even a password.

    An identifier that names no account still runs the password hasher once, as
    ModelBackend does, so a wrong guess takes as long whether the address has an account
    or not. One that names several accounts runs it up to once for each (at most
    MOST_ACCOUNTS_CHECKED) when the password matches none; that difference shows only to
    someone who already has an account at that address.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get("email")
        if password is None:
            return None
        identifier = (username or "").strip()
        candidates = self.accounts_named(identifier) if identifier else []
        if not candidates:
            User().set_password(password)  # the time a real check would take
            return None
        for user in candidates:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        return None

    async def aauthenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        return await sync_to_async(self.authenticate)(request, username, password, **kwargs)

    @staticmethod
    def accounts_named(identifier: str) -> list[User]:
        """The accounts an identifier names, the most recently logged-in first."""
        return list(
            User.objects.filter(Q(email__iexact=identifier) | Q(username=identifier)).order_by(
                F("last_login").desc(nulls_last=True), "-date_joined", "-pk"
            )[:MOST_ACCOUNTS_CHECKED]
        )
