"""Safety before every session, in a real browser: starting a routine goes through the
safety check first and comes back to the session; a contraindication leaves steps out
and says why; an answer counts for the rest of the browser session; a suspected blood
clot stops the flow with same-day advice."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BACKTP_SCREENSHOTS")
FOUR = "/routines/four-muscle-ball-routine/"
PSOAS = "Psoas: ball under the belly, lying face down"
NONE_OF_THESE = re.compile("answer “No” to all")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=f"{SHOTS}/safety-first-{name}-{width}.png", full_page=True)


def start_the_routine(page: Page, url: str = FOUR) -> None:
    page.goto(url)
    page.get_by_role("button", name="Start this routine with the timer").click()


def tick_none_of_these(page: Page) -> None:
    boxes = page.get_by_role("checkbox", name=NONE_OF_THESE)
    expect(boxes).to_have_count(3)
    for box in boxes.all():
        box.check()


def test_a_pregnant_person_is_asked_first_then_gets_the_plan_without_belly_pressure(
    page: Page,
) -> None:
    start_the_routine(page)
    expect(page).to_have_url(re.compile(r"/where-does-it-hurt/safety/\?next=%2Fsession%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Before your session: a safety check")
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)  # nothing pre-answered
    tick_none_of_these(page)
    # "Yes" to pregnancy unticks its group's "None of these": the tick never hides a yes.
    page.locator("#q-pregnancy").get_by_label("Yes", exact=True).check()
    expect(page.get_by_role("checkbox", name=NONE_OF_THESE).nth(2)).not_to_be_checked()
    shot(page, "safety")
    page.get_by_role("button", name="Next: your session").click()

    expect(page).to_have_url(re.compile(r"/session/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session")
    steps = page.locator(".timer__steps li")
    expect(steps).to_have_count(3)
    expect(page.locator(".timer__steps")).not_to_contain_text(PSOAS)
    left_out = page.locator("#left-out")
    expect(left_out).to_contain_text(PSOAS)
    expect(left_out).to_contain_text("Are you pregnant?")
    expect(left_out).to_contain_text("nothing presses on the belly")
    shot(page, "timer")

    page.goto("/session/plan/")
    step = page.locator(".plan-steps > li").filter(has_text=PSOAS)
    expect(step).to_contain_text("Left out: the timer skips this step")
    shot(page, "plan")


def test_someone_who_answered_none_goes_straight_on_next_time(page: Page) -> None:
    start_the_routine(page, "/routines/tennis-ball-trio/")
    tick_none_of_these(page)
    page.get_by_role("button", name="Next: your session").click()
    expect(page).to_have_url(re.compile(r"/session/$"))
    expect(page.locator(".timer__steps li")).to_have_count(3)
    expect(page.locator("#left-out")).to_have_count(0)

    start_the_routine(page)  # another routine, the same browser session
    expect(page).to_have_url(re.compile(r"/session/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session")
    expect(page.locator(".timer__steps li")).to_have_count(4)


def test_a_calf_clot_answer_stops_the_flow_with_same_day_advice(page: Page) -> None:
    start_the_routine(page)
    tick_none_of_these(page)
    page.locator("#q-blood-clot").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Next: your session").click()

    expect(page).to_have_url(re.compile(r"/where-does-it-hurt/stop/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Get medical help today")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("urgent appointment today")
    expect(alert).to_contain_text("short of breath or have chest pain")
    expect(alert.get_by_role("link", name="NHS DVT")).to_be_visible()
    shot(page, "stop-clot")
    page.goto("/session/")  # no way round it to the timer
    expect(page).to_have_url(re.compile(r"/where-does-it-hurt/stop/$"))


def test_the_start_page_says_how_long_it_takes(page: Page) -> None:
    page.goto("/where-does-it-hurt/")
    expect(page.locator(".eyebrow")).to_have_text("About 5 minutes")
    expect(page.get_by_text(re.compile(r"27 yes/no questions in three groups"))).to_be_visible()
    shot(page, "start")
