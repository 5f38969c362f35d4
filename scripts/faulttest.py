"""make faulttest: PostgreSQL stopped for ~10 s under load, then started again.

Never touches the shared PostgreSQL on port 5432: the run makes its own throwaway
PostgreSQL 15 cluster in a temporary directory on 127.0.0.1:25432 (initdb and pg_ctl, as
the `postgres` OS user when run as root), and always stops and removes it at the end.

Set-up: a fresh database in that cluster with the catalogue, Redis db 13 for the cache and
sessions, one gunicorn instance with production settings, and nginx in front terminating
TLS with a throwaway certificate (as `make loadtest`). A load of anonymous and logged-in
readers runs throughout, with no retries, so every status is seen as it was.

Timeline: load; two browsers (Chromium, Playwright) run a short guided session each up to
"how is it now?"; `pg_ctl stop -m fast`; both press Save and the log stays in the browser
outbox ("Saved on this device"); PostgreSQL is started again ~10 s after it stopped;
recovery is timed; then one browser (logged in) reloads the page and the other (anonymous)
gets an `online` event, and each log must be stored exactly once.

Checks: zero 500s and no traceback anywhere; during the outage every page is the friendly
503 ("Back in a moment", Retry-After) and /healthz says 503; afterwards the app answers
200 again within a few seconds without a restart. Report: docs/faulttest.md; the exit
status is 1 if a check fails.

    .venv/bin/python -m scripts.faulttest [--outage 10] [--before 8] [--after 10]
"""

import argparse
import atexit
import contextlib
import json
import os
import pwd
import random
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scripts import rig
from scripts.loadtest import Agent, Recorder, free_port, machine, nginx, versions

LOOPBACK = rig.LOOPBACK
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# Below the kernel's ephemeral range (32768-60999): a port like 55432 can be taken by any
# outgoing connection on this busy machine, even during the outage, and the restart fails.
PG_PORT = int(os.environ.get("FAULTTEST_PG_PORT", "25432"))
REDIS_URL = os.environ.get("FAULTTEST_REDIS_URL", "redis://127.0.0.1:6379/13")
DATABASE = "backtp_faulttest"
PASSWORD = "fault-test-password-3c9e"
MEMBER = "faultmember"
TECHNIQUE = "ql-tennis-ball-side-lying"
REPORT = rig.ROOT / "docs" / "faulttest.md"
# Text that must never reach a visitor, even on an error page.
# What each kind of request answers while all is well.
EXPECTED = {"form": 302, "session-only form": 302, "member 404": 404}
LEAKS = ("Traceback", "OperationalError", "InterfaceError", "psycopg", 'File "/')


# The throwaway PostgreSQL cluster -------------------------------------------------------


class Cluster:
    """A PostgreSQL 15 cluster of our own in a temporary directory, on 127.0.0.1 only."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="backtp-faulttest-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.as_root = os.geteuid() == 0
        if self.as_root:  # PostgreSQL refuses to run as root
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self.admin_url = f"postgres://postgres@{LOOPBACK}:{port}/postgres"
        self.removed = False

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, cwd=self.root)
        if check and done.returncode:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}{log}")
        return done

    def init(self) -> None:
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses={LOOPBACK} "
            f"-c unix_socket_directories={self.root} -c fsync=off"
        )
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        status = self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status", check=False)
        return status.returncode == 0

    def remove(self) -> None:
        """Stop (if running) and delete; safe to call more than once."""
        if self.removed:
            return
        self.removed = True
        if self.data.exists() and self.running():
            self._run(
                str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop",
                check=False,
            )  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


# The load: readers that never retry, so each status is seen as it was --------------------


@dataclass
class Seen:
    sent: float
    done: float
    kind: str  # page, healthz, static, member
    path: str
    status: int
    title: str
    retry_after: str
    leak: str


def expected(seen: "Seen") -> int:
    return EXPECTED.get(seen.kind, 200)


def title_of(body: str) -> str:
    match = re.search(r"<title>(.*?)</title>", body, re.S)
    return match.group(1).strip() if match else ""


class Load:
    def __init__(self, port: int, tls: ssl.SSLContext, muscles: list[str], techniques: list[str]):
        self.port = port
        self.tls = tls
        self.muscles = muscles
        self.techniques = techniques
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.recorder = Recorder()
        self.threads: list[threading.Thread] = []

    def paths(self) -> tuple[str, str]:
        roll = random.random()
        if roll < 0.15:
            return "healthz", "/healthz"
        if roll < 0.25:
            return "static", self.css or "/static/css/backtp.css"
        if roll < 0.45:
            return "page", random.choice(["/", "/muscles/", "/where-does-it-hurt/", "/tips/"])
        if roll < 0.7:
            return "page", f"/muscles/{random.choice(self.muscles)}/"
        return "page", f"/techniques/{random.choice(self.techniques)}/"

    def record(self, agent: Agent, kind: str, path: str, form: str | None = None) -> None:
        sent = time.monotonic()
        if form is None:
            response = agent.send("GET", path, f"GET {kind}", self.recorder.key())
        else:
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            key = self.recorder.key()
            response = agent.send("POST", path, "POST form", key, form.encode(), headers)
        leak = next((text for text in LEAKS if text in response.body), "")
        seen = Seen(
            sent,
            time.monotonic(),
            kind,
            path,
            response.status,
            title_of(response.body),
            response.headers.get("retry-after", ""),
            leak,
        )
        with self.lock:
            self.seen.append(seen)

    def reader(self, name: str) -> None:
        agent = Agent(name, self.port, self.tls, self.recorder)
        while not self.stop.is_set():
            kind, path = self.paths()
            self.record(agent, kind, path)
            time.sleep(random.uniform(0.02, 0.1))
        agent.close()

    def member(self, name: str) -> None:
        """A logged-in reader of their journal (the session lives in Redis and PostgreSQL)."""
        agent = Agent(name, self.port, self.tls, self.recorder)
        page = agent.send("GET", "/accounts/login/", "GET login", 0)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        form = f"username={MEMBER}&password={PASSWORD}&csrfmiddlewaretoken={token}".encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        logged_in = agent.send("POST", "/accounts/login/", "POST login", 0, form, headers)
        if logged_in.status != 302:
            raise RuntimeError(f"the load's member could not log in: {logged_in.status}")
        while not self.stop.is_set():
            # A broken link too: the 404 page shows the account menu, so it loads the user
            # outside any view (during the outage: the handler500 path).
            path = random.choice(["/journal/", "/session/plan/", "/journal/", "/no-such-page/"])
            self.record(agent, "member 404" if path == "/no-such-page/" else "member", path)
            time.sleep(random.uniform(0.05, 0.15))
        agent.close()

    def writer(self, name: str) -> None:
        """An anonymous visitor who answers the safety step and reorders a two-step plan,
        over and over: both write the session. Reordering the plan touches nothing but the
        session, so during the outage it fails after the view, while the session is saved
        (the handler500 path), where the safety step fails inside its view."""
        agent = Agent(name, self.port, self.tls, self.recorder)
        page = agent.send("GET", "/where-does-it-hurt/safety/", "GET page", 0)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        answers = set(re.findall(r'name="([\w-]+)" value="no"', page.body))
        safety = "&".join(f"{name}=no" for name in sorted(answers))
        safety += f"&csrfmiddlewaretoken={token}"
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        for slug in self.techniques[:2]:
            body = f"side=both&csrfmiddlewaretoken={token}".encode()
            added = agent.send("POST", f"/session/plan/add/{slug}/", "POST plan", 0, body, headers)
            if added.status != 302:
                raise RuntimeError(f"the load's writer could not build a plan: {added.status}")
        while not self.stop.is_set():
            self.record(agent, "form", "/where-does-it-hurt/safety/", safety)
            time.sleep(random.uniform(0.05, 0.15))
            move = f"csrfmiddlewaretoken={token}"
            self.record(agent, "session-only form", "/session/plan/0/move/down/", move)
            time.sleep(random.uniform(0.05, 0.15))
        agent.close()

    def start(self, readers: int) -> None:
        first = Agent("probe", self.port, self.tls, self.recorder)
        home = first.send("GET", "/", "GET page", 0)
        match = re.search(r'href="(/static/css/[^"]+\.css)"', home.body)
        self.css = match.group(1) if match else ""
        first.close()
        for i in range(readers):
            self.threads.append(threading.Thread(target=self.reader, args=(f"reader{i}",)))
        self.threads.append(threading.Thread(target=self.member, args=("member",)))
        self.threads.append(threading.Thread(target=self.writer, args=("writer",)))
        for thread in self.threads:
            thread.daemon = True  # never outlives a run that failed half-way
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


# The browser part -----------------------------------------------------------------------


def run_to_save(page, pain_before: int, pain_after: int) -> None:
    """Build a plan from a technique page, run the timer (fake clock) to 'how is it now?'."""
    page.goto(f"/techniques/{TECHNIQUE}/")
    page.get_by_role("button", name="Add to my session").click()
    page.wait_for_url("**/session/plan/")
    page.clock.install()
    page.goto("/session/")
    page.get_by_role("radio", name=str(pain_before), exact=True).check()
    page.get_by_role("button", name="Start").click()
    page.locator("#stage-run").wait_for(state="visible")
    page.clock.fast_forward(20_000)
    page.get_by_role("button", name="Skip").click()
    page.locator("#stage-after").wait_for(state="visible")
    page.get_by_role("radio", name=str(pain_after), exact=True).check()
    page.get_by_label("Note").fill("Saved while the database was down.")


def outbox(page) -> list[dict]:
    raw = page.evaluate("localStorage.getItem('backtp:outbox')")
    return json.loads(raw) if raw else []


def stored(admin_url: str, session_id: str) -> list[tuple]:
    import psycopg

    url = rig.database_url(DATABASE, admin_url).replace("postgres://", "postgresql://")
    with psycopg.connect(url) as connection:
        return connection.execute(
            "SELECT s.pain_before, s.pain_after, u.username, "
            "(SELECT count(*) FROM journal_sessionstep st WHERE st.session_id = s.id) "
            "FROM journal_treatmentsession s LEFT JOIN accounts_user u ON u.id = s.user_id "
            "WHERE s.id = %s",
            [session_id],
        ).fetchall()


# The run --------------------------------------------------------------------------------


def wait_until(predicate, timeout: float, step: float = 0.1) -> float | None:
    """Seconds until predicate() is true, or None after timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(step)
    return None


def healthz(port: int, tls: ssl.SSLContext) -> int:
    import urllib.error
    import urllib.request

    try:
        url = f"https://{LOOPBACK}:{port}/healthz"
        with urllib.request.urlopen(url, timeout=2, context=tls) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=10, help="seconds PostgreSQL is down")
    parser.add_argument("--before", type=float, default=8, help="seconds of load before")
    parser.add_argument("--after", type=float, default=10, help="seconds of load after recovery")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--recovery-limit", type=float, default=5, help="seconds allowed")
    args = parser.parse_args()

    cluster = Cluster(PG_PORT)
    atexit.register(cluster.remove)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # runs the finally blocks
    tmp = Path(tempfile.mkdtemp(prefix="backtp-faulttest-"))
    os.chmod(tmp, 0o755)
    try:
        return run(args, cluster, tmp)
    finally:
        cluster.remove()


def run(args: argparse.Namespace, cluster: Cluster, tmp: Path) -> int:  # noqa: C901
    from playwright.sync_api import sync_playwright

    started_at = datetime.now(UTC)
    print(f"faulttest: own PostgreSQL cluster on {LOOPBACK}:{PG_PORT} in {cluster.root}")
    cluster.init()
    cluster.start()
    db_url = rig.database_url(DATABASE, cluster.admin_url)
    env = rig.production_env(db_url, REDIS_URL=REDIS_URL, SECRET_KEY=secrets.token_urlsafe(50))
    rig.fresh_database(DATABASE, env, admin_url=cluster.admin_url)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    code = (
        "from backtp.accounts.models import User\n"
        f"User.objects.create_user({MEMBER!r}, 'fault@example.invalid', {PASSWORD!r})\n"
    )
    rig.manage(env, "shell", "-v", "0", "-c", code)
    from scripts.loadtest import catalogue_slugs

    muscles, techniques = catalogue_slugs(db_url)
    app_port, proxy_port = free_port(), free_port()
    timeline: list[tuple[float, str]] = []
    checks: list[tuple[str, bool, str]] = []
    browser_notes: dict[str, object] = {}

    with contextlib.ExitStack() as stack:
        server = stack.enter_context(
            rig.gunicorn(app_port, env, workers=2, log=tmp / "gunicorn.log")
        )
        stack.enter_context(nginx(tmp, proxy_port, [app_port]))
        tls = ssl.create_default_context(cafile=str(tmp / "cert.pem"))
        base = f"https://{LOOPBACK}:{proxy_port}"
        rig.wait_for(f"{base}/healthz", context=tls)
        print(f"faulttest: gunicorn pid {server.pid} on {app_port}, nginx on {base}")

        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=rig.CHROMIUM, args=rig.CHROMIUM_ARGS)
        stack.callback(browser.close)
        contexts = {
            who: browser.new_context(base_url=base, ignore_https_errors=True)
            for who in ("member", "visitor")
        }
        pages = {who: context.new_page() for who, context in contexts.items()}
        errors: list[str] = []
        for page in pages.values():
            page.on("pageerror", lambda error: errors.append(str(error)))

        load = Load(proxy_port, tls, muscles, techniques)
        begin = time.monotonic()
        mark = lambda text: timeline.append((time.monotonic() - begin, text))  # noqa: E731
        stack.callback(load.finish)
        load.start(args.readers)
        mark(f"load starts: {args.readers} readers, a logged-in reader, a form poster")

        member = pages["member"]
        member.goto("/accounts/login/")
        member.fill("input[name=username]", MEMBER)
        member.fill("input[name=password]", PASSWORD)
        member.get_by_role("button", name="Log in").click()
        member.wait_for_url(f"{base}/")
        run_to_save(member, 7, 4)
        run_to_save(pages["visitor"], 6, 2)
        mark("two browsers (one logged in, one anonymous) reach 'how is it now?'")
        time.sleep(max(0, args.before - (time.monotonic() - begin)))

        stop_issued = time.monotonic()
        mark("`pg_ctl stop -m fast`")
        cluster.stop()
        stopped = time.monotonic()
        mark(f"PostgreSQL stopped ({stopped - stop_issued:.2f} s)")

        for who, page in pages.items():
            page.get_by_role("button", name="Save").click()
            page.get_by_text("Saved on this device").wait_for(state="visible", timeout=15_000)
            box = outbox(page)
            browser_notes[who] = {"queued": len(box), "id": box[0]["id"] if box else ""}
        mark("both browsers press Save: 'Saved on this device', one log in each outbox")
        wait_until(lambda: healthz(proxy_port, tls) == 503, timeout=5)
        browser_notes["healthz_during"] = healthz(proxy_port, tls)
        time.sleep(max(0, args.outage - (time.monotonic() - stopped)))

        start_issued = time.monotonic()
        mark("`pg_ctl start`")
        cluster.start()
        ready = time.monotonic()
        mark(f"PostgreSQL accepts connections ({ready - start_issued:.2f} s)")
        healthy = wait_until(lambda: healthz(proxy_port, tls) == 200, timeout=30, step=0.05)
        mark(
            f"/healthz answers 200 again ({healthy:.2f} s after PostgreSQL was ready)"
            if healthy is not None
            else "/healthz never answered 200 again"
        )
        ids = {who: browser_notes[who]["id"] for who in pages}
        browser_notes["stored_before_flush"] = {
            who: len(stored(cluster.admin_url, i)) if i else 0 for who, i in ids.items()
        }

        pages["member"].reload()
        pages["visitor"].evaluate("window.dispatchEvent(new Event('online'))")
        for who, page in pages.items():
            try:
                page.get_by_text("has now been sent").wait_for(state="visible", timeout=15_000)
                browser_notes[f"{who}_sent"] = True
            except Exception:  # noqa: BLE001 - reported as a failed check below
                browser_notes[f"{who}_sent"] = False
            browser_notes[f"{who}_outbox_after"] = len(outbox(page))
        mark("the logged-in browser reloads the page, the anonymous one gets an `online` event")
        # Another load and another `online` event find nothing left to send.
        pages["member"].reload()
        pages["visitor"].evaluate("window.dispatchEvent(new Event('online'))")
        pages["visitor"].wait_for_timeout(1000)
        browser_notes["rows"] = {who: stored(cluster.admin_url, i) for who, i in ids.items()}

        time.sleep(args.after)
        load.finish()
        end = time.monotonic()
        mark("load stops")
        browser_notes["errors"] = errors
        gunicorn_alive = server.poll() is None
        gunicorn_pid = server.pid

    log_text = (tmp / "gunicorn.log").read_text(errors="replace")
    return report(
        args=args,
        load=load,
        timeline=timeline,
        checks=checks,
        notes=browser_notes,
        begin=begin,
        stop_issued=stop_issued,
        ready=ready,
        healthy=healthy,
        end=end,
        started_at=started_at,
        gunicorn=(gunicorn_alive, gunicorn_pid),
        log_text=log_text,
        tmp=tmp,
    )


def report(**run: object) -> int:  # noqa: C901 - one report, read top to bottom
    args = run["args"]
    load: Load = run["load"]
    notes: dict = run["notes"]
    checks: list = run["checks"]
    begin, stop_issued, ready, end = (
        float(run[k]) for k in ("begin", "stop_issued", "ready", "end")
    )
    seen = sorted(load.seen, key=lambda s: s.sent)

    def phase(s: Seen) -> str:
        if s.done < stop_issued:
            return "1 before"
        if s.sent < ready:
            return "2 outage (stop issued until PostgreSQL ready)"
        return "3 after"

    before = [s for s in seen if phase(s).startswith("1")]
    outage = [s for s in seen if phase(s).startswith("2")]
    after = [s for s in seen if phase(s).startswith("3")]

    # Recovery: from PostgreSQL ready until every later response is a 200.
    late_failures = [s for s in after if s.status != expected(s)]
    recovery = max((s.done - ready for s in late_failures), default=0.0)
    first_ok = min(
        (s.done - ready for s in after if s.status == 200 and s.kind != "static"), default=None
    )

    fivehundreds = [s for s in seen if s.status == 500]
    leaks = [s for s in seen if s.leak]
    checks.append(
        (
            "Zero 500s and no traceback text in any response",
            not fivehundreds and not leaks,
            f"{len(fivehundreds)} responses with 500, {len(leaks)} with traceback text "
            f"({', '.join(sorted({s.leak for s in leaks})) or 'none'})",
        )
    )
    checks.append(
        (
            "Before the outage everything answers as it should (200, 302 after a form, 404)",
            bool(before) and all(s.status == expected(s) for s in before),
            f"{len(before)} responses: {dict(Counter(s.status for s in before))}",
        )
    )
    down_pages = [s for s in outage if s.kind not in ("static", "healthz")]
    friendly = [
        s
        for s in down_pages
        if s.status == 503 and s.title.startswith("Back in a moment") and s.retry_after
    ]
    unfriendly = [s for s in down_pages if s.status != expected(s) and s not in friendly]
    still_ok = Counter(s.path for s in down_pages if s.status == expected(s))
    checks.append(
        (
            "During the outage pages answer the friendly 503 (title, Retry-After)",
            len(friendly) > 10 and not unfriendly,
            f"{len(down_pages)} page requests: {len(friendly)} friendly 503s with Retry-After, "
            f"{len(unfriendly)} other errors, {sum(still_ok.values())} still answered: "
            f"{', '.join(f'{path} {n}' for path, n in still_ok.most_common()) or 'none'}",
        )
    )
    down_health = [s for s in outage if s.kind == "healthz"]
    health_503 = sum(1 for s in down_health if s.status == 503)
    checks.append(
        (
            "/healthz says 503 during the outage",
            health_503 > 0 and notes.get("healthz_during") == 503,
            f"{health_503} of {len(down_health)} /healthz requests answered 503",
        )
    )
    static_down = [s for s in outage if s.kind == "static"]
    static_ok = sum(1 for s in static_down if s.status == 200)
    healthy = run["healthy"]
    checks.append(
        (
            f"Recovers by itself, without a restart, within {args.recovery_limit:.0f} s",
            healthy is not None
            and recovery <= args.recovery_limit
            and bool(after)
            and run["gunicorn"][0],
            f"first 200 page {first_ok if first_ok is None else f'{first_ok:.2f} s'} and "
            f"/healthz 200 {'never' if healthy is None else f'{healthy:.2f} s'} after "
            f"PostgreSQL was ready; every response 200 from {recovery:.2f} s on; the same "
            f"gunicorn (pid {run['gunicorn'][1]}) ran throughout",
        )
    )
    for who, flush in (("member", "a page load"), ("visitor", "an `online` event")):
        label = "logged-in" if who == "member" else "anonymous"
        rows = notes["rows"][who]
        queued = notes[who]["queued"]
        expected_user = MEMBER if who == "member" else None
        good = (
            queued == 1
            and notes["stored_before_flush"][who] == 0
            and notes[f"{who}_sent"]
            and notes[f"{who}_outbox_after"] == 0
            and len(rows) == 1
            and rows[0][2] == expected_user
            and rows[0][3] == 1
        )
        checks.append(
            (
                f"The {label} browser's log, saved during the outage, is stored once after {flush}",
                good,
                f"{queued} log kept in the outbox with 'Saved on this device'; "
                f"{notes['stored_before_flush'][who]} rows before the flush; "
                f"{'sent' if notes[f'{who}_sent'] else 'NOT sent'} after recovery; "
                f"{notes[f'{who}_outbox_after']} left in the outbox; {len(rows)} row(s) "
                f"stored {rows}",
            )
        )
    checks.append(
        ("No script errors in the browsers", not notes["errors"], f"{notes['errors'] or 'none'}")
    )
    tracebacks = str(run["log_text"]).count("Traceback (most recent call last)")
    warnings = str(run["log_text"]).count("database unavailable:")
    unavailable_errors = str(run["log_text"]).count("Service Unavailable:")
    handler500 = sum(1 for s in outage if s.kind == "session-only form" and s.status == 503)

    ok = all(good for _, good, _ in checks)
    phases: dict[str, Counter] = defaultdict(Counter)
    for s in seen:
        phases[phase(s)][f"{s.kind} {s.status}"] += 1
    lines = [
        "# Fault test: PostgreSQL stopped under load",
        "",
        f"Run {run['started_at']:%Y-%m-%d %H:%M} UTC by `make faulttest` "
        f"(`scripts/faulttest.py`). **Verdict: {'PASS' if ok else 'FAIL'}.**",
        "",
        "## Set-up",
        "",
        f"- Machine: {machine()}; {versions()}.",
        f"- A throwaway PostgreSQL 15 cluster made for the run (initdb, `pg_ctl`, as the "
        f"`postgres` user) on 127.0.0.1:{PG_PORT}, removed at the end; the shared server "
        "on port 5432 is never touched.",
        "- One gunicorn instance (the image's deploy/gunicorn.conf.py, 2 sync workers) "
        "with production settings (`DEBUG=0`, `HTTPS=1`, `BEHIND_PROXY=1`, persistent "
        "connections without health checks, the default: a connection broken by the "
        f"outage fails one request and is dropped), Redis {REDIS_URL} for the cache and "
        "sessions, behind nginx terminating TLS.",
        f"- Load: {args.readers} anonymous readers (pages, /healthz, a stylesheet) and one "
        "logged-in reader (journal, plan), one visitor posting the questionnaire's safety "
        "step and 'start again' (both write the session), all without retries; two "
        "Chromium browsers (one "
        "logged in, one anonymous) running the guided timer with a fake clock.",
        "",
        "## Timeline",
        "",
        "| at | event |",
        "|---|---|",
        *(f"| {at:.2f} s | {text} |" for at, text in run["timeline"]),
        "",
        "## Checks",
        "",
        "| check | result | numbers |",
        "|---|---|---|",
        *(
            f"| {name} | {'pass' if good else '**FAIL**'} | {detail} |"
            for name, good, detail in checks
        ),
        "",
        "## Responses by phase (kind and status)",
        "",
        "Before: answered before the stop was issued; outage: the rest sent before "
        "PostgreSQL was ready again (requests in flight at the stop included); after: sent "
        "once it was ready.",
        "",
        "| phase | responses |",
        "|---|---|",
    ]
    for name in sorted(phases):
        counts = ", ".join(f"{k}: {n}" for k, n in sorted(phases[name].items()))
        lines.append(f"| {name} | {counts} |")
    lines += [
        "",
        f"Static files kept being served during the outage ({static_ok} of "
        f"{len(static_down)} stylesheet requests answered 200): whitenoise needs no database. "
        "Nor does a page a worker already holds in memory: a catalogue page for a visitor, "
        "the questionnaire's start page, a logged-in person's journal (the session, the "
        "catalogue version and the person's row all come from Redis, "
        "backtp.accounts.sessions), or a 404; those kept answering 200 (404) until the "
        "worker needed the database for something it did not hold.",
        "Server log (never shown to visitors): each request answered by the middleware "
        "leaves one warning from `backtp.outage` (method, path, connection error); "
        "`django.request`'s per-request ERROR for these 503s is filtered out "
        f"(settings.LOGGING): {warnings} warnings, {unavailable_errors} 'Service "
        f"Unavailable' errors and {tracebacks} tracebacks in the gunicorn log; "
        f"{handler500} session-only form posts answered 503.",
        "",
    ]
    text = "\n".join(lines)
    REPORT.write_text(text)
    print(text)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    tmp = Path(str(run["tmp"]))
    if ok:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"\nfaulttest: PASS; report in {REPORT.relative_to(rig.ROOT)}")
    else:
        print(f"\nfaulttest: FAIL; report in {REPORT.relative_to(rig.ROOT)}; logs in {tmp}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
