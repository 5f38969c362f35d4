"""`make run` listens where it is told (HOST, PORT on make's command line)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def dry_run(*arguments: str, env: dict[str, str] | None = None) -> list[str]:
    """The commands `make -n run ...` would run, one a line."""
    if not shutil.which("make"):
        pytest.skip("needs make")
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", *arguments],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def runserver(lines: list[str]) -> str:
    [command] = [line for line in lines if "manage.py runserver" in line]
    return command.split("runserver", 1)[1].strip()


def test_run_serves_on_localhost_8000_by_default() -> None:
    assert runserver(dry_run()) == "127.0.0.1:8000"


def test_run_takes_the_port_and_the_host_from_the_command_line() -> None:
    assert runserver(dry_run("PORT=8100")) == "127.0.0.1:8100"
    assert runserver(dry_run("PORT=8100", "HOST=0.0.0.0")) == "0.0.0.0:8100"


def test_run_ignores_a_host_or_port_set_in_the_environment_for_something_else() -> None:
    assert runserver(dry_run(env={"HOST": "buildbox", "PORT": "3000"})) == "127.0.0.1:8000"


def test_run_still_migrates_and_loads_the_catalogue_first() -> None:
    lines = dry_run("PORT=8100")
    migrate = next(i for i, line in enumerate(lines) if "manage.py migrate" in line)
    load = next(i for i, line in enumerate(lines) if "manage.py load_catalog" in line)
    serve = next(i for i, line in enumerate(lines) if "manage.py runserver" in line)
    assert migrate < load < serve


def test_the_readme_says_how_to_choose_the_port() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run PORT=8100" in readme
    assert "HOST=" in readme


def test_run_starts_the_task_worker_and_the_scheduler_beside_the_server() -> None:
    lines = dry_run()
    serve = next(i for i, line in enumerate(lines) if "manage.py runserver" in line)
    worker = next(i for i, line in enumerate(lines) if "manage.py db_worker &" in line)
    scheduler = next(i for i, line in enumerate(lines) if "manage.py crontask" in line)
    assert worker < serve and scheduler < serve
    # Stopped with the server: the recipe kills both when it ends.
    assert any("trap" in line and "$worker" in line and "$scheduler" in line for line in lines)
