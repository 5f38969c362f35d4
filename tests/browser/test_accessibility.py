"""axe-core (WCAG 2.2 A and AA rules) on every page and on the states a person reaches:
each questionnaire step, the stop page, the timer, the journal, forms with errors.

One browser context per colour scheme and width; every page is audited in it and all
violations are reported together, each with its rule, impact, help text and the CSS
selectors of the failing elements.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.test_layout import PAGES, _technique_slug
from tests.browser.test_timer import TIMED, advance_until, make_plan
from tests.conftest import _new_page
from tests.factories import PASSWORD, UserFactory
from tests.journal.test_journal import log_session

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}
SCHEMES = ("light", "dark")
WIDTHS = {390: 844, 1280: 900}
AXE = Axe()
SHOTS = os.environ.get("BACKTP_SCREENSHOTS")
BROKEN_ID_REFERENCES = """() => {
  const attrs = ["aria-describedby", "aria-labelledby", "aria-controls", "aria-errormessage",
                 "for"];
  const broken = [];
  for (const attr of attrs) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) broken.push(`${el.tagName.toLowerCase()}[${attr}=${id}]`);
      }
    }
  }
  return broken;
}"""


class Audit:
    """Runs axe on the page as it is now and collects readable violations."""

    def __init__(self, page: Page, scheme: str) -> None:
        self.page = page
        self.scheme = scheme
        self.failures: list[str] = []
        self.audited: list[str] = []

    def __call__(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state()
        # Colours mid-transition would make the contrast check depend on timing.
        page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
        results = AXE.run(page, options=AXE_OPTIONS)
        self.audited.append(name)
        # axe only calls these "incomplete": an aria-describedby naming a missing id
        # silently drops the help text or error a screen reader should read out.
        for broken in page.evaluate(BROKEN_ID_REFERENCES):
            self.failures.append(f"{name} ({page.url}): broken id reference: {broken}")
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            width = page.viewport_size["width"]
            page.screenshot(path=f"{SHOTS}/a11y-{name}-{width}-{self.scheme}.png", full_page=True)
        for violation in results.response["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            shown = "; ".join(targets[:8]) + (
                f"; … {len(targets) - 8} more" if len(targets) > 8 else ""
            )
            self.failures.append(
                f"{name} ({page.url}): {violation['id']} [{violation['impact']}] "
                f"{violation['help']}: {shown}"
            )

    def goto(self, name: str, url: str, status: int = 200) -> None:
        response = self.page.goto(url)
        assert response.status == status, f"{name}: {url} answered {response.status}"
        self(name)


def _catalog_pages(audit: Audit) -> None:
    for name, url in PAGES.items():
        audit.goto(
            name, url.format(technique=_technique_slug()), 404 if name == "not-found" else 200
        )


def _forms_with_errors(audit: Audit) -> None:
    page = audit.page
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit("login-error")

    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("ana@example.com")  # taken: it signs up like any other
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator(".field-error").first).to_be_visible()
    audit("signup-error")


def _questionnaire(audit: Audit) -> str:
    page = audit.page
    page.goto("/where-does-it-hurt/safety/")
    page.get_by_role("button", name="Next: where it hurts").click()
    expect(page.get_by_role("alert")).to_contain_text("Please answer every question")
    expect(page.locator("#q-saddle-numbness")).to_have_accessible_description(re.compile(r"\w"))
    audit("safety-unanswered")
    # The 400 that carried those errors was asked for; anything else still fails the test.
    page.js_errors[:] = [e for e in page.js_errors if not re.match(r"400 for .*/safety/$", e)]
    for box in page.get_by_role("checkbox", name=re.compile("answer “No” to all")).all():
        box.check()
    page.get_by_role("button", name="Next: where it hurts").click()
    expect(page).to_have_url(re.compile(r"/body-map/$"))
    audit("body-map-empty")
    page.get_by_label("Right outer hip", exact=True).check()
    page.get_by_label("Right lower buttock", exact=True).check()
    page.get_by_label("How bad is your right outer hip, 0 to 10").select_option("7")
    page.locator("label[for='worst-right-lateral-hip']").click()
    audit("body-map-marked")
    page.get_by_role("button", name="Next: how it feels").click()
    expect(page).to_have_url(re.compile(r"/how-it-feels/$"))
    page.get_by_label("A dull, deep ache").check()
    audit("how-it-feels")
    page.get_by_role("button", name="Next: what you have").click()
    expect(page).to_have_url(re.compile(r"/what-you-have/$"))
    audit("what-you-have")
    page.get_by_label("Tennis ball").check()
    page.get_by_label("Leaning on a wall").check()
    page.get_by_role("button", name="See my suggestions").click()
    expect(page).to_have_url(re.compile(r"/results/"))
    page.locator(".more-techniques summary").first.click()  # open details are audited too
    audit("results")
    return page.url


def _plan_and_timer(audit: Audit, results_url: str) -> None:
    page = audit.page
    audit.goto("timer-empty-plan", "/session/")
    audit.goto("plan-empty", "/session/plan/")
    page.goto(results_url)
    page.get_by_role("button", name="Start a session with the top suggestions").click()
    expect(page).to_have_url(re.compile(r"/session/plan/$"))
    audit("plan")

    page.clock.install()
    page.goto("/session/")
    audit("timer-not-started")
    scale = page.locator("#stage-before .pain-scale")
    # The scale's two ends are read with the question (they are not more answers).
    ends = "0: no pain 10: the worst imaginable"
    expect(scale).to_have_accessible_description(ends)
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#before-error")).to_be_visible()
    # The error is read out with the question it belongs to.
    expect(scale).to_have_accessible_description(f"Choose a number from 0 to 10 first. {ends}")
    audit("timer-pain-missing")
    page.get_by_role("radio", name="6", exact=True).check()
    page.get_by_role("button", name="Start").click()
    page.clock.fast_forward(2000)
    audit("timer-running")
    page.get_by_role("button", name="Pause").click()
    audit("timer-paused")
    page.get_by_role("button", name="Resume").click()
    advance_until(page, page.locator("#reproduce"), seconds=5)
    audit("timer-familiar-pain")
    page.get_by_role("radio", name="Yes").check()
    advance_until(page, page.locator("#stage-after"), seconds=10)
    audit("timer-finish")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#after-error")).to_be_visible()
    page.locator("#stage-after").get_by_role("radio", name="3", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session done")
    audit("timer-saved")


def _stop_page(audit: Audit) -> None:
    page = audit.page
    page.goto("/where-does-it-hurt/safety/")
    for box in page.get_by_role("checkbox", name=re.compile("answer “No” to all")).all():
        box.check()
    page.locator("#q-saddle-numbness").get_by_label("Yes").check()
    page.get_by_role("button", name="Next: where it hurts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get medical help now")
    audit("stop")


def _logged_in(audit: Audit, user) -> None:
    page = audit.page
    sessions = [
        log_session(user, before=before, after=after, days_ago=days * 1.3)
        for days, (before, after) in enumerate([(7, 4), (6, 4), (6, 5), (5, 3), (5, 2)])
    ]
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    audit.goto("journal", "/journal/")
    audit.goto("journal-entry", f"/journal/{sessions[0].pk}/")
    audit.goto("progress", "/journal/progress/")
    page.locator(".chart-table summary").click()
    audit("progress-table")
    audit.goto("summary", "/journal/summary/")
    audit.goto("settings", "/accounts/settings/")
    audit.goto("reminders", "/accounts/settings/reminders/")
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Save times").click()
    expect(page.locator(".field-error").first).to_be_visible()
    audit("reminders-error")
    audit.goto("delete-account", "/accounts/delete/")
    audit.goto("password-change", "/accounts/password/change/")
    page.get_by_label("Old password").fill("not the password")
    page.get_by_label("New password", exact=True).fill("plum-kettle-orbit-42")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".field-error").first).to_be_visible()
    audit("password-change-error")


def _error_pages(audit: Audit, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages shown when the database is down (503) and when a bug strikes (500)."""
    from django.db import OperationalError, ProgrammingError
    from django.db.backends.utils import CursorWrapper

    for name, error, status in [
        ("outage", OperationalError("the database is down"), 503),
        ("server-error", ProgrammingError("a bug"), 500),
    ]:

        def fail(*args: object, error: Exception = error, **kwargs: object) -> None:
            raise error

        monkeypatch.setattr(CursorWrapper, "execute", fail)
        audit.goto(name, "/muscles/iliopsoas/", status)
        monkeypatch.undo()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_passes_axe(
    browser,
    live_server,
    live_catalog,
    monkeypatch: pytest.MonkeyPatch,
    scheme: str,
    width: int,
) -> None:
    user = UserFactory(username="ana", email="ana@example.com")  # the sign-up form's "taken"
    context, page = _new_page(browser, live_server, width, WIDTHS[width])
    page.emulate_media(color_scheme=scheme)
    audit = Audit(page, scheme)
    try:
        _catalog_pages(audit)
        _forms_with_errors(audit)
        _plan_and_timer(audit, _questionnaire(audit))
        _stop_page(audit)
        _logged_in(audit, user)
        _error_pages(audit, monkeypatch)
    finally:
        context.close()
    assert not page.js_errors, f"JavaScript errors or CSP violations: {page.js_errors}"
    assert not audit.failures, (
        f"{len(audit.failures)} accessibility failures ({scheme}, {width}px):\n"
        + "\n".join(audit.failures)
    )
    assert len(audit.audited) == len(PAGES) + 32, audit.audited


# Every element (and its ::before and ::after) whose computed style still
# transitions or animates, and smooth scrolling on the page.
MOVING = """() => {
  const moving = [];
  const runs = (value) => value.split(",").some((part) => parseFloat(part) > 0);
  const name = (el) => el.id ? `#${el.id}` : [el.tagName.toLowerCase(), ...el.classList].join(".");
  for (const el of document.querySelectorAll("*")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      const animated = style.animationName !== "none" && runs(style.animationDuration);
      if (runs(style.transitionDuration) || animated) moving.push(name(el) + (pseudo || ""));
    }
  }
  if (getComputedStyle(document.documentElement).scrollBehavior !== "auto") {
    moving.push("html: smooth scrolling");
  }
  return [...new Set(moving)];
}"""


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_reduced_motion_stops_every_transition(page: Page, live_server, motion: str) -> None:
    page.emulate_media(reduced_motion=motion)
    make_plan(page, live_server, (TIMED, "right"))
    moving = {}
    page.goto("/muscles/quadratus-lumborum/")
    moving["body map"] = page.evaluate(MOVING)
    page.goto("/search/?q=hip")
    page.locator("#results").evaluate("el => el.classList.add('htmx-request')")  # loading
    moving["search"] = page.evaluate(MOVING)
    page.clock.install()
    page.goto("/session/")
    page.get_by_role("radio", name="5", exact=True).check()
    page.get_by_role("button", name="Start").click()
    page.clock.fast_forward(3000)
    moving["timer"] = page.evaluate(MOVING)

    if motion == "reduce":
        assert moving == {"body map": [], "search": [], "timer": []}
    else:
        # The same probe sees the motion a person who has not asked to reduce it gets.
        assert moving["body map"], moving  # the map's regions fade their colour
        assert "#results" in moving["search"], moving
        assert "#run-display" in moving["timer"], moving


COLOURS = """() => {
  const style = (selector, property) => {
    const el = document.querySelector(selector);
    return el ? getComputedStyle(el)[property] : null;
  };
  return {
    page: style("body", "backgroundColor"),
    text: style("body", "color"),
    region: style(".bodymap .region:not(.zone-essential):not(.zone-spillover)", "fill"),
    skin: style(".bodymap__skin", "fill"),
    before: style(".pain-chart .line--before", "stroke"),
    grid: style(".pain-chart .grid", "stroke"),
  };
}"""


def _luminance(colour: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", colour)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_dark_screens_get_the_dark_theme(page: Page, person) -> None:
    """Pages, the body map and the progress chart follow prefers-color-scheme."""
    user = person
    for days in range(3):
        log_session(user, before=6, after=3, days_ago=days)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    seen = {}
    for url in ("/muscles/quadratus-lumborum/", "/journal/progress/"):
        page.goto(url)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
            colours = {k: v for k, v in page.evaluate(COLOURS).items() if v}
            seen.setdefault(scheme, {}).update(colours)
    light, dark = seen["light"], seen["dark"]
    assert _luminance(light["page"]) > 0.9 and _luminance(light["text"]) < 0.2, light
    assert _luminance(dark["page"]) < 0.1 and _luminance(dark["text"]) > 0.8, dark
    for part in ("region", "skin", "before", "grid"):
        assert light[part] != dark[part], f"{part} keeps its light colour on a dark screen"
    assert _luminance(dark["region"]) < _luminance(light["region"]), (light, dark)
    assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == "light dark"
