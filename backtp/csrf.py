"""Django's CSRF token for a page, masked afresh as Django masks it, at a tenth of the cost.

Django draws each of the mask's 32 characters with its own `secrets.choice()`, which is
a system call per character: about 0.06 ms on every personal page, a tenth of what
serving a cached one costs. Here the mask comes from a single `os.urandom()` call,
unbiased (bytes that would favour some characters are dropped), and is applied with
Django's own cipher, so CsrfViewMiddleware reads the token as one of its own
(tests/test_csrf_token.py holds it to that).
"""

import os

from django.http import HttpRequest
from django.middleware import csrf

CHARS = csrf.CSRF_ALLOWED_CHARS
INDEX = {char: number for number, char in enumerate(CHARS)}
BASE = len(CHARS)
# Bytes from here up would make the first 256 % BASE characters likelier than the rest.
UNBIASED_BELOW = 256 - 256 % BASE


def random_string(length: int) -> str:
    """`length` characters drawn uniformly from CHARS by the system's CSPRNG."""
    drawn: list[str] = []
    while len(drawn) < length:
        drawn.extend(CHARS[byte % BASE] for byte in os.urandom(length + 8) if byte < UNBIASED_BELOW)
    return "".join(drawn[:length])


def get_token(request: HttpRequest) -> str:
    """What `django.middleware.csrf.get_token()` returns, with the same side effects."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return csrf.get_token(request)  # a first visit: Django makes the secret and its cookie
    # As Django does: the cookie is sent again, to renew its expiry.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = random_string(len(secret))
    return mask + "".join(
        CHARS[(INDEX[char] + INDEX[key]) % BASE] for char, key in zip(secret, mask, strict=True)
    )
