"""Login throttling that a stranger cannot turn against the account's owner.

Failures are counted per (username, address) together: after LOGIN_FAILURE_LIMIT of
them within LOGIN_FAILURE_WINDOW seconds that address may not try that username again
until the window passes, while the owner, from their own address, logs in as usual.
Each address also has its own, higher limit (LOGIN_FAILURE_ADDRESS_LIMIT) across all
usernames, so one address cannot spray guesses over many accounts. A successful login
clears the pair's count; a password reset lifts the username's locks from every address:
each username has a generation token that is part of its pair keys, and a reset replaces
it, so the old counts are never read again (they expire on their own).

Counts live in Django's default cache, shared between processes through Redis when
REDIS_URL is set. While Redis is unreachable the counts cannot be read or kept: logging
in then works unthrottled (a warning is logged), the lesser harm than locking everybody
out. Sessions do not depend on Redis (they are in the database), so nothing else does.

Why not django-axes: its newest release (8.3.1) declares support up to Django 6.0, not
the 6.1 we run; it brings its own authentication backend, middleware and database tables;
it has one failure limit for every lockout parameter (not a pair limit with a higher
per-address one); and a password reset does not unlock with it unless we call its reset
ourselves. The few functions here do exactly what we need and fail open like the rest.
"""

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger("backtp.throttle")

PREFIX = "login-failures"


def _digest(value: str) -> str:
    # Hashed: any text a client sends makes a valid cache key, and Redis holds no usernames.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _user(username: str) -> str:
    return _digest(username.strip().lower())


def _address_key(address: str) -> str:
    return f"{PREFIX}:address:{_digest(address)}"


def _generation_key(username: str) -> str:
    return f"{PREFIX}:generation:{_user(username)}"


def _pair_key(username: str, address: str, generation: str) -> str:
    return f"{PREFIX}:pair:{_user(username)}:{generation}:{_digest(address)}"


def _keys(username: str, address: str) -> dict[str, int]:
    """The counters that apply to this attempt, with their limits."""
    keys = {_address_key(address): settings.LOGIN_FAILURE_ADDRESS_LIMIT}
    if username:
        generation = cache.get(_generation_key(username), "0")
        keys[_pair_key(username, address, generation)] = settings.LOGIN_FAILURE_LIMIT
    return keys


def is_locked(username: str, address: str) -> bool:
    try:
        limits = _keys(username, address)
        counts = cache.get_many(list(limits))
    except RedisError as error:
        logger.warning("login throttling unavailable, not applied: %s", error)
        return False
    return any(count >= limits[key] for key, count in counts.items())


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


def clear_failures(username: str, address: str) -> None:
    """After a successful login: that address starts again for that username (its count
    across usernames stays, or logging in to one's own account would reset it)."""
    try:
        generation = cache.get(_generation_key(username), "0")
        cache.delete(_pair_key(username, address, generation))
    except RedisError as error:
        logger.warning("login throttling unavailable, failures not cleared: %s", error)


def forget_failures(username: str) -> None:
    """After a password reset: lift the username's locks from every address."""
    try:
        # Kept without expiry: were it to vanish within a window, the counts from before
        # the reset would apply again.
        cache.set(_generation_key(username), secrets.token_hex(8), timeout=None)
    except RedisError as error:
        logger.warning("login throttling unavailable, locks not lifted: %s", error)
