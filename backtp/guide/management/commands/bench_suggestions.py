"""Time the suggestion engine on the real catalogue and on one 100 times larger.

Run by `make bench` after migrate and load_catalog. Prints a table, writes the
"## Suggestion engine" section of docs/benchmarks.md, and exits non-zero when a target
is missed. Not a unit test: timings depend on the machine.
"""

import datetime
import os
import platform
import re
import statistics
import time
from dataclasses import replace
from pathlib import Path
from typing import TypedDict

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backtp.guide.engine import Answers, Catalogue, Technique, suggest
from backtp.guide.snapshot import build_catalogue

SECTION = "## Suggestion engine"
INTRO = (
    "# Benchmarks\n\n"
    "Timings of backtp's hot paths, written by the commands that measure them "
    "(`make bench`). Numbers depend on the machine; each section says which one.\n"
)
SCALE = 100
TARGETS_MS = {"real": 2.0, f"{SCALE}x": 100.0}

# Five realistic body maps, with the rest of a typical questionnaire.
PATTERNS: dict[str, Answers] = {
    "outer hip + lower buttock": Answers(
        {"right-lateral-hip": 6, "right-lower-buttock": 4},
        worst="right-lateral-hip",
        activities=frozenset({"walking", "lying-side"}),
        tools=frozenset({"tennis-ball"}),
        positions=frozenset({"wall", "floor"}),
    ),
    "band across the low back": Answers(
        {"left-low-back": 6, "right-low-back": 6, "left-sacroiliac": 4, "right-sacroiliac": 4},
        worst="right-low-back",
        activities=frozenset({"standing", "bending"}),
        tools=frozenset({"massage-ball", "two-balls"}),
        positions=frozenset({"floor", "seated"}),
        contraindications=frozenset({"pregnancy"}),
    ),
    "buttock, thigh, outer leg": Answers(
        {"right-lower-buttock": 5, "right-back-thigh": 6, "right-outer-leg": 7},
        worst="right-outer-leg",
        activities=frozenset({"sitting", "standing-up"}),
        tools=frozenset({"lacrosse-ball"}),
        positions=frozenset({"floor"}),
    ),
    "sacroiliac + tailbone": Answers(
        {"right-sacroiliac": 4, "coccyx": 7},
        worst="coccyx",
        activities=frozenset({"hard-seats"}),
        positions=frozenset({"discreet"}),
        contraindications=frozenset({"blood-thinners"}),
    ),
    "many regions, both sides": Answers(
        {
            "lumbar-spine": 8,
            "left-low-back": None,
            "right-low-back": 7,
            "left-flank": 3,
            "right-upper-buttock": 5,
            "left-back-thigh": 4,
            "right-groin": 2,
            "sacrum": None,
        },
        worst="lumbar-spine",
        activities=frozenset({"walking", "sitting", "rolling-over", "coughing"}),
        tools=frozenset({"tennis-ball", "foam-roller"}),
        positions=frozenset({"floor", "wall", "seated"}),
    ),
}


def scaled(catalogue: Catalogue, copies: int) -> Catalogue:
    """Every point copied `copies` times under new slugs, each copy with its own techniques."""
    points, techniques = [], {}
    for copy in range(copies):
        for point in catalogue.points:
            own: list[str] = []
            for slug in point.techniques:
                new = f"{slug}--{copy}"
                technique: Technique = catalogue.techniques[slug]
                techniques[new] = replace(technique, slug=new)
                own.append(new)
            points.append(
                replace(
                    point,
                    slug=f"{point.slug}--{copy}",
                    techniques=tuple(own),
                    order=copy * len(catalogue.points) + point.order,
                )
            )
    return replace(catalogue, points=tuple(points), techniques=techniques)


def timings_ms(catalogue: Catalogue, repeat: int) -> list[float]:
    timings = []
    for answers in PATTERNS.values():
        suggest(answers, catalogue)  # warm up
        for _ in range(repeat):
            start = time.perf_counter()
            suggest(answers, catalogue)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def replace_section(text: str, section: str) -> str:
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        return pattern.sub(lambda _: section, text, count=1)
    return text.rstrip("\n") + "\n\n" + section


class Row(TypedDict):
    """One catalogue's timings, for the table and docs/benchmarks.md."""

    label: str
    points: int
    runs: int
    median: float
    p95: float
    target: float
    ok: bool


class Command(BaseCommand):
    help = (
        "Time the suggestion engine (median and p95 in ms) on the real catalogue and on one "
        f"{SCALE} times larger, write docs/benchmarks.md, and fail if a target is missed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=400, help="runs per pattern, real")
        parser.add_argument(
            "--repeat-large", type=int, default=20, help=f"runs per pattern, {SCALE}x"
        )
        parser.add_argument(
            "--output", type=Path, default=Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
        )

    def handle(
        self, *args: object, repeat: int, repeat_large: int, output: Path, **options: object
    ) -> None:
        real = build_catalogue()
        if not real.points:
            raise CommandError("The catalogue is empty: run `manage.py load_catalog` first.")
        large = scaled(real, SCALE)
        rows: list[Row] = []
        for label, catalogue, runs in (
            ("real", real, repeat),
            (f"{SCALE}x", large, repeat_large),
        ):
            timings = timings_ms(catalogue, runs)
            median, high = statistics.median(timings), p95(timings)
            target = TARGETS_MS[label]
            rows.append(
                {
                    "label": label,
                    "points": len(catalogue.points),
                    "runs": len(timings),
                    "median": median,
                    "p95": high,
                    "target": target,
                    "ok": high < target,
                }
            )

        self.stdout.write(f"{'catalogue':<10} {'points':>6} {'runs':>5} {'median':>9} {'p95':>9}")
        for row in rows:
            verdict = "PASS" if row["ok"] else "FAIL"
            self.stdout.write(
                f"{row['label']:<10} {row['points']:>6} {row['runs']:>5} "
                f"{row['median']:>6.3f} ms {row['p95']:>6.3f} ms  "
                f"target p95 < {row['target']:g} ms: {verdict}"
            )

        output = Path(output)  # call_command passes a str as is
        output.parent.mkdir(parents=True, exist_ok=True)
        text = output.read_text(encoding="utf-8") if output.exists() else INTRO
        output.write_text(replace_section(text, self.section(rows)), encoding="utf-8")
        self.stdout.write(f"Wrote the {SECTION!r} section of {output}")

        failed = [row["label"] for row in rows if not row["ok"]]
        if failed:
            raise CommandError(f"Suggestion engine target missed: {', '.join(failed)}")

    def section(self, rows: list[Row]) -> str:
        machine = (
            f"{platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs; "
            f"{platform.python_implementation()} {platform.python_version()}"
        )
        lines = [
            SECTION,
            "",
            "`suggest(answers, catalogue)` (backtp/guide/engine.py) timed with "
            "`time.perf_counter` for five fixed body maps (in "
            "backtp/guide/management/commands/bench_suggestions.py), each run many times; "
            f'"{SCALE}x" copies every trigger point {SCALE} times under new slugs, each copy '
            "with its own techniques. A target is met when the p95 is under it.",
            "",
            f"- Date: {datetime.date.today().isoformat()}",
            f"- Machine: {machine}",
            "- Run: `make bench`",
            "",
            "| catalogue | points | runs | median (ms) | p95 (ms) | target (p95) | result |",
            "|---|---:|---:|---:|---:|---|---|",
        ]
        for row in rows:
            lines.append(
                f"| {row['label']} | {row['points']} | {row['runs']} | {row['median']:.3f} "
                f"| {row['p95']:.3f} | under {row['target']:g} ms "
                f"| {'PASS' if row['ok'] else 'FAIL'} |"
            )
        return "\n".join(lines) + "\n"
