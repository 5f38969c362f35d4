from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backtp.catalog import selectors
from backtp.catalog.forms import MuscleFilterForm, SearchForm
from backtp.catalog.models import Muscle, Routine, Source, Technique
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
    context = {
        "form": form,
        "groups": selectors.group_by_area(muscles),
        "count": len(muscles),
        "filtered": form.is_valid() and any(form.cleaned_data.values()),
    }
    template = template_for(request, "catalog/muscle_list.html", "results")
    return render(request, template, context, status=status)


@require_GET
def muscle_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    try:
        muscle = selectors.muscle_with_points(slug)
    except Muscle.DoesNotExist:
        raise Http404("No muscle by that name") from None
    context = {
        "muscle": muscle,
        "points": muscle.trigger_points.all(),
        "techniques": list(selectors.techniques_for_muscle(muscle)),
    }
    return render(request, "catalog/muscle_detail.html", context)


@require_GET
def technique_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    try:
        technique = selectors.technique_with_steps(slug)
    except Technique.DoesNotExist:
        raise Http404("No technique by that name") from None
    return render(request, "catalog/technique_detail.html", {"technique": technique})


@require_GET
def routine_list(request: HtmxHttpRequest) -> HttpResponse:
    routines = selectors.routines_with_steps()
    return render(request, "catalog/routine_list.html", {"routines": routines})


@require_GET
def routine_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    try:
        routine = selectors.routine_with_steps(slug)
    except Routine.DoesNotExist:
        raise Http404("No routine by that name") from None
    return render(request, "catalog/routine_detail.html", {"routine": routine})


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
