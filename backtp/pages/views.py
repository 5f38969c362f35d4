import json

from django.conf import settings
from django.db import Error, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from backtp.catalog import caching
from backtp.catalog.models import Muscle, RedFlag, Source, TriggerPoint
from backtp.guide.models import Assessment
from backtp.journal import selectors as journal
from backtp.pages import pwa

FEATURED_MUSCLES = ("quadratus-lumborum", "gluteus-medius", "erector-spinae", "iliopsoas")
# The point seed 003 treats first: it often explains pain across the belt line.
EXAMPLE_POINT = "gmed-overlap"


@require_safe
@caching.public_page
def home(request: HttpRequest) -> HttpResponse:
    """A visitor's home is the catalogue's alone (cached); someone logged in sees their
    day first: today's sessions against their plan, the session to continue, their last
    result."""
    context: dict[str, object] = {"home": caching.cached("home", _home_parts)}
    if request.user.is_authenticated:
        user = request.user
        context["today"] = journal.today_for(user)
        context["latest_results"] = (
            Assessment.objects.filter(user=user).only("id", "created").first()
        )
    return render(request, "pages/home.html", context)


def _home_parts() -> dict[str, str]:
    """The home page's catalogue-only parts, rendered once per catalogue version: the
    visitor's hero, the example figure, and the rest of the page."""
    featured = sorted(
        Muscle.objects.filter(slug__in=FEATURED_MUSCLES, professional_only=False),
        key=lambda muscle: FEATURED_MUSCLES.index(muscle.slug),
    )
    example = (
        TriggerPoint.objects.select_related("muscle", "region")
        .prefetch_related("zones__region")
        .filter(slug=EXAMPLE_POINT)
        .first()
    )
    context: dict[str, object] = {"featured": featured, "example": example}
    if example:
        context["example_zones"] = {zone.region.slug: zone.kind for zone in example.zones.all()}
    return {
        part: render_to_string(f"pages/home.html#{part}", context)
        for part in ("hero", "figure", "rest")
    }


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and the container HEALTHCHECK: 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:  # any database error, InterfaceError (connection closed) included
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _content_page(request: HttpRequest, template: str, **context: object) -> HttpResponse:
    """A hand-written content page; its citations come from one query."""
    context["sources_by_key"] = {source.key: source for source in Source.objects.all()}
    return render(request, template, context)


@require_safe
@caching.public_page
def evidence(request: HttpRequest) -> HttpResponse:
    return _content_page(request, "pages/evidence.html")


@require_safe
@caching.public_page
def safety(request: HttpRequest) -> HttpResponse:
    flags = list(RedFlag.objects.prefetch_related("sources"))
    levels = [
        (level, label, [flag for flag in flags if flag.level == level])
        for level, label in RedFlag.Level.choices
    ]
    return _content_page(request, "pages/safety.html", levels=levels)


@require_safe
@caching.public_page
def tips(request: HttpRequest) -> HttpResponse:
    return _content_page(request, "pages/tips.html")


@require_safe
@caching.public_page
def diagnoses(request: HttpRequest) -> HttpResponse:
    return _content_page(request, "pages/diagnoses.html")


# Installable and offline (backtp/pages/pwa.py) -------------------------------------------

# The header's colour (--card) and the page's (--paper), light and dark (static/css/backtp.css).
THEME = {"light": "#ffffff", "dark": "#1a2326"}
BACKGROUND = {"light": "#fbfaf7", "dark": "#12181a"}


@require_safe
@cache_control(public=True, max_age=caching.BROWSER_MAX_AGE)
def web_app_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what a phone needs to install backtp and open it full screen.
    The dark colours go in `user_preferences`, the manifest's proposed member for them;
    browsers without it take the page's theme-color for the dark scheme."""

    def icon(name: str, size: int, purpose: str) -> dict[str, str]:
        return {
            "src": static(f"img/{name}"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }

    shortcut_icons = [icon("icon-192.png", 192, "any")]
    manifest = {
        "id": "/",
        "name": "backtp: self-help for low back pain",
        "short_name": "backtp",
        "description": "Find the trigger points behind your low back pain and learn to "
        "release them yourself, safely.",
        "lang": "en-GB",
        "dir": "ltr",
        "start_url": reverse("pages:home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME["light"],
        "background_color": BACKGROUND["light"],
        "user_preferences": {
            "color_scheme_dark": {
                "theme_color": THEME["dark"],
                "background_color": BACKGROUND["dark"],
            }
        },
        "categories": ["health", "medical"],
        "icons": [
            icon("icon-192.png", 192, "any"),
            icon("icon-512.png", 512, "any"),
            icon("icon-maskable-192.png", 192, "maskable"),
            icon("icon-maskable-512.png", 512, "maskable"),
        ],
        "shortcuts": [
            {
                "name": "Where does it hurt?",
                "short_name": "Where it hurts",
                "url": reverse("guide:start"),
                "icons": shortcut_icons,
            },
            {
                "name": "My session",
                "short_name": "Session",
                "url": reverse("journal:timer"),
                "icons": shortcut_icons,
            },
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


@require_safe
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site's root so that it may serve every page. Browsers
    fetch it on each visit (no-cache, revalidated by its ETag); its text changes with the
    catalogue and the static files, which makes them install the new one."""
    config = {
        "version": pwa.cache_version(),
        "offline": reverse("pages:offline"),
        "static_url": settings.STATIC_URL,
        "personal": pwa.personal_urls(),
        "icon": static("img/icon-192.png"),
        **pwa.precache(),
    }
    return render(
        request,
        "pages/sw.js",
        {"config": json.dumps(config, indent=1)},
        content_type="text/javascript; charset=utf-8",
    )


@require_safe
@caching.public_page
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page that needs the server while offline."""
    return render(request, "pages/offline.html")
