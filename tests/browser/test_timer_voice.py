"""The timer's voice in Chromium, observed at the browser API: an init script replaces
speechSynthesis.speak with a recorder of each utterance's text, language, rate and volume,
and page.clock runs the session second by second."""

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_timer import COUNTED, MOVE, TIMED, make_plan, plan_json

pytestmark = pytest.mark.browser

RECORD_SPEECH = """
window.spoken = [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (u) => window.spoken.push(
    {text: u.text, lang: u.lang, rate: u.rate, volume: u.volume});
  window.speechSynthesis.cancel = () => {};
}
"""


def spoken(page: Page) -> list[dict]:
    return page.evaluate("window.spoken")


def texts(page: Page) -> list[str]:
    return [u["text"] for u in spoken(page)]


def begin(page: Page, live_server, *steps: tuple[str, str]) -> dict:
    make_plan(page, live_server, *steps)
    page.add_init_script(RECORD_SPEECH)
    page.clock.install()
    page.goto("/session/")
    page.get_by_role("radio", name="5", exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#stage-run")).to_be_visible()
    return plan_json(page)


def test_the_voice_guides_a_two_sided_step_then_a_counted_one(page: Page, live_server) -> None:
    plan = begin(page, live_server, (TIMED, "both"), (COUNTED, "right"))
    timed, counted = plan["steps"]
    work = timed["duration_seconds"]
    # Getting ready: the step's muscle, side and position, then 3, 2, 1.
    page.clock.run_for((MOVE - 0.5) * 1000)
    ready = (
        "Get ready. Quadratus lumborum, lying on your right side, propped on your forearm, "
        "a tennis ball under the side of the waist, between the lowest rib and the hip bone."
    )
    assert texts(page) == [ready, "3", "2", "1"]
    assert {(u["lang"], u["rate"], u["volume"]) for u in spoken(page)} == {("en", 1, 1)}
    # Nothing the voice says goes into the live region as well.
    assert page.locator("#announce").text_content() == ""

    page.clock.run_for(1000)
    assert texts(page)[-1] == "Press. Roll slowly up and down."
    page.clock.run_for(work * 1000)  # the right side, into the switch
    assert texts(page)[-1] == "Switch to your left side."
    assert page.locator("#announce").text_content() == ""

    # The rest of the session, to the question at the end.
    holds, hold = counted["repetitions"], counted["hold_seconds"]
    page.clock.run_for((MOVE + work + max(timed["rest_seconds"], MOVE) + holds * (hold + 5)) * 1000)
    expect(page.locator("#stage-after")).to_be_visible()

    countdown = ["3", "2", "1"]
    side = ["Press. Roll slowly up and down.", f"Half-way. {work // 2} seconds left."]
    side += ["10 seconds left.", *countdown]
    counted_holds = []
    for number in range(1, holds + 1):
        if number > 1:
            counted_holds += ["Let go and breathe.", *countdown]
        counted_holds += [f"Press and hold. Hold {number} of {holds}.", *countdown]
    assert texts(page) == [
        ready,
        *countdown,
        *side,
        "Switch to your left side.",
        *countdown,
        *side,
        "Rest. Next: Gluteus medius, right side. Standing, the knuckles of both fists on the"
        " top of the buttock, under the hip-bone crest beside the sacrum, one on each side.",
        *countdown,
        *counted_holds,
        "Well done. How is your pain now, from 0 to 10?",
    ]
    assert {(u["lang"], u["rate"], u["volume"]) for u in spoken(page)} == {("en", 1, 1)}
    assert page.locator("#announce").text_content() == ""


def test_voice_settings_are_kept_and_mute_silences_the_voice(page: Page, live_server) -> None:
    begin(page, live_server, (TIMED, "right"))
    page.get_by_text("Voice", exact=True).click()
    page.get_by_label("Speed").fill("1.4")
    page.get_by_label("Volume").fill("0.5")
    assert texts(page)[-1] == "Voice on."
    assert spoken(page)[-1]["rate"] == pytest.approx(1.4)
    assert spoken(page)[-1]["volume"] == pytest.approx(0.5)
    stored = json.loads(page.evaluate("localStorage.getItem('backtp:timer:voice')"))
    assert stored == {"on": True, "rate": 1.4, "volume": 0.5}

    # Mute: no more words (and no more tones).
    page.get_by_role("button", name="Mute").click()
    before = len(spoken(page))
    page.clock.run_for(30_000)
    assert len(spoken(page)) == before
    page.get_by_role("button", name="Mute").click()
    # Long enough to reach the next cue (half-way, or else "10 seconds left") however much
    # real time the browser took before: page.clock lets real time run between calls.
    page.clock.run_for(20_000)
    assert len(spoken(page)) > before

    # Voice off: the live region says the steps instead, and nothing is spoken.
    page.get_by_label("Speak the steps aloud").uncheck()
    before = len(spoken(page))
    page.get_by_role("button", name="Back").click()
    expect(page.locator("#announce")).to_contain_text("Get ready")
    page.clock.run_for(15_000)
    assert len(spoken(page)) == before

    page.reload()
    page.get_by_text("Voice", exact=True).click()
    expect(page.get_by_label("Speak the steps aloud")).not_to_be_checked()
    expect(page.get_by_label("Speed")).to_have_value("1.4")
