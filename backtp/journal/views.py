"""Building a session plan, running it with the timer, and saving the log."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from django import forms
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from backtp.catalog.models import Routine, RoutineStep, Technique
from backtp.catalog.templatetags.illustrations import figure_alt
from backtp.core.htmx import HtmxHttpRequest, template_for, vary_on_htmx
from backtp.journal import device, safety
from backtp.journal import plan as plans
from backtp.journal.models import SessionStep
from backtp.journal.services import SessionConflict, StepLog, treatment_session_save


def _techniques(items: list[plans.PlanItem]) -> dict[str, Technique]:
    return Technique.objects.prefetch_related("steps", "trigger_points__muscle").in_bulk(
        {item.technique for item in items}, field_name="slug"
    )


def _plan_context(request: HtmxHttpRequest) -> dict:
    items = plans.load(request)
    techniques = _techniques(items)
    steps = [item.as_step(techniques[item.technique], n) for n, item in enumerate(items, 1)]
    # Steps a contraindication rules out stay in the plan, marked, and the timer skips them.
    check = safety.current(request)
    left_out = safety.left_out(techniques, check)
    for step in steps:
        step.left_out = left_out.get(step.technique.slug, "")  # type: ignore[attr-defined]
    move = plans.move_seconds(request)
    timed = [step for step in steps if step.technique.slug not in left_out]
    # The timer adds time to move: before the first step, to change sides, between steps.
    moves = 1 + sum(step.passes - 1 for step in timed) + max(0, len(timed) - 1)
    total = sum(step.total_seconds() for step in timed) + move * moves if timed else 0
    return {
        "steps": steps,
        "move_seconds": move,
        "move_range": plans.MOVE_RANGE,
        "total_minutes": max(1, round(total / 60)) if steps else 0,
        "side_choices": RoutineStep.Side.choices,
        "safety_checked": check is not None,
    }


def _back_to_plan(request: HtmxHttpRequest, focus: tuple[str, int] | None = None) -> HttpResponse:
    """The plan again; after an htmx swap, focus goes to `focus` (a control's kind and its
    step's index) so a keyboard user is not thrown back to the top of the page."""
    if request.htmx:
        context = {**_plan_context(request), "focus": focus}
        return render(request, "journal/plan.html#plan", context)
    return redirect("journal:plan")


@vary_on_htmx
@require_safe
def plan(request: HtmxHttpRequest) -> HttpResponse:
    template = template_for(request, "journal/plan.html", "plan")
    return render(request, template, _plan_context(request))


@require_POST
def plan_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    technique = get_object_or_404(Technique, slug=slug)
    side = request.POST.get("side", RoutineStep.Side.BOTH)
    if side not in RoutineStep.Side.values:
        return HttpResponse("Unknown side", status=400)
    items = plans.load(request)
    if len(items) >= plans.MAX_STEPS:
        return HttpResponse(f"A plan holds at most {plans.MAX_STEPS} steps.", status=400)
    plans.save(request, [*items, plans.default_item(technique, side)])
    return redirect("journal:plan")


@require_POST
def plan_from_routine(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    routine = get_object_or_404(Routine.objects.prefetch_related("steps__technique"), slug=slug)
    plans.save(request, [plans.item_from_step(step) for step in routine.steps.all()])
    plans.remember_routine(request, routine.slug)
    # The plan is saved first, so nothing is lost while the person answers the safety check.
    if safety.current(request) is None:
        return redirect(safety.ask_url(reverse("journal:timer")))
    return redirect("journal:timer")


class StepChangeForm(forms.Form):
    """A plan step's side, and its time (and holds) within its technique's dose."""

    side = forms.ChoiceField(
        choices=RoutineStep.Side.choices,
        error_messages={"invalid_choice": "Choose the left side, the right side or both."},
    )
    seconds = forms.IntegerField(required=False)
    repetitions = forms.IntegerField(required=False)

    def __init__(self, data: Any, *, item: plans.PlanItem, technique: Technique) -> None:
        super().__init__(data)
        self.item, self.technique = item, technique

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seconds, repetitions = cleaned.get("seconds"), cleaned.get("repetitions")
        timed = self.item.duration_seconds is not None
        problems = self.technique.out_of_range(
            duration_seconds=seconds if timed else None,
            hold_seconds=None if timed else seconds,
            repetitions=None if timed else repetitions,
        )
        for field, message in problems.items():
            self.add_error("repetitions" if field == "repetitions" else "seconds", message)
        return cleaned

    def changes(self) -> dict[str, object]:
        """What to change in the plan item: its side, and its time or its holds."""
        changes: dict[str, object] = {"side": self.cleaned_data["side"]}
        seconds, repetitions = self.cleaned_data["seconds"], self.cleaned_data["repetitions"]
        if self.item.duration_seconds is not None:
            if seconds:
                changes["duration_seconds"] = seconds
        else:
            if seconds:
                changes["hold_seconds"] = seconds
            if repetitions:
                changes["repetitions"] = repetitions
        return changes


def _step_index(request: HtmxHttpRequest, index: int) -> list[plans.PlanItem]:
    items = plans.load(request)
    if not 0 <= index < len(items):
        raise Http404("No such step in your plan")
    return items


def _plan_refused(
    request: HtmxHttpRequest, form: forms.Form, focus: tuple[str, int]
) -> HttpResponse:
    """The plan as it was, with what was wrong said beside the form that sent it (400).
    Each message says what to choose (a step's range comes from its technique's sources)."""
    message = " ".join(str(m) for errors in form.errors.values() for m in errors)
    context = {**_plan_context(request), "focus": focus, "error": (*focus, message)}
    template = "journal/plan.html#plan" if request.htmx else "journal/plan.html"
    return render(request, template, context, status=400)


@require_POST
def plan_change(request: HtmxHttpRequest, index: int) -> HttpResponse:
    items = _step_index(request, index)
    technique = get_object_or_404(Technique, slug=items[index].technique)
    form = StepChangeForm(request.POST, item=items[index], technique=technique)
    if not form.is_valid():
        return _plan_refused(request, form, ("save", index))
    plans.save(request, plans.update(items, index, **form.changes()))
    return _back_to_plan(request, ("save", index))


MOVE_RANGE_MESSAGE = f"Choose from {plans.MOVE_RANGE[0]} to {plans.MOVE_RANGE[1]} seconds to move."


class MoveTimeForm(forms.Form):
    """The plan's time to move: to get ready, to change sides and between steps."""

    move_seconds = forms.IntegerField(
        min_value=plans.MOVE_RANGE[0],
        max_value=plans.MOVE_RANGE[1],
        error_messages={
            "required": "Give the time to move in seconds.",
            "invalid": "Give the time to move as a whole number of seconds.",
            "min_value": MOVE_RANGE_MESSAGE,
            "max_value": MOVE_RANGE_MESSAGE,
        },
    )


@require_POST
def plan_move_time(request: HtmxHttpRequest) -> HttpResponse:
    form = MoveTimeForm(request.POST)
    if not form.is_valid():
        return _plan_refused(request, form, ("move", 0))
    plans.set_move_seconds(request, form.cleaned_data["move_seconds"])
    return _back_to_plan(request, ("move", 0))


@require_POST
def plan_move(request: HtmxHttpRequest, index: int, direction: str) -> HttpResponse:
    items = _step_index(request, index)
    offset = {"up": -1, "down": 1}.get(direction)
    if offset is None:
        return HttpResponse("Move a step up or down.", status=400)
    plans.save(request, plans.move(items, index, offset))
    # Focus follows the moved step: the same button, or the other one at the top or bottom.
    new, last = max(0, min(index + offset, len(items) - 1)), len(items) - 1
    buttons = [kind for kind, shown in (("up", new > 0), ("down", new < last)) if shown]
    kind = direction if direction in buttons else next(iter(buttons), "title")
    return _back_to_plan(request, (kind, new))


@require_POST
def plan_remove(request: HtmxHttpRequest, index: int) -> HttpResponse:
    items = _step_index(request, index)
    plans.save(request, items[:index] + items[index + 1 :])
    left = len(items) - 1
    return _back_to_plan(request, ("title", min(index, left - 1)) if left else ("empty", 0))


def timer_plan(
    request: HtmxHttpRequest,
    check: safety.SafetyCheck | None = None,
    techniques: dict[str, Technique] | None = None,
) -> dict:
    """The plan as the timer script reads it (embedded in the page as JSON), without the
    steps `check`'s contraindications rule out: those are listed with the reason.
    `techniques`: the plan's techniques by slug, if the caller has loaded them."""
    items = plans.load(request)
    if techniques is None:
        techniques = _techniques(items)
    reasons = safety.left_out(techniques, check)
    left_out = [
        {"name": techniques[slug].name, "reason": reasons[slug]}
        for slug in dict.fromkeys(item.technique for item in items)
        if slug in reasons
    ]
    steps: list[dict[str, Any]] = []
    for item in items:
        if item.technique in reasons:
            continue
        number = len(steps) + 1
        technique = techniques[item.technique]
        step = item.as_step(technique, number)
        steps.append(
            {
                "number": number,
                "technique": technique.slug,
                "name": technique.name,
                "url": technique.get_absolute_url(),
                "tool": technique.get_tool_display(),
                "position": technique.get_position_display(),
                # What the voice says of the step: the muscle and the picture in words
                # (the timer says the side, so the picture's "then change sides" goes).
                "muscle": " and ".join(
                    dict.fromkeys(point.muscle.name for point in technique.trigger_points.all())
                ),
                "placement": figure_alt(technique)
                .removesuffix(".")
                .replace(", then change sides", ""),
                "dose": step.dose,
                "dose_range": technique.dosage,  # what its sources give, for the step list
                "side": item.side,
                "passes": ["right", "left"] if step.passes == 2 else [item.side],
                "duration_seconds": item.duration_seconds,
                "hold_seconds": item.hold_seconds,
                "repetitions": item.repetitions,
                "rest_seconds": item.rest_seconds,
                "instructions": [s.text for s in technique.steps.all()],
            }
        )
    move = plans.move_seconds(request)
    # A state kept for other steps or another time to move would not fit the timeline.
    shape = json.dumps({"steps": steps, "move_seconds": move}, sort_keys=True)
    fingerprint = hashlib.sha256(shape.encode()).hexdigest()[:16]
    return {
        "id": fingerprint,
        "move_seconds": move,
        "routine": plans.routine(request),
        "steps": steps,
        "left_out": left_out,
        "log_url": reverse("journal:log"),
        "plan_url": reverse("journal:plan"),
        "journal_url": reverse("journal:journal"),
        "signup_url": reverse("accounts:signup"),
        "login_url": reverse("accounts:login"),
        "logged_in": request.user.is_authenticated,
        # Whose unsent sessions and timer state this page may send and resume.
        "owner": device.owner(request),
        "owners": device.owners(request),
    }


@require_safe
def timer(request: HtmxHttpRequest) -> HttpResponse:
    """The guided session; no session starts before a recent safety check (journal/safety.py)."""
    check = safety.current(request)
    if check is None and plans.load(request):
        return redirect(safety.ask_url(request.get_full_path()))
    techniques = _techniques(plans.load(request))
    data = timer_plan(request, check, techniques)
    # Each technique's picture, drawn once; the timer shows the one of the current step.
    figures = [techniques[slug] for slug in dict.fromkeys(s["technique"] for s in data["steps"])]
    return render(
        request,
        "journal/timer.html",
        {"plan": data, "has_steps": bool(data["steps"]), "figures": figures},
    )


# What a logged session's times may be: after the app existed, not in the future (a day's
# grace for a phone's wrong clock), and no longer than a day.
EARLIEST = datetime(2020, 1, 1, tzinfo=UTC)
LONGEST = timedelta(days=1)


def _stored_time(value: datetime) -> datetime:
    """A time as the database keeps it: in UTC, between EARLIEST and tomorrow."""
    try:
        value = value.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:00-12:00 is in year 10000
        raise forms.ValidationError("This is not a date a session could have.") from None
    if not EARLIEST <= value <= timezone.now() + timedelta(days=1):
        raise forms.ValidationError("This is not a date a session could have.")
    return value


class LogForm(forms.Form):
    id = forms.UUIDField()
    routine = forms.SlugField(required=False)
    started_at = forms.DateTimeField()
    finished_at = forms.DateTimeField()
    pain_before = forms.IntegerField(min_value=0, max_value=10)
    pain_after = forms.IntegerField(min_value=0, max_value=10)
    note = forms.CharField(required=False, max_length=2000)

    def clean_started_at(self) -> datetime:
        return _stored_time(self.cleaned_data["started_at"])

    def clean_finished_at(self) -> datetime:
        return _stored_time(self.cleaned_data["finished_at"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("started_at"), cleaned.get("finished_at")
        if start and end and end < start:
            self.add_error("finished_at", "A session cannot finish before it starts.")
        elif start and end and end - start > LONGEST:
            self.add_error("finished_at", "A session cannot last more than a day.")
        return cleaned


def _form_data(data: dict) -> dict[str, str]:
    """The log's plain fields as a form reads them: text or whole numbers, nothing else."""
    fields = {}
    for name in LogForm.base_fields:
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError(f"{name} must be text or a whole number")
        fields[name] = str(value)
    return fields


def _whole_seconds(value: object) -> bool:
    return type(value) is int and 0 <= value <= 24 * 3600  # a JSON true is not 1 second


def _step_logs(raw: object) -> list[StepLog]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= plans.MAX_STEPS:
        raise ValueError(f"steps must be a list of 1 to {plans.MAX_STEPS} steps")
    if not all(isinstance(step, dict) for step in raw):
        raise ValueError("each step must be an object")
    slugs = {step.get("technique") for step in raw if isinstance(step.get("technique"), str)}
    techniques = Technique.objects.in_bulk(slugs, field_name="slug")
    logs = []
    for step in raw:
        technique = step.get("technique")
        if not isinstance(technique, str) or technique not in techniques:
            raise ValueError("each step needs a known technique")
        numbers = [step.get("planned_seconds"), step.get("done_seconds")]
        if not all(_whole_seconds(n) for n in numbers):
            raise ValueError("step times must be whole seconds")
        if step.get("side") not in RoutineStep.Side.values:
            raise ValueError("unknown side")
        reproduced = step.get("reproduced") or ""
        if reproduced not in ("", *SessionStep.Reproduced.values):
            raise ValueError("reproduced must be yes, no or unsure")
        if not isinstance(step.get("completed"), bool):
            raise ValueError("completed must be true or false")
        logs.append(
            StepLog(
                techniques[step["technique"]],
                step["side"],
                numbers[0],
                numbers[1],
                step["completed"],
                reproduced,
            )
        )
    return logs


MAX_DEPTH = 4  # {"steps": [{"technique": "..."}]}


def _parse(body: bytes) -> dict:
    """The log as JSON: an object of at most MAX_DEPTH levels, whose text holds only
    characters a database can store (no NUL, no lone surrogate)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested thousands deep
        raise ValueError("Send the session as a JSON object.") from None
    if not isinstance(data, dict):
        raise ValueError("Send the session as a JSON object.")
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError("The session is not in the shape the timer sends.")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and not _storable(value):
            raise ValueError("The session holds characters that cannot be saved.")
    return data


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, from "\\ud800" in the JSON
        return False
    return True


def _owner_refusal(request: HtmxHttpRequest, tag: object) -> JsonResponse | None:
    """A 403 if the log was recorded by someone other than whoever sends it (a page left
    open after logging out, or another person's on a shared device); the timer keeps
    it for its owner. A log without a tag belongs to whoever sends it."""
    if tag is None or tag in device.owners(request):
        return None
    if not isinstance(tag, str) or tag[:2] not in ("u:", "a:"):
        return JsonResponse({"error": "The session's owner is not valid."}, status=400)
    return JsonResponse(
        {"error": "This session was recorded by someone else on this device."}, status=403
    )


@require_POST
def log(request: HtmxHttpRequest) -> JsonResponse:
    """Save a finished session sent by the timer as JSON; the same id is stored only once."""
    try:
        data = _parse(request.body)
        form = LogForm(_form_data(data))
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    if not form.is_valid():
        return JsonResponse(
            {"error": "Some fields are not valid.", "fields": form.errors}, status=400
        )
    try:
        steps = _step_logs(data.get("steps"))
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    if refusal := _owner_refusal(request, data.get("owner")):
        return refusal
    routine = Routine.objects.filter(slug=form.cleaned_data["routine"]).first()
    user = request.user if request.user.is_authenticated else None
    try:
        session, created = treatment_session_save(
            user=user,
            anonymous_owner=device.anonymous_token(request, create=user is None),
            routine=routine,
            steps=steps,
            **_without(form.cleaned_data, "routine"),
        )
    except SessionConflict:
        return JsonResponse({"error": "This session id is already taken."}, status=409)
    return JsonResponse(
        {"id": str(session.pk), "created": created, "saved_to_account": session.user is not None},
        status=201 if created else 200,
    )


def _without(data: dict, *keys: str) -> dict:
    return {key: value for key, value in data.items() if key not in keys}
