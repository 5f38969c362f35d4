"""A printable summary for a clinician: where it hurts (the guide's latest assessment)
beside the journal's progress. In guide, which may read the journal; never the reverse."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from backtp.accounts.http import AuthenticatedHttpRequest
from backtp.catalog.bodymap import REGION_NAMES
from backtp.guide.models import Assessment
from backtp.journal.models import TreatmentSession
from backtp.journal.selectors import progress_context


@login_required
@require_safe
def clinician_summary(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = progress_context(request.user)
    assessment = Assessment.objects.filter(user=request.user).first()
    context["assessment"] = assessment
    if assessment:
        context["marked"] = [
            (REGION_NAMES.get(slug, slug), intensity, slug == assessment.worst)
            for slug, intensity in assessment.regions.items()
        ]
    context["session_count"] = TreatmentSession.objects.filter(user=request.user).count()
    return render(request, "journal/summary.html", context)
