"""Logged-in pages in a real browser: no sideways scrolling, and screenshots on request."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import _new_page
from tests.factories import PASSWORD
from tests.journal.test_journal import log_session

pytestmark = pytest.mark.browser
PAGES = {
    "journal": "/journal/",
    "progress": "/journal/progress/",
    "summary": "/journal/summary/",
    "settings": "/accounts/settings/",
    "plan": "/session/plan/",
    "delete": "/accounts/delete/",
}


@pytest.mark.parametrize("width", [390, 1280])
def test_journal_pages_fit_the_screen(browser, live_server, live_catalog, person, width):
    from backtp.guide.models import Assessment

    user = person
    for days_ago, (before, after) in enumerate([(7, 4), (6, 4), (6, 5), (5, 3), (5, 2), (4, 2)]):
        log_session(user, before=before, after=after, days_ago=days_ago * 1.3)
    Assessment.objects.create(
        user=user, regions={"right-flank": 6, "sacrum": None}, worst="right-flank"
    )
    context, page = _new_page(browser, live_server, width, 844 if width < 600 else 900)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Journal")).to_be_visible()
    page.goto("/routines/tennis-ball-trio/")
    page.get_by_role("button", name="Start this routine with the timer").click()
    out = os.environ.get("BACKTP_SCREENSHOTS")
    wide = []
    for name, url in PAGES.items():
        assert page.goto(url).status == 200, name
        if page.evaluate("document.documentElement.scrollWidth") > width:
            wide.append(name)
        if out:
            Path(out).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{out}/{name}-{width}.png", full_page=True)
    context.close()
    assert not page.js_errors, page.js_errors
    assert not wide, f"wider than {width}px: {wide}"
