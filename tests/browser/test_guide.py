"""'Where does it hurt?' in a real browser: by mouse on the body map, without JavaScript,
and an emergency answer that stops the flow. By keyboard only: test_keyboard.py."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BACKTP_SCREENSHOTS")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=f"{SHOTS}/guide-{name}-{width}.png", full_page=True)


def answer_no_to_everything(page: Page) -> None:
    boxes = page.get_by_role("checkbox", name=re.compile("answer “No” to all"))
    expect(boxes).to_have_count(3)
    for box in boxes.all():
        box.check()


def run_flow_by_mouse(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Where does it hurt?").first.click()
    shot(page, "start")
    page.get_by_role("link", name="Start with the safety check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("First, a safety check")
    page.evaluate("window.__sameDocument = true")
    answer_no_to_everything(page)
    shot(page, "safety")
    page.get_by_role("button", name="Next: where it hurts").click()

    expect(page).to_have_url(re.compile(r"/where-does-it-hurt/body-map/$"))
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    # Tap the map: the shapes tick the real checkboxes.
    page.locator("#map-right-lateral-hip").click()
    page.locator("#map-right-lower-buttock").click()
    expect(page.get_by_label("Right outer hip", exact=True)).to_be_checked()
    expect(page.get_by_label("Right lower buttock", exact=True)).to_be_checked()
    expect(page.locator("#map-right-lateral-hip")).to_have_class(re.compile("is-marked"))
    # And the checkboxes drive the map.
    page.get_by_label("Left calf", exact=True).check()
    expect(page.locator("#map-left-calf")).to_have_class(re.compile("is-marked"))
    page.get_by_label("Left calf", exact=True).uncheck()
    expect(page.locator("#map-left-calf")).not_to_have_class(re.compile("is-marked"))
    page.get_by_label("How bad is your right outer hip, 0 to 10").select_option("7")
    page.locator("label[for='worst-right-lateral-hip']").click()
    expect(page.locator("#map-right-lateral-hip")).to_have_class(re.compile("is-worst"))
    shot(page, "body-map")
    page.get_by_role("button", name="Next: how it feels").click()

    expect(page).to_have_url(re.compile(r"/how-it-feels/$"))
    page.get_by_label("Standing up from a chair").check()
    page.get_by_label("A dull, deep ache").check()
    shot(page, "feel")
    page.get_by_role("button", name="Next: what you have").click()

    expect(page).to_have_url(re.compile(r"/what-you-have/$"))
    page.get_by_label("Tennis ball").check()
    page.get_by_label("Leaning on a wall").check()
    shot(page, "have")
    page.get_by_role("button", name="See my suggestions").click()

    expect(page).to_have_url(re.compile(r"/where-does-it-hurt/results/[0-9a-f-]{36}/$"))
    first = page.locator(".suggestion").first
    expect(first.get_by_role("heading", level=2)).to_contain_text("Quadratus lumborum")
    expect(first).to_contain_text("your right outer hip")
    expect(first).to_contain_text("Worse with standing up from a chair")
    expect(first).to_contain_text("If pressing there brings on your familiar pain")
    expect(first.locator(".zone-essential").first).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True, "a step reloaded the page"
    shot(page, "results")


def test_the_whole_flow_by_mouse_on_a_desktop(page: Page) -> None:
    run_flow_by_mouse(page)


def test_the_whole_flow_on_a_phone(phone_page: Page) -> None:
    run_flow_by_mouse(phone_page)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_back_and_reload_keep_the_answers(page: Page) -> None:
    page.goto("/where-does-it-hurt/safety/")
    answer_no_to_everything(page)
    page.get_by_role("button", name="Next: where it hurts").click()
    page.get_by_label("Right flank", exact=True).check()
    page.get_by_role("button", name="Next: how it feels").click()
    expect(page).to_have_url(re.compile(r"/how-it-feels/$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/body-map/$"))
    expect(page.get_by_label("Right flank", exact=True)).to_be_checked()
    page.reload()
    expect(page.get_by_label("Right flank", exact=True)).to_be_checked()
    expect(page.locator("#map-right-flank")).to_have_class(re.compile("is-marked"))


def test_an_emergency_answer_stops_the_flow(page: Page) -> None:
    page.goto("/where-does-it-hurt/safety/")
    answer_no_to_everything(page)
    page.locator("#q-saddle-numbness").get_by_label("Yes").check()
    page.get_by_role("button", name="Next: where it hurts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get medical help now")
    expect(page.get_by_role("alert")).to_contain_text("emergency number")
    expect(page.locator(".suggestion")).to_have_count(0)
    shot(page, "stop")
    page.goto("/where-does-it-hurt/body-map/")
    expect(page).to_have_url(re.compile(r"/stop/$"))


def test_the_flow_works_without_javascript(browser, live_server, live_catalog) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/where-does-it-hurt/safety/")
    # Without JavaScript a ticked "None of these" still answers its group's questions "No".
    page.locator("fieldset.yes-no").first.get_by_label("No", exact=True).check()
    boxes = page.get_by_role("checkbox", name=re.compile("answer “No” to all"))
    for box in boxes.all():
        box.check()
    second = page.locator("fieldset.yes-no").nth(1)
    expect(second.get_by_label("No", exact=True)).not_to_be_checked()  # no script filled it
    page.get_by_role("button", name="Next: where it hurts").click()
    page.get_by_label("Left lower buttock", exact=True).check()
    page.get_by_label("Left back of the thigh", exact=True).check()
    page.get_by_label("Left outer lower leg", exact=True).check()
    page.get_by_role("button", name="Next: how it feels").click()
    page.get_by_role("button", name="Next: what you have").click()
    page.get_by_role("button", name="See my suggestions").click()
    expect(page.get_by_role("heading", name="A safety check")).to_have_count(0)
    expect(page.get_by_text("Choose at least one place or position")).to_be_visible()
    page.get_by_label("Sitting on a chair").check()
    page.get_by_role("button", name="See my suggestions").click()
    expect(page.locator(".suggestion").first).to_contain_text("Gluteus minimus")
    expect(page.locator(".suggestion").first).to_contain_text("On your left side")
    context.close()
