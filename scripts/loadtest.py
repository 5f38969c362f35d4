"""make loadtest: two gunicorn instances behind nginx, one killed with SIGKILL mid-run.

Set-up (scripts/rig.py, all on 127.0.0.1): a fresh database with the catalogue, Redis db
14 as the shared cache (sessions are in PostgreSQL), two gunicorn instances with the
same SECRET_KEY, and nginx in front (deploy/nginx.conf: TLS, the page cache, failover).

Load, for --duration seconds: readers browse the catalogue anonymously; visitors answer
the questionnaire; logged-in members add a technique to their plan, open the timer and
post a session log with a client-made UUID, resent as static/js/timer.js resends it (no
answer, 5xx, 403 or 429: fetch a page for a fresh token and send again; 200/201 saved;
400/409 final). Every client retries a request that got no answer or a 502/503/504, as a
person reloads. At --kill-at seconds one instance gets SIGKILL (master and workers).

Checks: every log stored exactly once, for its person; nobody logged out; questionnaires
carried on across instances; every failed request succeeded on retry; anonymous
catalogue pages came from nginx's cache; no traceback. Report: docs/loadtest.md.
"""

import argparse
import datetime
import html
import json
import random
import re
import shutil
import signal
import ssl
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from scripts import rig

DATABASE = "backtp_loadtest"
REPORT = rig.ROOT / "docs" / "loadtest.md"
PASSWORD = "load-test-" + "password-7f3a"  # throwaway accounts in a throwaway database
CATALOGUE = ("/", "/muscles/", "/routines/", "/tips/", "/safety/")


class Load:
    """What the virtual users share: the catalogue, the stop signal, what they saw."""

    def __init__(self, port: int, tls: ssl.SSLContext, muscles: list[str], techniques: list[str]):
        self.port, self.tls = port, tls
        self.muscles, self.techniques = muscles, techniques
        self.stop = threading.Event()
        self.attempts: list[rig.Attempt] = []  # list.append is atomic: no lock needed
        self.logs: dict[str, tuple[str, int, int]] = {}  # id -> (who, steps, last status)
        self.questionnaires: list[tuple[str, float, float, str]] = []  # who, start, end, error
        self.logged_out: list[str] = []
        self.problems: list[str] = []

    def run(self, user: Callable[[str], None], name: str) -> None:
        try:
            user(name)
        except Exception as error:  # noqa: BLE001 - a virtual user that gave up is a finding
            self.problems.append(f"{name}: {type(error).__name__}: {error}")

    def client(self, name: str) -> rig.Client:
        return rig.Client(self.port, self.tls, name, retries=20, attempts=self.attempts)

    def reader(self, name: str) -> None:
        client = self.client(name)
        while not self.stop.is_set():
            roll = random.random()
            if roll < 0.4:
                path = random.choice(CATALOGUE)
            elif roll < 0.7:
                path = f"/muscles/{random.choice(self.muscles)}/"
            else:
                path = f"/techniques/{random.choice(self.techniques)}/"
            if (status := client.get(path).status) != 200:
                self.problems.append(f"{name}: GET {path} answered {status}")
            time.sleep(random.uniform(0.05, 0.3))

    def visitor(self, name: str) -> None:
        for round_ in range(1000):
            if self.stop.is_set():
                return
            start, error = time.monotonic(), ""
            client = self.client(f"{name}.{round_}")
            try:
                results = rig.answer_questionnaire(client)
                if client.get(results).status != 200:
                    error = f"{results} is not there"
            except RuntimeError as problem:
                error = str(problem)
            self.questionnaires.append((f"{name}.{round_}", start, time.monotonic(), error))

    def member(self, name: str) -> None:
        client = self.client(name)
        rig.log_in(client, name, PASSWORD)
        rig.answer_safety_check(client)  # no session starts before it
        while not self.stop.is_set():
            slug = random.choice(self.techniques)
            self.logged_in(client, f"/techniques/{slug}/")
            rig.add_to_plan(client, slug)
            timer = self.logged_in(client, "/session/")
            plan = re.search(r'id="session-plan" type="application/json">(.*?)</script>', timer)
            log = session_log(json.loads(html.unescape(plan.group(1))) if plan else {"steps": []})
            self.post_like_the_timer(client, log, timer)
            if len(log["steps"]) >= 3:  # keep the plan short
                page = client.get("/session/plan/")
                token = {"csrfmiddlewaretoken": rig.csrf_token(page)}
                client.post("/session/plan/0/remove/", form=token)
            time.sleep(random.uniform(0.05, 0.3))

    def logged_in(self, client: rig.Client, path: str) -> str:
        page = client.get(path)
        if page.status != 200 or "Log out" not in page.text:
            self.logged_out.append(f"{client.name}: GET {path} answered {page.status}")
        return page.text

    def post_like_the_timer(self, client: rig.Client, log: dict, page: str) -> None:
        status, deadline = 0, time.monotonic() + 60
        while time.monotonic() < deadline:
            token = re.search(r'data-csrf-token="([^"]+)"', page)
            headers = {"X-CSRFToken": token.group(1) if token else ""}
            status = client.post("/session/log/", data=log, headers=headers, retry=False).status
            if status in (200, 201, 400, 409):
                break
            time.sleep(0.5)
            page = client.get("/session/").text  # a page load flushes the outbox
        self.logs[log["id"]] = (client.name, len(log["steps"]), status)


def session_log(plan: dict) -> dict:
    """What timer.js's buildLog() sends for a session run to the end."""
    steps = []
    for step in plan["steps"]:
        once = step["duration_seconds"] or step["hold_seconds"] * max(1, step["repetitions"] or 1)
        planned = once * len(step["passes"])
        steps.append(
            {
                "technique": step["technique"],
                "side": step["side"],
                "planned_seconds": planned,
                "done_seconds": planned,
                "completed": True,
                "reproduced": random.choice(["", "yes", "no", "unsure"]),
            }
        )
    finished = datetime.datetime.now(datetime.UTC)
    started = finished - datetime.timedelta(seconds=sum(s["planned_seconds"] for s in steps))
    return {
        "id": str(uuid.uuid4()),
        "routine": plan.get("routine") or "",
        "started_at": started.isoformat(),
        "finished_at": finished.isoformat(),
        "pain_before": random.randint(3, 8),
        "pain_after": random.randint(0, 5),
        "note": "load test",
        "steps": steps,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=40, help="seconds of load")
    parser.add_argument("--kill-at", type=float, default=15, help="seconds into the load")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--visitors", type=int, default=3)
    parser.add_argument("--members", type=int, default=6)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C

    run = Path(tempfile.mkdtemp(prefix="backtp-loadtest-"))
    db = rig.database_url(DATABASE)
    env = rig.production_env(db, rig.redis_if_up("redis://127.0.0.1:6379/14"))
    rig.fresh_database(DATABASE, env)
    members = [f"member{i}" for i in range(args.members)]
    for name in members:
        rig.create_user(env, name, PASSWORD)
    muscles = [r[0] for r in rig.sql(db, "SELECT slug FROM catalog_muscle")]
    techniques = [r[0] for r in rig.sql(db, "SELECT slug FROM catalog_technique")]
    ports, proxy = [rig.free_port(), rig.free_port()], rig.free_port()
    started = datetime.datetime.now(datetime.UTC)

    with ExitStack() as stack:
        instances = [
            stack.enter_context(rig.gunicorn(p, env, log=run / f"gunicorn-{p}.log")) for p in ports
        ]
        tls = stack.enter_context(rig.nginx(run, proxy, ports))
        load = Load(proxy, tls, muscles, techniques)
        stack.callback(load.stop.set)
        users = [(load.reader, f"reader{i}") for i in range(args.readers)]
        users += [(load.visitor, f"visitor{i}") for i in range(args.visitors)]
        users += [(load.member, name) for name in members]
        threads = [
            threading.Thread(target=load.run, args=(f, n), name=n, daemon=True) for f, n in users
        ]
        begin = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.kill_at)
        kill = time.monotonic()
        rig.stop(instances[0], signal.SIGKILL)
        print(f"loadtest: SIGKILL to the gunicorn on port {ports[0]} at {kill - begin:.1f} s")
        time.sleep(args.duration - args.kill_at)
        load.stop.set()
        for thread in threads:
            thread.join(timeout=90)
        end = time.monotonic()
        stuck = [t.name for t in threads if t.is_alive()]

    killed, survivor = (f"{rig.LOOPBACK}:{p}" for p in ports)
    checks = []

    stored = {
        row[0]: (row[2], row[1])
        for row in rig.sql(
            db,
            "SELECT s.id::text, count(st.id), u.username FROM journal_treatmentsession s "
            "LEFT JOIN journal_sessionstep st ON st.session_id = s.id "
            "LEFT JOIN accounts_user u ON u.id = s.user_id GROUP BY s.id, u.username",
        )
    }
    sent = load.logs
    lost = [i for i in sent if i not in stored]
    wrong = [i for i, (who, steps, _) in sent.items() if i in stored and stored[i] != (who, steps)]
    unsaved = [i for i, (_, _, status) in sent.items() if status not in (200, 201)]
    extra = [i for i in stored if i not in sent]
    resent = Counter(a.path for a in load.attempts if a.method == "POST" and "," in a.upstream)
    checks.append(
        (
            "Every session log is stored exactly once, for its person",
            bool(sent) and not (lost or wrong or unsaved or extra),
            f"{len(sent)} sent, {len(stored)} stored; {len(lost)} lost, {len(extra)} "
            f"unexpected, {len(wrong)} with the wrong person or steps, {len(unsaved)} not "
            f"acknowledged; nginx resent {resent['/session/log/']} to the other instance",
        )
    )

    def served(who: str, where: str, after: bool) -> bool:
        return any(
            a.who == who and a.upstream.split(", ")[-1] == where and (a.at > kill) == after
            for a in load.attempts
        )

    crossed = [m for m in members if served(m, killed, False) and served(m, survivor, True)]
    checks.append(
        (
            "Every logged-in member stayed logged in",
            not load.logged_out and bool(crossed),
            f"{len(members)} members; {len(crossed)} served by {killed} before the kill and "
            f"by {survivor} after it; {len(load.logged_out)} pages showed them logged out",
        )
    )
    done = [q for q in load.questionnaires if not q[3]]
    broken = [q for q in load.questionnaires if q[3]]
    across = [q for q in done if q[1] < kill < q[2]]
    checks.append(
        (
            "Every questionnaire carried on across instances and the kill",
            bool(done) and bool(across) and not broken,
            f"{len(done)} completed, {len(across)} of them in progress at the kill; "
            f"{len(broken)} broken{': ' + broken[0][3] if broken else ''}",
        )
    )
    failed = [a for a in load.attempts if a.status in rig.RETRYABLE]
    unrecovered = [a for a in failed if a.final]
    odd = [a for a in load.attempts if a.status >= 500 and a.status not in rig.RETRYABLE]
    odd += [a for a in load.attempts if a.status in (400, 403, 404, 429)]
    checks.append(
        (
            "Every failed request succeeded when retried",
            not unrecovered and not odd,
            f"{len(load.attempts)} requests; {len(failed)} failed "
            f"({dict(Counter(a.status for a in failed))}; 0 = no answer), "
            f"{len(unrecovered)} still failing after retries, {len(odd)} other errors",
        )
    )
    # Technique pages carry a form with a CSRF token: the app keeps them private.
    catalogue = [
        a
        for a in load.attempts
        if a.who.startswith("reader") and a.final and not a.path.startswith("/techniques/")
    ]
    cache = Counter(a.cache or "none" for a in catalogue)
    from_cache = sum(cache[s] for s in ("HIT", "STALE", "UPDATING", "REVALIDATED"))
    checks.append(
        (
            "Anonymous catalogue pages came from nginx's cache",
            from_cache >= len(catalogue) / 2,
            f"{len(catalogue)} catalogue pages read (technique pages, private, aside); "
            "X-Cache-Status: " + ", ".join(f"{k} {n}" for k, n in cache.most_common()),
        )
    )
    tracebacks = (run / f"gunicorn-{ports[1]}.log").read_text(errors="replace").count("Traceback")
    checks.append(
        (
            "Nothing else went wrong",
            not load.problems and not stuck and not tracebacks,
            f"{len(load.problems)} problems, {len(stuck)} users stuck, {tracebacks} "
            "tracebacks in the surviving instance's log",
        )
    )

    ok = all(passed for _, passed, _ in checks)
    phases: dict[str, Counter] = {}
    for a in load.attempts:
        phase = "before the kill" if a.at < kill else "after the kill"
        phases.setdefault(phase, Counter())[a.status] += 1
    lines = [
        "# Load test: two instances behind nginx, one killed mid-run",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC by `make loadtest` (scripts/loadtest.py). "
        f"**Verdict: {'PASS' if ok else 'FAIL'}.**",
        "",
        f"- {rig.machine()}",
        f"- A fresh PostgreSQL database with the catalogue; {env.get('REDIS_URL', 'no Redis')} "
        "as the shared cache, sessions in PostgreSQL. Two gunicorn instances (2 sync "
        f"workers each, deploy/gunicorn.conf.py, production settings) on {killed} and "
        f"{survivor}, nginx in front (deploy/nginx.conf: TLS with a certificate made for "
        "the run, round robin, `proxy_next_upstream`, the page cache).",
        f"- {args.readers} anonymous readers, {args.visitors} visitors answering the "
        f"questionnaire, {args.members} logged-in members planning and logging sessions "
        f"(resent as timer.js does); every client retries after no answer or 502/503/504. "
        f"{args.duration:.0f} s of load ({end - begin:.0f} s with the last requests); "
        f"SIGKILL to {killed} at {kill - begin:.1f} s.",
        "",
        "| check | result | numbers |",
        "|---|---|---|",
        *(f"| {name} | {'pass' if p else '**FAIL**'} | {text} |" for name, p, text in checks),
        "",
        "| phase | statuses (0 = no answer) |",
        "|---|---|",
        *(
            f"| {phase} | {', '.join(f'{s}: {n}' for s, n in sorted(c.items()))} |"
            for phase, c in phases.items()
        ),
        "",
        *(f"- Problem: {text}" for text in (load.problems + load.logged_out)[:20]),
    ]
    REPORT.write_text("\n".join(lines))
    print("\n".join(lines))
    if ok:
        shutil.rmtree(run, ignore_errors=True)
    else:
        print(f"loadtest: FAIL; gunicorn and nginx logs in {run}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
