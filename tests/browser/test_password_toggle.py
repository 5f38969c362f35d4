"""The "Show password" button in Chromium (static/js/password-toggle.js): it shows and
hides the password on sign-up and log-in, by mouse and keyboard, masks it again before
the form is sent, and without JavaScript stays hidden, leaving the field masked. At
390 px the field and its button fit the card."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import _new_page
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def check_toggle(page: Page, width: int) -> None:
    field = page.get_by_label("Password", exact=True)
    button = page.get_by_role("button", name="Show password")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-controls", "id_password")
    field.fill("amber-kettle-lantern-57")
    expect(field).to_have_attribute("type", "password")
    button.click()
    expect(field).to_have_attribute("type", "text")
    hide = page.get_by_role("button", name="Hide password")
    expect(hide).to_be_focused()
    expect(field).to_have_value("amber-kettle-lantern-57")
    page.keyboard.press("Enter")  # the same button, by keyboard
    expect(field).to_have_attribute("type", "password")
    expect(page.get_by_role("button", name="Show password")).to_be_focused()
    page.keyboard.press("Space")
    expect(field).to_have_attribute("type", "text")
    # Field and button side by side or stacked, never past the card's edge.
    card = page.locator(".form-card").bounding_box()
    for part in (field, page.locator(".password-toggle")):
        box = part.bounding_box()
        assert box["x"] >= card["x"] and box["x"] + box["width"] <= card["x"] + card["width"]
        assert box["height"] >= 44  # a tap target
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1280])
def test_the_password_can_be_shown_and_hidden_on_sign_up(
    browser, live_server, live_catalog, width: int
) -> None:
    context, page = _new_page(browser, live_server, width, 900)
    page.goto("/accounts/signup/")
    check_toggle(page, width)
    # Shown when sent, masked before it goes: the account is made with what was typed.
    page.get_by_label("Email").fill("toggle@example.com")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_text("Welcome! Your account (toggle@example.com) is ready.")).to_be_visible()
    context.close()
    assert not page.js_errors, page.js_errors


def test_the_password_can_be_shown_and_hidden_on_log_in(page: Page) -> None:
    person = UserFactory()
    page.goto("/accounts/login/")
    check_toggle(page, 1280)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Email").fill(person.email.upper())
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_the_password_is_masked_as_the_form_is_sent(page: Page) -> None:
    """So the browser never keeps it as text it might offer back in another field."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password", exact=True).fill("wrong password")
    page.get_by_role("button", name="Show password").click()
    # Listeners run in order: this one, added after the page's, sees what is sent.
    page.evaluate(
        "document.querySelector('form.form-card').addEventListener('submit', (event) => {"
        " event.preventDefault();"
        " window.typeWhenSent = document.getElementById('id_password').type; })"
    )
    page.get_by_role("button", name="Log in").click()
    assert page.evaluate("window.typeWhenSent") == "password"
    expect(page.get_by_role("button", name="Show password")).to_be_visible()


def test_without_javascript_there_is_no_button_and_the_password_stays_masked(
    browser, live_server, live_catalog
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    for url in ("/accounts/signup/", "/accounts/login/"):
        page.goto(url)
        expect(page.get_by_label("Password", exact=True)).to_have_attribute("type", "password")
        expect(page.locator(".password-toggle")).to_be_hidden()
        expect(page.get_by_role("button", name="Show password")).to_have_count(0)
    context.close()


def test_every_other_password_field_has_the_button_too(page: Page) -> None:
    """Changing the password (the old one and the new) and deleting the account."""
    from tests.browser.test_shared_device import log_in

    person = UserFactory()
    log_in(page, person.username)
    for url, fields in (
        ("/accounts/password/change/", 2),
        ("/accounts/delete/", 1),
    ):
        page.goto(url)
        buttons = page.get_by_role("button", name="Show password")
        expect(buttons).to_have_count(fields)
        controlled = page.locator(f"#{buttons.first.get_attribute('aria-controls')}")
        buttons.first.click()
        expect(controlled).to_have_attribute("type", "text")
