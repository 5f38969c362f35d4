"""Shared test rig for the benchmark, load and fault scripts: a fresh PostgreSQL
database with the catalogue, and gunicorn serving backtp with production settings.

Everything here targets 127.0.0.1 only.
"""

import os
import secrets
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
LOOPBACK = "127.0.0.1"
PG_ADMIN_URL = os.environ.get("RIG_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("RIG_REDIS_URL", "redis://127.0.0.1:6379/15")
# Debian's Chromium, as the browser tests (tests/conftest.py) and the fault test drive it:
# no sandbox (containers), no GPU, and none of the background traffic that would leave
# the machine.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def loopback_only(url: str) -> str:
    """Refuse to aim a load at anything but this machine."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname
    if host not in (LOOPBACK, "localhost"):
        raise SystemExit(f"refusing to target {url!r}: these scripts only target {LOOPBACK}")
    return url


def database_url(name: str, admin_url: str | None = None) -> str:
    return (admin_url or PG_ADMIN_URL).rsplit("/", 1)[0] + f"/{name}"


def production_env(db_url: str, **extra: str) -> dict[str, str]:
    """DEBUG off, a random secret, HTTPS assumed behind a proxy that says so."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{LOOPBACK},localhost",
        "DATABASE_URL": db_url,
        "HTTPS": "1",
        "BEHIND_PROXY": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def fresh_database(name: str, env: dict[str, str], admin_url: str | None = None) -> None:
    """Drop and recreate a PostgreSQL database, migrate it, load the catalogue and
    collect static files (whitenoise serves them from STATIC_ROOT). admin_url picks
    another PostgreSQL server than RIG_PG_URL's (the fault test runs its own)."""
    import psycopg

    admin_url = (admin_url or PG_ADMIN_URL).replace("postgres://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_catalog", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")


def wait_for(
    url: str,
    timeout: float = 30.0,
    headers: dict[str, str] | None = None,
    context: ssl.SSLContext | None = None,
) -> None:
    """Until url answers 200; context verifies an https url (a run's own certificate)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=2, context=context) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as error:
            last = error
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer 200 within {timeout}s: {last}")


@contextmanager
def gunicorn(
    port: int, env: dict[str, str], workers: int = 2, threads: int = 1, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn serving backtp on 127.0.0.1:port until the block ends, configured as the
    Docker image configures it (deploy/gunicorn.conf.py, read from `env`), except for the
    address and the number of workers and threads given here."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "backtp.wsgi",
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"{LOOPBACK}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=out,
        start_new_session=True,
    )
    try:
        wait_for(f"http://{LOOPBACK}:{port}/healthz")
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if log:
            out.close()
