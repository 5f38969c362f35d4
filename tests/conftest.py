import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from scripts.rig import CHROMIUM, CHROMIUM_ARGS

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_BROWSER = os.environ.get("BACKTP_REQUIRE_BROWSER") == "1"


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
    """Login-failure counts and other cached values never leak between tests."""
    from django.core.cache import cache

    from backtp import pagecache
    from backtp.catalog import caching

    cache.clear()
    caching.in_process.clear()
    caching.forget_version()
    pagecache.clear()
    yield
    cache.clear()
    caching.in_process.clear()
    pagecache.clear()


@pytest.fixture
def catalog(db: None) -> None:
    """The real catalogue from fixtures/."""
    call_command("load_catalog", verbosity=0)


@pytest.fixture
def live_catalog(transactional_db: None) -> None:
    call_command("load_catalog", verbosity=0)


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


def _new_page(browser, live_server, width: int, height: int):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
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
