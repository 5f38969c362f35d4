from collections import Counter
from collections.abc import Iterable

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from backtp.catalog import caching, selectors
from backtp.catalog.forms import MuscleFilterForm, SearchForm
from backtp.catalog.models import Muscle, Routine, Source, Technique, zones_together
from backtp.core.htmx import HtmxHttpRequest, template_for, vary_on_htmx, wants_fragment


@require_safe
@caching.public_page
@vary_on_htmx
def muscle_list(request: HtmxHttpRequest) -> HttpResponse:
    form = MuscleFilterForm(request.GET)
    partial = "results" if wants_fragment(request) else "body"
    if not form.is_valid():
        body = _muscle_list_body(form, partial)
        return _muscle_list_response(request, partial, body, status=400)
    tool, region = form.cleaned_data["tool"], form.cleaned_data["region"]
    body = caching.cached(
        f"muscles:{tool}:{region}:{partial}", lambda: _muscle_list_body(form, partial)
    )
    return _muscle_list_response(request, partial, body)


def _muscle_list_body(form: MuscleFilterForm, partial: str) -> str:
    """The filter form and the list, which depend on the filter and the catalogue alone."""
    muscles = []
    if form.is_valid():
        muscles = list(
            selectors.muscles_for_list(
                tool=form.cleaned_data["tool"], part=form.cleaned_data["region"]
            )
        )
    context = {
        "form": form,
        "groups": selectors.group_by_area(muscles),
        "count": len(muscles),
        "filtered": form.is_valid() and any(form.cleaned_data.values()),
    }
    return render_to_string(f"catalog/muscle_list.html#{partial}", context)


def _muscle_list_response(
    request: HtmxHttpRequest, partial: str, body: str, status: int = 200
) -> HttpResponse:
    if partial == "results":
        return HttpResponse(body, status=status)
    return render(request, "catalog/muscle_list.html", {"body": body}, status=status)


@require_safe
@caching.public_page
def muscle_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    page = caching.cached(f"muscle:{slug}", lambda: _muscle_page(slug))
    if page is None:
        raise Http404("No muscle by that name")
    return render(request, "catalog/muscle_detail.html", page)


def _shared(texts: Iterable[str]) -> str:
    """The text most cards share, when at least two do ("" otherwise)."""
    counts = Counter(text for text in texts if text)
    text, count = max(counts.items(), key=lambda item: item[1], default=("", 0))
    return text if count >= 2 else ""


def _gathered(*groups: Iterable[Source]) -> list[Source]:
    """Every source cited on a page, once, in the order of the sources page."""
    found = {source.pk: source for group in groups for source in group}
    return sorted(found.values(), key=lambda source: (source.kind, source.key))


def _muscle_page(slug: str) -> dict[str, str] | None:
    """The page's catalogue-only parts, rendered once per catalogue version."""
    try:
        muscle = selectors.muscle_with_points(slug)
    except Muscle.DoesNotExist:
        return None
    points = muscle.trigger_points.all()
    techniques = list(selectors.techniques_for_muscle(muscle))
    context = {
        "muscle": muscle,
        "points": points,
        "techniques": techniques,
        # Said once for the section, not on every card that shares it.
        "muscle_zones": zones_together(points),
        "shared_pressure": _shared(t.pressure for t in techniques),
        "shared_caution": _shared(t.cautions for t in techniques),
        "page_sources": _gathered(
            muscle.sources.all(),
            *(point.cited_sources() for point in points),
            *(technique.sources.all() for technique in techniques),
        ),
    }
    return {
        "name": muscle.name,
        "summary": muscle.summary,
        "body": render_to_string("catalog/muscle_detail.html#body", context),
    }


@require_safe
@caching.public_page
def technique_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    page = caching.cached(f"technique:{slug}", lambda: _technique_page(slug))
    if page is None:
        raise Http404("No technique by that name")
    return render(request, "catalog/technique_detail.html", page)


def _technique_page(slug: str) -> dict[str, str] | None:
    """Everything but the form, rendered once per catalogue version."""
    try:
        technique = selectors.technique_with_steps(slug)
    except Technique.DoesNotExist:
        return None
    return _parts("catalog/technique_detail.html", technique, {"technique": technique})


def _parts(template: str, item: Technique | Routine, context: dict) -> dict[str, str]:
    """A catalogue page's name, summary and slug, with its parts above and below its form."""
    return {
        "name": item.name,
        "summary": item.summary,
        "slug": item.slug,
        "top": render_to_string(f"{template}#top", context),
        "bottom": render_to_string(f"{template}#bottom", context),
    }


@require_safe
@caching.public_page
def routine_list(request: HtmxHttpRequest) -> HttpResponse:
    routines = selectors.routines_with_steps()
    return render(request, "catalog/routine_list.html", {"routines": routines})


@require_safe
@caching.public_page
def routine_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    page = caching.cached(f"routine:{slug}", lambda: _routine_page(slug))
    if page is None:
        raise Http404("No routine by that name")
    return render(request, "catalog/routine_detail.html", page)


def _routine_page(slug: str) -> dict[str, str] | None:
    try:
        routine = selectors.routine_with_steps(slug)
    except Routine.DoesNotExist:
        return None
    return _parts("catalog/routine_detail.html", routine, {"routine": routine})


@require_safe
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


@require_safe
@caching.public_page
def source_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "catalog/source_list.html", {"sources": Source.objects.all()})
