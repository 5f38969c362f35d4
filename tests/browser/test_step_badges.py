"""The numbered badges of step cards sit on the line of their card's heading (the
questionnaire's start page, the home page), on a phone and on a desktop."""

import pytest
from playwright.sync_api import Page

from tests.conftest import _new_page

pytestmark = pytest.mark.browser

# Each card's badge centre and its heading's first-line centre, in px from the top.
CENTRES = """() => [...document.querySelectorAll(".step-cards > li")].map((card) => {
  const badge = getComputedStyle(card, "::before");
  const heading = card.querySelector("h2, h3");
  const style = getComputedStyle(heading);
  const top = card.getBoundingClientRect().top;
  return {
    badge: top + parseFloat(badge.top) + parseFloat(badge.height) / 2,
    heading: heading.getBoundingClientRect().top + parseFloat(style.paddingTop)
      + parseFloat(style.lineHeight) / 2,
    text: heading.textContent,
  };
})"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("url", ["/where-does-it-hurt/", "/"])
def test_each_badge_is_centred_on_its_heading_line(
    browser, live_server, live_catalog, width: int, url: str
) -> None:
    context, page = _new_page(browser, live_server, width, 900)
    page.goto(url)
    cards = page.evaluate(CENTRES)
    context.close()
    assert len(cards) == (4 if "hurt" in url else 3)
    off = {card["text"]: round(card["badge"] - card["heading"], 1) for card in cards}
    assert all(abs(distance) <= 1 for distance in off.values()), off


def test_the_start_page_shows_its_four_steps_two_by_two_on_a_desktop(page: Page) -> None:
    page.goto("/where-does-it-hurt/")
    tops = page.evaluate(
        "[...document.querySelectorAll('.step-cards > li')]"
        ".map((card) => Math.round(card.getBoundingClientRect().top))"
    )
    assert tops[0] == tops[1] and tops[2] == tops[3] and tops[2] > tops[0]
