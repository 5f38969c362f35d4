"""Installable and offline (issue 16, items 4 and 5): the web app manifest, the service
worker's script and what it keeps, the offline page and the icons."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

from backtp.catalog.models import Muscle, Routine, Technique
from backtp.pages.icons import ICONS, png_size

MANIFEST = "/manifest.webmanifest"
WORKER = "/sw.js"


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def worker_config(client: Client) -> dict:
    """What /sw.js hands the worker: the JSON object it assigns to self.BACKTP_SW."""
    text = client.get(WORKER).content.decode()
    return json.loads(re.search(r"self\.BACKTP_SW = (\{.*?\n\});", text, re.S).group(1))


# The manifest ---------------------------------------------------------------------------


def test_every_page_links_the_manifest_and_the_theme_colours(catalog, client: Client) -> None:
    for url in ("/", "/muscles/", "/session/", "/offline/"):
        html = client.get(url).content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html, url
        themes = re.findall(
            r'<meta name="theme-color" content="(#[0-9a-f]{6})" media="([^"]+)"', html
        )
        assert [media for _, media in themes] == [
            "(prefers-color-scheme: light)",
            "(prefers-color-scheme: dark)",
        ], url
        assert re.search(
            r'<script type="module" src="/static/js/sw-register\.[0-9a-f]{12}\.js">', html
        )


def test_the_manifest_is_served_as_a_manifest_and_may_be_cached(catalog, client: Client) -> None:
    response = client.get(MANIFEST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert {"public", "max-age=300"} <= cache_control(response)
    assert not response.cookies


def test_the_manifest_describes_an_installable_standalone_app(catalog, client: Client) -> None:
    manifest = client.get(MANIFEST).json()
    assert manifest["name"].startswith("backtp")
    assert manifest["short_name"] == "backtp"
    assert len(manifest["short_name"]) <= 12  # what a launcher shows under the icon
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    colour = re.compile(r"^#[0-9a-f]{6}$")
    assert colour.match(manifest["theme_color"]) and colour.match(manifest["background_color"])
    dark = manifest["user_preferences"]["color_scheme_dark"]
    assert colour.match(dark["theme_color"]) and colour.match(dark["background_color"])
    assert dark["background_color"] != manifest["background_color"]


def test_the_manifest_names_its_icons_any_and_maskable_by_their_hashed_names(
    catalog, client: Client
) -> None:
    icons = client.get(MANIFEST).json()["icons"]
    assert {(icon["sizes"], icon["purpose"]) for icon in icons} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        assert icon["type"] == "image/png"
        assert re.fullmatch(r"/static/img/icon-[a-z0-9-]+\.[0-9a-f]{12}\.png", icon["src"]), icon
        response = client.get(icon["src"])
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        size = int(icon["sizes"].split("x")[0])
        assert png_size(content) == (size, size), icon["src"]


def test_the_manifest_has_shortcuts_to_the_questionnaire_and_the_session(
    catalog, client: Client
) -> None:
    shortcuts = client.get(MANIFEST).json()["shortcuts"]
    assert [(s["name"], s["url"]) for s in shortcuts] == [
        ("Where does it hurt?", "/where-does-it-hurt/"),
        ("My session", "/session/"),
    ]
    for shortcut in shortcuts:
        assert client.get(shortcut["url"]).status_code == 200


def test_the_committed_icons_are_the_declared_sizes() -> None:
    folder = Path(settings.BASE_DIR) / "static" / "img"
    for icon in ICONS:
        assert png_size((folder / icon.name).read_bytes()) == (icon.size, icon.size), icon.name


# The service worker ---------------------------------------------------------------------


def test_the_worker_is_served_from_the_root_as_javascript_never_from_a_stale_copy(
    catalog, client: Client
) -> None:
    response = client.get(WORKER)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "no-cache" in cache_control(response)
    assert "public" not in cache_control(response)
    assert response.has_header("ETag")
    assert not response.cookies
    text = response.content.decode()
    assert re.search(r'importScripts\("/static/js/service-worker\.[0-9a-f]{12}\.js"\);', text)


def test_the_worker_keeps_every_catalogue_page_and_the_shell(catalog, client: Client) -> None:
    config = worker_config(client)
    pages = config["pages"]
    assert len(pages) == len(set(pages))
    expected = {"/", "/offline/", "/muscles/", "/routines/", "/safety/", "/tips/"}
    for model in (Muscle, Technique, Routine):
        expected |= {item.get_absolute_url() for item in model.objects.all()}
    assert expected <= set(pages)
    assert Muscle.objects.count() + Technique.objects.count() + Routine.objects.count() > 40
    # Each of them answers a visitor without cookies, as the worker asks at install.
    for url in pages:
        assert Client().get(url).status_code == 200, url
    assert config["offline"] == "/offline/"
    assert config["static_url"] == "/static/"


def test_the_worker_keeps_the_hashed_static_files_the_pages_use(catalog, client: Client) -> None:
    kept = set(worker_config(client)["static"])
    assert all(re.search(r"\.[0-9a-f]{12}\.[a-z]+$", url) for url in kept), kept
    for url in ("/", "/muscles/", "/session/", "/offline/"):
        html = client.get(url).content.decode()
        used = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', html))
        assert used <= kept, (url, used - kept)
    assert any(re.match(r"/static/django_htmx/htmx-2\.min\.[0-9a-f]{12}\.js$", u) for u in kept)
    assert any(re.match(r"/static/js/timer/clock\.[0-9a-f]{12}\.js$", u) for u in kept)


def test_personal_pages_are_never_precached(catalog, client: Client) -> None:
    config = worker_config(client)
    assert config["personal"] == ["/session/", "/session/plan/"]
    pages = set(config["pages"])
    assert not pages & set(config["personal"])
    assert not any(
        url.startswith(("/accounts/", "/journal/", "/where-does-it-hurt/")) for url in pages
    )


def test_the_version_changes_with_the_catalogue(catalog, client: Client) -> None:
    before = worker_config(client)["version"]
    assert worker_config(client)["version"] == before
    muscle = Muscle.objects.get(slug="quadratus-lumborum")
    muscle.summary += " Edited."
    muscle.save()
    assert worker_config(client)["version"] != before


def test_the_version_changes_with_the_static_files(catalog, client: Client) -> None:
    before = worker_config(client)["version"]
    deployed = staticfiles_storage.manifest_hash
    assert before.endswith("-" + deployed[:12])
    staticfiles_storage.manifest_hash = "0123456789abcdef"  # another deploy's manifest
    try:
        assert worker_config(client)["version"] == before.split("-")[0] + "-0123456789ab"
    finally:
        staticfiles_storage.manifest_hash = deployed


def test_a_new_page_in_the_catalogue_is_kept_by_the_next_worker(catalog, client: Client) -> None:
    assert "/routines/new-routine/" not in worker_config(client)["pages"]
    Routine.objects.create(slug="new-routine", name="New routine", summary="s")
    assert "/routines/new-routine/" in worker_config(client)["pages"]


def test_the_worker_answers_head_and_refuses_a_post(catalog, client: Client) -> None:
    assert client.head(WORKER).status_code == 200
    assert client.post(WORKER).status_code == 405


# The offline page -----------------------------------------------------------------------


def test_the_offline_page_says_what_works_offline(catalog, client: Client) -> None:
    response = client.get("/offline/")
    assert response.status_code == 200
    assert {"public", "max-age=300"} <= cache_control(response)
    html = response.content.decode()
    assert "This page needs a connection" in html
    for link in ("/muscles/", "/routines/", "/session/", "/session/plan/", "/safety/"):
        assert f'href="{link}"' in html, link
    assert "sent to your journal once" in html
