"""The logged-in person's row, kept in Redis beside their session, never stale.

Every page a logged-in person opens needs their row before its view runs (Django checks
the session against the password hash and `is_active`; cache keys name the journal
version). Reading it from PostgreSQL is a round trip on every request. With Redis, each
session keeps a copy of its person's row, and the session store (sessions.py) fetches
the session, the catalogue version and that copy in one Redis round trip (READ below).

Correctness rests on stamps. Every person has a stamp in Redis, a random token replaced
each time their row changes, once the change has committed (changed(): on save, delete
and journal updates). A copy records the stamp that was current *before* its row was read
from the database, and is used only while that stamp is still the current one. So a copy
taken from a row that was about to change carries the old stamp and is never used; a
lost stamp (evicted, Redis restarted) matches no copy. Copies also expire after
COPY_SECONDS, which bounds the damage if Redis was unreachable at the very moment a
change committed (the new stamp could not be written then).
"""

import logging
import pickle
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from backtp import rows
from backtp.cache import UNREACHABLE, TolerantRedisCache

logger = logging.getLogger("backtp.cache")

COPY_SECONDS = 300
STAMP = "person-stamp:"  # + primary key: that person's current stamp, a plain string
COPY = "person-copy:"  # + session key: a hash of the person's pk, the stamp and the row

# KEYS: the session, the keys every request reads, then this session's person copy.
# ARGV[1]: the prefix of stamp keys, as the cache names keys (a person's pk follows it).
# Returns the values of the first keys, then the copy's pk and its row if still current.
READ = """
local n = #KEYS
local reply = redis.call('MGET', unpack(KEYS, 1, n - 1))
local copy = redis.call('HMGET', KEYS[n], 'pk', 'stamp', 'row')
local row = false
if copy[1] and copy[2] == redis.call('GET', ARGV[1] .. copy[1]) then
    row = copy[3]
end
reply[n] = copy[1]
reply[n + 1] = row
return reply
"""


@dataclass(frozen=True)
class Copy:
    key: str  # this session's copy, named as the cache names keys
    pk: str | None
    row: tuple | None  # rows.values_of() of the person, when the copy is current


# What READ found for this request's session; None when it did not run (no Redis, or
# Redis unreachable): then the person comes from the database alone.
_found: ContextVar[Copy | None] = ContextVar("person_copy", default=None)


def shared() -> TolerantRedisCache | None:
    """The sessions' cache, when it is Redis (REDIS_URL)."""
    found = caches[settings.SESSION_CACHE_ALIAS]
    return found if isinstance(found, TolerantRedisCache) else None


def read_with_session(session_key: str, keys: list[str]) -> list | None:
    """The values of `keys` (the session's first) as get() would return them, reading
    this session's person copy in the same round trip; None when Redis is unreachable."""
    redis = shared()
    if redis is None:
        return None
    copy_key = COPY + session_key
    reply = redis.run_script(READ, [*keys, copy_key], [redis.make_key(STAMP)])
    if reply is None:
        return None
    *values, pk, row = reply
    _found.set(
        Copy(
            redis.make_and_validate_key(copy_key),
            pk.decode() if pk else None,
            pickle.loads(row) if row else None,  # noqa: S301 - written by get() below, as the cache pickles
        )
    )
    return [redis.loads(value) for value in values]


def get(model: type, pk: object) -> object | None:
    """Person `pk` (an instance of the user model): this session's copy when it is of
    them and current; otherwise from the database, then copied for the next request."""
    found = _found.get()
    if found is None:
        return rows.by_pk(model, pk)
    if found.row is not None and found.pk == str(pk):
        return rows.from_values(model, found.row)
    redis = shared()
    client = redis.raw()
    stamp_key = redis.make_and_validate_key(f"{STAMP}{pk}")
    try:
        # The stamp first: a change that commits after this replaces it, so a row read
        # below that may predate the change is kept under a stamp that is already gone.
        pipe = client.pipeline(transaction=False)
        pipe.set(stamp_key, uuid.uuid4().hex, nx=True)
        pipe.get(stamp_key)
        stamp = pipe.execute()[1]
    except UNREACHABLE as error:
        logger.warning("cache unavailable, carrying on without it: %s", error)
        return rows.by_pk(model, pk)
    person = rows.by_pk(model, pk)
    if person is not None and stamp is not None:
        row = pickle.dumps(rows.values_of(person), pickle.HIGHEST_PROTOCOL)
        try:
            pipe = client.pipeline(transaction=False)
            pipe.hset(found.key, mapping={"pk": str(person.pk), "stamp": stamp, "row": row})
            pipe.expire(found.key, COPY_SECONDS)
            pipe.execute()
        except UNREACHABLE as error:
            logger.warning("cache unavailable, carrying on without it: %s", error)
    return person


def changed(pk: object) -> None:
    """Person `pk`'s row is changing in this transaction: once it commits, every copy of
    the row is out of date."""
    redis = shared()
    if redis is not None:
        transaction.on_commit(lambda: _new_stamp(redis, pk))


def _new_stamp(redis: TolerantRedisCache, pk: object) -> None:
    try:
        redis.raw().set(redis.make_and_validate_key(f"{STAMP}{pk}"), uuid.uuid4().hex)
    except UNREACHABLE as error:
        # Copies of this row now live until they expire (COPY_SECONDS).
        logger.warning(
            "cache unavailable: person %s's copies stay until they expire: %s", pk, error
        )


def forget(**kwargs: object) -> None:
    """Signal receiver: nothing found for one request is used for the next."""
    _found.set(None)
