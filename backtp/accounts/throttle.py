"""Login throttling: after LOGIN_FAILURE_LIMIT failures for an account or an address within
LOGIN_FAILURE_WINDOW seconds, further attempts are refused until the window passes.

Counts live in Django's cache, so they are shared between processes when the cache is.
"""

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    keys = [f"login-failures:address:{address}"]
    if username:
        keys.append(f"login-failures:user:{username.strip().lower()}")
    return keys


def is_locked(username: str, address: str) -> bool:
    counts = cache.get_many(_keys(username, address))
    return any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values())


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        # add() starts the window on the first failure; incr() keeps its expiry.
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)


def clear_failures(username: str) -> None:
    cache.delete(f"login-failures:user:{username.strip().lower()}")
