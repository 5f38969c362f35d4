"""The journal: a person's logged sessions, their progress, and sessions as CSV."""

import csv
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
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
