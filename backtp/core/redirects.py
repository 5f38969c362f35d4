"""Where to go next: a `next` parameter (after signing up, after the safety check) is
followed only when it is a path on this site; anything else is dropped."""

import re

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

MAX_LENGTH = 200  # characters; a longer `next` is not one of ours
# Our own paths and query strings use no other characters: no control characters, no
# spaces, no backslash, and no second slash at the start (that would name another host).
LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~/%?=&+]*")


def local_path(url: object) -> str | None:
    """`url` if it is a path on this site, else None ("foo" is no path: redirect() would
    take it for a URL name)."""
    if not isinstance(url, str) or len(url) > MAX_LENGTH or not LOCAL_PATH.fullmatch(url):
        return None
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) else None


def next_path(request: HttpRequest) -> str | None:
    """The request's `next` parameter (posted or in the query), if it is a local path."""
    return local_path(request.POST.get("next") or request.GET.get("next"))
