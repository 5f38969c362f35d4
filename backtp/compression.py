"""Compressed responses: Brotli for browsers that accept it (every current one does
over HTTPS), Django's gzip for the rest.

Brotli's long window matters here: a muscle page draws the same body map once per
trigger point, which gzip's 32 KB window cannot see as repetition. Quality 1 is
the fast end of Brotli, already smaller than gzip at its default level, at a
fraction of the time (figures in docs/benchmarks.md).

BREACH: pages that echo a secret are compressed too. Django masks the CSRF token
afresh in every response, and the session and CSRF cookies are SameSite=Lax, so a
cross-site page cannot make the many credentialed requests the attack needs.
"""

import re

import brotli
from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

BROTLI_QUALITY = 1
MIN_LENGTH = 200
_accepts_br = re.compile(r"\bbr\b")


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        if (
            response.streaming
            or len(response.content) < MIN_LENGTH
            or response.has_header("Content-Encoding")
            or not _accepts_br.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        ):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = brotli.compress(response.content, quality=BROTLI_QUALITY)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response
