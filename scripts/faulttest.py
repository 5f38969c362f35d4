"""make faulttest: PostgreSQL stopped for --outage seconds under load, then started again.

Never touches the shared PostgreSQL on port 5432: the run makes a throwaway PostgreSQL
cluster on 127.0.0.1:25432 (initdb and pg_ctl, as the `postgres` user when run as root)
and always removes it. The rest is the rig's (scripts/rig.py): one gunicorn instance
with production settings, Redis db 13 as the cache, nginx in front.

Load throughout, without retries so every status is seen as it was: anonymous readers
(pages, /healthz), a logged-in reader (journal, plan, a missing page) and a visitor
posting forms that write the session. Two Chromium browsers (Playwright; one logged in,
one anonymous) run a short guided session up to "how is it now?"; PostgreSQL stops;
both press Save and the log stays in the browser's outbox; PostgreSQL starts again; the
logged-in browser reloads, the anonymous one gets an `online` event, and each log must
be stored exactly once.

Checks: no 500 and no traceback text; during the outage every request that reaches the
app answers 503 with Retry-After (nginx may still serve a cached catalogue page), and
/healthz says 503; the app answers again within --recovery-limit seconds without a
restart. Report: docs/faulttest.md.
"""

import argparse
import datetime
import json
import os
import pwd
import random
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from scripts import rig

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# Below the ephemeral range (32768-60999), which an outgoing connection could take
# during the outage and make the restart fail.
PG_PORT = 25432
DATABASE = "backtp_faulttest"
REPORT = rig.ROOT / "docs" / "faulttest.md"
MEMBER, PASSWORD = "faultmember", "fault-test-" + "password-3c9e"  # throwaway
TECHNIQUE = "ql-tennis-ball-side-lying"
LEAKS = ("Traceback", "OperationalError", "InterfaceError", "psycopg", 'File "/')
FROM_CACHE = {"HIT", "STALE", "UPDATING", "REVALIDATED"}


class Cluster:
    """A PostgreSQL cluster of the run's own in a temporary directory, on 127.0.0.1."""

    def __init__(self, root: Path) -> None:
        self.root, self.data = root, root / "data"
        self.admin_url = f"postgres://postgres@{rig.LOOPBACK}:{PG_PORT}/postgres"
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            owner = pwd.getpwnam("postgres")
            os.chown(root, owner.pw_uid, owner.pw_gid)

    def pg(self, program: str, *args: str) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        command = [*as_postgres, str(PG_BIN / program), "-D", str(self.data), *args]
        subprocess.run(command, check=True, capture_output=True, cwd=self.root)

    def start(self) -> None:
        if not self.data.exists():
            self.pg("initdb", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-p {PG_PORT} -c listen_addresses={rig.LOOPBACK} -c fsync=off "
        options += f"-c unix_socket_directories={self.root}"
        self.pg("pg_ctl", "-l", str(self.root / "postgres.log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg("pg_ctl", "-m", mode, "-w", "stop")


@contextmanager
def cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="backtp-faulttest-pg-"))
    db = Cluster(root)
    try:
        db.start()
        yield db
    finally:
        with suppress(subprocess.CalledProcessError):  # already stopped
            db.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def kind(seen: rig.Attempt) -> str:
    if seen.path == "/healthz":
        return "healthz"
    if seen.method == "POST":
        return "form"
    return "missing" if seen.path == "/no-such-page/" else seen.who


def expected(seen: rig.Attempt) -> int:
    return {"form": 302, "missing": 404}.get(kind(seen), 200)


def leak(seen: rig.Attempt) -> str:
    return next((text for text in LEAKS if text in seen.response.text), "")


class Load:
    """Clients without retries, so that every status is seen as it was."""

    def __init__(self, port: int, tls: ssl.SSLContext, muscles: list[str]) -> None:
        self.port, self.tls, self.muscles = port, tls, muscles
        self.seen: list[rig.Attempt] = []
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def client(self, name: str) -> rig.Client:
        return rig.Client(self.port, self.tls, name, attempts=self.seen)

    def reader(self) -> None:
        client = self.client("page")
        while not self.stop.is_set():
            roll = random.random()
            if roll < 0.2:
                client.get("/healthz")
            elif roll < 0.5:
                client.get(random.choice(["/", "/muscles/", "/tips/"]))
            else:
                client.get(f"/muscles/{random.choice(self.muscles)}/")
            time.sleep(random.uniform(0.02, 0.1))

    def member(self) -> None:
        client = self.client("member")
        rig.log_in(client, MEMBER, PASSWORD)
        while not self.stop.is_set():
            client.get(random.choice(["/journal/", "/session/plan/", "/no-such-page/"]))
            time.sleep(random.uniform(0.05, 0.15))

    def writer(self) -> None:
        """Answers the safety step (its view writes the session) and moves a plan step
        (only the session is written, after the view) over and over."""
        client = self.client("writer")
        page = client.get(rig.GUIDE + "safety/")
        token = {"csrfmiddlewaretoken": rig.csrf_token(page)}
        safety = dict.fromkeys(re.findall(r'name="([\w-]+)" value="no"', page.text), "no")
        rig.add_to_plan(client, TECHNIQUE)
        rig.add_to_plan(client, TECHNIQUE)
        while not self.stop.is_set():
            client.post(rig.GUIDE + "safety/", form=safety | token)
            client.post("/session/plan/0/move/down/", form=token)
            time.sleep(random.uniform(0.05, 0.15))

    def start(self, readers: int) -> None:
        users = [self.reader] * readers + [self.member, self.writer]
        self.threads = [threading.Thread(target=user, daemon=True) for user in users]
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def run_to_save(page: Page, pain_before: int, pain_after: int) -> None:
    """Plan a technique, run the timer on a fake clock to 'how is it now?'."""
    page.goto(f"/techniques/{TECHNIQUE}/")
    page.get_by_role("button", name="Add to my session").click()
    page.wait_for_url("**/session/plan/")
    page.clock.install()
    page.goto("/session/")
    if "/safety/" in page.url:  # the safety check comes before the first session
        for box in page.get_by_role("checkbox", name=re.compile("answer “No” to all")).all():
            box.check()
        page.get_by_role("button", name="Next: your session").click()
        page.wait_for_url("**/session/")
    page.get_by_role("radio", name=str(pain_before), exact=True).check()
    page.get_by_role("button", name="Start").click()
    page.locator("#stage-run").wait_for(state="visible")
    page.clock.fast_forward(20_000)
    page.get_by_role("button", name="Skip").click()
    page.locator("#stage-after").wait_for(state="visible")
    page.get_by_role("radio", name=str(pain_after), exact=True).check()


def outbox(page: Page) -> list[dict]:
    return json.loads(page.evaluate("localStorage.getItem('backtp:outbox')") or "[]")


def main() -> int:  # noqa: C901, PLR0915 - one run, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=10, help="seconds PostgreSQL is down")
    parser.add_argument("--before", type=float, default=8, help="seconds of load before")
    parser.add_argument("--after", type=float, default=8, help="seconds of load after")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--recovery-limit", type=float, default=5, help="seconds allowed")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # runs the clean-up below
    started = datetime.datetime.now(datetime.UTC)
    run = Path(tempfile.mkdtemp(prefix="backtp-faulttest-"))
    timeline: list[tuple[float, str]] = []
    with ExitStack() as stack:
        pg = stack.enter_context(cluster())
        db = rig.database_url(DATABASE, pg.admin_url)
        env = rig.production_env(db, rig.redis_if_up("redis://127.0.0.1:6379/13"))
        rig.fresh_database(DATABASE, env, pg.admin_url)
        rig.create_user(env, MEMBER, PASSWORD)
        muscles = [r[0] for r in rig.sql(db, "SELECT slug FROM catalog_muscle")]
        app, proxy = rig.free_port(), rig.free_port()
        server = stack.enter_context(rig.gunicorn(app, env, log=run / "gunicorn.log"))
        tls = stack.enter_context(rig.nginx(run, proxy, [app]))
        base = f"https://{rig.LOOPBACK}:{proxy}"

        def healthz() -> int:
            return rig.Client(proxy, tls).get("/healthz").status

        browser = stack.enter_context(sync_playwright()).chromium.launch(
            executable_path=rig.CHROMIUM, args=rig.CHROMIUM_ARGS
        )
        stack.callback(browser.close)
        pages = {
            who: browser.new_context(base_url=base, ignore_https_errors=True).new_page()
            for who in ("member", "visitor")
        }
        script_errors: list[str] = []
        for page in pages.values():
            page.on("pageerror", lambda error: script_errors.append(str(error)))

        load = Load(proxy, tls, muscles)
        stack.callback(load.finish)
        begin = time.monotonic()

        def mark(text: str) -> None:
            timeline.append((time.monotonic() - begin, text))

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
        mark("both browsers reach 'how is it now?'")
        time.sleep(max(0.0, args.before - (time.monotonic() - begin)))

        stop_issued = time.monotonic()
        pg.stop()
        mark("PostgreSQL stopped (`pg_ctl stop -m fast`)")
        queued = {}
        for who, page in pages.items():
            page.get_by_role("button", name="Save").click()
            page.get_by_text("Saved on this device").wait_for(state="visible", timeout=15_000)
            queued[who] = [entry["id"] for entry in outbox(page)]
        mark("both browsers press Save: 'Saved on this device', a log in each outbox")
        health_down = rig.wait_until(lambda: healthz() == 503, 5) is not None
        time.sleep(max(0.0, args.outage - (time.monotonic() - stop_issued)))

        pg.start()
        ready = time.monotonic()
        mark("PostgreSQL started again and accepts connections")
        healthy = rig.wait_until(lambda: healthz() == 200, 30, step=0.05)
        mark(
            f"/healthz answers 200 again {healthy or 0:.2f} s later"
            if healthy
            else "/healthz stays down"
        )
        stored_before = {
            who: rig.sql(
                db, "SELECT count(*) FROM journal_treatmentsession WHERE id = ANY(%s)", ids
            )
            for who, ids in queued.items()
        }
        member.reload()
        pages["visitor"].evaluate("window.dispatchEvent(new Event('online'))")
        flushed = {}
        for who, page in pages.items():
            try:
                page.get_by_text("has now been sent").wait_for(state="visible", timeout=15_000)
                flushed[who] = not outbox(page)
            except Exception:  # noqa: BLE001 - reported as a failed check below
                flushed[who] = False
        mark("the logged-in browser reloads, the anonymous one gets `online`: outboxes sent")
        member.reload()  # another load, another event: nothing left to send
        pages["visitor"].evaluate("window.dispatchEvent(new Event('online'))")
        pages["visitor"].wait_for_timeout(1000)
        rows = {
            who: rig.sql(
                db,
                "SELECT u.username, (SELECT count(*) FROM journal_sessionstep st "
                "WHERE st.session_id = s.id) FROM journal_treatmentsession s "
                "LEFT JOIN accounts_user u ON u.id = s.user_id WHERE s.id = ANY(%s)",
                ids,
            )
            for who, ids in queued.items()
        }
        time.sleep(args.after)
        load.finish()
        end = time.monotonic()
        mark("load stops")
        same_gunicorn = server.poll() is None

    # -- checks and the report --------------------------------------------------------
    def tally(group: list[rig.Attempt]) -> str:
        counts = Counter(f"{kind(s)} {s.status} {s.cache or '-'}" for s in group)
        return ", ".join(f"{key}: {n}" for key, n in sorted(counts.items()))

    seen = load.seen
    before = [s for s in seen if s.done < stop_issued]
    outage = [s for s in seen if s.done >= stop_issued and s.at < ready]
    after = [s for s in seen if s.at >= ready]
    at_app = [s for s in outage if s.cache not in FROM_CACHE and kind(s) != "healthz"]
    friendly = [s for s in at_app if s.status == 503 and "retry-after" in s.response.headers]
    recovery = max((s.done - ready for s in after if s.status != expected(s)), default=0.0)
    log = (run / "gunicorn.log").read_text(errors="replace")
    checks = [
        (
            "No 500 and no traceback text in any response or the log",
            not any(s.status == 500 or leak(s) for s in seen) and "Traceback" not in log,
            f"{sum(s.status == 500 for s in seen)} 500s, {sum(bool(leak(s)) for s in seen)} "
            f"responses with traceback text, {log.count('Traceback')} tracebacks in the log",
        ),
        (
            "Before the outage everything answers as it should",
            all(s.status == expected(s) for s in before),
            str(dict(Counter(s.status for s in before))),
        ),
        (
            "During the outage the app answers 503 with Retry-After",
            len(friendly) > 10 and all(s in friendly or s.status == expected(s) for s in at_app),
            f"{len(at_app)} requests reached the app: {len(friendly)} answered 503 with "
            f"Retry-After, the rest as usual (in flight at the stop)",
        ),
        (
            "/healthz says 503 during the outage",
            health_down,
            str(dict(Counter(s.status for s in outage if kind(s) == "healthz"))),
        ),
        (
            f"Recovers within {args.recovery_limit:g} s without a restart",
            healthy is not None and recovery <= args.recovery_limit and same_gunicorn,
            f"/healthz 200 {healthy and round(healthy, 2)} s after PostgreSQL was ready; every "
            f"response as expected from {recovery:.2f} s on; same gunicorn: {same_gunicorn}",
        ),
    ]
    for who, owner in (("member", MEMBER), ("visitor", None)):
        checks.append(
            (
                f"The {who}'s log, saved during the outage, is stored once after recovery",
                len(queued[who]) == 1
                and stored_before[who][0][0] == 0
                and flushed[who]
                and rows[who] == [(owner, 1)],
                f"{len(queued[who])} in the outbox, {stored_before[who][0][0]} stored before "
                f"the flush, outbox emptied: {flushed[who]}, rows (person, steps): {rows[who]}",
            )
        )
    checks.append(("No script errors in the browsers", not script_errors, str(script_errors)))
    ok = all(passed for _, passed, _ in checks)
    lines = [
        "# Fault test: PostgreSQL stopped under load",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC by `make faulttest` (scripts/faulttest.py). "
        f"**Verdict: {'PASS' if ok else 'FAIL'}.**",
        "",
        f"- {rig.machine()}",
        f"- A throwaway PostgreSQL cluster on 127.0.0.1:{PG_PORT}, removed at the end; one "
        "gunicorn (2 sync workers, deploy/gunicorn.conf.py, production settings, "
        f"{env.get('REDIS_URL', 'no Redis')} as the cache) behind nginx (deploy/nginx.conf).",
        f"- Load without retries: {args.readers} anonymous readers (pages, /healthz), a "
        "logged-in reader (journal, plan, a missing page), a visitor posting the safety step "
        "and moving a plan step; two Chromium browsers running the timer on a fake clock.",
        f"- Outage {ready - stop_issued:.1f} s; load {end - begin:.0f} s.",
        "",
        "| at | event |",
        "|---|---|",
        *(f"| {at:.1f} s | {text} |" for at, text in timeline),
        "",
        "| check | result | numbers |",
        "|---|---|---|",
        *(f"| {name} | {'pass' if p else '**FAIL**'} | {text} |" for name, p, text in checks),
        "",
        "| phase | responses (kind, status, nginx's X-Cache-Status) |",
        "|---|---|",
        f"| before | {tally(before)} |",
        f"| outage | {tally(outage)} |",
        f"| after | {tally(after)} |",
        "",
    ]
    REPORT.write_text("\n".join(lines))
    print("\n".join(lines))
    if ok:
        shutil.rmtree(run, ignore_errors=True)
    else:
        print(f"faulttest: FAIL; gunicorn and nginx logs in {run}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
