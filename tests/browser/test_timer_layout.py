"""The timer's focus layout on a phone (390 x 844): while the clock runs, the phase, the
time left and the pause control stay on the screen without scrolling, from getting ready
to the end; the site header gives way, and a tap on the display pauses."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_timer import COUNTED, MOVE, TIMED, make_plan, shot

pytestmark = pytest.mark.browser

# Where the phase, the clock and the Pause button are, relative to the screen, and what
# covers the point at the middle of each (a sticky header would).
IN_VIEW = """() => {
  const ids = ["run-phase", "run-clock", "pause", "run-title", "run-side"];
  return ids.map((id) => {
    const el = document.getElementById(id);
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {id, top: r.top, bottom: r.bottom, height: r.height,
            covered: !(hit && (hit === el || el.contains(hit) || hit.contains(el)))};
  }).concat([{id: "scrollY", top: window.scrollY, bottom: 0, height: 1, covered: false}]);
}"""


def assert_in_view(page: Page, moment: str) -> None:
    height = page.viewport_size["height"]
    for box in page.evaluate(IN_VIEW):
        if box["id"] == "scrollY":
            assert box["top"] == 0, f"{moment}: the page scrolled"
            continue
        assert box["height"] > 0, f"{moment}: {box['id']} is not shown"
        assert box["top"] >= 0 and box["bottom"] <= height, f"{moment}: {box['id']} is off screen"
        assert not box["covered"], f"{moment}: {box['id']} is covered"


def test_the_display_stays_in_view_for_the_whole_session_on_a_phone(
    phone_page: Page, live_server
) -> None:
    page = phone_page
    page.emulate_media(reduced_motion="reduce")  # screenshots without colours half-way
    make_plan(page, live_server, (TIMED, "both"), (COUNTED, "right"))
    page.clock.install()
    page.goto("/session/")
    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator(".site-header")).to_be_hidden()
    seen = set()
    for second in range(2000):
        if not page.locator("#stage-run").is_visible():
            break
        phase = page.locator("#run-display").get_attribute("data-phase")
        if phase not in seen:
            seen.add(phase)
            shot(page, f"focus-{phase}")
        assert_in_view(page, f"{second} s ({phase})")
        page.clock.run_for(2000)
    assert seen == {"ready", "work", "switch", "rest", "release"}
    expect(page.locator("#stage-after")).to_be_visible()
    expect(page.locator(".site-header")).to_be_visible()


def test_a_tap_on_the_display_pauses_and_resumes(phone_page: Page, live_server) -> None:
    page = phone_page
    make_plan(page, live_server, (TIMED, "right"))
    page.clock.install()
    page.goto("/session/")
    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(MOVE * 1000 + 2000)
    page.locator("#run-clock").click()
    expect(page.locator("#run-paused")).to_be_visible()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    assert_in_view(page, "paused")
    page.locator(".run__figures").click()
    expect(page.locator("#run-paused")).to_be_hidden()
