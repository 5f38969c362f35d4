"""The journal: a person's logged sessions, their progress, a summary and reminders."""

from datetime import timedelta
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from backtp.catalog.bodymap import REGION_NAMES
from backtp.guide.models import Assessment
from backtp.journal import selectors
from backtp.journal.chart import pain_chart
from backtp.journal.models import TreatmentSession
from backtp.pagecache import render_with_token_hole

PAGE_SIZE = 20
CHART_SESSIONS = 60


def _session_for_user(request: HttpRequest, session_id: UUID) -> TreatmentSession:
    """The only way a view fetches one session: through its owner, so others get a 404."""
    try:
        return selectors.sessions_for(request.user).get(pk=session_id)
    except TreatmentSession.DoesNotExist:
        raise Http404("No such session in your journal") from None


@login_required
@require_GET
def journal(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("page", "1")
    page = raw if raw.isdigit() and len(raw) < 8 else "1"  # get_page() reads junk as 1
    key = f"journal:{selectors.journal_state(request.user)}:{page}"

    def build() -> dict:  # only on a cache miss: even building the query costs time
        paginator = Paginator(selectors.sessions_for(request.user), PAGE_SIZE)
        return {"page": paginator.get_page(page)}

    # local: the key names the journal's version, so every process agrees.
    return render_with_token_hole(request, key, "journal/journal.html", build, local=True)


@login_required
@require_GET
def session_detail(request: HttpRequest, session_id: UUID) -> HttpResponse:
    session = _session_for_user(request, session_id)
    return render(request, "journal/session_detail.html", {"session": session})


def _progress_context(user) -> dict:
    recent = list(
        TreatmentSession.objects.filter(user=user)
        .order_by("-started_at")
        .values_list("started_at", "pain_before", "pain_after")[:CHART_SESSIONS]
    )[::-1]
    techniques, points = selectors.what_helped(user)
    days = selectors.sessions_per_day(user)
    return {
        "chart": pain_chart(recent) if recent else None,
        "rows": recent,
        "techniques": techniques,
        "points": points,
        "days": days,
        "per_day": user.sessions_per_day,
        "days_on_plan": sum(1 for _, count in days if count >= user.sessions_per_day),
    }


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    return render(request, "journal/progress.html", _progress_context(request.user))


@login_required
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    """A printable page for a clinician."""
    context = _progress_context(request.user)
    assessment = Assessment.objects.filter(user=request.user).first()
    context["assessment"] = assessment
    if assessment:
        context["marked"] = [
            (REGION_NAMES.get(slug, slug), intensity, slug == assessment.worst)
            for slug, intensity in assessment.regions.items()
        ]
    context["session_count"] = TreatmentSession.objects.filter(user=request.user).count()
    return render(request, "journal/summary.html", context)


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def reminder_times(per_day: int) -> list[tuple[int, int]]:
    """per_day times spread evenly from 08:00 to 20:00."""
    if per_day == 1:
        return [(12, 0)]
    span = 12 * 60
    return [divmod(8 * 60 + round(span * n / (per_day - 1)), 60) for n in range(per_day)]


@login_required
@require_GET
def reminders(request: HttpRequest) -> HttpResponse:
    """The daily plan as an iCalendar file: one daily repeating event per session."""
    user = request.user
    start = timezone.localdate() + timedelta(days=1)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//backtp//reminders//EN",
        "CALSCALE:GREGORIAN",
    ]
    for number, (hour, minute) in enumerate(reminder_times(user.sessions_per_day), 1):
        lines += [
            "BEGIN:VEVENT",
            f"UID:backtp-{user.pk}-{number}@backtp",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start:%Y%m%d}T{hour:02d}{minute:02d}00",
            "DURATION:PT5M",
            "RRULE:FREQ=DAILY",
            f"SUMMARY:{_ics_escape('backtp: a short trigger-point session')}",
            f"DESCRIPTION:{_ics_escape(f'Session {number} of {user.sessions_per_day} today.')}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    response = HttpResponse(
        "\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="backtp-reminders.ics"'
    return response
