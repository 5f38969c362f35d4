"""One phone, two people: what the timer keeps on the device (sessions not yet sent, a
session in progress with its pain scores and note) belongs to whoever recorded it. It
is never sent into, shown to or resumed by the next person; logging out sends what it
can and asks before deleting the rest."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from backtp.journal.models import TreatmentSession
from tests.browser.test_timer import TIMED, make_plan, start
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

ANA_NOTE = "Ana's note: the left side is worse after the night shift."


def log_in(page: Page, username: str) -> None:
    """By username, as accounts made before sign-up asked for an email only still can."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def kept_on_device(page: Page) -> dict:
    """What the timer keeps in localStorage: the outbox and any session in progress."""
    items = page.evaluate("Object.fromEntries(Object.entries(localStorage))")
    return {
        "outbox": json.loads(items.get("backtp:outbox") or "[]"),
        "in_progress": [
            k for k in items if k.startswith("backtp:timer:") and k != "backtp:timer:muted"
        ],
    }


def save_offline(page: Page, live_server, note: str = ANA_NOTE) -> None:
    make_plan(page, live_server, (TIMED, "right"))
    start(page, pain=7)
    page.get_by_role("button", name="Skip").click()
    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_label("Note").fill(note)
    page.context.set_offline(True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved on this device")).to_be_visible()


@pytest.fixture
def ana(live_catalog):
    return UserFactory(username="ana")


@pytest.fixture
def bob(live_catalog):
    return UserFactory(username="bob")


def test_logging_out_sends_what_waits_then_clears_the_device(page: Page, live_server, ana):
    log_in(page, "ana")
    save_offline(page, live_server)
    assert len(kept_on_device(page)["outbox"]) == 1

    # Still offline: the log-out could not reach the server; she is told, nothing is lost.
    messages: list[str] = []

    def read_and_close(dialog) -> None:
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", read_and_close)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log out")).to_be_enabled()
    assert messages == [
        "You seem to be offline. Log out when you are back online: your sessions saved on "
        "this device will be sent to your journal first."
    ]
    assert len(kept_on_device(page)["outbox"]) == 1

    # Back online, logging out sends it into her journal first, then leaves nothing behind.
    page.context.set_offline(False)
    log_out(page)
    assert TreatmentSession.objects.get().user == ana
    assert TreatmentSession.objects.get().note == ANA_NOTE
    assert kept_on_device(page) == {"outbox": [], "in_progress": []}


def test_a_session_the_server_cannot_take_is_deleted_only_if_she_says_so(
    page: Page, live_server, ana
) -> None:
    log_in(page, "ana")
    save_offline(page, live_server)
    page.route("**/session/log/", lambda route: route.fulfill(status=503, body="Busy"))
    page.context.set_offline(False)

    questions: list[str] = []

    def cancel(dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log out")).to_be_enabled()
    assert questions and questions[0].startswith("1 session you saved on this device could not")
    assert len(kept_on_device(page)["outbox"]) == 1  # Cancel: kept, still logged in

    page.once("dialog", lambda dialog: dialog.accept())
    log_out(page)
    assert kept_on_device(page) == {"outbox": [], "in_progress": []}
    assert not TreatmentSession.objects.exists()
    page.js_errors.clear()  # the refused sends were asked for


def test_the_next_person_never_gets_the_last_ones_session(page: Page, live_server, ana, bob):
    log_in(page, "ana")
    make_plan(page, live_server, (TIMED, "right"))
    # A session left half done, with pain scores and a note in it.
    start(page, pain=8)
    page.get_by_role("button", name="Skip").click()
    page.get_by_label("Note").fill(ANA_NOTE)
    assert kept_on_device(page)["in_progress"]
    log_out(page)
    assert kept_on_device(page) == {"outbox": [], "in_progress": []}

    log_in(page, "bob")
    make_plan(page, live_server, (TIMED, "right"))  # the same plan as hers
    page.goto("/session/")
    expect(page.locator("#stage-before")).to_be_visible()  # a fresh start, not Ana's
    expect(page.locator("#note")).to_have_value("")
    page.goto("/journal/")
    expect(page.get_by_text("No sessions yet")).to_be_visible()
    assert not TreatmentSession.objects.exists()


def test_without_logging_out_the_next_person_cannot_send_it_and_the_owner_still_can(
    page: Page, live_server, ana, bob
) -> None:
    """Ana's log-in ends without the log-out button (her cookies are cleared, or it
    expired): the timer keeps her session for her, whoever uses the phone next."""
    log_in(page, "ana")
    save_offline(page, live_server)
    page.context.clear_cookies()
    with page.expect_response("**/session/log/") as refusal:
        page.context.set_offline(False)  # her timer page tries again, now without her cookies
    assert refusal.value.status == 403
    assert not TreatmentSession.objects.exists()
    page.js_errors.clear()  # the server's 403: "recorded by someone else"

    log_in(page, "bob")
    make_plan(page, live_server, (TIMED, "left"))
    page.goto("/session/")
    expect(page.locator("#stage-before")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert not TreatmentSession.objects.exists()  # not sent as Bob's
    assert ANA_NOTE not in page.content()
    assert len(kept_on_device(page)["outbox"]) == 1  # still there, for Ana
    log_out(page)

    log_in(page, "ana")
    page.goto("/session/")  # her timer page sends it
    expect(page.get_by_text(re.compile("has now been sent"))).to_be_visible()
    session = TreatmentSession.objects.get()
    assert session.user == ana and session.note == ANA_NOTE
