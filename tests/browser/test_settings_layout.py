"""Settings on a phone: the sessions-a-day box (on the reminders page) is a real, styled
field, and groups of choices are not boxed by the browser's fieldset border."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_shared_device import log_in
from tests.conftest import _new_page
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1280])
def test_sessions_a_day_is_a_large_field_and_the_conditions_have_no_box(
    browser, live_server, live_catalog, width: int
) -> None:
    person = UserFactory()
    context, page = _new_page(browser, live_server, width, 900)
    log_in(page, person.username)
    page.goto("/accounts/settings/reminders/")
    box = page.get_by_label("Short sessions a day")
    expect(box).to_have_value("5")
    size = box.bounding_box()
    assert size["height"] >= 44 and 80 <= size["width"] <= 160, size  # a tap target, 2 digits
    style = box.evaluate(
        "(e) => { const s = getComputedStyle(e);"
        " return [s.borderTopWidth, s.borderRadius, s.fontWeight]; }"
    )
    assert style == ["2px", "10px", "700"]
    group = page.locator("fieldset.field-group").first
    assert group.evaluate("(e) => getComputedStyle(e).borderTopStyle") == "none"
    # The group's heading and its checkboxes line up with the field above.
    left = page.get_by_text("Short sessions a day", exact=True).bounding_box()["x"]
    assert abs(group.locator("legend").bounding_box()["x"] - left) <= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto("/accounts/settings/")
    conditions = page.locator("fieldset.field-group")
    assert conditions.evaluate("(e) => getComputedStyle(e).borderTopStyle") == "none"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
    assert not page.js_errors, page.js_errors
