"""HTTP benchmark: throughput and latency of backtp's main pages under gunicorn, against
the framework's ceiling, and the page weight of a first visit.

Run by `make bench` (after the suggestion-engine benchmark). It builds a fresh PostgreSQL
database with the catalogue (scripts/rig.py), adds a person with two months of journal
and a finished questionnaire, serves backtp with production settings under gunicorn on
127.0.0.1 (settings scripts.bench_settings: backtp.settings plus one ceiling view), checks
every URL answers 200 with the expected content, then drives each with wrk for a fixed
time at 16 and 64 connections. It writes the "## HTTP throughput" and "## Page weight"
sections of docs/benchmarks.md, leaving the others alone, and exits non-zero when a
target is missed (after writing the report).
"""

import argparse
import dataclasses
import datetime
import gzip
import html
import http.client
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts import rig  # noqa: E402 - needs the project root on sys.path

DATABASE = "backtp_bench"
SETTINGS = "scripts.bench_settings"
OUTPUT = ROOT / "docs" / "benchmarks.md"
THROUGHPUT_SECTION = "## HTTP throughput"
WEIGHT_SECTION = "## Page weight"
INTRO = (
    "# Benchmarks\n\n"
    "Timings of backtp's hot paths, written by the commands that measure them "
    "(`make bench`). Numbers depend on the machine; each section says which one.\n"
)

# gunicorn as the Docker image runs it (deploy/gunicorn.conf.py): sync workers, each
# serving one request at a time and closing the connection after it, so every request is
# accepted by whichever worker is free. Threaded (gthread) workers keep a connection on the
# worker that accepted it, and wrk's 16 connections, all opened at once, often landed 14
# to 2 or 16 to 0 on two workers: one core idle, the other queueing, p99 doubled. Two
# workers per core, so one runs while the other waits on PostgreSQL or Redis.
WORKERS = 4
THREADS = 1
CONNECTIONS = (16, 64)
DURATION = 5  # seconds per URL per round
WARMUP = 1  # seconds of load on each URL just before it is measured
# Every URL is measured in several interleaved rounds and its best round reported (as
# timeit reports the fastest run): this machine is a VM whose neighbours take a core
# for tens of seconds at a time, halving whichever page is being measured then. The
# ceiling is treated the same way, so no ratio is flattered.
ROUNDS = 3
WRK_THREADS = 2
WRK_TIMEOUT = 10  # a response slower than this counts as an error
SERVICE_SECONDS = 4  # one connection, one request at a time: the server's cost per request
DRIFT = 0.2  # the ceiling moving more than this between its two runs: the box was busy

P99_TARGET_MS = 50.0  # at 16 connections
P99_AT = 16
WEIGHT_TARGET = 60_000  # bytes transferred: HTML + CSS + JS of the first visit

# Headers every request carries: the TLS-terminating proxy says https, and the
# client accepts compressed bodies like any browser.
PROXY = {"X-Forwarded-Proto": "https"}
BROWSER = {**PROXY, "Accept-Encoding": "gzip, br", "Accept": "text/html,*/*;q=0.8"}

USERNAME = "bench-journal"
PASSWORD = "bench-" + "journal-pass-2026"  # a throwaway account in a throwaway database
JOURNAL_SESSIONS = 60
JOURNAL_DAYS = 60
# The questionnaire answers: a band across the low back, the commonest pattern.
BODY_MAP = {"left-low-back": 6, "right-low-back": 6, "left-sacroiliac": 4, "right-sacroiliac": 4}
WORST = "right-low-back"


# -- a tiny HTTP client: http.client, cookies by hand (the cookies are Secure, and the
# rig speaks plain HTTP behind a pretend proxy, so a cookiejar would not send them) ----


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Client:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://{rig.LOOPBACK}:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        form: dict | list | None = None,
    ) -> Response:
        rig.loopback_only(f"http://{rig.LOOPBACK}:{self.port}{path}")
        sent = {**PROXY, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = self.origin
            sent["Referer"] = self.origin + path
        connection = http.client.HTTPConnection(rig.LOOPBACK, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Response(response.status, response.headers, data)

    def get(self, path: str, **kwargs: object) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict | list, expect: int = 302) -> Response:
        response = self.request("POST", path, form=form)
        if response.status != expect:
            raise SystemExit(f"POST {path}: expected {expect}, got {response.status}")
        return response


def csrf_token(page: Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not match:
        raise SystemExit("no CSRF token in the form")
    return match.group(1)


def input_values(page: Response, kind: str, name: str | None = None) -> list[tuple[str, str]]:
    """(name, value) of every <input type=kind> on the page, optionally one name only."""
    found = []
    for tag in re.findall(r"<input\b[^>]*>", page.text):
        attributes = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))
        if attributes.get("type") == kind and (name is None or attributes.get("name") == name):
            found.append((attributes.get("name", ""), html.unescape(attributes.get("value", ""))))
    return found


# -- set-up: data through the app's own models and services, the rest over HTTP -------


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def make_journal() -> None:
    """A person with 60 sessions over two months, through the journal's own service."""
    import uuid

    from django.utils import timezone

    from backtp.accounts.models import User
    from backtp.catalog.models import Routine, Technique
    from backtp.journal.models import SessionStep
    from backtp.journal.services import StepLog, treatment_session_save

    rng = random.Random(2026)
    user = User.objects.create_user(USERNAME, password=PASSWORD)
    routines = list(Routine.objects.prefetch_related("steps__technique"))
    techniques = list(Technique.objects.all())
    start = timezone.now() - datetime.timedelta(days=JOURNAL_DAYS)
    reproduced = [*SessionStep.Reproduced.values, ""]
    for number in range(JOURNAL_SESSIONS):
        started = start + datetime.timedelta(
            days=number * JOURNAL_DAYS / JOURNAL_SESSIONS, minutes=rng.randint(7 * 60, 21 * 60)
        )
        started = min(started, timezone.now() - datetime.timedelta(hours=1))
        # Two sessions in three follow a routine; the others are a few releases picked by hand.
        routine = rng.choice(routines) if number % 3 else None
        if routine:
            plan = [(s.technique, s.side, s.total_seconds()) for s in routine.steps.all()]
        else:
            plan = [(t, "both", 90) for t in rng.sample(techniques, rng.randint(2, 4))]
        steps = []
        for technique, side, seconds in plan:
            completed = rng.random() < 0.9
            done = seconds if completed else rng.randint(10, max(10, seconds - 1))
            steps.append(StepLog(technique, side, seconds, done, completed, rng.choice(reproduced)))
        before = rng.randint(3, 7)
        after = min(10, max(0, before + rng.choice([-3, -2, -2, -1, -1, 0, 1])))
        treatment_session_save(
            id=uuid.UUID(int=rng.getrandbits(128)),
            user=user,
            routine=routine,
            started_at=started,
            finished_at=started + datetime.timedelta(seconds=sum(s[2] for s in plan) + 60),
            pain_before=before,
            pain_after=after,
            note=rng.choice(["", "", "Stiff after the train.", "Better on the floor."]),
            steps=steps,
        )


def settle_database() -> None:
    """Vacuum, analyse and checkpoint the freshly loaded database now: otherwise
    autovacuum gets to the new tables a minute in, in the middle of a measurement,
    and takes a core from the server (seen as one page at half its throughput)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def log_in(client: Client) -> None:
    from django.urls import reverse

    path = reverse("accounts:login")
    token = csrf_token(client.get(path))
    client.post(path, {"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD})
    if "sessionid" not in client.cookies:
        raise SystemExit("logging in gave no session cookie")


def answer_questionnaire(client: Client) -> str:
    """Every step of 'Where does it hurt?' over HTTP, as a browser without htmx would;
    returns the path of the results page."""
    from django.urls import reverse

    path = reverse("guide:safety")
    page = client.get(path)
    flags = sorted({name for name, _ in input_values(page, "radio")})
    if not flags:
        raise SystemExit("the safety step shows no questions")
    form = {"csrfmiddlewaretoken": csrf_token(page), **dict.fromkeys(flags, "no")}
    client.post(path, form)

    path = reverse("guide:body_map")
    page = client.get(path)
    form = {"csrfmiddlewaretoken": csrf_token(page), "regions": list(BODY_MAP), "worst": WORST}
    form.update({f"intensity-{slug}": str(value) for slug, value in BODY_MAP.items()})
    client.post(path, form)

    path = reverse("guide:feel")
    page = client.get(path)
    activities = [value for _, value in input_values(page, "checkbox", "activities")][:2]
    form = {
        "csrfmiddlewaretoken": csrf_token(page),
        "qualities": ["dull-ache"],
        "activities": activities,
    }
    client.post(path, form)

    path = reverse("guide:have")
    page = client.get(path)
    form = {
        "csrfmiddlewaretoken": csrf_token(page),
        "tools": ["tennis-ball", "hands"],
        "positions": ["floor", "wall"],
    }
    location = client.post(path, form).header("Location")
    if "/results/" not in location:
        raise SystemExit(f"the questionnaire ended at {location!r}, not at results")
    return urlsplit(location).path


@dataclass
class Target:
    name: str
    path: str
    logged_in: bool
    must_contain: list[str]
    ratio: float | None  # of the ceiling's throughput; None: no throughput target
    content_type: str = "text/html"
    exact: str | None = None
    shown: str = ""  # the path as the report shows it (no random id)

    @property
    def label(self) -> str:
        return self.shown or self.path


def targets(results_path: str) -> list[Target]:
    """The URLs to load, each with what its page must contain to count as the real page."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db.models import Count
    from django.urls import reverse

    from backtp.catalog.models import Muscle
    from backtp.journal.models import TreatmentSession
    from backtp.pages.views import FEATURED_MUSCLES
    from scripts.bench_urls import CEILING_HTML, CEILING_PATH

    def link(url: str) -> str:
        return f'href="{url}"'

    muscles = list(Muscle.objects.order_by("order", "name"))
    heaviest = (
        Muscle.objects.annotate(
            points=Count("trigger_points", distinct=True),
            zones=Count("trigger_points__zones", distinct=True),
        )
        .order_by("-points", "-zones", "order")
        .prefetch_related("trigger_points")
        .first()
    )
    recent = TreatmentSession.objects.filter(user__username=USERNAME).order_by("-started_at")
    assessment = results_path.rstrip("/").rsplit("/", 1)[-1]
    return [
        Target("ceiling", "/" + CEILING_PATH, False, [], None, exact=CEILING_HTML),
        Target(
            "home",
            reverse("pages:home"),
            False,
            [link(reverse("catalog:muscle_detail", args=[slug])) for slug in FEATURED_MUSCLES],
            0.5,
        ),
        Target(
            "muscle list",
            reverse("catalog:muscle_list"),
            False,
            [link(m.get_absolute_url()) for m in muscles],
            0.5,
        ),
        Target(
            f"muscle detail ({heaviest.slug}, {heaviest.points} points)",
            heaviest.get_absolute_url(),
            False,
            [f"<h1>{html.escape(heaviest.name)}</h1>"]
            + [html.escape(p.name) for p in heaviest.trigger_points.all()],
            0.5,
        ),
        Target(
            "questionnaire results (owner)",
            results_path,
            True,
            [reverse("journal:plan_from_results", args=[assessment]), "<h1"],
            0.3,
            shown=results_path.replace(assessment, "<id>"),
        ),
        Target(
            f"journal ({JOURNAL_SESSIONS} sessions, page 1)",
            reverse("journal:journal"),
            True,
            [link(reverse("journal:session_detail", args=[s.pk])) for s in recent[:20]],
            0.3,
        ),
        Target(
            "static asset (css/backtp.css)",
            staticfiles_storage.url("css/backtp.css"),
            False,
            ["{"],
            None,
            content_type="text/css",
        ),
    ]


def decoded(response: Response) -> str:
    encoding = response.header("Content-Encoding")
    if encoding == "gzip":
        return gzip.decompress(response.body).decode("utf-8", "replace")
    if encoding in ("", "identity"):
        return response.text
    raise SystemExit(f"cannot decode a {encoding!r} body")


def check(client: Client, target: Target) -> None:
    """The URL must answer 200 with its real content, with and without compression."""
    for headers in ({}, {"Accept-Encoding": "gzip"}):
        response = client.get(target.path, headers=headers)
        problem = ""
        if response.status != 200:
            problem = f"status {response.status} ({response.header('Location')})"
        elif not response.header("Content-Type").startswith(target.content_type):
            problem = f"Content-Type {response.header('Content-Type')!r}"
        else:
            body = decoded(response)
            if target.exact is not None and body != target.exact:
                problem = "not the fixed ceiling page"
            missing = [text for text in target.must_contain if text not in body]
            if missing:
                problem = f"missing {missing[:3]}"
        if problem:
            raise SystemExit(f"{target.name}: GET {target.path} {headers}: {problem}")


# -- wrk ---------------------------------------------------------------------------------


@dataclass
class Run:
    target: Target
    connections: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int
    socket_errors: int

    @property
    def errors(self) -> int:
        return self.non_2xx_3xx + self.socket_errors


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()
    return float(number) * UNITS_MS[unit]


def wrk(url: str, connections: int, seconds: int, headers: dict[str, str]) -> str:
    rig.loopback_only(url)
    command = [
        "wrk",
        f"-t{min(WRK_THREADS, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={WRK_TIMEOUT}s",
        "--latency",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return done.stdout


def parse_wrk(output: str, target: Target, connections: int) -> Run:
    def find(pattern: str, default: str | None = None) -> str:
        match = re.search(pattern, output, re.MULTILINE)
        if match:
            return match.group(1)
        if default is None:
            raise SystemExit(f"wrk output without {pattern!r}:\n{output}")
        return default

    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Run(
        target=target,
        connections=connections,
        requests_per_second=float(find(r"^Requests/sec:\s+([\d.]+)")),
        p50_ms=to_ms(find(r"^\s+50%\s+(\S+)")),
        p99_ms=to_ms(find(r"^\s+99%\s+(\S+)")),
        requests=int(find(r"^\s+(\d+) requests in")),
        non_2xx_3xx=int(find(r"Non-2xx or 3xx responses: (\d+)", "0")),
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def load(port: int, target: Target, connections: int, cookie: str) -> Run:
    url = f"http://{rig.LOOPBACK}:{port}{target.path}"
    headers = dict(BROWSER)
    if target.logged_in:
        headers["Cookie"] = cookie
    wrk(url, connections, WARMUP, headers)
    settle(port)
    run = parse_wrk(wrk(url, connections, DURATION, headers), target, connections)
    settle(port)
    print(
        f"  {connections:>3} conns  {target.name:<45} {run.requests_per_second:>9.1f} req/s  "
        f"p50 {run.p50_ms:>8.2f} ms  p99 {run.p99_ms:>8.2f} ms  errors {run.errors}",
        flush=True,
    )
    return run


def best_run(runs: list[Run]) -> Run:
    """The round with the most requests/s, carrying the errors of every round."""
    return dataclasses.replace(
        max(runs, key=lambda run: run.requests_per_second),
        non_2xx_3xx=sum(run.non_2xx_3xx for run in runs),
        socket_errors=sum(run.socket_errors for run in runs),
    )


def cpu_seconds(master: int) -> float:
    """User + system CPU time of gunicorn's workers (all their threads) so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that just ended
        if int(fields[1]) == master:  # field 4, the parent: a worker of this master
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@dataclass
class Service:
    target: Target
    requests_per_second: float
    p50_ms: float
    cpu_ms: float  # gunicorn workers' CPU per request


def service_time(port: int, master: int, target: Target, cookie: str) -> Service:
    """One connection, one request after another: the latency is the server's own time
    per request, and the workers' CPU time over the requests is what each one costs."""
    url = f"http://{rig.LOOPBACK}:{port}{target.path}"
    headers = dict(BROWSER)
    if target.logged_in:
        headers["Cookie"] = cookie
    wrk(url, 1, 1, headers)
    settle(port)
    start = cpu_seconds(master)
    run = parse_wrk(wrk(url, 1, SERVICE_SECONDS, headers), target, 1)
    settle(port)  # the one request left in flight, and the /healthz probes (cheap)
    cpu_ms = (cpu_seconds(master) - start) * 1000 / max(run.requests, 1)
    print(
        f"    1 conn   {target.name:<45} {run.requests_per_second:>9.1f} req/s  "
        f"p50 {run.p50_ms:>8.2f} ms  worker CPU {cpu_ms:>7.2f} ms/request",
        flush=True,
    )
    return Service(target, run.requests_per_second, run.p50_ms, cpu_ms)


def settle(port: int, limit: float = 120.0) -> None:
    """Wait until the server has worked through the requests wrk left behind (it stops
    reading, but gunicorn still answers every request already queued), so that no run
    pays for the one before it: three quick answers in a row from /healthz."""
    deadline = time.monotonic() + limit
    quick = 0
    while quick < 3 and time.monotonic() < deadline:
        start = time.monotonic()
        Client(port).get("/healthz")
        quick = quick + 1 if time.monotonic() - start < 0.02 else 0
        time.sleep(0.1)


# -- page weight --------------------------------------------------------------------------


class Assets(HTMLParser):
    """Stylesheets and scripts a page makes the browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and a.get("href"):
            self.found.append(("css", a["href"]))
        elif tag == "script" and a.get("src"):
            self.found.append(("js", a["src"]))


@dataclass
class Weight:
    page: str
    path: str
    html: int
    html_raw: int
    html_encoding: str
    css: int = 0
    js: int = 0
    assets: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.html + self.css + self.js


def page_weight(port: int, pages: list[tuple[str, str]]) -> list[Weight]:
    """A first visit: each page's HTML, then each CSS and JS file once across all pages."""
    client = Client(port)  # no cookies: a new visitor
    seen: set[str] = set()
    weights = []
    for name, path in pages:
        page = client.get(path, headers=BROWSER)
        raw = client.get(path, headers={**BROWSER, "Accept-Encoding": "identity"})
        if page.status != 200 or raw.status != 200:
            raise SystemExit(f"page weight: GET {path} gave {page.status}/{raw.status}")
        weight = Weight(
            name, path, len(page.body), len(raw.body), page.header("Content-Encoding") or "none"
        )
        parser = Assets()
        parser.feed(raw.text)
        for kind, url in parser.found:
            asset_path = urlsplit(url).path
            if urlsplit(url).netloc or asset_path in seen:
                continue  # another origin would be counted separately; cached ones cost 0
            seen.add(asset_path)
            asset = client.get(asset_path, headers=BROWSER)
            if asset.status != 200:
                raise SystemExit(f"page weight: GET {asset_path} gave {asset.status}")
            setattr(weight, kind, getattr(weight, kind) + len(asset.body))
            encoding = asset.header("Content-Encoding") or "none"
            weight.assets.append(f"{asset_path.rsplit('/', 1)[-1]} ({encoding})")
        weights.append(weight)
    return weights


# -- report -----------------------------------------------------------------------------


def verdict(run: Run, ceiling: float) -> tuple[str, bool]:
    """(target text, met) for one run."""
    if run.target.exact is not None:  # the ceiling: a reference, only errors spoil it
        return "reference, 0 errors", run.errors == 0
    rules, ok = [], run.requests > 0
    if run.target.ratio is not None:
        rules.append(f"≥ {run.target.ratio:g}× ceiling")
        ok &= run.requests_per_second >= run.target.ratio * ceiling
    if run.connections == P99_AT:
        rules.append(f"p99 < {P99_TARGET_MS:g} ms")
        ok &= run.p99_ms < P99_TARGET_MS
    rules.append("0 errors")
    ok &= run.errors == 0
    return ", ".join(rules), ok


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.platform()}, {cpu or platform.machine()}, {os.cpu_count()} CPUs; "
        f"{platform.python_implementation()} {platform.python_version()}"
    )


def versions() -> str:
    import django
    import gunicorn
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    wrk_version = wrk_version.split(" [", 1)[0].removeprefix("wrk ").strip()
    return (
        f"Django {django.get_version()}, gunicorn {gunicorn.__version__}, "
        f"PostgreSQL {postgres}, wrk {wrk_version}"
    )


def code_version() -> str:
    """The commit measured, and whether the app's files had uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "not a git checkout"
    changed = git("status", "--porcelain", "--", "backtp", "templates", "static")
    count = len(changed.splitlines())
    return f"commit {commit}" + (
        f" plus uncommitted changes to {count} files under backtp/, templates/ or static/"
        if count
        else ""
    )


def throughput_section(
    runs: dict[int, list[Run]],
    ceilings: dict[int, tuple[Run, Run]],
    services: list[Service],
    about: dict[str, str],
) -> tuple[str, bool]:
    lines = [
        THROUGHPUT_SECTION,
        "",
        "gunicorn with production settings (`DEBUG=0`, PostgreSQL, whitenoise, every "
        "middleware) on 127.0.0.1, loaded by wrk for a fixed time per URL. Every request "
        "carries `X-Forwarded-Proto: https` (as from the TLS-terminating proxy) and "
        "`Accept-Encoding: gzip, br` (as from a browser); logged-in pages also carry the "
        "session and CSRF cookies (as a browser does once it has logged in) of a person with "
        f"{JOURNAL_SESSIONS} journal sessions over {JOURNAL_DAYS} days, who owns the "
        "questionnaire results (so the ranking uses their history). Each URL is checked "
        f"to answer 200 with its real content first. Then, in {ROUNDS} interleaved rounds, "
        f"each URL is loaded {WARMUP} s to warm up and {DURATION} s measured; each "
        "figure below is from the URL's best round by requests/s, the one least disturbed "
        "by the VM's neighbours (errors are summed over all rounds). The ceiling is a "
        "view returning a fixed HTML string "
        "(scripts/bench_urls.py) through the same server, settings and middleware; it is "
        "measured before and after the pages in every round, and the mean of its best "
        "before and best after is the denominator of every ratio. Errors are non-2xx/3xx responses "
        "plus socket errors (connect, read, "
        f"write, and responses slower than {WRK_TIMEOUT} s). Targets: catalogue pages "
        "≥ 0.5 of the ceiling, results and journal ≥ 0.3, p99 under "
        f"{P99_TARGET_MS:g} ms at {P99_AT} connections, zero errors.",
        "",
        f"- Date: {about['date']}",
        f"- Machine: {about['machine']}",
        f"- Code: {about['code']}",
        f"- Software: {about['versions']}",
        f"- Load average (1, 5, 15 min): {about['load']} when the run started, "
        f"{about['load_after']} when it ended (anything else running shares the two "
        "cores and lowers every figure)",
        f"- gunicorn: the image's configuration (deploy/gunicorn.conf.py) with {WORKERS} "
        f"{'sync workers' if THREADS == 1 else f'gthread workers × {THREADS} threads'} "
        "and its access log off; "
        f"{about['cache']}. Two cores are shared by gunicorn, PostgreSQL, Redis and wrk: "
        "two workers per core, so one runs while the other waits on a round trip. A sync "
        "worker closes the connection after each response, so every request, the "
        "ceiling's too, includes a new loopback TCP connection, as behind a proxy that "
        "does not keep connections to its backends alive.",
        f"- wrk: {WRK_THREADS} threads; {ROUNDS} rounds of {DURATION} s per URL, each after a "
        f"{WARMUP} s warm-up",
        "- Run: `make bench` (scripts/bench.py)",
        "",
    ]
    lines += [
        "### Cost per request (1 connection)",
        "",
        f"Each URL for {SERVICE_SECONDS} s over one connection, one request at a time: "
        "the latency is the server's own time per request, and the gunicorn workers' "
        "CPU time (user + system, from /proc) divided by the requests is what one request "
        "costs, PostgreSQL's share not included. Less sensitive to a busy machine than "
        "the throughput below; two cores give at most about 2000 / (CPU ms) req/s.",
        "",
        "| page | URL | req/s | p50 (ms) | worker CPU per request (ms) | × ceiling's CPU |",
        "|---|---|---:|---:|---:|---:|",
    ]
    base = services[0].cpu_ms or 1.0
    for service in services:
        lines.append(
            f"| {service.target.name} | `{service.target.label}` "
            f"| {service.requests_per_second:.0f} | {service.p50_ms:.2f} "
            f"| {service.cpu_ms:.2f} | {service.cpu_ms / base:.1f} |"
        )
    lines.append("")
    all_ok = True
    for connections, rows in runs.items():
        before, after = ceilings[connections]
        ceiling = (before.requests_per_second + after.requests_per_second) / 2
        drift = abs(before.requests_per_second - after.requests_per_second) / ceiling
        note = (
            f" The ceiling moved by {drift:.0%} between its two runs: the machine was "
            "busy with something else, so treat the ratios as approximate."
            if drift > DRIFT
            else ""
        )
        lines += [
            f"### {connections} connections",
            "",
            f"Ceiling: {before.requests_per_second:.0f} req/s before the pages, "
            f"{after.requests_per_second:.0f} after; mean {ceiling:.0f}.{note}",
            "",
            "| page | URL | req/s | requests | p50 (ms) | p99 (ms) | errors "
            "| ratio to ceiling | target | result |",
            "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for run in [before, *rows, after]:
            target, ok = verdict(run, ceiling)
            all_ok &= ok
            name = run.target.name
            if run is before or run is after:
                name = f"ceiling ({'before' if run is before else 'after'})"
            latency = f"{run.p50_ms:.1f} | {run.p99_ms:.1f}" if run.requests else "– | –"
            lines.append(
                f"| {name} | `{run.target.label}` | {run.requests_per_second:.0f} "
                f"| {run.requests} | {latency} | {run.errors} "
                f"| {run.requests_per_second / ceiling:.3f} | {target} "
                f"| {'PASS' if ok else 'FAIL'} |"
            )
        lines.append("")
    return "\n".join(lines), all_ok


def kb(size: int) -> str:
    return f"{size / 1000:.1f}"


def weight_section(weights: list[Weight], about: dict[str, str]) -> tuple[str, bool]:
    total = sum(w.total for w in weights)
    ok = total < WEIGHT_TARGET
    lines = [
        WEIGHT_SECTION,
        "",
        "A first visit to the home page, the heaviest muscle page and the questionnaire "
        "(its start page and first step), as a browser makes it: `Accept-Encoding: gzip, "
        "br`, every stylesheet (`link rel=stylesheet`) and script (`script src`) the HTML "
        "references fetched once, then cached for the later pages. Sizes are the bodies "
        "as served (compressed when the server compresses them), in KB of 1,000 bytes; "
        "images and fonts are not counted. "
        f"Target: under {WEIGHT_TARGET // 1000} KB in total.",
        "",
        f"- Date: {about['date']}; same server as above",
        "",
        "| page | URL | HTML (KB) | HTML encoding | HTML uncompressed (KB) | new CSS (KB) "
        "| new JS (KB) | total (KB) | new files |",
        "|---|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for w in weights:
        lines.append(
            f"| {w.page} | `{w.path}` | {kb(w.html)} | {w.html_encoding} | {kb(w.html_raw)} "
            f"| {kb(w.css)} | {kb(w.js)} | {kb(w.total)} | {', '.join(w.assets) or '–'} |"
        )
    lines += [
        f"| **all** | | {kb(sum(w.html for w in weights))} | | "
        f"{kb(sum(w.html_raw for w in weights))} | {kb(sum(w.css for w in weights))} "
        f"| {kb(sum(w.js for w in weights))} | **{kb(total)}** | |",
        "",
        f"Total {kb(total)} KB against a target of under {WEIGHT_TARGET // 1000} KB: "
        f"**{'PASS' if ok else 'FAIL'}**.",
    ]
    if any(w.html_encoding == "none" for w in weights):
        lines += ["", "The server does not compress HTML: every page above went out as is."]
    return "\n".join(lines) + "\n", ok


def replace_section(text: str, heading: str, section: str) -> str:
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    section = section.rstrip("\n") + "\n"
    if pattern.search(text):
        return pattern.sub(lambda _: section + "\n", text, count=1).rstrip("\n") + "\n"
    return text.rstrip("\n") + "\n\n" + section


# -- main -----------------------------------------------------------------------------


def main() -> int:
    global DURATION, WARMUP, WORKERS, THREADS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--duration", type=int, default=DURATION, help="seconds per URL per round")
    parser.add_argument("--warmup", type=int, default=WARMUP, help="warm-up seconds per URL")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads per process")
    parser.add_argument(
        "--log",
        type=Path,
        default=Path(tempfile.gettempdir()) / "backtp-bench-gunicorn.log",
        help="gunicorn's own output (appended)",
    )
    options = parser.parse_args()
    DURATION, WARMUP = options.duration, options.warmup
    WORKERS, THREADS = options.workers, options.threads
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2

    cache = "no Redis: per-process cache, sessions in PostgreSQL"
    extra = {"DJANGO_SETTINGS_MODULE": SETTINGS}
    try:
        import redis

        redis.Redis.from_url(rig.REDIS_URL, socket_timeout=1).ping()
        extra["REDIS_URL"] = rig.REDIS_URL
        cache = (
            "Redis cache; sessions cached in Redis and written to PostgreSQL, read with the "
            "catalogue version and the person's row in one round trip (backtp.accounts.sessions)"
        )
    except Exception:  # noqa: BLE001 - any failure means: run without Redis
        pass
    # The image logs every request to stdout; here that would be a file of a million lines.
    env = rig.production_env(rig.database_url(DATABASE), ACCESS_LOG="0", **extra)

    started = time.monotonic()
    print(f"Fresh database {DATABASE!r}, catalogue, static files ...", flush=True)
    rig.fresh_database(DATABASE, env)
    django_setup(env)
    make_journal()
    settle_database()
    from django.db import connections

    about = {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "versions": versions(),
        "cache": cache,
        "load": "{:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg()),
        "code": code_version(),
    }
    print(
        f"gunicorn {WORKERS} workers x {THREADS} threads on port {options.port}, "
        f"its log in {options.log}",
        flush=True,
    )
    with rig.gunicorn(
        options.port, env, workers=WORKERS, threads=THREADS, log=options.log
    ) as server:
        client = Client(options.port)
        log_in(client)
        results_path = answer_questionnaire(client)
        # Both cookies a logged-in browser holds: it got the CSRF cookie before it could
        # post the login form, so it sends it back with every page it asks for.
        cookie = "; ".join(f"{name}={client.cookies[name]}" for name in ("sessionid", "csrftoken"))
        pages = targets(results_path)
        connections.close_all()  # the set-up's own connection stays out of the way
        for target in pages:
            check(client if target.logged_in else Client(options.port), target)
        print("Every URL answers 200 with its content.", flush=True)

        ceiling, measured = pages[0], pages[1:]
        services = [service_time(options.port, server.pid, t, cookie) for t in pages]
        runs: dict[int, list[Run]] = {}
        ceilings: dict[int, tuple[Run, Run]] = {}
        for count in CONNECTIONS:
            rounds = []
            for _ in range(ROUNDS):
                before = load(options.port, ceiling, count, cookie)
                pages_run = [load(options.port, target, count, cookie) for target in measured]
                rounds.append((before, *pages_run, load(options.port, ceiling, count, cookie)))
            best = [best_run(list(column)) for column in zip(*rounds, strict=True)]
            runs[count] = best[1:-1]
            ceilings[count] = (best[0], best[-1])

        from django.urls import reverse

        detail = pages[3]
        weights = page_weight(
            options.port,
            [
                ("home", reverse("pages:home")),
                ("muscle detail", detail.path),
                ("questionnaire start", reverse("guide:start")),
                ("questionnaire first step", reverse("guide:safety")),
            ],
        )

    about["load_after"] = "{:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())
    throughput, throughput_ok = throughput_section(runs, ceilings, services, about)
    weight, weight_ok = weight_section(weights, about)
    output = options.output
    text = output.read_text(encoding="utf-8") if output.exists() else INTRO
    text = replace_section(text, THROUGHPUT_SECTION, throughput)
    text = replace_section(text, WEIGHT_SECTION, weight)
    output.write_text(text, encoding="utf-8")
    print(throughput)
    print(weight)
    print(f"Wrote {output} in {time.monotonic() - started:.0f} s")
    if not (throughput_ok and weight_ok):
        print("FAIL: a target was missed (see the tables above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
