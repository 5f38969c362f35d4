"""Typed HTMX requests and the one rule for when a view renders a fragment."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """An htmx swap gets a fragment; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def template_for(request: HtmxHttpRequest, template: str, partial: str) -> str:
    return f"{template}#{partial}" if wants_fragment(request) else template


def vary_on_htmx[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Fragment and page share a URL: caches must key on the HX-Request header."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        response = view(*args, **kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response

    return wrapped
