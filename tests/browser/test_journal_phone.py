"""The journal on a phone (390 x 844): a session's page never scrolls sideways, and the
progress chart opens on the newest sessions, with two sessions of one day told apart.

BACKTP_SCREENSHOTS=dir saves each page at 390 and 1280 px, light and dark."""

import os
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest
from django.conf import settings
from django.db.models.functions import Length
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from backtp.accounts.models import User
from backtp.catalog.models import Routine, Technique
from backtp.journal.models import TreatmentSession
from backtp.journal.services import StepLog, treatment_session_save
from tests.conftest import _new_page

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("BACKTP_SCREENSHOTS")
NOTE = (
    "Standing up from the sofa was easier afterwards, the ache moved from the right flank "
    "to the buttock and faded by the evening. Physiotherapist's handout: "
    "https://example.org/handouts/low-back/quadratus-lumborum-self-release-instructions.pdf "
    "Pressure-sensitive-spot-just-above-the-hip-bone-on-the-right-side kept coming back.\n"
    "Will try the ball against the wall again tomorrow morning before work."
)


def logged_in_page(
    browser: Browser,
    live_server: LiveServer,
    user: User,
    width: int,
    height: int,
    scheme: Literal["light", "dark"] = "light",
) -> tuple[BrowserContext, Page]:
    client = Client()
    client.force_login(user)
    context, page = _new_page(browser, live_server, width, height)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.emulate_media(color_scheme=scheme)
    return context, page


def session_at(
    user: User,
    started_at: datetime,
    before: int,
    after: int,
    *,
    note: str = "",
    steps: Sequence[StepLog] = (),
) -> TreatmentSession:
    session, _ = treatment_session_save(
        id=uuid.uuid4(),
        user=user,
        routine=None,
        started_at=started_at,
        finished_at=started_at + timedelta(minutes=8),
        pain_before=before,
        pain_after=after,
        note=note,
        steps=list(steps),
    )
    return session


def long_session(user: User) -> TreatmentSession:
    """A session with a long note, many steps and the catalogue's longest technique names."""
    longest = list(Technique.objects.order_by(Length("name").desc())[:6])
    steps = [
        StepLog(technique, side, 180, done, done == 180, reproduced)
        for technique in longest
        for side, done, reproduced in (("left", 180, "yes"), ("right", 42, "unsure"))
    ]
    session = session_at(user, timezone.now() - timedelta(hours=2), 7, 3, note=NOTE, steps=steps)
    session.routine = Routine.objects.order_by(Length("name").desc()).first()
    session.save(update_fields=["routine"])
    return session


def many_sessions(user: User, count: int = 40, days: int = 20) -> list[TreatmentSession]:
    """count sessions over the last `days` days, two on the last one (the newest last)."""
    today = timezone.localtime().replace(hour=8, minute=5, second=0, microsecond=0)
    sessions = []
    for n in range(count - 2):
        day = today - timedelta(days=days - 1 - n * (days - 1) // (count - 2))
        started = day + timedelta(hours=n % 2 * 10)
        sessions.append(session_at(user, started, 4 + n % 5, 2 + n % 3))
    for hours, (before, after) in ((0, (6, 4)), (9, (5, 1))):
        sessions.append(session_at(user, today + timedelta(hours=hours), before, after))
    return sessions


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_long_session_does_not_scroll_sideways_on_a_phone(
    browser: Browser, live_server: LiveServer, live_catalog: None, person: User
) -> None:
    session = long_session(person)
    context, page = logged_in_page(browser, live_server, person, 390, 844)
    assert page.goto(f"/journal/{session.pk}/").status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Session of")
    shoot(page, "session-detail-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the session page is {width}px wide on a 390px screen"
    # Every step still shows what it was, and the note is all there.
    steps = page.locator(".log-table tbody tr")
    expect(steps).to_have_count(12)
    expect(steps.first).to_contain_text("Familiar pain: Yes", use_inner_text=True)
    expect(page.locator(".note")).to_contain_text("quadratus-lumborum-self-release")
    context.close()
    assert not page.js_errors, page.js_errors


def test_the_progress_chart_opens_on_the_newest_sessions_on_a_phone(
    browser: Browser, live_server: LiveServer, live_catalog: None, person: User
) -> None:
    sessions = many_sessions(person)
    context, page = logged_in_page(browser, live_server, person, 390, 844)
    assert page.goto("/journal/progress/").status == 200
    shoot(page, "progress-40-390")
    viewport = page.viewport_size
    assert viewport is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("[window.scrollX, window.scrollY]") == [0, 0]
    dots = page.locator(".pain-chart svg:visible .dot--after")
    expect(dots).to_have_count(40)
    newest, same_day = dots.nth(39).bounding_box(), dots.nth(38).bounding_box()
    assert newest and same_day
    centre = newest["x"] + newest["width"] / 2
    assert 0 <= centre <= viewport["width"], f"the newest session is at x={centre:.0f}px"
    assert 0 <= newest["y"] <= viewport["height"]
    # Two sessions on one day: side by side, each with its own label naming its time.
    assert newest["x"] - same_day["x"] >= 8
    labels = page.locator(".pain-chart svg:visible .tick--x")
    texts = [" ".join(t.split()) for t in labels.all_text_contents()]
    first, last = (f"{sessions[n].started_at:%H:%M}" for n in (38, 39))
    assert any(first in text for text in texts) and any(last in text for text in texts), texts
    newest_label = labels.last.bounding_box()
    assert newest_label and newest_label["x"] + newest_label["width"] <= viewport["width"]
    context.close()
    assert not page.js_errors, page.js_errors


@pytest.mark.parametrize("count", [1, 2, 30, 300])
def test_the_progress_page_fits_a_phone_whatever_the_history(
    browser: Browser, live_server: LiveServer, live_catalog: None, person: User, count: int
) -> None:
    now = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    for n in range(count):
        # Two a day, the last two on the same day.
        session_at(person, now - timedelta(hours=9 * (n % 2) + 24 * (n // 2)), 6, 6 - n % 4)
    for width, height in ((390, 844), (1280, 900)):
        for scheme in ("light", "dark") if count in (2, 300) else ("light",):
            context, page = logged_in_page(browser, live_server, person, width, height, scheme)
            assert page.goto("/journal/progress/").status == 200
            shoot(page, f"progress-{count}-{width}-{scheme}")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            newest = page.locator(".pain-chart svg:visible .dot--before").last.bounding_box()
            assert newest and 0 <= newest["x"] <= width, (width, newest)
            context.close()
            assert not page.js_errors, page.js_errors


def test_journal_pages_at_both_widths_and_schemes(
    browser: Browser, live_server: LiveServer, live_catalog: None, person: User
) -> None:
    """Screenshots of realistic pages (with BACKTP_SCREENSHOTS); none scrolls sideways."""
    many_sessions(person, count=30, days=16)
    session = long_session(person)
    for width, height in ((390, 844), (1280, 900)):
        for scheme in ("light", "dark"):
            context, page = logged_in_page(browser, live_server, person, width, height, scheme)
            for name, url in (
                ("journal", "/journal/"),
                ("progress", "/journal/progress/"),
                ("session", f"/journal/{session.pk}/"),
                ("summary", "/journal/summary/"),
            ):
                assert page.goto(url).status == 200
                shoot(page, f"{name}-{width}-{scheme}")
                assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            context.close()
            assert not page.js_errors, page.js_errors
