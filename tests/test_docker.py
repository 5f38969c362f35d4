"""The container's entrypoint and healthcheck, tested on the host (no Docker engine here)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from backtp.healthcheck import health_host

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = ROOT / "backtp" / "entrypoint.sh"


def _run_entrypoint(tmp_path: Path, *command: str, **env: str) -> subprocess.CompletedProcess[str]:
    bin_dir = Path(sys.executable).parent
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    }
    return subprocess.run(
        [str(ENTRYPOINT), *command], env=environment, capture_output=True, text=True, timeout=120
    )


def test_entrypoint_migrates_loads_the_catalogue_then_runs_the_command(tmp_path: Path) -> None:
    result = _run_entrypoint(tmp_path, "python", "-c", "print('server started')")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("server started")
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert db.execute("select count(*) from catalog_bodyregion").fetchone() == (35,)
        assert db.execute("select count(*) from catalog_muscle").fetchone()[0] >= 3


def test_entrypoint_can_be_run_again_on_the_same_database(tmp_path: Path) -> None:
    assert _run_entrypoint(tmp_path, "true").returncode == 0
    assert _run_entrypoint(tmp_path, "true").returncode == 0
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert db.execute("select count(*) from catalog_bodyregion").fetchone() == (35,)


def test_entrypoint_passes_on_the_commands_exit_code(tmp_path: Path) -> None:
    assert _run_entrypoint(tmp_path, "sh", "-c", "exit 7").returncode == 7


def test_entrypoint_skips_migrations_when_told_to(tmp_path: Path) -> None:
    result = _run_entrypoint(tmp_path, "true", MIGRATE_ON_START="0")
    assert result.returncode == 0
    assert not (tmp_path / "db.sqlite3").exists()


def test_entrypoint_stops_when_migrations_fail(tmp_path: Path) -> None:
    result = _run_entrypoint(tmp_path, "echo", "should not run", DATABASE_URL="mysql://nope/db")
    assert result.returncode != 0
    assert "should not run" not in result.stdout


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ("backtp.example,www.backtp.example", "backtp.example"),
        (".backtp.example", "backtp.example"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_healthcheck_uses_a_host_the_app_accepts(allowed: str, host: str) -> None:
    assert health_host(allowed) == host


def test_dockerfile_runs_as_non_root_with_a_healthcheck() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert text.startswith("# ") and "FROM python:3.13-slim" in text
    assert "USER 10001" in text
    assert "HEALTHCHECK" in text and "backtp.healthcheck" in text
    assert "collectstatic" in text and "gunicorn" in text
