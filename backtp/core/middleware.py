"""Project-wide middleware and error views: the Permissions-Policy header, personal
responses kept out of shared caches, forged session cookies ignored, error pages that
never read the request's body, and a calm 503 page instead of a 500 storm while the
database is unreachable."""

import logging
import string
import sys
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase, UpdateError
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("backtp.outage")

Handler = Callable[[HttpRequest], HttpResponse]
# Raised when the database cannot be reached (down, restarting, connection dropped);
# an IntegrityError or a ProgrammingError is a bug and stays a 500.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
# What Django makes session keys of (SessionBase's new keys: lowercase letters, digits).
SESSION_KEY_CHARACTERS = frozenset(string.ascii_lowercase + string.digits)


def forged_session_cookie_ignored(get_response: Handler) -> Handler:
    """A session cookie no session could have (a NUL byte, quotes, capitals) is dropped
    before SessionMiddleware looks it up: PostgreSQL refuses a NUL in a query, which
    made every page a 500. The request goes on as a visitor's without a session. The
    cookie is not deleted in the response: that Set-Cookie could reach a shared cache."""

    def middleware(request: HttpRequest) -> HttpResponse:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if key is not None and not (key and set(key) <= SESSION_KEY_CHARACTERS):
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
        return get_response(request)

    return middleware


def permissions_policy(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def private_by_default(get_response: Handler) -> Handler:
    """A response that does not say how it may be cached is treated as personal (a
    journal, someone's results, a form with their answers): `Cache-Control: private,
    no-store`, so no proxy, CDN or shared computer's disk keeps it. Pages that anyone
    may share say so themselves (catalog.caching.public_page)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    return middleware


def unavailable_response() -> HttpResponse:
    """Rendered without a request, so nothing on it needs the database."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def report_outage_on_session_save(session: SessionBase) -> None:
    """Django's database session backends turn any DatabaseError while updating an existing
    session into UpdateError, which SessionMiddleware answers as SessionInterrupted: a 400
    page saying the session was deleted, which the timer would even take as a final refusal.
    When the cause is an unreachable database, raise that instead, so handler500 answers
    the outage 503. A session really deleted meanwhile (a concurrent log-out) stays a 400."""
    save = session.save

    def save_or_report_outage(must_create: bool = False) -> None:
        try:
            save(must_create=must_create)
        except UpdateError as error:
            cause = error.__cause__ or error.__context__
            if isinstance(cause, UNAVAILABLE):
                raise cause from None
            raise

    # Wraps this one session's save (an instance attribute, not the class's method).
    session.save = save_or_report_outage  # type: ignore[method-assign]


class database_unavailable:  # noqa: N801 - named like the function middleware beside it
    """Turns a lost database connection inside a view into a 503 with Retry-After; one
    while the session is saved afterwards reaches handler500 (server_error below)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if isinstance(session := getattr(request, "session", None), SessionBase):
            report_outage_on_session_save(session)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UNAVAILABLE):
            logger.warning(
                "database unavailable: %s %s: %s", request.method, request.path, exception
            )
            return unavailable_response()
        return None


# Error views (handler400/403/404/500 in backtp/urls.py). Django's own are wrapped in
# requires_csrf_token, which reads request.POST on a POST: when reading it is what failed
# (a form declared in a charset other than UTF-8 raises BadRequest), it fails again in
# the error view, then in handler500, and the answer is a bare 500 without our headers.
# CsrfViewMiddleware's process_request has already read the CSRF cookie, so a
# {% csrf_token %} on these pages works without it.


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A plain page; nothing of the exception (codec names, Django's wording) is shown."""
    return HttpResponseBadRequest(render_to_string("400.html"))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseForbidden(render_to_string("403.html"))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """With the request: the page offers the site's menu, as for a logged-in person."""
    return HttpResponseNotFound(render_to_string("404.html", request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the database may also fail outside a view (loading or saving the
    session), where process_exception does not see it; that is still an outage."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return unavailable_response()
    return HttpResponseServerError(render_to_string("500.html"))


class QuietOutages(logging.Filter):
    """Drops django.request's per-request ERROR for our deliberate 503s: during a
    database outage every request would raise an alert. The outage is still logged,
    once per request at WARNING, by database_unavailable above."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 503
