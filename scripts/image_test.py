"""`make image-test`: runs the image `make image` built and checks what a deployer relies on.

The web server runs in a buildah container made from the image, the worker, the scheduler
and `manage.py shell` in a second one (chroot isolation, the host's network: every server
binds 127.0.0.1 only); both have one host folder as their /data volume, as
`docker run -v DATA:/data` would, and the HEALTHCHECK runs in the web server's container:

1. first start of the image's ENTRYPOINT + CMD (only the bind changed to 127.0.0.1): it
   runs as uid 10001, migrates, loads the catalogue and serves /healthz, /, /muscles/, a
   muscle page and /sw.js, with static files under hashed names; the image's HEALTHCHECK
   command succeeds (and fails when nothing answers); nothing under /app is writable by
   or belongs to the app user, and serving wrote nothing there;
2. the other process types from the same image: `worker --batch` exits 0, `scheduler`
   starts, and both stop cleanly;
3. a person created through `manage.py shell`, the server stopped with SIGTERM (as a
   runtime stops it), a second start on the same /data, as in production behind a proxy
   that terminates TLS (HTTPS on, BEHIND_PROXY=1): no migration to apply, the person and
   the catalogue still there, plain http redirected to https, HSTS, the HEALTHCHECK still 0.

Every container and process it starts is removed, on failure too. Standard library only,
run by the machine's python3: `python3 scripts/image_test.py`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from scripts.rig import LOOPBACK, free_port

CACHE = os.environ.get("BACKTP_IMAGE_CACHE", "/var/cache/backtp-image")
TAG = os.environ.get("BACKTP_IMAGE_TAG", "backtp:test")
BUILDAH = [
    "buildah",
    "--root",
    f"{CACHE}/storage",
    "--runroot",
    "/run/backtp-image",
    "--storage-driver",
    "vfs",
]
APP_UID = 10001
HOST = LOOPBACK
PREFIX = f"backtp-image-test-{os.getpid()}"


class ImageTestFailure(Exception):
    pass


def check(condition: object, message: str) -> None:
    if not condition:
        raise ImageTestFailure(message)


def buildah(
    *args: str, timeout: float = 120, check_rc: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*BUILDAH, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "BUILDAH_ISOLATION": "chroot"},
    )
    if check_rc and result.returncode != 0:
        raise ImageTestFailure(
            f"buildah {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
        )
    return result


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        f"http://{HOST}:{port}{path}", headers={"Host": HOST, **headers}
    )
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def processes() -> dict[int, dict[str, object]]:
    """Every process on the machine: parent, process group, real uid and command line."""
    found: dict[int, dict[str, object]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))  # type: ignore[union-attr]
        found[int(entry.name)] = {
            "ppid": int(fields[1]),
            "pgid": int(fields[2]),
            "uid": uid,
            "cmdline": cmdline,
        }
    return found


class Run:
    """One `buildah run` of a command in a container, in its own process group."""

    def __init__(
        self, harness: Harness, container: str, command: list[str], name: str, **env: str
    ) -> None:
        self.name = name
        self.log_path = harness.workdir / f"{name}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [*BUILDAH, "run", *harness.run_options(**env), container, "--", *command],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "BUILDAH_ISOLATION": "chroot"},
        )
        harness.runs.append(self)

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

    def app_processes(self) -> dict[int, dict[str, object]]:
        """The command's processes: buildah's group, less buildah's own (run as root)."""
        return {
            pid: info
            for pid, info in processes().items()
            if info["pgid"] == self.process.pid
            and not str(info["cmdline"]).startswith(("buildah", "/usr/bin/buildah"))
        }

    def stop(self, timeout: float = 40) -> int:
        """SIGTERM to the command itself, as a container runtime sends it to PID 1
        (buildah does not pass signals on: it would kill the command), then wait."""
        if self.process.poll() is None:
            table = processes()
            exec_pids = {
                pid
                for pid, info in table.items()
                if info["pgid"] == self.process.pid
                and str(info["cmdline"]).startswith("buildah-chroot-exec")
            }
            for pid, info in table.items():
                if info["ppid"] in exec_pids:
                    os.kill(pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise ImageTestFailure(
                    f"{self.name} did not stop within {timeout:.0f}s of SIGTERM:\n{self.output()}"
                ) from None
        self.log.close()
        return self.process.returncode

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


class Harness:
    def __init__(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="backtp-image-test-"))
        self.data = self.workdir / "data"
        self.data.mkdir()
        # As the Dockerfile makes /data: owned by the app user, private to it.
        os.chown(self.data, APP_UID, APP_UID)
        self.data.chmod(0o700)
        self.port = free_port()
        self.env = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "HTTPS": "0",  # no TLS in front of this trial
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "2",
        }
        self.containers: list[str] = []
        self.runs: list[Run] = []
        self.timings: list[tuple[str, float]] = []
        self.started = time.monotonic()
        self.mark = time.monotonic()

    def timed(self, label: str) -> None:
        now = time.monotonic()
        self.timings.append((label, now - self.mark))
        print(f"    ok ({now - self.mark:.1f}s): {label}", flush=True)
        self.mark = now

    def run_options(self, **env: str) -> list[str]:
        options = ["--network", "host", "--volume", f"{self.data}:/data"]
        for key, value in {**self.env, **env}.items():
            options += ["--env", f"{key}={value}"]
        return options

    def container(self, name: str) -> str:
        full = f"{PREFIX}-{name}"
        buildah("from", "--pull-never", "--name", full, TAG, timeout=300)
        self.containers.append(full)
        # buildah 1.28 mounts the image's anonymous VOLUME over a --volume at the same path;
        # without the declaration (in this container only) the host folder is /data.
        buildah("config", "--volume", "/data-", full)
        return full

    def remove(self, container: str) -> None:
        buildah("rm", container, check_rc=False)
        self.containers.remove(container)

    def exec(
        self, container: str, *command: str, timeout: float = 120, **env: str
    ) -> subprocess.CompletedProcess[str]:
        """A command to completion in a container, as the image's user."""
        return buildah("run", *self.run_options(**env), container, "--", *command, timeout=timeout)

    def show_logs(self) -> None:
        """On failure: the end of every process's output."""
        for run in self.runs:
            lines = run.output().splitlines()[-40:]
            print(f"--- {run.name} (last {len(lines)} lines)", file=sys.stderr)
            print("\n".join(lines), file=sys.stderr, flush=True)

    def cleanup(self) -> None:
        for run in self.runs:
            if run.process.poll() is None:
                run.kill()
            if not run.log.closed:
                run.log.close()
        for container in list(self.containers):
            self.remove(container)
        shutil.rmtree(self.workdir, ignore_errors=True)


def image_config() -> dict[str, object]:
    inspected = json.loads(buildah("inspect", "--type", "image", TAG).stdout)
    return inspected["Docker"]["config"]


def start_web(
    harness: Harness, container: str, config: dict[str, object], name: str, **env: str
) -> Run:
    # The image's ENTRYPOINT and CMD; gunicorn's command line overrides the config file's
    # bind (0.0.0.0:$PORT) so the trial listens on 127.0.0.1 only.
    command = [*config["Entrypoint"], *config["Cmd"], "--bind", f"{HOST}:{harness.port}"]  # type: ignore[misc]
    web = Run(harness, container, command, name, **env)
    deadline = time.monotonic() + 240
    while True:
        try:
            if get(harness.port, "/healthz")[0] == 200:
                return web
        except OSError:
            pass
        check(
            web.process.poll() is None, f"{name} stopped before it served /healthz:\n{web.output()}"
        )
        check(time.monotonic() < deadline, f"{name}: no /healthz 200 within 240s:\n{web.output()}")
        time.sleep(0.5)


def django_shell(harness: Harness, container: str, code: str) -> str:
    result = harness.exec(container, "python", "manage.py", "shell", "--no-imports", "-c", code)
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def check_served_by_the_app_user(web: Run) -> None:
    app = web.app_processes()
    gunicorns = {pid: info for pid, info in app.items() if "gunicorn" in str(info["cmdline"])}
    check(len(gunicorns) >= 2, f"expected gunicorn's master and workers, found {app}")
    wrong = {pid: info for pid, info in app.items() if info["uid"] != APP_UID}
    check(not wrong, f"processes not running as uid {APP_UID}: {wrong}")


def check_pages(harness: Harness) -> None:
    port = harness.port
    status, _, body = get(port, "/healthz")
    check(
        status == 200 and json.loads(body).get("database") == "ok",
        f"/healthz: {status} {body[:200]!r}",
    )
    status, _, home = get(port, "/")
    check(status == 200 and b"backtp" in home, f"/: {status}")
    status, _, muscles = get(port, "/muscles/")
    check(status == 200, f"/muscles/: {status}")
    links = sorted(set(re.findall(rb'href="(/muscles/[a-z0-9-]+/)"', muscles)))
    check(len(links) >= 3, f"/muscles/ links to {len(links)} muscle pages, expected the catalogue")
    status, _, page = get(port, links[0].decode())
    check(status == 200 and b"trigger point" in page.lower(), f"{links[0].decode()}: {status}")
    status, headers, _ = get(port, "/sw.js")
    check(
        status == 200 and "javascript" in headers.get("Content-Type", ""),
        f"/sw.js: {status} {headers.get('Content-Type')}",
    )

    # Static files: the pages name them with content hashes, and those are served for a
    # year as immutable (whitenoise, from the files collectstatic wrote into the image).
    assets = sorted(set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', home + page)))
    check(assets, "the pages reference no static file")
    unhashed = [a for a in assets if not re.search(rb"\.[0-9a-f]{12}\.[a-z0-9]+$", a)]
    check(not unhashed, f"static files without a hashed name: {unhashed}")
    css = next((a.decode() for a in assets if a.endswith(b".css")), assets[0].decode())
    status, headers, _ = get(port, css)
    check(
        status == 200 and "immutable" in headers.get("Cache-Control", ""),
        f"{css}: {status} {headers.get('Cache-Control')}",
    )


def check_healthcheck(
    harness: Harness, container: str, config: dict[str, object], **env: str
) -> None:
    test = config["Healthcheck"]["Test"]  # type: ignore[index]
    check(test[0] == "CMD", f"HEALTHCHECK should be exec form: {test}")
    result = buildah("run", *harness.run_options(**env), container, "--", *test[1:], check_rc=False)
    check(
        result.returncode == 0,
        f"HEALTHCHECK {test[1:]} exited {result.returncode}: {result.stderr}",
    )
    # And it fails when nothing answers (it does check something).
    nobody = str(free_port())
    result = buildah(
        "run", *harness.run_options(**env, PORT=nobody), container, "--", *test[1:], check_rc=False
    )
    check(result.returncode != 0, "HEALTHCHECK succeeded with nothing listening on its port")


def check_app_is_read_only(harness: Harness, container: str, since: float) -> None:
    # Run as the image's user: what may it write, what does it own, what changed since start.
    found = harness.exec(
        container, "find", "/app", "(", "-writable", "-o", "-user", str(APP_UID), ")", "-print"
    ).stdout.split()
    check(not found, f"under /app, writable by or belonging to uid {APP_UID}: {found[:20]}")
    changed = harness.exec(container, "find", "/app", "-newermt", f"@{since:.0f}").stdout.split()
    check(not changed, f"written under /app while serving: {changed[:20]}")
    manifest = harness.exec(container, "test", "-s", "/app/staticfiles/staticfiles.json")
    check(manifest.returncode == 0, "no staticfiles.json in the image")


def main() -> int:
    total = time.monotonic()
    print(f"--- image-test: {TAG}", flush=True)
    try:
        inspected = buildah("inspect", "--type", "image", TAG, check_rc=False)
    except FileNotFoundError:
        raise ImageTestFailure("buildah is not installed: run `make image` first") from None
    check(inspected.returncode == 0, f"no image {TAG}: run `make image` first")
    config = image_config()
    check(config["User"] == f"{APP_UID}:{APP_UID}", f"the image's USER is {config['User']!r}")

    harness = Harness()
    try:
        web_container = harness.container("web")
        jobs = harness.container("jobs")
        whoami = harness.exec(jobs, "id", "-u").stdout.strip()
        check(whoami == str(APP_UID), f"the image runs commands as uid {whoami}, not {APP_UID}")
        harness.timed("two containers from the image; it runs as uid 10001")

        # 1. First start: migrate, load the catalogue, serve.
        since = time.time() - 1
        web = start_web(harness, web_container, config, "web-first-start")
        log = web.output()
        check("Applying " in log, f"the first start applied no migration:\n{log}")
        check(
            (harness.data / "db.sqlite3").stat().st_uid == APP_UID,
            "the database in /data does not belong to the app user",
        )
        check_served_by_the_app_user(web)
        harness.timed("first start: migrated, loaded the catalogue, /healthz 200")
        muscles = django_shell(
            harness, jobs, "from backtp.catalog.models import Muscle; print(Muscle.objects.count())"
        )
        check(muscles.isdigit() and int(muscles) >= 3, f"the catalogue has {muscles!r} muscles")
        check_pages(harness)
        harness.timed(
            f"/, /muscles/, a muscle page, /sw.js; {muscles} muscles; hashed static files"
        )
        check_healthcheck(harness, web_container, config)
        harness.timed("the HEALTHCHECK command: 0 while serving, non-zero with nothing listening")
        check_app_is_read_only(harness, web_container, since)
        harness.timed("nothing under /app writable by or belonging to uid 10001, nothing written")

        # 2. The worker and the scheduler, from the same image and /data.
        entrypoint = [*config["Entrypoint"]]  # type: ignore[misc]
        worker = harness.exec(jobs, *entrypoint, "worker", "--batch", "--no-startup-delay")
        check(worker.returncode == 0, f"worker: {worker.stdout}{worker.stderr}")
        harness.timed("`worker --batch` ran the queue and exited 0")
        scheduler = Run(harness, jobs, [*entrypoint, "scheduler"], "scheduler")
        deadline = time.monotonic() + 60
        while "Starting scheduler" not in scheduler.output():
            check(scheduler.process.poll() is None, f"the scheduler stopped:\n{scheduler.output()}")
            check(
                time.monotonic() < deadline,
                f"no 'Starting scheduler' in 60s:\n{scheduler.output()}",
            )
            time.sleep(0.5)
        time.sleep(1)  # crontask turns SIGTERM into a clean stop only once it has started
        returncode = scheduler.stop()
        check(
            returncode == 0, f"the scheduler exited {returncode} on SIGTERM:\n{scheduler.output()}"
        )
        harness.timed("`scheduler` started, then stopped on SIGTERM with 0")

        # 3. Data survives a restart on the same /data.
        email = "image-test@example.com"
        created = django_shell(
            harness,
            jobs,
            "from django.contrib.auth import get_user_model; "
            f"u = get_user_model().objects.create_user(username='image-test', email='{email}', "
            f"password='{secrets.token_urlsafe(16)}'); print(u.pk)",
        )
        check(created.isdigit(), f"creating a person printed {created!r}")
        returncode = web.stop()
        check(returncode == 0, f"gunicorn exited {returncode} on SIGTERM:\n{web.output()}")
        for complaint in ("Traceback", "Permission denied", "Read-only file system"):
            check(
                complaint not in web.output(), f"'{complaint}' in the server's log:\n{web.output()}"
            )
        harness.remove(web_container)
        harness.timed("a person created; the server stopped on SIGTERM with 0")

        # The second start as in production behind a proxy that terminates TLS: HTTPS on (the
        # default), the proxy's X-Forwarded-Proto trusted.
        behind_proxy = {"HTTPS": "1", "BEHIND_PROXY": "1"}
        again_container = harness.container("web-again")
        second = start_web(harness, again_container, config, "web-second-start", **behind_proxy)
        log = second.output()
        check("No migrations to apply" in log, f"the second start on the same /data:\n{log}")
        found = django_shell(
            harness,
            jobs,
            "from django.contrib.auth import get_user_model; "
            f"print(get_user_model().objects.filter(email='{email}').count())",
        )
        check(found == "1", f"the person created before the restart: found {found!r}")
        again = django_shell(
            harness, jobs, "from backtp.catalog.models import Muscle; print(Muscle.objects.count())"
        )
        check(again == muscles, f"{again} muscles after the restart, {muscles} before")
        status, headers, _ = get(harness.port, "/muscles/")
        check(
            status == 301 and headers.get("Location") == f"https://{HOST}/muscles/",
            f"plain http behind the proxy: {status} {headers.get('Location')}",
        )
        status, headers, _ = get(harness.port, "/muscles/", **{"X-Forwarded-Proto": "https"})
        check(status == 200, f"/muscles/ over https after the restart: {status}")
        check("Strict-Transport-Security" in headers, "no HSTS header with HTTPS on")
        check_healthcheck(harness, again_container, config, **behind_proxy)
        returncode = second.stop()
        check(returncode == 0, f"gunicorn exited {returncode} on SIGTERM:\n{second.output()}")
        harness.timed(
            "second start on the same /data, HTTPS behind a proxy: nothing to migrate, the person"
            " still there, http redirected, HSTS, HEALTHCHECK 0"
        )
    except BaseException:
        harness.show_logs()
        raise
    finally:
        harness.cleanup()
    print(f"--- image-test passed in {time.monotonic() - total:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ImageTestFailure as failure:
        print(f"\nIMAGE TEST FAILED: {failure}", file=sys.stderr, flush=True)
        sys.exit(1)
    except (OSError, subprocess.SubprocessError, KeyError, ValueError) as error:
        print(f"\nIMAGE TEST FAILED: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        raise
