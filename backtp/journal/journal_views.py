"""The journal: a person's logged sessions, their progress, reminders and sessions as CSV."""

import csv
from datetime import timedelta
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from backtp.accounts.http import AuthenticatedHttpRequest
from backtp.journal import exports, selectors
from backtp.journal.models import TreatmentSession

PAGE_SIZE = 20


def _session_for_user(request: AuthenticatedHttpRequest, session_id: UUID) -> TreatmentSession:
    """The only way a view fetches one session: through its owner, so others get a 404."""
    try:
        return selectors.sessions_for(request.user).get(pk=session_id)
    except TreatmentSession.DoesNotExist:
        raise Http404("No such session in your journal") from None


@login_required
@require_safe
def journal(request: AuthenticatedHttpRequest) -> HttpResponse:
    raw = request.GET.get("page", "1")
    page = raw if raw.isdigit() and len(raw) < 8 else "1"  # get_page() reads junk as 1
    paginator = Paginator(selectors.sessions_for(request.user), PAGE_SIZE)
    return render(request, "journal/journal.html", {"page": paginator.get_page(page)})


@login_required
@require_safe
def session_detail(request: AuthenticatedHttpRequest, session_id: UUID) -> HttpResponse:
    session = _session_for_user(request, session_id)
    return render(request, "journal/session_detail.html", {"session": session})


@login_required
@require_safe
def progress(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "journal/progress.html", selectors.progress_context(request.user))


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def reminder_times(per_day: int) -> list[tuple[int, int]]:
    """per_day times spread evenly from 08:00 to 20:00."""
    if per_day == 1:
        return [(12, 0)]
    span = 12 * 60
    return [divmod(8 * 60 + round(span * n / (per_day - 1)), 60) for n in range(per_day)]


@login_required
@require_safe
def reminders(request: AuthenticatedHttpRequest) -> HttpResponse:
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


class _Echo:
    """A pseudo-buffer: csv.writer's writerow() returns the line it would have written."""

    def write(self, value: str) -> str:
        return value


@login_required
@require_safe
def sessions_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """Every session as a CSV row, streamed as it is read."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in exports.csv_rows(request.user)), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="backtp-sessions.csv"'
    return response
