"""From a routine to a saved, charted session: logged out, then signing up keeps it."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_timer import advance_until

pytestmark = pytest.mark.browser
PASSWORD = "plum-kettle-orbit-42"


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_save_logged_out_then_sign_up_and_find_it_in_the_journal(
    request: pytest.FixtureRequest, live_server, live_catalog, device: str
) -> None:
    # live_server is named here so pytest-django sets up the test database before the
    # server starts; the page fixture is then picked by name.
    from backtp.journal.models import TreatmentSession

    page: Page = request.getfixturevalue(device)

    page.clock.install()
    page.goto("/routines/tennis-ball-trio/")
    page.get_by_role("button", name="Start this routine with the timer").click()
    # The safety check comes first, then the session the person was starting.
    expect(page.get_by_role("heading", level=1)).to_have_text("Before your session: a safety check")
    for box in page.get_by_role("checkbox", name=re.compile("answer “No” to all")).all():
        box.check()
    page.get_by_role("button", name="Next: your session").click()
    expect(page).to_have_url(re.compile(r"/session/$"))
    page.get_by_role("radio", name="7", exact=True).check()
    page.get_by_role("button", name="Start").click()
    advance_until(page, page.locator("#stage-after"), seconds=10)
    page.locator("#stage-after").get_by_role("radio", name="4", exact=True).check()
    page.get_by_label("Note").fill("Standing up was easier.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#done-invite")).to_be_visible()
    assert TreatmentSession.objects.get().user is None

    page.locator("#done-invite").get_by_role("link", name="create an account").click()
    page.get_by_label("Email").fill("fay@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    page.get_by_role("link", name="Journal").click()
    expect(page.locator(".log-table")).to_contain_text("7 → 4")
    expect(page.locator(".log-table")).to_contain_text("Tennis-ball trio")
    assert TreatmentSession.objects.get().user.email == "fay@example.com"

    page.get_by_role("link", name="Progress").click()
    expect(page.locator(".pain-chart svg:visible")).to_be_visible()  # the wide or the phone one

    page.get_by_role("link", name="Settings and your data").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything as JSON").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["account"]["email"] == "fay@example.com"
    assert data["sessions"][0]["pain_before"] == 7
    assert data["sessions"][0]["note"] == "Standing up was easier."
