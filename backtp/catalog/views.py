from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backtp.catalog import selectors
from backtp.catalog.bodymap import REGION_NAMES
from backtp.catalog.forms import MuscleFilterForm, SearchForm
from backtp.catalog.models import Muscle, ReferralZone, Source, Technique, TriggerPoint
from backtp.htmx import HtmxHttpRequest, template_for, vary_on_htmx


@require_GET
@vary_on_htmx
def muscle_list(request: HtmxHttpRequest) -> HttpResponse:
    form = MuscleFilterForm(request.GET)
    status = 200
    if form.is_valid():
        muscles = list(
            selectors.muscles_for_list(
                tool=form.cleaned_data["tool"], part=form.cleaned_data["region"]
            )
        )
    else:
        muscles, status = [], 400
    for muscle in muscles:
        muscle.pain_parts = selectors.pain_parts(muscle)
    context = {
        "form": form,
        "groups": selectors.group_by_area(muscles),
        "count": len(muscles),
        "filtered": form.is_valid() and any(form.cleaned_data.values()),
    }
    template = template_for(request, "catalog/muscle_list.html", "results")
    return render(request, template, context, status=status)


def _zone_map(point: TriggerPoint) -> dict[str, str]:
    return {zone.region.slug: zone.kind for zone in point.zones.all()}


def _zone_sentence(point: TriggerPoint) -> tuple[str, str]:
    names: dict[str, list[str]] = {kind: [] for kind in ReferralZone.Kind.values}
    for zone in point.zones.all():
        names[zone.kind].append(REGION_NAMES[zone.region.slug].lower())
    return ", ".join(names[ReferralZone.Kind.ESSENTIAL]), ", ".join(
        names[ReferralZone.Kind.SPILLOVER]
    )


@require_GET
def muscle_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    try:
        muscle = selectors.muscle_with_points(slug)
    except Muscle.DoesNotExist:
        raise Http404("No muscle by that name") from None
    points = list(muscle.trigger_points.all())
    for point in points:
        point.zone_map = _zone_map(point)
        point.essential_names, point.spillover_names = _zone_sentence(point)
    context = {
        "muscle": muscle,
        "points": points,
        "techniques": list(selectors.techniques_for_muscle(muscle)),
    }
    return render(request, "catalog/muscle_detail.html", context)


@require_GET
def technique_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    try:
        technique = selectors.technique_with_steps(slug)
    except Technique.DoesNotExist:
        raise Http404("No technique by that name") from None
    points = list(technique.trigger_points.all())
    zones: dict[str, str] = {}
    for point in points:
        for region, kind in _zone_map(point).items():
            # Where two points share a region, essential wins over spillover.
            if zones.get(region) != ReferralZone.Kind.ESSENTIAL:
                zones[region] = kind
    context = {
        "technique": technique,
        "points": points,
        "zones": zones,
        "markers": sorted({point.region.slug for point in points}),
    }
    return render(request, "catalog/technique_detail.html", context)


@require_GET
@vary_on_htmx
def search(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    status = 200
    if form.is_valid():
        results = selectors.search_catalog(form.cleaned_data["q"])
    else:
        results, status = selectors.search_catalog(""), 400
    template = template_for(request, "catalog/search.html", "results")
    return render(request, template, {"form": form, "results": results}, status=status)


@require_GET
def source_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "catalog/source_list.html", {"sources": Source.objects.all()})
