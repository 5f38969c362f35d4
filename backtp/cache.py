"""A Redis cache that degrades to "nothing cached" while Redis is unreachable.

Everything backtp keeps in the cache can be rebuilt or lives in the database too
(pages are re-rendered, sessions are cached_db), so a Redis outage should cost
speed, not errors: reads miss, writes are skipped, and a warning is logged.
Login throttling counts are lost meanwhile (it fails open), which is the lesser
harm than locking everybody out.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("backtp.cache")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(method: Callable[..., Any], fallback: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(method)
    def wrapper(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            logger.warning("cache unavailable, carrying on without it: %s", error)
            return fallback(*args, **kwargs)

    return wrapper


def _default(key: str, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis for every operation, and each one
    fills a table of ~170 response callbacks: about 0.15 ms, more than the command.
    A redis.Redis is thread-safe over its connection pool, so keep one per pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._client(connection_pool=self._pools[index])
            client = self._clients.setdefault(index, client)
        return client


class TolerantRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._scripts: dict[str, Any] = {}

    def run_script(self, source: str, keys: list[str], args: list[Any]) -> list | None:
        """A Lua script's raw reply, run over these cache keys (named as get() names
        them); None while Redis is unreachable. Each script is sent once and then called
        by its SHA (redis-py sends it again if Redis has forgotten it)."""
        client = self._cache.get_client(write=True)
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts.setdefault(source, client.register_script(source))
        try:
            return script(keys=[self.make_and_validate_key(key) for key in keys], args=args)
        except UNREACHABLE as error:
            logger.warning("cache unavailable, carrying on without it: %s", error)
            return None

    def raw(self) -> Any:
        """The redis.Redis client, for values kept as plain strings (that a script reads)."""
        return self._cache.get_client(write=True)

    def loads(self, value: bytes | None) -> Any:
        """A value as get() would return it, from the bytes a script returned."""
        return None if value is None else self._cache._serializer.loads(value)

    get = _tolerant(RedisCache.get, _default)
    get_many = _tolerant(RedisCache.get_many, lambda *a, **k: {})
    has_key = _tolerant(RedisCache.has_key, lambda *a, **k: False)
    set = _tolerant(RedisCache.set, lambda *a, **k: None)
    set_many = _tolerant(RedisCache.set_many, lambda *a, **k: [])
    add = _tolerant(RedisCache.add, lambda *a, **k: True)  # as if stored: nothing retries
    touch = _tolerant(RedisCache.touch, lambda *a, **k: False)
    delete = _tolerant(RedisCache.delete, lambda *a, **k: False)
    delete_many = _tolerant(RedisCache.delete_many, lambda *a, **k: None)
    incr = _tolerant(RedisCache.incr, lambda *a, **k: 0)
    clear = _tolerant(RedisCache.clear, lambda *a, **k: None)
