"""Home in Chromium: someone logged in sees their day first; on a phone the page has its
figure; the header's Journal and Log out have room at 390 px. BACKTP_SCREENSHOTS=dir
saves the pages, light and dark."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_shared_device import log_in
from tests.conftest import _new_page
from tests.factories import UserFactory
from tests.journal.test_journal import log_session

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BACKTP_SCREENSHOTS")
WIDTHS = {"phone": 390, "desktop": 1280}


def shot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=f"{SHOTS}/{name}-{width}-{scheme}.png", full_page=True)
    page.emulate_media(color_scheme="light")


def box(page: Page, locator) -> dict:
    found = locator.bounding_box()
    assert found, locator
    return found


@pytest.fixture
def ana(live_catalog):
    ana = UserFactory(username="ana")
    log_session(ana, before=6, after=4, days_ago=1)
    log_session(ana, before=6, after=3)
    log_session(ana, before=5, after=2)
    return ana


@pytest.mark.parametrize("device", WIDTHS)
def test_someone_logged_in_sees_their_day_first(browser, live_server, ana, device) -> None:
    width = WIDTHS[device]
    context, page = _new_page(browser, live_server, width, 844 if width < 600 else 900)
    log_in(page, "ana")
    page.goto("/routines/tennis-ball-trio/")
    page.get_by_role("button", name="Start this routine with the timer").click()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, ana@example.com")
    expect(page.locator(".today__count")).to_have_text("2 of 5 today")
    expect(page.locator(".today__marks .is-done")).to_have_count(2)
    cont = page.get_by_role("link", name="Continue your session")
    expect(cont).to_have_attribute("href", "/session/")
    expect(page.locator(".today__last")).to_contain_text("Last session: today")
    expect(page.locator(".today__last")).to_contain_text("5 → 2 (-3)")
    # On a phone the day and the button to continue fit the first screen.
    assert box(page, cont)["y"] + box(page, cont)["height"] <= 844
    expect(page.locator(".hero__figure svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, "home-logged-in")
    page.goto("/accounts/settings/")
    shot(page, "settings")
    context.close()
    assert not page.js_errors, page.js_errors


def test_a_visitor_on_a_phone_sees_the_example_figure(phone_page: Page) -> None:
    page = phone_page
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Find the knots")
    figure = page.locator(".hero__figure")
    expect(figure.locator("svg")).to_be_visible()
    drawn = box(page, figure.locator("svg"))
    assert 250 <= drawn["width"] <= 390 - 32 and drawn["height"] > 200
    # Under the hero's buttons, before the safety notice.
    hero_button = box(page, page.locator(".hero").get_by_role("link", name="Browse the muscles"))
    safety = box(page, page.locator(".notice--safety"))
    assert hero_button["y"] < drawn["y"] < safety["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "home")


def test_a_visitor_on_a_desktop_sees_the_figure_beside_the_hero(page: Page) -> None:
    page.goto("/")
    hero = box(page, page.locator(".hero"))
    figure = box(page, page.locator(".hero__figure"))
    assert figure["x"] > hero["x"] + hero["width"] - 1
    shot(page, "home")


def test_journal_and_log_out_have_room_in_the_header_at_390(browser, live_server, ana) -> None:
    context, page = _new_page(browser, live_server, 390, 844)
    log_in(page, "ana")
    page.goto("/")
    brand = box(page, page.locator(".brand"))
    journal = box(page, page.locator(".site-header").get_by_role("link", name="Journal"))
    log_out = box(page, page.get_by_role("button", name="Log out"))
    nav = box(page, page.locator(".site-nav"))
    # One row beside the brand, the main links on the row below.
    for target in (journal, log_out):
        assert abs((target["y"] + target["height"] / 2) - (brand["y"] + brand["height"] / 2)) <= 4
        assert target["height"] >= 36 and target["width"] >= 60  # easy to tap
        assert target["y"] + target["height"] <= nav["y"] + 1
    assert journal["x"] >= brand["x"] + brand["width"] + 8
    assert log_out["x"] - (journal["x"] + journal["width"]) >= 6  # a gap between the two
    assert log_out["x"] + log_out["width"] <= 390 - 8
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.screenshot(
                path=f"{SHOTS}/header-logged-in-390-{scheme}.png",
                clip={"x": 0, "y": 0, "width": 390, "height": 140},
            )
    context.close()
    assert not page.js_errors, page.js_errors
