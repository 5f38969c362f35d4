"""'Where does it hurt?' with a thumb (issue 15, item 4): at 390 px every region of the
body map is a target of at least 24 x 24 CSS px (WCAG 2.5.8), a tap picks it, a picked
region stands out from an unpicked one (contrast at least 3:1 in light and dark, and
stripes as a cue that is not colour), and the page does not scroll sideways.
Only the body-map step's figure grows: the muscle pages keep the small one.
axe on the same step: test_accessibility.py."""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from backtp.catalog.bodymap import REGION_NAMES, REGION_SLUGS
from tests.browser.test_guide import answer_no_to_everything

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BACKTP_SCREENSHOTS")
MIN_TARGET = 24  # CSS px, WCAG 2.2 success criterion 2.5.8 (minimum)
PICKED = ("left-low-back", "lumbar-spine", "right-upper-buttock")

# WCAG relative luminance and contrast ratio of two "rgb(r, g, b)" colours.
CONTRAST = """([a, b]) => {
  const lum = (css) => {
    const [r, g, bl] = css.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}"""


def open_body_map(page: Page) -> None:
    page.goto("/where-does-it-hurt/safety/")
    answer_no_to_everything(page)
    page.get_by_role("button", name="Next: where it hurts").click()
    expect(page).to_have_url(re.compile(r"/body-map/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Where does it hurt?")


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> str:
    return request.param


def new_page(browser: Browser, live_server, width: int, scheme: str) -> Page:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 844 if width < 600 else 900},
        color_scheme=scheme,
        has_touch=width < 600,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return page


@pytest.fixture
def thumb_page(browser: Browser, live_server, live_catalog, scheme: str) -> Iterator[Page]:
    """A 390 px wide touch screen in the light or the dark scheme."""
    page = new_page(browser, live_server, 390, scheme)
    yield page
    page.context.close()
    assert not page.js_errors, page.js_errors


def fill_of(page: Page, selector: str) -> str:
    return page.locator(selector).evaluate("(el) => getComputedStyle(el).fill")


def paint_colour(page: Page, fill: str) -> str:
    """The colour a fill paints: for a pattern, the colour of its base rectangle."""
    match = re.match(r'url\("?#([\w-]+)"?\)', fill)
    if not match:
        return fill
    return fill_of(page, f"#{match.group(1)} .bodymap-paint__base")


def contrast(page: Page, a: str, b: str) -> float:
    return page.evaluate(CONTRAST, [a, b])


def test_every_region_is_a_big_enough_target_and_a_tap_picks_it(thumb_page: Page) -> None:
    page = thumb_page
    open_body_map(page)
    too_small = []
    for slug in REGION_SLUGS:
        box = page.locator(f"#map-{slug}").bounding_box()
        assert box is not None, slug
        if box["width"] < MIN_TARGET or box["height"] < MIN_TARGET:
            too_small.append(f"{slug}: {box['width']:.1f} x {box['height']:.1f}")
    assert not too_small, f"targets under {MIN_TARGET} x {MIN_TARGET} px: {too_small}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A tap on each region ticks its box in the list (the tap lands on the region itself:
    # Playwright checks that nothing covers the point it taps).
    for slug in REGION_SLUGS:
        page.locator(f"#map-{slug}").tap()
        expect(page.get_by_label(REGION_NAMES[slug], exact=True)).to_be_checked()
        expect(page.locator(f"#map-{slug}")).to_have_class(re.compile(r"\bis-marked\b"))
    # A second tap unpicks; the list stays the alternative way in.
    coccyx = page.get_by_label(REGION_NAMES["coccyx"], exact=True)
    page.locator("#map-coccyx").tap()
    expect(coccyx).not_to_be_checked()
    coccyx.check()
    expect(page.locator("#map-coccyx")).to_have_class(re.compile(r"\bis-marked\b"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_picked_regions_stand_out_without_relying_on_colour(thumb_page: Page, scheme: str) -> None:
    page = thumb_page
    open_body_map(page)
    for slug in PICKED:
        page.locator(f"#map-{slug}").tap()
    page.locator(f"label[for='worst-{PICKED[0]}']").click()
    expect(page.locator(f"#map-{PICKED[0]}")).to_have_class(re.compile(r"\bis-worst\b"))
    page.mouse.move(0, 0)  # no hover fill

    unpicked = fill_of(page, "#map-right-low-back")
    picked_fill = fill_of(page, f"#map-{PICKED[1]}")
    picked = paint_colour(page, picked_fill)
    ratio = contrast(page, picked, unpicked)
    assert ratio >= 3, f"{scheme}: picked {picked} on unpicked {unpicked} is only {ratio:.2f}:1"

    # The cue that is not colour: the picked fill is a striped pattern whose stripes
    # show on its base, and the worst region has its own (cross-hatched) pattern and a
    # different outline.
    assert picked_fill.startswith('url("#bm-picked")'), picked_fill
    stripe = fill_of(page, "#bm-picked .bodymap-paint__stripe")
    assert contrast(page, stripe, picked) >= 3, f"{scheme}: stripes {stripe} on {picked}"
    worst_fill = fill_of(page, f"#map-{PICKED[0]}")
    assert worst_fill.startswith('url("#bm-picked-worst")'), worst_fill
    stroke = "(el) => getComputedStyle(el).stroke"
    assert page.locator(f"#map-{PICKED[0]}").evaluate(stroke) != page.locator(
        f"#map-{PICKED[1]}"
    ).evaluate(stroke)
    # The unpicked neighbour is a plain fill.
    assert not unpicked.startswith("url("), unpicked

    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/body-map-picked-390-{scheme}.png", full_page=True)


def test_only_the_body_map_step_has_the_big_figure(
    browser: Browser, live_server, live_catalog
) -> None:
    page = new_page(browser, live_server, 390, "light")
    page.goto("/muscles/quadratus-lumborum/")
    svg = page.locator(".bodymap svg").first
    box = svg.bounding_box()
    assert box is not None
    # The small map: both views side by side, in its 420 x 488 proportion.
    assert box["height"] / box["width"] == pytest.approx(488 / 420, rel=0.02)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_of_the_step(
    browser: Browser, live_server, live_catalog, scheme: str, width: int
) -> None:
    """Empty, then three regions picked with one the worst; saved with BACKTP_SCREENSHOTS."""
    page = new_page(browser, live_server, width, scheme)
    open_body_map(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/body-map-empty-{width}-{scheme}.png", full_page=True)
    for slug in PICKED:
        page.locator(f"#map-{slug}").click()
        expect(page.get_by_label(REGION_NAMES[slug], exact=True)).to_be_checked()
    page.locator(f"label[for='worst-{PICKED[0]}']").click()
    expect(page.locator(f"#map-{PICKED[0]}")).to_have_class(re.compile(r"\bis-worst\b"))
    page.mouse.move(0, 0)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/body-map-picked-{width}-{scheme}.png", full_page=True)
    assert not page.js_errors
    page.context.close()
