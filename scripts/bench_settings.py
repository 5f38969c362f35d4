"""backtp's production settings plus one extra URL: the framework ceiling for scripts/bench.py.

Everything (middleware, sessions, database, static files) is backtp.settings as configured
by the environment; only the URLconf differs, so the ceiling never reaches production.
"""

from backtp.settings import *  # noqa: F403 - the whole settings module, unchanged

ROOT_URLCONF = "scripts.bench_urls"
