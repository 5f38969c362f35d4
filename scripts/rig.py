"""The rig behind `make bench`, `make loadtest` and `make faulttest`.

A fresh PostgreSQL database with the catalogue; gunicorn with deploy/gunicorn.conf.py and
production settings; nginx in front with deploy/nginx.conf (TLS with a certificate made
for the run); a small HTTP client that keeps cookies like a browser; wrk. Everything
targets 127.0.0.1 only, and every wait is bounded in time.
"""

import http.client
import json
import os
import platform
import re
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from string import Template
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
LOOPBACK = "127.0.0.1"
PG_ADMIN_URL = os.environ.get("RIG_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
# Debian's Chromium, as the browser tests (tests/conftest.py), the fault test and
# Lighthouse drive it: no sandbox (containers), no GPU, and none of the background
# traffic that would leave the machine.
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
    if urlsplit(url).hostname not in (LOOPBACK, "localhost"):
        raise SystemExit(f"refusing to target {url!r}: these scripts only target {LOOPBACK}")
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def database_url(name: str, admin_url: str = PG_ADMIN_URL) -> str:
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def redis_if_up(url: str) -> str | None:
    """url, emptied, when a Redis server answers there; None otherwise."""
    import redis

    try:
        redis.Redis.from_url(loopback_only(url), socket_timeout=1).flushdb()
    except redis.RedisError:
        return None
    return url


def production_env(db_url: str, redis_url: str | None = None, **extra: str) -> dict[str, str]:
    """As in production: DEBUG off, a random secret, HTTPS behind a proxy that says so,
    Redis (when given) as the shared cache. The access log is off: a million lines."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{LOOPBACK},localhost",
        "DATABASE_URL": db_url,
        "HTTPS": "1",
        "BEHIND_PROXY": "1",
        "ACCESS_LOG": "0",
        "PYTHONUNBUFFERED": "1",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env | extra


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def sql(db_url: str, query: str, *params: object, autocommit: bool = False) -> list[tuple]:
    import psycopg

    url = db_url.replace("postgres://", "postgresql://")
    with psycopg.connect(url, autocommit=autocommit) as connection:
        cursor = connection.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def fresh_database(name: str, env: dict[str, str], admin_url: str = PG_ADMIN_URL) -> None:
    """Drop and recreate a database, migrate it, load the catalogue, collect static files
    (whitenoise serves them from STATIC_ROOT), then vacuum so that autovacuum does not
    wake up in the middle of a measurement."""
    sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', autocommit=True)
    sql(admin_url, f'CREATE DATABASE "{name}"', autocommit=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_catalog", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    sql(env["DATABASE_URL"], "VACUUM ANALYZE", autocommit=True)


def create_user(env: dict[str, str], username: str, password: str) -> None:
    code = "from backtp.accounts.models import User\n"
    code += f"User.objects.create_user({username!r}, password={password!r})"
    manage(env, "shell", "-v", "0", "-c", code)


def wait_until(check: Callable[[], bool], timeout: float, step: float = 0.1) -> float | None:
    """Seconds until check() is true, or None once timeout has passed."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if check():
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(step)
    return None


# -- servers ---------------------------------------------------------------------------


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    """Signal a process group started by this rig and wait for it; SIGKILL after timeout."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def gunicorn(
    port: int, env: dict[str, str], workers: int = 2, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn as the image runs it (deploy/gunicorn.conf.py) on 127.0.0.1:port."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    env = env | {"WEB_CONCURRENCY": str(workers)}
    command = [str(BIN / "gunicorn"), "backtp.wsgi", "--config", "deploy/gunicorn.conf.py"]
    command += ["--bind", f"{LOOPBACK}:{port}"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
    )
    try:
        if wait_until(lambda: Client(port).get("/healthz").status == 200, 30) is None:
            raise RuntimeError(f"gunicorn on port {port} did not answer /healthz within 30 s")
        yield process
    finally:
        stop(process)
        if log:
            out.close()


def nginx_config(run: Path, port: int, upstreams: list[int]) -> str:
    """deploy/nginx.conf with its ${...} placeholders filled for this run; without
    Debian's Brotli module (libnginx-mod-http-brotli-filter) its lines are left out."""
    text = Template(NGINX_CONF.read_text()).safe_substitute(
        LISTEN=f"{LOOPBACK}:{port}",
        UPSTREAMS="\n        ".join(
            f"server {LOOPBACK}:{p} max_fails=1 fail_timeout=10s;" for p in upstreams
        ),
        RUN_DIR=str(run),
        CACHE_DIR=str(run / "cache"),
        TLS_CERT=str(run / "cert.pem"),
        TLS_KEY=str(run / "key.pem"),
    )
    if not BROTLI_MODULE.exists():
        text = "\n".join(_without_brotli(text.splitlines()))
    return text


def _without_brotli(lines: list[str]) -> Iterator[str]:
    """The lines without those that say brotli, and a directive that does goes to its
    ';' (brotli_types spans two lines)."""
    skipping = False
    for line in lines:
        code = line.split("#")[0].rstrip()
        if "brotli" in line or skipping:
            skipping = bool(code) and not code.endswith(";")
            continue
        yield line


@contextmanager
def nginx(run: Path, port: int, upstreams: list[int]) -> Iterator[ssl.SSLContext]:
    """nginx on https://127.0.0.1:port in front of the gunicorn ports, with a self-signed
    certificate made for the run; yields a TLS context that trusts it."""
    os.chmod(run, 0o755)  # nginx's workers (nobody) must reach the cache and temp dirs
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
        + ["-keyout", str(run / "key.pem"), "-out", str(run / "cert.pem")],
        check=True,
        capture_output=True,
    )
    conf = run / "nginx.conf"
    conf.write_text(nginx_config(run, port, upstreams))
    command = [NGINX, "-p", str(run), "-c", str(conf), "-e", str(run / "error.log")]
    subprocess.run([*command, "-t", "-q"], check=True)
    process = subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True)
    tls = ssl.create_default_context(cafile=str(run / "cert.pem"))
    try:
        if wait_until(lambda: Client(port, tls).get("/healthz").status == 200, 30) is None:
            raise RuntimeError(f"nginx did not answer within 30 s; see {run}/error.log")
        yield tls
    finally:
        stop(process, signal.SIGQUIT, timeout=10)


# -- an HTTP client that keeps cookies like one browser tab ---------------------------


@dataclass
class Response:
    status: int  # 0: no answer (connection refused, reset, timed out)
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case
    body: bytes = b""
    error: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


RETRYABLE = {0, 502, 503, 504}  # what a person (or the timer) tries again after


@dataclass
class Attempt:
    at: float  # time.monotonic() when sent
    done: float  # and when answered
    who: str
    method: str
    path: str
    response: Response
    final: bool  # the last attempt of its request (no retry followed)

    @property
    def status(self) -> int:
        return self.response.status

    @property
    def upstream(self) -> str:  # nginx's X-Upstream: which instance answered, or two
        return self.response.headers.get("x-upstream", "")

    @property
    def cache(self) -> str:  # nginx's X-Cache-Status
        return self.response.headers.get("x-cache-status", "")


@dataclass
class Client:
    """Plain HTTP straight to gunicorn (saying X-Forwarded-Proto: https, as nginx does),
    or HTTPS to nginx when given its TLS context. Never raises on a network error. With
    `retries`, a request that got no answer or a 502/503/504 is sent again after a pause,
    as a person reloads or resubmits; with `attempts`, every attempt is recorded there."""

    port: int
    tls: ssl.SSLContext | None = None
    name: str = ""
    retries: int = 0
    attempts: list[Attempt] | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    @property
    def origin(self) -> str:
        return f"https://{LOOPBACK}:{self.port}"

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict | None = None,
        data: dict | None = None,
        headers: dict[str, str] | None = None,
        retry: bool = True,
    ) -> Response:
        body = None
        extra = dict(headers or {})
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            extra["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body = json.dumps(data).encode()
            extra["Content-Type"] = "application/json"
        if body is not None:
            extra = {"Origin": self.origin, "Referer": self.origin + path} | extra
        tries = 1 + (self.retries if retry else 0)
        for attempt in range(tries):
            sent = time.monotonic()
            response = self.send(method, path, body, extra)
            final = response.status not in RETRYABLE or attempt == tries - 1
            if self.attempts is not None:
                done = time.monotonic()
                self.attempts.append(Attempt(sent, done, self.name, method, path, response, final))
            if final:
                return response
            time.sleep(min(2.0, 0.25 * (attempt + 1)))
        raise AssertionError("unreachable")

    def send(self, method: str, path: str, body: bytes | None, extra: dict[str, str]) -> Response:
        sent = {"Accept": "text/html,*/*", "Accept-Encoding": "identity"}
        if not self.tls:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        try:
            if self.connection is None:
                self.connection = (
                    http.client.HTTPSConnection(LOOPBACK, self.port, timeout=30, context=self.tls)
                    if self.tls
                    else http.client.HTTPConnection(LOOPBACK, self.port, timeout=30)
                )
            self.connection.request(method, path, body=body, headers=sent | extra)
            raw = self.connection.getresponse()
            response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return Response(0, error=f"{type(error).__name__}: {error}")
        for line in raw.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        if response.headers.get("connection", "").lower() == "close":
            self.close()
        return response

    def get(self, path: str, **kwargs: object) -> Response:
        return self.request("GET", path, **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, **kwargs: object) -> Response:
        return self.request("POST", path, **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def csrf_token(page: Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not match:
        raise RuntimeError(f"no CSRF token in the page ({page.status})")
    return match.group(1)


def submit(client: Client, path: str, answers: dict) -> str:
    """GET a form page, POST it with its CSRF token; returns where it redirected to."""
    page = client.get(path)
    sent = client.post(path, form={**answers, "csrfmiddlewaretoken": csrf_token(page)})
    if sent.status != 302:
        raise RuntimeError(f"POST {path} answered {sent.status}, not a redirect")
    return sent.location


def log_in(client: Client, username: str, password: str) -> None:
    submit(client, "/accounts/login/", {"username": username, "password": password})
    if "sessionid" not in client.cookies:
        raise RuntimeError(f"logging in as {username} gave no session cookie")


GUIDE = "/where-does-it-hurt/"


def answer_questionnaire(client: Client) -> str:
    """Every step of 'Where does it hurt?' (a band across the low back); returns the
    path of the results page."""
    safety = client.get(GUIDE + "safety/").text
    flags = set(re.findall(r'name="([\w-]+)" value="no"', safety))
    submit(client, GUIDE + "safety/", dict.fromkeys(flags, "no"))
    regions = ["left-low-back", "right-low-back"]
    body = {"regions": regions, "worst": regions[1], "intensity-right-low-back": "6"}
    submit(client, GUIDE + "body-map/", body)
    submit(client, GUIDE + "how-it-feels/", {"qualities": ["dull-ache"]})
    gear = {"tools": ["tennis-ball", "hands"], "positions": ["floor", "wall"]}
    results = submit(client, GUIDE + "what-you-have/", gear)
    if not results.startswith(GUIDE + "results/"):
        raise RuntimeError(f"the questionnaire ended at {results!r}, not at its results")
    return results


def answer_safety_check(client: Client) -> None:
    """'None of these' to each group of the safety check, which comes before any session
    (backtp/journal/safety.py); logged in, the account keeps it for a week."""
    submit(client, GUIDE + "safety/", {"none-now": "on", "none-doctor": "on", "none-limits": "on"})


def add_to_plan(client: Client, technique: str) -> None:
    page = client.get(f"/techniques/{technique}/")
    form = {"side": "both", "csrfmiddlewaretoken": csrf_token(page)}
    added = client.post(f"/session/plan/add/{technique}/", form=form)
    if added.status != 302:
        raise RuntimeError(f"adding {technique} to the plan answered {added.status}")


# -- wrk and the report ------------------------------------------------------------------


@dataclass
class Wrk:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx responses and socket errors (timeouts included)


def wrk(url: str, connections: int, seconds: float, headers: dict[str, str]) -> Wrk:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--timeout=10s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, loopback_only(url)], capture_output=True, text=True, check=True
    ).stdout
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def ms(percent: int) -> float:
        number, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(\w+)", out, re.M).groups()
        return float(number) * units[unit]

    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Wrk(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=ms(50),
        p99_ms=ms(99),
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
        errors=(sum(map(int, sockets.groups())) if sockets else 0)
        + (int(non_2xx.group(1)) if non_2xx else 0),
    )


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    commit = git("log", "-1", "--format=%h %s").strip() or "an unknown commit"
    changed = len(git("status", "--porcelain", "--", "backtp", "templates", "static").splitlines())
    if changed:
        commit += f", plus uncommitted changes to {changed} files of the app"
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    python = platform.python_version()
    return f"{os.cpu_count()} cores ({cpu}), Python {python}, load average {load}; code at {commit}"


def write_section(path: Path, heading: str, section: str) -> None:
    """Replace the `heading` section of a Markdown file, add it at the end, or (given an
    empty section) remove it."""
    text = path.read_text() if path.exists() else ""
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.M | re.S)
    new = section.rstrip("\n") + "\n\n" if section else ""
    if pattern.search(text):
        text = pattern.sub(lambda _: new, text, count=1)
    elif section:
        text = text.rstrip("\n") + "\n\n" + new
    path.write_text(text.strip("\n") + "\n")
