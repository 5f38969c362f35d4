"""backtp's URLs plus the benchmark ceiling: a minimal view returning a fixed HTML page.

Used only by scripts/bench_settings.py. The ceiling passes through the same middleware as
every page (sessions, CSRF, security headers, CSP, htmx), so the pages' throughput as a
ratio of it measures what the views and templates themselves cost.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from backtp.urls import handler500
from backtp.urls import urlpatterns as backtp_urlpatterns

CEILING_PATH = "bench/ceiling/"
CEILING_HTML = (
    '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
    "<title>ceiling · backtp</title></head>\n"
    "<body><main><h1>Ceiling</h1><p>A fixed page: the framework's ceiling.</p></main></body>\n"
    "</html>\n"
)


def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse(CEILING_HTML)


urlpatterns = [path(CEILING_PATH, ceiling, name="bench_ceiling"), *backtp_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
