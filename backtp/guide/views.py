from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Entry to the questionnaire; until it lands, a page that says so and points onwards."""
    return render(request, "guide/start.html")
