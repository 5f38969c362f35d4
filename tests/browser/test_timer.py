"""The guided session timer in a real browser: a whole session run with a fake clock,
pause and resume, a reload mid-session, the keyboard, and saving when offline."""

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from backtp.journal.models import TreatmentSession

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BACKTP_SCREENSHOTS")
TIMED = "ql-tennis-ball-side-lying"  # worked for a time, on each side in turn
COUNTED = "gmed-overlap-fists"  # held a number of times


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=f"{SHOTS}/timer-{name}-{width}.png", full_page=True)


def csrf_token(page: Page) -> str:
    page.goto("/accounts/login/")
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


NONE_OF_THESE = {"none-now": "on", "none-doctor": "on", "none-limits": "on"}


def answer_safety_check(page: Page, live_server, token: str) -> None:
    """'None of these' to every group of the safety check: no session starts before it."""
    response = page.request.post(
        f"{live_server.url}/where-does-it-hurt/safety/",
        headers={"X-CSRFToken": token},
        form=NONE_OF_THESE,
        max_redirects=0,
    )
    assert response.status == 302, response.status


def make_plan(page: Page, live_server, *steps: tuple[str, str]) -> None:
    """Put these (technique, side) steps in the session plan the browser context shares,
    with the safety check answered."""
    token = csrf_token(page)
    answer_safety_check(page, live_server, token)
    for slug, side in steps:
        response = page.request.post(
            f"{live_server.url}/session/plan/add/{slug}/",
            headers={"X-CSRFToken": token},
            form={"side": side},
        )
        assert response.ok, response.status


def plan_json(page: Page) -> dict:
    return json.loads(page.locator("#session-plan").text_content())


def clock_seconds(page: Page) -> int:
    minutes, seconds = page.locator("#run-clock").text_content().split(":")
    return int(minutes) * 60 + int(seconds)


MOVE = 10  # seconds to get ready, to switch sides and between steps, unless the plan says


def start(page: Page, pain: int = 6) -> None:
    """Starts the session and lets the time to get ready run out: the first hold begins."""
    page.clock.install()
    page.goto("/session/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session")
    page.get_by_role("radio", name=str(pain), exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#stage-run")).to_be_visible()
    expect(page.locator("#run-phase")).to_have_text("Get ready")
    page.clock.fast_forward(MOVE * 1000)
    expect(page.locator("#run-phase")).not_to_have_text("Get ready")


def advance_until(page: Page, locator, seconds: int = 5, limit: int = 200) -> None:
    for _ in range(limit):
        if locator.is_visible():
            return
        page.clock.fast_forward(seconds * 1000)
    expect(locator).to_be_visible()


def test_run_a_two_step_plan_to_the_end_and_save(page: Page, live_server) -> None:
    make_plan(page, live_server, (TIMED, "both"), (COUNTED, "right"))
    page.clock.install()
    page.goto("/session/")
    plan = plan_json(page)
    assert [s["technique"] for s in plan["steps"]] == [TIMED, COUNTED]
    assert plan["steps"][0]["passes"] == ["right", "left"]
    shot(page, "before")

    # Pain before is required to start.
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#before-error")).to_be_visible()
    expect(page.locator("#stage-run")).to_be_hidden()
    page.get_by_role("radio", name="6", exact=True).check()
    page.get_by_role("button", name="Start").click()

    display = page.locator("#run-display")
    expect(page.get_by_role("heading", level=1)).to_have_text(plan["steps"][0]["name"])
    expect(page.locator("#run-progress-label")).to_have_text("Step 1 of 2")
    expect(page.locator("#run-side")).to_have_text("On your right side")
    # Time to get into position before the first hold.
    expect(page.locator("#run-phase")).to_have_text("Get ready")
    expect(display).to_have_attribute("data-phase", "ready")
    expect(page.locator("#run-clock")).to_have_text("0:10")
    page.clock.fast_forward(MOVE * 1000)
    expect(page.locator("#run-count")).to_have_text("Side 1 of 2")
    page.clock.fast_forward(2000)
    expect(page.locator("#reproduce")).to_be_hidden()
    shot(page, "running")

    # The switch-sides moment between the two passes.
    advance_until(page, page.locator("#run-switch"), seconds=2)
    expect(page.locator("#run-switch")).to_have_text("Switch to your left side")
    expect(display).to_have_attribute("data-phase", "switch")
    assert MOVE - 2 <= clock_seconds(page) <= MOVE  # long enough to move the ball
    shot(page, "switch")
    advance_until(page, page.get_by_text("Side 2 of 2"), seconds=1)
    expect(page.locator("#run-side")).to_have_text("On your left side")

    # In the step's last seconds: did pressing reproduce the familiar pain? (not blocking)
    advance_until(page, page.locator("#reproduce"), seconds=2)
    page.get_by_role("radio", name="Yes").check()
    expect(page.locator("#announce")).to_be_attached()

    # Rest, then the counted step: holds with release pauses between them.
    expect(page.locator("#run-progress-label")).to_have_text("Step 1 of 2")
    advance_until(page, page.get_by_text("Hold 1 of", exact=False), seconds=2)
    expect(page.locator("#run-progress-label")).to_have_text("Step 2 of 2")
    expect(page.locator("#run-side")).to_have_text("On your right side")
    advance_until(page, page.locator("#run-display[data-phase=release]"), seconds=1)
    expect(page.locator("#run-phase")).to_have_text("Release and breathe")
    advance_until(page, page.get_by_text(re.compile(r"^Hold 2 of \d+$")), seconds=1)

    advance_until(page, page.locator("#stage-after"), seconds=5)
    expect(page.get_by_role("heading", level=1)).to_have_text("Well done: how is it now?")
    page.get_by_role("radio", name="2", exact=True).check()
    page.get_by_label("Note").fill("Easier to stand up.")
    shot(page, "after")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session done")
    expect(page.locator("#done-message")).to_have_text("Saved.")
    expect(page.locator("#done-pain")).to_have_text("6 before, 2 after: 4 points less")
    steps = page.locator("#done-steps li")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text("Right and left sides. Done")
    expect(steps.nth(1)).to_contain_text("Right side. Done")
    expect(page.get_by_role("button", name="Start another session")).to_be_visible()
    expect(page.get_by_role("link", name="create an account")).to_have_attribute(
        "href", "/accounts/signup/?next=/session/"
    )
    shot(page, "saved")

    session = TreatmentSession.objects.get()
    assert (session.pain_before, session.pain_after) == (6, 2)
    assert session.note == "Easier to stand up."
    assert session.routine is None
    assert session.finished_at >= session.started_at
    steps = list(session.steps.order_by("number").values())
    timed, counted = plan["steps"]
    assert [s["side"] for s in steps] == ["both", "right"]
    assert [s["completed"] for s in steps] == [True, True]
    assert [s["reproduced"] for s in steps] == ["yes", ""]
    assert steps[0]["planned_seconds"] == 2 * timed["duration_seconds"]
    assert steps[1]["planned_seconds"] == counted["hold_seconds"] * counted["repetitions"]
    assert [s["done_seconds"] for s in steps] == [s["planned_seconds"] for s in steps]
    # Saved: the timer starts afresh next time.
    assert (
        page.evaluate(f"localStorage.getItem('backtp:timer:{plan['owner']}:{plan['id']}')") is None
    )


def test_paused_time_does_not_count_down(page: Page, live_server) -> None:
    make_plan(page, live_server, (TIMED, "right"))
    start(page)
    page.clock.fast_forward(3000)
    page.get_by_role("button", name="Pause").click()
    expect(page.locator("#run-paused")).to_be_visible()
    paused_at = clock_seconds(page)
    page.clock.fast_forward("02:00")
    page.wait_for_timeout(100)
    assert clock_seconds(page) == paused_at
    page.get_by_role("button", name="Resume").click()
    expect(page.locator("#run-paused")).to_be_hidden()
    page.clock.fast_forward(5000)
    expect(page.locator("#run-clock")).not_to_have_text(re.compile(rf"^0?:?{paused_at}$"))
    assert paused_at - 6 <= clock_seconds(page) <= paused_at - 4


def test_reload_resumes_at_the_same_hold_with_time_running_on(page: Page, live_server) -> None:
    make_plan(page, live_server, (COUNTED, "right"), (TIMED, "right"))
    start(page)
    hold = plan_json(page)["steps"][0]["hold_seconds"]
    # First hold, a 5 s release, then 3 s into the second hold.
    page.clock.fast_forward((hold + 5 + 3) * 1000)
    expect(page.locator("#run-count")).to_have_text(re.compile(r"^Hold 2 of \d+$"))
    before = clock_seconds(page)
    assert before in (hold - 3, hold - 4)

    page.reload()
    expect(page.locator("#stage-run")).to_be_visible()
    expect(page.locator("#run-count")).to_have_text(re.compile(r"^Hold 2 of \d+$"))
    expect(page.locator("#run-progress-label")).to_have_text("Step 1 of 2")
    expect(page.locator("#run-paused")).to_be_hidden()
    page.clock.fast_forward(2000)
    assert before - 3 <= clock_seconds(page) <= before - 1

    # Paused stays paused across a reload.
    page.get_by_role("button", name="Pause").click()
    paused_at = clock_seconds(page)
    page.reload()
    expect(page.locator("#run-paused")).to_be_visible()
    page.clock.fast_forward(10_000)
    assert clock_seconds(page) == paused_at
    expect(page.locator("#run-count")).to_have_text(re.compile(r"^Hold 2 of \d+$"))


def test_keyboard_space_pauses_and_arrows_skip_and_go_back(page: Page, live_server) -> None:
    make_plan(page, live_server, (TIMED, "right"), (COUNTED, "right"))
    start(page)
    page.keyboard.press("Space")
    expect(page.locator("#run-paused")).to_be_visible()
    page.keyboard.press("Space")
    expect(page.locator("#run-paused")).to_be_hidden()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#run-progress-label")).to_have_text("Step 2 of 2")
    expect(page.locator("#run-count")).to_have_text(re.compile(r"^Hold 1 of \d+$"))
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#run-progress-label")).to_have_text("Step 1 of 2")
    # Back to the first step is back to getting into its position; skipping that goes to
    # its hold, not past the step.
    expect(page.locator("#run-phase")).to_have_text("Get ready")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#run-display")).to_have_attribute("data-phase", "work")
    expect(page.locator("#run-progress-label")).to_have_text("Step 1 of 2")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#stage-after")).to_be_visible()


def test_saving_offline_keeps_the_log_and_sends_it_once(page: Page, live_server) -> None:
    make_plan(page, live_server, (TIMED, "right"), (COUNTED, "right"))
    start(page, pain=7)
    page.clock.fast_forward(4000)
    page.get_by_role("button", name="Skip").click()
    page.get_by_role("button", name="Skip").click()
    page.get_by_role("radio", name="5", exact=True).check()

    page.context.set_offline(True)
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Saved on this device; it will be sent when you are back online")
    ).to_be_visible()
    outbox = json.loads(page.evaluate("localStorage.getItem('backtp:outbox')"))
    assert len(outbox) == 1
    assert TreatmentSession.objects.count() == 0

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_text("has now been sent")).to_be_visible()
    assert page.evaluate("localStorage.getItem('backtp:outbox')") is None
    page.reload()  # another flush on load finds nothing to send

    # Sending the same log again (a retry after a lost reply) stores it once.
    status = page.evaluate(
        """async (log) => {
            const token = document.getElementById("timer").dataset.csrfToken;
            const response = await fetch("/session/log/", {method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify(log)});
            return response.status;
        }""",
        outbox[0],
    )
    assert status == 200
    session = TreatmentSession.objects.get()
    assert (session.pain_before, session.pain_after) == (7, 5)
    steps = list(session.steps.order_by("number").values("completed", "done_seconds"))
    assert [s["completed"] for s in steps] == [False, False]
    assert 3 <= steps[0]["done_seconds"] <= 5


def test_a_refused_token_keeps_the_log_queued_until_it_can_be_sent(page: Page, live_server) -> None:
    make_plan(page, live_server, (TIMED, "right"))
    start(page, pain=6)
    page.get_by_role("button", name="Skip").click()
    page.get_by_role("radio", name="3", exact=True).check()

    # The first attempt is refused as a CSRF failure would be: nothing may be lost.
    page.route(
        "**/session/log/",
        lambda route: route.fulfill(status=403, body="Forbidden"),
        times=1,
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved on this device")).to_be_visible()
    assert len(json.loads(page.evaluate("localStorage.getItem('backtp:outbox')"))) == 1
    assert TreatmentSession.objects.count() == 0

    page.reload()  # the outbox is flushed on load
    expect(page.get_by_text("has now been sent")).to_be_visible()
    assert TreatmentSession.objects.get().pain_after == 3
    # The refused request was staged by this test; anything else still fails it.
    page.js_errors[:] = [e for e in page.js_errors if not e.startswith("403 for ")]


def test_an_empty_plan_points_to_the_plan(page: Page) -> None:
    page.goto("/session/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session plan is empty")
    expect(page.get_by_role("link", name="Go to your session plan")).to_have_attribute(
        "href", "/session/plan/"
    )


def fits(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, f"the page scrolls sideways at {page.viewport_size['width']} px"


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_screens_fit_the_width(request: pytest.FixtureRequest, live_server, fixture: str) -> None:
    page = request.getfixturevalue(fixture)
    make_plan(page, live_server, (TIMED, "both"), (COUNTED, "right"))
    page.clock.install()
    page.goto("/session/")
    fits(page)
    shot(page, "before")
    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("button", name="Start").click()
    page.clock.fast_forward(3000)
    fits(page)
    shot(page, "ready")
    page.clock.fast_forward(MOVE * 1000)
    fits(page)
    shot(page, "running")
    advance_until(page, page.locator("#run-switch"), seconds=5)
    fits(page)
    shot(page, "switch")
    advance_until(page, page.get_by_text(re.compile(r"^Hold 1 of \d+$")), seconds=5)
    fits(page)
    shot(page, "holds")
    advance_until(page, page.locator("#stage-after"), seconds=10)
    page.get_by_role("radio", name="3", exact=True).check()
    fits(page)
    shot(page, "after")
