"""Lighthouse on six pages of backtp served as in production (gunicorn behind nginx, TLS,
compression): mobile (Lighthouse's default form factor and throttling), performance and
accessibility. Each page is audited RUNS times and the run with the median performance
score is reported. The transfer size is Lighthouse's: every byte of a first visit to
that page (HTML, CSS, JS, fonts, images), compressed as sent, headers included.

Run by scripts/bench.py. Needs `npm ci` (package.json pins lighthouse 12.2.3, the last
release that runs on Node 20) and Debian's Chromium.
"""

import json
import os
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scripts import rig

LIGHTHOUSE = rig.ROOT / "node_modules" / ".bin" / "lighthouse"
RUNS = 3
HEADING = "## Lighthouse"
TARGETS = "performance ≥ 98, accessibility 100, a first visit to the home page under 60 KB"
WEIGHT_TARGET = 60_000
TECHNIQUE = "ql-tennis-ball-side-lying"


@dataclass
class Audit:
    page: str
    path: str
    performance: int
    accessibility: int
    lcp_ms: float
    tbt_ms: float
    cls: float
    transfer: int  # bytes
    by_type: dict[str, int]  # transfer bytes per resource type (Document, Stylesheet, ...)
    problems: list[str]  # accessibility audits that failed

    @property
    def ok(self) -> bool:
        weight_ok = self.path != "/" or self.transfer < WEIGHT_TARGET
        return self.performance >= 98 and self.accessibility == 100 and weight_ok


def lighthouse(url: str, cookie: str = "", tries: int = 3) -> dict:
    """One Lighthouse run; its JSON report (lhr). A run that fails (on a busy machine
    Chromium's trace sometimes misses the navigation: NO_NAVSTART) is tried again."""
    flags = ["--headless=new", *rig.CHROMIUM_ARGS, "--ignore-certificate-errors"]
    with tempfile.TemporaryDirectory(prefix="backtp-lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        command = [str(LIGHTHOUSE), rig.loopback_only(url), "--quiet", "--output=json"]
        command += [f"--output-path={out}", "--only-categories=performance,accessibility"]
        command += [f"--chrome-flags={' '.join(flags)}"]
        if cookie:
            command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
        env = os.environ | {"CHROME_PATH": rig.CHROMIUM}
        for _ in range(tries):
            done = subprocess.run(command, env=env, timeout=180, capture_output=True, text=True)
            if done.returncode == 0:
                return json.loads(out.read_text())
        raise RuntimeError(f"Lighthouse failed {tries} times on {url}: {done.stderr[-500:]}")


def audit(page: str, url: str, cookie: str = "", runs: int = RUNS) -> Audit:
    reports = [lighthouse(url, cookie) for _ in range(runs)]
    scores = [r["categories"]["performance"]["score"] for r in reports]
    lhr = reports[scores.index(statistics.median_low(scores))]
    audits = lhr["audits"]
    by_type: dict[str, int] = {}
    for item in audits["network-requests"]["details"]["items"]:
        kind = item.get("resourceType", "Other")
        by_type[kind] = by_type.get(kind, 0) + int(item.get("transferSize", 0))
    a11y = lhr["categories"]["accessibility"]["auditRefs"]
    problems = [ref["id"] for ref in a11y if audits[ref["id"]].get("score") == 0]
    result = Audit(
        page=page,
        path=urlsplit(url).path,
        performance=round(lhr["categories"]["performance"]["score"] * 100),
        accessibility=round(lhr["categories"]["accessibility"]["score"] * 100),
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        transfer=int(audits["total-byte-weight"]["numericValue"]),
        by_type=by_type,
        problems=problems,
    )
    print(
        f"  lighthouse {page:<14} perf {result.performance:>3}  a11y {result.accessibility:>3}  "
        f"LCP {result.lcp_ms:>5.0f} ms  {result.transfer / 1000:.1f} KB",
        flush=True,
    )
    return result


def audit_site(origin: str, client: rig.Client, runs: int = RUNS) -> list[Audit]:
    """The six pages; `client` (talking to the same site) answers the questionnaire and
    plans a session, and the two personal pages are audited with its cookies."""
    results = rig.answer_questionnaire(client)
    rig.add_to_plan(client, TECHNIQUE)
    cookie = client.cookie_header()
    pages = [
        ("home", "/", ""),
        ("muscle list", "/muscles/", ""),
        ("muscle", "/muscles/quadratus-lumborum/", ""),
        ("questionnaire", "/where-does-it-hurt/", ""),
        ("results", results, cookie),
        ("session", "/session/", cookie),
    ]
    return [audit(name, origin + path, with_cookie, runs) for name, path, with_cookie in pages]


def section(audits: list[Audit], setup: str) -> str:
    lines = [
        HEADING,
        "",
        f"Lighthouse {lighthouse_version()}, mobile (its default: a mid-range phone, slow 4G "
        "simulated), performance and accessibility, in Debian's Chromium headless, "
        f"against {setup}. Median of {RUNS} runs per page (by performance score). "
        "Transfer: every byte of a first visit to the page as sent over the wire "
        "(compressed; HTML, CSS, JS, fonts, images). The results and session pages "
        f"carry the cookies of the visitor who answered the questionnaire and planned "
        f"`{TECHNIQUE}`. Targets: {TARGETS}.",
        "",
        f"- {rig.machine()}",
        "",
        "| page | URL | performance | accessibility | LCP (ms) | TBT (ms) | CLS "
        "| transfer (KB) | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for a in audits:
        path = "/where-does-it-hurt/results/<id>/" if "/results/" in a.path else a.path
        lines.append(
            f"| {a.page} | `{path}` | {a.performance} | {a.accessibility} | {a.lcp_ms:.0f} "
            f"| {a.tbt_ms:.0f} | {a.cls:.3f} | {a.transfer / 1000:.1f} "
            f"| {'PASS' if a.ok else 'FAIL'} |"
        )
    home = audits[0]
    parts = ", ".join(f"{kind} {size / 1000:.1f} KB" for kind, size in home.by_type.items())
    lines += ["", f"First visit to the home page: {home.transfer / 1000:.1f} KB ({parts})."]
    for a in audits:
        if a.problems:
            lines.append(f"Accessibility audits failed on {a.page}: {', '.join(a.problems)}.")
    return "\n".join(lines) + "\n"


def lighthouse_version() -> str:
    package = rig.ROOT / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"]
