"""Pages travel compressed: Brotli when the browser takes it, gzip otherwise."""

import gzip
import re

import brotli
import pytest
from django.test import Client

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
