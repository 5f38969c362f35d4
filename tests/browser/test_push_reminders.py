"""Push reminders in Chromium (issue 17): the reminders page fills in the browser's time
zone, asks for notifications only when the person taps "Remind me", sends the browser's
subscription to the server, lists the device as this one; the worker's reminder reaches
the push service encrypted for that subscription; the service worker shows it; and
"Stop on this device" ends it on both sides.

Chromium cannot register with its real push service (Firebase Cloud Messaging) from this
machine, which has no internet. So the one thing replaced is what PushManager.subscribe
returns: a subscription whose endpoint is the test's own push service
(tests/reminders/pushservice.py) and whose keys the test holds, as FCM would hand back.
Everything else is real: the page's script, the server, pywebpush's encryption and VAPID
signature over HTTP, decryption with the subscription's keys, and the service worker's
push handler (the decrypted message delivered to it over the DevTools protocol, as the
browser does when its push service hands one over)."""

import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from backtp.catalog.models import Technique
from backtp.journal.models import PlanStep
from backtp.reminders import services
from backtp.reminders.models import Device, Schedule
from tests.browser.test_shared_device import log_in
from tests.factories import UserFactory
from tests.reminders.conftest import PRIVATE_KEY, PUBLIC_KEY
from tests.reminders.pushservice import PushService

pytestmark = pytest.mark.browser

URL = "/accounts/settings/reminders/"
ASKED = "Number(sessionStorage.getItem('asked') || 0)"  # permission prompts so far

# Stands in for the browser's push service registration (see the module's docstring), and
# counts the permission prompts.
FAKE_PUSH = """
(() => {
  if (!window.PushManager || !/^https?:$/.test(location.protocol)) return;
  try { localStorage.length; } catch { return; } // a document without storage (opaque)
  const subscription = %s;
  const asked = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = () => {
    sessionStorage.setItem("asked", String(Number(sessionStorage.getItem("asked") || 0) + 1));
    return asked();
  };
  let active = null;
  const made = () => ({
    endpoint: subscription.endpoint,
    toJSON: () => ({ endpoint: subscription.endpoint, keys: subscription.keys }),
    unsubscribe: () => {
      active = null;
      localStorage.removeItem("fake-push");
      return Promise.resolve(true);
    },
  });
  PushManager.prototype.subscribe = function (options) {
    if (!options || !options.userVisibleOnly || !options.applicationServerKey) {
      return Promise.reject(new DOMException("bad options", "NotAllowedError"));
    }
    const key = Array.from(new Uint8Array(options.applicationServerKey));
    sessionStorage.setItem("server-key", JSON.stringify(key));
    active = made();
    return Promise.resolve(active);
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(active || (localStorage.getItem("fake-push") ? made() : null));
  };
  window.addEventListener("beforeunload", () => {
    if (active) localStorage.setItem("fake-push", "1"); else localStorage.removeItem("fake-push");
  });
})();
"""


@pytest.fixture
def push_service(settings) -> Iterator[PushService]:
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = PUBLIC_KEY, PRIVATE_KEY
    with PushService() as service:
        settings.PUSH_SERVICES = [rf"^{service.origin}/"]
        yield service


def wait_until(page: Page, script: str, timeout: float = 30) -> object:
    deadline = time.monotonic() + timeout
    while not (value := page.evaluate(script)):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        time.sleep(0.1)
    return value


def test_remind_me_on_this_device_then_stop(
    browser, live_server, live_catalog, push_service
) -> None:
    person = UserFactory(username="wombat-push")
    technique = Technique.objects.get(slug="ql-tennis-ball-side-lying")
    PlanStep.objects.create(
        user=person, position=1, technique=technique, side="both", duration_seconds=60
    )
    phone = push_service.browser("phone")
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        service_workers="allow",
        timezone_id="America/New_York",
    )
    context.grant_permissions(["notifications"], origin=live_server.url)
    subscription = {
        "endpoint": phone.endpoint,
        "keys": {"p256dh": phone.p256dh, "auth": phone.auth},
    }
    context.add_init_script(FAKE_PUSH % json.dumps(subscription))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        log_in(page, person.username)
        page.goto(URL)
        # The time zone comes from the browser; nothing is asked on load.
        expect(page.get_by_label("Time zone")).to_have_value("America/New_York")
        page.get_by_label("Short sessions a day").fill("3")
        page.get_by_role("button", name="Save times").click()
        expect(page.get_by_text("Your reminder times are saved.")).to_be_visible()
        assert page.evaluate(ASKED) == 0
        saved = Schedule.objects.get(user=person)
        assert saved.time_zone == "America/New_York"

        # The worker registers on load; "Remind me" asks once, then subscribes.
        wait_until(page, "() => navigator.serviceWorker.controller !== null")
        page.get_by_role("button", name="Remind me on this device").click()
        expect(page.get_by_text("(this device)")).to_be_visible(timeout=15000)
        assert page.evaluate(ASKED) == 1
        server_key = bytes(json.loads(page.evaluate("sessionStorage.getItem('server-key')")))
        assert server_key == _unb64(PUBLIC_KEY)
        [device] = Device.objects.filter(user=person)
        assert device.endpoint == phone.endpoint and device.name.startswith("Chrom")

        # Eight in the morning in New York: the worker sends it, the push service gets it.
        Schedule.objects.filter(pk=saved.pk).update(
            updated=datetime(2027, 1, 1, tzinfo=ZoneInfo("UTC"))
        )
        now = datetime(2027, 6, 7, 8, 0, 30, tzinfo=ZoneInfo("America/New_York"))
        queued: list[int] = []
        services.queue_due_reminders(now=now, enqueue=queued.append)
        for reminder_id in queued:
            services.send_reminder(reminder_id=reminder_id, now=now + timedelta(seconds=5))
        [message] = push_service.to(phone)
        payload = phone.decrypt(message)
        assert payload["body"] == (
            "Time for a two-minute release? Your plan: quadratus lumborum, both sides."
        )

        # The browser hands the decrypted message to the service worker, which shows it.
        # The registration is the one whose active worker controls this page (the
        # DevTools protocol may report other contexts' registrations for the same site).
        cdp = context.new_cdp_session(page)
        target_id = cdp.send("Target.getTargetInfo")["targetInfo"]["targetId"]
        versions: list[dict] = []
        cdp.on(
            "ServiceWorker.workerVersionUpdated", lambda event: versions.extend(event["versions"])
        )
        cdp.send("ServiceWorker.enable")
        deadline = time.monotonic() + 15
        while not (ours := _controlling(versions, target_id)):
            assert time.monotonic() < deadline, f"no worker controls the page: {versions}"
            page.wait_for_timeout(100)
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": live_server.url,
                "registrationId": ours["registrationId"],
                "data": json.dumps(payload),
            },
        )
        shown = wait_until(
            page,
            "() => navigator.serviceWorker.ready.then((r) => r.getNotifications())"
            ".then((list) => list.map((n) =>"
            " ({title: n.title, body: n.body, url: n.data && n.data.url})))"
            ".then((list) => list.length ? list : null)",
        )
        assert shown == [{"title": "backtp", "body": payload["body"], "url": "/session/plan/"}]

        # Stop on this device: gone on the server and in the browser.
        page.get_by_role("button", name="Stop on this device").click()
        expect(page.get_by_text("No more reminders on")).to_be_visible()
        assert not Device.objects.filter(user=person).exists()
        assert page.evaluate("localStorage.getItem('fake-push')") is None
        assert not errors, errors
    finally:
        context.close()


def _controlling(versions: list[dict], target_id: str) -> dict | None:
    """The activated worker version that controls the page `target_id`, if reported."""
    found = [
        version
        for version in versions
        if version.get("status") == "activated"
        and target_id in version.get("controlledClients", [])
    ]
    return found[-1] if found else None


def _unb64(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
