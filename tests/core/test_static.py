"""Static files: whitenoise serves hashed, compressed files; pages set a strict CSP."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_link_hashed_static_files(client: Client) -> None:
    html = client.get("/").content.decode()
    assert re.search(r'href="/static/css/backtp\.[0-9a-f]{12}\.css"', html)
    assert re.search(r'src="/static/django_htmx/htmx-2\.min\.[0-9a-f]{12}\.js"', html)


def test_static_files_are_served_compressed_and_cached_forever(client: Client) -> None:
    css = re.search(
        r'href="(/static/css/backtp\.[0-9a-f]{12}\.css)"', client.get("/").content.decode()
    )
    response = client.get(css.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]


def test_pages_send_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    # Scripts come only from our own origin: no inline script, so no nonce is needed
    # (a page that did use one would get it in its policy and its tag).
    script_src = re.search(r"script-src ([^;]+)", policy).group(1).split()
    assert script_src == ["'self'"]
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts and all(" src=" in tag for tag in scripts)


def test_no_page_uses_inline_styles_or_handlers(client: Client) -> None:
    html = client.get("/").content.decode()
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
