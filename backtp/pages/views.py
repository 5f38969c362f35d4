from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from backtp.catalog.models import Muscle, TriggerPoint

FEATURED_MUSCLES = ("quadratus-lumborum", "gluteus-medius", "erector-spinae", "iliopsoas")
# The point seed 003 treats first: it often explains pain across the belt line.
EXAMPLE_POINT = "gmed-overlap"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    featured = Muscle.objects.filter(slug__in=FEATURED_MUSCLES, professional_only=False)
    featured = sorted(featured, key=lambda muscle: FEATURED_MUSCLES.index(muscle.slug))
    example = (
        TriggerPoint.objects.select_related("muscle", "region")
        .prefetch_related("zones__region")
        .filter(slug=EXAMPLE_POINT)
        .first()
    )
    context = {"featured": featured, "example": example}
    if example:
        context["example_zones"] = {zone.region.slug: zone.kind for zone in example.zones.all()}
    return render(request, "pages/home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and the container HEALTHCHECK: 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
