"""Caching that stays correct when the catalogue changes.

Everything built from catalogue content (rendered page bodies, the suggestion
engine's snapshot) is keyed on the catalogue's version token. Saving or deleting
any catalogue row, in the admin or by `load_catalog`, replaces the token, so the
next request builds afresh and stale entries are simply never asked for again.
The token is read once per request: from Redis when it is the cache (a copy set
when a change commits), otherwise with one primary-key query, so that several
processes agree on it whatever they share.
"""

import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from threading import Lock

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from backtp.catalog.models import CatalogueVersion

TIMEOUT = 24 * 3600  # entries of old versions age out of the cache on their own
_batching: ContextVar[bool] = ContextVar("catalogue_batching", default=False)
VERSION_KEY = "catalogue-version"
VERSION_SQL = f"SELECT token FROM {CatalogueVersion._meta.db_table} WHERE id = 1"  # noqa: S608
# Read once per request: every request starts (and ends) with a fresh read.
_read: ContextVar[str | None] = ContextVar("catalogue_version", default=None)


class LRU[K, V]:
    """A bounded, thread-safe map that forgets what was used least recently."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: K, value: V, timeout: object = None) -> None:
        """Like the cache's set(); there is no expiry, only the size bound."""
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# Large or costly-to-unpickle values of this process (results pages, the engine's
# snapshot), keyed on the catalogue version like everything else here.
in_process = LRU[str, object](128)


def version() -> str:
    token = _read.get()
    if token is None:
        # A shared cache (Redis) holds a copy, set when a change commits; without one
        # every process asks the database, the only place they all see.
        shared = _shared_cache()
        token = cache.get(VERSION_KEY) if shared else None
        if token is None:
            # Plain SQL: this runs on every cached page, where the ORM's query
            # building would cost more than the query.
            with connection.cursor() as cursor:
                cursor.execute(VERSION_SQL)
                row = cursor.fetchone()
            token = row[0] if row and row[0] else "none"
            if shared:
                cache.add(VERSION_KEY, token, None)  # never over a newer token
        _read.set(token)
    return token


def prefetch_keys() -> list[str]:
    """Shared-cache keys that every request reads; a caller that is about to ask the
    shared cache for something else anyway fetches these with it (see prefetched())."""
    return [VERSION_KEY] if _shared_cache() else []


def prefetched(found: dict[str, object]) -> None:
    """What a read of prefetch_keys() found (by key): this request's version, unless
    it has already read one."""
    token = found.get(VERSION_KEY)
    if isinstance(token, str) and _read.get() is None:
        _read.set(token)


def _shared_cache() -> bool:
    return "Redis" in settings.CACHES["default"]["BACKEND"]


def forget_version(**kwargs: object) -> None:
    _read.set(None)


def bump() -> None:
    token = uuid.uuid4().hex
    if not CatalogueVersion.objects.filter(pk=1).update(token=token):
        CatalogueVersion.objects.update_or_create(pk=1, defaults={"token": token})
    forget_version()
    if _shared_cache():
        # Only once the change is visible to others, or a reader could build pages
        # from the old rows under the new token.
        transaction.on_commit(lambda: cache.set(VERSION_KEY, token, None))


def changed(**kwargs: object) -> None:
    """Signal receiver for every catalogue model."""
    if not _batching.get():
        bump()


@contextmanager
def batched_changes() -> Iterator[None]:
    """Many changes (a fixture load), one new version at the end."""
    reset = _batching.set(True)
    try:
        yield
    finally:
        _batching.reset(reset)
        bump()


def cached[T](key: str, build: Callable[[], T | None], *, local: bool = False) -> T | None:
    """`build()`'s result for this version of the catalogue; None is not cached
    (a page that does not exist is not worth remembering).

    `local=True` keeps it in this process's memory rather than the shared cache: for
    large rendered pages and for data that is costly to pickle (the suggestion
    engine's snapshot), where fetching it from Redis would cost more than it saves."""
    value = peek(key, local=local)
    if value is None:
        value = build()
        if value is not None:
            store = in_process if local else cache
            store.set(f"catalogue:{version()}:{key}", value, TIMEOUT)
    return value


def peek(key: str, *, local: bool = False) -> object | None:
    """What cached() holds for `key` in this version of the catalogue, or None."""
    store = in_process if local else cache
    return store.get(f"catalogue:{version()}:{key}")
