"""Whole-page caching of catalogue pages for visitors who are not logged in.

A catalogue page seen by a visitor without an account depends only on its URL,
on whether htmx asked for a fragment, and on the catalogue's version: no CSRF
token (the page has no form that posts; base.html leaves out the htmx CSRF header
when `same_for_everyone` is set), no nonce, no messages. Such responses are kept,
already compressed, in this process's memory, keyed on the catalogue version read
once per request, so an edit shows on the next request in every process.

Logged-in people, requests with messages waiting, and anything but a 200 go
through the view as usual (whose catalogue-only body is still cached).
"""

import gzip
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

import brotli
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

from backtp import compression
from backtp.catalog.caching import LRU, cached, peek, version
from backtp.csrf import get_token

MAX_PAGES = 256
BROTLI_QUALITY = 5  # compressed once per page and version, so it can afford more effort
KEPT_HEADERS = ("Content-Type", "Vary", "Content-Language")


@dataclass
class Page:
    headers: dict[str, str]
    bodies: dict[str, bytes] = field(default_factory=dict)  # by Content-Encoding

    def body(self, encoding: str) -> bytes:
        if encoding not in self.bodies:
            plain = self.bodies[""]
            if encoding == "br":
                self.bodies[encoding] = brotli.compress(plain, quality=BROTLI_QUALITY)
            else:
                self.bodies[encoding] = gzip.compress(plain, mtime=0)
        return self.bodies[encoding]


_pages = LRU[tuple, Page](MAX_PAGES)


def _accepted(request: HttpRequest) -> set[str]:
    return {
        part.split(";")[0].strip() for part in request.headers.get("Accept-Encoding", "").split(",")
    }


def _encoding(request: HttpRequest) -> str:
    accepted = _accepted(request)
    return "br" if "br" in accepted else "gzip" if "gzip" in accepted else ""


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))  # len() leaves them unread
    )


def same_for_everyone[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """For views whose page, for a visitor without an account, depends only on the URL,
    htmx's request headers and the catalogue."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = (
            request.get_full_path(),
            request.headers.get("HX-Request"),
            request.headers.get("HX-History-Restore-Request"),
            version(),
        )
        page = _pages.get(key)
        if page is None:
            request.same_for_everyone = True
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            page = Page({h: response[h] for h in KEPT_HEADERS if h in response})
            page.bodies[""] = response.content
            _pages.set(key, page)
        encoding = _encoding(request)
        response = HttpResponse(page.body(encoding), headers=page.headers)
        if encoding:
            response.headers["Content-Encoding"] = encoding
        response.headers["Vary"] = ", ".join(
            filter(None, [page.headers.get("Vary"), "Accept-Encoding"])
        )
        return response

    return wrapped


def clear() -> None:
    _pages.clear()


def context(request: HttpRequest) -> dict[str, bool]:
    """Context processor: tells base.html to leave out per-visitor parts."""
    return {"same_for_everyone": getattr(request, "same_for_everyone", False)}


CSRF_HOLE = "csrf-token-goes-here"


@dataclass(frozen=True)
class HoledPage:
    """A rendered page split at its CSRF holes, as bytes and as deflated pieces."""

    pieces: tuple[bytes, ...]
    deflated: tuple[bytes, ...]

    @classmethod
    def of(cls, html: str) -> "HoledPage":
        pieces = tuple(html.encode().split(CSRF_HOLE.encode()))
        return cls(pieces, tuple(map(compression.deflate_piece, pieces)))

    def response(self, request: HttpRequest) -> HttpResponse:
        """The page with this visitor's token in its holes, gzipped when the browser
        takes gzip (compression.gzip_stitched: no compressing per response)."""
        token = get_token(request).encode()
        if "gzip" not in _accepted(request):
            return HttpResponse(token.join(self.pieces))
        body = compression.gzip_stitched(self.pieces, self.deflated, token)
        response = HttpResponse(body, headers={"Content-Encoding": "gzip"})
        patch_vary_headers(response, ("Accept-Encoding",))
        return response


def render_with_token_hole(
    request: HttpRequest, key: str, template: str, build: Callable[[], dict], *, local=False
) -> HttpResponse:
    """A personal page (a journal, someone's results) rendered once per `key` (which
    must name everything the page shows: whose it is, which page, a fingerprint of
    the data), per catalogue version, with a hole where this visitor's CSRF token
    goes. A message waiting to be shown means rendering afresh."""
    if len(messages.get_messages(request)):
        return render(request, template, build())
    page = cached(
        key,
        lambda: HoledPage.of(
            render_to_string(template, build() | {"csrf_token": CSRF_HOLE}, request=request)
        ),
        local=local,
    )
    return page.response(request)


def cached_with_token_hole(request: HttpRequest, key: str, *, local=False) -> HttpResponse | None:
    """The page render_with_token_hole() stored under `key`, if there is one (and no
    message is waiting to be shown); None otherwise. Builds nothing."""
    if len(messages.get_messages(request)):
        return None
    page = peek(key, local=local)
    return None if page is None else page.response(request)
