"""The container image's parts, tested on the host without buildah: the entrypoint (web,
worker and scheduler), the gunicorn settings and the healthcheck's Host header, and what one
build cannot show. `make image-test` (scripts/image_test.py) builds the image and runs it:
its user, ENTRYPOINT, CMD and HEALTHCHECK, a read-only /app, hashed static files, a second
start on the same /data."""

import os
import runpy
import shlex
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from gunicorn.config import KNOWN_SETTINGS

from deploy.healthcheck import health_host

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def dockerfile_instructions(path: Path = ROOT / "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    current = ""
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, arguments = current.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    return instructions


def dockerfile_env() -> dict[str, str]:
    """The environment the image sets with ENV (KEY=value form)."""
    env: dict[str, str] = {}
    for keyword, arguments in dockerfile_instructions():
        if keyword == "ENV":
            for item in shlex.split(arguments):
                key, _, value = item.partition("=")
                env[key] = value
    return env


def dockerfile_user() -> tuple[int, int]:
    """uid and gid of the final USER instruction (numeric, as Kubernetes needs)."""
    users = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "USER"]
    assert users, "the Dockerfile never switches away from root"
    uid, _, gid = users[-1].partition(":")
    assert uid.isdigit() and gid.isdigit(), f"USER must be numeric uid:gid, got {users[-1]!r}"
    return int(uid), int(gid)


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


def test_entrypoint_runs_the_task_worker_once_the_database_is_migrated(tmp_path: Path) -> None:
    assert _run_entrypoint(tmp_path, "true").returncode == 0  # the web process migrated
    result = _run_entrypoint(tmp_path, "worker", "--batch", "--no-startup-delay")
    assert result.returncode == 0, result.stderr


def test_a_worker_does_not_start_on_a_database_nobody_migrated(tmp_path: Path) -> None:
    result = _run_entrypoint(tmp_path, "worker", "--batch", WAIT_FOR_MIGRATIONS="0")
    assert result.returncode == 1
    assert "not migrated" in result.stderr
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:  # and it migrated nothing itself
        assert db.execute("select count(*) from sqlite_master where type='table'").fetchone()[
            0
        ] in (0, 1)


def test_the_scheduler_starts_and_stops_on_sigterm(tmp_path: Path) -> None:
    assert _run_entrypoint(tmp_path, "true").returncode == 0
    bin_dir = Path(sys.executable).parent
    process = subprocess.Popen(
        [str(ENTRYPOINT), "scheduler"],
        env={
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        started = ""
        while "Starting scheduler" not in started:
            line = process.stdout.readline()
            assert line, "the scheduler stopped before it started"
            started += line
        assert "reminders" in started  # it loaded the reminder task's schedule
        # crontask prints "Starting scheduler" just before it enters the block that turns
        # SIGTERM into a clean shutdown; a signal in between ends it by SIGINT (-2).
        time.sleep(1)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert process.returncode == 0


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


def test_the_code_is_read_only_whatever_the_checkout_and_local_state_stays_out() -> None:
    """What `make image-test` cannot see from one build: a checkout with a lax umask must
    still give read-only code, and local state and secrets never reach the build context."""
    instructions = dockerfile_instructions()
    build_steps = [a for k, a in instructions if k == "RUN" and "collectstatic" in a]
    assert build_steps and "chmod -R go-w /app" in build_steps[-1]
    assert dockerfile_env()["PYTHONDONTWRITEBYTECODE"] == "1"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"**/__pycache__", "*.sqlite3", "staticfiles", ".venv", ".env"} <= set(ignored)


def _gunicorn_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    for name in (
        "PORT",
        "WEB_CONCURRENCY",
        "GUNICORN_THREADS",
        "GUNICORN_TIMEOUT",
        "GUNICORN_MAX_REQUESTS",
        "ACCESS_LOG",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace = runpy.run_path(str(GUNICORN_CONF))
    return {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_") and not callable(value) and name != "annotations"
    }


def test_gunicorn_settings_are_real_gunicorn_settings_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gunicorn.config import Config

    settings = _gunicorn_settings(
        monkeypatch,
        PORT="9123",
        WEB_CONCURRENCY="5",
        GUNICORN_THREADS="4",
        GUNICORN_TIMEOUT="60",
        GUNICORN_MAX_REQUESTS="20000",
        FORWARDED_ALLOW_IPS="*",
        ACCESS_LOG="0",
    )
    known = {setting.name for setting in KNOWN_SETTINGS}
    assert set(settings) <= known, set(settings) - known
    config = Config()
    for name, value in settings.items():
        config.set(name, value)  # gunicorn validates each value's type
    assert config.bind == ["0.0.0.0:9123"]
    assert (config.workers, config.threads, config.timeout) == (5, 4, 60)
    assert (config.max_requests, config.max_requests_jitter) == (20000, 2000)
    assert config.forwarded_allow_ips == ["*"]
    assert config.accesslog is None
    assert config.worker_tmp_dir == "/dev/shm"
    assert config.control_socket_disable is True


def test_gunicorn_defaults_suit_a_container(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _gunicorn_settings(monkeypatch)
    assert settings["bind"] == ["0.0.0.0:8000"]
    assert settings["accesslog"] == "-" and settings["errorlog"] == "-"
    # Shorter than Kubernetes' default 30 s grace period, so in-flight requests finish.
    assert settings["graceful_timeout"] < 30
    # Workers are not recycled: under a steady load, restarts every thousand requests
    # (cold Django, empty in-process caches) pushed the p99 to about a second.
    assert settings["max_requests"] == 0 and settings["max_requests_jitter"] == 0


def test_gunicorn_settings_reject_a_bad_value_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ImproperlyConfigured, match="WEB_CONCURRENCY"):
        _gunicorn_settings(monkeypatch, WEB_CONCURRENCY="three")
