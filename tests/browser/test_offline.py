"""Installable and offline in Chromium (issue 16, items 4 and 5): Chromium finds nothing
missing to install the app; after one visit online the catalogue, the session plan and
the timer work offline, a session saved offline reaches the journal exactly once, pages
that need the server show the offline page, logging out deletes the person's copies,
and a deploy replaces the cache."""

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from playwright.sync_api import Page, expect

from backtp.accounts.models import User
from backtp.catalog.models import Technique
from backtp.journal.models import TreatmentSession
from scripts.rig import CHROMIUM, CHROMIUM_ARGS
from tests.browser.test_shared_device import log_in
from tests.browser.test_timer import COUNTED, TIMED, advance_until, make_plan
from tests.conftest import _new_page
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BACKTP_SCREENSHOTS")
MUSCLE = "/muscles/quadratus-lumborum/"
TECHNIQUE = f"/techniques/{TIMED}/"
ROUTINE = "/routines/tennis-ball-trio/"
USERNAME = "quokka-offline"


# Pages with the service worker running (the other browser tests block it: tests/conftest.py).
# Each test waits for the worker to finish installing before it asks the server anything
# else: the live server's threads share one SQLite connection.


def _page_with_worker(browser, live_server, width: int, height: int) -> Iterator[Page]:
    context, page = _new_page(browser, live_server, width, height, service_workers="allow")
    yield page
    context.close()
    assert not page.js_errors, f"JavaScript errors or CSP violations: {page.js_errors}"


@pytest.fixture
def page(browser, live_server, live_catalog) -> Iterator[Page]:
    yield from _page_with_worker(browser, live_server, 1280, 900)


@pytest.fixture
def phone_page(browser, live_server, live_catalog) -> Iterator[Page]:
    yield from _page_with_worker(browser, live_server, 390, 844)


def wait_until(page: Page, script: str, arg: object = None, timeout: float = 20) -> None:
    """Until the function `script` resolves truthy in the page. Polled from here: the
    page's CSP forbids the eval that page.wait_for_function uses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        time.sleep(0.1)


def wait_for_worker(page: Page) -> None:
    """Until the service worker has filled its cache and answers this page's requests."""
    wait_until(page, "() => navigator.serviceWorker.controller !== null")


def cache_names(page: Page) -> list[str]:
    return page.evaluate("caches.keys()")


def personal_urls(page: Page) -> list[str]:
    return page.evaluate(
        """async () => {
            if (!(await caches.has("backtp-personal"))) return [];
            const cache = await caches.open("backtp-personal");
            return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }"""
    )


def go_offline(page: Page) -> None:
    page.context.set_offline(True)


def go_online(page: Page) -> None:
    page.context.set_offline(False)


def test_chromium_finds_the_app_installable(browser, live_server, live_catalog, tmp_path) -> None:
    # A profile of its own: Chromium never offers to install from an incognito context,
    # which is what browser.new_context() makes.
    context = browser.browser_type.launch_persistent_context(
        tmp_path, executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=live_server.url
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto("/")
        wait_for_worker(page)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"].endswith("/manifest.webmanifest")
        assert manifest["errors"] == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_after_one_visit_the_catalogue_and_the_session_work_offline(
    page: Page, live_server, live_catalog
) -> None:
    UserFactory(username="ana")
    page.goto("/")
    wait_for_worker(page)
    log_in(page, "ana")
    make_plan(page, live_server, (TIMED, "right"), (COUNTED, "right"))
    page.clock.install()
    page.goto("/session/")  # the one visit online, through the worker
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session")
    wait_until(page, "() => caches.has('backtp-personal')")

    go_offline(page)
    page.goto("/muscles/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("uscles")
    expect(page.get_by_role("link", name=re.compile("Quadratus lumborum")).first).to_be_visible()
    page.goto(MUSCLE)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quadratus lumborum")
    page.goto(TECHNIQUE)
    name = Technique.objects.get(slug=TIMED).name
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("button", name="Add to my session")).to_be_visible()
    page.goto(ROUTINE)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tennis-ball trio")

    # The timer, run to the end offline.
    page.goto("/session/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session")
    page.get_by_role("radio", name="6", exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#stage-run")).to_be_visible()
    expect(page.locator("#run-progress-label")).to_have_text("Step 1 of 2")
    advance_until(page, page.locator("#stage-after"), seconds=10)
    page.get_by_role("radio", name="3", exact=True).check()
    page.get_by_label("Note").fill("Run offline.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved on this device")).to_be_visible()
    assert TreatmentSession.objects.count() == 0

    go_online(page)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_text("has now been sent")).to_be_visible()
    page.reload()  # the page's flush on load finds nothing more to send
    page.goto("/journal/")
    expect(page.locator(".log-table")).to_contain_text("6 → 3")
    assert page.locator(".log-table tbody tr").count() == 1
    session = TreatmentSession.objects.get()
    assert (session.pain_before, session.pain_after, session.note) == (6, 3, "Run offline.")
    assert session.user.username == "ana"
    assert list(session.steps.values_list("completed", flat=True)) == [True, True]


def test_pages_that_need_the_server_show_the_offline_page(page: Page) -> None:
    page.goto("/")
    wait_for_worker(page)
    go_offline(page)
    for url in ("/accounts/login/", "/where-does-it-hurt/", "/journal/"):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text("This page needs a connection")
        assert page.url.endswith(url)
    # A form sent offline: adding a technique to the plan.
    page.goto(TECHNIQUE)
    page.get_by_role("button", name="Add to my session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This page needs a connection")
    expect(page.get_by_role("link", name="The muscles")).to_have_attribute("href", "/muscles/")
    # Back online, the same address works again.
    go_online(page)
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("This page needs a connection")


def test_only_visitors_pages_are_shared_and_logging_out_deletes_the_persons(
    page: Page, live_server, live_catalog
) -> None:
    UserFactory(username=USERNAME)
    page.goto("/")
    wait_for_worker(page)
    log_in(page, USERNAME)
    make_plan(page, live_server, (TIMED, "right"))
    page.goto("/session/plan/")
    page.goto("/session/")
    deadline = time.monotonic() + 10
    while sorted(personal_urls(page)) != ["/session/", "/session/plan/"]:
        assert time.monotonic() < deadline, personal_urls(page)
        time.sleep(0.1)
    # The shared cache has the visitor's pages: nobody's name, log-out form or token.
    shell = next(name for name in cache_names(page) if name.startswith("backtp-shell-"))
    shared_html = page.evaluate(
        """async (name) => {
            const cache = await caches.open(name);
            const pages = (await cache.keys())
                .filter((r) => !new URL(r.url).pathname.startsWith("/static/"));
            return Promise.all(pages.map(async (r) => (await cache.match(r)).text()));
        }""",
        shell,
    )
    assert len(shared_html) > 40
    person = User.objects.get(username=USERNAME)
    personal = ("logout-form", USERNAME, f"u:{person.pk}", "Log out")
    assert not [html for html in shared_html if any(mark in html for mark in personal)]

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert "backtp-personal" not in cache_names(page)
    assert any(name.startswith("backtp-shell-") for name in cache_names(page))


def test_a_deploy_with_new_static_files_replaces_the_cache(page: Page) -> None:
    page.goto("/")
    wait_for_worker(page)
    before = cache_names(page)
    assert len(before) == 1 and before[0].startswith("backtp-shell-"), before
    deployed = staticfiles_storage.manifest_hash
    staticfiles_storage.manifest_hash = "feedfacefeedface"  # the next deploy's manifest
    try:
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        wait_until(
            page,
            """async () => { const names = await caches.keys();
                             return names.length === 1 && names[0].endsWith("-feedfacefeed"); }""",
        )
    finally:
        staticfiles_storage.manifest_hash = deployed
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_offline_page_fits_the_width(
    request: pytest.FixtureRequest, live_server, fixture: str, scheme: str
) -> None:
    page = request.getfixturevalue(fixture)
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    wait_for_worker(page)
    go_offline(page)
    page.goto("/accounts/settings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This page needs a connection")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=f"{SHOTS}/offline-{scheme}-{width}.png", full_page=True)
