"""Login throttling: after LOGIN_FAILURE_LIMIT failures for an account or an address within
LOGIN_FAILURE_WINDOW seconds, further attempts are refused until the window passes.

Counts live in Django's default cache, shared between processes through Redis when
REDIS_URL is set. While Redis is unreachable the counts cannot be read or kept: logging
in then works unthrottled (a warning is logged), the lesser harm than locking everybody
out. Sessions do not depend on Redis (they are in the database), so nothing else does.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger("backtp.throttle")


def _keys(username: str, address: str) -> list[str]:
    keys = [f"login-failures:address:{address}"]
    if username:
        keys.append(f"login-failures:user:{username.strip().lower()}")
    return keys


def is_locked(username: str, address: str) -> bool:
    try:
        counts = cache.get_many(_keys(username, address))
    except RedisError as error:
        logger.warning("login throttling unavailable, not applied: %s", error)
        return False
    return any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values())


def record_failure(username: str, address: str) -> None:
    try:
        for key in _keys(username, address):
            # add() starts the window on the first failure; incr() keeps its expiry.
            if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW):
                try:
                    cache.incr(key)
                except ValueError:  # expired between add() and incr()
                    cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)
    except RedisError as error:
        logger.warning("login throttling unavailable, failure not counted: %s", error)


def clear_failures(username: str) -> None:
    try:
        cache.delete(f"login-failures:user:{username.strip().lower()}")
    except RedisError as error:
        logger.warning("login throttling unavailable, failures not cleared: %s", error)
