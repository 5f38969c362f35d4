"""Security with production settings: check --deploy, the headers on every page,
cookie flags, Argon2 hashing and the configurable admin address.

The production values are read from backtp/settings.py itself, imported in a
subprocess with DEBUG=0 (nothing here restates them), then applied to the test
client, so a regression in the settings file fails these tests.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from tests.conftest import redis_test_url
from tests.core.test_isolation import _patterns
from tests.factories import PASSWORD, UserFactory
from tests.guide.test_guide import complete
from tests.journal.test_journal import log_session

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp" * 10,
    "ALLOWED_HOSTS": "testserver,backtp.example",
    "SMTP_HOST": "smtp.example",
}
# Everything about transport security and headers that settings.py decides.
SECURITY_SETTINGS = [
    "DEBUG",
    "PASSWORD_HASHERS",
    "SECURE_CSP",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "PERMISSIONS_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
]


# The test process's own settings switches (conftest allows async-unsafe ORM use for
# Playwright) must not leak into the production process being checked.
OWN = {"DEBUG", "SECRET_KEY", "ADMIN_URL", "SMTP_HOST", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _env(**env: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in OWN}
    return {**clean, "DJANGO_SETTINGS_MODULE": "backtp.settings", **env}


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


class HttpsClient(Client):
    """Every request arrives over HTTPS, as it does behind the load balancer."""

    def generic(self, *args, secure: bool = True, **kwargs):
        return super().generic(*args, secure=True, **kwargs)


@pytest.fixture(scope="module")
def production() -> dict[str, object]:
    names = repr(SECURITY_SETTINGS)
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names}}}, default=str))"
    )
    result = _run(code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def prod_client(production, settings) -> Client:
    for name, value in production.items():
        setattr(settings, name, value)
    return HttpsClient()


def _check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_reports_nothing_with_production_settings() -> None:
    result = _check_deploy(**PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_fails_when_production_forgets_email() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SMTP_HOST"}
    result = _check_deploy(**env)
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


# Headers on every page -------------------------------------------------------------


def _page_urls(user) -> list[str]:
    """Every GET page of the app (not the admin), with real objects for its arguments."""
    from backtp.catalog.models import Muscle, Routine, Technique
    from backtp.guide.models import Assessment

    args = {
        "muscle_detail": [Muscle.objects.first().slug],
        "technique_detail": [Technique.objects.first().slug],
        "routine_detail": [Routine.objects.first().slug],
        "results": [Assessment.objects.first().pk],
        "session_detail": [user.treatment_sessions.first().pk],
        "feed": ["no-such-calendar"],
    }
    skip = {
        # POST-only actions, files and the reset link (which needs a mailed token).
        "logout",
        "restart",
        "log",
        "plan_add",
        "plan_from_routine",
        "plan_from_results",
        "plan_change",
        "plan_move",
        "plan_remove",
        "device_add",
        "device_remove",
        "devices_remove_all",
        "devices_test",
        "feed_new",
        "feed_revoke",
        "password_reset_confirm",
    }
    urls = []
    for name, _pattern in _patterns(get_resolver()):
        namespace, _, short = name.rpartition(":")
        if namespace == "admin" or short in skip:
            continue
        urls.append(reverse(name, args=args.get(short, [])))
    return urls


def _assert_security_headers(url: str, response) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
    )
    assert directives.get("frame-ancestors") == "'none'", url
    assert directives.get("form-action") == "'self'", url
    assert directives.get("default-src") == "'self'", url
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, url
    # Scripts only from our own origin, or inline only with this response's nonce.
    script_src = directives.get("script-src", "").split()
    assert script_src[0] == "'self'", url
    assert all(token.startswith("'nonce-") for token in script_src[1:]), url
    assert headers.get("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    ), url
    assert headers.get("X-Frame-Options") == "DENY", url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") == "same-origin", url
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", url
    policy = dict(
        item.strip().split("=", 1) for item in headers.get("Permissions-Policy", "").split(",")
    )
    # The timer may keep the screen awake; camera, microphone, location and the rest are off.
    assert policy.pop("screen-wake-lock") == "(self)", url
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= set(policy), url
    assert set(policy.values()) == {"()"}, url


def test_every_page_sends_the_security_headers(prod_client: Client, catalog, person):
    log_session(person, before=6, after=3)
    complete(prod_client)
    checked = []
    for who in ("anonymous", "logged in"):
        if who == "logged in":
            prod_client.force_login(person)
        for url in _page_urls(person):
            response = prod_client.get(url)
            assert response.status_code < 500, url
            _assert_security_headers(url, response)
            checked.append(url)
    assert len(checked) >= 2 * 30
    # Error pages carry them too.
    _assert_security_headers("404", prod_client.get("/muscles/no-such-muscle/"))


def test_plain_http_is_redirected_to_https_except_the_health_check(production, settings, catalog):
    for name, value in production.items():
        setattr(settings, name, value)
    client = Client()
    response = client.get("/muscles/")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/muscles/"
    assert client.get("/healthz").status_code == 200


def test_cookies_are_secure_httponly_and_same_site(prod_client: Client, catalog):
    ana = UserFactory()  # hashed with production's hashers, as prod_client set them
    prod_client.get(reverse("accounts:login"))
    response = prod_client.post(
        reverse("accounts:login"), {"username": ana.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = prod_client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_passwords_are_hashed_with_argon2(production, settings, db) -> None:
    settings.PASSWORD_HASHERS = production["PASSWORD_HASHERS"]
    user = UserFactory()
    assert user.password.startswith("argon2$argon2id$")
    assert Client().login(username=user.username, password=PASSWORD)


def test_an_old_pbkdf2_hash_is_upgraded_to_argon2_at_login(production, settings, person):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = production["PASSWORD_HASHERS"]
    person.password = make_password(PASSWORD, hasher="pbkdf2_sha256")  # saved years ago
    person.save()
    assert Client().login(username=person.username, password=PASSWORD)
    person.refresh_from_db()
    assert person.password.startswith("argon2$")


# The admin's address ---------------------------------------------------------------

ADMIN_PROBE = (
    "import django; django.setup(); from django.urls import reverse, resolve, Resolver404\n"
    "print(reverse('admin:index'))\n"
    "try:\n    resolve('/admin/'); print('admin/ resolves')\n"
    "except Resolver404:\n    print('admin/ is gone')\n"
)


def test_the_admin_lives_where_admin_url_says() -> None:
    result = _run(ADMIN_PROBE, ADMIN_URL="staff-7f3a/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/staff-7f3a/", "admin/", "is", "gone"]


def test_the_admin_defaults_to_admin() -> None:
    result = _run(ADMIN_PROBE)
    assert result.stdout.split()[:2] == ["/admin/", "admin/"]


@pytest.mark.parametrize("value", ["/staff/", "staff", "staff//x/"])
def test_a_malformed_admin_url_refuses_to_start(value: str) -> None:
    result = _run(ADMIN_PROBE, ADMIN_URL=value)
    assert result.returncode != 0
    assert "ADMIN_URL must look like" in result.stderr


# Login throttling through a shared Redis cache ---------------------------------------


def test_login_throttling_is_shared_through_redis(settings, person) -> None:
    """Two app servers with REDIS_URL share the failure count: five failures from one
    address, spread over both, lock the account from that address on a third."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_test_url(13),
            "KEY_PREFIX": f"backtp-test-{os.getpid()}",
        }
    }
    from django.core.cache import cache

    cache.clear()
    url = reverse("accounts:login")
    first, second = Client(), Client()  # think of them as two servers behind a balancer
    try:
        for attempt in range(5):
            client = first if attempt % 2 else second
            login = {"username": person.username, "password": "wrong"}
            assert client.post(url, login).status_code == 400
        response = Client().post(url, {"username": person.username, "password": PASSWORD})
        assert response.status_code == 429
        assert "Too many" in response.content.decode()
        # The owner, from their own address, is not locked out (tests/accounts/test_throttle.py).
        owner = Client().post(
            url, {"username": person.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
        )
        assert owner.status_code == 302
    finally:
        cache.clear()
