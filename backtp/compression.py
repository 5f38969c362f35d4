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
import struct
import zlib
from collections.abc import Sequence

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


# -- gzip bodies stitched from pieces compressed beforehand ------------------------------
# A personal page cached with a hole for the visitor's CSRF token (backtp.pagecache) would
# otherwise be compressed afresh for every response: 0.2 ms of Brotli for a results page.
# Deflate lets a stream be assembled instead: each fixed piece is compressed once on its
# own (so it refers to nothing before its start) and ends on a byte boundary, and the
# token goes between them as a stored (uncompressed) block. Per response that leaves a
# CRC-32 over the page and some joining. At level 9, once per page, the result is also
# smaller than Brotli at the quality affordable per response (results page: 14 KB, not 18).

GZIP_HEADER = bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 2, 0xFF])  # deflate, no name, mtime 0
FINAL_EMPTY_BLOCK = b"\x03\x00"  # a last, empty block with fixed codes
STORED_MAX = 0xFFFF


def deflate_piece(data: bytes) -> bytes:
    """`data` as raw deflate blocks that stand alone, are not final, and end on a byte
    boundary: pieces made so can be put side by side in one stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def _stored(data: bytes) -> bytes:
    if len(data) > STORED_MAX:
        raise ValueError(f"a filler of {len(data)} bytes does not fit one stored block")
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def gzip_stitched(pieces: Sequence[bytes], deflated: Sequence[bytes], filler: bytes) -> bytes:
    """The gzip file of `filler.join(pieces)`, where `deflated` is `pieces` through
    deflate_piece()."""
    crc = 0
    for number, piece in enumerate(pieces):
        if number:
            crc = zlib.crc32(filler, crc)
        crc = zlib.crc32(piece, crc)
    size = sum(map(len, pieces)) + len(filler) * (len(pieces) - 1)
    return b"".join(
        [
            GZIP_HEADER,
            _stored(filler).join(deflated),
            FINAL_EMPTY_BLOCK,
            struct.pack("<II", crc, size & 0xFFFFFFFF),
        ]
    )
