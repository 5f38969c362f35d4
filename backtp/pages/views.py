from django.db import Error, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from backtp.catalog import caching
from backtp.catalog.models import Muscle, RedFlag, Source, TriggerPoint

FEATURED_MUSCLES = ("quadratus-lumborum", "gluteus-medius", "erector-spinae", "iliopsoas")
# The point seed 003 treats first: it often explains pain across the belt line.
EXAMPLE_POINT = "gmed-overlap"


@require_safe
@caching.public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html", {"body": caching.cached("home", _home_body)})


def _home_body() -> str:
    """The home page's catalogue-only body, rendered once per catalogue version."""
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
    return render_to_string("pages/home.html#body", context)


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
