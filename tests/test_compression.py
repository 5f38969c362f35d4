"""Pages travel compressed: Brotli when the browser takes it, gzip otherwise."""

import gzip
import re

import brotli
import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from backtp.compression import deflate_piece, gzip_stitched

pytestmark = pytest.mark.django_db

MUSCLE = "/muscles/quadratus-lumborum/"


def _plain(html: bytes) -> str:
    """Without the per-request CSRF token and CSP nonce."""
    text = html.decode()
    return re.sub(r'nonce="[^"]+"', "", re.sub(r'"X-CSRFToken": "[^"]+"', "", text))


def test_a_browser_that_takes_brotli_gets_brotli(client: Client, catalog) -> None:
    plain = client.get(MUSCLE)
    assert "Content-Encoding" not in plain
    response = client.get(MUSCLE, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)
    assert _plain(brotli.decompress(response.content)) == _plain(plain.content)
    # Markup and map outlines shrink well: at least fivefold.
    assert len(response.content) < len(plain.content) / 5


def test_gzip_for_a_browser_without_brotli(client: Client, catalog) -> None:
    response = client.get(MUSCLE, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Quadratus lumborum" in gzip.decompress(response.content).decode()


def test_tiny_responses_are_left_alone(client: Client, db) -> None:
    response = client.get("/healthz", headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in response
    assert response.json()["status"] == "ok"


def test_htmx_fragments_are_compressed_too(client: Client, catalog) -> None:
    response = client.get(
        "/muscles/",
        {"region": "flank"},
        headers={"Accept-Encoding": "br", "HX-Request": "true"},
    )
    assert response["Content-Encoding"] == "br"
    assert 'id="results"' in brotli.decompress(response.content).decode()


def test_static_files_are_served_precompressed_with_brotli(client: Client, db) -> None:
    from django.templatetags.static import static

    url = static("css/backtp.css")
    response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    body = b"".join(response.streaming_content)
    assert b":root" in brotli.decompress(body) or b"body" in brotli.decompress(body)


# Personal pages: gzip stitched around the CSRF token ------------------------------------


@given(
    pieces=st.lists(st.binary(max_size=3000) | st.just(b"<svg>" * 400), min_size=1, max_size=6),
    filler=st.binary(max_size=200),
)
def test_a_stitched_gzip_body_is_the_filled_page(pieces: list[bytes], filler: bytes) -> None:
    body = gzip_stitched(pieces, [deflate_piece(p) for p in pieces], filler)
    assert gzip.decompress(body) == filler.join(pieces)  # the CRC and length checked too


def test_stitching_compresses_like_gzip_itself() -> None:
    # A page with a few holes, as a results page has (the htmx header and three forms).
    items = [f"<li>trigger point {n}</li>".encode() for n in range(2000)]
    pieces = [b"".join(items[start : start + 500]) for start in range(0, 2000, 500)]
    token = b"x" * 64
    body = gzip_stitched(pieces, [deflate_piece(p) for p in pieces], token)
    assert len(body) <= len(gzip.compress(token.join(pieces))) * 1.1


def test_a_filler_too_long_for_one_stored_block_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        gzip_stitched([b"a", b"b"], [deflate_piece(b"a"), deflate_piece(b"b")], b"x" * 70_000)
