"""Every page fits a phone and a desktop; BACKTP_SCREENSHOTS=dir saves full-page PNGs
(light and dark)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.conftest import _new_page

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "muscles": "/muscles/",
    "muscles-filtered": "/muscles/?region=flank",
    "quadratus-lumborum": "/muscles/quadratus-lumborum/",
    "gluteus-medius": "/muscles/gluteus-medius/",
    "iliopsoas": "/muscles/iliopsoas/",
    "technique": "/techniques/{technique}/",
    "search": "/search/?q=hip",
    "routines": "/routines/",
    "routine": "/routines/three-step-programme/",
    "safety": "/safety/",
    "evidence": "/about-the-evidence/",
    "tips": "/tips/",
    "diagnoses": "/trigger-points-and-diagnoses/",
    "where-does-it-hurt-safety": "/where-does-it-hurt/safety/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password-reset": "/accounts/password/reset/",
    "sources": "/sources/",
    "where-does-it-hurt": "/where-does-it-hurt/",
    "not-found": "/muscles/nope/",
}
WIDTHS = {"phone": 390, "desktop": 1280}


def _technique_slug() -> str:
    from backtp.catalog.models import Technique

    return Technique.objects.filter(trigger_points__muscle__slug="gluteus-medius").first().slug


@pytest.mark.parametrize("device", WIDTHS)
def test_no_page_scrolls_sideways(browser, live_server, live_catalog, device: str) -> None:
    width = WIDTHS[device]
    context, page = _new_page(browser, live_server, width, 844 if width < 600 else 900)
    out = os.environ.get("BACKTP_SCREENSHOTS")
    overflowing, statuses = [], {}
    for name, url in PAGES.items():
        response = page.goto(url.format(technique=_technique_slug()))
        statuses[name] = response.status
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            overflowing.append(f"{name}: {scroll_width}px")
        if out:
            Path(out).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{out}/{name}-{width}.png", full_page=True)
            page.emulate_media(color_scheme="dark")
            # Let colours that fade (the body map's regions) finish changing.
            page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
            page.screenshot(path=f"{out}/{name}-{width}-dark.png", full_page=True)
            page.emulate_media(color_scheme="light")
    context.close()
    assert not page.js_errors, page.js_errors
    assert not overflowing, f"pages wider than {width}px: {overflowing}"
    expected = {name: 404 if name == "not-found" else 200 for name in PAGES}
    assert statuses == expected


def test_focus_is_visible_on_links(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
