"""Browser tests skip with a reason when Chromium is missing, and fail when CI requires them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONE_BROWSER_TEST = "tests/browser/test_browse.py::test_search_shows_results_as_you_type"


def _pytest(**env: str) -> subprocess.CompletedProcess[str]:
    inherited = {k: v for k, v in os.environ.items() if k != "BACKTP_REQUIRE_BROWSER"}
    environment = {**inherited, "CHROMIUM_PATH": "/nonexistent/chromium", **env}
    return subprocess.run(
        [sys.executable, "-m", "pytest", ONE_BROWSER_TEST, "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_chromium_browser_tests_skip_with_a_one_line_reason() -> None:
    result = _pytest()
    assert result.returncode == 0, result.stdout
    assert "SKIPPED" in result.stdout
    assert "browser tests need Chromium at /nonexistent/chromium" in result.stdout


def test_when_ci_requires_the_browser_a_missing_chromium_fails() -> None:
    result = _pytest(BACKTP_REQUIRE_BROWSER="1")
    assert result.returncode != 0
    assert "browser tests need Chromium" in result.stdout
