"""make bench (after `manage.py bench_suggestions`): backtp's pages under load, and Lighthouse.

A fresh database with the catalogue and two people: one with 60 journal sessions over
two months, who also answered the questionnaire, and one with 3,000 over three years.
gunicorn serves it as the image does (deploy/gunicorn.conf.py, production settings, Redis
as the cache when it is up) with one extra URL, the ceiling: a view returning fixed HTML
through the same middleware (scripts/bench_urls.py). wrk loads gunicorn directly, as
nginx would (X-Forwarded-Proto https, no Accept-Encoding: nginx compresses), so the
app is measured, not nginx's cache. Each URL: its server time (median latency over one
connection), then its best of ROUNDS interleaved rounds at 16 connections (the VM's
neighbours take a core now and then; errors are summed over all rounds). Then nginx goes
in front and Lighthouse audits six pages (scripts/lighthouse.py).

Writes the "## HTTP throughput" and "## Lighthouse" sections of docs/benchmarks.md and
exits 1 when a target is missed.
"""

import datetime
import os
import random
import statistics
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from scripts import lighthouse, rig

DATABASE = "backtp_bench"
REPORT = rig.ROOT / "docs" / "benchmarks.md"
HEADING = "## HTTP throughput"
WORKERS = 4  # two per core: one runs while the other waits on PostgreSQL or Redis
CONNECTIONS = 16
ROUNDS = 3
SECONDS = 5
P99_MS = 50.0
PASSWORD = "bench-" + "password-2026"  # throwaway accounts in a throwaway database
PEOPLE = {"light": (60, 60), "heavy": (3000, 3 * 365)}  # sessions, over how many days


@dataclass
class Page:
    name: str
    path: str
    who: str = ""  # whose cookies: "light", "heavy" or nobody
    ratio: float | None = None  # of the ceiling's requests/s
    server_ms: float | None = None  # median server time
    p99: bool = True  # p99 under P99_MS at 16 connections
    must: str = "<h1"


@dataclass
class Row:
    page: Page
    server: rig.Wrk
    load: rig.Wrk
    errors: int


def seed(username: str, sessions: int, days: int) -> None:
    """A person with `sessions` journal sessions over `days`, through the journal's service."""
    from django.utils import timezone

    from backtp.accounts.models import User
    from backtp.catalog.models import Routine, Technique
    from backtp.journal.services import StepLog, treatment_session_save

    rng = random.Random(username)
    user = User.objects.create_user(username, password=PASSWORD)
    routines = list(Routine.objects.prefetch_related("steps__technique"))
    techniques = list(Technique.objects.all())
    start = timezone.now() - datetime.timedelta(days=days)
    for number in range(sessions):
        started = start + datetime.timedelta(
            days=number * days / sessions, hours=rng.randint(7, 21)
        )
        started = min(started, timezone.now() - datetime.timedelta(hours=1))
        routine = rng.choice(routines) if number % 3 else None
        if routine:
            plan = [(s.technique, s.side, s.total_seconds()) for s in routine.steps.all()]
        else:
            plan = [(t, "both", 90) for t in rng.sample(techniques, rng.randint(2, 4))]
        steps = [StepLog(t, side, s, s, rng.random() < 0.9, "") for t, side, s in plan]
        before = rng.randint(3, 7)
        treatment_session_save(
            id=uuid.UUID(int=rng.getrandbits(128)),
            user=user,
            routine=routine,
            started_at=started,
            finished_at=started + datetime.timedelta(minutes=10),
            pain_before=before,
            pain_after=max(0, before - rng.randint(-1, 3)),
            note=rng.choice(["", "", "Stiff after the train."]),
            steps=steps,
        )


def pages(results: str) -> list[Page]:
    from scripts.bench_urls import CEILING_PATH

    pages = [
        Page("ceiling", "/" + CEILING_PATH, p99=False, must="Ceiling"),
        Page("home", "/", ratio=0.5),
        Page("muscle list", "/muscles/", ratio=0.5),
        Page("muscle", "/muscles/quadratus-lumborum/", ratio=0.5),
        Page("technique", f"/techniques/{lighthouse.TECHNIQUE}/", ratio=0.5),
        Page("routine", "/routines/tennis-ball-trio/", ratio=0.5),
        Page("results (owner)", results, "light", ratio=0.25),
    ]
    for who, (sessions, _) in PEOPLE.items():
        heavy = sessions > 100
        for name, path in (("journal", "/journal/"), ("progress", "/journal/progress/"),
                           ("summary", "/journal/summary/")):  # fmt: skip
            pages.append(
                Page(
                    f"{name} ({sessions:,} sessions)",
                    path,
                    who,
                    ratio=0.25 if name == "journal" and not heavy else None,
                    server_ms=P99_MS if heavy and name != "journal" else None,
                    p99=not heavy,
                    must="Log out",
                )
            )
    return pages


def headers(cookies: dict[str, str]) -> dict[str, str]:
    return {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"} | (
        {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    )


def verdict(row: Row, ceiling: float) -> tuple[str, bool]:
    page, rules, ok = row.page, ["0 errors"], row.errors == 0
    if page.ratio is not None:
        rules.append(f"≥ {page.ratio:g}× ceiling")
        ok &= row.load.requests_per_second >= page.ratio * ceiling
    if page.server_ms is not None:
        rules.append(f"server < {page.server_ms:g} ms")
        ok &= row.server.p50_ms < page.server_ms
    if page.p99:
        rules.append(f"p99 < {P99_MS:g} ms")
        ok &= row.load.p99_ms < P99_MS
    return ", ".join(rules), ok


def section(rows: list[Row], load_before: str) -> tuple[str, bool]:
    ceiling = rows[0].load.requests_per_second
    lines = [
        HEADING,
        "",
        f"gunicorn with the image's configuration (deploy/gunicorn.conf.py, {WORKERS} sync "
        "workers, access log off) and production settings (`DEBUG=0`, PostgreSQL, Redis as "
        "the cache, every middleware) on 127.0.0.1, loaded by wrk directly as nginx would "
        "pass requests on (`X-Forwarded-Proto: https`, no `Accept-Encoding`: nginx "
        "compresses). Logged-in pages carry the session and CSRF cookies of a person with "
        f"{PEOPLE['light'][0]} journal sessions over two months (who owns the questionnaire "
        f"results) or of one with {PEOPLE['heavy'][0]:,} over three years. Every URL is "
        "checked to answer 200 with its content first. Server time: median latency over "
        f"one connection for 2 s. Then {ROUNDS} interleaved rounds of {SECONDS} s at "
        f"{CONNECTIONS} connections (each after a 1 s warm-up), the best round reported and "
        "errors (non-2xx/3xx, socket errors, responses slower than 10 s) summed over all. "
        "The ceiling is a view returning fixed HTML through the same stack "
        "(scripts/bench_urls.py). Targets: catalogue pages ≥ 0.5 of the ceiling, results "
        f"and journal ≥ 0.25, p99 < {P99_MS:g} ms at {CONNECTIONS} connections, progress and "
        f"summary under {P99_MS:g} ms at {PEOPLE['heavy'][0]:,} sessions, 0 errors.",
        "",
        f"- Date: {datetime.date.today()}; {rig.machine()} (at the end; {load_before} at the "
        "start: anything else running shares the two cores and lowers every figure)",
        "- Run: `make bench` (scripts/bench.py)",
        "",
        f"| page | URL | server time (ms) | req/s at {CONNECTIONS} | p50 (ms) | p99 (ms) "
        "| errors | × ceiling | target | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    all_ok = True
    for row in rows:
        rule, ok = verdict(row, ceiling) if row is not rows[0] else ("reference", row.errors == 0)
        all_ok &= ok
        path = (
            "/where-does-it-hurt/results/<id>/" if "/results/" in row.page.path else row.page.path
        )
        lines.append(
            f"| {row.page.name} | `{path}` | {row.server.p50_ms:.1f} "
            f"| {row.load.requests_per_second:.0f} | {row.load.p50_ms:.1f} "
            f"| {row.load.p99_ms:.1f} | {row.errors} "
            f"| {row.load.requests_per_second / ceiling:.2f} | {rule} "
            f"| {'PASS' if ok else 'FAIL'} |"
        )
    return "\n".join(lines) + "\n", all_ok


def main() -> int:
    redis_url = rig.redis_if_up("redis://127.0.0.1:6379/15")
    db = rig.database_url(DATABASE)
    env = rig.production_env(db, redis_url, DJANGO_SETTINGS_MODULE="scripts.bench_settings")
    load_before = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"bench: fresh database {DATABASE}, {PEOPLE} journal sessions ...", flush=True)
    rig.fresh_database(DATABASE, env)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections, transaction

    for who, (sessions, days) in PEOPLE.items():
        with transaction.atomic():  # one commit, not one per session
            seed(f"bench-{who}", sessions, days)

    connections.close_all()
    rig.sql(db, "VACUUM ANALYZE", autocommit=True)

    port, proxy = rig.free_port(), rig.free_port()
    run = Path(tempfile.mkdtemp(prefix="backtp-bench-"))
    with rig.gunicorn(port, env, workers=WORKERS, log=run / "gunicorn.log"):
        clients = {who: rig.Client(port) for who in PEOPLE}
        for who, client in clients.items():
            rig.log_in(client, f"bench-{who}", PASSWORD)
        measured = pages(rig.answer_questionnaire(clients["light"]))
        for page in measured:
            client = clients[page.who] if page.who else rig.Client(port)
            response = client.get(page.path)
            if response.status != 200 or page.must not in response.text:
                raise SystemExit(f"{page.name}: GET {page.path} gave {response.status}")
        url = f"http://{rig.LOOPBACK}:{port}"
        cookies = {who: c.cookies for who, c in clients.items()}

        def sent(page: Page) -> dict[str, str]:
            return headers(cookies[page.who] if page.who else {})

        servers = [rig.wrk(url + p.path, 1, 2, sent(p)) for p in measured]
        rounds = []
        for number in range(ROUNDS):
            print(f"bench: round {number + 1} of {ROUNDS}", flush=True)
            runs = []
            for page in measured:
                rig.wrk(url + page.path, CONNECTIONS, 1, sent(page))
                runs.append(rig.wrk(url + page.path, CONNECTIONS, SECONDS, sent(page)))
            rounds.append(runs)
        rows = []
        for index, page in enumerate(measured):
            runs = [r[index] for r in rounds]
            best = max(runs, key=lambda r: r.requests_per_second)
            errors = sum(r.errors for r in runs)
            rows.append(Row(page, servers[index], best, errors))
            print(f"  {page.name:<28} server {servers[index].p50_ms:6.1f} ms  "
                  f"{best.requests_per_second:6.0f} req/s  p99 {best.p99_ms:6.1f} ms  "
                  f"errors {errors}", flush=True)  # fmt: skip

        with rig.nginx(run, proxy, [port]) as tls:
            origin = f"https://{rig.LOOPBACK}:{proxy}"
            audits = lighthouse.audit_site(origin, rig.Client(proxy, tls))

    throughput, throughput_ok = section(rows, load_before)
    setup = (
        f"gunicorn ({WORKERS} workers) behind nginx (deploy/nginx.conf: TLS, HTTP/2, "
        "gzip/Brotli, cache for anonymous pages) on 127.0.0.1, the database above"
    )
    rig.write_section(REPORT, HEADING, throughput)
    rig.write_section(REPORT, lighthouse.HEADING, lighthouse.section(audits, setup))
    rig.write_section(REPORT, "## Page weight", "")  # now Lighthouse's transfer sizes
    print(throughput)
    print(f"bench: wrote {REPORT}; median Lighthouse performance "
          f"{statistics.median(a.performance for a in audits)}")  # fmt: skip
    return 0 if throughput_ok and all(a.ok for a in audits) else 1


if __name__ == "__main__":
    sys.exit(main())
