"""Caching of what is built from the catalogue, keyed on the catalogue's version.

Every catalogue row's save or delete (in the admin or by `load_catalog`) gives the
catalogue a new version token, stored in the database, so every process sees an edit
on its next request, whatever cache it has. Rendered pages and page parts live in the
"pages" cache (settings.CACHES), which is each process's own memory: nothing there
needs sharing, and a Redis outage cannot touch it.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Concatenate
from uuid import uuid4

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.cache import cache_page
from django.views.decorators.csrf import csrf_protect

from backtp.catalog.models import CatalogueVersion

TIMEOUT = 10 * 60  # an entry of an old version is never asked for again; it ages out
BROWSER_MAX_AGE = 5 * 60  # how long a browser or a proxy may reuse a public page
_batching: ContextVar[bool] = ContextVar("catalogue_batching", default=False)


def version() -> str:
    """The catalogue's current version token ("none" before anything was loaded)."""
    token = CatalogueVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    return token or "none"


def bump() -> None:
    token = uuid4().hex
    CatalogueVersion.objects.update_or_create(pk=1, defaults={"token": token})


def changed(**kwargs: object) -> None:
    """Signal receiver for every catalogue model."""
    if not _batching.get():
        bump()


@contextmanager
def batched_changes() -> Iterator[None]:
    """Many changes (a fixture load), one new version at the end."""
    reset = _batching.set(True)
    try:
        yield
    finally:
        _batching.reset(reset)
        bump()


def cached[T](key: str, build: Callable[[], T]) -> T:
    """`build()`'s result for this version of the catalogue. None (a page that does
    not exist) is not kept."""
    pages = caches["pages"]
    full_key = f"catalogue:{version()}:{key}"
    value = pages.get(full_key)
    if value is None:
        value = build()
        if value is not None:
            pages.set(full_key, value, TIMEOUT)
    return value


def public_page[R: HttpRequest, **P](
    view: Callable[Concatenate[R, P], HttpResponse],
) -> Callable[Concatenate[R, P], HttpResponse]:
    """For pages that show the catalogue and nothing personal to a visitor without an
    account. Their responses are kept with Django's cache_page (per URL, catalogue
    version and whatever the view varies on, such as htmx's header) and may be kept by
    a browser, nginx or a CDN for a few minutes (ETags come from ConditionalGetMiddleware).

    A page that renders a CSRF token is never shared: csrf_protect sets the token's
    cookie inside the cache, so Django does not store it, and it is marked private. So
    are pages for a logged-in person, and pages with a message waiting to be shown."""
    shareable = _shareable(csrf_protect(view))

    @wraps(view)
    def wrapped(request: R, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        # len() looks at waiting messages without marking them shown.
        if request.user.is_authenticated or len(messages.get_messages(request)):
            return view(request, *args, **kwargs)  # private, no-store: core.middleware
        cached_view = cache_page(
            BROWSER_MAX_AGE, cache="pages", key_prefix=f"catalogue-{version()}"
        )
        return cached_view(shareable)(request, *args, **kwargs)

    return wrapped


def _shareable[R: HttpRequest, **P](
    view: Callable[Concatenate[R, P], HttpResponse],
) -> Callable[Concatenate[R, P], HttpResponse]:
    @wraps(view)
    def wrapped(request: R, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.cookies or response.status_code != 200:
            add_never_cache_headers(response)  # Django's cache then skips it too
        else:
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        return response

    return wrapped
