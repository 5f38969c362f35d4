"""The container image, tested without a Docker engine: the Dockerfile is parsed and
checked statically, and its entrypoint, gunicorn settings and healthcheck run on the
host, including against a read-only copy of the code laid out as in the image."""

import json
import os
import re
import runpy
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
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


def _exec_form(keyword: str) -> list[str]:
    [arguments] = [a for k, a in dockerfile_instructions() if k == keyword]
    return json.loads(arguments)


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


def test_dockerfile_starts_gunicorn_through_the_entrypoint_with_a_healthcheck() -> None:
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.13-slim")
    assert ("WORKDIR", "/app") in instructions
    [healthcheck] = [a for k, a in instructions if k == "HEALTHCHECK"]
    assert healthcheck.endswith('CMD ["python", "-m", "deploy.healthcheck"]')
    assert _exec_form("ENTRYPOINT") == ["/app/deploy/entrypoint.sh"]
    assert os.access(ENTRYPOINT, os.X_OK)
    command = _exec_form("CMD")
    assert command[0] == "gunicorn" and command[-1] == "backtp.wsgi"
    config = command[command.index("--config") + 1]
    assert (ROOT / config).resolve() == GUNICORN_CONF


def test_dockerfile_runs_as_a_numeric_non_root_user_after_every_build_step() -> None:
    instructions = dockerfile_instructions()
    uid, gid = dockerfile_user()
    assert uid != 0 and gid != 0
    [useradd] = [a for k, a in instructions if k == "RUN" and "useradd" in a]
    assert f"--uid {uid}" in useradd and f"--gid {gid}" in useradd
    last_user = max(i for i, (k, _) in enumerate(instructions) if k == "USER")
    after = {k for k, _ in instructions[last_user:]}
    # A RUN or COPY after USER would leave files owned by the app user.
    assert not after & {"RUN", "COPY", "ADD"}, after


def _shell_commands(script: str) -> list[list[str]]:
    """A RUN line's simple commands, split at &&, ||, ; and | outside quotes."""
    lexer = shlex.shlex(script, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token in ("&&", "||", ";", "|"):
            commands.append([])
        else:
            commands[-1].append(token)
    return [command for command in commands if command]


def _targets(words: list[str]) -> list[str]:
    """The paths a chown or install command acts on."""
    targets: list[str] = []
    words_iter = iter(words[1:])
    for word in words_iter:
        if word in ("-o", "-g", "-m", "-t", "--owner", "--group", "--mode"):
            next(words_iter, None)
        elif not word.startswith("-"):
            targets.append(word)
    return targets[1:] if words[0] == "chown" else targets


def _grants_write_to_others(mode: str) -> bool:
    if re.fullmatch(r"[0-7]{3,4}", mode):
        return bool(int(mode, 8) & 0o022)
    for clause in mode.split(","):
        who, operator, permissions = re.fullmatch(r"([ugoa]*)([-+=]?)(.*)", clause).groups()
        if operator in "+=" and "w" in permissions and (not who or set(who) & set("goa")):
            return True
    return False


def test_nothing_under_app_belongs_to_or_is_writable_by_the_app_user() -> None:
    instructions = dockerfile_instructions()
    for keyword, arguments in instructions:
        if keyword in ("COPY", "ADD"):
            assert "--chown" not in arguments and "--chmod" not in arguments, arguments
        if keyword != "RUN":
            continue
        for words in _shell_commands(arguments):
            step = " ".join(words)
            if words[0] == "chown" or (words[0] == "install" and "-o" in words):
                # The app user may own its data volume, never the code: WORKDIR is /app,
                # so a relative path is under it too.
                targets = _targets(words)
                assert targets and all(
                    t.startswith("/") and not t.startswith("/app") for t in targets
                ), step
            if words[0] == "chmod":
                flags = ("-R", "-v", "-c", "-f", "--recursive")
                mode = next(word for word in words[1:] if word not in flags)
                assert not _grants_write_to_others(mode), step
    # The last build step over /app takes away group and other write permission, so
    # a build context checked out with a lax umask still yields read-only code.
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


# -- The image's layout, read-only, served by the image's own command --------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under root with its mode, size and mtime: any write shows up."""
    return {
        str(path.relative_to(root)): (stat.st_mode, stat.st_size, stat.st_mtime_ns)
        for path in [root, *root.rglob("*")]
        for stat in [path.lstat()]
    }


def _set_writable(root: Path, writable: bool) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod(mode | 0o200 if writable else mode & ~0o222)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Host": "backtp.example", **headers})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def image_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """/app as the Dockerfile builds it: its COPY sources, then its build step
    (collectstatic, compileall, chmod), then every write permission taken away."""
    app = tmp_path_factory.mktemp("image") / "app"
    app.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for keyword, arguments in dockerfile_instructions():
        if keyword != "COPY":
            continue
        *sources, destination = shlex.split(arguments)
        for source in sources:
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, app / destination, ignore=ignore)
            else:  # as Docker does, a destination ending in / is a folder, made if missing
                (app / destination).mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / source, app / destination / Path(source).name)
    [build] = [a for k, a in dockerfile_instructions() if k == "RUN" and "collectstatic" in a]
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        ["sh", "-c", build.replace("/app", str(app))],
        cwd=app,
        env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", **dockerfile_env()},
        check=True,
        capture_output=True,
        timeout=300,
    )
    _set_writable(app, False)
    yield app
    _set_writable(app, True)


def test_the_image_serves_from_read_only_code_writing_nothing_under_app(
    image_app: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "LANG": "C.UTF-8",
        # Whatever lands in $HOME would land in the image; make it the code directory.
        "HOME": str(image_app),
        "TMPDIR": str(tmp_path),
        **dockerfile_env(),
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
        "SECRET_KEY": "read-only-test-" + "x" * 40,
        "ALLOWED_HOSTS": "backtp.example",
        "BEHIND_PROXY": "1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
    }
    entrypoint = str(image_app / "deploy" / "entrypoint.sh")
    before = _snapshot(image_app)

    # The code that runs is the copy, not this checkout.
    probe = subprocess.run(
        [entrypoint, "python", "-c", "import backtp; print(backtp.__file__)"],
        cwd=image_app,
        env={**env, "MIGRATE_ON_START": "0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.stdout.strip() == str(image_app / "backtp" / "__init__.py"), probe.stderr

    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [entrypoint, *_exec_form("CMD")],
            cwd=image_app,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.3)

        healthcheck = subprocess.run(
            [sys.executable, "-m", "deploy.healthcheck"], cwd=image_app, env=env, timeout=30
        )
        assert healthcheck.returncode == 0

        status, headers, _ = _get(f"{base}/")
        assert status == 301 and headers["Location"] == "https://backtp.example/"
        status, headers, body = _get(f"{base}/", **{"X-Forwarded-Proto": "https"})
        assert status == 200 and b"backtp" in body
        assert "Strict-Transport-Security" in headers

        manifest = json.loads((image_app / "staticfiles" / "staticfiles.json").read_text())
        css = next(hashed for name, hashed in manifest["paths"].items() if name.endswith(".css"))
        status, headers, _ = _get(f"{base}/static/{css}", **{"X-Forwarded-Proto": "https"})
        assert status == 200 and "immutable" in headers.get("Cache-Control", "")
    finally:
        server.send_signal(signal.SIGTERM)  # what the container runtime sends to PID 1
        try:
            returncode = server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            raise
    log_text = log_path.read_text()
    assert returncode == 0, log_text
    after = _snapshot(image_app)
    changed = sorted(
        path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
    )
    assert not changed, f"written under /app: {changed}"
    for complaint in ("Permission denied", "Read-only file system", "control socket"):
        assert complaint not in log_text, log_text
    assert (data / "db.sqlite3").exists()
