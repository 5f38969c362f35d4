"""Sessions cached in Redis and kept in the database (Django's cached_db), read in one
Redis round trip together with what every page needs next: the catalogue's version
(catalog/caching.py) and the logged-in person's row (people.py).

Without that, a logged-in page makes three round trips before its view runs (session,
version, person), each costing the worker more time than the page it then serves from
memory. A session missing from Redis comes from the database exactly as cached_db does
it, and with Redis unreachable everything is read as without Redis.
"""

from django.contrib.sessions.backends import cached_db

from backtp.accounts import people
from backtp.catalog import caching


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict:
        prefetch = caching.prefetch_keys()
        found = people.read_with_session(self.session_key, [self.cache_key, *prefetch])
        if found is None:
            return super().load()
        data, *values = found
        caching.prefetched(dict(zip(prefetch, values, strict=True)))
        return data if data is not None else super().load()
