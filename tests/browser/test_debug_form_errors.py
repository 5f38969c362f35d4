"""With DEBUG=1 (`make run`), a form answered with its errors (a 400) looks as in
production: htmx swaps the form in, and django-htmx's debug script, which shows error
responses as a whole page, leaves it alone (static/js/htmx-debug-forms.js). A whole
error page still goes to the debug script."""

import re
from collections.abc import Iterator

import pytest
from django.test import override_settings
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser

SAFETY = "/where-does-it-hurt/safety/"


@pytest.fixture
def debug_page(page: Page) -> Iterator[Page]:
    with override_settings(DEBUG=True):
        yield page
    # The 400s were asked for: they are the form with its errors (or a made-up error page).
    page.js_errors[:] = [e for e in page.js_errors if not re.match(r"400 for .*/safety/$", e)]


def test_an_incomplete_safety_check_shows_the_form_with_its_errors_in_debug_mode(
    debug_page: Page,
) -> None:
    page = debug_page
    page.goto(SAFETY)
    expect(page.locator("script[data-debug='True']")).to_have_count(1)  # the debug script is on
    with page.expect_response(re.compile(r"/safety/$")) as answer:
        page.get_by_role("button", name="Next: where it hurts").click()
    assert answer.value.status == 400

    alert = page.locator("#guide [role=alert]")
    expect(alert).to_contain_text("Please answer every question.")
    expect(page.locator(".yes-no.has-error").first).to_be_visible()
    # The page around the form is still there, styled.
    expect(page.locator(".site-header")).to_be_visible()
    expect(page.locator(".site-footer")).to_be_visible()
    assert page.evaluate("document.styleSheets.length") >= 4
    expect(page.locator("#guide")).to_have_count(1)
    expect(page).to_have_title(re.compile("Safety check"))
    header_position = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).position"
    )
    assert header_position == "sticky"


def test_a_whole_error_page_still_goes_to_django_htmx_debug_script(debug_page: Page) -> None:
    page = debug_page
    page.goto(SAFETY)

    def technical_page(route: Route) -> None:
        route.fulfill(
            status=400,
            content_type="text/html; charset=utf-8",
            body="<!DOCTYPE html><html><head><title>SuspiciousOperation</title></head>"
            "<body><h1>Technical 400</h1></body></html>",
        )

    page.route(
        re.compile(r"/safety/$"),
        lambda route: (
            technical_page(route) if route.request.method == "POST" else route.continue_()
        ),
    )
    page.get_by_role("button", name="Next: where it hurts").click()
    expect(page.get_by_role("heading", name="Technical 400")).to_be_visible()
    expect(page.locator(".site-header")).to_have_count(0)
