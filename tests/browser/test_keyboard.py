"""Keyboard only: the questionnaire from the safety screen to the results, and the timer
from a routine to a saved log. Only page.keyboard is used (Tab, Shift+Tab, Space, Enter,
arrows, typing into a focused field). After every key that moves focus, the focused
control must show a focus indicator and must not be hidden under the sticky header or
the sticky button bar; after every htmx swap or timer stage change, focus is on the new
heading."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_timer import COUNTED, TIMED, advance_until, make_plan

pytestmark = pytest.mark.browser

# What the person sees of the focused element: its name, whether it shows a focus
# indicator (an outline or a box-shadow on it, on the styled box next to a visually
# hidden input, or on its label), and whether something else covers it.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {name: "(nothing)", indicator: false, covered: "-"};
  const label = el.labels && el.labels[0] ? el.labels[0] : el.closest("label");
  // (innerText puts a line break before a visually hidden span: "Remove\\n: Step name")
  const name = [label ? label.innerText : "", el.getAttribute("aria-label") || "",
                el.innerText || ""].join("|").replace(/\\n/g, "");
  const hidden = parseFloat(getComputedStyle(el).opacity) === 0;
  const box = hidden && el.nextElementSibling ? el.nextElementSibling : el;
  const shows = (node) => {
    if (!node) return false;
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== "none";
  };
  const indicator = el.matches(":focus-visible") && (shows(box) || shows(label));
  const rect = box.getClientRects()[0] || box.getBoundingClientRect();  // a link's first line
  const points = [[0.5, 0.5], [0.15, 0.5], [0.85, 0.5]];
  let covered = null;
  for (const [fx, fy] of points) {
    const x = rect.left + rect.width * fx, y = rect.top + rect.height * fy;
    const hit = document.elementFromPoint(x, y);
    const ours = hit && (el.contains(hit) || box.contains(hit) || (label && label.contains(hit)));
    if (!ours) {
      const cover = hit && (hit.closest("header, .guide-actions, [class]") || hit);
      covered = cover ? cover.className || cover.tagName : "outside the window";
      break;
    }
  }
  return {name, indicator, covered, id: el.id, checked: el.checked};
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUS)


def press(page: Page, key: str) -> dict:
    """Press a key that moves focus; the new focus must be visible and uncovered."""
    page.keyboard.press(key)
    state = focused(page)
    assert state["indicator"], f"{key}: no visible focus indicator on {state}"
    assert not state["covered"], f"{key}: the focused {state['name']!r} is under {state}"
    return state


def tab_to(page: Page, accessible: str, limit: int = 250, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the focused control's label, text or name matches."""
    for _ in range(limit):
        if accessible in press(page, key)["name"]:
            return
    raise AssertionError(f"could not reach {accessible!r} with {key}")


def on_new_step(page: Page, path: str) -> None:
    """After an htmx swap: the address changes and focus is on the new step's heading."""
    expect(page).to_have_url(re.compile(path))
    expect(page.get_by_role("heading", level=1)).to_be_focused()


def _questionnaire_by_keyboard(page: Page) -> None:
    page.goto("/where-does-it-hurt/")
    tab_to(page, "Start with the safety check")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("First, a safety check")
    # The first question answered with the arrow keys, the rest with "None of these".
    question = page.locator("fieldset.yes-no").first
    first_no = question.get_by_label("No", exact=True).get_attribute("id")
    first_yes = question.get_by_label("Yes", exact=True).get_attribute("id")
    for _ in range(60):  # into the first question, nothing chosen
        if press(page, "Tab")["id"] == first_no:
            break
    else:
        raise AssertionError("Tab never reached the first question")
    moved = press(page, "ArrowRight")  # "Yes" is chosen by moving to it...
    assert (moved["id"], moved["checked"]) == (first_yes, True), moved
    moved = press(page, "ArrowLeft")  # ...and corrected
    assert (moved["id"], moved["checked"]) == (first_no, True), moved
    for _ in range(3):  # a checkbox after each group, ticked with Space
        tab_to(page, "answer “No” to all", limit=60)
        page.keyboard.press("Space")
    for box in page.get_by_role("checkbox", name=re.compile("answer “No” to all")).all():
        expect(box).to_be_checked()
    tab_to(page, "Next: where it hurts")
    page.keyboard.press("Enter")

    on_new_step(page, r"/body-map/$")
    tab_to(page, "Right sacroiliac area")
    page.keyboard.press("Space")
    expect(page.locator("#map-right-sacroiliac")).to_have_class(re.compile("is-marked"))
    press(page, "Tab")  # its "how bad" menu, shown once ticked
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#intensity-right-sacroiliac")).not_to_have_value("")
    tab_to(page, "Worst")
    page.keyboard.press("Space")
    expect(page.locator("#map-right-sacroiliac")).to_have_class(re.compile("is-worst"))
    tab_to(page, "Tailbone")
    page.keyboard.press("Space")
    expect(page.locator("#map-coccyx")).to_have_class(re.compile("is-marked"))
    tab_to(page, "Next: how it feels")
    assert "Back" in press(page, "Shift+Tab")["name"]
    press(page, "Tab")
    page.keyboard.press("Enter")

    on_new_step(page, r"/how-it-feels/$")
    tab_to(page, "A dull, deep ache")
    page.keyboard.press("Space")
    tab_to(page, "Next: what you have")
    page.keyboard.press("Enter")

    on_new_step(page, r"/what-you-have/$")
    tab_to(page, "Leaning on a wall")
    page.keyboard.press("Space")
    tab_to(page, "See my suggestions")
    page.keyboard.press("Enter")

    on_new_step(page, r"/results/[0-9a-f-]{36}/$")
    first = page.locator(".suggestion").first
    expect(first).to_contain_text("sacroiliac")
    expect(page.locator(".summary-box")).to_contain_text("a dull, deep ache")
    # From the heading, Tab goes on through the results: the first suggestion's link.
    tab_to(page, first.get_by_role("heading", level=2).inner_text(), limit=5)


def test_the_questionnaire_by_keyboard_on_a_desktop(page: Page) -> None:
    _questionnaire_by_keyboard(page)


def test_the_questionnaire_by_keyboard_on_a_phone(phone_page: Page) -> None:
    """A phone with a keyboard: sticky header and button bar are tallest relative to the
    screen here, so this is where a focused control is most easily hidden."""
    _questionnaire_by_keyboard(phone_page)


def test_the_timer_by_keyboard_from_a_routine_to_a_saved_log(page: Page) -> None:
    from backtp.journal.models import TreatmentSession

    page.clock.install()
    page.goto("/routines/tennis-ball-trio/")
    tab_to(page, "Start this routine with the timer")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Before your session: a safety check")
    for _ in range(3):
        tab_to(page, "answer “No” to all", limit=60)
        page.keyboard.press("Space")
    tab_to(page, "Next: your session")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/session/$"))

    # Pain before: Tab into the scale, then arrows choose the number.
    tab_to(page, "0")
    for _ in range(7):
        press(page, "ArrowRight")
    expect(page.get_by_role("radio", name="7", exact=True)).to_be_checked()
    tab_to(page, "Start")
    page.keyboard.press("Enter")
    expect(page.locator("#stage-run")).to_be_visible()
    expect(page.locator("#run-title")).to_be_focused()
    first_step = page.locator("#run-title").inner_text()

    # Space pauses and resumes; the arrows skip forward and go back.
    page.keyboard.press("Space")
    expect(page.locator("#run-paused")).to_be_visible()
    page.keyboard.press("Space")
    expect(page.locator("#run-paused")).to_be_hidden()
    page.keyboard.press("ArrowRight")  # skips the time to get ready: the first hold
    expect(page.locator("#run-display")).to_have_attribute("data-phase", "work")
    expect(page.locator("#run-progress-label")).to_have_text("Step 1 of 3")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#run-progress-label")).to_have_text("Step 2 of 3")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#run-progress-label")).to_have_text("Step 1 of 3")
    expect(page.locator("#run-title")).to_have_text(first_step)

    # The "familiar pain?" question: reachable by Tab, answered with Space.
    advance_until(page, page.locator("#reproduce"), seconds=5)
    tab_to(page, "Yes")
    page.keyboard.press("Space")
    expect(page.locator("#reproduce").get_by_role("radio", name="Yes")).to_be_checked()
    # Space on a radio answers it; it does not pause the timer.
    expect(page.locator("#run-paused")).to_be_hidden()

    advance_until(page, page.locator("#stage-after"), seconds=10)
    expect(page.locator("#after-title")).to_be_focused()
    tab_to(page, "0")
    press(page, "ArrowRight")
    press(page, "ArrowRight")
    press(page, "ArrowRight")
    expect(page.locator("#stage-after").get_by_role("radio", name="3", exact=True)).to_be_checked()
    tab_to(page, "Note")
    page.keyboard.type("Easier to stand up.")
    tab_to(page, "Save")
    page.keyboard.press("Enter")
    expect(page.locator("#done-title")).to_be_focused()
    expect(page.locator("#done-title")).to_have_text("Session done")

    session = TreatmentSession.objects.get()
    assert (session.pain_before, session.pain_after) == (7, 3)
    assert session.note == "Easier to stand up."
    assert session.routine.slug == "tennis-ball-trio"
    assert session.steps.order_by("number").first().reproduced == "yes"


def settled(page: Page) -> None:
    """htmx has finished swapping and settling: a key pressed now acts on the new plan."""
    page.wait_for_function(  # a function, not an expression: the CSP forbids eval
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
        ".htmx-added')"
    )


def test_the_session_plan_by_keyboard_keeps_focus_on_the_step(page: Page, live_server) -> None:
    """Each change swaps the plan in place; focus follows the step that was changed."""
    make_plan(page, live_server, (TIMED, "right"), (COUNTED, "right"), ("ql-ball-wall", "left"))
    page.goto("/session/plan/")
    names = page.locator(".routine-step__title").all_inner_texts()
    first = names[0]

    steps = page.locator(".routine-step")
    tab_to(page, f"Move down: {first}")
    page.keyboard.press("Enter")
    expect(steps.nth(1).locator(".routine-step__title")).to_have_text(first)
    expect(steps.nth(1).get_by_role("button", name=re.compile("^Move down"))).to_be_focused()
    settled(page)
    page.keyboard.press("Enter")  # and again: now last, so only "Move up" is left
    expect(steps.nth(2).locator(".routine-step__title")).to_have_text(first)
    expect(steps.nth(2).get_by_role("button", name=re.compile("^Move up"))).to_be_focused()
    assert focused(page)["indicator"]
    settled(page)

    # A new time for that step: Save keeps focus on the step's Save.
    tab_to(page, "Seconds per", key="Shift+Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type("75")
    tab_to(page, "Save")
    page.keyboard.press("Enter")
    expect(steps.nth(2).locator(".dosage")).to_contain_text("1 min 15 s")
    expect(steps.nth(2).get_by_role("button", name=re.compile("^Save"))).to_be_focused()
    settled(page)

    # Removing the last step puts focus on the step before it, now the last.
    tab_to(page, "Remove")
    page.keyboard.press("Enter")
    expect(steps).to_have_count(2)
    expect(steps.nth(1).locator(".routine-step__title a")).to_be_focused()
    settled(page)
    tab_to(page, "Remove")
    page.keyboard.press("Enter")
    expect(steps).to_have_count(1)
    expect(steps.first.locator(".routine-step__title a")).to_be_focused()
    settled(page)
    tab_to(page, "Remove")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your plan is empty")).to_be_focused()


def _contrast(a: list[float], b: list[float]) -> float:
    def luminance(rgb: list[float]) -> float:
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


RING = """() => {
  const rgb = (value) => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const el = document.activeElement;
  return {ring: rgb(getComputedStyle(el).outlineColor),
          page: rgb(getComputedStyle(document.body).backgroundColor)};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_stands_out_from_the_page(page: Page, scheme: str) -> None:
    """WCAG 1.4.11: the focus indicator has 3:1 contrast with what surrounds it."""
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    press(page, "Tab")  # the skip link
    press(page, "Tab")  # the home link in the header
    colours = page.evaluate(RING)
    assert _contrast(colours["ring"], colours["page"]) >= 3, colours
