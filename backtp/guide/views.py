"""'Where does it hurt?': safety screen, body map, how it feels, what you have, results.

Each step has its own URL and works as a plain form POST (redirect to the next step);
with htmx the next step is swapped in place and its URL pushed to the history.
Answers live in the session until the last step saves an Assessment.
"""

from collections.abc import Iterable
from typing import cast
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, HttpResponseLocation

from backtp.catalog.models import BodyRegion, RedFlag, Technique, TriggerPoint
from backtp.core.htmx import HtmxHttpRequest, template_for, vary_on_htmx
from backtp.core.redirects import next_path
from backtp.guide import engine
from backtp.guide.forms import INTENSITIES, QUALITIES, BodyMapForm, FeelForm, HaveForm, SafetyForm
from backtp.guide.models import Assessment
from backtp.guide.snapshot import current_catalogue
from backtp.guide.state import STEP_URLS, GuideState
from backtp.journal import device
from backtp.journal import plan as plans
from backtp.journal import safety as safety_check
from backtp.journal.selectors import point_history

SHOWN = 6  # suggestions shown in full; the next few are listed briefly
LISTED = 12
MISSING = {
    "safety": "Please answer the safety questions first: they decide if self-treatment is safe.",
    "map": "Please mark where it hurts first.",
    "feel": "Please tell us how it feels first (you can leave everything unticked).",
}


def _step(
    request: HtmxHttpRequest, template: str, context: dict, status: int = 200
) -> HttpResponse:
    context.setdefault("state", GuideState(request.session))
    return render(request, template_for(request, template, "step"), context, status=status)


def _go(request: HtmxHttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseLocation(url, target="#guide", swap="outerHTML")
    return redirect(url)


def _guard(request: HtmxHttpRequest, state: GuideState, step: str) -> HttpResponse | None:
    """Send the person back to the step they skipped, or to the stop page."""
    if state.stopped:
        return redirect("guide:stop")
    if missing := state.first_missing(step):
        messages.info(request, MISSING[missing])
        return redirect(STEP_URLS[missing])
    return None


@require_safe
def start(request: HtmxHttpRequest) -> HttpResponse:
    context = {"state": GuideState(request.session), "questions": RedFlag.objects.count()}
    return render(request, "guide/start.html", context)


@require_POST
def restart(request: HtmxHttpRequest) -> HttpResponse:
    GuideState(request.session).clear()
    return redirect("guide:safety")


@vary_on_htmx
@require_http_methods(["GET", "HEAD", "POST"])
def safety(request: HtmxHttpRequest) -> HttpResponse:
    state = GuideState(request.session)
    if state.stopped:
        return redirect("guide:stop")
    flags = list(RedFlag.objects.order_by("order"))
    # Sent here before a session (journal/safety.py): where to go back to afterwards.
    next_url = next_path(request)
    context = {"next": next_url}
    saved = None if next_url else (state.get("safety") or {}).get("answers")
    if request.method == "POST":
        form = SafetyForm(request.POST, flags=flags)
        if not form.is_valid():
            return _step(request, "guide/safety.html", {**context, "form": form}, status=400)
        outcome = form.outcome()
        contraindications = [f.slug for f in form.yes(RedFlag.Level.CONTRAINDICATION)]
        safety_check.record(request, contraindications=contraindications, stops=outcome != "clear")
        state.save(
            "safety",
            {
                "answers": form.answers(),
                "outcome": outcome,
                "contraindications": contraindications,
                "soon": [f.slug for f in form.yes(RedFlag.Level.SOON)],
            },
        )
        if outcome != "clear":
            return _go(request, reverse("guide:stop"))
        if next_url:
            return HttpResponseClientRedirect(next_url) if request.htmx else redirect(next_url)
        return _go(request, reverse("guide:body_map"))
    if saved is None and request.user.is_authenticated:
        # The person's own earlier answers to the contraindications; a "No" only if they
        # have answered the check before (a new account has said nothing yet).
        remembered = set(request.user.contraindications)
        answered = request.user.safety_answered_at is not None
        saved = {
            f.slug: "yes" if f.slug in remembered else "no"
            for f in flags
            if f.level == RedFlag.Level.CONTRAINDICATION and (answered or f.slug in remembered)
        }
    form = SafetyForm(initial=saved, flags=flags)
    return _step(request, "guide/safety.html", {**context, "form": form})


# Urgent signs that need a doctor the same day rather than within a day or two: a
# suspected blood clot in a leg (NHS, "DVT": ask for an urgent GP appointment or call 111).
SAME_DAY = frozenset({"blood-clot"})


@vary_on_htmx
@require_safe
def stop(request: HtmxHttpRequest) -> HttpResponse:
    state = GuideState(request.session)
    if not state.stopped:
        return redirect("guide:safety")
    answers = state.answered("safety")["answers"]
    level = state.stopped
    flags = [f for f in RedFlag.objects.filter(level=level) if answers.get(f.slug) == "yes"]
    same_day = level == RedFlag.Level.URGENT and any(f.slug in SAME_DAY for f in flags)
    context = {"level": level, "flags": flags, "same_day": same_day}
    return _step(request, "guide/stop.html", context)


def _region_rows(form: BodyMapForm) -> list[tuple[str, list[dict]]]:
    """The region checkboxes grouped by body area, each with its intensity and worst choice."""
    data = cast(QueryDict, form.data) if form.is_bound else None  # request.POST
    marked = set(data.getlist("regions")) if data else set(form.initial.get("regions", {}))
    worst = (data.get("worst") if data else form.initial.get("worst")) or ""
    groups: dict[str, tuple[str, list[dict]]] = {}
    for region in form.region_list:
        if data:
            intensity = data.get(f"intensity-{region.slug}", "")
        else:
            saved = form.initial.get("regions", {}).get(region.slug)
            intensity = "" if saved is None else str(saved)
        label, rows = groups.setdefault(region.group, (region.get_group_display(), []))
        rows.append(
            {
                "region": region,
                "checked": region.slug in marked,
                "intensity": intensity,
                "worst": region.slug == worst,
            }
        )
    return list(groups.values())


@vary_on_htmx
@require_http_methods(["GET", "HEAD", "POST"])
def body_map(request: HtmxHttpRequest) -> HttpResponse:
    state = GuideState(request.session)
    if response := _guard(request, state, "map"):
        return response
    regions = list(BodyRegion.objects.order_by("order"))
    if request.method == "POST":
        form = BodyMapForm(request.POST, regions=regions)
        if form.is_valid():
            state.save("map", form.answers())
            return _go(request, reverse("guide:feel"))
        status = 400
    else:
        form = BodyMapForm(initial=state.get("map") or {}, regions=regions)
        status = 200
    marked = [
        row["region"].slug for _, rows in _region_rows(form) for row in rows if row["checked"]
    ]
    context = {
        "form": form,
        "groups": _region_rows(form),
        "marked": marked,
        "intensity_choices": INTENSITIES,
    }
    return _step(request, "guide/body_map.html", context, status=status)


@vary_on_htmx
@require_http_methods(["GET", "HEAD", "POST"])
def feel(request: HtmxHttpRequest) -> HttpResponse:
    state = GuideState(request.session)
    if response := _guard(request, state, "feel"):
        return response
    if request.method == "POST":
        form = FeelForm(request.POST)
        if form.is_valid():
            state.save("feel", form.cleaned_data)
            return _go(request, reverse("guide:have"))
        return _step(request, "guide/feel.html", {"form": form}, status=400)
    form = FeelForm(initial=state.get("feel") or {})
    return _step(request, "guide/feel.html", {"form": form})


@vary_on_htmx
@require_http_methods(["GET", "HEAD", "POST"])
def have(request: HtmxHttpRequest) -> HttpResponse:
    state = GuideState(request.session)
    if response := _guard(request, state, "have"):
        return response
    if request.method == "POST":
        form = HaveForm(request.POST)
        if form.is_valid():
            state.save("have", form.cleaned_data)
            assessment = _save_assessment(request, state)
            return _go(request, assessment.get_absolute_url())
        return _step(request, "guide/have.html", {"form": form}, status=400)
    form = HaveForm(initial=state.get("have") or {"tools": ["hands"]})
    return _step(request, "guide/have.html", {"form": form})


def _save_assessment(request: HtmxHttpRequest, state: GuideState) -> Assessment:
    safety, body, feeling, kit = (
        state.answered(step) for step in ("safety", "map", "feel", "have")
    )
    user = request.user if request.user.is_authenticated else None
    assessment = Assessment.objects.create(
        user=user,
        # Theirs once they log in or sign up in this browser session (guide/signals.py).
        anonymous_owner="" if user else device.anonymous_token(request, create=True),
        regions=body["regions"],
        worst=body["worst"],
        qualities=feeling["qualities"],
        activities=feeling["activities"],
        tools=kit["tools"],
        positions=kit["positions"],
        contraindications=safety["contraindications"],
        see_doctor_soon=safety["soon"],
    )
    return assessment


SIDE_LABELS = {"right": "on your right side", "left": "on your left side", "both": "on both sides"}
NOTHING_FITS = (
    "None of the releases for your top suggestions can be done with the tools and "
    "positions you chose, so no session plan was made. Start a new questionnaire and "
    "choose more of what you have, or pick a technique from a trigger point's page."
)


def _results_context(assessment: Assessment, history: dict | None = None) -> dict:
    """Everything the results page shows, in a fixed number of queries."""
    catalogue = current_catalogue()
    result = engine.suggest(assessment.answers(history), catalogue)
    shown = result.suggestions[:LISTED]
    point_slugs = {s.point for s in shown}
    technique_slugs = {
        slug
        for s in shown
        for slug in (*s.techniques, *s.other_tools, *(x.technique for x in s.left_out))
    }
    points = (
        TriggerPoint.objects.select_related("muscle")
        .prefetch_related("sources", "prior_sources")
        .in_bulk(point_slugs, field_name="slug")
    )
    techniques = Technique.objects.in_bulk(technique_slugs, field_name="slug")
    flags = RedFlag.objects.in_bulk(
        [*assessment.contraindications, *assessment.see_doctor_soon], field_name="slug"
    )
    # A region the catalogue no longer has is left out rather than breaking saved results.
    marked = set(assessment.regions) & catalogue.regions.keys()
    cards = [
        {
            "rank": rank,
            "prefix": f"s{rank}-",
            "s": suggestion,
            "point": points[suggestion.point],
            "side": SIDE_LABELS[suggestion.side],
            "zones": suggestion.zones_for_map(catalogue),
            "techniques": [techniques[slug] for slug in suggestion.techniques],
            "left_out": [(techniques[x.technique], x.reason) for x in suggestion.left_out],
            "other_tools": [techniques[slug] for slug in suggestion.other_tools],
        }
        for rank, suggestion in enumerate(shown, 1)
    ]
    # What "Start a session" will plan, so that the person knows before pressing it.
    plan = [
        (techniques[slug], SIDE_LABELS[side])
        for slug, side in _plan_from(result.suggestions[:SHOWN], catalogue, assessment).items()
    ]
    regions = [
        {
            "name": catalogue.regions[slug].name,
            "intensity": assessment.regions[slug],
            "worst": slug == assessment.worst,
        }
        for slug in sorted(marked, key=lambda slug: list(catalogue.regions).index(slug))
    ]
    qualities = dict(QUALITIES)
    return {
        "assessment": assessment,
        "result": result,
        # Pain almost everywhere is no trigger-point pattern: shown before any list.
        "warning": result.warning,
        "plan": plan,
        "cards": cards[:SHOWN],
        "more": cards[SHOWN:],
        "marked": sorted(marked),
        "regions": regions,
        "qualities": [qualities[q] for q in assessment.qualities if q in qualities],
        "activities": [catalogue.activity_names.get(a, a) for a in assessment.activities],
        "soon": [flags[slug] for slug in assessment.see_doctor_soon if slug in flags],
        "limits": [flags[slug] for slug in assessment.contraindications if slug in flags],
    }


def _history(request: HtmxHttpRequest, assessment: Assessment) -> dict | None:
    """Only the owner sees their own history in the ranking; a shared link shows none of it."""
    if request.user.is_authenticated and assessment.user_id == request.user.pk:
        return point_history(request.user)
    return None


@vary_on_htmx
@require_safe
def results(request: HtmxHttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = get_object_or_404(Assessment, pk=assessment_id)
    context = _results_context(assessment, _history(request, assessment))
    return render(request, template_for(request, "guide/results.html", "step"), context)


FROM_RESULTS = 3  # techniques a plan made from results starts with


def _plan_from(
    suggestions: Iterable[engine.Suggestion], catalogue: engine.Catalogue, assessment: Assessment
) -> dict[str, str]:
    """Technique slug -> side, in order, for the suggestions shown in full.

    Only a suggestion's own techniques are used: those that fit the tools and positions
    the person chose (and their contraindications). Of those, the first with the very
    tool they named (or only hands or a cushion) comes before one the engine lets
    another ball stand in for. A point a planned technique already works adds no second
    technique; its side is added to that technique's instead, so a point suggested on
    the right and on the left is released on both sides."""
    tools = set(assessment.tools)

    def named(slug: str) -> bool:
        tool = catalogue.techniques[slug].tool
        return tool in tools or engine.TOOL_NEEDS.get(tool, frozenset()) is None

    planned: dict[str, str] = {}
    for suggestion in suggestions:
        if not suggestion.techniques:
            continue
        done = next((slug for slug in suggestion.techniques if slug in planned), None)
        if done is not None:
            if planned[done] != suggestion.side:
                planned[done] = "both"
        elif len(planned) < FROM_RESULTS:
            first = next((s for s in suggestion.techniques if named(s)), suggestion.techniques[0])
            planned[first] = suggestion.side
    return planned


@require_POST
def plan_from_results(request: HtmxHttpRequest, assessment_id: UUID) -> HttpResponse:
    """A session plan from the top suggestions, with what the person has, on their sides."""
    assessment = get_object_or_404(Assessment, pk=assessment_id)
    answers = assessment.answers(_history(request, assessment))
    catalogue = current_catalogue()
    result = engine.suggest(answers, catalogue)
    planned = _plan_from(result.suggestions[:SHOWN], catalogue, assessment)
    if not planned:
        # Keep whatever plan the person had: an empty or unfitting one helps nobody.
        messages.info(request, NOTHING_FITS)
        return redirect(assessment)
    techniques = Technique.objects.in_bulk(planned, field_name="slug")
    plans.save(
        request, [plans.default_item(techniques[slug], side) for slug, side in planned.items()]
    )
    plans.forget_routine(request)
    return redirect("journal:plan")
