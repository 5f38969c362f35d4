import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_migrate
from django.test import Client, override_settings
from hypothesis import settings as hypothesis_settings

from scripts.rig import CHROMIUM, CHROMIUM_ARGS
from tests.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_BROWSER = os.environ.get("BACKTP_REQUIRE_BROWSER") == "1"
REQUIRE_SHARED = os.environ.get("BACKTP_REQUIRE_SHARED") == "1"

# ../shared, beside the repository: the seed documents and the domain reference. CI and
# developers' machines have it; a fresh clone does not.
SHARED = Path(__file__).resolve().parents[2] / "shared"

# `make test` runs the suite in two processes (pytest-xdist). Each has its own test
# database (pytest-django names them per worker) and, through this, its own Redis
# databases: a test that clears its Redis database must not empty another's.
XDIST_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def redis_test_url(db: int) -> str:
    """Redis database `db` (12 or 13) for this worker: 12-13, 14-15, and so on."""
    return f"redis://127.0.0.1:6379/{db + 2 * XDIST_WORKER}"


# Hypothesis: a quick look on every run, a long one with `make fuzz` (HYPOTHESIS_PROFILE=long).
hypothesis_settings.register_profile("quick", max_examples=20, deadline=None)
hypothesis_settings.register_profile("long", max_examples=300, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


# ../shared --------------------------------------------------------------------


def shared(relative: str, what: str) -> Path:
    """A file or folder of ../shared; the test skips when it is missing (a fresh clone),
    and fails instead when BACKTP_REQUIRE_SHARED=1 (CI)."""
    path = SHARED / relative
    if not (path.is_file() or (path.is_dir() and any(path.iterdir()))):
        message = f"needs ../shared/{relative} ({what}); CI provides it"
        if REQUIRE_SHARED:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def seed_documents() -> list[Path]:
    """The source documents the catalogue was written from, ../shared/seeds/*.txt."""
    return sorted(shared("seeds", "the source documents").glob("*.txt"))


@pytest.fixture(scope="session")
def domain_reference() -> str:
    """The text of the domain reference, ../shared/domain/reference.md."""
    return shared("domain/reference.md", "the domain reference").read_text(encoding="utf-8")


# Settings and caches -----------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Serve hashed, compressed static files exactly as production does."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield root


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    test_security.py checks that the real settings hash with Argon2."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Login-failure counts, cached pages and other cached values never leak between tests."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


# The catalogue -----------------------------------------------------------------


def load_catalogue() -> None:
    call_command("load_catalog", verbosity=0)


def catalogue_is_loaded() -> bool:
    return apps.get_model("catalog", "BodyRegion").objects.exists()


def reload_after_flush(**kwargs: object) -> None:
    """A transactional test (transactional_db, live_server, the browser tests) ends by
    flushing the database, and the flush sends post_migrate: load the catalogue again,
    so that whatever runs next finds it."""
    load_catalogue()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    """pytest-django's test database with the real catalogue loaded once: each `db` test
    rolls back to it, and after each flush it is loaded again."""
    with django_db_blocker.unblock():
        load_catalogue()
    catalog_app = apps.get_app_config("catalog")
    post_migrate.connect(reload_after_flush, sender=catalog_app, dispatch_uid="tests-catalogue")
    yield
    post_migrate.disconnect(sender=catalog_app, dispatch_uid="tests-catalogue")


@pytest.fixture
def catalog(db: None) -> None:
    """The real catalogue from fixtures/ (loaded once per session, see django_db_setup)."""
    if not catalogue_is_loaded():
        load_catalogue()


@pytest.fixture
def live_catalog(transactional_db: None) -> None:
    """The real catalogue, committed, for the live server and the browser."""
    if not catalogue_is_loaded():
        load_catalogue()


@pytest.fixture
def empty_catalog(db: None) -> None:
    """No catalogue at all, for tests that build their own with the factories. The real
    one is deleted inside the test's transaction and comes back when it rolls back.

    Plain DELETEs: the ORM would send signals for each of the thousand-odd rows, which
    takes seconds. Foreign keys are checked at commit, which never comes."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table.startswith("catalog_"):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


# People ------------------------------------------------------------------------


@pytest.fixture
def person(db: None):
    """Someone with an account; their password is tests.factories.PASSWORD."""
    return UserFactory()


@pytest.fixture
def other_person(db: None):
    return UserFactory()


@pytest.fixture
def person_client(client: Client, person) -> Client:
    """The test client, logged in as `person`."""
    client.force_login(person)
    return client


# Browser tests ---------------------------------------------------------------


def _no_static_handler(app: object) -> object:
    return app


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest, collected_static: Path) -> Iterator[object]:
    """pytest-django's live server, but static files go through whitenoise as in production.

    Its default handler serves /static/ from the finders by unhashed names, which would
    404 on the hashed names the manifest storage writes into pages.
    """
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _no_static_handler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, live_server, width: int, height: int, service_workers: str = "block"):
    # The service worker (static/js/service-worker.js) fetches every catalogue page when it
    # installs. The live server shares one in-memory SQLite connection between its threads,
    # and two requests on it at once can deadlock, so it runs only where a test asks for it
    # (tests/browser/test_offline.py). Blocking it also lets page.route see every request.
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": height},
        service_workers=service_workers,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def on_console(message) -> None:
        # A failed load is reported below with its URL; a page's own 404 is not an error.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.js_errors = errors
    return context, page


@pytest.fixture
def page(browser, live_server, live_catalog) -> Iterator[object]:
    """A desktop-sized page on the live server with the catalogue loaded."""
    context, page = _new_page(browser, live_server, 1280, 900)
    yield page
    context.close()
    assert not page.js_errors, f"JavaScript errors or CSP violations: {page.js_errors}"


@pytest.fixture
def phone_page(browser, live_server, live_catalog) -> Iterator[object]:
    context, page = _new_page(browser, live_server, 390, 844)
    yield page
    context.close()
    assert not page.js_errors, f"JavaScript errors or CSP violations: {page.js_errors}"


_skipped_browser_tests: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and "browser" in report.keywords:
        _skipped_browser_tests.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (BACKTP_REQUIRE_BROWSER=1) a skipped browser test fails the run."""
    if REQUIRE_BROWSER and _skipped_browser_tests:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nBrowser tests were skipped but are required: {_skipped_browser_tests}")
